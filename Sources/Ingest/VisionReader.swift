import Foundation
import Standards

/// One row of a vision screening file.
public struct VisionRecord: Sendable, Equatable {
    public var row: Int
    public var student: StudentRecord
    public var input: VisionInput
    /// The cells as typed, by column key (`va_right`, `sphere_left` …).
    public var rawTexts: [String: String]
}

/// What a column of a vision export holds.
enum VisionColumn: Hashable {
    enum Eye: String { case right, left }
    enum Measure: String {
        case acuity = "va"
        case corrected = "corrected_va"
        case sphere, cylinder, axis, se
    }
    case identity(String)
    case eye(Measure, Eye)
    case okLens
    case glassesType
}

/// Reads vision screenings: the national upload table, and platform and device exports with
/// one- to three-row headers (裸眼视力 / 右眼 / 球镜 …, OD/OS, R/L, VISIONR …). Acuity notation
/// (five-point or decimal) and refraction units (D or 度) are detected per column in a first
/// pass, then rows are parsed in a second (../shared/reference/vision/RULES.md, Notation).
public struct VisionReader: Sendable {
    public var term: Term
    public var limits = ReadLimits()

    public init(term: Term) { self.term = term }

    static let identity = TableSchema(
        name: "视力筛查表",
        fields: [
            FieldSpec("studentNo", "学籍号", synonyms: ["全国学籍号", "学生编号", "教育id号", "学籍编号", "身份证号/学籍号"]),
            FieldSpec("name", "姓名", synonyms: ["学生姓名"]),
            FieldSpec("sex", "性别"),
            FieldSpec("grade", "年级编号", synonyms: ["年级", "年级名称", "年级代码"]),
            FieldSpec("className", "班级名称", synonyms: ["班级", "班级编号", "班号"]),
            FieldSpec("birthDate", "出生日期", synonyms: ["出生年月", "生日"]),
            FieldSpec("school", "学校名称", synonyms: ["学校", "学校标识码", "学校代码"]),
        ])

    public func read(_ url: URL, sheet: String? = nil, onRecord: (VisionRecord) throws -> Void) throws -> ReadSummary {
        var summary = ReadSummary()
        guard let tables = try openTables(at: url, sheet: sheet, limits: limits, reportingTo: &summary) else {
            return summary
        }
        var found = false
        for table in tables {
            let failure = try readingTable {
                guard let layout = try VisionLayout.detect(table) else { return }
                found = true
                try readTable(table, layout: layout, summary: &summary, onRecord: onRecord)
            }
            if let failure {
                found = true
                summary.findings.append(failure)
            }
        }
        if !found {
            let instead =
                tables.lazy.compactMap(TableKind.guess(in:)).first { $0 != .vision }.map { "；\($0.hint)" } ?? ""
            summary.findings.append(
                Finding(
                    .error, "找不到视力筛查表的表头：需要学籍号或姓名，以及左右眼裸眼视力的列（如 右眼裸眼视力、裸眼视力（右）、OD/OS）\(instead)",
                    file: url.lastPathComponent))
        }
        return summary
    }

    /// The rows of a sheet the first pass holds for the second, at most: a school's file is then
    /// inflated and scanned once instead of twice (most of its reading), and a county-wide sheet
    /// is read again rather than held, so memory stays bounded.
    public static let heldRows = 5_000

