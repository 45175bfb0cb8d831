import GRDB
import Ingest
import Standards
import Store

/// A stored mark of an exam with the school, grade and subject it counts for.
public struct AcademicMarkRow: Sendable, Equatable {
    public var schoolID: Int64
    public var grade: GradeCode
    public var subject: String
    public var mark: AcademicMark
    /// The paper's full mark in tenths.
    public var fullTenths: Int64

    public init(schoolID: Int64, grade: GradeCode, subject: String, mark: AcademicMark, fullTenths: Int64) {
        (self.schoolID, self.grade, self.subject, self.mark, self.fullTenths) = (
            schoolID, grade, subject, mark, fullTenths
        )
    }
}

/// An official value of the national monitoring report for one grade and subject.
public struct MonitoringValue: Sendable {
    public var gradeCode: Int
    public var subject: String
    public var official: AcademicReport.Official
}

/// Read-only queries over stored exam marks and monitoring values.
public struct AcademicQueries: Sendable {
    public let database: JianceDatabase

    public init(database: JianceDatabase) { self.database = database }

    /// Terms with exam marks, oldest first.
    public func terms() throws -> [Term] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT term_id FROM academic_score").compactMap(Term.init).sorted()
        }
    }

    /// The exams of `term`, the latest imported last.
    public func exams(term: Term) throws -> [String] {
        try database.read { db in
            try String.fetchAll(
                db, sql: "SELECT exam FROM academic_score WHERE term_id = ? GROUP BY exam ORDER BY MAX(batch_id)",
                arguments: [term.description])
        }
    }

    /// The monitoring values of the years up to `year`, oldest first.
    public func monitoring(upToYear year: Int) throws -> [MonitoringValue] {
        try database.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT year, subject, grade_code, level, difference, mean_score FROM monitoring_result WHERE year <= ? ORDER BY year",
                arguments: [year]
            ).map { row in
                MonitoringValue(
                    gradeCode: row["grade_code"], subject: row["subject"],
                    official: AcademicReport.Official(
                        year: row["year"], level: (row["level"] as Int?).flatMap(AcademicLevel.init(rawValue:)),
                        difference: row["difference"], meanScore: row["mean_score"]))
            }
        }
    }

    /// Streams every mark of an exam through a cursor, so that a large county's marks are never
    /// all in memory.
    public func forEachMark(term: Term, exam: String, _ body: (AcademicMarkRow) throws -> Void) throws {
        try database.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT school_id, grade_code, subject, status, score_tenths, full_tenths
                    FROM academic_score WHERE term_id = ? AND exam = ? AND grade_code IS NOT NULL
                    """, arguments: [term.description, exam])
            while let row = try rows.next() {
                guard let grade = GradeCode(code: row[1]) else { continue }
                let status: String = row[3]
                let mark: AcademicMark =
                    status == "absent" ? .absent : status == "exempt" ? .exempt : .score(tenths: row[4])
                try body(
                    AcademicMarkRow(schoolID: row[0], grade: grade, subject: row[2], mark: mark, fullTenths: row[5]))
            }
        }
    }
}
