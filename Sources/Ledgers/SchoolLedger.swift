import Foundation
import Indicators
import Ingest
import Reports
import Standards
import Store

/// Whether an export shows children's names and IDs in full. Masked is the default; named
/// exports are created owner-only (0600) and written to the audit log.
public enum PersonalDataMode: Sendable {
    case masked
    case named

    func name(_ text: String) -> String { self == .masked ? Masking.name(text) : text }
    func studentNo(_ text: String?) -> CellValue {
        .optional(text.map { self == .masked ? Masking.identifier($0) : $0 })
    }

    func birthDate(_ date: CalendarDate?) -> CellValue {
        guard let date else { return .blank }
        if self == .masked { return .text(Masking.birthDate(date)) }
        return .date(year: date.year, month: date.month, day: date.day)
    }
}

/// The workbook a school receives each term (学校台账): its roster and class counts, and, when
/// the term has fitness results, the fitness ledger with its follow-up sheets.
///
/// Its rows are `StreamedRows`: each sheet reads them anew, from memory or, for a large school's
/// export, from a database cursor, so that its memory is bounded by a constant, not by the size
/// of the school.
public struct SchoolLedger {
    public var school: SchoolInfo
    public var term: Term
    public var students: StreamedRows<EnrolledStudent>
    public var fitness: FitnessLedgerRows
    public var vision: StreamedRows<VisionScreeningRow>
    /// Last school year's same-season screenings of the school, for the yearly change.
    public var visionPrevious: (term: Term, observations: StreamedRows<VisionObservation>)?
    public var personalData: PersonalDataMode
    public var settings: CountySettings
    /// The school's indicators over the terms up to this one, for the 趋势 sheet.
    public var trend: (report: TrendReport, school: TrendReport.SchoolTrend)?
    /// Enrolled students without a full health record this school year, for the school to chase.
    public var unrecorded = StreamedRows<(student: EnrolledRecord, lacking: [HealthRecordKind])>([])
    /// Above this many rows the ledger goes to disk row by row as it is written (libxlsxwriter's
    /// constant-memory mode, its text inline; every sheet writes its rows in order): a
    /// 10,000-student ledger 81 → 38 MB peak. Smaller ledgers keep their cells until the file is
    /// closed, which spares each one its temporary files (250 ledgers of 400 students: 0.35 s less
    /// system time) and a shared-string table makes them smaller.
    public var streamingRows = 2_000

    public init(
        school: SchoolInfo, term: Term, students: StreamedRows<EnrolledStudent>,
        fitness: FitnessLedgerRows = FitnessLedgerRows([]),
        vision: StreamedRows<VisionScreeningRow> = StreamedRows([]),
        visionPrevious: (term: Term, observations: StreamedRows<VisionObservation>)? = nil,
        personalData: PersonalDataMode = .masked, settings: CountySettings = CountySettings()
    ) {
        self.school = school
        self.term = term
        self.students = students
        self.fitness = fitness
        self.vision = vision
        self.visionPrevious = visionPrevious
        self.personalData = personalData
        self.settings = settings
    }

    /// `学校台账_<学校>_<学期>.xlsx`.
    /// A named copy never takes the masked copy's name (one would overwrite the other).
    public var fileName: String {
        "学校台账_\(safeFileName(school.name))_\(term)\(personalData == .named ? "_未脱敏" : "").xlsx"
    }

    /// True when the school has nothing in the term: no ledger is written for it.
    public var isEmpty: Bool { students.isEmpty && fitness.isEmpty && vision.isEmpty }

