import GRDB
import Standards
import Store

/// Read-only queries that follow the same students (one student row across schools and terms)
/// from one term to another.
struct CohortQueries {
    /// The records followed: each kind's table and the rows of it that count.
    enum Records {
        case fitness, vision, psych

        var table: String {
            switch self {
            case .fitness: "fitness_result"
            case .vision: "vision_screening"
            case .psych: "psych_screening"
            }
        }

        var filter: String {
            switch self {
            case .fitness: "round = \(FitnessRound.regular.sqlLiteral)"
            case .vision: "round = '\(VisionRound.screening.rawValue)'"
            case .psych: "1"
            }
        }
    }

    let database: JianceDatabase

    /// Students rated in both terms, counted by (earlier rating, later rating).
    func fitnessTransitions(from: Term, to: Term) throws -> [FitnessRating: [FitnessRating: Int]] {
        try database.read { db in
            var result: [FitnessRating: [FitnessRating: Int]] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT a.rating, b.rating, COUNT(*) FROM fitness_result a
                    JOIN fitness_result b ON b.student_id = a.student_id AND b.term_id = ? AND b.round = \(FitnessRound.regular.sqlLiteral)
                    WHERE a.term_id = ? AND a.round = \(FitnessRound.regular.sqlLiteral) AND a.rating IS NOT NULL AND b.rating IS NOT NULL
                    GROUP BY 1, 2
                    """, arguments: [to.description, from.description])
            {
                guard let a = FitnessRating(rawValue: row[0]), let b = FitnessRating(rawValue: row[1]) else {
                    continue
                }
                result[a, default: [:]][b] = row[2]
            }
            return result
        }
    }

    /// Students screened in both terms whose highest proposed level (none < 观察 < 黄 < 橙 < 红)
    /// rose, fell or stayed.
    func psychChange(from: Term, to: Term) throws -> (rose: Int, fell: Int, same: Int) {
        // RiskLevel's own order as numbers (红 highest … 观察 1, none 0), for SQL to compare.
        let levels = RiskLevel.allCases.sorted(by: >)
        let rank =
            "CASE risk_level "
            + levels.enumerated().map { "WHEN '\($1.rawValue)' THEN \(levels.count - $0)" }.joined(separator: " ")
            + " ELSE 0 END"
        let row = try database.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    WITH a AS (SELECT student_id, MAX(\(rank)) AS r FROM psych_screening WHERE term_id = ? GROUP BY student_id),
                         b AS (SELECT student_id, MAX(\(rank)) AS r FROM psych_screening WHERE term_id = ? GROUP BY student_id)
                    SELECT COALESCE(SUM(b.r > a.r), 0), COALESCE(SUM(b.r < a.r), 0), COALESCE(SUM(b.r = a.r), 0) FROM a JOIN b USING (student_id)
                    """, arguments: [from.description, to.description])
        }
        return (row?[0] ?? 0, row?[1] ?? 0, row?[2] ?? 0)
    }

    /// Students with a record in `from` and none in `to`, split by enrolment in `to`.
    func lost(_ records: Records, from: Term, to: Term) throws -> CohortReport.Lost {
        try database.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    WITH earlier AS (SELECT DISTINCT student_id FROM \(records.table) WHERE term_id = ? AND \(records.filter)),
                         later AS (SELECT DISTINCT student_id FROM \(records.table) WHERE term_id = ? AND \(records.filter))
                    SELECT COALESCE(SUM(e.student_id IS NOT NULL), 0), COUNT(*) FROM earlier
                    LEFT JOIN enrolment e ON e.student_id = earlier.student_id AND e.term_id = ?
                    WHERE earlier.student_id NOT IN (SELECT student_id FROM later)
                    """, arguments: [from.description, to.description, to.description])
            let enrolled: Int = row?[0] ?? 0
            let total: Int = row?[1] ?? 0
            return CohortReport.Lost(stillEnrolled: enrolled, notEnrolled: total - enrolled)
        }
    }
}
