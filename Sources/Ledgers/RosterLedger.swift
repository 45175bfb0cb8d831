import Foundation
import Ingest
import Standards
import Store

/// Whether an export shows children's names and IDs in full. Masked is the default; named
/// exports are created owner-only (0600) and written to the audit log.
public enum PersonalDataMode: Sendable {
    case masked
    case named
}

/// The school roster workbook (学生名册): every enrolled student of one school and term, and a
/// count per grade and class, ready to print.
public struct RosterLedger {
    public var school: SchoolInfo
    public var term: Term
    public var students: [EnrolledStudent]
    public var personalData: PersonalDataMode

    public init(school: SchoolInfo, term: Term, students: [EnrolledStudent], personalData: PersonalDataMode = .masked) {
        self.school = school
        self.term = term
        self.students = students
        self.personalData = personalData
    }

    /// `学生名册_<学校>_<学期>.xlsx`.
    public var fileName: String { "学生名册_\(safeFileName(school.name))_\(term).xlsx" }

    public func write(to url: URL) throws {
        let workbook = try LedgerFile.create(url, personalData: personalData, constantMemory: false)
        try writeRoster(workbook)
        try writeClassCounts(workbook)
        try workbook.close()
    }

    private func writeRoster(_ workbook: XlsxWorkbook) throws {
        let sheet = try workbook.addSheet("学生名册")
        let headers = ["序号", "学籍号", "姓名", "性别", "出生日期", "民族", "年级", "班级"]
        try sheet.title(0, "\(school.name) 学生名册（\(term.label)）", columns: headers.count)
        let note = personalData == .masked ? "姓名、学籍号、出生日期已脱敏。共 \(students.count) 人。" : "含未脱敏的学生个人信息，请妥善保管，不得外传。共 \(students.count) 人。"
        try sheet.note(1, note)
        let headerRow = 2
        try sheet.writeRow(headerRow, headers.map(CellValue.text), style: .header)
        for (index, student) in students.enumerated() {
            let row = headerRow + 1 + index
            let masked = personalData == .masked
            try sheet.writeRow(row, [
                .number(Double(index + 1)),
                .optional(student.studentNo.map { masked ? Masking.identifier($0) : $0 }),
                .text(masked ? Masking.name(student.name) : student.name),
                .optional(student.sex?.label),
                birthCell(student.birthDate, masked: masked),
                .optional(student.ethnicity),
                .optional(student.grade?.label),
                .optional(student.className),
            ])
        }
        sheet.freeze(row: headerRow + 1)
        try sheet.autofilter(headerRow: headerRow, lastRow: headerRow + students.count, lastColumn: headers.count - 1)
        try sheet.printSetup(headerRow: headerRow, title: "\(school.name) 学生名册")
    }

    private func birthCell(_ iso: String?, masked: Bool) -> CellValue {
        guard let iso else { return .blank }
        if masked { return .text(Masking.birthDate(iso)) }
        guard let date = ValueParsing.date(iso) else { return .text(iso) }
        return .date(year: date.year, month: date.month, day: date.day)
    }

    private func writeClassCounts(_ workbook: XlsxWorkbook) throws {
        let sheet = try workbook.addSheet("班级人数")
        let headers = ["年级", "班级", "男", "女", "合计"]
        try sheet.title(0, "\(school.name) 各班人数（\(term.label)）", columns: headers.count)
        let headerRow = 2
        try sheet.writeRow(headerRow, headers.map(CellValue.text), style: .header)
        struct Key: Hashable, Comparable {
            var grade: Int
            var className: String
            static func < (a: Key, b: Key) -> Bool { (a.grade, a.className.count, a.className) < (b.grade, b.className.count, b.className) }
        }
        var counts: [Key: (male: Int, female: Int, all: Int)] = [:]
        for student in students {
            let key = Key(grade: student.grade?.code ?? 0, className: student.className ?? "")
            var entry = counts[key, default: (0, 0, 0)]
            if student.sex == .male { entry.male += 1 } else if student.sex == .female { entry.female += 1 }
            entry.all += 1
            counts[key] = entry
        }
        var row = headerRow + 1
        for key in counts.keys.sorted() {
            let entry = counts[key]!
            try sheet.writeRow(row, [
                .text(GradeCode(code: key.grade)?.label ?? "未填年级"), .text(key.className.isEmpty ? "未填班级" : key.className),
                .number(Double(entry.male)), .number(Double(entry.female)), .number(Double(entry.all)),
            ])
            row += 1
        }
        let bold = CellStyle(bold: true)
        try sheet.writeRow(row, [
            .text("合计"), .blank, .number(Double(students.filter { $0.sex == .male }.count)),
            .number(Double(students.filter { $0.sex == .female }.count)), .number(Double(students.count)),
        ], style: bold)
        sheet.freeze(row: headerRow + 1)
        try sheet.printSetup(headerRow: headerRow, title: "\(school.name) 各班人数")
    }
}

/// Creates ledger files: named (unmasked) personal data gets an owner-only file before
/// libxlsxwriter writes into it, so the data is never readable by others, even briefly.
enum LedgerFile {
    static func create(_ url: URL, personalData: PersonalDataMode, constantMemory: Bool) throws -> XlsxWorkbook {
        let manager = FileManager.default
        try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        if personalData == .named {
            try? manager.removeItem(at: url)
            guard manager.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw XlsxError(message: "无法创建文件", context: url.path)
            }
        }
        return try XlsxWorkbook(path: url.path, constantMemory: constantMemory)
    }
}

/// A file name without characters Windows forbids.
public func safeFileName(_ text: String) -> String {
    String(text.map { "\\/:*?\"<>|".contains($0) ? "_" : $0 })
}
