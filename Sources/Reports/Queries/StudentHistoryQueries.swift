import Foundation
import GRDB
import Indicators
import Standards
import Store

/// The stored rows of students' records: enrolments, fitness results and vision screenings
/// (never the psychological tables, ../shared/reference/psych/RULES.md, Confidentiality).
enum StudentHistoryQueries {
    /// The id of the student with `studentNo`, written with spaces around or in lower case.
    static func studentID(_ db: Database, studentNo: String) throws -> Int64? {
        try Int64.fetchOne(
            db, sql: "SELECT id FROM student WHERE student_no = ?",
            arguments: [studentNo.trimmingCharacters(in: .whitespaces).uppercased()])
    }

    /// The records of the students with `studentIDs`, 500 at a time.
    static func records(_ db: Database, studentIDs: [Int64]) throws -> [Int64: StudentHistory] {
        var records: [Int64: StudentHistory] = [:]
        for start in stride(from: 0, to: studentIDs.count, by: 500) {
            let chunk = Array(studentIDs[start..<min(start + 500, studentIDs.count)])
            let ids = "(" + Array(repeating: "?", count: chunk.count).joined(separator: ",") + ")"
            func rows(_ sql: String) throws -> [Int64: [Row]] {
                Dictionary(grouping: try Row.fetchAll(db, sql: sql, arguments: StatementArguments(chunk))) {
                    $0["student_id"]
                }
            }
            let enrolments = try rows(
                """
                SELECT e.student_id, e.term_id, s.name AS school, e.grade_code, e.class_name FROM enrolment e
                JOIN school s ON s.id = e.school_id WHERE e.student_id IN \(ids) ORDER BY e.term_id
                """)
            let fitness = try rows(
                "SELECT * FROM fitness_result WHERE student_id IN \(ids) AND round = \(FitnessRound.regular.sqlLiteral) ORDER BY term_id"
            )
            let vision = try rows(
                """
                SELECT v.*, f.fields FROM vision_screening v
                LEFT JOIN followup f ON f.kind = '\(FollowUpKind.visionReferral.rawValue)' AND f.record_id = v.id
                WHERE v.student_id IN \(ids) ORDER BY v.term_id, v.round
                """)
            for student in try Row.fetchAll(
                db, sql: "SELECT * FROM student WHERE id IN \(ids)", arguments: StatementArguments(chunk))
            {
                let id: Int64 = student["id"]
                records[id] = StudentHistory(
                    studentNo: student["student_no"], name: student["name"],
                    sex: (student["sex"] as String?).flatMap(Sex.init(rawValue:)), birthDate: student["birth_date"],
                    enrolments: (enrolments[id] ?? []).compactMap(enrolment),
                    fitness: (fitness[id] ?? []).compactMap(fitnessYear),
                    vision: (vision[id] ?? []).compactMap(screening))
            }
        }
        return records
    }

    private static func enrolment(_ row: Row) -> StudentHistory.Enrolment? {
        guard let term = Term(row["term_id"] as String) else { return nil }
        return StudentHistory.Enrolment(
            term: term, school: row["school"], grade: (row["grade_code"] as Int?).flatMap(GradeCode.init(code:)),
            className: row["class_name"])
    }

    /// A fitness result without its 毕业成绩, which `StudentHistory` works out from the earlier years.
    private static func fitnessYear(_ row: Row) -> StudentHistory.FitnessYear? {
        guard let term = Term(row["term_id"] as String), let grade = GradeCode(code: row["grade_code"]),
            let status = FitnessStatus(rawValue: row["status"])
        else { return nil }
        let items = FitnessItem.measured.compactMap { item -> (item: FitnessItem, result: Double, score: Int?)? in
            guard let result: Double = row[item.rawValue] else { return nil }
            return (item, result, row["\(item.rawValue)_score"])
        }
        return StudentHistory.FitnessYear(
            term: term, grade: grade, status: status, heightCm: row["height_cm"], weightKg: row["weight_kg"],
            bmi: (row["bmi_tenths"] as Int?).map { Double($0) / 10 }, bmiCategory: row["bmi_category"],
            items: items,
            standardHundredths: row["standard_hundredths"], bonus: row["bonus"],
            totalHundredths: row["total_hundredths"],
            rating: (row["rating"] as String?).flatMap(FitnessRating.init(rawValue:)), graduationHundredths: nil)
    }

    private static func screening(_ row: Row) -> StudentHistory.Screening? {
        guard let term = Term(row["term_id"] as String) else { return nil }
        func acuity(_ eye: String) -> String? {
            if let tenths: Int = row["\(eye)_va_tenths"] { return "\(tenths / 10).\(tenths % 10)" }
            return row["\(eye)_va_text"]
        }
        func se(_ eye: String) -> Double? {
            if let given: Int = row["\(eye)_se_given"] { return Double(given) / 1000 }
            guard let sphere: Int = row["\(eye)_sphere"] else { return nil }
            return (Double(sphere) + Double((row["\(eye)_cylinder"] as Int?) ?? 0) / 2) / 1000
        }
        let fields = (row["fields"] as String?).flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) }
        return StudentHistory.Screening(
            term: term, round: (row["round"] as String?).flatMap(VisionRound.init(rawValue:)) ?? .screening,
            right: acuity("right"), left: acuity("left"), rightSE: se("right"),
            leftSE: se("left"), myopic: row["myopic"], lowVisionGrade: row["low_vision_grade"],
            needsReferral: row["needs_referral"], followUp: fields as? [String: String] ?? [:])
    }
}
