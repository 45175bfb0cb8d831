import Indicators
import Standards
import Store

/// Fitness indicators of a term for the county and each school.
public struct FitnessReport: Sendable {
    public struct SchoolLine: Sendable {
        public var school: SchoolInfo
        public var enrolled: Int
        public var summary: FitnessSummary
    }

    /// The observations of a term summarised as they stream past: a county of a million students
    /// is never held in memory, only its summaries by school and 学段.
    public struct Tally: Sendable {
        var county = FitnessSummary()
        var bySchool: [Int64: FitnessSummary] = [:]
        var byStage: [String: FitnessSummary] = [:]

        public init() {}

        public mutating func add(_ observation: FitnessObservation) {
            county.add(observation)
            bySchool[observation.schoolID, default: FitnessSummary()].add(observation)
            byStage[FitnessBreakdown.stage(of: observation.grade), default: FitnessSummary()].add(observation)
        }
    }

    public var term: Term
    public var targets: FitnessTargets
    public var county: FitnessSummary
    public var enrolled: Int
    /// Each 学段 of the county (小学, 初中 …), in school order.
    public var stages: [(name: String, summary: FitnessSummary)]
    /// Schools with results, sorted by 优良率 (lowest first: the bureau's attention list).
    public var schools: [SchoolLine]
    /// Schools with students on the roll and no result this term, by name: not yet reported.
    public var unreported: [SchoolInfo]

    /// The report of `term` from its tallied observations; `schools` and `enrolment` (students per
    /// school id) name the schools and count their rolls. A school not in `schools` is left out of
    /// the school lines but counts for the county. The county's roll is every school's in
    /// `enrolment`, tested or not: a county where one school of eight has reported must not look
    /// like a county of that one school.
    public init(
        term: Term, targets: FitnessTargets = FitnessTargets(), schools: [SchoolInfo], enrolment: [Int64: Int],
        tally: Tally
    ) {
        self.term = term
        self.targets = targets
        let schoolInfo = Dictionary(uniqueKeysWithValues: schools.map { ($0.id, $0) })
        let order = ["小学", "初中", "高中", "大学"]
        stages = tally.byStage.keys.sorted { order.firstIndex(of: $0) ?? 9 < order.firstIndex(of: $1) ?? 9 }.map {
            (name: $0, summary: tally.byStage[$0]!)
        }
        county = tally.county
        self.schools = tally.bySchool.compactMap { id, summary in
            schoolInfo[id].map { SchoolLine(school: $0, enrolled: enrolment[id] ?? 0, summary: summary) }
        }.sorted {
            ($0.summary.goodOrBetterRate.value ?? -1, $0.school.name) < (
                $1.summary.goodOrBetterRate.value ?? -1, $1.school.name
            )
        }
        enrolled = enrolment.values.reduce(0, +)
        unreported = SchoolInfo.unreported(schools, enrolment: enrolment) { tally.bySchool[$0] != nil }
    }

    /// Loads the report of `term` from the database, streaming its results through a cursor;
    /// `schoolReference` (a name or code) limits it to one school.
    public static func load(
        from database: JianceDatabase, term: Term, targets: FitnessTargets = FitnessTargets(),
        school schoolReference: String? = nil
    ) throws -> FitnessReport {
        let schools = try database.schools()
        let only = schoolReference.map { reference in
            Set(schools.filter { $0.name == reference || $0.code == reference }.map(\.id))
        }
        var tally = Tally()
        try FitnessQueries(database: database).forEachObservation(term: term) { observation in
            if let only, !only.contains(observation.schoolID) { return }
            tally.add(observation)
        }
        let enrolment = try RosterQueries(database: database).enrolmentCounts(term: term)
        return FitnessReport(
            term: term, targets: targets, schools: schools,
            enrolment: only.map { only in enrolment.filter { only.contains($0.key) } } ?? enrolment, tally: tally)
    }
}