    public func write(to url: URL) throws {
        let rows = students.count + fitness.all.count + vision.count
        let workbook = try LedgerFile.create(url, personalData: personalData, constantMemory: rows > streamingRows)
        let enrolled = try EnrolmentCounts(students)
        let roster = RosterSheets(school: school, term: term, students: students, personalData: personalData)
        if !students.isEmpty {
            try roster.writeRoster(workbook)
            try roster.writeClassCounts(workbook, enrolled)
        }
        if !fitness.isEmpty {
            let sheets = FitnessSheets(
                school: school, term: term, results: fitness, enrolled: enrolled, personalData: personalData,
                targets: settings.fitness)
            try sheets.write(workbook)
        }
        if !vision.isEmpty {
            let sheets = VisionSheets(
                school: school, term: term, screenings: vision, previous: visionPrevious, enrolled: enrolled,
                settings: settings.vision, target: settings.myopia, personalData: personalData)
            try sheets.write(workbook)
        }
        if let trend, trend.report.terms.count >= 2 {
            try TrendWorkbook(report: trend.report).writeSchool(workbook, trend.school)
        }
        if !unrecorded.isEmpty { try roster.writeUnrecorded(workbook, unrecorded) }
        try workbook.close()
    }
}

/// The enrolled students of a school counted by grade, sex and class, in one pass over the roster.
struct EnrolmentCounts {
    struct ClassCount {
        var male = 0
        var female = 0
        var total = 0
    }

    var total = 0
    /// By grade code; 0 for students whose grade is not filled in.
    var byGrade: [Int: Int] = [:]
    var bySex: [Sex: Int] = [:]
    var byClass: [ClassKey: ClassCount] = [:]

    init(_ students: StreamedRows<EnrolledStudent>) throws {
        try students.forEachRow { _, student in
            total += 1
            byGrade[student.grade?.code ?? 0, default: 0] += 1
            let key = ClassKey(grade: student.grade?.code ?? 0, className: student.className ?? "")
            byClass[key, default: ClassCount()].total += 1
            switch student.sex {
            case .male?:
                byClass[key]!.male += 1
                bySex[.male, default: 0] += 1
            case .female?:
                byClass[key]!.female += 1
                bySex[.female, default: 0] += 1
            case nil: break
            }
        }
    }
}

/// 学生名册 and 班级人数 sheets.
struct RosterSheets {
    var school: SchoolInfo
    var term: Term
    var students: StreamedRows<EnrolledStudent>
    var personalData: PersonalDataMode

    static let rosterColumns = SheetColumns(headers: ["序号", "学籍号", "姓名", "性别", "出生日期", "民族", "年级", "班级"])
    static let unrecordedColumns = SheetColumns(headers: ["序号", "学籍号", "姓名", "年级", "班级", "本学年缺少的记录"])
    static let classCountColumns = SheetColumns(headers: ["年级", "班级", "男", "女", "合计"])

    func writeRoster(_ workbook: XlsxWorkbook) throws {
        let sheet = try workbook.addSheet("学生名册")
        let columns = Self.rosterColumns
        try sheet.title(0, "\(school.name) 学生名册（\(term.label)）", columns: columns.titleSpan())
        try sheet.note(1, personalDataNote(personalData, count: students.count))
        let table = try columns.table(on: sheet, headerRow: 2)
        try students.forEachRow { index, student in
            try table.write(
                table.firstRow + index,
                [
                    .number(Double(index + 1)), personalData.studentNo(student.studentNo),
                    .text(personalData.name(student.name)),
                    .optional(student.sex?.label), personalData.birthDate(student.birthDate),
                    .optional(student.ethnicity),
                    .optional(student.grade?.label), .optional(student.className),
                ])
        }
        table.freeze()
        try table.autofilter(lastRow: table.headerRow + students.count)
        try sheet.printSetup(headerRow: table.headerRow, title: "\(school.name) 学生名册")
    }

