import Foundation
import GRDB
import Standards
import Store

/// One import batch as `jiance batches` lists it.
public struct BatchSummary: Sendable, Codable {
    public var id: Int64
    public var importedAt: String
    public var kind: BatchKind
    public var term: String
    public var fileName: String
    public var read: Int
    public var inserted: Int
    public var updated: Int
    public var rejected: Int
    /// The undo that reverted this batch, if any.
    public var undoneBy: Int64?

    /// Whether the batch wrote psychological data (a screening, or events of a returned crisis
    /// ledger): no school account and no general page shows it.
    public var isPsych = false
}

/// What `jiance undo` did.
public struct UndoOutcome: Sendable {
    public var undoBatch: Int64
    /// Rows put back to their values before the batch.
    public var restored = 0
    /// Rows the batch had added, removed.
    public var removed = 0
    /// Psychological cases that received a 撤销 event (their events are append-only).
    public var casesNoted = 0
}

/// Why an undo was refused; nothing was changed.
public struct UndoRefusal: Error, CustomStringConvertible {
    public var description: String
}

/// Lists import batches and undoes one: every row the batch added is removed and every row it
/// changed gets back its whole previous state from `history`, in one transaction, recorded as a
/// batch of its own (kind `undo`, with history, so that the undo is itself visible) and audited.
/// Rows that a later batch changed again are not reverted silently: the undo is refused unless
/// forced. The psychological crisis ledger is append-only (../shared/reference/psych/RULES.md):
/// its cases get a dated 撤销 event instead of losing events.
public struct BatchUndo {
    public let database: JianceDatabase
    public var actor = AuditLog.actor

    public init(database: JianceDatabase) { self.database = database }

    /// Tables whose rows carry the batch that last wrote them, in an order that deletes rows
    /// before the rows they reference.
    static let tables = [
        "fitness_result", "vision_screening", "psych_screening", "academic_score", "followup", "monitoring_result",
        "school_resource", "enrolment", "student",
    ]

    /// The import batches of a term and school (each optional), oldest first; the undo batches
    /// themselves only with `includeUndo`.
    public func batches(term: Term?, school: String?, includeUndo: Bool = false) throws -> [BatchSummary] {
        try database.read { db in
            var conditions = includeUndo ? ["1"] : ["kind != 'undo'"]
            var arguments: StatementArguments = []
            if let term {
                conditions.append("term_id = ?")
                arguments += [term.description]
            }
            if let school {
                // The school's rows a batch wrote: results, enrolment, and answers on its ledgers. Each
                // subquery is uncorrelated, so SQLite reads each table once, not once per batch (the
                // web page of a school of a 100k county lists 250 batches).
                let touched =
                    [
                        "fitness_result", "vision_screening", "psych_screening", "academic_score", "school_resource",
                        "enrolment",
                    ].map { "b.id IN (SELECT batch_id FROM \($0) WHERE school_id = ?)" }
                    + [
                        """
                        b.id IN (SELECT f.batch_id FROM followup f
                                LEFT JOIN fitness_result r ON f.kind LIKE 'fitness-%' AND r.id = f.record_id
                                LEFT JOIN vision_screening v ON f.kind = '\(FollowUpKind.visionReferral.rawValue)' AND v.id = f.record_id
                                WHERE r.school_id = ? OR v.school_id = ?)
                        """,
                        "b.id IN (SELECT e.batch_id FROM psych_event e JOIN psych_case c ON c.id = e.case_id WHERE c.school_id = ?)",
                    ]
                conditions.append(
                    "(" + touched.joined(separator: " OR ") + " OR b.school_id = ? OR b.file_name LIKE ?)")
                let schoolID =
                    try Int64.fetchOne(
                        db, sql: "SELECT id FROM school WHERE name = ? OR code = ?", arguments: [school, school]) ?? -1
                let placeholders = touched.joined().filter { $0 == "?" }.count
                arguments += StatementArguments(Array(repeating: schoolID, count: placeholders + 1)) + ["%\(school)%"]
            }
            return try Self.summaries(db, where: conditions.joined(separator: " AND "), arguments: arguments)
        }
    }

    /// One batch, nil when there is none.
    public func batch(_ id: Int64) throws -> BatchSummary? {
        try database.read { db in try Self.summaries(db, where: "b.id = ?", arguments: [id]).first }
    }