    private func readTable(
        _ table: TableSource, layout: VisionLayout, summary: inout ReadSummary, onRecord: (VisionRecord) throws -> Void
    ) throws {
        // Pass 1: how each acuity and refraction column is written.
        var profiles: [Int: ColumnProfile] = [:]
        var held: [RawRow]? = []
        try table.forEachRow { row in
            guard row.number > layout.lastHeaderRow else { return true }
            if let count = held?.count {
                if count < Self.heldRows { held?.append(row) } else { held = nil }
            }
            for (column, kind) in layout.columns {
                guard case .eye(let measure, _) = kind, measure != .axis else { continue }
                guard let number = ValueParsing.number(cleanNumber(row[column])) else { continue }
                profiles[column, default: ColumnProfile()].add(number)
            }
            return true
        }
        var seen: [String: Int] = [:]
        var findings: [Finding] = layout.findings.map { located($0, table) }
        for (column, profile) in profiles.sorted(by: { $0.key < $1.key })
        where profile.inDegrees(layout.columns[column]) {
            findings.append(
                located(
                    Finding(
                        .info,
                        "此列的屈光度按“度”记录（绝对值超过 \(layout.columns[column] == .eye(.cylinder, .right) || layout.columns[column] == .eye(.cylinder, .left) ? 15 : 30)），已除以 100 换算为 D",
                        row: layout.lastHeaderRow, column: layout.headers[column]), table))
        }
        // Pass 2: the rows, from those held when all were, else read again.
        func take(_ row: RawRow) throws {
            guard row.number > layout.lastHeaderRow, !row.isBlank else { return }
            summary.rowsRead += 1
            var rowFindings: [Finding] = []
            let record = parse(row, layout: layout, profiles: profiles, seen: &seen, findings: &rowFindings)
            findings.append(contentsOf: rowFindings.map { located($0, table) })
            if let record, !rowFindings.contains(where: { $0.severity == .error }) {
                try onRecord(record)
            } else {
                summary.rowsRejected += 1
            }
        }
        if let held {
            for row in held { try take(row) }
        } else {
            try table.forEachRow { row in
                try take(row)
                return true
            }
        }
        summary.findings.append(contentsOf: table.readFindings + findings)
    }

    private func located(_ finding: Finding, _ table: TableSource) -> Finding {
        var located = finding
        located.file = table.fileName
        located.sheet = table.sheetName
        return located
    }

