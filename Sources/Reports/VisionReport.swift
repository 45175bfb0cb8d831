import Indicators
import Standards
import Store

/// Vision indicators of a term for the county, each 学段 and each school:
/// 近视率 against the same season of the previous school year (0.5 pp a year), cumulatively
/// against the baseline year, 视力不良率, 建档率 and 新发近视率.
public struct VisionReport: Sendable {
    public struct Line: Sendable {
        public var name: String
        public var school: SchoolInfo?
        public var enrolled: Int
        /// Students with a screening record this school year.
        public var recorded: Int
        public var summary: VisionSummary
        public var yearly: RateDrop?
        public var cumulative: RateDrop?
        public var newMyopia: Rate

        public var coverage: Rate { Rate(recorded, of: enrolled) }
    }

    public var term: Term
    public var settings: VisionSettings
    public var target: MyopiaTarget
    /// The same season of the previous school year, when it has screenings.
    public var previousTerm: Term?
    public var baselineTerm: Term?
    public var county: Line
    public var stages: [Line]
    /// Schools, the highest 近视率 first.
    public var schools: [Line]
    /// Schools with students on the roll and no screening this term, by name: not yet reported.
    public var unreported: [SchoolInfo]

    /// What each line counts, screening by screening: this term's 初筛, the same season last year
    /// and the baseline year, and 新发近视 against last year.
    struct Tally {
        var now = VisionSummary()
        var before = VisionSummary()
        var base = VisionSummary()
        var newMyopia = NewMyopiaCount()
    }

    /// The tallies of the county, each 学段 and each school.
    struct Tallies {
        var county = Tally()
        var stages: [String: Tally] = [:]
        var schools: [Int64: Tally] = [:]

        /// Counts `observation` in its county, 学段 and school lines, as `update` says.
        mutating func add(_ observation: VisionObservation, _ update: (inout Tally) -> Void) {
            update(&county)
            update(&stages[VisionBreakdown.stage(of: observation.grade), default: Tally()])
            update(&schools[observation.schoolID, default: Tally()])
        }
    }

    /// The report of `term` from its tallies. `previousTerm` and `baselineTerm` are given only when
    /// they have screenings; `enrolment` and `recorded` count, per school id, the students on the
    /// roll and those with a screening this school year (建档率). The lines are those of the schools
    /// and 学段 screened this term; the county's roll and records are every school's, screened or
    /// not, so that its 建档率 counts the schools that have not screened.
    init(
        term: Term, settings: VisionSettings, target: MyopiaTarget, schools: [SchoolInfo], enrolment: [Int64: Int],
        recorded: [Int64: Int], previousTerm: Term?, baselineTerm: Term?, tallies: Tallies
    ) {
        self.term = term
        self.settings = settings
        self.target = target
        self.previousTerm = previousTerm
        self.baselineTerm = baselineTerm
        let schoolInfo = Dictionary(uniqueKeysWithValues: schools.map { ($0.id, $0) })
        let years = baselineTerm.map { term.startYear - $0.startYear } ?? 0
        func line(_ name: String, school: SchoolInfo?, enrolled: Int, recorded: Int, tally: Tally) -> Line {
            let summary = tally.now
            let yearly =
                previousTerm == nil
                ? nil
                : RateDrop(
                    earlier: tally.before.myopiaRate, current: summary.myopiaRate, requiredPP: target.dropPerYearPP)
            let cumulative =
                baselineTerm == nil
                ? nil
                : RateDrop(
                    earlier: tally.base.myopiaRate, current: summary.myopiaRate,
                    requiredPP: target.dropPerYearPP * Double(years))
            return Line(
                name: name, school: school, enrolled: enrolled, recorded: recorded, summary: summary, yearly: yearly,
                cumulative: cumulative, newMyopia: tally.newMyopia.rate)
        }
        let screenedSchools = tallies.schools.filter { $0.value.now.screened > 0 }
        self.schools = screenedSchools.compactMap { id, tally in
            schoolInfo[id].map {
                line($0.name, school: $0, enrolled: enrolment[id] ?? 0, recorded: recorded[id] ?? 0, tally: tally)
            }
        }.sorted { ($0.summary.myopiaRate.value ?? -1, $0.name) > ($1.summary.myopiaRate.value ?? -1, $1.name) }
        unreported = SchoolInfo.unreported(schools, enrolment: enrolment) { screenedSchools[$0] != nil }
        county = line(
            "全县", school: nil, enrolled: enrolment.values.reduce(0, +), recorded: recorded.values.reduce(0, +),
            tally: tallies.county)
        let order = ["小学", "初中", "高中阶段"]
        stages = tallies.stages.filter { $0.value.now.screened > 0 }
            .sorted { order.firstIndex(of: $0.key) ?? 9 < order.firstIndex(of: $1.key) ?? 9 }
            .map { line("全县\($0.key)", school: nil, enrolled: 0, recorded: 0, tally: $0.value) }
    }

    /// Loads the report of `term`, with the same season last year and the baseline year
    /// (`target.baselineYear`) when the database has their screenings; each screening is
    /// classified again with `settings`. The screenings are counted as they are read, in one read
    /// transaction: memory holds the lines and, for 新发近视, last year's result of each student
    /// (新发近视 follows the student, not the school: a student who moved counts at the new school).
    public static func load(
        from database: JianceDatabase, term: Term, settings: VisionSettings = VisionSettings(),
        target: MyopiaTarget = MyopiaTarget()
    ) throws -> VisionReport {
        let queries = VisionQueries(database: database, settings: settings)
        let terms = Set(try queries.terms())
        let previousTerm = terms.contains(term.sameSeasonLastYear) ? term.sameSeasonLastYear : nil
        let baselineTerm = target.baselineYear.flatMap { year -> Term? in
            guard year < term.startYear, let baseline = Term(startYear: year, semester: term.semester) else {
                return nil
            }
            return terms.contains(baseline) ? baseline : nil
        }
        var tallies = Tallies()
        try database.read { db in
            var earlierMyopia: [Int64: Bool] = [:]
            if let previousTerm {
                try queries.forEachScreening(in: db, term: previousTerm) { row in
                    tallies.add(row.observation) { $0.before.add(row.observation.result) }
                    if let myopic = row.observation.result.myopic { earlierMyopia[row.observation.studentID] = myopic }
                }
            }
            if let baselineTerm {
                try queries.forEachScreening(in: db, term: baselineTerm) { row in
                    tallies.add(row.observation) { $0.base.add(row.observation.result) }
                }
            }
            try queries.forEachScreening(in: db, term: term) { row in
                let observation = row.observation
                let before = earlierMyopia[observation.studentID]
                tallies.add(observation) {
                    $0.now.add(observation.result)
                    $0.newMyopia.add(now: observation.result.myopic, before: before)
                }
            }
        }
        return VisionReport(
            term: term, settings: settings, target: target, schools: try database.schools(),
            enrolment: try RosterQueries(database: database).enrolmentCounts(term: term),
            recorded: try queries.studentsWithRecord(schoolYearOf: term).mapValues(\.count),
            previousTerm: previousTerm, baselineTerm: baselineTerm, tallies: tallies)
    }
}