    /// The batches that meet `condition`, oldest first.
    private static func summaries(_ db: Database, where condition: String, arguments: StatementArguments) throws
        -> [BatchSummary]
    {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, imported_at, kind, term_id, file_name, rows_read, rows_inserted, rows_updated, rows_rejected, undone_by,
                    kind LIKE 'psych-%' OR b.id IN (SELECT batch_id FROM psych_event) AS psych
                FROM import_batch b WHERE \(condition) ORDER BY id
                """, arguments: arguments
        ).map { row in
            BatchSummary(
                id: row["id"], importedAt: row["imported_at"], kind: BatchKind(stored: row["kind"]),
                term: row["term_id"], fileName: row["file_name"], read: row["rows_read"],
                inserted: row["rows_inserted"], updated: row["rows_updated"], rejected: row["rows_rejected"],
                undoneBy: row["undone_by"], isPsych: row["psych"])
        }
    }

    /// The findings a batch recorded, in file order.
    public func findings(batch: Int64) throws -> [Finding] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT severity, file, sheet, row, column_name, value, message FROM batch_finding
                    WHERE batch_id = ? ORDER BY id
                    """, arguments: [batch]
            ).map { row in
                Finding(
                    Finding.Severity(rawValue: row["severity"]) ?? .error, row["message"], file: row["file"],
                    sheet: row["sheet"], row: row["row"], column: row["column_name"], value: row["value"])
            }
        }
    }

    public func undo(batch: Int64, force: Bool) throws -> UndoOutcome {
        try database.pool.writeWithoutTransaction { db in
            var outcome: UndoOutcome?
            try db.inTransaction(.immediate) {
                outcome = try undo(batch, force: force, db: db)
                return .commit
            }
            return outcome!
        }
    }

    private func undo(_ batch: Int64, force: Bool, db: Database) throws -> UndoOutcome {
        guard
            let target = try Row.fetchOne(
                db, sql: "SELECT kind, term_id, file_name, undone_by FROM import_batch WHERE id = ?", arguments: [batch]
            )
        else {
            throw UndoRefusal(description: "没有批次 \(batch)；用 jiance batches 查看批次号")
        }
        let kind = BatchKind(stored: target["kind"])
        let fileName: String = target["file_name"]
        if kind == .undo { throw UndoRefusal(description: "批次 \(batch) 本身是一次撤销；要恢复被撤销的数据，请重新导入原文件") }
        if let undone: Int64 = target["undone_by"] { throw UndoRefusal(description: "批次 \(batch) 已在批次 \(undone) 中撤销过") }
        if kind == .followup,
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM psych_event WHERE batch_id = ?)", arguments: [batch]) == true
        {
            throw UndoRefusal(description: "批次 \(batch) 向心理危机干预台账追加了事件；台账事件只能追加、不能撤销。如有填错，请在台账中追加一行更正记录后重新导入")
        }
        // A later undo counts too: a forced undo of an earlier batch that restored these rows
        // would otherwise be reverted here, bringing back the data it removed.
        let later = try Row.fetchAll(
            db,
            sql: """
                SELECT h.table_name, h.row_key, h.batch_id, b.kind = 'undo' AS is_undo FROM history h
                JOIN import_batch b ON b.id = h.batch_id
                WHERE h.batch_id > ? AND b.undone_by IS NULL AND json_extract(h.old_row, '$.batch_id') = ?
                """, arguments: [batch, batch])
        if !later.isEmpty, !force {
            let batches = Set(later.map { row in "\(row["batch_id"] as Int64)\(row["is_undo"] as Bool ? "（撤销）" : "")" })
                .sorted().joined(separator: "、")
            throw UndoRefusal(
                description:
                    "批次 \(batch) 写入的 \(Set(later.map { "\($0["table_name"] as String)/\($0["row_key"] as String)" }).count) 行此后又被批次 \(batches) 改动；撤销会丢掉这些较新的改动。请先撤销较新的批次，或确认后加 --force"
            )
        }
        // Students this batch enrolled whose results a later batch stored: without the roster the
        // coverage rates would count them tested but not enrolled.
        let resultTables = ["fitness_result", "vision_screening", "psych_screening", "academic_score"]
        let dependent = try Int64.fetchAll(
            db,
            sql: """
                SELECT DISTINCT r.batch_id FROM enrolment e
                JOIN (\(resultTables.map { "SELECT student_id, term_id, batch_id FROM \($0)" }.joined(separator: " UNION ALL "))) r
                  ON r.student_id = e.student_id AND r.term_id = e.term_id
                WHERE e.batch_id = ? AND r.batch_id > ? ORDER BY 1
                """, arguments: [batch, batch])
        if !dependent.isEmpty, !force {
            throw UndoRefusal(
                description:
                    "批次 \(batch) 的名册之后，批次 \(dependent.map(String.init).joined(separator: "、")) 又导入了这些学生的成绩；撤销名册会使覆盖率、建档率失真。请先撤销这些批次，或确认后加 --force"
            )
        }
        // Results this batch added that a school has since answered on a follow-up ledger: removing
        // them would leave the answers pointing at nothing.
        let answered = try Int64.fetchAll(
            db,
            sql: """
                SELECT DISTINCT f.batch_id FROM followup f
                LEFT JOIN fitness_result r ON f.kind LIKE 'fitness-%' AND r.id = f.record_id
                LEFT JOIN vision_screening v ON f.kind = '\(FollowUpKind.visionReferral.rawValue)' AND v.id = f.record_id
                WHERE (r.batch_id = ? OR v.batch_id = ?) AND f.batch_id > ? ORDER BY 1
                """, arguments: [batch, batch, batch])
        if !answered.isEmpty, !force {
            throw UndoRefusal(
                description:
                    "批次 \(batch) 的成绩已有学校报回的跟踪台账（批次 \(answered.map(String.init).joined(separator: "、"))）；撤销会使这些填写失去对应的成绩。请先撤销这些台账批次，或确认后加 --force"
            )
        }
        // Cases of this batch that a counsellor has worked on since (later events).
        let followed = try Int64.fetchAll(
            db,
            sql: """
                SELECT DISTINCT later.batch_id FROM psych_event mine JOIN psych_event later ON later.case_id = mine.case_id
                JOIN import_batch b ON b.id = later.batch_id
                WHERE mine.batch_id = ? AND later.batch_id > ? AND b.kind != 'undo'
                """, arguments: [batch, batch])
        if !followed.isEmpty, !force {
            throw UndoRefusal(
                description:
                    "批次 \(batch) 开启或记录的心理案例此后已由批次 \(followed.map(String.init).joined(separator: "、")) 跟进；撤销会把这些案例标为作废。请核实后加 --force"
            )
        }
        if try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM history WHERE batch_id = ? AND old_row IS NULL)", arguments: [batch])
            == true
        {
            throw UndoRefusal(description: "批次 \(batch) 由旧版本的 Jiance 导入，历史中没有完整的旧值，无法撤销；请重新导入正确的文件来更正")
        }

        try db.execute(
            sql:
                "INSERT INTO import_batch (kind, term_id, file_name, sha256, imported_at, mode) VALUES ('undo', ?, ?, '', ?, 'undo')",
            arguments: [target["term_id"] as String, "撤销批次 \(batch)（\(fileName)）", Timestamp.now()])
        var outcome = UndoOutcome(undoBatch: db.lastInsertedRowID)
        let directory = try StudentDirectory(db: db, batch: outcome.undoBatch)

        // Rows the batch changed: back to their whole previous state, the earliest change last.
        let changed = try Row.fetchAll(
            db, sql: "SELECT table_name, row_key, old_row FROM history WHERE batch_id = ? ORDER BY id DESC",
            arguments: [batch])
        var restoredKeys = Set<String>()
        for row in changed {
            let table: String = row["table_name"]
            let key: String = row["row_key"]
            let oldRow: String = row["old_row"]
            try restore(table: table, key: key, to: oldRow, directory: directory, db: db)
            restoredKeys.insert("\(table)/\(key)")
            outcome.restored += 1
        }
        // Rows a later batch changed after this one added them (only with --force).
        let laterAdded = later.filter {
            !restoredKeys.contains("\($0["table_name"] as String)/\($0["row_key"] as String)")
        }
        outcome.casesNoted = try notePsychCases(of: batch, undoBatch: outcome.undoBatch, db: db)
        for table in Self.tables {
            outcome.removed += try removeAdded(
                table: table, batch: batch,
                laterKeys: laterAdded.filter { $0["table_name"] == table }.map { $0["row_key"] },
                directory: directory, db: db)
        }
        try db.execute(
            sql: "UPDATE import_batch SET rows_accepted = ?, rows_updated = ? WHERE id = ?",
            arguments: [outcome.restored + outcome.removed, outcome.restored, outcome.undoBatch])
        try db.execute(
            sql: "UPDATE import_batch SET undone_by = ? WHERE id = ?", arguments: [outcome.undoBatch, batch])
        try AuditLog.append(
            db, actor: actor, action: "undo", target: fileName,
            detail:
                "撤销批次 \(batch)（\(kind.label)）：恢复 \(outcome.restored) 行，移除 \(outcome.removed) 行\(force && !later.isEmpty ? "，--force 覆盖了较新批次的 \(later.count) 处改动" : "")"
        )
        return outcome
    }

    /// Puts one row back to `oldRow` (JSON of every column), keeping what it replaces in history.
    private func restore(table: String, key: String, to oldRow: String, directory: StudentDirectory, db: Database)
        throws
    {
        let columns = try db.columns(in: table).map(\.name).filter { $0 != "id" }
        guard
            let current = try Row.fetchOne(
                db, sql: "SELECT * FROM \(table) WHERE \(HistoryKey.condition(table))",
                arguments: HistoryKey.arguments(table, key))
        else { return }
        try directory.recordHistory(
            table: table, key: key, old: columns.map { ($0, current[$0] as DatabaseValue) },
            new: [("undo", "restored".databaseValue)])
        // json_extract gives each value back with its SQLite type (integer, real, text, null).
        let assignments = columns.map { "\($0) = json_extract(?, '$.\($0)')" }.joined(separator: ", ")
        try db.execute(
            sql: "UPDATE \(table) SET \(assignments) WHERE \(HistoryKey.condition(table))",
            arguments: StatementArguments(Array(repeating: oldRow, count: columns.count))
                + HistoryKey.arguments(table, key))
    }

    /// Removes the rows `batch` added to `table` (those that still name it), and with --force the
    /// ones a later batch changed since; students only when nothing else refers to them.
    private func removeAdded(
        table: String, batch: Int64, laterKeys: [String], directory: StudentDirectory, db: Database
    ) throws -> Int {
        let keyExpression = table == "enrolment" ? "term_id || '/' || student_id" : "CAST(id AS TEXT)"
        var condition = "batch_id = ?"
        if table == "student" {
            let references = [
                "enrolment", "fitness_result", "vision_screening", "psych_screening", "psych_case", "academic_score",
            ]
            condition += references.map { " AND NOT EXISTS (SELECT 1 FROM \($0) r WHERE r.student_id = student.id)" }
                .joined()
        }
        var keys = try String.fetchAll(
            db, sql: "SELECT \(keyExpression) FROM \(table) WHERE \(condition)", arguments: [batch])
        keys += laterKeys
        if table == "psych_screening", !keys.isEmpty {
            try db.execute(
                sql:
                    "UPDATE psych_case SET screening_id = NULL WHERE screening_id IN (SELECT id FROM psych_screening WHERE batch_id = ?)",
                arguments: [batch])
        }
        let columns = try db.columns(in: table).map(\.name)
        for key in keys {
            guard
                let current = try Row.fetchOne(
                    db, sql: "SELECT * FROM \(table) WHERE \(HistoryKey.condition(table))",
                    arguments: HistoryKey.arguments(table, key))
            else { continue }
            try directory.recordHistory(
                table: table, key: key, old: columns.map { ($0, current[$0] as DatabaseValue) },
                new: [("undo", "removed".databaseValue)])
            try db.execute(
                sql: "DELETE FROM \(table) WHERE \(HistoryKey.condition(table))",
                arguments: HistoryKey.arguments(table, key))
        }
        return keys.count
    }

    /// Cases opened or extended by the batch's screening get a dated 撤销 event; a case the batch
    /// opened is closed by it.
    private func notePsychCases(of batch: Int64, undoBatch: Int64, db: Database) throws -> Int {
        let ledger = PsychLedgerStore(db: db, batch: undoBatch)
        let today = Today.date
        let cases = try Row.fetchAll(
            db,
            sql: """
                SELECT DISTINCT c.id, c.batch_id = ? AS opened, c.status FROM psych_case c JOIN psych_event e ON e.case_id = c.id WHERE e.batch_id = ?
                """, arguments: [batch, batch])
        for row in cases {
            let caseID: Int64 = row["id"]
            if row["opened"] as Bool, row["status"] as String != PsychCaseStatus.closed.rawValue {
                try ledger.appendEvent(
                    caseID: caseID, on: today, kind: .closing, detail: "导入批次 \(batch) 已撤销，由该批次筛查开启的案例作废", by: actor)
                try db.execute(
                    sql: "UPDATE psych_case SET status = ? WHERE id = ?",
                    arguments: [PsychCaseStatus.closed.rawValue, caseID])
            } else {
                try ledger.appendEvent(
                    caseID: caseID, on: today, kind: .undone, detail: "导入批次 \(batch) 已撤销，该批次记录的事件作废", by: actor)
            }
        }
        return cases.count
    }
}
