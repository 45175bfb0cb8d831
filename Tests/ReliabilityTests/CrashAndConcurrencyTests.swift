import Foundation
import GRDB
import Samples
import Standards
import Store
import Testing

/// Crash safety and concurrent use, with real processes on one database file.
@Suite(.serialized) struct CrashAndConcurrencyTests {
    /// A roster of `count` students, as CSV.
    func roster(_ count: Int, prefix: String, school: String, to url: URL) throws {
        var text = "学籍号,姓名,性别,出生日期,学校,年级,班级\n"
        text.reserveCapacity(count * 48)
        for index in 0..<count { text += "\(prefix)\(index),学生\(index),\(index % 2 == 0 ? "男" : "女"),2015-0\(1 + index % 9)-1\(index % 9),\(school),四年级,\(1 + index % 8)班\n" }
        try Data(text.utf8).write(to: url)
    }

    func count(_ path: String, _ sql: String) throws -> Int {
        try JianceDatabase(path: path).read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }

    /// SIGKILL an import at several points: the database is unchanged or whole, passes
    /// integrity_check, and the import run again completes with no duplicates.
    @Test func killedImportLeavesNothingHalfWritten() throws {
        let folder = try temporaryFolder()
        let file = folder.appendingPathComponent("big.csv")
        try roster(40_000, prefix: "K", school: "甲校", to: file)
        let db = folder.appendingPathComponent("crash.sqlite").path
        _ = try JianceDatabase(path: db)
        var random = SeededGenerator(seed: 2026)
        var outcomes: [String] = []
        for attempt in 0..<4 {
            let process = Process()
            process.executableURL = try jianceBinary()
            process.arguments = ["import", "roster", file.path, "--term", "2025-2026-1", "--db", db]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Random points within the first seconds of a several-second import.
            let delay = Double.random(in: 0.2...2.5, using: &random) * Double(attempt + 1) / 2
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let students = try count(db, "SELECT COUNT(*) FROM student")
            #expect(students == 0 || students == 40_000, "attempt \(attempt): \(students) students after SIGKILL at \(delay) s")
            #expect(try JianceDatabase(path: db).read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
            outcomes.append(students == 0 ? "unchanged" : "whole")
        }
        let again = try runJiance(["import", "roster", file.path, "--term", "2025-2026-1", "--db", db], in: folder)
        #expect(again.status == 0)
        #expect(try count(db, "SELECT COUNT(*) FROM student") == 40_000)
        #expect(try count(db, "SELECT COUNT(*) FROM enrolment") == 40_000)
        #expect(try count(db, "SELECT COUNT(*) FROM import_batch WHERE rows_accepted > 0") == 1)
        #expect(try JianceDatabase(path: db).read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        #expect(!outcomes.isEmpty)
    }

    /// Two imports and one export at the same time: all complete (waiting for the write lock),
    /// with every row in place.
    @Test func twoImportsAndAnExportAtOnce() throws {
        let folder = try temporaryFolder()
        let db = folder.appendingPathComponent("shared.sqlite").path
        try roster(15_000, prefix: "A", school: "甲校", to: folder.appendingPathComponent("a.csv"))
        try roster(15_000, prefix: "B", school: "乙校", to: folder.appendingPathComponent("b.csv"))
        try roster(200, prefix: "C", school: "丙校", to: folder.appendingPathComponent("c.csv"))
        #expect(try runJiance(["import", "roster", "c.csv", "--term", "2025-2026-1", "--db", db], in: folder).status == 0)
        let jobs: [[String]] = [
            ["import", "roster", "a.csv", "--term", "2025-2026-1", "--db", db],
            ["import", "roster", "b.csv", "--term", "2025-2026-1", "--db", db],
            ["export", "ledgers", "--term", "2025-2026-1", "--out", "out", "--db", db],
        ]
        let processes = try jobs.map { arguments -> Process in
            let process = Process()
            process.executableURL = try jianceBinary()
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
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("out/学校台账_丙校_2025-2026-1.xlsx").path))
        #expect(try JianceDatabase(path: db).read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }
}

func jianceBinary() throws -> URL {
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = directory.appendingPathComponent("jiance")
        if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        directory = directory.deletingLastPathComponent()
    }
    return packageRoot.appendingPathComponent(".build/debug/jiance")
}
