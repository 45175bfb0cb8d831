import Foundation
import GRDB
import Ingest
import Standards
import Store

/// `jiance import followup`: reads a ledger sent back and records what the school filled in on
/// its follow-up sheets (视力转诊台账, 不及格学生台账, 肥胖学生台账, 心理危机干预台账). Rows are found
/// by their 记录号; the screening and result data are never touched. Only the fill-in columns
/// are read, each checked by its type (dates not in the future and within the term's school
/// year, numbers in range, choices from the list, no formulas). A blank cell never erases an
/// answer, and a row from a copy older than the stored answers cannot overwrite them.
public struct FollowUpImporter {
    public let database: JianceDatabase
    /// The one school an upload may touch (a school account's); nil for any school.
    public var onlySchool: Int64?
    /// The day of import, `yyyy-mm-dd`: no follow-up date may be later.
    public var today = Today.date
    /// Which ledgers this import reads: a school's account never the psychological one, a
    /// psychological teacher's only that one.
    public var ledgers: FollowUpLedgers = .all

    public init(database: JianceDatabase) { self.database = database }

    public func importFile(_ url: URL, term: Term, mode: ImportMode = .keepValid) throws -> ImportOutcome {
        try ImportTransaction(database: database, onlySchool: onlySchool).run(
            kind: .followup, file: url, term: term, mode: mode
        ) {
            db, batch, counts, findings in
            let directory = try StudentDirectory(db: db, batch: batch)
            let rows = UpsertWithHistory(db: db, batch: batch, directory: directory)
            let workbook: XLSXWorkbook
            do {
                workbook = try XLSXWorkbook(url: url)
            } catch let error as FileReadError {
                findings.append(error.finding)
                return
            }
            let known =
                switch ledgers {
                case .all: FollowUpSpec.all + [FollowUpSpec.psychCase]
                case .general: FollowUpSpec.all
                case .psych: [FollowUpSpec.psychCase]
                }
            let specs = known.filter { workbook.sheetNames.contains($0.sheet) }
            if specs.isEmpty {
                findings.append(
                    Finding(
                        .error,
                        "文件中没有跟踪台账工作表（\(known.map(\.sheet).joined(separator: "、"))）；请选择 jiance export 导出、学校填写后报回的台账",
                        file: url.lastPathComponent))
                return
            }
            for spec in specs {
                guard let sheet = try workbook.sheet(named: spec.sheet) else { continue }
                let reader = SheetReader(spec: spec, sheet: sheet, term: term, today: today, db: db, rows: rows)
                try reader.read(counts: &counts, findings: &findings)
            }
        }
    }
}

/// The ledgers a follow-up import may read.
public enum FollowUpLedgers: Sendable {
    case all
    /// 视力转诊、不及格、肥胖学生台账.
    case general
    /// 心理危机干预台账.
    case psych
}

/// One follow-up sheet of a returned ledger.
private struct SheetReader {
    let spec: FollowUpSpec
    let sheet: XLSXSheet
    let term: Term
    let today: CalendarDate
    let db: Database
    let rows: UpsertWithHistory

    /// The dates a row of this sheet may carry: the term's school year (1 September to 31
    /// August) up to today; the psych ledger follows a case across terms, so only up to today.
    private var earliestDate: CalendarDate? {
        spec.appendsEvents ? nil : CalendarDate(year: term.startYear, month: 9, day: 1)
    }
    private var latestDate: CalendarDate {
        let end = CalendarDate(year: term.startYear + 1, month: 8, day: 31) ?? today
        return spec.appendsEvents || today < end ? today : end
    }

    private func finding(
        _ severity: Finding.Severity, _ message: String, row: Int?, column: String? = nil, value: String? = nil
    ) -> Finding {
        Finding(severity, message, file: sheet.fileName, sheet: sheet.sheetName, row: row, column: column, value: value)
    }

    func read(counts: inout ImportCounts, findings: inout [Finding]) throws {
        var header: [String: Int]?
        try sheet.forEachRow { row in
            guard let columns = header else {
                if row.cells.contains(spec.recordColumn) {
                    // The last column of a name: fill-in columns follow the locked ones, so a copy
                    // exported before header names were unique is still read from its fill-in cells.
                    let map = Dictionary(row.cells.enumerated().map { ($1, $0) }, uniquingKeysWith: { _, last in last })
                    header = map
                    let missing = spec.columns.map(\.label).filter { map[$0] == nil }
                    if !missing.isEmpty {
                        findings.append(
                            finding(
                                .error, "缺少填写列：\(missing.joined(separator: "、"))；请使用 jiance export 导出的台账，不要删除或改名列",
                                row: row.number))
                    }
                }
                return true
            }
            guard let recordColumn = columns[spec.recordColumn],
                let record = Int64(ValueParsing.normalize(row[recordColumn]))
            else { return true }
            try readRow(row, record: record, columns: columns, counts: &counts, findings: &findings)
            return true
        }
        if header == nil {
            findings.append(finding(.error, "找不到含“\(spec.recordColumn)”的表头行；请使用 jiance export 导出的台账", row: nil))
        }
    }

