import Standards

/// What an import batch holds. Stored in `import_batch.kind` as released (`fitness`,
/// `vision-初筛`, `psych-phq9`, `academic:期中考试`, …); parsed back here, so that no other code
/// builds or takes apart those strings.
public enum BatchKind: Sendable, Hashable, Codable {
    case roster, fitness, followup, resources, monitoring, undo
    /// A vision screening round: 初筛 or 复筛.
    case vision(round: VisionRound)
    /// A psychological screening with a scale id (`phq9` …).
    case psych(scale: String)
    /// An exam by its name.
    case academic(exam: String)
    /// A kind this version does not know (a newer database); kept as stored.
    case other(String)

    public init(stored text: String) {
        switch text {
        case "roster": self = .roster
        case "fitness": self = .fitness
        case "followup": self = .followup
        case "resources": self = .resources
        case "monitoring": self = .monitoring
        case "undo": self = .undo
        case _ where text.hasPrefix("vision-"):
            self = VisionRound(rawValue: String(text.dropFirst(7))).map { .vision(round: $0) } ?? .other(text)
        case _ where text.hasPrefix("psych-"): self = .psych(scale: String(text.dropFirst(6)))
        case _ where text.hasPrefix("academic:"): self = .academic(exam: String(text.dropFirst(9)))
        default: self = .other(text)
        }
    }

    /// The text stored in the database and named in the audit log (`import-<stored>`).
    public var stored: String {
        switch self {
        case .roster: "roster"
        case .fitness: "fitness"
        case .followup: "followup"
        case .resources: "resources"
        case .monitoring: "monitoring"
        case .undo: "undo"
        case .vision(let round): "vision-\(round.rawValue)"
        case .psych(let scale): "psych-\(scale)"
        case .academic(let exam): "academic:\(exam)"
        case .other(let text): text
        }
    }

    /// The kind as a clerk names it: 体测, 视力（初筛）, 心理（phq9）, 考试（期中考试）…
    public var label: String {
        switch self {
        case .roster: "名册"
        case .fitness: "体测"
        case .followup: "跟踪台账"
        case .resources: "办学条件"
        case .monitoring: "质量监测"
        case .undo: "撤销"
        case .vision(let round): "视力（\(round.rawValue)）"
        case .psych(let scale): "心理（\(scale)）"
        case .academic(let exam): "考试（\(exam)）"
        case .other(let text): text
        }
    }

    public init(from decoder: any Decoder) throws {
        self.init(stored: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(stored)
    }
}
