import Foundation
import GRDB
import Ingest
import Standards
import Store

/// Row counts of one import.
public struct ImportCounts: Sendable, Equatable, Codable {
    public var read = 0
    public var accepted = 0
    public var rejected = 0
    /// Accepted rows that created something new.
    public var inserted = 0
    /// Accepted rows that changed stored values (the previous values go to history).
    public var updated = 0
    /// Accepted rows identical to what was stored.
    public var unchanged = 0
    /// Rejected rows of a school other than the one an upload may touch.
    public var otherSchools = 0

    public init() {}

    /// Adds what the reader counted (rows read, rows it rejected) and puts its findings first.
    public mutating func absorb(_ summary: ReadSummary, findings: inout [Finding]) {
        read += summary.rowsRead
        rejected += summary.rowsRejected
        findings = summary.findings + findings
    }

    /// Counts one row by what it did to the database: a row that kept the stored one is rejected.
    public mutating func accept(_ change: RowChange) {
        guard !change.keptStoredRow else {
            rejected += 1
            return
        }
        accepted += 1
        if accepted == FaultInjection.killAfterRows { kill(getpid(), SIGKILL) }
        switch change {
        case .inserted: inserted += 1
        case .updated: updated += 1
        case .unchanged, .keptStored, .keptStoredCells: unchanged += 1
        }
    }
}

/// Test-only fault injection: with `JIANCE_TEST_KILL_AFTER_ROWS=N` in the environment the process
/// kills itself (SIGKILL) once an import has written N rows, inside its transaction, so that the
/// crash tests land a kill where it matters every time instead of after a guessed delay.
enum FaultInjection {
    static let killAfterRows: Int? = ProcessInfo.processInfo.environment["JIANCE_TEST_KILL_AFTER_ROWS"].flatMap(
        Int.init)
}

/// The result of importing one file.
public struct ImportOutcome: Sendable {
    public var kind: BatchKind
    public var fileName: String
    public var term: Term
    /// The new batch, nil when nothing was written.
    public var batchID: Int64?
    /// Set when the same file (same SHA-256) was already imported for this kind and term.
    public var duplicateOfBatch: Int64?
    public var counts = ImportCounts()
    public var findings: [Finding] = []
    /// False when nothing was kept: the file was refused whole, `--strict` rolled it back, or it
    /// was a duplicate that changed nothing.
    public var committed = false
    /// True when the file was refused whole: no row could be accepted and an error says why.
    public var refused = false

    public var hasErrors: Bool { counts.rejected > 0 || findings.contains { $0.severity == .error } }
}

/// How an import treats rejected rows.
public enum ImportMode: String, Sendable {
    /// Keep the valid rows, report the rejected ones (default).
    case keepValid = "keep-valid"
    /// Keep nothing when any row is rejected.
    case strict
}

/// The body of an import: reads the file and writes its rows inside the batch's transaction.
public typealias ImportBody = (
    _ db: Database, _ batch: Int64, _ counts: inout ImportCounts, _ findings: inout [Finding]
) throws -> Void

/// Runs one file import as one transaction with provenance: the batch row records counts and
/// findings, and the audit log who imported what. Nothing is kept of an import that changed
/// nothing: a file without data rows and a file refused whole (no row accepted, an error found)
/// are rolled back; `strict` rolls back any file with a rejected row; a file whose SHA-256 an
/// earlier batch already imported is rolled back when it changed no row, but imported again when
/// the stored rows differ from it (after an undo, or after a later file changed the same
/// students). The file is read either way: whether it changes anything is known only then.
public struct ImportTransaction {
    public let database: JianceDatabase
    public var actor = AuditLog.actor
    /// The one school the file may touch (a school account's upload): a file with any row of
    /// another school is refused whole.
    public var onlySchool: Int64?

    public init(database: JianceDatabase, onlySchool: Int64? = nil) {
        self.database = database
        self.onlySchool = onlySchool
    }

    /// Rows a batch wrote or changed that belong to a school other than `school`.
    static func rowsOfOtherSchools(_ db: Database, batch: Int64, school: Int64) throws -> Int {
        try Int.fetchOne(
            db,
            sql: """
                SELECT (SELECT COUNT(*) FROM fitness_result WHERE batch_id = ?1 AND school_id <> ?2)
                    + (SELECT COUNT(*) FROM vision_screening WHERE batch_id = ?1 AND school_id <> ?2)
                    + (SELECT COUNT(*) FROM psych_screening WHERE batch_id = ?1 AND school_id <> ?2)
                    + (SELECT COUNT(*) FROM psych_case WHERE batch_id = ?1 AND school_id <> ?2)
                    + (SELECT COUNT(*) FROM psych_event WHERE batch_id = ?1
                        AND case_id IN (SELECT id FROM psych_case WHERE school_id <> ?2))
                    + (SELECT COUNT(*) FROM academic_score WHERE batch_id = ?1 AND school_id <> ?2)
                    + (SELECT COUNT(*) FROM school_resource WHERE batch_id = ?1 AND school_id <> ?2)
                    + (SELECT COUNT(*) FROM monitoring_result WHERE batch_id = ?1)
                    + (SELECT COUNT(*) FROM enrolment WHERE batch_id = ?1 AND school_id <> ?2)
                    + (SELECT COUNT(*) FROM student WHERE batch_id = ?1 AND school_id IS NOT ?2)
                    + (SELECT COUNT(*) FROM followup WHERE batch_id = ?1 AND (
                        (kind LIKE 'vision%' AND record_id IN (SELECT id FROM vision_screening WHERE school_id <> ?2))
                        OR (kind LIKE 'fitness%' AND record_id IN (SELECT id FROM fitness_result WHERE school_id <> ?2))))
                """, arguments: [batch, school]) ?? 0
    }

