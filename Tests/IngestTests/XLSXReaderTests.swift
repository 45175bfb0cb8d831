import Foundation
import Ingest
import Ledgers
import Standards
import TestSupport
import Testing
import ZIPFoundation

@Suite struct XLSXReaderTests {
    /// Writes 12,000 rows with Ledgers and reads them back with Ingest.
    @Test(arguments: [false, true])
    func roundTripThroughLedgersWriter(constantMemory: Bool) throws {
        let url = try temporaryFolder().appendingPathComponent("roundtrip.xlsx")
        let workbook = try XlsxWorkbook(path: url.path, constantMemory: constantMemory)
        let sheet = try workbook.addSheet("成绩")
        try sheet.writeRow(0, [.text("姓名"), .text("身高"), .text("出生日期"), .text("备注"), .text("公式样")])
        let names = ["王堃", "陈镕", "张喆", "欧阳娜娜", "李𠮷"]
        for index in 1...12_000 {
            try sheet.writeRow(
                index,
                [
                    .text(names[index % names.count] + String(index)),
                    .number(100 + Double(index % 900) / 10),
                    .date(year: 2010 + index % 10, month: 1 + index % 12, day: 1 + index % 28),
                    index % 3 == 0 ? .blank : .text("第\(index)行 & <注> \"引号\""),
                    .text(index % 2 == 0 ? "=SUM(A1:A2)" : "@cmd"),
                ])
        }
        try workbook.close()

        let (rows, findings) = try readAllRows(url)
        #expect(findings.isEmpty)
        #expect(rows.count == 12_001)
        #expect(rows[0].cells == ["姓名", "身高", "出生日期", "备注", "公式样"])
        for index in [1, 2, 3, 999, 5_000, 12_000] {
            let row = rows[index]
            #expect(row.number == index + 1)
            #expect(row[0] == names[index % names.count] + String(index))
            #expect(Double(row[1]) == 100 + Double(index % 900) / 10)
            let month = 1 + index % 12
            let day = 1 + index % 28
            #expect(row[2] == "\(2010 + index % 10)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)")
            #expect(row[3] == (index % 3 == 0 ? "" : "第\(index)行 & <注> \"引号\""))
            #expect(row[4] == (index % 2 == 0 ? "=SUM(A1:A2)" : "@cmd"))
        }
    }

    @Test func handWrittenWorkbookWithoutCellReferencesRichTextAndPrefixes() throws {
        let url = try temporaryFolder().appendingPathComponent("hand.xlsx")
        try writeWorkbook(
            url,
            sheet: """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>
                <x:row r="2"><x:c t="s"><x:v>0</x:v></x:c><x:c t="s"><x:v>1</x:v></x:c><x:c t="inlineStr"><x:is><x:t>内联&amp;文本</x:t></x:is></x:c></x:row>
                <x:row><x:c r="B3" s="1"><x:v>45000</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c></x:row>
                <x:row r="6"><x:c r="D6" s="2"><x:v>0.5</x:v></x:c><x:c r="E6"><x:v>90.400000000000006</x:v></x:c><x:c r="F6"><x:v>1.0000000000000000</x:v></x:c></x:row>
                </x:sheetData></x:worksheet>
                """,
            sharedStrings: """
                <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">
                <si><r><rPr><b/></rPr><t>王</t></r><r><t xml:space="preserve">堃 </t></r><rPh sb="0" eb="1"><t>ワン</t></rPh></si>
                <si><t>行1_x000D_行2</t></si></sst>
                """,
            styles: """
                <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
                <numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>
                <cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="176"/><xf numFmtId="21"/></cellXfs></styleSheet>
                """)
        let (rows, findings) = try readAllRows(url)
        #expect(findings.isEmpty)
        #expect(rows.map(\.number) == [2, 3, 6])
        #expect(rows[0].cells == ["王堃 ", "行1\r行2", "内联&文本"])
        #expect(rows[1].cells == ["", "2023-03-15", "TRUE", "#N/A"])
        #expect(rows[2].cells == ["", "", "", "12:00:00", "90.4", "1"])
    }

