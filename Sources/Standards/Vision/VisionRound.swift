/// The two rounds of a school vision screening (WS/T 663-2020): the screening of every student and
/// the re-screening of those referred. Stored and printed by their Chinese names.
public enum VisionRound: String, Sendable, CaseIterable, Codable, CustomStringConvertible {
    case screening = "初筛"
    case rescreening = "复筛"

    /// The Chinese name, wherever a round is put into text.
    public var description: String { rawValue }
}
