import Foundation
import GRDB
import Imports
import Reports
import Standards
import Store
import TestSupport
import Testing

/// One student's record across terms: a school change keeps one record, years in order, and the
/// 毕业成绩 of a graduating grade computed by the standard's 50 %/50 % rule.
@Suite struct StudentHistoryTests {
    let scorer = try! FitnessScorer.bundled()
    static let header = "年级编号,班级编号,班级名称,学籍号,民族代码,姓名,性别,出生日期,身高,体重,肺活量,50米跑,坐位体前屈,一分钟跳绳,一分钟仰卧起坐,50米×8往返跑\n"

    @Test func threeYearsAcrossTwoSchoolsWithTheGraduationScore() throws {
        let (database, folder) = try freshDatabase()
        let years: [(term: String, school: String, grade: Int, row: String)] = [
            ("2023-2024-1", "甲校", 14, "14,1401,1班,G1,1,王一,1,2014/3/20,129.7,28.0,2209,9.7,6.4,79,39,"),
            ("2024-2025-1", "甲校", 15, "15,1501,1班,G1,1,王一,1,2014/3/20,145.1,38.0,2849,8.8,4.7,109,44,1′53″"),
            ("2025-2026-1", "乙校", 16, "16,1602,2班,G1,1,王一,1,2014/3/20,152.6,39.6,3106,8.3,7.2,151,45,1′37″"),
        ]
        for year in years {
            let term = try #require(Term(year.term))
            try write(
                "学籍号,姓名,性别,出生日期,学校,年级编号,班级\nG1,王一,男,2014-03-20,\(year.school),\(year.grade),\(year.grade % 10)班\n",
                to: folder.appendingPathComponent("r.csv"))
            _ = try RosterImporter(database: database).importFile(folder.appendingPathComponent("r.csv"), term: term)
            try write(Self.header + year.row + "\n", to: folder.appendingPathComponent("f\(year.grade).csv"))
            let outcome = try FitnessImporter(database: database, scorer: scorer).importFile(
                folder.appendingPathComponent("f\(year.grade).csv"), term: term)
            #expect(outcome.counts.accepted == 1, "\(outcome.findings.map(\.description))")
        }
        let history = try #require(try StudentHistory.load(from: database, studentNo: " g1 "))
        #expect(history.enrolments.map(\.school) == ["甲校", "甲校", "乙校"])
        #expect(history.fitness.map(\.term.description) == years.map(\.term))
        let totals = history.fitness.map(\.totalHundredths)
        #expect(totals == [7895, 8545, 9135])
        // 毕业成绩 = 91.35 × 50 % + (78.95 + 85.45) / 2 × 50 % = 86.775 → 86.78 (half-up).
        #expect(history.fitness.last?.graduationHundredths == 8678)
        #expect(history.fitness.dropLast().allSatisfy { $0.graduationHundredths == nil })
        #expect(try StudentHistory.load(from: database, studentNo: "G404") == nil)
        // The bulk query of a school's students gives the same record; unknown ids are left out.
        let id = try #require(
            try database.read { try Int64.fetchOne($0, sql: "SELECT id FROM student WHERE student_no = 'G1'") })
        let records = try StudentHistory.load(from: database, studentIDs: [id, 404])
        #expect(records.count == 1)
        let bulk = try #require(records[id])
        #expect(bulk.enrolments.map(\.school) == ["甲校", "甲校", "乙校"])
        #expect(bulk.fitness.map(\.totalHundredths) == totals && bulk.fitness.last?.graduationHundredths == 8678)
    }
}