    /// Formula cells a program saved without their result read as blank, with one warning for the
    /// sheet naming the first and how many; a formula with its result (even an empty text) reads
    /// as that result, without a warning.
    @Test func formulasWithoutASavedResultAreNamed() throws {
        let url = try temporaryFolder().appendingPathComponent("formulas.xlsx")
        try writeWorkbook(
            url,
            sheet: """
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
                <row r="1"><c r="A1"><f>1+1</f><v>2</v></c><c r="B1" t="str"><f>""</f><v></v></c><c r="C1"><f>11*2</f></c></row>
                <row r="2"><c r="A2"><v>5</v></c><c r="B2"><f>10+0.5</f></c></row>
                </sheetData></worksheet>
                """)
        let (rows, findings) = try readAllRows(url)
        #expect(rows.map(\.cells) == [["2"], ["5"]])  // blank cells at the end of a row are not kept
        #expect(rows.map(\.formulaColumns) == [[0, 1, 2], [1]])
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.severity == .warning && finding.row == 1 && finding.column == "C")
        #expect(finding.message.hasPrefix("C1 等 2 个单元格是公式，但文件中没有保存计算结果"), "\(finding.message)")
    }

    /// Cells written out of column order, and one column written twice (hand-made XML): each
    /// cell lands in its own column, the later value of a column wins.
    @Test func cellsOutOfColumnOrder() throws {
        let url = try temporaryFolder().appendingPathComponent("order.xlsx")
        try writeWorkbook(
            url,
            sheet: """
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
                <row r="1"><c r="C1"><v>3</v></c><c r="A1" t="inlineStr"><is><t>王堃</t></is></c><c r="B1"><v>2</v></c><c r="C1"><v>30</v></c></row>
                </sheetData></worksheet>
                """)
        let (rows, findings) = try readAllRows(url)
        #expect(findings.isEmpty)
        #expect(rows.map(\.cells) == [["王堃", "2", "30"]])
    }

    @Test func epoch1904() throws {
        let url = try temporaryFolder().appendingPathComponent("1904.xlsx")
        try writeWorkbook(
            url,
            sheet: """
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
                <row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>1</v></c></row></sheetData></worksheet>
                """,
            styles: """
                <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>
                """, date1904: true)
        let (rows, _) = try readAllRows(url)
        #expect(rows[0].cells == ["1904-01-01", "1904-01-02"])
    }

    @Test func sharedStringIndexOutOfRangeIsAFinding() throws {
        let url = try temporaryFolder().appendingPathComponent("badsst.xlsx")
        try writeWorkbook(
            url,
            sheet: """
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
                <row r="1"><c r="A1" t="s"><v>7</v></c></row></sheetData></worksheet>
                """, sharedStrings: "<sst><si><t>only</t></si></sst>")
        let (rows, findings) = try readAllRows(url)
        #expect(rows.count == 1)
        #expect(
            findings.contains {
                $0.severity == .error && $0.row == 1 && $0.column == "A" && $0.message.contains("共享字符串")
            })
    }

    @Test func notAZipIsAFileError() throws {
        let url = try temporaryFolder().appendingPathComponent("fake.xlsx")
        try Data("学籍号,姓名\n".utf8).write(to: url)
        let error = #expect(throws: FileReadError.self) { try readAllRows(url) }
        #expect(error?.reason.contains("zip") == true)
    }

    @Test func truncatedWorkbookIsAFileError() throws {
        let folder = try temporaryFolder()
        let good = folder.appendingPathComponent("good.xlsx")
        let workbook = try XlsxWorkbook(path: good.path)
        let sheet = try workbook.addSheet("表")
        for row in 0..<2000 { try sheet.writeRow(row, [.text("学生\(row)"), .number(Double(row))]) }
        try workbook.close()
        let data = try Data(contentsOf: good)
        let cut = folder.appendingPathComponent("cut.xlsx")
        try data.prefix(data.count / 2).write(to: cut)
        #expect(throws: FileReadError.self) { try readAllRows(cut) }
    }

    @Test func zipWithoutWorkbookIsAFileError() throws {
        let url = try temporaryFolder().appendingPathComponent("nowb.xlsx")
        let archive = try Archive(url: url, accessMode: .create)
        let payload = Data("hello".utf8)
        try archive.addEntry(with: "readme.txt", type: .file, uncompressedSize: Int64(payload.count)) {
            position, size in
            payload.subdata(in: Int(position)..<Int(position) + size)
        }
        let error = #expect(throws: FileReadError.self) { try readAllRows(url) }
        #expect(error?.reason.contains("xl/workbook.xml") == true)
    }

    @Test func sheetXMLCutInHalfIsAFileError() throws {
        let url = try temporaryFolder().appendingPathComponent("half.xlsx")
        try writeWorkbook(
            url,
            sheet: """
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
                <row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c></row><row r="2"><c r="A2" t="inlineStr
                """)
        #expect(throws: FileReadError.self) { try readAllRows(url) }
    }

    @Test func namedSheetAndMissingSheet() throws {
        let url = try temporaryFolder().appendingPathComponent("two.xlsx")
        let workbook = try XlsxWorkbook(path: url.path)
        try workbook.addSheet("学校").write(0, 0, .text("学校"))
        try workbook.addSheet("学生").write(0, 0, .text("学生"))
        try workbook.close()
        #expect(try readAllRows(url, sheet: "学生").rows[0].cells == ["学生"])
        #expect(throws: FileReadError.self) { try readAllRows(url, sheet: "教师") }
        #expect(try openTables(at: url).map(\.sheetName) == ["学校", "学生"])
    }
}

/// Builds a minimal .xlsx by hand, to test what other writers produce.
func writeWorkbook(
    _ url: URL, sheet: String, sharedStrings: String? = nil, styles: String? = nil, date1904: Bool = false
) throws {
    let archive = try Archive(url: url, accessMode: .create)
    var parts: [(String, String)] = [
        ("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
        (
            "xl/workbook.xml",
            """
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
            <workbookPr\(date1904 ? " date1904=\"1\"" : "")/><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>
            """
        ),
        (
            "xl/_rels/workbook.xml.rels",
            """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
            <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>
            <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
            </Relationships>
            """
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ]
    if let sharedStrings { parts.append(("xl/sharedStrings.xml", sharedStrings)) }
    if let styles { parts.append(("xl/styles.xml", styles)) }
    for (path, text) in parts {
        let data = Data(text.utf8)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate)
        { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }
}
