import GRDB
import Indicators
import Standards

/// A stored screening with the student's identity, for ledgers.
public struct VisionScreeningRow: Sendable {
    public var id: Int64
    public var observation: VisionObservation
    public var studentNo: String?
    public var name: String
    /// The follow-up the school sent back, by column label.
    public var followUp: [String: String]
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
        try database.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT term_id FROM vision_screening").compactMap(Term.init).sorted() }
    }

    public func screenings(term: Term, round: String = "初筛", schoolID: Int64? = nil) throws -> [VisionScreeningRow] {
        let range = schoolRange(schoolID)
        let classifier = VisionClassifier(settings: settings)
        return try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT v.*, s.student_no, s.name AS student_name, f.fields AS followup
                FROM vision_screening v JOIN student s ON s.id = v.student_id
                LEFT JOIN followup f ON f.kind = 'vision-referral' AND f.record_id = v.id
                WHERE v.term_id = ? AND v.round = ? AND v.school_id BETWEEN ? AND ?
                ORDER BY v.school_id, v.grade_code, v.class_name, s.student_no, s.name
                """, arguments: [term.description, round, range.0, range.1]).map { row in
                let grade = (row["grade_code"] as Int?).flatMap(GradeCode.init(code:))
                let sex = (row["sex"] as String?).flatMap(Sex.init(rawValue:))
                let input = VisionInput(studentID: row["student_no"] ?? row["student_name"], grade: grade, sex: sex, ageMonths: row["age_months"],
                                        right: VisionRow.eye(row, "right"), left: VisionRow.eye(row, "left"),
                                        glasses: (row["glasses_type"] as Int?).flatMap(GlassesType.init(rawValue:)))
                let observation = VisionObservation(studentID: row["student_id"], schoolID: row["school_id"], grade: grade, className: row["class_name"],
                                                    sex: sex, result: classifier.classify(input))
                return VisionScreeningRow(id: row["id"], observation: observation, studentNo: row["student_no"], name: row["student_name"],
                                          followUp: FollowUpFields.decode(row["followup"]))
            }
        }
    }

    /// Students with any screening in the school year of `term`, per school (for 建档率).
    public func studentsWithRecord(schoolYearOf term: Term) throws -> [Int64: Set<Int64>] {
        try database.read { db in
            var result: [Int64: Set<Int64>] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT DISTINCT school_id, student_id FROM vision_screening WHERE term_id IN (?, ?)",
                                        arguments: ["\(term.schoolYear)-1", "\(term.schoolYear)-2"]) {
                result[row[0], default: []].insert(row[1])
            }
            return result
        }
    }
}
