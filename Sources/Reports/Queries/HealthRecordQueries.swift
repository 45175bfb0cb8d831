import GRDB
import Standards
import Store

extension HealthRecordKind {
    /// The table holding this kind's records.
    var table: String {
        switch self {
        case .vision: "vision_screening"
        case .fitness: "fitness_result"
        }
    }
}

/// A student enrolled in a term with the record kinds the school year holds for them.
public struct EnrolledRecord: Sendable {
    public var schoolID: Int64
    public var studentNo: String?
    public var name: String
    public var grade: GradeCode?
    public var className: String?
    public var kinds: Set<HealthRecordKind>

    public init(
        schoolID: Int64, studentNo: String? = nil, name: String, grade: GradeCode? = nil, className: String? = nil,
        kinds: Set<HealthRecordKind>
    ) {
        (self.schoolID, self.studentNo, self.name, self.grade, self.className, self.kinds) = (
            schoolID, studentNo, name, grade, className, kinds
        )
    }

    /// Which of `kinds` the school year holds no record of for this student.
    public func lacking(_ kinds: [HealthRecordKind]) -> [HealthRecordKind] {
        kinds.filter { !self.kinds.contains($0) }
    }
}

public struct HealthRecordQueries: Sendable {
    public let database: JianceDatabase

    public init(database: JianceDatabase) { self.database = database }

    /// Streams every student enrolled in `term` (optionally at one school) to `body` from a cursor,
    /// with the kinds of record stored for them in either term of the school year (at any school:
    /// a student who moved keeps the record).
    public func forEachEnrolled(
        in db: Database, term: Term, schoolID: Int64? = nil, _ body: (EnrolledRecord) throws -> Void
    ) throws {
        let year = ["\(term.schoolYear)-1", "\(term.schoolYear)-2"]
        func exists(_ kind: HealthRecordKind) -> String {
            "EXISTS (SELECT 1 FROM \(kind.table) r WHERE r.term_id IN (?, ?) AND r.student_id = e.student_id)"
        }
        let columns = SelectList(
            ["e.school_id", "s.student_no", "s.name", "e.grade_code", "e.class_name"]
                + HealthRecordKind.allCases.map(exists))
        let (school, number, name) = (columns["e.school_id"], columns["s.student_no"], columns["s.name"])
        let (grade, className) = (columns["e.grade_code"], columns["e.class_name"])
        let kinds: [(kind: HealthRecordKind, column: Int)] = HealthRecordKind.allCases.map { ($0, columns[exists($0)]) }
        let range = schoolRange(schoolID)
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT \(columns.sql)
                FROM enrolment e JOIN student s ON s.id = e.student_id
                WHERE e.term_id = ? AND e.school_id BETWEEN ? AND ?
                ORDER BY e.school_id, e.grade_code, e.class_name, s.student_no, s.name
                """,
            arguments: StatementArguments(HealthRecordKind.allCases.flatMap { _ in year })
                + [term.description, range.0, range.1])
        while let row = try rows.next() {
            try body(
                EnrolledRecord(
                    schoolID: row[school], studentNo: row[number], name: row[name],
                    grade: (row[grade] as Int?).flatMap(GradeCode.init(code:)), className: row[className],
                    kinds: Set(kinds.filter { row[$0.column] as Bool }.map(\.kind))))
        }
    }
}
