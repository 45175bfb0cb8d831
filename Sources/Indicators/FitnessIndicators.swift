import Standards

/// One student's stored fitness result, as indicators need it.
public struct FitnessObservation: Sendable, Hashable {
    public var studentID: Int64
    public var schoolID: Int64
    public var grade: GradeCode
    public var className: String?
    public var sex: Sex
    public var status: FitnessStatus
    public var rating: FitnessRating?
    public var bmiCategory: BMICategory?
    public var itemScores: FitnessItemScores
    public var totalHundredths: Int?

    public init(
        studentID: Int64, schoolID: Int64, grade: GradeCode, className: String?, sex: Sex, status: FitnessStatus,
        rating: FitnessRating?, bmiCategory: BMICategory?, itemScores: FitnessItemScores, totalHundredths: Int?
    ) {
        self.studentID = studentID
        self.schoolID = schoolID
        self.grade = grade
        self.className = className
        self.sex = sex
        self.status = status
        self.rating = rating
        self.bmiCategory = bmiCategory
        self.itemScores = itemScores
        self.totalHundredths = totalHundredths
    }
}

/// The county's fitness targets: 优良率 ≥ 55 % and 及格率 ≥ 98 % (the county plan for
/// 义务教育优质均衡发展). Settings, with these defaults.
public struct FitnessTargets: Sendable, Hashable {
    public var goodOrBetter = 0.55
    public var passing = 0.98

    public init(goodOrBetter: Double = 0.55, passing: Double = 0.98) {
        self.goodOrBetter = goodOrBetter
        self.passing = passing
    }
}

/// Counts and rates of one group of students (a class, grade, school, 学段, sex or the county).
///
/// Rates follow ../shared/reference/fitness/README.md: 优良率 = (优秀 + 良好) / students tested,
/// 及格率 = (优秀 + 良好 + 及格) / students tested, where "tested" means scored with every
/// required item; 免测 and incomplete students are counted apart and are not in the denominator.
public struct FitnessSummary: Sendable {
    /// Students with a result row (scored, incomplete or exempt).
    public var measured = 0
    public var exempt = 0
    public var incomplete = 0
    /// Students of each rating and of each BMI category, by the case's place in `allCases`:
    /// every report adds up each of its students here, and hashing the cases cost more than
    /// reading the row.
    private var ratings = InlineArray<4, Int>(repeating: 0)
    private var bmi = InlineArray<4, Int>(repeating: 0)
    /// Sum and count of each item's single scores (for the mean item score).
    private var itemSums = FitnessItemScores()
    private var itemCounts = FitnessItemScores()

    public init() {}

    public mutating func add(_ observation: FitnessObservation) {
        measured += 1
        switch observation.status {
        case .exempt: exempt += 1
        case .incomplete: incomplete += 1
        case .scored: if let rating = observation.rating { ratings[Self.slot(rating)] += 1 }
        }
        if let category = observation.bmiCategory { bmi[Self.slot(category)] += 1 }
        for (item, score) in observation.itemScores {
            itemSums[item] = (itemSums[item] ?? 0) + score
            itemCounts[item] = (itemCounts[item] ?? 0) + 1
        }
    }

    private static func slot(_ rating: FitnessRating) -> Int {
        switch rating {
        case .excellent: 0
        case .good: 1
        case .pass: 2
        case .fail: 3
        }
    }

    private static func slot(_ category: BMICategory) -> Int {
        switch category {
        case .underweight: 0
        case .normal: 1
        case .overweight: 2
        case .obese: 3
        }
    }

    /// Students scored with a total: the denominator of every rate.
    public var tested: Int { ratings[0] + ratings[1] + ratings[2] + ratings[3] }
    public func count(_ rating: FitnessRating) -> Int { ratings[Self.slot(rating)] }

    public var excellentRate: Rate { Rate(count(.excellent), of: tested) }
    public var goodRate: Rate { Rate(count(.good), of: tested) }
    /// 优良率.
    public var goodOrBetterRate: Rate { Rate(count(.excellent) + count(.good), of: tested) }
    /// 及格率.
    public var passingRate: Rate { Rate(tested - count(.fail), of: tested) }
    public var bmiMeasured: Int { bmi[0] + bmi[1] + bmi[2] + bmi[3] }
    /// Students of a BMI category.
    public func count(_ category: BMICategory) -> Int { bmi[Self.slot(category)] }
    public func bmiShare(_ category: BMICategory) -> Rate { Rate(count(category), of: bmiMeasured) }

    /// Mean single score of an item, nil when nobody did it.
    public func meanScore(_ item: FitnessItem) -> Double? {
        guard let sum = itemSums[item], let count = itemCounts[item], count > 0 else { return nil }
        return Double(sum) / Double(count)
    }

    /// Whether the group meets each target; nil without tested students.
    public func meets(_ targets: FitnessTargets) -> (goodOrBetter: Bool?, passing: Bool?) {
        (goodOrBetterRate.meets(atLeast: targets.goodOrBetter), passingRate.meets(atLeast: targets.passing))
    }
}

/// Grouping of fitness observations.
public enum FitnessBreakdown {
    /// 学段 of a grade for indicators: 小学 (11–16) or 初中 (21–24), else 高中/大学 (年级编号
    /// codes: ../shared/reference/fitness/upload_template.md §2).
    public static func stage(of grade: GradeCode) -> String {
        switch grade.code {
        case 11...16: "小学"
        case 21...24: "初中"
        case 31...33: "高中"
        default: "大学"
        }
    }
}

/// 毕业成绩 = 毕业当年学年总分 × 50 % + 其他学年学年总分平均 × 50 %
/// (../shared/reference/fitness/README.md, Rules), in hundredths rounded half-up; nil without
/// earlier years.
public func graduationScoreHundredths(graduatingYear: Int, earlierYears: [Int]) -> Int? {
    guard !earlierYears.isEmpty else { return nil }
    let n = earlierYears.count
    // (current/2 + sum/(2n)) = (current·n + sum) / (2n), rounded half-up.
    let numerator = graduatingYear * n + earlierYears.reduce(0, +)
    return (2 * numerator + 2 * n) / (4 * n)
}
