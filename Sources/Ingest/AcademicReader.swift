import Foundation
import Standards

/// One subject's result of one student in an exam.
public enum AcademicMark: Sendable, Equatable {
    /// The raw score in tenths of a point.
    case score(tenths: Int64)
    /// 缺考: kept apart from a zero score.
    case absent
    /// 免考.
    case exempt
}

/// One row of an exam results file: the student and one or more subjects' marks.
public struct AcademicRecord: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var subject: String
        public var mark: AcademicMark
        public var fullTenths: Int64
        /// The cell as typed.
        public var text: String
    }

    public var row: Int
    public var student: StudentRecord
    public var entries: [Entry]
}

/// Reads exam results (`jiance import academic`): one row per student with a column per subject
/// (`语文`, `数学（满分120）`, `英语成绩` …), or one row per student and subject (`学科` and
/// `成绩` columns, `满分` optional). Full marks come from the header, else from the settings
/// (`fullMark`). 缺考 and 免考 are kept apart from zero; a blank cell means the subject was not examined.
public struct AcademicReader: Sendable {
    public var term: Term
    /// The configured full mark of a subject in a grade (settings `academic.full_marks`, default 100).
    public var fullMark: @Sendable (String, GradeCode?) -> Double
    public var limits = ReadLimits()

    public init(term: Term, fullMark: @escaping @Sendable (String, GradeCode?) -> Double) {
        self.term = term
        self.fullMark = fullMark
    }

    static let schema = TableSchema(
        name: "考试成绩",
        fields: [
            FieldSpec("studentNo", "学籍号", synonyms: ["全国学籍号", "学生编号", "考号", "学号"]),
            FieldSpec("name", "姓名", synonyms: ["学生姓名"]),
            FieldSpec("sex", "性别"),
            FieldSpec("grade", "年级", synonyms: ["年级编号"]),
            FieldSpec("className", "班级", synonyms: ["班级名称", "班级编号"]),
            FieldSpec("school", "学校", synonyms: ["学校名称", "学校标识码"]),
            FieldSpec("subject", "学科", synonyms: ["科目", "考试科目"]),
            FieldSpec("score", "成绩", synonyms: ["分数", "得分", "卷面分"]),
            FieldSpec("fullMark", "满分", synonyms: ["满分值", "试卷满分"]),
        ], minimumHeaderMatches: 2, kind: .academic, alsoHeader: { scoreColumn($0) != nil })

    /// What a column of a score-analysis tool's sheet holds.
    enum ScoreKind: Int, Comparable {
        /// 赋分: the converted score of 选考 subjects; read only when the raw one is absent.
        case assigned
        /// The subject's column as named (语文, 数学（满分120）).
        case plain
        /// 原始 / 原始分: the score as marked, preferred.
        case raw
        static func < (lhs: ScoreKind, rhs: ScoreKind) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The subject and kind of a header such as `化学`, `化学原始`, `化学\n赋分`, `数学（满分150）`;
    /// nil for rank columns (`语文名次`, `年级排名`) and everything that names no subject.
    static func scoreColumn(_ header: String) -> (subject: String, kind: ScoreKind)? {
        let text = ValueParsing.normalize(header).filter { !$0.isWhitespace }
        guard !["名次", "排名", "排序", "班名", "级名", "位次"].contains(where: text.contains) else { return nil }
        for (suffix, kind) in [("原始分", ScoreKind.raw), ("原始", .raw), ("等级赋分", .assigned), ("赋分", .assigned)]
        where text.hasSuffix(suffix) {
            return Subject.named(String(text.dropLast(suffix.count))).map { ($0, kind) }
        }
        return Subject.named(text).map { ($0, .plain) }
    }

    static let absentWords: Set<String> = ["缺考", "缺", "缺席", "未考", "缺测", "未参考"]
    static let exemptWords: Set<String> = ["免考", "免", "免试"]

