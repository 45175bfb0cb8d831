import Foundation
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

/// The county self-assessment workbook and the resources template, read back as a user would.
@Suite struct AssessmentWorkbookTests {
    let term = Term("2025-2026-1")!

    /// Every row of a sheet, padded to 30 cells so that short title rows can be indexed too.
    func rows(_ url: URL, _ sheet: String) throws -> [[String]] {
        var rows: [[String]] = []
        try openTables(at: url, sheet: sheet)[0].forEachRow {
            rows.append($0.cells + Array(repeating: "", count: max(0, 30 - $0.cells.count)))
            return true
        }
        return rows
    }

    @Test func templateFilledInAndImportedGivesTheWorkbookFigures() throws {
        let folder = try temporaryFolder()
        let database = try JianceDatabase(path: folder.appendingPathComponent("t.sqlite").path)
        try Data("学校名称,学段\n青山学校,九年一贯制\n实验小学,小学\n".utf8).write(to: folder.appendingPathComponent("list.csv"))
        _ = try RosterImporter(database: database).importFile(folder.appendingPathComponent("list.csv"), term: term)

        // The template lists the schools, two rows for the 九年一贯制 school.
        let template = folder.appendingPathComponent("模板.xlsx")
        try ImportTemplate.resources.write(to: template, schools: try database.schools())
        let templateRows = try rows(template, "办学条件")
        #expect(Array(templateRows[2].prefix(ResourceTemplate.columns.count)) == ResourceTemplate.columns)
        #expect(
            templateRows.dropFirst(3).map { $0.prefix(3).filter { !$0.isEmpty } } == [
                ["实验小学", "小学"], ["青山学校", "小学"], ["青山学校", "初中"],
            ])

        // A school clerk fills it (written here as the CSV Excel would save), the bureau imports it.
        let filled = """
            \(ResourceTemplate.columns.joined(separator: ","))
            青山学校,,小学,,400,17,4,4,1800,3000,800000,10,10,45,
            青山学校,,初中,,200,11,2,2,1160,2040,500000,5,5,48,
            实验小学,,小学,,1000,42,10,9,4500,7500,2000000,23,23,46,

            """
        try Data(filled.utf8).write(to: folder.appendingPathComponent("filled.csv"))
        let outcome = try ResourceImporter(database: database).importFile(
            folder.appendingPathComponent("filled.csv"), year: 2025)
        #expect(outcome.counts.accepted == 3 && outcome.findings.isEmpty, "\(outcome.findings)")

        let url = try ExportService(database: database).exportCounty(term: term, to: folder, today: "2025-10-20")
        #expect(url.lastPathComponent == "县级汇总与自评_2025-2026-1.xlsx")
        let summary = try rows(url, "自评汇总")
        #expect(summary[0][0].contains("自评汇总"))
        #expect(Array(summary[2].prefix(6)) == ["维度", "指标", "实际值", "标准", "是否达标", "数据来源"])
        let cv = try #require(summary.first { $0[1] == "差异系数：每百名学生拥有高于规定学历教师数（小学）" })
        // 青山 4.25 and 实验 4.2 per 100, weights 400 and 1000.
        let expected = try #require(CoefficientOfVariation(values: [4.25, 4.2], weights: [400, 1000]))
        #expect(cv[2] == expected.text && cv[4] == "达标")
        #expect(summary.contains { $0[1] == "班额（小学）" && $0[4] == "未达标" })  // 46 > 45
        #expect(summary.contains { $0[1] == "学业水平与校际差异率" && $0[2] == "未导入" && $0[4] == "无数据" })
        let resources = try rows(url, "资源配置")
        let qingshanJunior = try #require(resources.first { $0.first == "青山学校" && $0[2] == "初中" })
        #expect(qingshanJunior[3] == "200")
        #expect(qingshanJunior[4] == "5.5")  // 11 teachers per 200 students
        #expect(resources.contains { $0.first == "县域差异系数（按在校生加权，总体标准差）" })
    }

    @Test func workbookHasTheAcademicSheetWithLabelledEstimates() throws {
        let folder = try temporaryFolder()
        let database = try JianceDatabase(path: folder.appendingPathComponent("t.sqlite").path)
        let exam = "学籍号,姓名,学校名称,年级,语文\nA1,甲,A校,四年级,90\nA2,乙,A校,四年级,80\nB1,丙,B校,四年级,70\nB2,丁,B校,四年级,60\n"
        try Data(exam.utf8).write(to: folder.appendingPathComponent("exam.csv"))
        _ = try AcademicImporter(database: database).importFile(
            folder.appendingPathComponent("exam.csv"), term: term, exam: "期中")
        let url = try ExportService(database: database).exportCounty(term: term, to: folder, today: "2025-10-20")
        let sheet = try rows(url, "学业质量")
        let line = try #require(sheet.first { $0.first == "四年级" && $0[1] == "语文" })
        #expect(line[3] == "4")
        #expect(line[19].hasSuffix("（预估）"))
        #expect(line[21] == "本地考试（预估）")
        #expect(sheet.contains { $0.count > 2 && $0[2] == "A校" })
        // No personal data: no student name anywhere in the workbook.
        for name in ["自评汇总", "学业质量"] { #expect(try rows(url, name).allSatisfy { !$0.contains("甲") }) }
    }
}
