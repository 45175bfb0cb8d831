import Foundation
import Standards
import Store

/// A line of advice printed on a notice, with the document it comes from.
public struct NoticeAdvice: Sendable, Hashable {
    public var text: String
    public var source: String

    public init(_ text: String, source: String) {
        self.text = text
        self.source = source
    }
}

/// The printed pages of one class, one A4 page per student: notices to families (告知书), each
/// ending with the school's name, the date and a tear-off receipt (家长签字) the school keeps, and
/// the students' health records (`StudentRecords`).
struct NoticePage {
    let sheet: XlsxSheet
    let columns: Int
    /// The page's first column: 0, or the right half of an A4 page that carries two A5 notices.
    var firstColumn = 0
    private(set) var row = 0
    private(set) var pageStarts: [Int] = []
    /// The row printed at the top of every page, if any.
    private(set) var titleRow: Int?

    static let text = CellStyle(border: false, wrap: true)
    static let bold = CellStyle(bold: true, border: false, wrap: true)

    /// A line repeated at the top of every printed page (the print titles), before the first page.
    mutating func printTitle(_ text: String) throws {
        titleRow = row
        try paragraph(text, style: CellStyle(fontColor: 0x595959, border: false, alignment: .center))
    }

    /// A new page with its title.
    mutating func begin(title: String) throws {
        pageStarts.append(row)
        try sheet.paragraph(
            row, title, from: firstColumn, columns: columns, lines: 2,
            style: CellStyle(bold: true, fontSize: 18, border: false, alignment: .center))
        row += 1
    }

    /// A new notice with its title and salutation.
    mutating func begin(title: String, name: String) throws {
        try begin(title: title)
        try paragraph("尊敬的 \(name) 同学家长：", style: Self.bold)
    }

    mutating func paragraph(_ text: String, lines: Int = 1, style: CellStyle = NoticePage.text, gapAfter: Int = 0)
        throws
    {
        try sheet.paragraph(row, text, from: firstColumn, columns: columns, lines: lines, style: style)
        row += 1 + gapAfter
    }

    /// A bordered table on the page, its cells centred; returns the table and the rows of its body
    /// (what a chart of the table refers to). The page's widths are its own, not the table's.
    @discardableResult mutating func table<Key: Hashable & Sendable>(
        _ columns: SheetColumns<Key>, _ rows: [[CellValue]]
    ) throws -> (
        table: SheetTable<Key>, body: ClosedRange<Int>
    ) {
        let table = try columns.table(on: sheet, headerRow: row, from: firstColumn)
        row += 1
        let first = row
        for values in rows {
            try table.write(row, values, style: CellStyle(alignment: .center))
            row += 1
        }
        row += 1
        return (table, first...max(first, row - 2))
    }

    /// Moves on to `row` when the page beside this one ended lower (two notices per A4 page).
    mutating func align(to row: Int) { self.row = max(self.row, row) }

    /// Leaves `rows` empty rows (a gap, or the place of charts) and returns the first of them.
    @discardableResult mutating func reserve(_ rows: Int) -> Int {
        defer { row += rows }
        return row
    }

    mutating func advice(_ heading: String, _ lines: [NoticeAdvice]) throws {
        try paragraph(heading, style: Self.bold)
        for line in lines { try paragraph("· \(line.text)（依据：\(line.source)）", lines: 2) }
    }

    /// The end of a page: a note, the school and date, the cut line and the receipt lines.
    mutating func end(school: String, date: CalendarDate, receipt: [String]) throws {
        try paragraph(
            "说明：本告知书仅交学生家长本人，请妥善保管；如有疑问请联系班主任。", lines: 2,
            style: CellStyle(fontColor: 0x595959, border: false, wrap: true), gapAfter: 1)
        try paragraph("\(school)　　\(date)", style: CellStyle(border: false, alignment: .right), gapAfter: 1)
        try paragraph(
            "✂ - - - - - - - - - - - - - 沿此线剪下，交回班主任 - - - - - - - - - - - - -",
            style: CellStyle(fontColor: 0x7F7F7F, border: false, alignment: .center))
        for line in receipt { try paragraph(line, lines: 2) }
        row += 1
    }

    /// Sets up printing; `perSheet` 2 prints the two halves (this page and the one beside it) on
    /// one landscape A4 page.
    func finish(header: String?, perSheet: Int = 1) throws {
        try sheet.printNotices(
            pageStarts: pageStarts, lastRow: max(row - 1, 0), lastColumn: perSheet * (columns + 1) - 2,
            titleRow: titleRow, header: header, landscape: perSheet == 2)
    }
}

/// Writes printed pages owner-only, one sheet per class in grade order (a teacher prints a
/// class), and one page per item through `page`. `printTitle` is a line repeated at the top of
/// every page; `header`, when given, is printed in the page header beside the class's name.
/// `perSheet` 2 puts two items side by side, each an A5 half of a landscape A4 page (the
/// setting `notices.per_sheet`), for schools that print notices two to a sheet and cut them.
func writeNoticeWorkbook<Item>(
    to url: URL, items: [Item], grade: (Item) -> GradeCode?, className: (Item) -> String?, columnWidths: [Double],
    printTitle: String? = nil, header: String? = nil, perSheet: Int = 1,
    page: (inout NoticePage, Item) throws -> Void
) throws {
    /// Excel keeps at most 1,023 manual page breaks per sheet.
    let pagesPerSheet = 1_000
    let grouped = Dictionary(grouping: items) { item in
        [grade(item)?.label, className(item)].compactMap { $0 }.joined(separator: " ")
    }
    let classes = grouped.sorted { lhs, rhs in
        let left = lhs.value.first.flatMap(grade)?.code ?? 99
        let right = rhs.value.first.flatMap(grade)?.code ?? 99
        return left != right ? left < right : lhs.key.localizedStandardCompare(rhs.key) == .orderedAscending
    }
    let workbook = try XlsxWorkbook(path: url.path, ownerOnly: true)
    var usedNames: Set<String> = []
    for (label, members) in classes {
        let safe = String((label.isEmpty ? "未分班" : label).map { "[]:*?/\\".contains($0) ? "_" : $0 })
        for (part, start) in stride(from: 0, to: members.count, by: pagesPerSheet).enumerated() {
            var name = String(safe.prefix(28)) + (part > 0 ? "_\(part + 1)" : "")
            while usedNames.contains(name) { name += "_" }
            usedNames.insert(name)
            let sheet = try workbook.addSheet(name)
            let gap = 2.0
            let widths = perSheet == 2 ? columnWidths + [gap] + columnWidths : columnWidths
            for (column, width) in widths.enumerated() { sheet.setWidth(column, width) }
            if perSheet == 2 { sheet.cutLine(column: columnWidths.count) }
            var pages = NoticePage(sheet: sheet, columns: columnWidths.count)
            if let printTitle { try pages.printTitle(printTitle) }
            let chosen = Array(members[start..<min(start + pagesPerSheet * perSheet, members.count)])
            for pair in stride(from: 0, to: chosen.count, by: perSheet) {
                try page(&pages, chosen[pair])
                guard perSheet == 2, pair + 1 < chosen.count, let top = pages.pageStarts.last else { continue }
                var right = NoticePage(sheet: sheet, columns: columnWidths.count, firstColumn: columnWidths.count + 1)
                right.align(to: top)
                try page(&right, chosen[pair + 1])
                pages.align(to: right.row)
            }
            try pages.finish(header: header.map { "\($0)　\(label)" }, perSheet: perSheet)
        }
    }
    try workbook.close()
}