    public func read(_ url: URL, sheet: String? = nil, onRecord: (AcademicRecord) throws -> Void) throws -> ReadSummary
    {
        var summary = ReadSummary()
        guard let tables = try openTables(at: url, sheet: sheet, limits: limits, reportingTo: &summary) else {
            return summary
        }
        let schema = AcademicReader.schema
        var found = false
        var seen = GrowingMap<String, Int>()
        var missingHeader: [Finding] = []
        for table in tables {
            var headerFindings: [Finding] = []
            var rowFindings: [Finding] = []
            var subjectColumns: [(column: Int, subject: String, full: Double?)]?
            /// Neither subject columns nor 学科 and 成绩: the sheet is no score sheet, and its rows
            /// are refused by the one finding on its header rather than one by one.
            var noScores = false
            let overFull = try subjectsOverTheirFullMark(table)
            let failure = try readingTable {
                let header = try SchemaReader().read(table, schema: schema, findings: &headerFindings) { header, row in
                    if subjectColumns == nil {
                        noScores = !AcademicReader.isLong(header) && AcademicReader.subjectColumns(header).isEmpty
                        subjectColumns = AcademicReader.subjectColumns(header).filter { overFull[$0.subject] == nil }
                        let place = (file: table.fileName, sheet: table.sheetName, row: header.headerRow)
                        let both = AcademicReader.rawPreferred(header)
                        if !both.isEmpty {
                            rowFindings.append(
                                Finding(
                                    .info, "\(both.joined(separator: "、"))同时有原始分和赋分，按原始分导入", file: place.file,
                                    sheet: place.sheet, row: place.row))
                        }
                        for (subject, highest) in overFull.sorted(by: { $0.key < $1.key }) {
                            let full = highest <= 120 ? 120 : 150
                            rowFindings.append(
                                Finding(
                                    .error,
                                    "\(subject)成绩最高 \(BandScheme.tenthsText(Int((highest * 10).rounded())))，超过满分：如满分为 \(full)，请在表头写明“\(subject)（满分\(full)）”，或在设置文件中加入 \"academic\": {\"full_marks\": {\"\(subject)\": \(full)}}；此科目未导入",
                                    file: place.file, sheet: place.sheet, row: place.row, column: subject))
                        }
                    }
                    summary.rowsRead += 1
                    if noScores {
                        summary.rowsRejected += 1
                        return
                    }
                    if let record = parse(
                        row, header: header, subjects: subjectColumns ?? [], table: table, seen: &seen,
                        findings: &rowFindings)
                    {
                        try onRecord(record)
                    } else {
                        summary.rowsRejected += 1
                    }
                }
                guard let header else { return }
                found = true
                let place = (file: table.fileName, sheet: table.sheetName, row: header.headerRow)
                if !header.has(schema.index(of: "studentNo")!) && !header.has(schema.index(of: "name")!) {
                    rowFindings.append(
                        Finding(.error, "成绩表需要学籍号或姓名列", file: place.file, sheet: place.sheet, row: place.row))
                } else if !AcademicReader.isLong(header) && AcademicReader.subjectColumns(header).isEmpty {
                    let instead = TableKind.guess(in: table).flatMap { $0 == .academic ? nil : "；\($0.hint)" } ?? ""
                    rowFindings.append(
                        Finding(
                            .error, "找不到学科成绩列：需要“语文”“数学”等学科列，或“学科”与“成绩”两列\(instead)", file: place.file,
                            sheet: place.sheet, row: place.row))
                }
            }
            if let failure { rowFindings.append(failure) }
            summary.findings.append(contentsOf: headerFindings.filter { $0.severity != .error } + rowFindings)
            missingHeader.append(contentsOf: headerFindings.filter { $0.severity == .error })
        }
        if !found { summary.findings.append(contentsOf: missingHeader) }
        return summary
    }

    /// Long layout: one row per student and subject.
    static func isLong(_ header: HeaderMap) -> Bool {
        header.has(schema.index(of: "subject")!) && header.has(schema.index(of: "score")!)
    }

