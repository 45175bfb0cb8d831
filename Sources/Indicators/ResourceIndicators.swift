import Standards

/// One school's resources for one 学段 (a 九年一贯制 school has a primary and a junior part).
public struct ResourcePart: Sendable, Equatable {
    public var school: String
    public var code: String?
    /// The whole school's 学段 (九年一贯制 …), for the school-size limit.
    public var schoolStage: SchoolStage?
    public var stage: ResourceStage
    public var students: Int
    /// Totals in hundredths (teachers ×100, m² ×100, 元 ×100), nil when not given.
    public var totals: [ResourceIndicator: Int64]
    public var classes: Int?
    public var largestClass: Int?
    /// 专任教师数, for the student–teacher ratio when given.
    public var teachers: Int?

    public init(
        school: String, code: String? = nil, schoolStage: SchoolStage? = nil, stage: ResourceStage, students: Int,
        totals: [ResourceIndicator: Int64], classes: Int? = nil, largestClass: Int? = nil, teachers: Int? = nil
    ) {
        self.school = school
        self.code = code
        self.schoolStage = schoolStage
        self.stage = stage
        self.students = students
        self.totals = totals
        self.classes = classes
        self.largestClass = largestClass
        self.teachers = teachers
    }

    /// The per-student (or per-100-students) value of an indicator, nil when not given.
    public func value(_ indicator: ResourceIndicator) -> Double? {
        guard let total = totals[indicator], students > 0 else { return nil }
        return Double(total * indicator.studentsPerUnit) / 100 / Double(students)
    }
}

/// A school part against the seven indicators (RULES.md §2): it passes when at least 6 of 7
/// are met and every unmet one reaches 85 % of its threshold. Comparisons are exact integer
/// comparisons on the given totals (不低于 → ≥), never on rounded values.
public struct ResourceEvaluation: Sendable, Equatable {
    /// Indicators a school part must meet (of seven).
    public static let requiredMet = 6
    /// Percent of its threshold every unmet indicator must still reach.
    public static let floorPercent = 85
    /// The rule as reports state it.
    public static let rule = "≥ \(requiredMet) 项达标，其余 ≥ 标准的 \(floorPercent)%"

    public struct Result: Sendable, Equatable {
        public var indicator: ResourceIndicator
        public var value: Double
        public var thresholdHundredths: Int64
        public var met: Bool
        /// At least 85 % of the threshold.
        public var nearlyMet: Bool
        public var threshold: Double { Double(thresholdHundredths) / 100 }
    }

    public var part: ResourcePart
    public var results: [Result]
    public var missing: [ResourceIndicator]

    public init(_ part: ResourcePart) {
        self.part = part
        var results: [Result] = []
        var missing: [ResourceIndicator] = []
        let n = Int64(part.students)
        for indicator in ResourceIndicator.allCases {
            guard let total = part.totals[indicator], n > 0 else {
                missing.append(indicator)
                continue
            }
            let threshold = indicator.thresholdHundredths(part.stage)
            // value = total/100 × k / n ≥ threshold/100 ⇔ total × k ≥ threshold × n.
            let scaled = total * indicator.studentsPerUnit
            results.append(
                Result(
                    indicator: indicator, value: Double(scaled) / 100 / Double(n), thresholdHundredths: threshold,
                    met: scaled >= threshold * n, nearlyMet: scaled * 100 >= Int64(Self.floorPercent) * threshold * n))
        }
        self.results = results
        self.missing = missing
    }

    public var metCount: Int { results.filter(\.met).count }

    /// Nil when an indicator is missing (the rule cannot be decided).
    public var passes: Bool? {
        guard missing.isEmpty else { return nil }
        return metCount >= Self.requiredMet && results.allSatisfy(\.nearlyMet)
    }

    /// 平均班额, nil without classes.
    public var averageClassSize: Double? { part.classes.flatMap { $0 > 0 ? Double(part.students) / Double($0) : nil } }

    /// The largest class against 45 / 50 (不超过 → ≤).
    public var classSizeWithinLimit: Bool? { part.largestClass.map { $0 <= part.stage.maximumClassSize } }

    /// Students per teacher against 19 / 13.5 (≤), nil without 专任教师数.
    public var studentTeacherRatioWithinLimit: Bool? {
        guard let teachers = part.teachers, teachers > 0 else { return nil }
        return Int64(part.students) * 10 <= part.stage.maximumStudentsPerTeacherTenths * Int64(teachers)
    }

    /// Why the part fails or cannot be judged, in Chinese.
    public var reasons: [String] {
        var reasons: [String] = []
        if !missing.isEmpty { reasons.append("缺少数据：" + missing.map(\.sourceColumn).joined(separator: "、")) }
        let unmet = results.filter { !$0.met }
        let allowed = ResourceIndicator.allCases.count - Self.requiredMet
        if unmet.count > allowed { reasons.append("\(unmet.count) 项未达标（最多允许 \(allowed) 项）") }
        for result in unmet where !result.nearlyMet {
            reasons.append(
                "\(result.indicator.shortName) \(Self.format(result.value)) 低于标准 \(Self.format(result.threshold)) 的 \(Self.floorPercent)%"
            )
        }
        if passes == true, let result = unmet.first {
            reasons.append(
                "\(result.indicator.shortName) \(Self.format(result.value)) 未达 \(Self.format(result.threshold))，但不低于 \(Self.floorPercent)%"
            )
        }
        return reasons
    }

    /// Two decimals, or none for large values such as 元 per student.
    public static func format(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f", value) : String(format: "%.2f", value)
    }
}

/// The county balance of one indicator in one 学段: its 差异系数 across schools against
/// 0.50 (小学) / 0.45 (初中), ≤ (RULES.md §2).
public struct ResourceBalance: Sendable, Equatable {
    public var stage: ResourceStage
    public var indicator: ResourceIndicator
    public var schools: Int
    public var cv: CoefficientOfVariation?

    public init(stage: ResourceStage, indicator: ResourceIndicator, parts: [ResourcePart]) {
        self.stage = stage
        self.indicator = indicator
        let given = parts.filter { $0.stage == stage }.compactMap { part in
            part.value(indicator).map { ($0, Double(part.students)) }
        }
        schools = given.count
        cv = CoefficientOfVariation(values: given.map(\.0), weights: given.map(\.1))
    }

    public var meets: Bool? { cv.map { $0.value <= stage.maximumCV } }

    /// The limits as reports state them: 小学 ≤ 0.50、初中 ≤ 0.45.
    public static let rule = ResourceStage.allCases.map { "\($0.rawValue) ≤ \(String(format: "%.2f", $0.maximumCV))" }
        .joined(separator: "、")
}
