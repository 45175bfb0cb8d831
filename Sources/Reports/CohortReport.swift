import GRDB
import Indicators
import Standards
import Store

/// The same students (by 学籍号, one student record across schools and terms) followed between
/// two comparable terms: fitness rating transitions, new myopia, rising psychological risk, and
/// the students lost to follow-up (a record in the earlier term, none in the later one).
public struct CohortReport: Sendable {
    /// Students with a record in the earlier term and none in the later one.
    public struct Lost: Sendable, Equatable {
        /// Still enrolled in the county in the later term: not tested or screened.
        public var stillEnrolled = 0
        /// Not enrolled in the later term (graduated, moved away) or no roster for it.
        public var notEnrolled = 0
    }

    public struct Fitness: Sendable {
        public var from: Term
        public var to: Term
        /// Counts by (earlier rating, later rating).
        public var transitions: [FitnessRating: [FitnessRating: Int]]
        public var lost: Lost

        public func count(_ from: FitnessRating, _ to: FitnessRating) -> Int { transitions[from]?[to] ?? 0 }
        public var followed: Int { transitions.values.flatMap(\.values).reduce(0, +) }
        /// Students whose rating fell (e.g. 良好 → 及格).
        public var declined: Int { count(where: { $0 > $1 }) }
        public var improved: Int { count(where: { $0 < $1 }) }

        /// Students whose later rating's rank (优秀 = 0 … 不及格 = 3) compares with the earlier one's as `compare`.
        private func count(where compare: (_ later: Int, _ earlier: Int) -> Bool) -> Int {
            let rank = FitnessRating.allCases
            var total = 0
            for (a, row) in transitions {
                for (b, n) in row where compare(rank.firstIndex(of: b)!, rank.firstIndex(of: a)!) { total += n }
            }
            return total
        }
    }

    public struct Vision: Sendable {
        public var from: Term
        public var to: Term
        /// Not myopic (determinable) before, myopic now, among those screened both times.
        public var newMyopia: Rate
        public var lost: Lost
    }

    public struct Psych: Sendable {
        public var from: Term
        public var to: Term
        /// By the highest proposed level of each student's sheets in a term (none < 观察 < 黄 < 橙 < 红).
        public var rose = 0
        public var fell = 0
        public var same = 0
        public var lost: Lost
    }

    public var fitness: Fitness?
    public var vision: Vision?
    public var psych: Psych?

    /// `newMyopia` is the county's 新发近视率 by term, already computed by the trend's vision reports.
    init(
        database: JianceDatabase, terms: [Term], fitnessTerms: Set<Term>, visionTerms: Set<Term>, psychTerms: Set<Term>,
        newMyopia: [Term: Rate]
    ) throws {
        func lastTwo(_ available: Set<Term>) -> (Term, Term)? {
            let within = terms.filter(available.contains)
            return within.count >= 2 ? (within[within.count - 2], within[within.count - 1]) : nil
        }
        if let (from, to) = lastTwo(fitnessTerms) {
            let transitions = try database.read { db in
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
            fitness = Fitness(
                from: from, to: to, transitions: transitions,
                lost: try Self.lost(
                    database, table: "fitness_result", filter: "round = \(FitnessRound.regular.sqlLiteral)", from: from,
                    to: to))
        }
        let visionPairs = terms.filter {
            visionTerms.contains($0) && visionTerms.contains($0.sameSeasonLastYear)
                && terms.contains($0.sameSeasonLastYear)
        }
        if let to = visionPairs.last, let rate = newMyopia[to] {
            let from = to.sameSeasonLastYear
            vision = Vision(
                from: from, to: to, newMyopia: rate,
                lost: try Self.lost(database, table: "vision_screening", filter: "round = '初筛'", from: from, to: to))
        }
        if let (from, to) = lastTwo(psychTerms) {
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
            psych = Psych(
                from: from, to: to, rose: row?[0] ?? 0, fell: row?[1] ?? 0, same: row?[2] ?? 0,
                lost: try Self.lost(database, table: "psych_screening", filter: "1", from: from, to: to))
        }
    }

    /// Students with a row of `table` in `from` and none in `to`, split by enrolment in `to`.
    static func lost(_ database: JianceDatabase, table: String, filter: String, from: Term, to: Term) throws -> Lost {
        try database.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    WITH earlier AS (SELECT DISTINCT student_id FROM \(table) WHERE term_id = ? AND \(filter)),
                         later AS (SELECT DISTINCT student_id FROM \(table) WHERE term_id = ? AND \(filter))
                    SELECT COALESCE(SUM(e.student_id IS NOT NULL), 0), COUNT(*) FROM earlier
                    LEFT JOIN enrolment e ON e.student_id = earlier.student_id AND e.term_id = ?
                    WHERE earlier.student_id NOT IN (SELECT student_id FROM later)
                    """, arguments: [from.description, to.description, to.description])
            let enrolled: Int = row?[0] ?? 0
            let total: Int = row?[1] ?? 0
            return Lost(stillEnrolled: enrolled, notEnrolled: total - enrolled)
        }
    }
}
