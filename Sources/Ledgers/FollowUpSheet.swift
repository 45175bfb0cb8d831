import Foundation
import Ingest
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
    var entries: [Entry]

    func write(_ workbook: XlsxWorkbook) throws {
        let fillIn = spec.columns
        let identity = [spec.recordColumn, FollowUpSpec.versionColumn, "序号"] + identityHeaders
        let headers = identity + fillIn.map(\.label)
        // The importer finds columns by their header: a locked copy of a value must not share
        // the name of the column the school fills in.
        guard Set(headers).count == headers.count else {
            throw XlsxError(message: "表头重复：\(headers.joined(separator: "、"))", context: spec.sheet)
        }
        let sheet = try workbook.addSheet(spec.sheet)
        try sheet.title(0, title, columns: min(headers.count, 12))
        try sheet.note(
            1, note + (entries.isEmpty ? " 本学期没有此类学生。" : " 共 \(entries.count) 人。") + " 请勿修改\(spec.recordColumn)和版本。")
        let headerRow = 2
        try sheet.writeRow(headerRow, identity.map(CellValue.text), style: .header)
        try sheet.writeRow(
            headerRow, fillIn.map { .text($0.label) },
            style: CellStyle(bold: true, fill: 0xFFE699, wrap: true, alignment: .center), from: identity.count)
        for (index, entry) in entries.enumerated() {
            let row = headerRow + 1 + index
            try sheet.writeRow(
                row,
                [.number(Double(entry.recordID)), .number(Double(entry.version)), .number(Double(index + 1))]
                    + entry.identity)
            for (offset, column) in fillIn.enumerated() {
                let value = entry.filled[column.label]
                switch column {
                case .date:
                    let style = CellStyle(fill: 0xFFF2CC, numberFormat: "yyyy-mm-dd", unlocked: true)
                    if let value, let date = ValueParsing.date(value) {
                        try sheet.write(
                            row, identity.count + offset, .date(year: date.year, month: date.month, day: date.day),
                            style: style)
                    } else {
                        try sheet.write(row, identity.count + offset, .optional(value), style: style)
                    }
                case .number:
                    try sheet.write(
                        row, identity.count + offset,
                        value.flatMap(ValueParsing.number).map(CellValue.number) ?? .optional(value), style: .fillIn)
                default:
                    try sheet.write(row, identity.count + offset, .optional(value), style: .fillIn)
                }
            }
        }
        let lastRow = headerRow + max(entries.count, 1)
        for (offset, column) in fillIn.enumerated() {
            sheet.setWidth(
                identity.count + offset,
                column.label.contains("原因") || column.label.contains("措施") || column.label.contains("结果") ? 22 : 14)
            switch column {
            case .choice(let label, let items):
                // Lists are named by sheet too: two sheets' 干预措施 offer different choices.
                try sheet.dropdown(
                    column: identity.count + offset, firstRow: headerRow + 1, lastRow: lastRow,
                    listName: "\(spec.sheet)·\(label)", items: items)
            case .number(let label, let range, let unit):
                try sheet.numberRange(
                    column: identity.count + offset, firstRow: headerRow + 1, lastRow: lastRow, range: range,
                    message: "\(label)应为 \(Int(range.lowerBound))–\(Int(range.upperBound)) \(unit) 之间的数字（只填数字，不带单位）")
            default:
                break
            }
        }
        sheet.freeze(row: headerRow + 1, column: identity.count - identityHeaders.count + 2)
        try sheet.autofilter(headerRow: headerRow, lastRow: lastRow, lastColumn: headers.count - 1)
        try sheet.printSetup(headerRow: headerRow, title: title)
        sheet.protect()
    }
}
