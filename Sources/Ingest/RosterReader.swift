import Foundation
import Standards

/// A school of the county's school list.
public struct SchoolRecord: Sendable, Equatable {
    public var row: Int
    /// 学校标识码 (10 digits, 教育部) or the county's own school code.
    public var code: String?
    public var name: String
    public var stage: SchoolStage?
    public var township: String?
    public var locality: Locality?

    public init(row: Int, code: String?, name: String, stage: SchoolStage?, township: String?, locality: Locality?) {
        self.row = row
        self.code = code
        self.name = name
        self.stage = stage
        self.township = township
        self.locality = locality
    }
}

/// A student as a 学籍 roster or a result file names them.
public struct StudentRecord: Sendable, Equatable {
    public var row: Int
    /// 全国学籍号, the stable key across terms; nil when the file lacks it.
    public var studentNo: String?
    public var name: String
    public var sex: Sex?
    /// `yyyy-MM-dd`.
    public var birthDate: CalendarDate?
    public var ethnicity: String?
    /// The school as the row names it (name or code); nil means the `--school` default.
    public var school: String?
    public var grade: GradeCode?
    public var className: String?

    public init(
        row: Int, studentNo: String?, name: String, sex: Sex?, birthDate: CalendarDate?, ethnicity: String?,
        school: String?,
        grade: GradeCode?, className: String?
    ) {
        self.row = row
        self.studentNo = studentNo
        self.name = name
        self.sex = sex
        self.birthDate = birthDate
        self.ethnicity = ethnicity
        self.school = school
        self.grade = grade
        self.className = className
    }
}

/// The header synonyms of school lists and 学籍 roster exports.
public enum RosterSchemas {
    public static let schools = TableSchema(
        name: "学校名单",
        fields: [
            FieldSpec("code", "学校标识码", synonyms: ["学校代码", "学校编码", "学校编号", "学校识别码", "标识码"]),
            FieldSpec("name", "学校名称", synonyms: ["学校", "校名", "单位名称"], required: true),
            FieldSpec("stage", "学段", synonyms: ["办学类型", "学校类型", "学校类别", "办学层次"]),
            FieldSpec("township", "乡镇/街道", synonyms: ["乡镇街道", "乡镇", "街道", "所在乡镇", "所属乡镇", "乡镇(街道)"]),
            FieldSpec("locality", "城区/镇区/乡村", synonyms: ["城乡类型", "城乡分类", "城乡", "所在地类型", "城区镇区乡村", "城乡属性", "地域"]),
        ], kind: .schoolList)

    public static let students = TableSchema(
        name: "学生名册",
        fields: [
            FieldSpec("studentNo", "学籍号", synonyms: ["全国学籍号", "学生编号", "学生学籍号", "学籍编号", "学生id"]),
            FieldSpec("name", "姓名", synonyms: ["学生姓名"], required: true),
            FieldSpec("sex", "性别"),
            FieldSpec("birthDate", "出生日期", synonyms: ["出生年月", "出生年月日", "生日"]),
            FieldSpec("ethnicity", "民族", synonyms: ["民族代码"]),
            FieldSpec("school", "学校", synonyms: ["学校名称", "所在学校", "就读学校"]),
            FieldSpec("schoolCode", "学校标识码", synonyms: ["学校代码", "学校编码"]),
            FieldSpec("grade", "年级", synonyms: ["年级编号", "年级名称", "年级代码", "所在年级"]),
            FieldSpec("className", "班级", synonyms: ["班级名称", "班级编号", "班号", "所在班级", "班级号"]),
        ], minimumHeaderMatches: 3, kind: .roster)
}

/// Reads school lists and student rosters from .xlsx (every sheet) or .csv files.
///
/// Each sheet is classified by its header: a sheet that names 姓名 and 性别 is a student roster,
/// one that names 学校名称 without them is a school list. Rejected rows are findings and never
/// reach the callbacks.
public struct RosterReader: Sendable {
    public var term: Term
    public var limits = ReadLimits()

    public init(term: Term) { self.term = term }

    public func read(
        _ url: URL, sheet: String? = nil,
        onSchool: (SchoolRecord) throws -> Void,
        onStudent: (StudentRecord) throws -> Void
    ) throws -> ReadSummary {
        var summary = ReadSummary()
        guard let tables = try openTables(at: url, sheet: sheet, limits: limits, reportingTo: &summary) else {
            return summary
        }
        var foundTable = false
        for table in tables {
            let failure = try readingTable {
                switch try classify(table) {
                case .students:
                    foundTable = true
                    try readStudents(table, summary: &summary, onStudent: onStudent)
                case .schools:
                    foundTable = true
                    try readSchools(table, summary: &summary, onSchool: onSchool)
                case nil:
                    break
                }
            }
            if let failure {
                foundTable = true
                summary.findings.append(failure)
            }
        }
        if !foundTable {
            var probe: [Finding] = []
            if let first = tables.first {
                _ = try SchemaReader().read(first, schema: RosterSchemas.students, findings: &probe) { _, _ in }
            }
            summary.findings.append(contentsOf: probe.filter { $0.severity == .error })
        }
        return summary
    }