    private func readRow(
        _ row: RawRow, record: Int64, columns: [String: Int], counts: inout ImportCounts, findings: inout [Finding]
    ) throws {
        var filled: [(String, String)] = []
        var problems: [Finding] = []
        for column in spec.columns {
            guard let index = columns[column.label] else { continue }
            let label = column.label
            if row.formulaColumns.contains(index) {
                problems.append(
                    finding(.error, "此格是公式；请直接填写内容（复制后“选择性粘贴为数值”）", row: row.number, column: label, value: row[index]))
                continue
            }
            let typed = row[index].trimmingCharacters(in: .whitespacesAndNewlines)
            guard !typed.isEmpty else { continue }
            switch check(column, typed) {
            case .success(let value): filled.append((label, value))
            case .failure(let problem):
                problems.append(finding(.error, problem.message, row: row.number, column: label, value: typed))
            }
        }
        // A row the school left empty is not an answer; a row with only bad values is one, rejected.
        guard !filled.isEmpty || !problems.isEmpty else { return }
        counts.read += 1
        // A row of another term or database is reported as such, not by its cells.
        guard try recordMatches(row, record: record, columns: columns, findings: &findings) else {
            counts.rejected += 1
            return
        }
        guard problems.isEmpty else {
            findings.append(contentsOf: problems)
            counts.rejected += 1
            return
        }
        let shown = columns[FollowUpSpec.versionColumn].flatMap { Int64(ValueParsing.normalize(row[$0])) }
        if spec.appendsEvents {
            try appendEvents(row, record: record, shown: shown, filled: filled, counts: &counts, findings: &findings)
        } else {
            try saveAnswers(row, record: record, shown: shown, filled: filled, counts: &counts, findings: &findings)
        }
    }

    /// A typed cell as it is stored, or why it cannot be.
    private func check(_ column: FollowUpSpec.Column, _ text: String) -> Result<String, Problem> {
        switch column {
        case .date:
            guard let date = ValueParsing.date(text) else { return .failure(Problem("日期无法识别；请填写如 2025-10-08 的日期")) }
            if date > today { return .failure(Problem("日期在今天（\(today)）之后；请填写已经发生的日期")) }
            if let earliest = earliestDate, date < earliest || date > latestDate {
                return .failure(Problem("日期不在\(term.schoolYear)学年内（\(earliest) 至 \(latestDate)）；请检查年份，或用对应学期的台账"))
            }
            return .success(date.description)
        case .choice(_, let choices):
            // Compared with full- and half-width folded on both sides: choices carry （）.
            let value = ValueParsing.normalize(text)
            guard let choice = choices.first(where: { ValueParsing.normalize($0) == value }) else {
                return .failure(Problem("不是下拉列表中的选项；请从列表中选择（\(choices.joined(separator: "/"))）"))
            }
            return .success(choice)
        case .number(let label, let range, let unit):
            guard let number = ValueParsing.number(text) else {
                return .failure(
                    Problem("\(label)应为 \(Int(range.lowerBound))–\(Int(range.upperBound)) 之间的数字（\(unit)）；请只填数字，不带单位或文字")
                )
            }
            guard range.contains(number) else {
                return .failure(
                    Problem("\(label)应在 \(Int(range.lowerBound))–\(Int(range.upperBound)) \(unit) 之间；请核对后重新填写"))
            }
            return .success(ValueParsing.normalize(text))
        case .text:
            // Free text is kept as typed (full-width punctuation included).
            return .success(text)
        }
    }

