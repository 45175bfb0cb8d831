import Foundation
import GRDB
import Imports
import Reports
import Standards
import Store
import Testing

@Suite struct RosterImportTests {
    @Test func sameFileTwiceChangesNothing() throws {
        let (database, folder) = try freshDatabase()
        let url = folder.appendingPathComponent("名册.csv")
        try write(rosterCSV, to: url)
        let first = try RosterImporter(database: database).importFile(url, term: term)
        #expect(first.counts.accepted == 4 && first.counts.inserted == 4 && first.counts.rejected == 0)
        #expect(first.committed && first.batchID != nil)
        let before = try snapshot(database)
        let second = try RosterImporter(database: database).importFile(url, term: term)
        #expect(second.duplicateOfBatch == first.batchID)
        #expect(second.batchID == nil)
        #expect(try snapshot(database) == before)
    }

    @Test func sameRowsInAnotherFileAreUnchanged() throws {
        let (database, folder) = try freshDatabase()
        try write(rosterCSV, to: folder.appendingPathComponent("a.csv"))
        try write(rosterCSV + "\n", to: folder.appendingPathComponent("b.csv"))
        _ = try RosterImporter(database: database).importFile(folder.appendingPathComponent("a.csv"), term: term)
        let students = try database.read { try Row.fetchAll($0, sql: "SELECT * FROM student ORDER BY id") }
        let again = try RosterImporter(database: database).importFile(
            folder.appendingPathComponent("b.csv"), term: term)
        #expect(again.counts.unchanged == 4 && again.counts.inserted == 0 && again.counts.updated == 0)
        #expect(try database.read { try Row.fetchAll($0, sql: "SELECT * FROM student ORDER BY id") } == students)
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM history") } == 0)
    }