    private func parse(
        _ row: RawRow, layout: VisionLayout, profiles: [Int: ColumnProfile], seen: inout [String: Int],
        findings: inout [Finding]
    ) -> VisionRecord? {
        func identity(_ key: String) -> String {
            guard let column = layout.identity[key] else { return "" }
            return ValueParsing.normalize(row[column])
        }
        func fail(_ column: Int?, _ message: String, _ severity: Finding.Severity = .error) {
            let value = column.map { ValueParsing.normalize(row[$0]) }
            findings.append(
                Finding(
                    severity, message, row: row.number, column: column.map { layout.headers[$0] },
                    value: value?.isEmpty == false ? value : nil))
        }
        let studentNo = identity("studentNo").uppercased()
        let name = identity("name")
        if studentNo.isEmpty && name.isEmpty {
            fail(layout.identity["studentNo"] ?? layout.identity["name"], "学籍号和姓名都为空，无法识别学生")
        }
        if !studentNo.isEmpty {
            if let first = seen[studentNo] {
                fail(layout.identity["studentNo"], "学籍号与第 \(first) 行重复")
            } else {
                seen[studentNo] = row.number
            }
        }
        let sexText = identity("sex")
        let sex = Sex(text: sexText)
        if !sexText.isEmpty, sex == nil { fail(layout.identity["sex"], "无法识别的性别", .warning) }
        let gradeText = identity("grade")
        let grade = GradeCode(text: gradeText)
        if !gradeText.isEmpty, grade == nil { fail(layout.identity["grade"], "无法识别的年级", .warning) }
        var birth: CalendarDate?
        if !identity("birthDate").isEmpty {
            birth = ValueParsing.date(identity("birthDate"))
            if birth == nil { fail(layout.identity["birthDate"], "无法识别的出生日期，已忽略", .warning) }
        }

        var raw: [String: String] = [:]
        var eyes: [VisionColumn.Eye: EyeMeasurement] = [.right: EyeMeasurement(), .left: EyeMeasurement()]
        var glasses: GlassesType?
        for (column, kind) in layout.columns.sorted(by: { $0.key < $1.key }) {
            let text = ValueParsing.normalize(row[column])
            let cell = cleanNumber(text)
            if cell.isEmpty || cell == "--" || cell == "-" || cell == "/" || cell == "999" || cell == "9999" {
                continue
            }
            switch kind {
            case .identity: continue
            case .okLens:
                raw["ok_lens"] = text
                if ["是", "1", "y", "yes", "√", "戴"].contains(text.lowercased()) {
                    glasses = .orthokeratology
                } else if !["否", "0", "n", "no", "无"].contains(text.lowercased()) {
                    fail(column, "无法识别（应为 是/否）", .warning)
                }
            case .glassesType:
                raw["glasses_type"] = text
                if let type = GlassesType(text: text) {
                    if glasses != .orthokeratology { glasses = type }
                } else {
                    fail(column, "无法识别的戴镜类型（0 不戴镜、1 框架眼镜、2 隐形眼镜、3 角膜塑形镜）", .warning)
                }
            case .eye(let measure, let eye):
                raw["\(measure.rawValue)_\(eye.rawValue)"] = text
                switch measure {
                case .acuity:
                    if Acuity.isBelowChartText(text) {
                        eyes[eye]?.acuity = .belowChart(text)
                        continue
                    }
                    guard let number = ValueParsing.number(cell) else {
                        fail(column, "无法识别的视力值")
                        continue
                    }
                    let decimal = profiles[column]?.decimalAcuity ?? (number <= 2.0)
                    let converted =
                        (decimal && number <= 2.0) ? Acuity.fromDecimal(number) : Acuity.fromFivePoint(number)
                    guard let converted else {
                        fail(column, "视力值不合理（五分记录 3.0–5.3，小数记录 0.1–2.0）")
                        continue
                    }
                    if !converted.exact {
                        fail(
                            column,
                            decimal
                                ? "小数视力 \(cell) 不是视力表上的一行，按下一行 \(converted.acuity.text) 记录（不向上取）"
                                : "五分视力 \(cell) 不在 0.1 刻度上，按 \(converted.acuity.text) 记录（不向上取）", .warning)
                    }
                    eyes[eye]?.acuity = converted.acuity
                case .corrected:
                    continue
                case .sphere, .cylinder, .se:
                    guard var number = ValueParsing.number(cell) else {
                        fail(column, "无法识别的屈光度")
                        continue
                    }
                    if profiles[column]?.inDegrees(kind) == true { number /= 100 }
                    let limit = measure == .cylinder ? 15.0 : 30.0
                    guard abs(number) <= limit, let value = Diopters(diopters: number) else {
                        fail(column, "屈光度不合理（\(measure == .cylinder ? "柱镜 -15～+15" : "球镜 -30～+30") D）")
                        continue
                    }
                    if measure == .sphere {
                        eyes[eye]?.sphere = value
                    } else if measure == .cylinder {
                        eyes[eye]?.cylinder = value
                    } else {
                        eyes[eye]?.givenSE = value
                    }
                case .axis:
                    guard let number = ValueParsing.number(cell), number >= 0, number <= 180, number == number.rounded()
                    else {
                        fail(column, "轴位应为 0–180 的整数")
                        continue
                    }
                    eyes[eye]?.axis = Int(number)
                }
            }
        }
        var ageMonths: Int?
        if let birth {
            let start = term.startMonth
            ageMonths = (start.year - birth.year) * 12 + (start.month - birth.month)
        }
        let className = ClassName.normalize(identity("className"), grade: grade)
        let school = identity("school")
        let student = StudentRecord(
            row: row.number, studentNo: studentNo.isEmpty ? nil : studentNo, name: name, sex: sex,
            birthDate: birth, ethnicity: nil, school: school.isEmpty ? nil : school,
            grade: grade, className: className.isEmpty ? nil : className)
        let input = VisionInput(
            studentID: studentNo.isEmpty ? name : studentNo, grade: grade, sex: sex, ageMonths: ageMonths,
            right: eyes[.right] ?? EyeMeasurement(), left: eyes[.left] ?? EyeMeasurement(), glasses: glasses)
        return VisionRecord(row: row.number, student: student, input: input, rawTexts: raw)
    }