    /// Wide layout: for each subject, the column to read (原始 before the plain column before
    /// 赋分; rank columns never), with a full mark written in the header.
    static func subjectColumns(_ header: HeaderMap) -> [(column: Int, subject: String, full: Double?)] {
        guard !isLong(header) else { return [] }
        let used = Set(header.columns.compactMap { $0 })
        var best: [String: (column: Int, kind: ScoreKind)] = [:]
        for (column, text) in header.headers.enumerated() where !used.contains(column) {
            guard let (subject, kind) = scoreColumn(text) else { continue }
            if let chosen = best[subject], chosen.kind >= kind { continue }
            best[subject] = (column, kind)
        }
        return best.sorted { $0.value.column < $1.value.column }.map { subject, chosen in
            (chosen.column, subject, Subject.fullMark(inHeader: ValueParsing.normalize(header.headers[chosen.column])))
        }
    }

    /// The subjects a sheet gives both as marked (原始) and converted (赋分), for one remark.
    static func rawPreferred(_ header: HeaderMap) -> [String] {
        let kinds = Dictionary(grouping: header.headers.compactMap(scoreColumn), by: \.subject).mapValues {
            Set($0.map(\.kind))
        }
        return kinds.filter { $0.value.contains(.raw) && $0.value.count > 1 }.keys.sorted()
    }

    /// Subjects whose column holds several values above the full mark that applies (the
    /// settings give none and the paper was marked out of 120 or 150): one finding that names
    /// the setting, instead of every row rejected. Returns each such subject's highest value.
    private func subjectsOverTheirFullMark(_ table: TableSource) throws -> [String: Double] {
        var over: [String: (count: Int, highest: Double)] = [:]
        var ignored: [Finding] = []
        let gradeField = AcademicReader.schema.index(of: "grade")!
        // A table has one header: its subject columns are found once, on its first row.
        var subjects: [(column: Int, subject: String, full: Double?)]?
        _ = try? SchemaReader().read(table, schema: AcademicReader.schema, findings: &ignored) { header, row in
            let grade = GradeCode(text: header.value(gradeField, in: row))
            let columns = subjects ?? AcademicReader.subjectColumns(header)
            subjects = columns
            for (column, subject, headerFull) in columns {
                guard let value = ValueParsing.number(row[column]), value > headerFull ?? fullMark(subject, grade)
                else { continue }
                over[subject] = ((over[subject]?.count ?? 0) + 1, max(over[subject]?.highest ?? 0, value))
            }
        }
        return over.filter { $0.value.count >= 2 }.mapValues(\.highest)
    }

