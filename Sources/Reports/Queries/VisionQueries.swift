import GRDB
import Indicators
import Standards
import Store

/// A stored screening with the student's identity, for ledgers.
public struct VisionScreeningRow: Sendable {
    public var id: Int64
    public var observation: VisionObservation
    public var studentNo: String?
    public var name: String
    /// The follow-up the school sent back.
    public var followUp: FollowUpAnswers
}

/// Read-only queries over stored screenings; classification is redone from the stored
/// measurements with the settings asked for, so a report can use another boundary.
public struct VisionQueries: Sendable {
    public let database: JianceDatabase
    public var settings: VisionSettings

    public init(database: JianceDatabase, settings: VisionSettings = VisionSettings()) {
        self.database = database
        self.settings = settings
    }

    /// Terms with screenings, oldest first.
    public func terms() throws -> [Term] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT term_id FROM vision_screening").compactMap(Term.init).sorted()
        }
    }

    public func screenings(term: Term, round: VisionRound = .screening, schoolID: Int64? = nil) throws
        -> [VisionScreeningRow]
    {
        try database.read { db in
            var screenings: [VisionScreeningRow] = []
            try forEachScreening(in: db, term: term, round: round, schoolID: schoolID) { screenings.append($0) }
            return screenings
        }
    }

    /// Streams the screenings of `screenings` to `body`, each decoded in place from a cursor.
    public func forEachScreening(
        in db: Database, term: Term, round: VisionRound = .screening, schoolID: Int64? = nil,
        _ body: (VisionScreeningRow) throws -> Void
    ) throws {
        let range = schoolRange(schoolID)
        let classifier = VisionClassifier(settings: settings)
        let columns = SelectList(
            [
                "v.id", "v.student_id", "v.school_id", "v.grade_code", "v.class_name", "v.sex", "v.age_months",
                "v.glasses_type",
            ]
                + VisionRow.eyeColumns("right", prefix: "v.") + VisionRow.eyeColumns("left", prefix: "v.")
                + ["s.student_no", "s.name", "f.fields", "f.batch_id"])
        let (id, student, school, gradeCode, className, sexCode, age, glasses) = (
            columns["v.id"], columns["v.student_id"], columns["v.school_id"], columns["v.grade_code"],
            columns["v.class_name"], columns["v.sex"], columns["v.age_months"], columns["v.glasses_type"]
        )
        let (right, left) = (columns["v.right_va_tenths"], columns["v.left_va_tenths"])
        let (number, studentName, fields, version) = (
            columns["s.student_no"], columns["s.name"], columns["f.fields"], columns["f.batch_id"]
        )
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT \(columns.sql)
                FROM vision_screening v JOIN student s ON s.id = v.student_id
                LEFT JOIN followup f ON f.kind = '\(FollowUpKind.visionReferral.rawValue)' AND f.record_id = v.id
                WHERE v.term_id = ? AND v.round = ? AND v.school_id BETWEEN ? AND ?
                ORDER BY v.school_id, v.grade_code, v.class_name, s.student_no, s.name
                """, arguments: [term.description, round.rawValue, range.0, range.1])
        while let row = try rows.next() {
            let grade = (row[gradeCode] as Int?).flatMap(GradeCode.init(code:))
            let sex = (row[sexCode] as String?).flatMap(Sex.init(rawValue:))
            let studentNo: String? = row[number]
            let name: String = row[studentName]
            let input = VisionInput(
                studentID: studentNo ?? name, grade: grade, sex: sex, ageMonths: row[age],
                right: VisionRow.eye(row, from: right), left: VisionRow.eye(row, from: left),
                glasses: (row[glasses] as Int?).flatMap(GlassesType.init(rawValue:)))
            let observation = VisionObservation(
                studentID: row[student], schoolID: row[school], grade: grade, className: row[className],
                sex: sex, result: classifier.classify(input))
            try body(
                VisionScreeningRow(
                    id: row[id], observation: observation, studentNo: studentNo, name: name,
                    followUp: FollowUpAnswers(json: row[fields], batch: row[version])))
        }
    }

    /// Students with any screening in the school year of `term`, per school (for 建档率).
    public func studentsWithRecord(schoolYearOf term: Term) throws -> [Int64: Set<Int64>] {
        try database.read { db in
            var result: [Int64: Set<Int64>] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT DISTINCT school_id, student_id FROM vision_screening WHERE term_id IN (?, ?)",
                arguments: ["\(term.schoolYear)-1", "\(term.schoolYear)-2"])
            while let row = try rows.next() { result[row[0], default: []].insert(row[1]) }
            return result
        }
    }
}
