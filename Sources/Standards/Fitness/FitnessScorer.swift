/// One student's measurements for scoring.
public struct FitnessInput: Sendable, Hashable {
    public var studentID: String
    public var grade: GradeCode
    public var sex: Sex
    /// 身高, cm.
    public var heightCm: Double?
    /// 体重, kg.
    public var weightKg: Double?
    /// Item results (not BMI), in the item's unit; times in seconds.
    public var results: FitnessResults
    /// 免测: exempt on medical grounds with an approved application.
    public var exempt: Bool

    public init(
        studentID: String, grade: GradeCode, sex: Sex, heightCm: Double?, weightKg: Double?,
        results: FitnessResults, exempt: Bool = false
    ) {
        self.studentID = studentID
        self.grade = grade
        self.sex = sex
        self.heightCm = heightCm
        self.weightKg = weightKg
        self.results = results
        self.exempt = exempt
    }
}

/// 等级 of the 学年总分.
public enum FitnessRating: String, Sendable, Hashable, Codable, CaseIterable {
    case excellent = "优秀"
    case good = "良好"
    case pass = "及格"
    case fail = "不及格"
}

public enum FitnessStatus: String, Sendable, Hashable, Codable {
    /// Every required item present: a total and a rating.
    case scored
    /// A required item is missing: no total, counted apart (no official rule; README "Missing items").
    case incomplete
    /// 免测: not scored, excluded from the rates, counted apart.
    case exempt
}

/// The BMI of a student, rounded half-up to 0.1 kg/m², with its category and score.
public struct BMIScore: Sendable, Hashable, Codable {
    /// BMI in tenths of kg/m² (181 = 18.1), exact.
    public var tenths: Int
    public var category: BMICategory
    public var score: Int
    public var value: Double { Double(tenths) / 10 }

    public init(tenths: Int, category: BMICategory, score: Int) {
        self.tenths = tenths
        self.category = category
        self.score = score
    }
}

/// The score of one item.
public struct FitnessItemScore: Sendable, Hashable, Codable {
    public var item: FitnessItem
    public var raw: Double?
    /// Single-item score 0…100, nil when the result is missing.
    public var score: Int?
    /// 附加分 earned by this item.
    public var bonus: Int
    /// Weight in the 标准分, percent.
    public var weight: Int
}

/// A student's result under the 2014 standard.
public struct FitnessScore: Sendable, Hashable {
    public var studentID: String
    public var grade: GradeCode
    public var sex: Sex
    public var status: FitnessStatus
    public var bmi: BMIScore?
    /// The weighted items of the grade and sex (BMI excluded), in standard order.
    public var items: [FitnessItemScore]
    /// 标准分 in hundredths (Σ score × weight%), exact; nil unless scored.
    public var standardHundredths: Int?
    /// 附加分 in points.
    public var bonus: Int
    /// 学年总分 in hundredths (标准分 + 附加分, at most 120); nil unless scored.
    public var totalHundredths: Int?
    public var rating: FitnessRating?
    /// Required items without a result.
    public var missing: [FitnessItem]
    public var findings: [Finding]

    public var standardScore: Double? { standardHundredths.map { Double($0) / 100 } }
    public var total: Double? { totalHundredths.map { Double($0) / 100 } }

    /// The score of an item, if it is weighted at this grade.
    @inlinable public func item(_ item: FitnessItem) -> FitnessItemScore? { items.first { $0.item == item } }
}

/// Scores students by 《国家学生体质健康标准（2014年修订）》 using the reference tables
/// (../shared/reference/fitness/README.md, "Rules").
public struct FitnessScorer: Sendable {
    public let tables: FitnessTables
    /// Each grade's and sex's tables, looked up once here (the tables are keyed by text, and
    /// scoring runs for every student of a province), at `planIndex`: an array, not a dictionary,
    /// so that finding a student's plan costs no hashing.
    private let plans: [Plan?]

    public init(tables: FitnessTables) {
        self.tables = tables
        var plans = [Plan?](repeating: nil, count: 2 * (GradeCode.valid.max()! + 1))
        for code in GradeCode.valid {
            guard let grade = GradeCode(code: code) else { continue }
            for sex in Sex.allCases {
                plans[Self.planIndex(grade: grade, sex: sex)] = Plan(tables: tables, grade: grade, sex: sex)
            }
        }
        self.plans = plans
    }

    private static func planIndex(grade: GradeCode, sex: Sex) -> Int { grade.code * 2 + (sex == .male ? 0 : 1) }

    /// The weighted items of one grade and sex with their levels and bonus steps.
    private struct Plan: Sendable {
        struct Item: Sendable {
            let item: FitnessItem
            let weight: Int
            let levels: [FitnessTables.Level]
            let bonusSteps: [FitnessTables.BonusStep]
        }
        let items: [Item]
        let bmiBands: [FitnessTables.BMIBand]

        init(tables: FitnessTables, grade code: GradeCode, sex: Sex) {
            let grade = FitnessGrade(code)
            bmiBands = tables.bmiBands(grade: grade, sex: sex)
            items = tables.weights(grade: grade, sex: sex).map { item, weight in
                Item(
                    item: item, weight: weight, levels: tables.levels(item, grade: grade, sex: sex),
                    bonusSteps: tables.bonusSteps(item, grade: grade, sex: sex))
            }
        }
    }

