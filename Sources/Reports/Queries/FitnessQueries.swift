import GRDB
import Indicators
import Standards
import Store

/// A stored fitness result with the student's identity, for ledgers.
public struct FitnessResultRow: Sendable {
    /// The stored row's id: the 记录号 of follow-up ledgers.
    public var id: Int64
    public var observation: FitnessObservation
    public var studentNo: String?
    public var name: String
    public var birthDate: CalendarDate?
    public var ethnicity: String?
    public var heightCm: Double?
    public var weightKg: Double?
    public var bmi: BMIScore?
    /// Raw results (seconds for times).
    public var values: [FitnessItem: Double]
    public var standardHundredths: Int?
    public var bonus: Int
    /// Totals of earlier school years (latest term of each year), oldest first, for 毕业成绩.
    public var earlierTotals: [Int] = []
    /// Follow-up sent back by the school, by ledger kind (fitness-fail, fitness-obese).
    public var followUp: [String: FollowUpAnswers] = [:]
}

/// Read-only queries over stored fitness results.
public struct FitnessQueries: Sendable {
    public let database: JianceDatabase

    public init(database: JianceDatabase) { self.database = database }

    /// Terms with fitness results, oldest first.
    public func terms() throws -> [Term] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT term_id FROM fitness_result").compactMap(Term.init).sorted()
        }
    }

    /// Every result of `term` (optionally of one school), by school, grade, class and 学籍号.
    public func results(term: Term, schoolID: Int64? = nil) throws -> [FitnessResultRow] {
        let range = schoolRange(schoolID)
        let itemColumns = FitnessItem.measured.flatMap { ["f.\($0.rawValue)", "f.\($0.rawValue)_score"] }.joined(
            separator: ", ")
        return try database.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT f.id, f.student_id, f.school_id, f.grade_code, f.class_name, f.sex, f.status, f.rating, f.bmi_tenths, f.bmi_category, f.bmi_score,
                           (SELECT fields FROM followup WHERE kind = 'fitness-fail' AND record_id = f.id) AS fail_followup,
                           (SELECT fields FROM followup WHERE kind = 'fitness-obese' AND record_id = f.id) AS obese_followup,
                           f.total_hundredths, f.standard_hundredths, f.bonus, f.height_cm, f.weight_kg, s.student_no, s.name, s.birth_date, s.ethnicity, \(itemColumns),
                           (SELECT batch_id FROM followup WHERE kind = 'fitness-fail' AND record_id = f.id) AS fail_version,
                           (SELECT batch_id FROM followup WHERE kind = 'fitness-obese' AND record_id = f.id) AS obese_version
                    FROM fitness_result f JOIN student s ON s.id = f.student_id
                    WHERE f.term_id = ? AND f.round = \(FitnessRound.regular.sqlLiteral) AND f.school_id BETWEEN ? AND ?
                    ORDER BY f.school_id, f.grade_code, f.class_name, s.student_no, s.name
                    """, arguments: [term.description, range.0, range.1])
            // Columns are read by position (the order of the SELECT above): GRDB's lookup by name is
            // a scan of the row's columns, which dominated county-sized reports.
            let versions = 22 + 2 * FitnessItem.measured.count
            return rows.compactMap { row -> FitnessResultRow? in
                guard let grade = GradeCode(code: row[3]), let sex = Sex(rawValue: row[5]),
                    let status = FitnessStatus(rawValue: row[6])
                else { return nil }
                var values: [FitnessItem: Double] = [:]
                var scores: [FitnessItem: Int] = [:]
                for (offset, item) in FitnessItem.measured.enumerated() {
                    if let value: Double = row[22 + 2 * offset] { values[item] = value }
                    if let score: Int = row[23 + 2 * offset] { scores[item] = score }
                }
                let category = (row[9] as String?).flatMap(BMICategory.init(rawValue:))
                let bmi: BMIScore? = category.flatMap { c in
                    (row[8] as Int?).map { BMIScore(tenths: $0, category: c, score: row[10] ?? 0) }
                }
                let observation = FitnessObservation(
                    studentID: row[1], schoolID: row[2], grade: grade, className: row[4], sex: sex, status: status,
                    rating: (row[7] as String?).flatMap(FitnessRating.init(rawValue:)), bmiCategory: category,
                    itemScores: scores, totalHundredths: row[13])
                return FitnessResultRow(
                    id: row[0], observation: observation, studentNo: row[18], name: row[19], birthDate: row[20],
                    ethnicity: row[21],
                    heightCm: row[16], weightKg: row[17], bmi: bmi, values: values, standardHundredths: row[14],
                    bonus: row[15],
                    followUp: [
                        "fitness-fail": FollowUpAnswers(json: row[11], batch: row[versions]),
                        "fitness-obese": FollowUpAnswers(json: row[12], batch: row[versions + 1]),
                    ])
            }
        }
    }

    /// Streams the observations of `term` (optionally one school) to `body` through a database
    /// cursor: indicators of a province never hold its rows in memory.
    public func forEachObservation(term: Term, schoolID: Int64? = nil, _ body: (FitnessObservation) throws -> Void)
        throws
    {
        let range = schoolRange(schoolID)
        let itemScores = FitnessItem.measured.map { "\($0.rawValue)_score" }.joined(separator: ", ")
        try database.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT student_id, school_id, grade_code, class_name, sex, status, rating, bmi_category, total_hundredths, \(itemScores)
                    FROM fitness_result WHERE term_id = ? AND round = \(FitnessRound.regular.sqlLiteral) AND school_id BETWEEN ? AND ?
                    """, arguments: [term.description, range.0, range.1])
            while let row = try rows.next() {
                guard let grade = GradeCode(code: row[2]), let sex = Sex(rawValue: row[4]),
                    let status = FitnessStatus(rawValue: row[5])
                else { continue }
                var scores: [FitnessItem: Int] = [:]
                for (offset, item) in FitnessItem.measured.enumerated() {
                    if let score: Int = row[9 + offset] { scores[item] = score }
                }
                try body(
                    FitnessObservation(
                        studentID: row[0], schoolID: row[1], grade: grade, className: row[3], sex: sex, status: status,
                        rating: (row[6] as String?).flatMap(FitnessRating.init(rawValue:)),
                        bmiCategory: (row[7] as String?).flatMap(BMICategory.init(rawValue:)), itemScores: scores,
                        totalHundredths: row[8]))
            }
        }
    }

    /// Totals of earlier school years for the given students: for each student and earlier school
    /// year, the total of the latest term with a scored result.
    public func earlierYearTotals(studentIDs: [Int64], before term: Term) throws -> [Int64: [Int]] {
        guard !studentIDs.isEmpty else { return [:] }
        return try database.read { db in
            var totals: [Int64: [Int: (Term, Int)]] = [:]
            for chunk in stride(from: 0, to: studentIDs.count, by: 500).map({
                Array(studentIDs[$0..<min($0 + 500, studentIDs.count)])
            }) {
                let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT student_id, term_id, total_hundredths FROM fitness_result
                        WHERE status = 'scored' AND round = \(FitnessRound.regular.sqlLiteral) AND student_id IN (\(placeholders))
                        """, arguments: StatementArguments(chunk))
                for row in rows {
                    guard let rowTerm = Term(row["term_id"] as String), rowTerm.startYear < term.startYear else {
                        continue
                    }
                    let id: Int64 = row["student_id"]
                    let total: Int = row["total_hundredths"]
                    if let existing = totals[id]?[rowTerm.startYear], existing.0 > rowTerm { continue }
                    totals[id, default: [:]][rowTerm.startYear] = (rowTerm, total)
                }
            }
            return totals.mapValues { years in years.keys.sorted().map { years[$0]!.1 } }
        }
    }
}