    /// A later roster of the school that leaves students out says how many are still enrolled
    /// from the earlier one (masked names), and keeps them; the full roster again says nothing.
    @Test func aRosterLeavingStudentsOutSaysSo() throws {
        let (database, folder) = try databaseWithRoster()
        let shorter =
            rosterCSV.split(separator: "\n").filter { !$0.contains("张喆") && !$0.contains("李无号") }
            .joined(separator: "\n") + "\n"
        try write(shorter, to: folder.appendingPathComponent("short.csv"))
        let outcome = try RosterImporter(database: database).importFile(
            folder.appendingPathComponent("short.csv"), term: term)
        let warning = try #require(outcome.findings.first { $0.message.contains("不在此文件中") })
        #expect(
            warning.severity == .warning && warning.message.contains("“实验小学”") && warning.message.contains("另有 2 名学生"))
        #expect(!warning.message.contains("张喆") && warning.message.contains(Masking.name("张喆")))
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM enrolment") } == 4)
        try write(rosterCSV + "\n", to: folder.appendingPathComponent("full.csv"))
        let full = try RosterImporter(database: database).importFile(
            folder.appendingPathComponent("full.csv"), term: term)
        #expect(!full.findings.contains { $0.message.contains("不在此文件中") })
    }

    @Test func correctionKeepsThePreviousValueInHistory() throws {
        let (database, folder) = try freshDatabase()
        try write(rosterCSV, to: folder.appendingPathComponent("a.csv"))
        try write(
            rosterCSV.replacingOccurrences(
                of: "G002,陈镕,女,2019-05-06,汉族,实验小学,一年级,2班", with: "G002,陈镕,女,2019-05-16,汉族,实验小学,一年级,3班"),
            to: folder.appendingPathComponent("b.csv"))
        _ = try RosterImporter(database: database).importFile(folder.appendingPathComponent("a.csv"), term: term)
        let outcome = try RosterImporter(database: database).importFile(
            folder.appendingPathComponent("b.csv"), term: term)
        #expect(outcome.counts.updated == 1 && outcome.counts.unchanged == 3)
        let history = try database.read {
            try Row.fetchAll($0, sql: "SELECT table_name, old_values, new_values FROM history ORDER BY id")
        }
        #expect(history.count == 2)
        let entries = history.map { row -> [String] in [row["table_name"], row["old_values"], row["new_values"]] }
        #expect(
            entries.contains([
                "student", #"{"birth_date":"2019-05-06","class_name":"2班"}"#,
                #"{"birth_date":"2019-05-16","class_name":"3班"}"#,
            ]))
        #expect(entries.contains(["enrolment", #"{"class_name":"2班"}"#, #"{"class_name":"3班"}"#]))
        let stored = try database.read {
            try String.fetchOne(
                $0,
                sql:
                    "SELECT e.class_name FROM enrolment e JOIN student s ON s.id = e.student_id WHERE s.student_no = 'G002'"
            )
        }
        #expect(stored == "3班")
    }

    @Test func studentWithoutNumberIsMatchedBySchoolNameAndBirthDate() throws {
        let (database, folder) = try freshDatabase()
        try write(rosterCSV, to: folder.appendingPathComponent("a.csv"))
        try write(
            rosterCSV.replacingOccurrences(
                of: ",李无号,女,2018-07-08,汉族,实验小学,二年级,1班", with: ",李无号,女,2018-07-08,汉族,实验小学,二年级,2班"),
            to: folder.appendingPathComponent("b.csv"))
        let first = try RosterImporter(database: database).importFile(
            folder.appendingPathComponent("a.csv"), term: term)
        #expect(first.findings.contains { $0.severity == .warning && $0.message.contains("缺少学籍号") && $0.row == 5 })
        let second = try RosterImporter(database: database).importFile(
            folder.appendingPathComponent("b.csv"), term: term)
        #expect(second.counts.updated == 1 && second.counts.inserted == 0)
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM student") } == 4)
    }

    @Test func strictKeepsNothingWhenARowIsRejected() throws {
        let (database, folder) = try freshDatabase()
        let url = folder.appendingPathComponent("bad.csv")
        try write(rosterCSV + "G009,坏日期,男,2019-02-30,汉族,实验小学,一年级,1班\n", to: url)
        let strict = try RosterImporter(database: database).importFile(url, term: term, mode: .strict)
        #expect(!strict.committed && strict.batchID == nil)
        #expect(strict.counts.rejected == 1)
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM student") } == 0)
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM import_batch") } == 0)

        let lenient = try RosterImporter(database: database).importFile(url, term: term)
        #expect(lenient.committed && lenient.counts.accepted == 4 && lenient.counts.rejected == 1)
        let stored = try database.read {
            try Row.fetchAll(
                $0, sql: "SELECT severity, row, column_name, value FROM batch_finding WHERE severity = 'error'")
        }
        #expect(stored.count == 1)
        let row: Int? = stored.first?["row"]
        let column: String? = stored.first?["column_name"]
        let value: String? = stored.first?["value"]
        #expect(row == 6)
        #expect(column == "出生日期")
        #expect(value == "2019-02-30")
    }

    @Test func schoolOptionAppliesOnlyWithoutASchoolColumn() throws {
        let (database, folder) = try freshDatabase()
        let url = folder.appendingPathComponent("noschool.csv")
        try write("学籍号,姓名,性别,出生日期\nG1,王五,男,2019-01-01\n", to: url)
        let rejected = try RosterImporter(database: database).importFile(url, term: term)
        #expect(rejected.counts.rejected == 1 && rejected.findings.contains { $0.message.contains("--school") })

        let (other, folder2) = try freshDatabase()
        let url2 = folder2.appendingPathComponent("noschool.csv")
        try write("学籍号,姓名,性别,出生日期\nG1,王五,男,2019-01-01\n", to: url2)
        let accepted = try RosterImporter(database: other).importFile(url2, term: term, defaultSchool: "青山学校")
        #expect(accepted.counts.accepted == 1)
        #expect(
            try other.read {
                try String.fetchOne($0, sql: "SELECT sc.name FROM student s JOIN school sc ON sc.id = s.school_id")
            } == "青山学校")

        let withColumn = folder2.appendingPathComponent("withschool.csv")
        try write("学籍号,姓名,性别,出生日期,学校\nG2,赵六,男,2019-01-01,实验小学\n", to: withColumn)
        _ = try RosterImporter(database: other).importFile(withColumn, term: term, defaultSchool: "青山学校")
        #expect(
            try other.read {
                try String.fetchOne(
                    $0,
                    sql: "SELECT sc.name FROM student s JOIN school sc ON sc.id = s.school_id WHERE s.student_no = 'G2'"
                )
            } == "实验小学")
    }

    @Test func schoolListThenRosterLinksByCodeOrName() throws {
        let (database, folder) = try freshDatabase()
        let schools = folder.appendingPathComponent("学校.csv")
        try write("学校标识码,学校名称,学段,乡镇/街道,城区/镇区/乡村\n2137131001,实验小学,小学,城关街道,城区\n", to: schools)
        _ = try RosterImporter(database: database).importFile(schools, term: term)
        let roster = folder.appendingPathComponent("名册.csv")
        try write("学籍号,姓名,性别,出生日期,学校标识码\nG1,王五,男,2019-01-01,2137131001\n", to: roster)
        let outcome = try RosterImporter(database: database).importFile(roster, term: term)
        #expect(!outcome.findings.contains { $0.message.contains("不在学校名单中") })
        let info = try #require(try RosterQueries(database: database).school("实验小学"))
        #expect(info.stage == .primary && info.locality == .urban && info.code == "2137131001")
        #expect(try RosterQueries(database: database).enrolmentCounts(term: term)[info.id] == 1)
    }

    @Test func studentWhoChangesSchoolStaysOneStudent() throws {
        let (database, folder) = try freshDatabase()
        let autumn = folder.appendingPathComponent("a.csv")
        try write("学籍号,姓名,性别,出生日期,学校,年级\nG1,王五,男,2015-01-01,甲校,四年级\n", to: autumn)
        let spring = folder.appendingPathComponent("b.csv")
        try write("学籍号,姓名,性别,出生日期,学校,年级\nG1,王五,男,2015-01-01,乙校,四年级\n", to: spring)
        _ = try RosterImporter(database: database).importFile(autumn, term: term)
        _ = try RosterImporter(database: database).importFile(spring, term: Term("2025-2026-2")!)
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM student") } == 1)
        let schools = try database.read {
            try String.fetchAll(
                $0, sql: "SELECT sc.name FROM enrolment e JOIN school sc ON sc.id = e.school_id ORDER BY e.term_id")
        }
        #expect(schools == ["甲校", "乙校"])
    }
}
