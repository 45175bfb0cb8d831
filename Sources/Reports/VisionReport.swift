import Indicators
import Standards
import Store

/// Vision indicators of a term for the county, each 学段 and each school, from the database:
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

    public init(
        database: JianceDatabase, term: Term, settings: VisionSettings = VisionSettings(),
        target: MyopiaTarget = MyopiaTarget()
    ) throws {
        self.term = term
        self.settings = settings
        self.target = target
        let queries = VisionQueries(database: database, settings: settings)
        let terms = Set(try queries.terms())
        let current = try queries.screenings(term: term).map(\.observation)
        let previousTerm = terms.contains(term.sameSeasonLastYear) ? term.sameSeasonLastYear : nil
        let previous = try previousTerm.map { try queries.screenings(term: $0).map(\.observation) } ?? []
        var baselineTerm: Term?
        if let year = target.baselineYear, year < term.startYear,
            let candidate = Term(startYear: year, semester: term.semester), terms.contains(candidate)
        {
            baselineTerm = candidate
        }
        let baseline = try baselineTerm.map { try queries.screenings(term: $0).map(\.observation) } ?? []
        self.previousTerm = previousTerm
        self.baselineTerm = baselineTerm

        let rosters = RosterQueries(database: database)
        let schoolInfo = Dictionary(uniqueKeysWithValues: try rosters.schools().map { ($0.id, $0) })
        let enrolment = try rosters.enrolmentCounts(term: term)
        let recorded = try queries.studentsWithRecord(schoolYearOf: term)
        let years = baselineTerm.map { term.startYear - $0.startYear } ?? 0

        // 新发近视 follows the student, not the school: a student who moved counts at the new school.
        let earlierMyopia = VisionBreakdown.earlierMyopia(previous)
        /// One line from the observations of its group in this, last and the baseline year.
        func line(
            _ name: String, school: SchoolInfo?, enrolled: Int, recorded: Int,
            now: [VisionObservation], before: [VisionObservation], base: [VisionObservation]
        ) -> Line {
            let summary = VisionBreakdown.summary(now)
            let yearly =
                previousTerm == nil
                ? nil
                : RateDrop(
                    earlier: VisionBreakdown.summary(before).myopiaRate, current: summary.myopiaRate,
                    requiredPP: target.dropPerYearPP)
            let cumulative =
                baselineTerm == nil
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
        let previousBySchool = Dictionary(grouping: previous, by: \.schoolID)
        let baselineBySchool = Dictionary(grouping: baseline, by: \.schoolID)
        schools = currentBySchool.keys.compactMap { id in
            schoolInfo[id].map {
                line(
                    $0.name, school: $0, enrolled: enrolment[id] ?? 0, recorded: recorded[id]?.count ?? 0,
                    now: currentBySchool[id] ?? [], before: previousBySchool[id] ?? [], base: baselineBySchool[id] ?? []
                )
            }
        }.sorted { ($0.summary.myopiaRate.value ?? -1, $0.name) > ($1.summary.myopiaRate.value ?? -1, $1.name) }
        let screenedSchools = Set(currentBySchool.keys)
        let allEnrolled = screenedSchools.reduce(0) { $0 + (enrolment[$1] ?? 0) }
        let allRecorded = screenedSchools.reduce(0) { $0 + (recorded[$1]?.count ?? 0) }
        county = line(
            "全县", school: nil, enrolled: allEnrolled, recorded: allRecorded, now: current, before: previous,
            base: baseline)
        let stageNames = Set(current.map { VisionBreakdown.stage(of: $0.grade) }).sorted {
            ["小学", "初中", "高中阶段"].firstIndex(of: $0) ?? 9 < ["小学", "初中", "高中阶段"].firstIndex(of: $1) ?? 9
        }
        stages = stageNames.map { stage in
            let inStage = { (observation: VisionObservation) in VisionBreakdown.stage(of: observation.grade) == stage }
            return line(
                "全县\(stage)", school: nil, enrolled: 0, recorded: 0, now: current.filter(inStage),
                before: previous.filter(inStage), base: baseline.filter(inStage))
        }
    }
}
