import Standards

/// One student's classified screening, as indicators need it.
public struct VisionObservation: Sendable {
    public var studentID: Int64
    public var schoolID: Int64
    public var grade: GradeCode?
    public var className: String?
    public var sex: Sex?
    public var result: VisionResult

    public init(
        studentID: Int64, schoolID: Int64, grade: GradeCode?, className: String?, sex: Sex?, result: VisionResult
    ) {
        self.studentID = studentID
        self.schoolID = schoolID
        self.grade = grade
        self.className = className
        self.sex = sex
        self.result = result
    }
}

/// Counts and rates of one group (../shared/reference/vision/RULES.md, Statistics):
/// 近视率 = myopic / (myopic + not myopic), undetermined persons excluded from both and counted;
/// 视力不良率 = 视力不良 / persons with an acuity for both eyes.
public struct VisionSummary: Sendable {
    public var screened = 0
    public var myopic = 0
    public var notMyopic = 0
    public var lowVisionMeasured = 0
    public var lowVision: [LowVisionGrade: Int] = [:]
    public var severity: [MyopiaSeverity: Int] = [:]
    public var glasses: [GlassesType: Int] = [:]

    public init() {}

    public mutating func add(_ result: VisionResult) {
        screened += 1
        switch result.myopic {
        case true?:
            myopic += 1
            if let severity = result.severity { self.severity[severity, default: 0] += 1 }
        case false?: notMyopic += 1
        case nil: break
        }
        if let low = result.lowVision {
            lowVisionMeasured += 1
            if low, let grade = result.lowVisionGrade { lowVision[grade, default: 0] += 1 }
        }
        if let type = result.glasses { glasses[type, default: 0] += 1 }
    }

    public var undetermined: Int { screened - myopic - notMyopic }
    /// 近视率.
    public var myopiaRate: Rate { Rate(myopic, of: myopic + notMyopic) }
    /// 视力不良率.
    public var lowVisionRate: Rate { Rate(lowVision.values.reduce(0, +), of: lowVisionMeasured) }
    public func lowVisionShare(_ grade: LowVisionGrade) -> Rate { Rate(lowVision[grade] ?? 0, of: lowVisionMeasured) }
    /// Share of myopic students with a known severity in each band.
    public func severityShare(_ band: MyopiaSeverity) -> Rate {
        Rate(severity[band] ?? 0, of: severity.values.reduce(0, +))
    }
}

/// The yearly-drop target of 《综合防控儿童青少年近视实施方案》(教体艺〔2018〕3号): the myopia rate
/// falls by at least 0.5 percentage points a year, judged against the same season of the
/// previous school year, and cumulatively against a baseline year.
public struct MyopiaTarget: Sendable, Hashable {
    public var dropPerYearPP = 0.5
    /// The school year (its starting calendar year) the cumulative drop counts from.
    public var baselineYear: Int?

    public init(dropPerYearPP: Double = 0.5, baselineYear: Int? = nil) {
        self.dropPerYearPP = dropPerYearPP
        self.baselineYear = baselineYear
    }
}

/// A change of a rate between two screenings, in percentage points (positive = the rate fell).
public struct RateDrop: Sendable, Hashable {
    public var earlier: Rate
    public var current: Rate
    /// The drop required (0.5 pp a year × years).
    public var requiredPP: Double

    public init(earlier: Rate, current: Rate, requiredPP: Double) {
        self.earlier = earlier
        self.current = current
        self.requiredPP = requiredPP
    }

    /// earlier − current, in percentage points; nil without both rates.
    public var dropPP: Double? {
        guard let a = earlier.value, let b = current.value else { return nil }
        return (a - b) * 100
    }

    /// Whether the drop reaches the required one, compared exactly on the counts in 128-bit
    /// integers (province-sized counts overflow 64 bits): a/b − c/d ≥ r/100 ⇔
    /// 100 000·(a·d − c·b) ≥ (1000·r)·b·d.
    public var meets: Bool? {
        guard earlier.denominator > 0, current.denominator > 0 else { return nil }
        let (a, b, c, d) = (
            Int128(earlier.numerator), Int128(earlier.denominator), Int128(current.numerator),
            Int128(current.denominator)
        )
        let required = Int128(Int((requiredPP * 1000).rounded()))
        return 100_000 * (a * d - c * b) >= required * b * d
    }
}

/// Grouping of vision observations.
public enum VisionBreakdown {
    /// 学段 (RULES.md: 小学 grades 1–6, 初中 7–9, 高中阶段 10–12).
    public static func stage(of grade: GradeCode?) -> String {
        guard let grade else { return "未知学段" }
        return FitnessBreakdown.stage(of: grade) == "高中" ? "高中阶段" : FitnessBreakdown.stage(of: grade)
    }
}

/// 新发近视率 counted student by student: of the students not myopic at their earlier screening,
/// the share myopic now (only students determined in both).
public struct NewMyopiaCount: Sendable {
    public private(set) var atRisk = 0
    public private(set) var new = 0

    public init() {}

    /// One student's result now and at the earlier screening (nil: not determined, or not screened).
    public mutating func add(now: Bool?, before: Bool?) {
        guard before == false, let now else { return }
        atRisk += 1
        if now { new += 1 }
    }

    public var rate: Rate { Rate(new, of: atRisk) }
}
