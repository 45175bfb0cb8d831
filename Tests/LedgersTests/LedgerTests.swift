import Foundation
import Imports
import Ingest
import Ledgers
import Services
import Standards
import Store
import TestSupport
import Testing
import ZIPFoundation

/// The text of one part of an .xlsx file.
func part(_ path: String, of url: URL) throws -> String {
    let archive = try Archive(url: url, accessMode: .read)
    let entry = try #require(archive[path])
    var data = Data()
    _ = try archive.extract(entry) { data.append($0) }
    return String(decoding: data, as: UTF8.self)
}

/// Every XML part of an .xlsx file (relationships included), by path: for words that must or
/// must not be printed anywhere, and for how parts refer to each other.
func parts(of url: URL) throws -> [String: String] {
    let archive = try Archive(url: url, accessMode: .read)
    var parts: [String: String] = [:]
    for entry in archive where entry.path.hasSuffix(".xml") || entry.path.hasSuffix(".rels") {
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        parts[entry.path] = String(decoding: data, as: UTF8.self)
    }
    return parts
}

/// A PHQ-9 screening of one student (`学籍号,姓名,Q1…Q9`): psychological data that the workbooks
/// teachers and families read must never print.
func importPHQ9(_ row: String, database: JianceDatabase, folder: URL, term: Term) throws {
    try Data("学籍号,姓名,Q1,Q2,Q3,Q4,Q5,Q6,Q7,Q8,Q9\n\(row)\n".utf8).write(to: folder.appendingPathComponent("phq.csv"))
    let psych = try PsychImporter(database: database).importFile(
        folder.appendingPathComponent("phq.csv"), term: term, scale: PsychScale.named("phq9"), screenedOn: "2025-10-15")
    #expect(psych.counts.accepted == 1)
}

@Suite struct XlsxWriterTests {
    @Test func formulaLikeTextIsNeverAFormula() throws {
        let url = try temporaryFolder().appendingPathComponent("safe.xlsx")
        let workbook = try XlsxWorkbook(path: url.path)
        let sheet = try workbook.addSheet("表")
        let dangerous = ["=1+1", "+1", "-1+2", "@SUM(A1)", "=HYPERLINK(\"http://x\")"]
        for (row, text) in dangerous.enumerated() { try sheet.write(row, 0, .text(text)) }
        try workbook.close()
        let xml = try part("xl/worksheets/sheet1.xml", of: url)
        #expect(!xml.contains("<f>"))
        let table = try openTables(at: url)[0]
        var values: [String] = []
        try table.forEachRow {
            values.append($0[0])
            return true
        }
        #expect(values == dangerous)
    }

    @Test func dropdownOverLongCJKListPointsAtHiddenDictionarySheet() throws {
        let url = try temporaryFolder().appendingPathComponent("dropdown.xlsx")
        let workbook = try XlsxWorkbook(path: url.path)
        let sheet = try workbook.addSheet("台账")
        // 30 items of 12 CJK characters: far over libxlsxwriter's 255-byte inline limit.
        let items = (1...30).map { "第\($0)项干预措施：家校沟通与随访" }
        try sheet.dropdown(column: 2, firstRow: 1, lastRow: 100, listName: "干预措施", items: items)
        try sheet.write(1, 2, .blank, style: .fillIn)
        sheet.protect()
        try workbook.close()
        let xml = try part("xl/worksheets/sheet1.xml", of: url)
        #expect(xml.contains("<formula1>字典!$A$2:$A$31</formula1>"))
        #expect(xml.contains("<sheetProtection"))
        let workbookXML = try part("xl/workbook.xml", of: url)
        #expect(workbookXML.contains("name=\"字典\"") && workbookXML.contains("state=\"hidden\""))
        var dictionary: [String] = []
        try openTables(at: url, sheet: "字典")[0].forEachRow {
            dictionary.append($0[0])
            return true
        }
        #expect(Array(dictionary.dropFirst()) == items)
    }

    @Test func printSetupFreezeAndFilter() throws {
        let url = try temporaryFolder().appendingPathComponent("print.xlsx")
        let workbook = try XlsxWorkbook(path: url.path)
        let sheet = try workbook.addSheet("名册")
        try sheet.writeRow(0, [.text("学籍号"), .text("姓名")], style: .header)
        try sheet.writeRow(1, [.text("G1"), .text("王堃")])
        sheet.freeze(row: 1)
        try sheet.autofilter(headerRow: 0, lastRow: 1, lastColumn: 1)
        try sheet.printSetup(headerRow: 0, title: "测试")
        try workbook.close()
        let xml = try part("xl/worksheets/sheet1.xml", of: url)
        #expect(xml.contains("<pane ySplit=\"1\""))
        #expect(xml.contains("<autoFilter ref=\"A1:B2\""))
        #expect(xml.contains("orientation=\"landscape\"") && xml.contains("paperSize=\"9\""))
        #expect(xml.contains("fitToPage=\"1\"") && xml.contains("fitToHeight=\"0\""))
        #expect(xml.contains("第 &amp;P 页"))
        let workbookXML = try part("xl/workbook.xml", of: url)
        #expect(workbookXML.contains("_xlnm.Print_Titles"))
    }

