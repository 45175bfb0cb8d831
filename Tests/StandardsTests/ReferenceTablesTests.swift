import Testing

@testable import Standards

@Suite struct ReferenceTablesTests {
    /// A line without quotes is split at its commas; one with quoted fields (a comma inside, a
    /// doubled quote) goes through the quote-aware path. Both give the fields as written.
    @Test func splitsLines() {
        func split(_ line: String) -> [String] { ReferenceTables.splitCSVLine(ArraySlice(Array(line.utf8))) }
        #expect(split("pull_up,7,male,100,13") == ["pull_up", "7", "male", "100", "13"])
        #expect(split("a,,c,") == ["a", "", "c", ""])
        #expect(split("") == [""])
        #expect(split("五年级,男") == ["五年级", "男"])
        #expect(split(#"a,"b,c","say ""hi""",d"#) == ["a", "b,c", #"say "hi""#, "d"])
    }
}
