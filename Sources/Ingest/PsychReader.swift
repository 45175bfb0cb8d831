import Foundation
import Standards

/// One answer sheet of a psychological screening file.
public struct PsychRecord: Sendable, Equatable {
    public var row: Int
    public var student: StudentRecord
    public var answers: PsychAnswers
    /// Answers that could not be read (kept out of `answers`, so the sheet is incomplete).
    public var invalidItems: [Int]
}

/// Reads survey-platform exports: one row per student, item columns (`Q1…Q9`, `1…100`, `第1题`,
/// `题1`, `1.` + item text), answers as numbers or as the option text (是/否, 好几天 …); or the
/// scale total alone (`总分`) when that is all the platform gives. PHQ-A files may carry the
/// supplementary yes/no questions (过去一个月…自杀…, 曾经…自杀…).
public struct PsychReader: Sendable {
    public var term: Term
    public var scale: PsychScale
    public var limits = ReadLimits()
    /// Each table's cells are read on a thread of their own while this one parses the rows: an
    /// import's writing thread otherwise waits for this one, a platform's sheet having a hundred
    /// answers a student (100,000 MHT sheets: 4.4–5.4 → 3.3 s). Not for the vision reader, whose
    /// school files of a few hundred rows lost more to the extra thread than they gained.
    public var readAhead = false

    public init(term: Term, scale: PsychScale) {
        self.term = term
        self.scale = scale
    }

    /// How many answer rows decide whether a sheet is this scale's (`refusal(of:)`).
    public static let refusalSampleRows = 1_000

    static let identity = TableSchema(
        name: "心理筛查数据",
        fields: [
            FieldSpec("studentNo", "学籍号", synonyms: ["全国学籍号", "学生编号", "学号"]),
            FieldSpec("name", "姓名", synonyms: ["学生姓名"]),
            FieldSpec("sex", "性别"),
            FieldSpec("grade", "年级编号", synonyms: ["年级"]),
            FieldSpec("className", "班级", synonyms: ["班级名称", "班级编号"]),
            FieldSpec("school", "学校", synonyms: ["学校名称"]),
            FieldSpec("total", "总分", synonyms: ["量表总分", "总得分", "total", "得分"]),
        ], minimumHeaderMatches: 1)

    public func read(_ url: URL, sheet: String? = nil, onRecord: (PsychRecord) throws -> Void) throws -> ReadSummary {
        var summary = ReadSummary()
        guard var tables = try openTables(at: url, sheet: sheet, limits: limits, reportingTo: &summary) else {
            return summary
        }
        if readAhead { tables = tables.map(ReadAheadTable.init) }
        var found = false
        for table in tables {
            // A table that cannot be read is reported by the reading pass below.
            if let refusal = (try? refusal(of: table)) ?? nil {
                found = true
                summary.findings.append(Finding(.error, refusal, file: table.fileName, sheet: table.sheetName))
                continue
            }
            var header: (identity: HeaderMap, items: [Int: Int], supplementary: [String: Int])?
            var rowsSeen = 0
            var findings: [Finding] = []
            var seen = GrowingMap<String, Int>()
            let failure = try readingTable {
                try table.forEachRow { row in
                    guard let layout = header else {
                        rowsSeen += 1
                        if let map = HeaderMap.match(row, schema: PsychReader.identity) {
                            let items = itemColumns(row)
                            if !items.isEmpty || map.has(PsychReader.identity.index(of: "total")!) {
                                header = (map, items, supplementaryColumns(row))
                            }
                        }
                        return rowsSeen < SchemaReader().headerSearchRows
                    }
                    guard !row.isBlank else { return true }
                    summary.rowsRead += 1
                    let record = parse(row, layout: layout, table: table, seen: &seen, findings: &findings)
                    if let record { try onRecord(record) } else { summary.rowsRejected += 1 }
                    return true
                }
            }
            if let failure {
                found = true
                findings.append(failure)
            }
            if header != nil { found = true }
            summary.findings.append(contentsOf: table.readFindings + findings)
        }
        if !found {
            let instead =
                tables.lazy.compactMap(TableKind.guess(in:)).first { $0 != .psych }.map { "；\($0.hint)" } ?? ""
            summary.findings.append(
                Finding(
                    .error, "找不到\(scale.name)（\(scale.id)）的作答表头：需要学籍号或姓名，以及题目列（Q1、1、第1题 …）或总分列\(instead)",
                    file: url.lastPathComponent))
        }
        return summary
    }

