import Foundation
import GRDB
import Samples
import Standards
import Store
import TestSupport
import Testing

/// Crash safety and concurrent use, with real processes on one database file.
@Suite(.serialized) struct CrashAndConcurrencyTests {
    /// A roster of `count` students, as CSV.
    func roster(_ count: Int, prefix: String, school: String, to url: URL) throws {
        var text = "学籍号,姓名,性别,出生日期,学校,年级,班级\n"
        text.reserveCapacity(count * 48)
        for index in 0..<count {
            text +=
                "\(prefix)\(index),学生\(index),\(index % 2 == 0 ? "男" : "女"),2015-0\(1 + index % 9)-1\(index % 9),\(school),四年级,\(1 + index % 8)班\n"
        }
        try Data(text.utf8).write(to: url)
    }

    func count(_ path: String, _ sql: String) throws -> Int {
        try JianceDatabase(path: path).read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }

    /// SIGKILL an import inside its transaction (after 1, 20,000 and 39,999 of 40,000 rows, by
    /// the fault-injection variable): each time the database is unchanged and passes
    /// integrity_check; the import run again completes whole, with no duplicates; a killed
    /// re-import that changes every row leaves the whole earlier state.
    @Test func killedImportLeavesNothingHalfWritten() throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("big.csv")
        try roster(40_000, prefix: "K", school: "甲校", to: file)
        let db = folder.appendingPathComponent("crash.sqlite").path
        _ = try JianceDatabase(path: db)
        let arguments = ["import", "roster", file.path, "--term", "2025-2026-1", "--db", db]
        func state() throws -> [String] {
            try JianceDatabase(path: db).read { db in
                try ["student", "enrolment", "import_batch", "history"].map {
                    try "\($0): \(Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? -1)"
                }
                    + [
                        String.fetchOne(
                            db,
                            sql:
                                "SELECT group_concat(class_name) FROM (SELECT class_name FROM enrolment ORDER BY student_id LIMIT 50)"
                        ) ?? ""
                    ]
            }
        }
        var outcomes: Set<String> = []
        for rows in [1, 20_000, 39_999] {
            let killed = try Jiance.run(
                arguments, in: folder, environment: ["JIANCE_TEST_KILL_AFTER_ROWS": String(rows)])
            #expect(killed.signalled && killed.status == SIGKILL, "killed after \(rows) rows: \(killed.status)")
            let students = try count(db, "SELECT COUNT(*) FROM student")
            #expect(students == 0, "\(students) students after a kill at row \(rows)")
            #expect(
                try JianceDatabase(path: db).read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
            outcomes.insert(students == 0 ? "unchanged" : "half")
        }
        let again = try Jiance.run(arguments, in: folder)
        #expect(again.status == 0 && !again.signalled)
        #expect(try count(db, "SELECT COUNT(*) FROM student") == 40_000)
        #expect(try count(db, "SELECT COUNT(*) FROM enrolment") == 40_000)
        #expect(try count(db, "SELECT COUNT(*) FROM import_batch WHERE rows_accepted > 0") == 1)
        outcomes.insert("whole")
        #expect(outcomes == ["unchanged", "whole"])

        // Every student moves class in a corrected roster; the import is killed half way.
        let whole = try state()
        let corrected = folder.appendingPathComponent("corrected.csv")
        try Data(try String(contentsOf: file, encoding: .utf8).replacingOccurrences(of: "班\n", with: "班（新）\n").utf8)
            .write(to: corrected)
        let killed = try Jiance.run(
            ["import", "roster", corrected.path, "--term", "2025-2026-1", "--db", db], in: folder,
            environment: ["JIANCE_TEST_KILL_AFTER_ROWS": "20000"])
        #expect(killed.signalled)
        #expect(try state() == whole)
        #expect(try JianceDatabase(path: db).read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }

    /// Two imports and one export at the same time: all complete (waiting for the write lock),
    /// with every row in place.
    @Test func twoImportsAndAnExportAtOnce() throws {
        let folder = try temporaryFolder()
        let db = folder.appendingPathComponent("shared.sqlite").path
        try roster(15_000, prefix: "A", school: "甲校", to: folder.appendingPathComponent("a.csv"))
        try roster(15_000, prefix: "B", school: "乙校", to: folder.appendingPathComponent("b.csv"))
        try roster(200, prefix: "C", school: "丙校", to: folder.appendingPathComponent("c.csv"))
        #expect(
            try runJiance(["import", "roster", "c.csv", "--term", "2025-2026-1", "--db", db], in: folder).status == 0)
        let jobs: [[String]] = [
            ["import", "roster", "a.csv", "--term", "2025-2026-1", "--db", db],
            ["import", "roster", "b.csv", "--term", "2025-2026-1", "--db", db],
            ["export", "ledgers", "--term", "2025-2026-1", "--out", "out", "--db", db],
        ]
        let processes = try jobs.map { arguments -> Process in
            let process = Process()
            process.executableURL = Jiance.binary
            process.arguments = arguments
            process.currentDirectoryURL = folder
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        for process in processes { process.waitUntilExit() }
        #expect(processes.map(\.terminationStatus) == [0, 0, 0])
        #expect(try count(db, "SELECT COUNT(*) FROM student") == 30_200)
        #expect(try count(db, "SELECT COUNT(DISTINCT student_no) FROM student") == 30_200)
        #expect(
            FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/学校台账_丙校_2025-2026-1.xlsx").path))
        #expect(try JianceDatabase(path: db).read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }
}
