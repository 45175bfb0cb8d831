import Indicators
import Standards
import Store

/// Fitness indicators of a term for the county and each school, from the database alone.
public struct FitnessReport: Sendable {
    public struct SchoolLine: Sendable {
        public var school: SchoolInfo
        public var enrolled: Int
        public var summary: FitnessSummary
    }

    public var term: Term
    public var targets: FitnessTargets
    public var county: FitnessSummary
    public var enrolled: Int
    /// Each 学段 of the county (小学, 初中 …), in school order.
    public var stages: [(name: String, summary: FitnessSummary)]
    /// Schools with results, sorted by 优良率 (lowest first: the bureau's attention list).
    public var schools: [SchoolLine]

    /// Builds the report of `term`; `schoolReference` limits it to one school.
    public init(
        database: JianceDatabase, term: Term, targets: FitnessTargets = FitnessTargets(),
        school schoolReference: String? = nil
    ) throws {
        self.term = term
        self.targets = targets
        let rosters = RosterQueries(database: database)
        let schoolInfo = Dictionary(uniqueKeysWithValues: try rosters.schools().map { ($0.id, $0) })
        let enrolment = try rosters.enrolmentCounts(term: term)
        let only = schoolReference.map { reference in
            Set(schoolInfo.values.filter { $0.name == reference || $0.code == reference }.map(\.id))
        }
        var county = FitnessSummary()
        var bySchool: [Int64: FitnessSummary] = [:]
        var byStage: [String: FitnessSummary] = [:]
        try FitnessQueries(database: database).forEachObservation(term: term) { observation in
            if let only, !only.contains(observation.schoolID) { return }
            county.add(observation)
            bySchool[observation.schoolID, default: FitnessSummary()].add(observation)
            byStage[FitnessBreakdown.stage(of: observation.grade), default: FitnessSummary()].add(observation)
        }
        let order = ["小学", "初中", "高中", "大学"]
        stages = byStage.keys.sorted { order.firstIndex(of: $0) ?? 9 < order.firstIndex(of: $1) ?? 9 }.map {
            (name: $0, summary: byStage[$0]!)
        }
        self.county = county
        schools = bySchool.compactMap { id, summary in
            schoolInfo[id].map { SchoolLine(school: $0, enrolled: enrolment[id] ?? 0, summary: summary) }
        }.sorted {
            ($0.summary.goodOrBetterRate.value ?? -1, $0.school.name) < (
                $1.summary.goodOrBetterRate.value ?? -1, $1.school.name
            )
        }
        enrolled = schools.reduce(0) { $0 + $1.enrolled }
    }
}