    /// 未建档学生: who still needs a screening or test this school year (健康档案建档率 100 %).
    func writeUnrecorded(
        _ workbook: XlsxWorkbook, _ unrecorded: StreamedRows<(student: EnrolledRecord, lacking: [HealthRecordKind])>
    ) throws {
        let sheet = try workbook.addSheet("未建档学生")
        let columns = Self.unrecordedColumns
        try sheet.title(
            0, "\(school.name) 未建档学生（\(term.schoolYear)学年，共 \(unrecorded.count) 人）", columns: columns.titleSpan())
        try sheet.note(1, "健康档案建档率目标 100%：请为下列学生补做缺少的筛查或测试，导入结果后即计为已建档。")
        let table = try columns.table(on: sheet, headerRow: 2)
        try unrecorded.forEachRow { index, entry in
            try table.write(
                table.firstRow + index,
                [
                    .number(Double(index + 1)), personalData.studentNo(entry.student.studentNo),
                    .text(personalData.name(entry.student.name)), .optional(entry.student.grade?.label),
                    .optional(entry.student.className), .text(entry.lacking.map(\.label).joined(separator: "、")),
                ])
        }
        table.freeze()
        try table.autofilter(lastRow: table.headerRow + unrecorded.count)
        try sheet.printSetup(headerRow: table.headerRow, title: "\(school.name) 未建档学生")
    }

    func writeClassCounts(_ workbook: XlsxWorkbook, _ enrolled: EnrolmentCounts) throws {
        let sheet = try workbook.addSheet("班级人数")
        let columns = Self.classCountColumns
        try sheet.title(0, "\(school.name) 各班人数（\(term.label)）", columns: columns.titleSpan())
        let table = try columns.table(on: sheet, headerRow: 2)
        var row = table.firstRow
        for key in enrolled.byClass.keys.sorted() {
            let count = enrolled.byClass[key]!
            try table.write(
                row,
                [
                    .text(GradeCode(code: key.grade)?.label ?? "未填年级"),
                    .text(key.className.isEmpty ? "未填班级" : key.className),
                    .number(Double(count.male)), .number(Double(count.female)), .number(Double(count.total)),
                ])
            row += 1
        }
        try table.write(
            row,
            [
                .text("合计"), .blank, .number(Double(enrolled.bySex[.male] ?? 0)),
                .number(Double(enrolled.bySex[.female] ?? 0)), .number(Double(enrolled.total)),
            ], bold: true)
        table.freeze()
        try sheet.printSetup(headerRow: table.headerRow, title: "\(school.name) 各班人数")
    }
}

/// Grade and class, ordered as schools list them (2班 before 10班).
struct ClassKey: Hashable, Comparable {
    var grade: Int
    var className: String

    static func < (a: ClassKey, b: ClassKey) -> Bool {
        (a.grade, a.className.count, a.className) < (b.grade, b.className.count, b.className)
    }
}

func personalDataNote(_ mode: PersonalDataMode, count: Int) -> String {
    mode == .masked ? "姓名、学籍号、出生日期已脱敏。共 \(count) 人。" : "含未脱敏的学生个人信息，请妥善保管，不得外传。共 \(count) 人。"
}

/// Creates ledger files: named (unmasked) personal data gets an owner-only file before
/// libxlsxwriter writes into it, so the data is never readable by others, even briefly.
enum LedgerFile {
    /// A workbook at `url`; named exports are owner-only.
    static func create(_ url: URL, personalData: PersonalDataMode, constantMemory: Bool) throws -> XlsxWorkbook {
        try XlsxWorkbook(path: url.path, constantMemory: constantMemory, ownerOnly: personalData == .named)
    }
}

/// A file name part made from a school or class name: no path separators, no characters Windows
/// forbids, no control characters, and at most 40 characters (file names are limited to 255
/// bytes, three per Chinese character, and Excel's paths to 218 characters).
public func safeFileName(_ text: String) -> String {
    let cleaned = String(
        text.map { character in
            "\\/:*?\"<>|".contains(character)
                || character.unicodeScalars.contains { $0.properties.generalCategory == .control } ? "_" : character
        })
    let bounded = cleaned.count > 40 ? String(cleaned.prefix(40)) + "…" : cleaned
    return bounded.hasPrefix(".") ? "_" + bounded.dropFirst() : bounded
}
