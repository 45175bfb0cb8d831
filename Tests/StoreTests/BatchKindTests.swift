import Store
import Testing

/// Batch kinds read back exactly as every released version stored them, and print as a clerk
/// names them.
@Suite struct BatchKindTests {
    @Test func storedKindsRoundTrip() {
        let stored: [(String, BatchKind, String)] = [
            ("roster", .roster, "名册"), ("fitness", .fitness, "体测"), ("followup", .followup, "跟踪台账"),
            ("resources", .resources, "办学条件"), ("monitoring", .monitoring, "质量监测"), ("undo", .undo, "撤销"),
            ("vision-初筛", .vision(round: .screening), "视力（初筛）"), ("vision-复筛", .vision(round: .rescreening), "视力（复筛）"),
            ("psych-phq9", .psych(scale: "phq9"), "心理（phq9）"),
            ("academic:期中考试", .academic(exam: "期中考试"), "考试（期中考试）"),
            ("something-new", .other("something-new"), "something-new"),
            // A round this version does not know is kept as stored, not taken for a vision round.
            ("vision-补筛", .other("vision-补筛"), "vision-补筛"),
        ]
        for (text, kind, label) in stored {
            #expect(BatchKind(stored: text) == kind)
            #expect(kind.stored == text)
            #expect(kind.label == label)
        }
    }
}
