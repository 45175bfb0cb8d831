import Foundation
import Imports
import Indicators
import Ledgers
import Reports
import Services
import Standards
import Store
import TestSupport
import Testing

/// 健康档案建档率 on VisionLedgerTests' school: three pupils screened this year, only G001 also
/// tested for fitness (in the spring term of the same school year).
@Suite struct HealthRecordTests {
    let term = Term("2025-2026-1")!
    let spring = Term("2025-2026-2")!

    func database() throws -> (JianceDatabase, URL) {
        let (database, folder) = try VisionLedgerTests().database()
        let fitness = """
            年级编号,班级编号,班级名称,学籍号,民族代码,姓名,性别,出生日期,身高,体重,肺活量,50米跑,坐位体前屈,一分钟跳绳,一分钟仰卧起坐
            14,1401,1班,G001,1,王堃,1,2015/3/4,140,33,1800,9.8,8.0,120,35

            """
        try Data(fitness.utf8).write(to: folder.appendingPathComponent("f.csv"))
        _ = try RosterImporter(database: database).importFile(folder.appendingPathComponent("r.csv"), term: spring)
        let outcome = try FitnessImporter(database: database, scorer: FitnessScorer.bundled()).importFile(
            folder.appendingPathComponent("f.csv"), term: spring)
        #expect(outcome.counts.accepted == 1)
        return (database, folder)
    }

    @Test func aStudentCountsWhenTheSchoolYearHoldsEveryKindTheSettingsName() throws {
        let (database, _) = try database()
        let both = try HealthRecordReport.load(from: database, term: term)
        #expect(both.county.rate == Rate(1, of: 3))
        #expect(both.schools.map(\.recorded) == [1] && both.schools.map(\.enrolled) == [3])
        #expect(both.schools.map(\.name) == ["实验小学"])
        #expect(try HealthRecordReport.load(from: database, term: term, kinds: [.vision]).county.rate == Rate(3, of: 3))
        #expect(
            try HealthRecordReport.load(from: database, term: term, kinds: [.fitness]).county.rate == Rate(1, of: 3))
        // Last school year: the roster of this year is not enrolled then, so nobody is counted.
        #expect(try HealthRecordReport.load(from: database, term: term.sameSeasonLastYear).county.enrolled == 0)

        let item = try #require(
            try CountyAssessment.load(from: database, term: term, today: "2025-11-01").items.first {
                $0.name == "儿童青少年健康档案建档率"
            })
        #expect(item.value == Rate(1, of: 3).percentText && item.passes == false && item.source.contains("未建档 2 人"))
    }

    /// The trend follows the rate term by term; the spring roster counts the same school year.
    @Test func theTrendFollowsTheRate() throws {
        let (database, _) = try database()
        let series = try #require(try TrendReport.load(from: database).county[.healthRecords])
        #expect(series.values[term]?.rate == Rate(1, of: 3))
        #expect(series.values[spring]?.rate == Rate(1, of: 3))
        #expect(series.values[term.sameSeasonLastYear] == nil, "no roster last year")
    }

    @Test func theSchoolLedgerListsWhoHasNoRecordMasked() throws {
        let (database, folder) = try database()
        let url = try #require(
            try ExportService(database: database).exportSchoolLedgers(
                term: term, to: folder.appendingPathComponent("o")
            )
            .first)
        let rows = try sheetRows(url, "未建档学生")
        #expect(rows[0][0].contains("共 2 人"))
        #expect(rows.count == 5 && rows[3][5] == "体质健康测试" && rows[3][2].contains("*") && rows[3][1] != "G002")
    }

    @Test func settingsNameTheKinds() throws {
        #expect(try CountySettings(json: Data(#"{"health_record":["vision"]}"#.utf8)).healthRecord == [.vision])
        #expect(CountySettings().healthRecord == [.vision, .fitness])
        for bad in [#"{"health_record":["eyes"]}"#, #"{"health_record":[]}"#, #"{"health_record":"vision"}"#] {
            #expect(throws: CountySettings.InvalidSettings.self) { try CountySettings(json: Data(bad.utf8)) }
        }
    }
}
