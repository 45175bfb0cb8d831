import GRDB
import Ingest
import Standards
import Store

/// A student enrolled in a term, with the school-term's grade and class.
public struct EnrolledStudent: Sendable, Equatable {
    public var studentID: Int64
    public var studentNo: String?
    public var name: String
    public var sex: Sex?
    public var birthDate: CalendarDate?
    public var ethnicity: String?
    public var grade: GradeCode?
    public var className: String?
}

/// Read-only queries over schools, students and terms.
public struct RosterQueries: Sendable {
    public let database: JianceDatabase

    public init(database: JianceDatabase) { self.database = database }

    /// The school named or coded `reference`, written as in a file (full-width brackets and
    /// digits, spaces around) or as stored: imports fold the same way.
    public func school(_ reference: String) throws -> SchoolInfo? {
        let key = ValueParsing.normalize(reference)
        return try database.schools().first { $0.name == key || $0.code == key }
    }

    /// Terms that have data, oldest first. Official monitoring values belong to a year, not to a
    /// term's students: the term their batch is filed under does not count.
    public func terms() throws -> [Term] {
        try database.read { db in
            // The terms that hold data now (an undone batch leaves none behind), in every command alike.
            try String.fetchAll(
                db,
                sql: ["enrolment", "fitness_result", "vision_screening", "psych_screening", "academic_score"]
                    .map { "SELECT term_id FROM \($0)" }.joined(separator: " UNION ")
            ).compactMap(Term.init).sorted()
        }
    }

    /// Students enrolled at `schoolID` in `term`, by grade, class and name.
    public func enrolledStudents(term: Term, schoolID: Int64) throws -> [EnrolledStudent] {
        try database.read { db in
            var students: [EnrolledStudent] = []
            try forEachEnrolled(in: db, term: term, schoolID: schoolID) { students.append($0) }
            return students
        }
    }

    /// Streams the students of `enrolledStudents` to `body` from a cursor.
    public func forEachEnrolled(
        in db: Database, term: Term, schoolID: Int64, _ body: (EnrolledStudent) throws -> Void
    ) throws {
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT s.id, s.student_no, s.name, s.sex, s.birth_date, s.ethnicity, e.grade_code, e.class_name
                FROM enrolment e JOIN student s ON s.id = e.student_id
                WHERE e.term_id = ? AND e.school_id = ?
                ORDER BY e.grade_code, e.class_name, s.student_no, s.name
                """, arguments: [term.description, schoolID])
        while let row = try rows.next() {
            try body(
                EnrolledStudent(
                    studentID: row[0], studentNo: row[1], name: row[2],
                    sex: (row[3] as String?).flatMap(Sex.init(rawValue:)),
                    birthDate: row[4], ethnicity: row[5], grade: (row[6] as Int?).flatMap(GradeCode.init(code:)),
                    className: row[7]))
        }
    }

    /// Number of students enrolled per school in `term`.
    public func enrolmentCounts(term: Term) throws -> [Int64: Int] {
        try database.read { db in
            var counts: [Int64: Int] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT school_id, COUNT(*) FROM enrolment WHERE term_id = ? GROUP BY school_id",
                arguments: [term.description])
            {
                counts[row[0]] = row[1]
            }
            return counts
        }
    }
}
