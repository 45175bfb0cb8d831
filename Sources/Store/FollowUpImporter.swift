import Foundation
import GRDB
import Ingest
import Standards

/// `jiance import followup`: reads a school ledger sent back and records what the school filled
/// in on its follow-up sheets (视力转诊台账, 不及格学生台账, 肥胖学生台账). Rows are found by their
/// 记录号; the screening and result data are never touched. A changed follow-up keeps the
/// previous one in history.
public struct FollowUpImporter {
    public let database: JianceDatabase

    public init(database: JianceDatabase) { self.database = database }

    public func importFile(_ url: URL, term: Term, mode: ImportMode = .keepValid) throws -> ImportOutcome {
        try ImportRunner(database: database).run(kind: "followup", file: url, term: term, mode: mode) { db, batch, counts, findings in
            let directory = try StudentDirectory(db: db, batch: batch)
            let rows = VersionedRows(db: db, batch: batch, directory: directory)
            let workbook: XLSXWorkbook
            do {
                workbook = try XLSXWorkbook(url: url)
            } catch let error as FileReadError {
                findings.append(error.finding)
                return
            }
            let known = FollowUpSpec.all + [FollowUpSpec.psychCase]
            let specs = known.filter { workbook.sheetNames.contains($0.sheet) }
            if specs.isEmpty {
                findings.append(Finding(.error, "文件中没有跟踪台账工作表（\(known.map(\.sheet).joined(separator: "、"))）", file: url.lastPathComponent))
                return
            }
            for spec in specs {
                guard let sheet = try workbook.sheet(named: spec.sheet) else { continue }
                try read(sheet, spec: spec, db: db, rows: rows, counts: &counts, findings: &findings)
            }
        }
    }

    private func read(_ sheet: XLSXSheet, spec: FollowUpSpec, db: Database, rows: VersionedRows, counts: inout ImportCounts, findings: inout [Finding]) throws {
        var header: [String: Int]?
        var headerTexts: [String] = []
        func finding(_ severity: Finding.Severity, _ message: String, row: Int, column: String? = nil, value: String? = nil) -> Finding {
            Finding(severity, message, file: sheet.fileName, sheet: sheet.sheetName, row: row, column: column, value: value)
        }
        try sheet.forEachRow { row in
            guard let columns = header else {
                if row.cells.contains(spec.recordColumn) {
                    headerTexts = row.cells
                    header = Dictionary(row.cells.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
                    let missing = spec.columns.map(\.label).filter { header?[$0] == nil }
                    if !missing.isEmpty { findings.append(finding(.error, "缺少填写列：\(missing.joined(separator: "、"))", row: row.number)) }
                }
                return true
            }
            guard let recordColumn = columns[spec.recordColumn], let record = Int64(ValueParsing.normalize(row[recordColumn])) else { return true }
            var fields: [(String, DatabaseValue)] = []
            var rejected = false
            var filledCells = 0
            for column in spec.columns {
                guard let index = columns[column.label] else { continue }
                let text = ValueParsing.normalize(row[index])
                guard !text.isEmpty else { continue }
                filledCells += 1
                switch column {
                case .date(let label):
                    guard let date = ValueParsing.date(text) else {
                        findings.append(finding(.error, "日期无法识别（如 2025-10-08）", row: row.number, column: label, value: text))
                        rejected = true
                        continue
                    }
                    fields.append((label, ValueParsing.isoDate(date).databaseValue))
                case .choice(let label, let choices):
                    if !choices.contains(text) { findings.append(finding(.warning, "不是下拉列表中的选项（\(choices.joined(separator: "/"))），已按原文记录", row: row.number, column: label, value: text)) }
                    fields.append((label, text.databaseValue))
                case .text(let label):
                    fields.append((label, text.databaseValue))
                }
            }
            // A row the school left empty is not an answer; a row with only bad values is one, rejected.
            guard filledCells > 0 else { return true }
            counts.read += 1
            guard let stored = try Row.fetchOne(db, sql: "SELECT s.student_no FROM \(spec.table) r JOIN student s ON s.id = r.student_id WHERE r.id = ?", arguments: [record]) else {
                findings.append(finding(.error, "\(spec.recordColumn)在数据库中不存在（台账可能来自另一个数据库，或\(spec.recordColumn)被改动）", row: row.number, column: spec.recordColumn, value: String(record)))
                counts.rejected += 1
                return true
            }
            // The 学籍号 shown (masked or not) must belong to the record, so an edited 记录号 is caught.
            if let numberColumn = headerTexts.firstIndex(of: "学籍号"), let number: String = stored["student_no"] {
                let shown = ValueParsing.normalize(row[numberColumn])
                if !shown.isEmpty, shown != number, shown != Masking.identifier(number) {
                    findings.append(finding(.error, "记录号与学籍号不符，此行未导入", row: row.number, column: "学籍号", value: shown))
                    rejected = true
                }
            }
            guard !rejected else {
                counts.rejected += 1
                return true
            }
            if spec.versioned {
                // The psych ledger: the row must still describe the case as exported (版本 = its last event).
                let current = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM psych_event WHERE case_id = ?", arguments: [record])
                let shown = columns[FollowUpSpec.versionColumn].flatMap { Int64(ValueParsing.normalize(row[$0])) }
                guard shown == current else {
                    findings.append(finding(.error, "冲突：导出后此案例在数据库中已有新记录（版本 \(current.map(String.init) ?? "—")，台账中为 \(shown.map(String.init) ?? "空")），此行未导入；请导出最新台账后重新填写",
                                            row: row.number, column: FollowUpSpec.versionColumn, value: shown.map(String.init)))
                    counts.rejected += 1
                    return true
                }
                let ledger = PsychLedgerStore(db: db, batch: rows.batch)
                let problems = try ledger.applyFollowUp(caseID: record, fields: Dictionary(uniqueKeysWithValues: fields.map { ($0.0, String.fromDatabaseValue($0.1) ?? "") }))
                for problem in problems { findings.append(finding(.warning, problem, row: row.number)) }
                counts.accept(.updated)
                return true
            }
            counts.accept(try rows.save(table: "followup", key: [("kind", spec.kind.databaseValue), ("record_id", record.databaseValue)],
                                        inputs: [("fields", jsonObject(fields).databaseValue)], derived: []))
            return true
        }
        if header == nil { findings.append(Finding(.error, "找不到含“\(spec.recordColumn)”的表头行", file: sheet.fileName, sheet: sheet.sheetName)) }
    }
}