    /// The scorer over the bundled tables.
    public static func bundled() throws -> FitnessScorer {
        try FitnessScorer(tables: FitnessTables.bundled.get())
    }

    public func score(_ input: FitnessInput) -> FitnessScore {
        // Every grade code is one of `GradeCode.valid`, each of which has a plan.
        let plan = plans[Self.planIndex(grade: input.grade, sex: input.sex)]!
        var result = FitnessScore(
            studentID: input.studentID, grade: input.grade, sex: input.sex, status: .scored, bmi: nil, items: [],
            standardHundredths: nil, bonus: 0, totalHundredths: nil, rating: nil, missing: [], findings: [])
        if input.exempt {
            result.status = .exempt
            return result
        }
        result.items.reserveCapacity(plan.items.count)
        var standard = 0
        for planned in plan.items {
            let (item, weight) = (planned.item, planned.weight)
            if item == .bmi {
                if let bmi = scoreBMI(input, bands: plan.bmiBands) {
                    result.bmi = bmi
                    standard += bmi.score * weight
                } else {
                    result.missing.append(.bmi)
                }
                continue
            }
            guard let raw = input.results[item], !planned.levels.isEmpty else {
                result.missing.append(item)
                result.items.append(
                    FitnessItemScore(item: item, raw: input.results[item], score: nil, bonus: 0, weight: weight))
                continue
            }
            let score = itemScore(raw, item: item, levels: planned.levels)
            let bonus = bonusPoints(raw, item: item, levels: planned.levels, steps: planned.bonusSteps)
            result.items.append(FitnessItemScore(item: item, raw: raw, score: score, bonus: bonus ?? 0, weight: weight))
            standard += score * weight
            result.bonus += bonus ?? 0
        }
        guard result.missing.isEmpty else {
            result.status = .incomplete
            result.findings.append(
                Finding(.warning, "缺少必测项目：\(result.missing.map(\.label).joined(separator: "、"))；不计算总分和等级（计入“测试不完整”）"))
            return result
        }
        result.standardHundredths = standard
        let total = min(standard + result.bonus * 100, 12_000)
        result.totalHundredths = total
        result.rating = FitnessScorer.rating(totalHundredths: total)
        return result
    }

    /// 等级: 优秀 ≥ 90.0, 良好 80.0–89.9, 及格 60.0–79.9, 不及格 ≤ 59.9, compared on the exact
    /// total (hundredths), so 79.95 is 及格: it has not reached 80.0.
    public static func rating(totalHundredths total: Int) -> FitnessRating {
        switch total {
        case 9000...: .excellent
        case 8000..<9000: .good
        case 6000..<8000: .pass
        default: .fail
        }
    }

    /// The highest level reached (`>=` for counts and distances, `<=` for times); a result between
    /// two levels takes the lower; worse than the lowest level scores 0. Levels absent from the
    /// table (引体向上 78/74/70/66/62 …) are simply not there, so the next lower level applies.
    func itemScore(_ raw: Double, item: FitnessItem, levels: [FitnessTables.Level]) -> Int {
        // A tolerance far below any table resolution absorbs binary noise such as 8.1000000001.
        let tolerance = 1e-9
        for level in levels {
            let reached = item.lowerIsBetter ? raw <= level.threshold + tolerance : raw >= level.threshold - tolerance
            if reached { return level.score }
        }
        return 0
    }

    /// 附加分: only beyond the 100-point threshold, by the steps of bonus.csv; a step not reached
    /// gives nothing (floor). Nil when the result is not beyond the threshold or the item earns no
    /// bonus at this grade.
    func bonusPoints(_ raw: Double, item: FitnessItem, levels: [FitnessTables.Level], steps: [FitnessTables.BonusStep])
        -> Int?
    {
        guard !steps.isEmpty, let top = levels.first, top.score == 100 else { return nil }
        let beyond = item.lowerIsBetter ? top.threshold - raw : raw - top.threshold
        guard beyond > 0 else { return nil }
        var points = 0
        for step in steps where beyond >= step.increment - 1e-9 { points = max(points, step.points) }
        return points
    }

    /// BMI = weight / height², rounded half-up to 0.1 in exact integer arithmetic on hundredths
    /// of kg and cm, so 18.15 becomes 18.2 (binary floating point would give 18.1).
    func scoreBMI(_ input: FitnessInput, bands: [FitnessTables.BMIBand]) -> BMIScore? {
        guard let height = input.heightCm, let weight = input.weightKg, height > 0, weight > 0 else { return nil }
        guard let tenths = FitnessScorer.bmiTenths(heightCm: height, weightKg: weight) else { return nil }
        guard let band = bands.first(where: { ($0.minTenths ?? .min) <= tenths && tenths <= ($0.maxTenths ?? .max) })
        else { return nil }
        return BMIScore(tenths: tenths, category: band.category, score: band.score)
    }

    /// BMI in tenths of kg/m², half-up: BMI×10 = w[0.01 kg] × 10⁷ / h[0.01 cm]².
    public static func bmiTenths(heightCm: Double, weightKg: Double) -> Int? {
        let h = Int((heightCm * 100).rounded())
        let w = Int((weightKg * 100).rounded())
        guard h > 0, w > 0 else { return nil }
        let denominator = h * h
        return (2 * w * 10_000_000 + denominator) / (2 * denominator)
    }
}
