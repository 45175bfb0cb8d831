import Foundation
import GRDB
import Ingest
import Standards
import Store

/// The frame every result import shares (fitness, vision, psychological screening, exams), inside
/// the batch's transaction: the file is read and scored on a second thread (`ReadAheadPipeline`); here each
/// row's student and school are resolved (a row whose school cannot be known is rejected), the
/// row's scoring remarks are placed in the file, and `save` writes it.
struct StudentResultImport {
    let db: Database
    let batch: Int64
    let file: URL
    let term: Term
    let defaultSchool: String?
    /// The one school the file may touch (a school account's upload): other schools' rows are rejected.
    var onlySchool: Int64?

    func run<Item: Sendable>(
        counts: inout ImportCounts, findings: inout [Finding],
        produce: @escaping @Sendable (_ emit: (consuming Item) throws -> Void) throws -> ReadSummary,
        student: (Item) -> StudentRecord, remarks: (Item) -> [Finding],
        save: (_ item: Item, _ student: Int64, _ school: Int64, _ rows: UpsertWithHistory) throws -> RowChange
    ) throws {
        let directory = try StudentDirectory(db: db, batch: batch)
        let rows = UpsertWithHistory(db: db, batch: batch, directory: directory)
        let fileName = file.lastPathComponent
        let resolver = try ResultStudentResolver(
            directory: directory, term: term, defaultSchool: defaultSchool, file: file)
        let summary = try ReadAheadPipeline.run(
            produce: produce,
            consume: { (item: Item) in
                let record = student(item)
                guard let (studentID, schoolID) = try resolver.resolve(record, findings: &findings) else {
                    counts.rejected += 1
                    return
                }
                if let onlySchool, schoolID != onlySchool {
                    findings.append(
                        Finding(
                            .error, "此行的学生属于其他学校：学校账号只能导入本校的数据", file: fileName, row: record.row,
                            column: record.studentNo == nil ? "姓名" : "学籍号", value: record.studentNo ?? record.name))
                    counts.rejected += 1
                    counts.otherSchools += 1
                    return
                }
                let change = try save(item, studentID, schoolID, rows)
                // A row not stored is reported for that alone: the scorer's remarks describe a
                // result the database does not hold.
                if !change.keptStoredRow {
                    findings.append(contentsOf: remarks(item).located(file: fileName, row: record.row))
                }
                switch change {
                case .keptStored:
                    findings.append(
                        Finding(
                            .error, "此行没有任何测量结果，而数据库中已有此学生本学期的结果：未用空白覆盖；如需更正请填写结果后重新导入", file: fileName, row: record.row
                        ))
                case .keptStoredCells(let labels):
                    findings.append(
                        Finding(
                            .error,
                            "此行的\(labels.joined(separator: "、"))为空，而数据库中已有此学生本学期的这些结果：未用空白覆盖，此行未导入；请填写完整后重新导入（要去掉已导入的结果，请用 jiance undo 撤销那次导入）",
                            file: fileName, row: record.row))
                case .inserted, .updated, .unchanged: break
                }
                counts.accept(change)
            })
        resolver.finish(findings: &findings)
        if counts.accepted > 0,
            try Bool.fetchOne(
                db, sql: "SELECT NOT EXISTS (SELECT 1 FROM enrolment WHERE term_id = ?)", arguments: [term.description])
                == true
        {
            findings.append(
                Finding(
                    .warning, "\(term.label)还没有导入学籍名册：覆盖率、建档率等以在籍人数为分母的指标将为空；请用 jiance import roster 导入本学期名册",
                    file: fileName))
        }
        counts.absorb(summary, findings: &findings)
    }
}

/// A result row's columns, built on the reading thread so that the writing thread only resolves
/// the student and binds: the inputs (which decide whether a re-import changed anything; the
/// school comes first, once the student is resolved) and what the scorer made of them.
struct ResultRow: Sendable {
    let student: StudentRecord
    /// The scorer's remarks on the row, placed in the file by `StudentResultImport`.
    let remarks: [Finding]
    let inputs: [(String, DatabaseValue)]
    let derived: [(String, DatabaseValue)]
    /// Nothing measured: nothing to store over an earlier result (`UpsertWithHistory.save`).
    let isBlank: Bool
    /// The measurements a blank cell of this row must not erase where the stored row has them.
    var measured: [MeasuredColumns] = []

    /// Saves the row under `key` for the student's school.
    func save(in rows: UpsertWithHistory, table: String, key: [(String, DatabaseValue)], school: Int64) throws
        -> RowChange
    {
        try rows.save(
            table: table, key: key, inputs: [("school_id", school.databaseValue)] + inputs, derived: derived,
            blank: isBlank, measured: measured)
    }
}
