import Foundation
import GRDB
import Ingest
import Ledgers
import Standards
import Store
import Testing

@Suite struct FitnessLedgerTests {
    let term = Term("2025-2026-1")!
    static let roster = "学籍号,姓名,性别,出生日期,学校,年级,班级\nG001,王堃,男,2019-03-04,实验小学,一年级,1班\nG002,陈镕,女,2019-05-06,实验小学,一年级,1班\nG003,张喆,男,2019-05-06,实验小学,一年级,1班\nG004,李免,女,2019-05-06,实验小学,一年级,1班\n"
    /// G001 优秀 (90.40); G002 不及格 and obese; G003 incomplete; G004 免测.
    static let results = """
        年级编号,班级编号,班级名称,学籍号,民族代码,姓名,性别,出生日期,身高,体重,肺活量,50米跑,坐位体前屈,一分钟跳绳
        11,1101,1班,G001,1,王堃,1,2019/3/4,120.0,22.0,1250,10.9,12.5,115
        11,1101,1班,G002,1,陈镕,2,2019/5/6,115,30,520,13.5,-2.0,10
        11,1101,1班,G003,1,张喆,1,2019/5/6,118,21,1000,,14.0,100
        11,1101,1班,G004,1,李免,2,2019/5/6,免体,,,,,

        """

    func database() throws -> (JianceDatabase, URL) {
        let folder = try temporaryFolder()
        let database = try JianceDatabase(path: folder.appendingPathComponent("t.sqlite").path)
        try Data(Self.roster.utf8).write(to: folder.appendingPathComponent("r.csv"))
        try Data(Self.results.utf8).write(to: folder.appendingPathComponent("f.csv"))
        _ = try RosterImporter(database: database).importFile(folder.appendingPathComponent("r.csv"), term: term)
        let outcome = try FitnessImporter(database: database, scorer: FitnessScorer.bundled()).importFile(folder.appendingPathComponent("f.csv"), term: term)
        #expect(outcome.counts.accepted == 4)
        return (database, folder)
    }

    func rows(_ url: URL, _ sheet: String) throws -> [RawRow] {
        var rows: [RawRow] = []
        try openTables(at: url, sheet: sheet)[0].forEachRow { rows.append($0); return true }
        return rows
    }

    @Test func schoolLedgerFitnessSheetsReadBack() throws {
        let (database, folder) = try database()
        let files = try LedgerExporter(database: database, personalData: .named).exportSchoolLedgers(term: term, to: folder.appendingPathComponent("out"))
        let url = try #require(files.first)

        let details = try rows(url, "体质成绩明细")
        let header = details[2].cells
        let g001 = try #require(details.first { $0[1] == "G001" })
        func value(_ row: RawRow, _ column: String) -> String { row[header.firstIndex(of: column) ?? 999] }
        #expect(value(g001, "学年总分") == "90.4", "\(header) \(g001.cells)")
        #expect(value(g001, "等级") == "优秀" && value(g001, "BMI") == "15.3")
        #expect(value(g001, "肺活量得分") == "78" && value(g001, "1分钟跳绳得分") == "100" && value(g001, "附加分") == "3")
        let g003 = try #require(details.first { $0[1] == "G003" })
        #expect(value(g003, "状态") == "测试不完整" && value(g003, "学年总分") == "")
        #expect(details.first { $0[1] == "G004" }.map { value($0, "状态") } == "免测")

        let overview = try rows(url, "体质概览")
        let school = try #require(overview.first { $0[0] == "全校" })
        #expect(Array(school.cells[1...8]) == ["4", "2", "1", "1", "1", "0", "0", "1"]) // 在籍 测试 免测 不完整 优秀 良好 及格 不及格
        #expect(school[10] == "0.5") // 优良率 1/2

        let failing = try rows(url, "不及格学生台账")
        #expect(failing.filter { $0[2] == "G002" }.count == 1)
        #expect(failing[2].cells.prefix(3) == ["记录号", "序号", "学籍号"])
        #expect(failing.count == 4) // title, note, header, one student
        let obese = try rows(url, "肥胖学生台账")
        #expect(obese.contains { $0[2] == "G002" && $0[9] == "22.7" })

        // Failing scores are highlighted; the chart points at the grade rows of the overview.
        let detailsXML = try part("xl/worksheets/sheet4.xml", of: url)
        #expect(detailsXML.contains("operator=\"lessThan\"") && detailsXML.contains("<formula>60</formula>"))
        let chart = try part("xl/charts/chart1.xml", of: url)
        #expect(chart.contains("<c:f>'体质概览'!$A$4:$A$4</c:f>"))
        #expect(chart.contains("<c:f>'体质概览'!$K$4:$K$4</c:f>") && chart.contains("<c:f>'体质概览'!$L$4:$L$4</c:f>"))
        // Follow-up sheet: protected, fill-in cells unlocked, dropdown from the hidden 字典.
        let failingXML = try part("xl/worksheets/sheet5.xml", of: url)
        #expect(failingXML.contains("<sheetProtection") && failingXML.contains("字典!$A$2:$A$7"))
        let styles = try part("xl/styles.xml", of: url)
        #expect(styles.contains("locked=\"0\""))
    }

    @Test func countyWorkbookHasEveryRateAndTarget() throws {
        let (database, folder) = try database()
        let url = try LedgerExporter(database: database).exportCounty(term: term, to: folder, today: "2025-10-20")
        let county = try rows(url, "体质健康")
        let all = try #require(county.first { $0[1] == "全县" })
        #expect(Array(all.cells[6...8]) == ["2", "1", "1"], "\(all.cells)")
        #expect(all[11] == "0.55" && all[12] == "未达标" && all[14] == "0.98")
        #expect(county.contains { $0[0] == "1" && $0[1] == "实验小学" })
    }

    /// The upload file read back by the import reader and scored gives the stored scores.
    @Test func uploadExportRoundTrip() throws {
        let (database, folder) = try database()
        let url = try LedgerExporter(database: database).exportUpload(term: term, school: "实验小学", to: folder)
        #expect((try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try AuditLog.entries(database).contains { $0.action == "export-named-upload" })
        let header = try rows(url, "Sheet1")[0].cells
        #expect(header.count == 22 && header[0] == "年级编号" && header[21] == "引体向上（男）")
        let stored = try FitnessQueries(database: database).results(term: term)
        let scorer = try FitnessScorer.bundled()
        var readBack: [String: FitnessScore] = [:]
        let summary = try FitnessReader(term: term).read(url) { record in readBack[record.student.studentNo ?? ""] = scorer.score(record.input) }
        #expect(summary.rowsRejected == 0)
        #expect(readBack.count == stored.count)
        for row in stored {
            let score = try #require(readBack[row.studentNo ?? ""])
            #expect(score.status == row.observation.status)
            #expect(score.totalHundredths == row.observation.totalHundredths)
            #expect(score.bmi == row.bmi)
        }
    }
}