    /// `+0.50`, `-1.25D`, `-1.25DS`, `-0.50 DC` → plain numbers.
    private func cleanNumber(_ text: String) -> String {
        // Most cells of a screening are plain already (`4.9`, `-1.25`): returned as they are,
        // without the case folding and suffix checks that cost more than the rest of the row.
        if !text.isEmpty, !text.containsUTF8Byte(where: { !(0x30...0x39 ~= $0 || $0 == 0x2E || $0 == 0x2D) }) {
            return text
        }
        var value = ValueParsing.normalize(text).lowercased()
        for suffix in ["ds", "dc", "d", "度"] where value.hasSuffix(suffix) {
            value = String(value.dropLast(suffix.count))
        }
        if value.hasPrefix("+") { value.removeFirst() }
        return value.trimmingSpaces
    }
}

/// The numbers a column holds, to tell decimal from five-point acuity and D from 度.
struct ColumnProfile {
    var count = 0
    var decimalLike = 0
    var maxMagnitude = 0.0
    /// A value with a fractional part (−1.25) means diopters: 度 are whole numbers (−125).
    var hasFraction = false

    mutating func add(_ number: Double) {
        count += 1
        if number > 0, number <= 2.0 { decimalLike += 1 }
        maxMagnitude = max(maxMagnitude, abs(number))
        if number != number.rounded() { hasFraction = true }
    }

    /// Decimal acuity when most values are in 0.1…2.0 (five-point ones are 3.0…5.3).
    var decimalAcuity: Bool { decimalLike * 2 > count }

    /// Refraction written in 度 (×100): a value beyond the diopter range in the column
    /// (RULES.md, Notation) and no fractional value anywhere in it.
    func inDegrees(_ kind: VisionColumn?) -> Bool {
        guard !hasFraction else { return false }
        switch kind {
        case .eye(.cylinder, _): return maxMagnitude > 15
        case .eye(.sphere, _), .eye(.se, _): return maxMagnitude > 30
        default: return false
        }
    }
}

/// Where things are in a vision sheet: the header block (1–3 rows) and each column's meaning.
struct VisionLayout {
    var lastHeaderRow: Int
    var headers: [String]
    var identity: [String: Int]
    var columns: [Int: VisionColumn]
    var findings: [Finding]

    /// Looks for the header block in the first rows: a row naming the student or 视力, and up to
    /// two rows under it that only continue the header (右眼/左眼, 球镜/柱镜/轴位, OD/OS, S/C/A).
    static func detect(_ table: TableSource) throws -> VisionLayout? {
        var rows: [RawRow] = []
        try table.forEachRow { row in
            rows.append(row)
            return rows.count < SchemaReader().headerSearchRows + 3
        }
        for (index, row) in rows.enumerated() {
            let texts = row.cells.map(HeaderText.normalize).filter { !$0.isEmpty }
            // A title above the table has one cell; a header names several columns.
            guard texts.count >= 2 else { continue }
            guard
                texts.contains(where: { $0.contains("视力") || $0.hasPrefix("vision") })
                    || HeaderMap.match(row, schema: VisionReader.identity) != nil
            else { continue }
            var block = [row]
            for next in rows.dropFirst(index + 1).prefix(2) {
                guard isContinuation(next) else { break }
                block.append(next)
            }
            if let layout = compose(block),
                layout.columns.values.contains(where: {
                    if case .eye(.acuity, _) = $0 { return true } else { return false }
                })
            {
                return layout
            }
        }
        return nil
    }

    private static let continuationTokens: Set<String> = [
        "右", "左", "右眼", "左眼", "od", "os", "r", "l", "s", "c", "a", "球镜", "柱镜", "轴位", "轴向", "裸眼视力", "矫正视力", "戴镜视力", "裸眼",
        "矫正", "等效球镜", "se", "sph", "cyl", "axis", "va",
    ]

    static func isContinuation(_ row: RawRow) -> Bool {
        let texts = row.cells.map(HeaderText.normalize).filter { !$0.isEmpty }
        guard !texts.isEmpty else { return false }
        return texts.allSatisfy { text in
            continuationTokens.contains(text) || continuationTokens.contains(HeaderText.withoutBracket(text))
                || (text.contains("眼") && ValueParsing.number(text) == nil)
        }
    }