    private func parse(
        _ row: RawRow, header: HeaderMap, subjects: [(column: Int, subject: String, full: Double?)], table: TableSource,
        seen: inout GrowingMap<String, Int>, findings: inout [Finding]
    ) -> AcademicRecord? {
        let schema = AcademicReader.schema
        func field(_ key: String) -> Int { schema.index(of: key)! }
        var rowFindings = RowFindings(table: table, header: header, row: row)
        let studentNo = header.value(field("studentNo"), in: row).uppercased()
        let name = header.value(field("name"), in: row)
        if studentNo.isEmpty && name.isEmpty { rowFindings.error(field("studentNo"), "学籍号和姓名都为空，无法识别学生") }
        let gradeText = header.value(field("grade"), in: row)
        let grade = GradeCode(text: gradeText)
        if !gradeText.isEmpty, grade == nil { rowFindings.error(field("grade"), "无法识别的年级") }
        var entries: [AcademicRecord.Entry] = []
        var cellErrors: [Finding] = []
        func mark(_ text: String, subject: String, full: Double, column: String) -> AcademicRecord.Entry? {
            let fullTenths = Int64((full * 10).rounded())
            func reject(_ message: String) {
                cellErrors.append(
                    Finding(
                        .error, message, file: table.fileName, sheet: table.sheetName, row: row.number, column: column,
                        value: text))
            }
            if AcademicReader.absentWords.contains(text) {
                return .init(subject: subject, mark: .absent, fullTenths: fullTenths, text: text)
            }
            if AcademicReader.exemptWords.contains(text) {
                return .init(subject: subject, mark: .exempt, fullTenths: fullTenths, text: text)
            }
            guard let value = ValueParsing.number(text) else {
                reject("\(subject)成绩无法识别（应为分数，或“缺考”“免考”）")
                return nil
            }
            guard value >= 0 else {
                reject("\(subject)成绩不能为负数")
                return nil
            }
            guard value <= full else {
                reject(
                    "\(subject)成绩 \(text) 超过满分 \(BandScheme.tenthsText(Int(fullTenths)))（满分可在表头写明，如“\(subject)（满分120）”，或在设置文件 academic.full_marks 中设置）"
                )
                return nil
            }
            let tenths = (value * 10).rounded()
            if abs(tenths - value * 10) > 1e-6 {
                findings.append(
                    Finding(
                        .warning, "\(subject)成绩保留一位小数：\(text) → \(BandScheme.tenthsText(Int(tenths)))",
                        file: table.fileName, sheet: table.sheetName, row: row.number, column: column, value: text))
            }
            return .init(subject: subject, mark: .score(tenths: Int64(tenths)), fullTenths: fullTenths, text: text)
        }
        if subjects.isEmpty {
            let subjectText = header.value(field("subject"), in: row)
            let scoreText = header.value(field("score"), in: row)
            if let subject = Subject.named(subjectText) {
                let fullText = header.value(field("fullMark"), in: row)
                var full = fullMark(subject, grade)
                if !fullText.isEmpty {
                    if let given = ValueParsing.number(fullText), given > 0 {
                        full = given
                    } else {
                        rowFindings.error(field("fullMark"), "满分应为正数")
                    }
                }
                if scoreText.isEmpty {
                    rowFindings.error(field("score"), "成绩为空（缺考请填“缺考”）")
                } else if let entry = mark(
                    scoreText, subject: subject, full: full, column: header.headerText(field("score")) ?? "成绩")
                {
                    entries.append(entry)
                }
            } else {
                rowFindings.error(field("subject"), subjectText.isEmpty ? "学科为空" : "无法识别的学科")
            }
        } else {
            for (column, subject, headerFull) in subjects {
                let text = ValueParsing.normalize(row[column])
                guard !text.isEmpty else { continue }
                if let entry = mark(
                    text, subject: subject, full: headerFull ?? fullMark(subject, grade), column: header.headers[column]
                ) {
                    entries.append(entry)
                }
            }
        }
        findings.append(contentsOf: rowFindings.findings + cellErrors)
        guard !rowFindings.rejected, cellErrors.isEmpty else { return nil }
        guard !entries.isEmpty else { return nil }
        let className = ClassName.normalize(header.value(field("className"), in: row), grade: grade)
        // Without 学籍号 a student is a name within a class: two 李二 of two classes are two students.
        let identity = studentNo.isEmpty ? className + "|" + name : studentNo
        for entry in entries {
            let key = identity + "|" + entry.subject
            if let first = seen[key] {
                findings.append(
                    Finding(
                        .error, "同一学生的\(entry.subject)成绩与第 \(first) 行重复", file: table.fileName, sheet: table.sheetName,
                        row: row.number,
                        column: header.headerText(field(studentNo.isEmpty ? "name" : "studentNo")),
                        value: studentNo.isEmpty ? name : studentNo))
                return nil
            }
        }
        for entry in entries { _ = seen.insertIfAbsent(row.number, forKey: identity + "|" + entry.subject) }
        let school = header.value(field("school"), in: row)
        let student = StudentRecord(
            row: row.number, studentNo: studentNo.isEmpty ? nil : studentNo, name: name,
            sex: Sex(text: header.value(field("sex"), in: row)),
            birthDate: nil, ethnicity: nil, school: school.isEmpty ? nil : school, grade: grade,
            className: className.isEmpty ? nil : className)
        return AcademicRecord(row: row.number, student: student, entries: entries)
    }
}
