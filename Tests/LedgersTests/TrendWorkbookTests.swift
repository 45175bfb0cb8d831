import Foundation
import Imports
import Indicators
import Ingest
import Ledgers
import Services
import Standards
import Store
import TestSupport
import Testing

/// The trend workbook read back: values by term, and charts whose series reference the right cells.
@Suite struct TrendWorkbookTests {
    static let header =
        "年级编号,班级编号,班级名称,学籍号,民族代码,姓名,性别,出生日期,家庭住址,右眼裸眼视力,左眼裸眼视力,右眼屈光球镜S,右眼屈光柱镜C,右眼屈光轴位A,左眼屈光球镜S,左眼屈光柱镜C,左眼屈光轴位A,是否为角膜塑形镜（OK镜）佩戴者\n"
    let terms = [Term("2023-2024-1")!, Term("2024-2025-1")!, Term("2025-2026-1")!]

    /// One school of four students; myopic: 1, 2, then 2 of 4 (25 %, 50 %, 50 %).
    func database() throws -> (JianceDatabase, URL) {
        let folder = try temporaryFolder()
        let database = try JianceDatabase(path: folder.appendingPathComponent("t.sqlite").path)
        let roster =
            "学籍号,姓名,性别,出生日期,学校,年级,班级\n"
            + (1...4).map { "G\($0),学生\($0),男,2015-03-04,实验小学,四年级,1班" }.joined(separator: "\n") + "\n"
        for (index, term) in terms.enumerated() {
            try Data(roster.utf8).write(to: folder.appendingPathComponent("r.csv"))
            _ = try RosterImporter(database: database).importFile(folder.appendingPathComponent("r.csv"), term: term)
            let myopic = min(index + 1, 2)
            let rows = (1...4).map { id in
                id <= myopic
                    ? "14,1401,1班,G\(id),1,学生\(id),1,2015/3/4,,4.8,4.8,-1.50,0,,-1.50,0,,否"
                    : "14,1401,1班,G\(id),1,学生\(id),1,2015/3/4,,5.0,5.0,0,0,,0,0,,否"
            }
            try Data((Self.header + rows.joined(separator: "\n") + "\n").utf8).write(
                to: folder.appendingPathComponent("v-\(term).csv"))
            _ = try VisionImporter(database: database).importFile(
                folder.appendingPathComponent("v-\(term).csv"), term: term)
        }
        return (database, folder)
    }

    func rows(_ url: URL, _ sheet: String) throws -> [[String]] {
        var rows: [[String]] = []
        try openTables(at: url, sheet: sheet)[0].forEachRow {
            rows.append($0.cells + Array(repeating: "", count: max(0, 12 - $0.cells.count)))
            return true
        }
        return rows
    }

    @Test func valuesAndChartReferences() throws {
        let (database, folder) = try database()
        let url = try ExportService(database: database).exportTrend(folder: folder)
        #expect(url.lastPathComponent == "趋势_2023-2024-1_至_2025-2026-1.xlsx")
        let sheets = try openTables(at: url).compactMap(\.sheetName)
        #expect(sheets == ["全县", "视力", "队列", "需关注学校"])

        let county = try rows(url, "全县")
        #expect(Array(county[2].prefix(4)) == ["指标", "2023-2024-1", "2024-2025-1", "2025-2026-1"])
        let myopiaIndex = try #require(county.firstIndex { $0[0] == "近视率" })
        #expect(Array(county[myopiaIndex][1...3]) == ["0.25", "0.5", "0.5"])
        #expect(county[myopiaIndex][5] == "未达标")
        let targetIndex = try #require(county.firstIndex { $0[0].contains("目标：近视率") })
        // −0.5 pp a year from the first screening
        #expect(Array(county[targetIndex][1...3]) == ["0.25", "0.245", "0.24"])

        // The first chart of the workbook is the county's vision chart: categories are the term
        // headers (row 3), the first series is the 近视率 row, the second its dashed target row.
        let chart = try part("xl/charts/chart1.xml", of: url)
        let formulas = chart.components(separatedBy: "<c:f>").dropFirst().map {
            $0.components(separatedBy: "</c:f>")[0]
        }
        #expect(formulas.contains("'全县'!$B$3:$D$3"))
        let valueFormulas = formulas.filter { $0 != "'全县'!$B$3:$D$3" }
        #expect(valueFormulas.first == "'全县'!$B$\(myopiaIndex + 1):$D$\(myopiaIndex + 1)")
        #expect(valueFormulas.dropFirst().first == "'全县'!$B$\(targetIndex + 1):$D$\(targetIndex + 1)")
        #expect(chart.contains("<c:lineChart>") && chart.contains("prstDash"))

        let family = try rows(url, "视力")
        #expect(family.contains { $0[0] == "实验小学" && $0[1] == "0.25" && $0[3] == "0.5" })
        let cohort = try rows(url, "队列")
        #expect(cohort.contains { $0[0] == "新发近视率" && $0[1] == "0" })  // the 2 of 2025 were the 2 of 2024
    }

    @Test func schoolLedgerGainsATrendSheet() throws {
        let (database, folder) = try database()
        let files = try ExportService(database: database).exportSchoolLedgers(term: terms[2], to: folder)
        let ledger = try #require(files.first)
        let sheet = try rows(ledger, "趋势")
        #expect(sheet.contains { $0[0] == "近视率" && $0[1] == "0.25" && $0[3] == "0.5" })
        #expect(sheet.contains { $0[0].contains("全县近视率") })
        let lastYearOnly = try ExportService(database: database).exportSchoolLedgers(
            term: terms[0], to: folder.appendingPathComponent("first"))
        #expect(try !openTables(at: lastYearOnly[0]).compactMap(\.sheetName).contains("趋势"))  // one term: no trend yet
    }
}
