/// The test items of 《国家学生体质健康标准（2014年修订）》 (教体艺〔2014〕5号), keyed as in
/// ../shared/reference/fitness/README.md. Times are in seconds.
public enum FitnessItem: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case bmi
    case vitalCapacity = "vital_capacity"
    case run50m = "run_50m"
    case sitAndReach = "sit_and_reach"
    case ropeSkip = "rope_skip_1min"
    case sitUp = "sit_up_1min"
    case pullUp = "pull_up"
    case standingLongJump = "standing_long_jump"
    case shuttle50x8 = "shuttle_50x8"
    case run800m = "run_800m"
    case run1000m = "run_1000m"

    public var label: String {
        switch self {
        case .bmi: "体重指数(BMI)"
        case .vitalCapacity: "肺活量"
        case .run50m: "50米跑"
        case .sitAndReach: "坐位体前屈"
        case .ropeSkip: "1分钟跳绳"
        case .sitUp: "1分钟仰卧起坐"
        case .pullUp: "引体向上"
        case .standingLongJump: "立定跳远"
        case .shuttle50x8: "50米×8往返跑"
        case .run800m: "800米跑"
        case .run1000m: "1000米跑"
        }
    }

    public var unit: String {
        switch self {
        case .bmi: "kg/m²"
        case .vitalCapacity: "毫升"
        case .run50m, .shuttle50x8, .run800m, .run1000m: "秒"
        case .sitAndReach, .standingLongJump: "厘米"
        case .ropeSkip, .sitUp, .pullUp: "次"
        }
    }

    /// Times: a smaller result is better.
    public var lowerIsBetter: Bool {
        switch self {
        case .run50m, .shuttle50x8, .run800m, .run1000m: true
        default: false
        }
    }

    /// Middle- and long-distance times are written m′ss″ in the national template.
    public var isMinuteSecondTime: Bool { self == .shuttle50x8 || self == .run800m || self == .run1000m }

    /// Plausible results: outside them a value is a typing or device error, not a performance.
    /// The ranges are those of the national upload validator (T2 in
    /// ../shared/reference/fitness/upload_template.md §3).
    public var plausibleRange: ClosedRange<Double> {
        switch self {
        case .bmi: 5...80
        case .vitalCapacity: 500...9999
        case .run50m: 5...20
        case .sitAndReach: -30...40
        case .ropeSkip: 0...300
        case .sitUp, .pullUp: 0...99
        case .standingLongJump: 50...400
        case .shuttle50x8: 45...240
        case .run800m, .run1000m: 120...540
        }
    }

    /// The case's place in the standard's order (also its slot in `FitnessItemTable`).
    @inlinable var ordinal: Int {
        switch self {
        case .bmi: 0
        case .vitalCapacity: 1
        case .run50m: 2
        case .sitAndReach: 3
        case .ropeSkip: 4
        case .sitUp: 5
        case .pullUp: 6
        case .standingLongJump: 7
        case .shuttle50x8: 8
        case .run800m: 9
        case .run1000m: 10
        }
    }

    /// The case at `ordinal` in the standard's order (0–10).
    @inlinable init(ordinal: Int) {
        switch ordinal {
        case 0: self = .bmi
        case 1: self = .vitalCapacity
        case 2: self = .run50m
        case 3: self = .sitAndReach
        case 4: self = .ropeSkip
        case 5: self = .sitUp
        case 6: self = .pullUp
        case 7: self = .standingLongJump
        case 8: self = .shuttle50x8
        case 9: self = .run800m
        default: self = .run1000m
        }
    }

    // Hashed and compared by case rather than by raw-value string (the default of a
    // `RawRepresentable` enum): items key the scoring tables and the sets built from them.
    public func hash(into hasher: inout Hasher) { hasher.combine(ordinal) }
    public static func == (lhs: FitnessItem, rhs: FitnessItem) -> Bool { lhs.ordinal == rhs.ordinal }
    public static func < (lhs: FitnessItem, rhs: FitnessItem) -> Bool { lhs.ordinal < rhs.ordinal }

    /// The items measured and typed in (BMI is computed from height and weight), in standard order.
    public static let measured = allCases.filter { $0 != .bmi }
}

/// Plausible body measurements (T2 ranges, upload_template.md §3).
public enum BodyMeasure {
    /// 身高, cm.
    public static let height: ClosedRange<Double> = 80...250
    /// 体重, kg.
    public static let weight: ClosedRange<Double> = 14...200
}

/// The grade of a scoring table: `1`…`12`, `uni12` (大一大二) or `uni34` (大三大四).
public struct FitnessGrade: Sendable, Hashable, Codable {
    public let key: String

    /// The table grade for a national 年级编号. 初四 (24, 五四制) is the ninth year of schooling
    /// and takes the 初三 tables (upload_template.md §2: T1 remaps 五四制 codes the same way).
    public init(_ grade: GradeCode) {
        switch grade.code {
        case 11...16: key = String(grade.code - 10)
        case 21...23: key = String(grade.code - 14)
        case 24: key = "9"
        case 31...33: key = String(grade.code - 21)
        case 41, 42: key = "uni12"
        default: key = "uni34"
        }
    }

    init(key: String) { self.key = key }

    /// Year of schooling 1…12, nil for university.
    public var schoolYear: Int? { Int(key) }

    /// The weight band of weights.csv.
    var weightBand: String {
        switch schoolYear {
        case .some(1...2): "grade_1_2"
        case .some(3...4): "grade_3_4"
        case .some(5...6): "grade_5_6"
        default: "junior_senior_university"
        }
    }

    /// The bonus band of bonus.csv.
    var bonusBand: String {
        switch schoolYear {
        case .some(1...6): "primary_1_6"
        case .some: "junior_senior_7_12"
        case nil: "university"
        }
    }
}

/// The round of a fitness result: the school year's test, or the one make-up test a failing
/// student may take (《国家学生体质健康标准（2014年修订）》, 实施办法).
public enum FitnessRound: String, Sendable, CaseIterable {
    case regular = "正式"
    case makeUp = "补测"

    /// The round as an SQL literal, for queries over stored results.
    public var sqlLiteral: String { "'\(rawValue)'" }
}