    /// Joins the header rows column by column; a label in an upper row spans the blank cells to
    /// its right (merged cells keep their text in the first cell only).
    static func compose(_ block: [RawRow]) -> VisionLayout? {
        let width = block.map(\.cells.count).max() ?? 0
        var parts = [[String]](repeating: [], count: width)
        for (level, row) in block.enumerated() {
            let isLast = level == block.count - 1
            var carried = ""
            for column in 0..<width {
                let text = HeaderText.normalize(row[column])
                if !text.isEmpty { carried = text }
                let value = text.isEmpty && !isLast ? carried : text
                if !value.isEmpty { parts[column].append(value) }
            }
        }
        var identity: [String: Int] = [:]
        var columns: [Int: VisionColumn] = [:]
        var findings: [Finding] = []
        var headers: [String] = []
        for column in 0..<width {
            headers.append(parts[column].isEmpty ? columnLetter(column) : parts[column].joined(separator: "/"))
            guard let kind = classify(parts[column]) else { continue }
            if case .identity(let key) = kind {
                if identity[key] == nil { identity[key] = column }
                continue
            }
            if let existing = columns.first(where: { $0.value == kind }) {
                findings.append(
                    Finding(
                        .warning, "与第 \(columnLetter(existing.key)) 列含义相同，已忽略", row: block.last?.number,
                        column: headers[column]))
                continue
            }
            columns[column] = kind
        }
        return VisionLayout(
            lastHeaderRow: block.last?.number ?? 0, headers: headers, identity: identity, columns: columns,
            findings: findings)
    }

    /// The meaning of a composed header (its parts from top to bottom).
    static func classify(_ parts: [String]) -> VisionColumn? {
        guard !parts.isEmpty else { return nil }
        let joined = parts.joined()
        var tokens: [String] = []
        for part in parts { tokens += part.split(whereSeparator: { "()/_-|.".contains($0) }).map(String.init) }
        tokens += parts
        if let field = VisionReader.identity.fields.first(where: { spec in
            parts.contains { spec.synonyms.contains($0) || spec.synonyms.contains(HeaderText.withoutBracket($0)) }
        }) {
            return .identity(field.key)
        }
        if joined.contains("角膜塑形") || joined.contains("ok镜") { return .okLens }
        if joined.contains("戴镜类型") || joined.contains("戴镜情况") || joined.contains("眼镜类型")
            || joined.hasPrefix("glasstype")
        {
            return .glassesType
        }
        // National monitoring variable names: VISIONR, SPHERL, CYLINR, AXISL.
        for (prefix, measure) in [
            ("vision", VisionColumn.Measure.acuity), ("spher", .sphere), ("cylin", .cylinder), ("axis", .axis),
        ] where joined.hasPrefix(prefix) {
            if joined.hasSuffix("r") { return .eye(measure, .right) }
            if joined.hasSuffix("l") { return .eye(measure, .left) }
        }
        let eye: VisionColumn.Eye?
        if joined.contains("右") || tokens.contains(where: { ["r", "od"].contains($0) }) || joined.hasPrefix("od")
            || joined.hasSuffix("od")
        {
            eye = .right
        } else if joined.contains("左") || tokens.contains(where: { ["l", "os"].contains($0) }) || joined.hasPrefix("os")
            || joined.hasSuffix("os")
        {
            eye = .left
        } else {
            eye = nil
        }
        guard let eye else { return nil }
        let measure: VisionColumn.Measure?
        if joined.contains("矫正") || joined.contains("戴镜视力") {
            measure = .corrected
        } else if joined.contains("等效球镜") || tokens.contains("se") {
            measure = .se
        } else if joined.contains("球镜") || tokens.contains(where: { ["s", "sph", "ds"].contains($0) }) {
            measure = .sphere
        } else if joined.contains("柱镜") || tokens.contains(where: { ["c", "cyl", "dc"].contains($0) }) {
            measure = .cylinder
        } else if joined.contains("轴") || tokens.contains(where: { ["a", "ax", "axis"].contains($0) }) {
            measure = .axis
        } else if joined.contains("视力") || tokens.contains(where: { ["va", "ucva"].contains($0) }) {
            measure = .acuity
        } else {
            measure = nil
        }
        return measure.map { .eye($0, eye) }
    }
}
