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

/// The printed pages of notices to families (告知书): one A4 page per student, each ending with
/// the school's name, the date and a tear-off receipt (家长签字) the school keeps.
struct NoticePage {
    let sheet: XlsxSheet
    let columns: Int
    private(set) var row = 0
    private(set) var pageStarts: [Int] = []

    static let text = CellStyle(border: false, wrap: true)
    static let bold = CellStyle(bold: true, border: false, wrap: true)

    /// A new page with its title and salutation.
    mutating func begin(title: String, name: String) throws {
        pageStarts.append(row)
        try sheet.paragraph(
            row, title, columns: columns, lines: 2,
            style: CellStyle(bold: true, fontSize: 18, border: false, alignment: .center))
        row += 1
        try paragraph("尊敬的 \(name) 同学家长：", style: Self.bold)
    }

    mutating func paragraph(_ text: String, lines: Int = 1, style: CellStyle = NoticePage.text, gapAfter: Int = 0)
        throws
    {
        try sheet.paragraph(row, text, columns: columns, lines: lines, style: style)
        row += 1 + gapAfter
    }

    /// A bordered table: a header row and rows of `columns` cells.
    mutating func table(_ headers: [String], _ rows: [[CellValue]]) throws {
        try sheet.writeRow(row, headers.map(CellValue.text), style: .header)
        row += 1
        for values in rows {
            try sheet.writeRow(row, values, style: CellStyle(alignment: .center))
            row += 1
        }
        row += 1
    }

    mutating func advice(_ heading: String, _ lines: [NoticeAdvice]) throws {
        try paragraph(heading, style: Self.bold)
        for line in lines { try paragraph("· \(line.text)（依据：\(line.source)）", lines: 2) }
    }

    /// The end of a page: a note, the school and date, the cut line and the receipt lines.
    mutating func end(school: String, date: String, receipt: [String]) throws {
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

    func finish() throws {
        try sheet.printNotices(pageStarts: pageStarts, lastRow: max(row - 1, 0), lastColumn: columns - 1)
    }
}

/// Writes notices owner-only, one sheet per class in grade order (a teacher prints a class),
/// and one page per item through `page`.
func writeNoticeWorkbook<Item>(
    to url: URL, items: [Item], grade: (Item) -> GradeCode?, className: (Item) -> String?, columnWidths: [Double],
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
            for (column, width) in columnWidths.enumerated() { sheet.setWidth(column, width) }
            var pages = NoticePage(sheet: sheet, columns: columnWidths.count)
            for item in members[start..<min(start + pagesPerSheet, members.count)] { try page(&pages, item) }
            try pages.finish()
        }
    }
    try workbook.close()
}

/// Keeps the rows of one class: `三年级2班`, `3年级(2)班`, `2班` or a 班级编号 (`1302`), spelled
/// as the roster spells classes; a bare `2班` found in several grades asks for the grade.
func filterClass<Item>(
    _ items: [Item], className wanted: String?, grade: (Item) -> GradeCode?, className: (Item) -> String?
) throws -> [Item] {
    guard let wanted else { return items }
    let kept = items.filter { className($0) == ClassName.normalize(wanted, grade: grade($0)) }
    let grades = Set(kept.compactMap(grade)).sorted { $0.code < $1.code }
    if grades.count > 1 {
        throw NothingToExport(
            "班级“\(wanted)”在\(grades.map(\.label).joined(separator: "、"))都有；请写明年级，如 --class \(grades[0].label)\(kept.first.flatMap(className) ?? "")"
        )
    }
    return kept
}

extension LedgerExporter {
    /// Writes one notices workbook (the class, when one was asked for, in its name) and records
    /// the export in the audit log: notices carry children's names.
    func writeNotices(
        _ title: String, fileName: String, action: String, school: SchoolInfo, className: String?, term: Term,
        count: Int, folder: URL, write: (URL) throws -> Void
    ) throws -> URL {
        let url = folder.appendingPathComponent(
            className.map { fileName.replacingOccurrences(of: ".xlsx", with: "_\(safeFileName($0)).xlsx") } ?? fileName)
        try write(url)
        try AuditLog.record(
            database, action: action, target: url.lastPathComponent,
            detail: "导出\(title)（含姓名）：\(school.name)\(className.map { " \($0)" } ?? "")，\(term.label)，\(count) 份")
        return url
    }
}