    private enum RosterTable { case schools, students }

    /// Looks at the first rows only to decide what the table is.
    private func classify(_ table: TableSource) throws -> RosterTable? {
        var kind: RosterTable?
        var seen = 0
        try table.forEachRow { row in
            seen += 1
            if HeaderMap.match(row, schema: RosterSchemas.students) != nil {
                kind = .students
            } else if let map = HeaderMap.match(row, schema: RosterSchemas.schools),
                map.missingRequired(in: RosterSchemas.schools).isEmpty
            {
                kind = .schools
            }
            return kind == nil && seen < SchemaReader().headerSearchRows
        }
        return kind
    }

    private func readSchools(_ table: TableSource, summary: inout ReadSummary, onSchool: (SchoolRecord) throws -> Void)
        throws
    {
        let schema = RosterSchemas.schools
        let f = SchoolFields(schema)
        var findings: [Finding] = []
        var seenNames: Set<String> = []
        var headerFindings: [Finding] = []
        _ = try SchemaReader().read(table, schema: schema, findings: &headerFindings) { header, row in
            summary.rowsRead += 1
            var rowFindings = RowFindings(table: table, header: header, row: row)
            let name = header.value(f.name, in: row)
            if name.isEmpty { rowFindings.error(f.name, "学校名称为空") }
            let code = header.value(f.code, in: row)
            let stageText = header.value(f.stage, in: row)
            let stage = SchoolStage(text: stageText)
            if !stageText.isEmpty, stage == nil {
                rowFindings.warning(f.stage, "无法识别的学段（应为 小学/初中/九年一贯制/完全中学/十二年一贯制/高中）")
            }
            let localityText = header.value(f.locality, in: row)
            let locality = Locality(text: localityText)
            if !localityText.isEmpty, locality == nil { rowFindings.warning(f.locality, "无法识别的城乡类型（应为 城区/镇区/乡村）") }
            if !name.isEmpty, !seenNames.insert(name).inserted { rowFindings.error(f.name, "学校在本文件中重复出现") }
            findings.append(contentsOf: rowFindings.findings)
            guard !rowFindings.rejected else {
                summary.rowsRejected += 1
                return
            }
            let township = header.value(f.township, in: row)
            try onSchool(
                SchoolRecord(
                    row: row.number, code: code.isEmpty ? nil : code, name: name, stage: stage,
                    township: township.isEmpty ? nil : township, locality: locality))
        }
        summary.findings.append(contentsOf: headerFindings + findings)
    }

    private func readStudents(
        _ table: TableSource, summary: inout ReadSummary, onStudent: (StudentRecord) throws -> Void
    ) throws {
        let schema = RosterSchemas.students
        let f = StudentFields(schema)
        var findings: [Finding] = []
        var seenNumbers = GrowingMap<String, Int>()
        var warnedMissingColumns = false
        var headerFindings: [Finding] = []
        _ = try SchemaReader().read(table, schema: schema, findings: &headerFindings) { header, row in
            summary.rowsRead += 1
            if !warnedMissingColumns {
                warnedMissingColumns = true
                if !header.has(f.studentNo) {
                    findings.append(
                        Finding(
                            .warning, "文件没有学籍号列：学生将按 学校+姓名+出生日期 匹配，跨学期追踪可能不准确", file: table.fileName,
                            sheet: table.sheetName, row: header.headerRow))
                }
                // Some platforms' templates have no 性别: the results files carry it.
                if !header.has(f.sex) {
                    findings.append(
                        Finding(
                            .warning, "文件没有性别列：学生的性别将取自体测、视力等成绩文件", file: table.fileName, sheet: table.sheetName,
                            row: header.headerRow))
                }
            }
            if let record = try parseStudent(
                header, row, fields: f, table: table, seenNumbers: &seenNumbers, findings: &findings)
            {
                try onStudent(record)
            } else {
                summary.rowsRejected += 1
            }
        }
        summary.findings.append(contentsOf: headerFindings + findings)
    }

