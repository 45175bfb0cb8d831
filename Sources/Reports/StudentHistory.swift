import Foundation
import GRDB
import Indicators
import Standards
import Store

/// One student's record across every term the database holds (the 健康档案 a school keeps):
/// where the student was enrolled, growth and fitness by term, and every vision screening. A
/// student who moved school keeps one record (the student is one row, enrolled term by term).
/// Never any psychological data (../shared/reference/psych/RULES.md, Confidentiality).
public struct StudentHistory: Sendable {
    public struct Enrolment: Sendable {
        public var term: Term
        public var school: String
        public var grade: GradeCode?
        public var className: String?
    }

    public struct FitnessYear: Sendable {
        public var term: Term
        public var grade: GradeCode
        public var status: FitnessStatus
        public var heightCm: Double?
        public var weightKg: Double?
        public var bmi: Double?
        public var bmiCategory: String?
        /// Each measured item with its result and score.
        public var items: [(item: FitnessItem, result: Double, score: Int?)]
        public var standardHundredths: Int?
        public var bonus: Int
        public var totalHundredths: Int?
        public var rating: FitnessRating?
        /// 毕业成绩 in a graduating grade: half this year's total and half the earlier years'
        /// average (../shared/reference/fitness/README.md, Rules); nil otherwise.
        public var graduationHundredths: Int?

        /// The 等级 as printed: the rating, else why there is none (免测, 测试不完整).
        public var ratingText: String { rating?.rawValue ?? (status == .exempt ? "免测" : "测试不完整") }
    }

    public struct Screening: Sendable {
        public var term: Term
        public var round: String
        public var right: String?
        public var left: String?
        public var rightSE: Double?
        public var leftSE: Double?
        public var myopic: Bool?
        public var lowVisionGrade: String?
        public var needsReferral: Bool
        /// What the school sent back on the referral ledger (复查日期, 复查结果 …).
        public var followUp: [String: String]

        /// 是/否, or 无法判定 when an eye could not be measured.
        public var myopicText: String { myopic.map { $0 ? "是" : "否" } ?? "无法判定" }

        /// The follow-up the school sent back as one line (`复查日期：…；复查结果：…`), nil when none.
        public var followUpText: String? {
            followUp.isEmpty
                ? nil : followUp.sorted { $0.key < $1.key }.map { "\($0.key)：\($0.value)" }.joined(separator: "；")
        }

        /// A spherical equivalent in dioptres with two decimals, as screening forms print it.
        public static func dioptres(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "—" }
    }

    public var studentNo: String?
    public var name: String
    public var sex: Sex?
    public var birthDate: String?
    public var enrolments: [Enrolment]
    public var fitness: [FitnessYear]
    public var vision: [Screening]

    /// The record of the student with `studentNo`, nil when the database has none.
    public init?(database: JianceDatabase, studentNo: String) throws {
        guard
            let found = try database.read({ db -> StudentHistory? in
                guard
                    let id = try Int64.fetchOne(
                        db, sql: "SELECT id FROM student WHERE student_no = ?",
                        arguments: [studentNo.trimmingCharacters(in: .whitespaces).uppercased()])
                else { return nil }
                return try Self.load(db, studentIDs: [id])[id]
            })
        else { return nil }
        self = found
    }

    /// The records of many students (a school's classes) by student id, in a few queries per
    /// 500 students rather than four per student.
    public static func records(database: JianceDatabase, studentIDs: [Int64]) throws -> [Int64: StudentHistory] {
        try database.read { db in try load(db, studentIDs: studentIDs) }
    }

    private init(
        studentNo: String?, name: String, sex: Sex?, birthDate: String?, enrolments: [Enrolment],
        fitness: [FitnessYear],
        vision: [Screening]
    ) {
        (self.studentNo, self.name, self.sex, self.birthDate) = (studentNo, name, sex, birthDate)
        (self.enrolments, self.fitness, self.vision) = (enrolments, fitness, vision)
    }

    private static func load(_ db: Database, studentIDs: [Int64]) throws -> [Int64: StudentHistory] {
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
                LEFT JOIN followup f ON f.kind = 'vision-referral' AND f.record_id = v.id
                WHERE v.student_id IN \(ids) ORDER BY v.term_id, v.round
                """)
            for student in try Row.fetchAll(
                db, sql: "SELECT * FROM student WHERE id IN \(ids)", arguments: StatementArguments(chunk))
            {
                let id: Int64 = student["id"]
                records[id] = record(
                    student, enrolments: enrolments[id] ?? [], fitness: fitness[id] ?? [], vision: vision[id] ?? [])
            }
        }
        return records
    }

    /// One student's record from their rows, each list in term order.
    private static func record(_ student: Row, enrolments: [Row], fitness: [Row], vision: [Row]) -> StudentHistory {
        let enrolments = enrolments.compactMap { row -> Enrolment? in
            guard let term = Term(row["term_id"] as String) else { return nil }
            return Enrolment(
                term: term, school: row["school"], grade: (row["grade_code"] as Int?).flatMap(GradeCode.init(code:)),
                className: row["class_name"])
        }
        var fitness = fitness.compactMap { row -> FitnessYear? in
            guard let term = Term(row["term_id"] as String), let grade = GradeCode(code: row["grade_code"]),
                let status = FitnessStatus(rawValue: row["status"])
            else { return nil }
            let items = FitnessItem.measured.compactMap { item -> (item: FitnessItem, result: Double, score: Int?)? in
                guard let result: Double = row[item.rawValue] else { return nil }
                return (item, result, row["\(item.rawValue)_score"])
            }
            return FitnessYear(
                term: term, grade: grade, status: status, heightCm: row["height_cm"], weightKg: row["weight_kg"],
                bmi: (row["bmi_tenths"] as Int?).map { Double($0) / 10 }, bmiCategory: row["bmi_category"],
                items: items,
                standardHundredths: row["standard_hundredths"], bonus: row["bonus"],
                totalHundredths: row["total_hundredths"],
                rating: (row["rating"] as String?).flatMap(FitnessRating.init(rawValue:)), graduationHundredths: nil)
        }
        // 毕业成绩: a graduating year's total with the totals of the earlier school years.
        for index in fitness.indices where fitness[index].grade.isGraduating {
            guard let total = fitness[index].totalHundredths else { continue }
            let earlier = fitness[..<index].filter { $0.term.startYear < fitness[index].term.startYear }
            // The latest term of each earlier school year counts once.
            let byYear = Dictionary(
                grouping: earlier.compactMap { year in year.totalHundredths.map { (year.term, $0) } }
            ) {
                $0.0.startYear
            }
            let totals = byYear.values.compactMap { $0.max { $0.0 < $1.0 }?.1 }
            fitness[index].graduationHundredths = graduationScoreHundredths(graduatingYear: total, earlierYears: totals)
        }
        let vision = vision.compactMap { row -> Screening? in
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
            return Screening(
                term: term, round: row["round"], right: acuity("right"), left: acuity("left"), rightSE: se("right"),
                leftSE: se("left"), myopic: row["myopic"], lowVisionGrade: row["low_vision_grade"],
                needsReferral: row["needs_referral"], followUp: fields as? [String: String] ?? [:])
        }
        return StudentHistory(
            studentNo: student["student_no"], name: student["name"],
            sex: (student["sex"] as String?).flatMap(Sex.init(rawValue:)),
            birthDate: student["birth_date"], enrolments: enrolments, fitness: fitness, vision: vision)
    }
}
