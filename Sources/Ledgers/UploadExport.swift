import Foundation
import Ingest
import Reports
import Standards
import Store

/// A school's fitness results written back in the national upload template (full 22-column
/// layout, upload_template.md §1), ready to submit: codes for 年级/性别/民族, 出生日期 as a date,
/// times as m′ss″, 50 m with a decimal point, exempt students marked 免体 in 身高 (T1's convention).
/// It holds names in full, so it is created owner-only and audited by the caller.
public struct UploadExport {
    public var school: SchoolInfo
    public var term: Term
    /// Streamed: the file holds one row at a time, whatever the school's size.
    public var results: StreamedRows<FitnessResultRow>

    public init(school: SchoolInfo, term: Term, results: StreamedRows<FitnessResultRow>) {
        self.school = school
        self.term = term
        self.results = results
    }

    public var fileName: String { "体测上报_\(safeFileName(school.name))_\(term).xlsx" }

    static let fixedHeaders = ["年级编号", "班级编号", "班级名称", "学籍号", "民族代码", "姓名", "性别", "出生日期", "家庭住址"]

    public func write(to url: URL) throws {
        let workbook = try LedgerFile.create(url, personalData: .named, constantMemory: results.count > 20_000)
        let sheet = try workbook.addSheet("Sheet1")
        let table = try SheetColumns(headers: UploadExport.fixedHeaders + FitnessSchema.templateItemOrder.map(\.header))
            .table(on: sheet, headerRow: 0)
        try results.forEachRow { index, result in
            let o = result.observation
            let classDigits =
                Int((o.className ?? "").reversed().prefix { $0.isNumber }.reversed().map(String.init).joined()) ?? 1
            var values: [CellValue] = [
                .number(Double(o.grade.code)), .number(Double(o.grade.code * 100 + classDigits)),
                .optional(o.className), .optional(result.studentNo),
                .optional(result.ethnicity.flatMap(Ethnicity.code(for:))), .text(result.name),
                .number(Double(o.sex.code)),
                birthCell(result.birthDate), .blank,
            ]
            let exempt = o.status == .exempt
            for (_, key) in FitnessSchema.templateItemOrder {
                values.append(exempt ? (key == "height" ? .text("免体") : .blank) : cell(result, key: key))
            }
            try table.write(table.firstRow + index, values)
        }
        table.freeze()
        try workbook.close()
    }

    private func birthCell(_ date: CalendarDate?) -> CellValue {
        guard let date else { return .blank }
        return .date(year: date.year, month: date.month, day: date.day)
    }

    private func cell(_ result: FitnessResultRow, key: String) -> CellValue {
        let female = result.observation.sex == .female
        let junior = result.observation.grade.code > 20
        switch key {
        case "height": return .optional(result.heightCm)
        case "weight": return .optional(result.weightKg)
        case "sit_up_female": return female && junior ? .optional(result.values[.sitUp]) : .blank
        case FitnessItem.sitUp.rawValue: return junior ? .blank : .optional(result.values[.sitUp])
        default:
            guard let item = FitnessItem(rawValue: key), let value = result.values[item] else { return .blank }
            return item.isMinuteSecondTime ? .text(FitnessValues.minutesSecondsText(value)) : .number(value)
        }
    }
}
