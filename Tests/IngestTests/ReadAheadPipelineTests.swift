import Foundation
import Standards
import TestSupport
import Testing

@testable import Ingest

/// The two-thread read-ahead pipeline (imports, `jiance score`): order kept, errors from either side stop both and surface.
@Suite struct ReadAheadPipelineTests {
    struct Stop: Error {}

    @Test func itemsArriveInOrderAcrossBatches() throws {
        var seen: [Int] = []
        let output = try ReadAheadPipeline.run(
            batchSize: 7, capacity: 2,
            produce: { emit in
                for i in 0..<1000 { try emit(i) }
                return "done"
            }, consume: { seen.append($0) })
        #expect(output == "done")
        #expect(seen == Array(0..<1000))
    }

    @Test func aConsumerErrorStopsTheProducer() {
        #expect(throws: Stop.self) {
            _ = try ReadAheadPipeline.run(
                batchSize: 4, capacity: 1,
                produce: { emit in
                    for i in 0..<1_000_000 { try emit(i) }  // would never finish if it were not stopped
                    return 0
                }, consume: { if $0 == 10 { throw Stop() } })
        }
    }

    @Test func aProducerErrorSurfacesAfterTheItemsBeforeIt() {
        var consumed = 0
        #expect(throws: Stop.self) {
            _ = try ReadAheadPipeline.run(
                batchSize: 3,
                produce: { emit in
                    for i in 0..<5 { try emit(i) }
                    throw Stop()
                }, consume: { _ in consumed += 1 })
        }
        #expect(consumed == 5)  // every item before the error, the partial batch included
    }

    /// A CSV read on a second thread gives the rows, line numbers and findings of the CSV read
    /// directly; a reader that stops early ends it quietly.
    @Test func aTableReadAheadIsTheSameTable() throws {
        let folder = try temporaryFolder()
        let url = folder.appendingPathComponent("t.csv")
        let lines = ["学籍号,姓名,身高"] + (1...500).map { "G\($0),学生\($0),\(120 + $0 % 30)" } + ["\"open"]
        try Data(lines.joined(separator: "\n").utf8).write(to: url)
        func rows(_ table: TableSource, upTo limit: Int = .max) throws -> [RawRow] {
            var rows: [RawRow] = []
            try table.forEachRow { row in
                rows.append(row)
                return rows.count < limit
            }
            return rows
        }
        let direct = try CSVTable(url: url)
        let expected = try rows(direct)
        let ahead = ReadAheadTable(try CSVTable(url: url))
        #expect(try rows(ahead) == expected)
        #expect(ahead.readFindings == direct.readFindings && !direct.readFindings.isEmpty)
        #expect(try rows(ReadAheadTable(try CSVTable(url: url)), upTo: 3) == Array(expected.prefix(3)))
    }

    /// A sheet cut short gives its rows up to the cut, then fails, read ahead as read directly.
    @Test func aSheetCutShortReadAheadGivesItsRowsThenFails() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/bad/sheet-cut-in-half.xlsx")
        func rowsUntilFailure(_ table: TableSource) -> (rows: [RawRow], failed: Bool) {
            var rows: [RawRow] = []
            do {
                try table.forEachRow { row in
                    rows.append(row)
                    return true
                }
                return (rows, false)
            } catch {
                return (rows, error is FileReadError)
            }
        }
        let direct = rowsUntilFailure(try openTables(at: url)[0])
        let ahead = rowsUntilFailure(ReadAheadTable(try openTables(at: url)[0]))
        #expect(direct.failed && ahead.failed)
        #expect(direct.rows.count > 100 && ahead.rows == direct.rows)
    }

    /// A table that cannot be read (a UTF-16 file) fails the same way read ahead.
    @Test func aTableReadAheadFailsAsItsSource() throws {
        let url = try temporaryFolder().appendingPathComponent("u.csv")
        try Data([0xFF, 0xFE, 0x41, 0x00]).write(to: url)
        #expect(throws: FileReadError.self) { try ReadAheadTable(try CSVTable(url: url)).forEachRow { _ in true } }
    }
}