    /// Item number by column: `Q1`, `q01`, `1`, `第1题`, `题1`, `item1`, `1.我感到…`, `1、…`.
    func itemColumns(_ row: RawRow) -> [Int: Int] {
        numberedColumns(row).filter { (1...scale.itemCount).contains($0.key) }
    }

    /// Every numbered item column of a header, whatever the scale's length.
    private func numberedColumns(_ row: RawRow) -> [Int: Int] {
        var columns: [Int: Int] = [:]
        for (column, text) in row.cells.enumerated() {
            var value = HeaderText.normalize(text)
            for prefix in ["第", "question", "item", "题", "q", "t", "a"] where value.hasPrefix(prefix) {
                value = String(value.dropFirst(prefix.count))
                break
            }
            let digits = value.prefix { $0.isASCII && $0.isNumber }
            let rest = value.dropFirst(digits.count)
            guard let number = Int(digits), number >= 1,
                rest.isEmpty || rest == "题" || rest.hasPrefix(".") || rest.hasPrefix("、") || rest.hasPrefix(")")
            else { continue }
            if columns[number] == nil { columns[number] = column }
        }
        return columns
    }

    /// Why a sheet cannot be this scale's answers, nil when it can: its numbered items must be
    /// 1…n of the scale's n items, and its answers (when at least 20 are given) must mostly be
    /// the scale's options. A 9-item PHQ-9 sheet read as GAD-7 would otherwise lose items 8–9
    /// and replace the stored GAD-7 results; the refusal names the scales the sheet fits.
    ///
    /// The answers are judged on the sheet's first `refusalSampleRows` rows: a sheet of the wrong
    /// scale shows it from its first rows, and reading a county's sheet twice whole doubled its
    /// import. An odd answer further down is still reported on its own row.
    private func refusal(of table: TableSource) throws -> String? {
        var items: [Int: Int]?
        var rowsSeen = 0
        var rowsSampled = 0
        var answered = 0
        var outOfRange = 0
        var values: [String: Int] = [:]
        try table.forEachRow { row in
            guard let columns = items else {
                rowsSeen += 1
                if HeaderMap.match(row, schema: PsychReader.identity) != nil {
                    let numbered = numberedColumns(row)
                    if !numbered.isEmpty { items = numbered }
                }
                return rowsSeen < SchemaReader().headerSearchRows
            }
            for column in columns.values {
                let text = ValueParsing.normalize(row[column])
                guard !text.isEmpty else { continue }
                answered += 1
                values[text, default: 0] += 1
                if scale.value(of: text) == nil { outOfRange += 1 }
            }
            rowsSampled += 1
            return rowsSampled < Self.refusalSampleRows
        }
        guard let items else { return nil }
        let count = items.count
        let fitting =
            (try? PsychScale.bundled.get().values.filter { other in
                other.itemCount == count && values.allSatisfy { text, _ in other.value(of: text) != nil }
            }.map(\.id).sorted()) ?? []
        let instead =
            fitting.isEmpty
            ? "请检查 --scale 是否选对" : "这像是 \(fitting.joined(separator: " 或 ")) 的作答，请用 --scale \(fitting[0]) 导入"
        if count != scale.itemCount || items.keys.max() != scale.itemCount {
            return
                "表中有 \(count) 道题（题号 \(items.keys.min() ?? 0)–\(items.keys.max() ?? 0)），而\(scale.name)（\(scale.id)）有 \(scale.itemCount) 道题；\(instead)；整张表未导入"
        }
        if answered >= 20, outOfRange * 5 > answered {
            let options = scale.options.map { "\($0.value)=\($0.label)" }.joined(separator: "、")
            return "\(answered) 个作答中有 \(outOfRange) 个不是\(scale.name)的选项（\(options)）；\(instead)；整张表未导入"
        }
        return nil
    }

