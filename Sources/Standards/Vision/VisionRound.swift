/// The two rounds of a school vision screening (WS/T 663-2020): the screening of every student and
/// the re-screening of those referred. Stored and printed by their Chinese names.
public enum VisionRound: String, Sendable, CaseIterable, Codable {
    case screening = "初筛"
    case rescreening = "复筛"
}