    public func run(kind: BatchKind, file url: URL, term: Term, mode: ImportMode, body: ImportBody) throws
        -> ImportOutcome
    {
        var outcome = ImportOutcome(kind: kind, fileName: url.lastPathComponent, term: term)
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            outcome.refused = true
            outcome.findings.append(
                Finding(.error, "这是一个文件夹，不是表格文件；请给出文件夹中的 .xlsx、.xls 或 .csv 文件", file: url.lastPathComponent))
            return outcome
        }
        let unreadable = Finding(.error, "文件不存在或无法读取，请检查路径和文件名", file: url.lastPathComponent)
        guard FileManager.default.isReadableFile(atPath: url.path) else {
            outcome.refused = true
            outcome.findings.append(unreadable)
            return outcome
        }
        // Hashed on its own thread while the file is imported; the batch row gets the digest before
        // it commits (a batch rolled back never keeps its empty placeholder).
        let fileDigest = FileDigest(of: url)
        try database.pool.writeWithoutTransaction { db in
            try db.inTransaction(.immediate) {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO term (id, start_year, semester) VALUES (?, ?, ?)",
                    arguments: [term.description, term.startYear, term.semester])
                try db.execute(
                    sql:
                        """
                        INSERT INTO import_batch (kind, term_id, file_name, sha256, imported_at, mode, actor, school_id)
                        VALUES (?, ?, ?, '', ?, ?, ?, ?)
                        """,
                    arguments: [
                        kind.stored, term.description, url.lastPathComponent, Timestamp.now(), mode.rawValue,
                        actor,
                        onlySchool,
                    ])
                let batch = db.lastInsertedRowID
                var counts = ImportCounts()
                var findings: [Finding] = []
                try body(db, batch, &counts, &findings)
                if let onlySchool {
                    let foreign = try Self.rowsOfOtherSchools(db, batch: batch, school: onlySchool)
                    if foreign > 0 || counts.otherSchools > 0 {
                        outcome.refused = true
                        outcome.findings = [
                            Finding(
                                .error,
                                "文件中有 \(max(foreign, counts.otherSchools)) 行属于其他学校（或是学校名单）：学校账号只能导入本校的数据，整个文件未导入；请删去这些行后重新上传",
                                file: url.lastPathComponent)
                        ]
                        return .rollback
                    }
                }
                outcome.counts = counts
                outcome.findings = findings
                guard let digest = try? fileDigest.wait() else {
                    outcome.refused = true
                    outcome.findings = [unreadable]
                    return .rollback
                }
                try db.execute(sql: "UPDATE import_batch SET sha256 = ? WHERE id = ?", arguments: [digest, batch])
                let earlier = try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT id FROM import_batch WHERE kind = ? AND term_id = ? AND sha256 = ? AND rows_accepted > 0 AND undone_by IS NULL AND id < ?
                        ORDER BY id DESC LIMIT 1
                        """, arguments: [kind.stored, term.description, digest, batch])
                if counts.inserted + counts.updated == 0, let earlier {
                    // Nothing new to report: the earlier batch's findings were reported then.
                    let rejected =
                        try Int.fetchOne(
                            db, sql: "SELECT rows_rejected FROM import_batch WHERE id = ?", arguments: [earlier]) ?? 0
                    outcome.duplicateOfBatch = earlier
                    outcome.counts = ImportCounts()
                    outcome.findings = [
                        Finding(
                            .info,
                            "此文件已在批次 \(earlier) 中导入（SHA-256 相同），数据库没有任何变化"
                                + (rejected > 0 ? "；该批次当时拒绝了 \(rejected) 行，修改文件后可重新导入" : ""),
                            file: url.lastPathComponent)
                    ]
                    return .rollback
                }
                if counts.accepted == 0, outcome.hasErrors {
                    outcome.refused = true
                    return .rollback
                }
                if let earlier, counts.inserted > 0 {
                    // The same file adds rows beside its earlier import (another screening wave, or
                    // rows since removed): said, so that a double import is seen and can be undone.
                    findings.append(
                        Finding(
                            .warning,
                            "此文件（SHA-256 相同）已在批次 \(earlier) 中导入过，这次又新增了 \(counts.inserted) 行；如是同一次筛查或考试的重复导入，请撤销本批次",
                            file: url.lastPathComponent))
                    outcome.findings = findings
                }
                if counts.read == 0 {
                    return .rollback
                }
                if mode == .strict, outcome.hasErrors {
                    return .rollback
                }
                try db.execute(
                    sql: """
                        UPDATE import_batch SET rows_read = ?, rows_accepted = ?, rows_rejected = ?,
                            rows_inserted = ?, rows_updated = ?, rows_unchanged = ? WHERE id = ?
                        """,
                    arguments: [
                        counts.read, counts.accepted, counts.rejected, counts.inserted, counts.updated,
                        counts.unchanged, batch,
                    ])
                let insert = try db.makeStatement(
                    sql:
                        "INSERT INTO batch_finding (batch_id, severity, file, sheet, row, column_name, value, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                )
                for finding in findings {
                    try insert.executeBinding(
                        [
                            batch.databaseValue, finding.severity.rawValue.databaseValue, finding.file.databaseValue,
                            finding.sheet.databaseValue,
                            finding.row.databaseValue, finding.column.databaseValue, finding.value.databaseValue,
                            finding.message.databaseValue,
                        ], in: db)
                }
                try AuditLog.append(
                    db, actor: actor, action: "import-\(kind.stored)", target: url.lastPathComponent,
                    detail: "批次 \(batch)，学期 \(term)，接受 \(counts.accepted) 行，拒绝 \(counts.rejected) 行")
                outcome.batchID = batch
                outcome.committed = true
                return .commit
            }
        }
        return outcome
    }
}