    /// PHQ-A supplementary questions (phq_a.json supplementary_items).
    func supplementaryColumns(_ row: RawRow) -> [String: Int] {
        guard scale.id == "phq_a" else { return [:] }
        var columns: [String: Int] = [:]
        for (column, text) in row.cells.enumerated() {
            let value = HeaderText.normalize(text)
            if value.contains("past_month_serious_suicidal_thoughts")
                || (value.contains("自杀") && (value.contains("一个月") || value.contains("过去")))
            {
                columns["past_month_serious_suicidal_thoughts"] = column
            } else if value.contains("lifetime_suicide_attempt")
                || (value.contains("自杀") && (value.contains("曾经") || value.contains("尝试")))
            {
                columns["lifetime_suicide_attempt"] = column
            }
        }
        return columns
    }

    private func parse(
        _ row: RawRow, layout: (identity: HeaderMap, items: [Int: Int], supplementary: [String: Int]),
        table: TableSource,
        seen: inout GrowingMap<String, Int>, findings: inout [Finding]
    ) -> PsychRecord? {
        let schema = PsychReader.identity
        func value(_ key: String) -> String { layout.identity.value(schema.index(of: key)!, in: row) }
        func finding(_ severity: Finding.Severity, _ message: String, column: Int?, value: String? = nil) {
            findings.append(
                Finding(
                    severity, message, file: table.fileName, sheet: table.sheetName, row: row.number,
                    column: column.map {
                        row.cells.indices.contains($0) ? layout.identity.headers[$0] : columnLetter($0)
                    }, value: value))
        }
        let studentNo = value("studentNo").uppercased()
        let name = value("name")
        guard !studentNo.isEmpty || !name.isEmpty else {
            finding(.error, "学籍号和姓名都为空，无法识别学生", column: layout.identity.columns[schema.index(of: "studentNo")!] ?? nil)
            return nil
        }
        if !studentNo.isEmpty {
            if let first = seen.insertIfAbsent(row.number, forKey: studentNo) {
                finding(
                    .error, "学籍号与第 \(first) 行重复",
                    column: layout.identity.columns[schema.index(of: "studentNo")!] ?? nil, value: studentNo)
                return nil
            }
        }
        var answers: [Int: Int] = [:]
        answers.reserveCapacity(layout.items.count)
        var invalid: [Int] = []
        for (item, column) in layout.items {
            let text = ValueParsing.normalize(row[column])
            guard !text.isEmpty else { continue }
            if let answer = scale.value(of: text) {
                answers[item] = answer
            } else {
                invalid.append(item)
                finding(
                    .warning,
                    "第\(item)题的答案无效（应为 \(scale.options.map { "\($0.value)=\($0.label)" }.joined(separator: "、"))），按缺答处理",
                    column: column, value: text)
            }
        }
        var supplementary: [String: Bool] = [:]
        for (key, column) in layout.supplementary {
            let text = ValueParsing.normalize(row[column])
            if ["是", "有", "1", "yes", "y"].contains(text.lowercased()) {
                supplementary[key] = true
            } else if ["否", "没有", "无", "0", "no", "n"].contains(text.lowercased()) {
                supplementary[key] = false
            }
        }
        var totalOnly: Int?
        if layout.items.isEmpty {
            guard let total = Int(value("total")) else {
                finding(
                    .error, "没有逐题作答，总分也无法识别", column: layout.identity.columns[schema.index(of: "total")!] ?? nil,
                    value: value("total"))
                return nil
            }
            totalOnly = total
        }
        let grade = GradeCode(text: value("grade"))
        let className = ClassName.normalize(value("className"), grade: grade)
        let student = StudentRecord(
            row: row.number, studentNo: studentNo.isEmpty ? nil : studentNo, name: name, sex: Sex(text: value("sex")),
            birthDate: nil,
            ethnicity: nil, school: value("school").isEmpty ? nil : value("school"), grade: grade,
            className: className.isEmpty ? nil : className)
        return PsychRecord(
            row: row.number, student: student,
            answers: PsychAnswers(
                studentID: studentNo.isEmpty ? name : studentNo, scale: scale.id, answers: answers,
                supplementary: supplementary, totalOnly: totalOnly),
            invalidItems: invalid.sorted())
    }
}
