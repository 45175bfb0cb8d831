import Foundation
import Ingest
import TestSupport
import Testing

@testable import Ledgers

/// A sheet's columns declared once: the header row, the widths, the editable cells, the filter and
/// the dropdowns all take their column from the declaration, wherever the table starts.
@Suite struct SheetColumnsTests {
    enum Key: Hashable { case id, name, answer, note }

    static let columns = SheetColumns<Key>([
        .init(.id, "编号"), .init(.name, "姓名", width: 20), .init(.answer, "答复", style: .fillIn, editable: true),
        .init(.note, "备注", editable: true),
    ])

    @Test func placesColumnsInDeclarationOrder() {
        #expect(Self.columns.headers == ["编号", "姓名", "答复", "备注"])
        #expect(Self.columns.index(.answer) == 2)
        #expect(Self.columns.columns.map(\.editable) == [false, false, true, true])
        #expect(Self.columns.titleSpan() == 4)
        #expect(Self.columns.titleSpan(atMost: 3) == 3)
    }

    @Test func writesTheSheetByKey() throws {
        let url = try temporaryFolder().appendingPathComponent("表.xlsx")
        let workbook = try XlsxWorkbook(path: url.path)
        let sheet = try workbook.addSheet("表")
        // From column B: every column the table resolves moves with it.
        let table = try Self.columns.table(on: sheet, headerRow: 1, from: 1)
        #expect(table.column(.id) == 1)
        #expect(table.lastColumn == 4)
        #expect(table.columnBeside == 6)
        try table.write(table.firstRow, [.number(1), .text("张三"), .blank, .text("无")])
        try table.write(table.firstRow + 1, .answer, .text("是"))
        try table.dropdown(.answer, lastRow: 3, listName: "答复", items: ["是", "否"])
        try table.autofilter(lastRow: 3)
        table.freeze(through: .name)
        sheet.protect()
        try workbook.close()

        let rows = try sheetRows(url, "表")
        #expect(rows.map(\.cells).contains(["", "编号", "姓名", "答复", "备注"]))
        let xml = try part("xl/worksheets/sheet1.xml", of: url)
        #expect(xml.contains(#"<autoFilter ref="B2:E4"/>"#))
        #expect(xml.contains(#"sqref="D3:D4""#))
        #expect(xml.contains(#"<pane xSplit="3" ySplit="2""#))
        #expect(xml.contains(#"<col min="3" max="3" width="20"#))
        // The editable columns' cells are unlocked; the others stay locked under protection.
        let formats = cellXfs(try part("xl/styles.xml", of: url))
        func unlocked(_ cell: String) throws -> Bool {
            let pattern = try Regex(#"<c r=""# + cell + #"" s="(\d+)""#)
            let match = try #require(xml.firstMatch(of: pattern))
            let digits = try #require(match.output[1].substring)
            let index = try #require(Int(digits))
            return formats[index].contains(#"locked="0""#)
        }
        #expect(try !unlocked("B3"))
        #expect(try !unlocked("C3"))
        #expect(try unlocked("D3"))
        #expect(try unlocked("E3"))
        #expect(try unlocked("D4"))
    }

    /// The cell formats of a workbook's styles, by index.
    private func cellXfs(_ styles: String) -> [String] {
        guard let range = styles.range(of: #"<cellXfs[^>]*>.*?</cellXfs>"#, options: .regularExpression) else {
            return []
        }
        return String(styles[range]).matches(of: /<xf [^>]*?(\/>|>.*?<\/xf>)/).map { String($0.output.0) }
    }
}
