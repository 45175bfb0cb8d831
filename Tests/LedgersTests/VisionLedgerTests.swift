import Foundation
import GRDB
import Indicators
import Ingest
import Ledgers
import Standards
import Store
import Testing

@Suite struct VisionLedgerTests {
    let term = Term("2025-2026-1")!
    static let roster = "学籍号,姓名,性别,出生日期,学校,年级,班级\nG001,王堃,男,2015-03-04,实验小学,四年级,1班\nG002,陈镕,女,2015-05-06,实验小学,四年级,1班\nG003,张喆,男,2015-05-06,实验小学,四年级,1班\n"
    static let header = "年级编号,班级编号,班级名称,学籍号,民族代码,姓名,性别,出生日期,家庭住址,右眼裸眼视力,左眼裸眼视力,右眼屈光球镜S,右眼屈光柱镜C,右眼屈光轴位A,左眼屈光球镜S,左眼屈光柱镜C,左眼屈光轴位A,是否为角膜塑形镜（OK镜）佩戴者\n"
    /// Last year: nobody myopic. Now: G001 myopic (4.8, −1.25/−0.50), G002 not, G003 OK lens.
    static let lastYear = header + "13,1301,1班,G001,1,王堃,1,2015/3/4,,5.0,5.0,0,0,,0,0,,否\n13,1301,1班,G002,1,陈镕,2,2015/5/6,,5.0,5.0,0,0,,0,0,,否\n13,1301,1班,G003,1,张喆,1,2015/5/6,,5.0,5.0,0,0,,0,0,,否\n"
    static let now = header + "14,1401,1班,G001,1,王堃,1,2015/3/4,,4.8,5.0,-1.25,-0.50,180,0,0,,否\n14,1401,1班,G002,1,陈镕,2,2015/5/6,,5.0,5.1,+0.25,0,,0,0,,否\n14,1401,1班,G003,1,张喆,1,2015/5/6,,5.0,5.0,,,,,,,是\n"

    func database() throws -> (JianceDatabase, URL) {
        let folder = try temporaryFolder()
        let database = try JianceDatabase(path: folder.appendingPathComponent("t.sqlite").path)
        for (name, text) in [("r.csv", Self.roster), ("v0.csv", Self.lastYear), ("v1.csv", Self.now)] { try Data(text.utf8).write(to: folder.appendingPathComponent(name)) }
        _ = try RosterImporter(database: database).importFile(folder.appendingPathComponent("r.csv"), term: term)
        let earlier = try VisionImporter(database: database).importFile(folder.appendingPathComponent("v0.csv"), term: term.sameSeasonLastYear, defaultSchool: "实验小学")
        #expect(earlier.counts.accepted == 3)
        let current = try VisionImporter(database: database).importFile(folder.appendingPathComponent("v1.csv"), term: term)
        #expect(current.counts.accepted == 3 && current.counts.rejected == 0)
        return (database, folder)
    }

    func rows(_ url: URL, _ sheet: String) throws -> [RawRow] {
        var rows: [RawRow] = []
        try openTables(at: url, sheet: sheet)[0].forEachRow { rows.append($0); return true }
        return rows
    }

    @Test func reportCountsAndYearlyChange() throws {
        let (database, _) = try database()
        let report = try VisionReport(database: database, term: term)
        #expect(report.previousTerm == term.sameSeasonLastYear)
        #expect(report.county.summary.myopiaRate == Rate(2, of: 3))
        #expect(report.county.yearly?.earlier == Rate(0, of: 3))
        #expect(report.county.yearly?.meets == false)
        #expect(report.county.newMyopia == Rate(2, of: 3))
        #expect(report.county.coverage == Rate(3, of: 3))
        // With `<=`, nothing changes here; the rule is printed.
        #expect(try VisionReport(database: database, term: term, settings: VisionSettings(boundary: .lessOrEqual)).settings.description.contains("≤"))
    }

