import Foundation
import GRDB
import Imports
import Indicators
import Ingest
import Ledgers
import Reports
import Services
import Standards
import Store
import TestSupport
import Testing

@Suite struct VisionLedgerTests {
    let term = Term("2025-2026-1")!
    static let roster =
        "学籍号,姓名,性别,出生日期,学校,年级,班级\nG001,王堃,男,2015-03-04,实验小学,四年级,1班\nG002,陈镕,女,2015-05-06,实验小学,四年级,1班\nG003,张喆,男,2015-05-06,实验小学,四年级,1班\n"
    static let header =
        "年级编号,班级编号,班级名称,学籍号,民族代码,姓名,性别,出生日期,家庭住址,右眼裸眼视力,左眼裸眼视力,右眼屈光球镜S,右眼屈光柱镜C,右眼屈光轴位A,左眼屈光球镜S,左眼屈光柱镜C,左眼屈光轴位A,是否为角膜塑形镜（OK镜）佩戴者\n"
    /// Last year: nobody myopic. Now: G001 myopic (4.8, −1.25/−0.50), G002 not, G003 OK lens.
    static let lastYear =
        header
        + "13,1301,1班,G001,1,王堃,1,2015/3/4,,5.0,5.0,0,0,,0,0,,否\n13,1301,1班,G002,1,陈镕,2,2015/5/6,,5.0,5.0,0,0,,0,0,,否\n13,1301,1班,G003,1,张喆,1,2015/5/6,,5.0,5.0,0,0,,0,0,,否\n"
    static let now =
        header
        + "14,1401,1班,G001,1,王堃,1,2015/3/4,,4.8,5.0,-1.25,-0.50,180,0,0,,否\n14,1401,1班,G002,1,陈镕,2,2015/5/6,,5.0,5.1,+0.25,0,,0,0,,否\n14,1401,1班,G003,1,张喆,1,2015/5/6,,5.0,5.0,,,,,,,是\n"

    func database() throws -> (JianceDatabase, URL) {
        let folder = try temporaryFolder()
        let database = try JianceDatabase(path: folder.appendingPathComponent("t.sqlite").path)
        for (name, text) in [("r.csv", Self.roster), ("v0.csv", Self.lastYear), ("v1.csv", Self.now)] {
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
        }
        _ = try RosterImporter(database: database).importFile(folder.appendingPathComponent("r.csv"), term: term)
        let earlier = try VisionImporter(database: database).importFile(
            folder.appendingPathComponent("v0.csv"), term: term.sameSeasonLastYear, defaultSchool: "实验小学")
        #expect(earlier.counts.accepted == 3)
        let current = try VisionImporter(database: database).importFile(
            folder.appendingPathComponent("v1.csv"), term: term)
        #expect(current.counts.accepted == 3 && current.counts.rejected == 0)
        return (database, folder)
    }

