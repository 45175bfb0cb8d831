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

    /// Screenings of an earlier term compared with `term`'s.
    public struct Earlier: Sendable {
        public var term: Term
        public var observations: [VisionObservation]

        public init(term: Term, observations: [VisionObservation]) {
            self.term = term
            self.observations = observations
        }
    }

    /// The report of `term` from its 初筛 observations (`current`), those of the same season last
    /// year (`previous`) and of the baseline year's same season (`baseline`), each given only when
    /// that term has screenings. `enrolment` and `recorded` count, per school id, the students on
    /// the roll and those with a screening this school year (建档率).
    public init(
        term: Term, settings: VisionSettings = VisionSettings(), target: MyopiaTarget = MyopiaTarget(),
        schools: [SchoolInfo], enrolment: [Int64: Int], recorded: [Int64: Int], current: [VisionObservation],
        previous: Earlier? = nil, baseline: Earlier? = nil
    ) {
        self.term = term
        self.settings = settings
        self.target = target
        previousTerm = previous?.term
        baselineTerm = baseline?.term
        let schoolInfo = Dictionary(uniqueKeysWithValues: schools.map { ($0.id, $0) })
        let years = baseline.map { term.startYear - $0.term.startYear } ?? 0
        let previousObservations = previous?.observations ?? []
        let baselineObservations = baseline?.observations ?? []

        // 新发近视 follows the student, not the school: a student who moved counts at the new school.
        let earlierMyopia = VisionBreakdown.earlierMyopia(previousObservations)
        /// One line from the observations of its group in this, last and the baseline year.
        func line(
            _ name: String, school: SchoolInfo?, enrolled: Int, recorded: Int,
            now: [VisionObservation], before: [VisionObservation], base: [VisionObservation]
        ) -> Line {
            let summary = VisionBreakdown.summary(now)
            let yearly =
                previous == nil
                ? nil
                : RateDrop(
                    earlier: VisionBreakdown.summary(before).myopiaRate, current: summary.myopiaRate,
                    requiredPP: target.dropPerYearPP)
            let cumulative =
                baseline == nil
                ? nil
                : RateDrop(
                    earlier: VisionBreakdown.summary(base).myopiaRate, current: summary.myopiaRate,
                    requiredPP: target.dropPerYearPP * Double(years))
            return Line(
                name: name, school: school, enrolled: enrolled, recorded: recorded, summary: summary, yearly: yearly,
                cumulative: cumulative,
                newMyopia: VisionBreakdown.newMyopia(current: now, earlier: earlierMyopia))
        }
        // Grouped once by school (filtering the county's observations per school was quadratic).
        let currentBySchool = Dictionary(grouping: current, by: \.schoolID)
        let previousBySchool = Dictionary(grouping: previousObservations, by: \.schoolID)
        let baselineBySchool = Dictionary(grouping: baselineObservations, by: \.schoolID)
        self.schools = currentBySchool.keys.compactMap { id in
            schoolInfo[id].map {
                line(
                    $0.name, school: $0, enrolled: enrolment[id] ?? 0, recorded: recorded[id] ?? 0,
                    now: currentBySchool[id] ?? [], before: previousBySchool[id] ?? [], base: baselineBySchool[id] ?? []
                )
            }
        }.sorted { ($0.summary.myopiaRate.value ?? -1, $0.name) > ($1.summary.myopiaRate.value ?? -1, $1.name) }
        let screenedSchools = Set(currentBySchool.keys)
        let allEnrolled = screenedSchools.reduce(0) { $0 + (enrolment[$1] ?? 0) }
        let allRecorded = screenedSchools.reduce(0) { $0 + (recorded[$1] ?? 0) }
        county = line(
            "全县", school: nil, enrolled: allEnrolled, recorded: allRecorded, now: current,
            before: previousObservations, base: baselineObservations)
        let stageNames = Set(current.map { VisionBreakdown.stage(of: $0.grade) }).sorted {
            ["小学", "初中", "高中阶段"].firstIndex(of: $0) ?? 9 < ["小学", "初中", "高中阶段"].firstIndex(of: $1) ?? 9
        }
        stages = stageNames.map { stage in
            let inStage = { (observation: VisionObservation) in VisionBreakdown.stage(of: observation.grade) == stage }
            return line(
                "全县\(stage)", school: nil, enrolled: 0, recorded: 0, now: current.filter(inStage),
                before: previousObservations.filter(inStage), base: baselineObservations.filter(inStage))
        }
    }

    /// Loads the report of `term`, with the same season last year and the baseline year
    /// (`target.baselineYear`) when the database has their screenings; each screening is
    /// classified again with `settings`.
    public static func load(
        from database: JianceDatabase, term: Term, settings: VisionSettings = VisionSettings(),
        target: MyopiaTarget = MyopiaTarget()
    ) throws -> VisionReport {
        let queries = VisionQueries(database: database, settings: settings)
        let terms = Set(try queries.terms())
        func earlier(_ candidate: Term?) throws -> Earlier? {
            guard let candidate, terms.contains(candidate) else { return nil }
            return Earlier(term: candidate, observations: try queries.screenings(term: candidate).map(\.observation))
        }
        let baselineTerm = target.baselineYear.flatMap { year in
            year < term.startYear ? Term(startYear: year, semester: term.semester) : nil
        }
        return VisionReport(
            term: term, settings: settings, target: target, schools: try database.schools(),
            enrolment: try RosterQueries(database: database).enrolmentCounts(term: term),
            recorded: try queries.studentsWithRecord(schoolYearOf: term).mapValues(\.count),
            current: try queries.screenings(term: term).map(\.observation),
            previous: try earlier(term.sameSeasonLastYear), baseline: try earlier(baselineTerm))
    }
}
