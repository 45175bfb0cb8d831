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
}

public struct HealthRecordQueries: Sendable {
    public let database: JianceDatabase

    public init(database: JianceDatabase) { self.database = database }

    /// Every student enrolled in `term`, with the kinds of record stored for them in either term
    /// of the school year (at any school: a student who moved keeps the record).
    public func enrolled(term: Term) throws -> [EnrolledRecord] {
        let year = ["\(term.schoolYear)-1", "\(term.schoolYear)-2"]
        let exists = HealthRecordKind.allCases.map {
            "EXISTS (SELECT 1 FROM \($0.table) r WHERE r.term_id IN (?, ?) AND r.student_id = e.student_id)"
        }
        return try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT e.school_id, s.student_no, s.name, e.grade_code, e.class_name, \(exists.joined(separator: ", "))
                    FROM enrolment e JOIN student s ON s.id = e.student_id WHERE e.term_id = ?
                    ORDER BY e.school_id, e.grade_code, e.class_name, s.student_no, s.name
                    """,
                arguments: StatementArguments(HealthRecordKind.allCases.flatMap { _ in year } + [term.description])
            ).map { row in
                EnrolledRecord(
                    schoolID: row[0], studentNo: row[1], name: row[2],
                    grade: (row[3] as Int?).flatMap(GradeCode.init(code:)), className: row[4],
                    kinds: Set(
                        HealthRecordKind.allCases.enumerated().filter { row[5 + $0.offset] as Bool }.map(\.element)))
            }
        }
    }
}