    @Test func libxlsxwriterErrorsAreThrown() throws {
        let url = try temporaryFolder().appendingPathComponent("errors.xlsx")
        let workbook = try XlsxWorkbook(path: url.path)
        #expect(throws: XlsxError.self) { try workbook.addSheet("bad[name]") }
        let sheet = try workbook.addSheet("ok")
        #expect(throws: XlsxError.self) { try sheet.write(2_000_000, 0, .text("too far")) }
        try workbook.close()
    }

    @Test func cjkCountsDoubleWidth() {
        #expect(XlsxSheet.displayWidth("abc") == 3)
        #expect(XlsxSheet.displayWidth("王堃") == 4)
        #expect(XlsxSheet.displayWidth("１２") == 4)
        #expect(XlsxSheet.displayWidth("长行\n短") == 4)
    }
}

@Suite struct RosterLedgerTests {
    func database(with csv: String) throws -> JianceDatabase {
        let folder = try temporaryFolder()
        let database = try JianceDatabase(path: folder.appendingPathComponent("t.sqlite").path)
        let url = folder.appendingPathComponent("r.csv")
        try Data(csv.utf8).write(to: url)
        _ = try RosterImporter(database: database).importFile(url, term: Term("2025-2026-1")!)
        return database
    }

    let csv =
        "学籍号,姓名,性别,出生日期,学校,年级,班级\nG370102201503040012,王小明,男,2019-03-04,实验小学,一年级,1班\nG370102201503040013,陈镕,女,2019-05-06,实验小学,一年级,2班\n"

    @Test func maskedByDefault() throws {
        let database = try database(with: csv)
        let out = try temporaryFolder()
        let files = try ExportService(database: database).exportSchoolLedgers(term: Term("2025-2026-1")!, to: out)
        #expect(files.map(\.lastPathComponent) == ["学校台账_实验小学_2025-2026-1.xlsx"])
        var rows: [RawRow] = []
        try openTables(at: files[0], sheet: "学生名册")[0].forEachRow {
            rows.append($0)
            return true
        }
        #expect(rows[2].cells == ["序号", "学籍号", "姓名", "性别", "出生日期", "民族", "年级", "班级"])
        #expect(rows[3].cells == ["1", "G3701**********0012", "王*明", "男", "2019-03"] + ["", "一年级", "1班"])
        #expect(try AuditLog.entries(database).allSatisfy { !$0.action.hasPrefix("export") })
        var counts: [RawRow] = []
        try openTables(at: files[0], sheet: "班级人数")[0].forEachRow {
            counts.append($0)
            return true
        }
        #expect(counts.last?.cells == ["合计", "", "1", "1", "2"])
    }

    @Test func namedExportIsOwnerOnlyAndAudited() throws {
        let database = try database(with: csv)
        let out = try temporaryFolder()
        let files = try ExportService(database: database, personalData: .named).exportSchoolLedgers(
            term: Term("2025-2026-1")!, to: out)
        let mode = try FileManager.default.attributesOfItem(atPath: files[0].path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
        var rows: [RawRow] = []
        try openTables(at: files[0], sheet: "学生名册")[0].forEachRow {
            rows.append($0)
            return true
        }
        #expect(rows[3].cells.prefix(5) == ["1", "G370102201503040012", "王小明", "男", "2019-03-04"])
        let audit = try AuditLog.entries(database).filter { $0.action == "export-named-ledger" }
        #expect(audit.count == 1 && audit[0].target == files[0].lastPathComponent)
        // The named copy has its own name: a masked export into the same folder keeps both.
        let masked = try ExportService(database: database).exportSchoolLedgers(term: Term("2025-2026-1")!, to: out)
        #expect(files.map(\.lastPathComponent) == ["学校台账_实验小学_2025-2026-1_未脱敏.xlsx"])
        #expect(
            Set(try FileManager.default.contentsOfDirectory(atPath: out.path))
                == Set((files + masked).map(\.lastPathComponent)))
    }
}