    @Test func schoolVisionSheetsAndCountySheet() throws {
        let (database, folder) = try database()
        let url = try #require(try LedgerExporter(database: database).exportSchoolLedgers(term: term, to: folder.appendingPathComponent("out")).first)
        let overview = try rows(url, "视力概览")
        let school = try #require(overview.first { $0[0] == "全校" })
        #expect(Array(school.cells[1...4]) == ["3", "3", "0", "2"])
        #expect(school[5].hasPrefix("0.666") && school[6] == "0" && school[8] == "未达标")
        let referrals = try rows(url, "视力转诊台账")
        #expect(referrals[2].cells.prefix(3) == ["记录号", "序号", "学籍号"])
        let referred = referrals.dropFirst(3)
        #expect(referred.count == 2) // G001 myopic (4.8), G003 OK lens
        #expect(referred.contains { $0[2] == "G001" && $0[11].contains("近视") } == false) // masked by default
        #expect(referred.contains { $0[11].contains("近视（低度）") && $0[9] == "-1.50" })
        let chart = try part("xl/charts/chart1.xml", of: url)
        #expect(chart.contains("'视力概览'!$F$4:$F$4") && chart.contains("'视力概览'!$G$4:$G$4"))

        let county = try LedgerExporter(database: database).exportCounty(term: term, to: folder, today: "2025-10-20")
        let vision = try rows(county, "视力")
        #expect(vision.contains { $0[1] == "实验小学" && $0[12] == "未达标" })
    }

    /// A referral ledger goes out (masked), comes back filled in, and the follow-up is recorded
    /// without touching the screening; it shows on the next export; a change keeps history.
    @Test func followUpRoundTrip() throws {
        let (database, folder) = try database()
        let out = folder.appendingPathComponent("out")
        let url = try #require(try LedgerExporter(database: database).exportSchoolLedgers(term: term, to: out).first)
        let sheetRows = try rows(url, "视力转诊台账")
        let header = sheetRows[2].cells
        let screeningsBefore = try database.read { try Row.fetchAll($0, sql: "SELECT * FROM vision_screening ORDER BY id") }

        func returned(_ name: String, fill: (Int, [String]) -> [String]) throws -> URL {
            let file = folder.appendingPathComponent(name)
            let workbook = try XlsxWorkbook(path: file.path)
            let sheet = try workbook.addSheet("视力转诊台账")
            for (index, row) in sheetRows.enumerated() {
                var cells = row.cells + Array(repeating: "", count: max(0, header.count - row.cells.count))
                if index > 2 { cells = fill(index, cells) }
                try sheet.writeRow(index, cells.map { Double($0) != nil && !$0.hasPrefix("+") && !$0.hasPrefix("-") ? .number(Double($0)!) : .text($0) })
            }
            try workbook.close()
            return file
        }
        let dateColumn = try #require(header.firstIndex(of: "复查日期"))
        let resultColumn = try #require(header.firstIndex(of: "复查结果"))
        let filled = try returned("back.xlsx") { index, cells in
            var cells = cells
            cells[dateColumn] = "2025-10-0\(index)"
            cells[resultColumn] = index == 3 ? "近视" : "其他答案"
            return cells
        }
        let outcome = try FollowUpImporter(database: database).importFile(filled, term: term)
        #expect(outcome.counts.accepted == 2 && outcome.counts.inserted == 2)
        #expect(outcome.findings.contains { $0.severity == .warning && $0.message.contains("下拉列表") })
        #expect(try database.read { try Row.fetchAll($0, sql: "SELECT * FROM vision_screening ORDER BY id") } == screeningsBefore)
        let stored = try database.read { try String.fetchAll($0, sql: "SELECT fields FROM followup ORDER BY record_id") }
        #expect(stored.first == #"{"复查日期":"2025-10-03","复查结果":"近视"}"#)

        // The next export shows what came back.
        let again = try #require(try LedgerExporter(database: database).exportSchoolLedgers(term: term, to: folder.appendingPathComponent("out2")).first)
        #expect(try rows(again, "视力转诊台账")[3][dateColumn] == "2025-10-03")

        // A correction keeps history; a bad date and a tampered 记录号 are findings.
        let corrected = try returned("back2.xlsx") { index, cells in
            var cells = cells
            cells[dateColumn] = index == 3 ? "2025-10-09" : "不知道"
            if index == 4 { cells[0] = "99999" }
            return cells
        }
        let second = try FollowUpImporter(database: database).importFile(corrected, term: term)
        #expect(second.counts.updated == 1 && second.counts.rejected == 1, "\(second.counts) \(second.findings.map(\.description))")
        #expect(second.findings.contains { $0.message.contains("记录号在数据库中不存在") })
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM history WHERE table_name = 'followup'") } == 1)
    }
}
