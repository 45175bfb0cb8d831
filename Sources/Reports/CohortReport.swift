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

    public init(fitness: Fitness? = nil, vision: Vision? = nil, psych: Psych? = nil) {
        (self.fitness, self.vision, self.psych) = (fitness, vision, psych)
    }

    /// Follows the students between the last two of `terms` that hold each kind of data (vision:
    /// the latest term whose same season last year is among them). `newMyopia` is the county's
    /// 新发近视率 by term, already computed by the trend's vision reports.
    static func load(
        from database: JianceDatabase, terms: [Term], fitnessTerms: Set<Term>, visionTerms: Set<Term>,
        psychTerms: Set<Term>, newMyopia: [Term: Rate]
    ) throws -> CohortReport {
        func lastTwo(_ available: Set<Term>) -> (Term, Term)? {
            let within = terms.filter(available.contains)
            return within.count >= 2 ? (within[within.count - 2], within[within.count - 1]) : nil
        }
        let queries = CohortQueries(database: database)
        var report = CohortReport()
        if let (from, to) = lastTwo(fitnessTerms) {
            report.fitness = Fitness(
                from: from, to: to, transitions: try queries.fitnessTransitions(from: from, to: to),
                lost: try queries.lost(.fitness, from: from, to: to))
        }
        let visionPairs = terms.filter {
            visionTerms.contains($0) && visionTerms.contains($0.sameSeasonLastYear)
                && terms.contains($0.sameSeasonLastYear)
        }
        if let to = visionPairs.last, let rate = newMyopia[to] {
            let from = to.sameSeasonLastYear
            report.vision = Vision(
                from: from, to: to, newMyopia: rate, lost: try queries.lost(.vision, from: from, to: to))
        }
        if let (from, to) = lastTwo(psychTerms) {
            let change = try queries.psychChange(from: from, to: to)
            report.psych = Psych(
                from: from, to: to, rose: change.rose, fell: change.fell, same: change.same,
                lost: try queries.lost(.psych, from: from, to: to))
        }
        return report
    }
}
