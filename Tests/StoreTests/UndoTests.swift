import Foundation
import GRDB
import Imports
import Standards
import Store
import Testing

/// `jiance undo`: a batch's added rows removed, its changed rows back to their whole previous
/// state, row for row; refused when a later batch changed the same rows, unless forced.
@Suite struct UndoTests {
    let scorer = try! FitnessScorer.bundled()
    static let header = "年级编号,班级编号,班级名称,学籍号,民族代码,姓名,性别,出生日期,身高,体重,肺活量,50米跑,坐位体前屈,一分钟跳绳\n"
    static let right =
        header
        + "11,1101,1班,G001,1,王堃,1,2019/3/4,120.0,22.0,1250,10.9,12.5,115\n11,1101,1班,G002,1,陈镕,2,2019/5/6,118,21,1000,11.0,14.0,100\n"
    /// Another file for the same students (changed results, a student the roster lacks).
    static let wrong =
        header
        + "11,1101,1班,G001,1,王堃,1,2019/3/4,125.0,30.0,900,12.9,2.5,60\n11,1101,1班,G002,1,陈镕,2,2019/5/6,,,,,,\n11,1102,2班,G009,1,新生,1,2019/1/1,119,20,800,12,8,70\n"

    func setUp() throws -> (JianceDatabase, URL) {
        let (database, folder) = try databaseWithRoster()
        try write(Self.right, to: folder.appendingPathComponent("right.csv"))
        try write(Self.wrong, to: folder.appendingPathComponent("wrong.csv"))
        _ = try FitnessImporter(database: database, scorer: scorer).importFile(
            folder.appendingPathComponent("right.csv"), term: term, defaultSchool: "实验小学")
        return (database, folder)
    }

    @Test func undoRestoresEveryRowExactly() throws {
        let (database, folder) = try setUp()
        let before = try snapshot(database, tables: dataTables)
        let wrong = try FitnessImporter(database: database, scorer: scorer).importFile(
            folder.appendingPathComponent("wrong.csv"), term: term, defaultSchool: "实验小学")
        #expect(wrong.counts.updated == 1 && wrong.counts.inserted == 1, "\(wrong.counts)")
        // The blank row for G002 did not overwrite its results.
        #expect(wrong.counts.rejected == 1 && wrong.findings.contains { $0.message.contains("未用空白覆盖") })
        #expect(try snapshot(database, tables: dataTables) != before)

        let outcome = try BatchUndo(database: database).undo(batch: try #require(wrong.batchID), force: false)
        #expect(outcome.restored >= 1 && outcome.removed >= 2)  // G001's result; G009's result, enrolment and student
        #expect(try snapshot(database, tables: dataTables) == before)
        #expect(try AuditLog.entries(database).contains { $0.action == "undo" })
        #expect(throws: UndoRefusal.self) {
            try BatchUndo(database: database).undo(batch: wrong.batchID!, force: false)
        }

        // The same file imports again after the undo (its SHA-256 was seen, but the rows differ).
        let again = try FitnessImporter(database: database, scorer: scorer).importFile(
            folder.appendingPathComponent("wrong.csv"), term: term, defaultSchool: "实验小学")
        #expect(again.duplicateOfBatch == nil && again.counts.updated == 1)
    }

    @Test func aLaterChangeBlocksTheUndoUnlessForced() throws {
        let (database, folder) = try setUp()
        let before = try snapshot(database, tables: dataTables)
        let wrong = try FitnessImporter(database: database, scorer: scorer).importFile(
            folder.appendingPathComponent("wrong.csv"), term: term, defaultSchool: "实验小学")
        // The right file again: its SHA-256 is known, but it changes G001 back, so it is imported.
        let right = try FitnessImporter(database: database, scorer: scorer).importFile(
            folder.appendingPathComponent("right.csv"), term: term, defaultSchool: "实验小学")
        #expect(right.duplicateOfBatch == nil && right.counts.updated == 1)
        let refusal = #expect(throws: UndoRefusal.self) {
            try BatchUndo(database: database).undo(batch: wrong.batchID!, force: false)
        }
        #expect(refusal?.description.contains("批次 \(right.batchID!)") == true)
        _ = try BatchUndo(database: database).undo(batch: wrong.batchID!, force: true)
        #expect(try snapshot(database, tables: dataTables) == before)

        // The forced undo changed the rows the right file wrote last: undoing that file now would
        // bring back the wrong file's values, so it is refused, and the refusal names the undo.
        let afterForce = #expect(throws: UndoRefusal.self) {
            try BatchUndo(database: database).undo(batch: right.batchID!, force: false)
        }
        #expect(afterForce?.description.contains("（撤销）") == true)
        #expect(try snapshot(database, tables: dataTables) == before)
    }

    @Test func batchesAreListedByTermAndSchool() throws {
        let (database, _) = try setUp()
        let all = try BatchUndo(database: database).batches(term: term, school: nil)
        #expect(all.map(\.kind) == [.roster, .fitness])
        #expect(try BatchUndo(database: database).batches(term: term, school: "实验小学").count == 2)
        #expect(try BatchUndo(database: database).batches(term: Term("2019-2020-1")!, school: nil).isEmpty)
    }
}