    private func parseStudent(
        _ header: HeaderMap, _ row: RawRow, fields f: StudentFields, table: TableSource,
        seenNumbers: inout GrowingMap<String, Int>, findings: inout [Finding]
    ) throws -> StudentRecord? {
        var rowFindings = RowFindings(table: table, header: header, row: row)
        defer { findings.append(contentsOf: rowFindings.findings) }
        let name = header.value(f.name, in: row)
        if name.isEmpty { rowFindings.error(f.name, "姓名为空") }
        let studentNo = header.value(f.studentNo, in: row).uppercased()
        if header.has(f.studentNo) {
            if studentNo.isEmpty {
                rowFindings.warning(f.studentNo, "缺少学籍号：按 学校+姓名+出生日期 匹配")
            } else if let first = seenNumbers.insertIfAbsent(row.number, forKey: studentNo) {
                rowFindings.error(f.studentNo, "学籍号与第 \(first) 行重复")
            } else {
                // Checked on bytes: a Character's Unicode properties cost 3.7 % of a roster import.
                let alphanumeric = { (byte: UInt8) in
                    (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                }
                if studentNo.containsUTF8Byte(where: { !alphanumeric($0) }) {
                    rowFindings.warning(f.studentNo, "学籍号含有字母和数字以外的字符")
                }
            }
        }
        let sexText = header.value(f.sex, in: row)
        let sex = Sex(text: sexText)
        if sex == nil, header.has(f.sex) {
            rowFindings.error(f.sex, sexText.isEmpty ? "性别为空" : "无法识别的性别（应为 男/女 或 1/2）")
        }
        var birthDate: CalendarDate?
        let birthText = header.value(f.birthDate, in: row)
        if !birthText.isEmpty {
            if let date = ValueParsing.date(birthText) {
                let start = term.startMonth
                let ageInMonths = (start.year - date.year) * 12 + (start.month - date.month)
                if ageInMonths < 0 {
                    rowFindings.error(f.birthDate, "出生日期晚于学期开始（\(term.label)）")
                } else if ageInMonths < 3 * 12 || ageInMonths > 30 * 12 {
                    rowFindings.error(f.birthDate, "出生日期不合理：学期开始时年龄为 \(ageInMonths / 12) 岁")
                } else {
                    birthDate = date
                }
            } else {
                rowFindings.error(f.birthDate, "无法识别的日期（可写作 2015-03-04、2015/3/4 或 2015年3月4日）")
            }
        } else if studentNo.isEmpty {
            rowFindings.error(f.birthDate, "学籍号和出生日期都为空，无法识别学生")
        }
        let ethnicityText = header.value(f.ethnicity, in: row)
        var ethnicity: String?
        if !ethnicityText.isEmpty {
            ethnicity = Ethnicity.name(for: ethnicityText)
            if ethnicity == nil {
                rowFindings.warning(f.ethnicity, "无法识别的民族（按 GB/T 3304 名称或代码），已按原文保存")
                ethnicity = ethnicityText
            }
        }
        let gradeText = header.value(f.grade, in: row)
        let grade = GradeCode(text: gradeText)
        if !gradeText.isEmpty, grade == nil {
            rowFindings.error(f.grade, "无法识别的年级（年级编号 11–16、21–24、31–33、41–44，或 一年级、初一 等）")
        }
        let schoolName = header.value(f.school, in: row)
        let schoolCode = header.value(f.schoolCode, in: row)
        let className = ClassName.normalize(header.value(f.className, in: row), grade: grade)
        guard !rowFindings.rejected else { return nil }
        return StudentRecord(
            row: row.number, studentNo: studentNo.isEmpty ? nil : studentNo, name: name, sex: sex, birthDate: birthDate,
            ethnicity: ethnicity, school: schoolCode.isEmpty ? (schoolName.isEmpty ? nil : schoolName) : schoolCode,
            grade: grade, className: className.isEmpty ? nil : className)
    }

    private struct SchoolFields {
        let code, name, stage, township, locality: Int
        init(_ schema: TableSchema) {
            code = schema.index(of: "code")!
            name = schema.index(of: "name")!
            stage = schema.index(of: "stage")!
            township = schema.index(of: "township")!
            locality = schema.index(of: "locality")!
        }
    }

    private struct StudentFields {
        let studentNo, name, sex, birthDate, ethnicity, school, schoolCode, grade, className: Int
        init(_ schema: TableSchema) {
            studentNo = schema.index(of: "studentNo")!
            name = schema.index(of: "name")!
            sex = schema.index(of: "sex")!
            birthDate = schema.index(of: "birthDate")!
            ethnicity = schema.index(of: "ethnicity")!
            school = schema.index(of: "school")!
            schoolCode = schema.index(of: "schoolCode")!
            grade = schema.index(of: "grade")!
            className = schema.index(of: "className")!
        }
    }
}

/// Findings for one row, located at the right file, sheet, row and column.
public struct RowFindings {
    let table: TableSource
    let header: HeaderMap
    let row: RawRow
    public private(set) var findings: [Finding] = []

    public init(table: TableSource, header: HeaderMap, row: RawRow) {
        self.table = table
        self.header = header
        self.row = row
    }

    /// True when any finding rejects the row.
    public var rejected: Bool { findings.contains { $0.severity == .error } }

    public mutating func error(_ field: Int, _ message: String) { add(.error, field, message) }
    public mutating func warning(_ field: Int, _ message: String) { add(.warning, field, message) }

    private mutating func add(_ severity: Finding.Severity, _ field: Int, _ message: String) {
        let value = header.value(field, in: row)
        findings.append(
            Finding(
                severity, message, file: table.fileName, sheet: table.sheetName, row: row.number,
                column: header.headerText(field), value: value.isEmpty ? nil : value))
    }
}
