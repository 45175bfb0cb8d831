import Foundation
import GRDB
import Imports
import Standards
import Store
import Testing

@Suite struct FitnessImportTests {
    let scorer = try! FitnessScorer.bundled()
    static let header = "年级编号,班级编号,班级名称,学籍号,民族代码,姓名,性别,出生日期,身高,体重,肺活量,50米跑,坐位体前屈,一分钟跳绳\n"
    static let rows =
        "11,1101,1班,G001,1,王堃,1,2019/3/4,120.0,22.0,1250,10.9,12.5,115\n11,1101,1班,G002,1,陈镕,2,2019/5/6,118,21,1000,11.0,14.0,100\n"

    func setUp() throws -> (JianceDatabase, URL) { try databaseWithRoster() }

    @Test func importScoresAndIsIdempotent() throws {
        let (database, folder) = try setUp()
        let url = folder.appendingPathComponent("体测.csv")
        try write(Self.header + Self.rows, to: url)
        let first = try FitnessImporter(database: database, scorer: scorer).importFile(url, term: term)
        #expect(first.counts.inserted == 2 && first.counts.rejected == 0)
        let stored = try database.read {
            try Row.fetchOne(
                $0,
                sql:
                    "SELECT f.total_hundredths, f.rating, f.school_id, sc.name FROM fitness_result f JOIN student s ON s.id = f.student_id JOIN school sc ON sc.id = f.school_id WHERE s.student_no = 'G001'"
            )
        }
        let total: Int? = stored?["total_hundredths"]
        let school: String? = stored?["name"]
        #expect(total == 9040)
        #expect(school == "实验小学")  // from the roster: the template has no school column
        let before = try snapshot(database)
        #expect(
            try FitnessImporter(database: database, scorer: scorer).importFile(url, term: term).duplicateOfBatch
                == first.batchID)
        #expect(try snapshot(database) == before)
        let copy = folder.appendingPathComponent("体测副本.csv")
        try write(Self.header + Self.rows + "\n", to: copy)
        let again = try FitnessImporter(database: database, scorer: scorer).importFile(copy, term: term)
        #expect(again.counts.unchanged == 2)
    }

    @Test func correctedResultIsRescoredAndHistoryKept() throws {
        let (database, folder) = try setUp()
        try write(Self.header + Self.rows, to: folder.appendingPathComponent("a.csv"))
        try write(
            Self.header + Self.rows.replacingOccurrences(of: "1250,10.9,12.5,115", with: "1250,10.2,12.5,115"),
            to: folder.appendingPathComponent("b.csv"))
        _ = try FitnessImporter(database: database, scorer: scorer).importFile(
            folder.appendingPathComponent("a.csv"), term: term)
        let outcome = try FitnessImporter(database: database, scorer: scorer).importFile(
            folder.appendingPathComponent("b.csv"), term: term)
        #expect(outcome.counts.updated == 1 && outcome.counts.unchanged == 1)
        let score = try database.read {
            try Int.fetchOne(
                $0,
                sql:
                    "SELECT run_50m_score FROM fitness_result f JOIN student s ON s.id = f.student_id WHERE s.student_no = 'G001'"
            )
        }
        #expect(score == 100)
        let history = try database.read {
            try String.fetchAll($0, sql: "SELECT old_values FROM history WHERE table_name = 'fitness_result'")
        }
        #expect(history == [#"{"run_50m":10.9}"#])
    }

    /// Rows are inserted first while most inserts go through, and looked up first once a file
    /// mostly re-sends stored rows: either way the counts and the history are the same.
    @Test func aFileThatMostlyResendsStoredRowsCountsEachRowRight() throws {
        let (database, folder) = try freshDatabase()
        func rows(_ range: Range<Int>, changing changed: Int? = nil) -> String {
            range.map { n in
                let run = n == changed ? "10.2" : "10.9"
                return "实验小学,11,1101,1班,G\(1000 + n),1,学生\(n),1,2019/3/4,120.0,22.0,1250,\(run),12.5,115"
            }.joined(separator: "\n") + "\n"
        }
        let header = "学校名称," + Self.header
        try write(header + rows(0..<30), to: folder.appendingPathComponent("first.csv"))
        try write(header + rows(0..<40, changing: 25), to: folder.appendingPathComponent("second.csv"))
        let importer = FitnessImporter(database: database, scorer: scorer)
        let first = try importer.importFile(folder.appendingPathComponent("first.csv"), term: term)
        #expect(first.counts.inserted == 30)
        let second = try importer.importFile(folder.appendingPathComponent("second.csv"), term: term)
        #expect(second.counts.inserted == 10 && second.counts.updated == 1 && second.counts.unchanged == 29)
        let history = try database.read {
            try String.fetchAll($0, sql: "SELECT old_values FROM history WHERE table_name = 'fitness_result'")
        }
        #expect(history == [#"{"run_50m":10.9}"#])
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM fitness_result") } == 40)
    }

    @Test func studentsMissingFromTheRoster() throws {
        let (database, folder) = try setUp()
        let url = folder.appendingPathComponent("新生.csv")
        try write(Self.header + "11,1102,2班,G900,1,新同学,1,2019/1/1,120,22,1250,10.9,12.5,115\n", to: url)
        let rejected = try FitnessImporter(database: database, scorer: scorer).importFile(url, term: term)
        #expect(rejected.counts.rejected == 1 && rejected.findings.contains { $0.message.contains("--school") })
        let added = try FitnessImporter(database: database, scorer: scorer).importFile(
            url, term: Term("2025-2026-2")!, defaultSchool: "实验小学")
        #expect(added.counts.accepted == 1)
        #expect(added.findings.contains { $0.severity == .warning && $0.message.contains("不在名册中") })
        #expect(
            try database.read { try String.fetchOne($0, sql: "SELECT origin FROM student WHERE student_no = 'G900'") }
                == "result-file")
    }

    /// The roster row without 学籍号 (李无号) is found by name and birth date, and the number
    /// the result file brings is recorded for that student.
    @Test func resultLinksRosterStudentWithoutNumber() throws {
        let (database, folder) = try setUp()
        let url = folder.appendingPathComponent("补号.csv")
        try write(Self.header + "12,1201,1班,G777,1,李无号,2,2018/7/8,125,24,1300,10.5,12,110\n", to: url)
        let outcome = try FitnessImporter(database: database, scorer: scorer).importFile(url, term: term)
        #expect(outcome.counts.accepted == 1 && outcome.counts.inserted == 1)
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM student") } == 4)
        #expect(
            try database.read { try String.fetchOne($0, sql: "SELECT name FROM student WHERE student_no = 'G777'") }
                == "李无号")
    }
}