    @Test func reportCountsAndYearlyChange() throws {
        let (database, _) = try database()
        let report = try VisionReport.load(from: database, term: term)
        #expect(report.previousTerm == term.sameSeasonLastYear)
        #expect(report.county.summary.myopiaRate == Rate(2, of: 3))
        #expect(report.county.yearly?.earlier == Rate(0, of: 3))
        #expect(report.county.yearly?.meets == false)
        #expect(report.county.newMyopia == Rate(2, of: 3))
        #expect(report.county.coverage == Rate(3, of: 3))
        // With `<=`, nothing changes here; the rule is printed.
        #expect(
            try VisionReport.load(from: database, term: term, settings: VisionSettings(boundary: .lessOrEqual)).settings
                .description.contains("≤"))
    }

    /// The myopia boundary setting changes the count where it should: SE exactly −0.50 with VA
    /// 4.8 is not myopic under `SE < −0.50` (the national rule) and myopic under `≤` (RULES.md).
    @Test func theBoundarySettingChangesTheCount() throws {
        let folder = try temporaryFolder()
        let database = try JianceDatabase(path: folder.appendingPathComponent("b.sqlite").path)
        try Data(Self.roster.utf8).write(to: folder.appendingPathComponent("r.csv"))
        let rows =
            Self.header
            + "14,1401,1班,G001,1,王堃,1,2015/3/4,,4.8,4.8,-0.50,0,,-0.50,0,,否\n14,1401,1班,G002,1,陈镕,2,2015/5/6,,5.0,5.0,0,0,,0,0,,否\n"
        try Data(rows.utf8).write(to: folder.appendingPathComponent("v.csv"))
        _ = try RosterImporter(database: database).importFile(folder.appendingPathComponent("r.csv"), term: term)
        _ = try VisionImporter(database: database).importFile(folder.appendingPathComponent("v.csv"), term: term)
        #expect(try VisionReport.load(from: database, term: term).county.summary.myopiaRate == Rate(0, of: 2))
        #expect(
            try VisionReport.load(from: database, term: term, settings: VisionSettings(boundary: .lessOrEqual)).county
                .summary.myopiaRate == Rate(1, of: 2))
    }

    @Test func schoolVisionSheetsAndCountySheet() throws {
        let (database, folder) = try database()
        let url = try #require(
            try ExportService(database: database).exportSchoolLedgers(
                term: term, to: folder.appendingPathComponent("out")
            ).first)
        let overview = try sheetRows(url, "视力概览")
        let school = try #require(overview.first { $0[0] == "全校" })
        #expect(Array(school.cells[1...4]) == ["3", "3", "0", "2"])
        #expect(school[5].hasPrefix("0.666") && school[6] == "0" && school[8] == "未达标")
        // The note says what the bands add up to, and they do: 轻度 + 中度 + 重度 = 视力不良率,
        // 低度 + 中度 + 高度近视 = all the myopic.
        #expect(overview[1][0].contains("三者之和为视力不良率") && overview[1][0].contains("低度、中度、高度近视占近视者"))
        let header = overview[2].cells
        func value(_ title: String) throws -> Double {
            Double(school[try #require(header.firstIndex(of: title), "\(header)")]) ?? 0
        }
        let lowVision = try value("轻度") + value("中度") + value("重度")
        #expect(abs(lowVision - (try value("视力不良率"))) < 1e-9 && lowVision > 0)
        #expect(abs(try value("低度近视") + value("中度近视") + value("高度近视") - 1) < 1e-9)
        let referrals = try sheetRows(url, "视力转诊台账")
        #expect(referrals[2].cells.prefix(4) == ["记录号", "版本", "序号", "学籍号"])
        let referred = referrals.dropFirst(3)
        #expect(referred.count == 2)  // G001 myopic (4.8), G003 OK lens
        #expect(referred.contains { $0[3] == "G001" } == false)  // masked by default
        #expect(referred.contains { $0[12].contains("近视（低度）") && $0[10] == "-1.50" })
        let chart = try part("xl/charts/chart1.xml", of: url)
        #expect(chart.contains("'视力概览'!$F$4:$F$4") && chart.contains("'视力概览'!$G$4:$G$4"))

        let county = try ExportService(database: database).exportCounty(term: term, to: folder, today: "2025-10-20")
        let vision = try sheetRows(county, "视力")
        #expect(vision.contains { $0[1] == "实验小学" && $0[12] == "未达标" })
    }

    /// A referral ledger goes out (masked), a teacher fills every yellow column of the exported
    /// file itself (only cells the protection leaves editable), and the answers are recorded
    /// without touching the screening; they show on the next export; bad values are findings; a
    /// correction keeps history; an older copy sent back later erases nothing.
    @Test func followUpRoundTrip() throws {
        let (database, folder) = try database()
        let exported = try #require(
            try ExportService(database: database).exportSchoolLedgers(
                term: term, to: folder.appendingPathComponent("out")
            ).first)
        let header = try sheetRows(exported, "视力转诊台账")[2].cells
        #expect(Set(header).count == header.count)
        func column(_ label: String) throws -> Int { try #require(header.firstIndex(of: label)) }
        let screeningsBefore = try database.read {
            try Row.fetchAll($0, sql: "SELECT * FROM vision_screening ORDER BY id")
        }
        func copy(_ url: URL, _ name: String) throws -> URL {
            let target = folder.appendingPathComponent(name)
            try FileManager.default.copyItem(at: url, to: target)
            return target
        }

        let filled = try copy(exported, "back.xlsx")
        try WorkbookEdit(url: filled).fill(
            sheet: "视力转诊台账",
            [
                (3, try column("复查日期"), .typed("2025-10-08")), (3, try column("复查结果"), .typed("近视")),
                (3, try column("是否配镜"), .typed("是")),
                (3, try column("家长告知日期"), .typed("2025-10-06")), (3, try column("跟进人"), .typed("李老师，班主任")),
                (4, try column("复查日期"), .typed("2030-01-01")), (4, try column("复查结果"), .typed("其他答案")),
            ])
        let outcome = try FollowUpImporter(database: database).importFile(filled, term: term)
        #expect(outcome.counts.inserted == 1 && outcome.counts.rejected == 1, "\(outcome.counts)")
        #expect(outcome.findings.contains { $0.severity == .error && $0.row == 5 && $0.message.contains("之后") })
        #expect(outcome.findings.contains { $0.severity == .error && $0.row == 5 && $0.message.contains("下拉列表") })
        #expect(
            try database.read { try Row.fetchAll($0, sql: "SELECT * FROM vision_screening ORDER BY id") }
                == screeningsBefore)
        let stored = try database.read {
            try String.fetchAll($0, sql: "SELECT fields FROM followup ORDER BY record_id")
        }
        #expect(stored == [#"{"复查日期":"2025-10-08","复查结果":"近视","家长告知日期":"2025-10-06","是否配镜":"是","跟进人":"李老师，班主任"}"#])

        // The next export shows what came back; a correction on it keeps history.
        let again = try #require(
            try ExportService(database: database).exportSchoolLedgers(
                term: term, to: folder.appendingPathComponent("out2")
            ).first)
        #expect(try sheetRows(again, "视力转诊台账")[3][try column("复查日期")] == "2025-10-08")
        let corrected = try copy(again, "back2.xlsx")
        try WorkbookEdit(url: corrected).fill(sheet: "视力转诊台账", [(3, try column("复查日期"), .typed("2025-10-09"))])
        let second = try FollowUpImporter(database: database).importFile(corrected, term: term)
        #expect(
            second.counts.updated == 1 && second.counts.rejected == 0,
            "\(second.counts) \(second.findings.map(\.description))")
        #expect(
            try database.read {
                try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM history WHERE table_name = 'followup'")
            } == 1)

        // The first copy, sent back again with a blank and an older date: nothing newer is lost.
        let old = try copy(exported, "back-old.xlsx")
        try WorkbookEdit(url: old).fill(sheet: "视力转诊台账", [(3, try column("复查日期"), .typed("2025-10-07"))])
        let stale = try FollowUpImporter(database: database).importFile(old, term: term)
        #expect(stale.counts.rejected == 1 && stale.findings.contains { $0.message.contains("此行比数据库中的记录旧") })
        #expect(
            try database.read { try String.fetchOne($0, sql: "SELECT fields FROM followup") }?.contains("2025-10-09")
                == true)

        // A ledger of this term imported under another term is refused.
        let wrongTerm = try FollowUpImporter(database: database).importFile(corrected, term: Term("2019-2020-1")!)
        #expect(
            wrongTerm.counts.accepted == 0
                && wrongTerm.findings.contains { $0.message.contains("与 --term 2019-2020-1 不符") },
            "\(wrongTerm.findings.map(\.description))")
    }
}