    private struct Problem: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// The record exists, belongs to `--term` (for term sheets), and is the student the row shows.
    private func recordMatches(_ row: RawRow, record: Int64, columns: [String: Int], findings: inout [Finding]) throws
        -> Bool
    {
        let termColumn = spec.appendsEvents ? "NULL" : "r.term_id"
        guard
            let stored = try Row.fetchOne(
                db,
                sql:
                    "SELECT s.student_no, \(termColumn) AS term_id FROM \(spec.table) r JOIN student s ON s.id = r.student_id WHERE r.id = ?",
                arguments: [record])
        else {
            findings.append(
                finding(
                    .error,
                    "\(spec.recordColumn)在数据库中不存在：这份台账导出后，对应的成绩被撤销或重新导入过，或台账来自另一个数据库、\(spec.recordColumn)被改动；请重新导出最新台账后填写",
                    row: row.number, column: spec.recordColumn, value: String(record)))
            return false
        }
        if let recordTerm: String = stored["term_id"], recordTerm != term.description {
            let label = Term(recordTerm)?.label ?? recordTerm
            // Without a value, the rows of one wrong-term ledger fold into one printed line.
            findings.append(
                finding(.error, "此台账属于\(label)，与 --term \(term) 不符；请用 --term \(recordTerm) 导入", row: row.number))
            return false
        }
        // The 学籍号 shown (masked or not) must belong to the record, so an edited 记录号 is caught.
        if let numberColumn = columns["学籍号"], let number: String = stored["student_no"] {
            let shown = ValueParsing.normalize(row[numberColumn])
            if !shown.isEmpty, shown != number, shown != Masking.identifier(number) {
                findings.append(
                    finding(
                        .error, "\(spec.recordColumn)与学籍号不符，此行未导入；请勿修改\(spec.recordColumn)", row: row.number,
                        column: "学籍号", value: shown))
                return false
            }
        }
        return true
    }

    /// Answers merged into the stored ones: a blank cell keeps the stored answer; a row from a
    /// copy older than the stored answers may add answers but not change them.
    private func saveAnswers(
        _ row: RawRow, record: Int64, shown: Int64?, filled: [(String, String)], counts: inout ImportCounts,
        findings: inout [Finding]
    ) throws {
        let stored = try Row.fetchOne(
            db, sql: "SELECT fields, batch_id FROM followup WHERE kind = ? AND record_id = ?",
            arguments: [spec.kind.rawValue, record])
        let storedAnswers = FollowUpAnswers(json: stored?["fields"], batch: stored?["batch_id"])
        if stored != nil, shown != storedAnswers.version {
            let changed = filled.filter { label, value in
                storedAnswers.fields[label].map { !$0.isEmpty && $0 != value } ?? false
            }
            if !changed.isEmpty {
                let detail = changed.map { "\($0.0)（数据库中为“\(storedAnswers.fields[$0.0] ?? "")”，此表为“\($0.1)”）" }.joined(
                    separator: "、")
                findings.append(
                    finding(
                        .error, "此行比数据库中的记录旧（导出后已由批次 \(storedAnswers.version) 更新），未覆盖较新的填写：\(detail)；请导出最新台账后再填写",
                        row: row.number, column: FollowUpSpec.versionColumn, value: shown.map(String.init)))
                counts.rejected += 1
                return
            }
        }
        var merged = storedAnswers.fields
        for (label, value) in filled { merged[label] = value }
        counts.accept(
            try rows.save(
                table: "followup",
                key: [("kind", spec.kind.rawValue.databaseValue), ("record_id", record.databaseValue)],
                inputs: [("fields", jsonObject(merged.map { ($0.key, $0.value.databaseValue) }).databaseValue)],
                derived: []))
    }

    /// The psych ledger: the row must still describe the case as exported (版本 = its last event).
    private func appendEvents(
        _ row: RawRow, record: Int64, shown: Int64?, filled: [(String, String)], counts: inout ImportCounts,
        findings: inout [Finding]
    ) throws {
        let current = try Int64.fetchOne(
            db, sql: "SELECT MAX(id) FROM psych_event WHERE case_id = ?", arguments: [record])
        guard shown == current else {
            findings.append(
                finding(
                    .error,
                    "冲突：导出后此案例在数据库中已有新记录（版本 \(current.map(String.init) ?? "—")，台账中为 \(shown.map(String.init) ?? "空")），此行未导入；请导出最新台账后重新填写",
                    row: row.number, column: FollowUpSpec.versionColumn, value: shown.map(String.init)))
            counts.rejected += 1
            return
        }
        let ledger = PsychLedgerStore(db: db, batch: rows.batch)
        let problems = try ledger.applyFollowUp(
            caseID: record, fields: Dictionary(filled, uniquingKeysWith: { _, last in last }))
        for problem in problems { findings.append(finding(.warning, problem, row: row.number)) }
        counts.accept(.updated)
    }
}
