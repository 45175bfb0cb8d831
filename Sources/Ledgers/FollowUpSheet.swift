import Foundation
import Ingest
import Reports
import Standards
import Store

/// A follow-up ledger sheet (跟踪台账) that goes to a school and comes back filled in: a 记录号
/// column naming the stored record (so that a masked ledger still identifies its rows), locked
/// identity columns, and yellow fill-in columns (dates, choices from dropdowns, text); the sheet
/// is protected so that only the fill-in cells can be edited. `jiance import followup` reads it
/// back by the same column labels.
public struct FollowUpSheet {
    /// One student's row: the record id, the identity cells, and what the school sent back before.
    public struct Entry {
        public var recordID: Int64
        /// The row's version at export: the batch of its stored answers, or for the psych
        /// ledger the case's last event id.
        public var version: Int64
        public var identity: [CellValue]
        public var filled: [String: String]

        public init(recordID: Int64, identity: [CellValue], answers: FollowUpAnswers) {
            self.init(recordID: recordID, version: answers.version, identity: identity, filled: answers.fields)
        }

        public init(recordID: Int64, version: Int64, identity: [CellValue], filled: [String: String]) {
            self.recordID = recordID
            self.version = version
            self.identity = identity
            self.filled = filled
        }
    }

    var spec: FollowUpSpec
    var title: String
    var note: String
    var identityHeaders: [String]
    var entries: StreamedRows<Entry>

    /// The columns of the sheet: the locked 记录号, 版本 and 序号, the identity columns, then the
    /// yellow columns of the spec that schools fill in.
    enum Key: Hashable {
        case record, version, number
        case identity(String)
        case fillIn(String)
    }

    var columns: SheetColumns<Key> {
        let fillInHeader = CellStyle(bold: true, fill: 0xFFE699, wrap: true, alignment: .center)
        return SheetColumns(
            [.init(.record, spec.recordColumn), .init(.version, FollowUpSpec.versionColumn), .init(.number, "序号")]
                + identityHeaders.map { .init(.identity($0), $0) }
                + spec.columns.map { column in
                    .init(
                        .fillIn(column.label), column.label, width: Self.width(column),
                        style: Self.style(column), editable: true, headerStyle: fillInHeader)
                })
    }

    /// Free text and long choices get room to read.
    private static func width(_ column: FollowUpSpec.Column) -> Double {
        column.label.contains("原因") || column.label.contains("措施") || column.label.contains("结果") ? 22 : 14
    }

    private static func style(_ column: FollowUpSpec.Column) -> CellStyle {
        if case .date = column { return CellStyle(fill: 0xFFF2CC, numberFormat: "yyyy-mm-dd") }
        return .fillIn
    }

    func write(_ workbook: XlsxWorkbook) throws {
        let columns = self.columns
        // The importer finds columns by their header: a locked copy of a value must not share
        // the name of the column the school fills in.
        guard Set(columns.headers).count == columns.count else {
            throw XlsxError(message: "表头重复：\(columns.headers.joined(separator: "、"))", context: spec.sheet)
        }
        let sheet = try workbook.addSheet(spec.sheet)
        try sheet.title(0, title, columns: columns.titleSpan(atMost: wideTitleSpan))
        try sheet.note(
            1, note + (entries.isEmpty ? " 本学期没有此类学生。" : " 共 \(entries.count) 人。") + " 请勿修改\(spec.recordColumn)和版本。")
        let table = try columns.table(on: sheet, headerRow: 2)
        try entries.forEachRow { index, entry in
            precondition(entry.identity.count == identityHeaders.count, "\(spec.sheet)：身份列与表头数目不同")
            try table.write(
                table.firstRow + index,
                [.number(Double(entry.recordID)), .number(Double(entry.version)), .number(Double(index + 1))]
                    + entry.identity + spec.columns.map { Self.cell($0, entry.filled[$0.label]) })
        }
        let lastRow = table.headerRow + max(entries.count, 1)
        for column in spec.columns {
            switch column {
            case .choice(let label, let items):
                // Lists are named by sheet too: two sheets' 干预措施 offer different choices.
                try table.dropdown(.fillIn(label), lastRow: lastRow, listName: "\(spec.sheet)·\(label)", items: items)
            case .number(let label, let range, let unit):
                try table.numberRange(
                    .fillIn(label), lastRow: lastRow, range: range,
                    message: "\(label)应为 \(Int(range.lowerBound))–\(Int(range.upperBound)) \(unit) 之间的数字（只填数字，不带单位）")
            default:
                break
            }
        }
        // The student's 学籍号 and name stay in view beside the yellow columns.
        table.freeze(through: .identity("姓名"))
        try table.autofilter(lastRow: lastRow)
        try sheet.printSetup(headerRow: table.headerRow, title: title)
        sheet.protect()
    }

    /// What the school sent back for `column`, as the cell it was written in: a date as a date, a
    /// number as a number, anything else (or anything unreadable) as the text sent.
    private static func cell(_ column: FollowUpSpec.Column, _ value: String?) -> CellValue {
        switch column {
        case .date:
            guard let value, let date = ValueParsing.date(value) else { return .optional(value) }
            return .date(year: date.year, month: date.month, day: date.day)
        case .number:
            return value.flatMap(ValueParsing.number).map(CellValue.number) ?? .optional(value)
        default:
            return .optional(value)
        }
    }
}
