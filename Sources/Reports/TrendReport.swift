import Indicators
import Standards
import Store

/// Every indicator term by term, for the county and each school: the stored results of each term
/// are re-read and summarised with today's settings, so a term is never re-imported to be
/// compared (issue: trends; DESIGN.md "compare every term").
public struct TrendReport: Sendable {
    public struct SchoolTrend: Sendable {
        public var school: SchoolInfo
        public var series: [TrendIndicator: TrendSeries]
    }

    public var terms: [Term]
    public var targets: TrendTargets
    public var county: [TrendIndicator: TrendSeries]
    /// Schools with data in any of the terms (a school absent from a term simply has no value there).
    public var schools: [SchoolTrend]
    /// Followed students between the last comparable terms.
    public var cohorts: CohortReport

    /// The series of each indicator, recorded term by term from the reports of each term.
    public struct Series: Sendable {
        var county: [TrendIndicator: TrendSeries] = [:]
        var bySchool: [Int64: (school: SchoolInfo, series: [TrendIndicator: TrendSeries])] = [:]

        public init() {}

        /// The county's 新发近视率 by term, for the cohorts.
        public var newMyopia: [Term: Rate] { county[.newMyopia]?.values.compactMapValues(\.rate) ?? [:] }

        mutating func record(_ indicator: TrendIndicator, _ term: Term, _ value: TrendValue, school: SchoolInfo?) {
            guard let school else {
                county[indicator, default: TrendSeries(indicator: indicator)].values[term] = value
                return
            }
            var entry = bySchool[school.id] ?? (school, [:])
            entry.series[indicator, default: TrendSeries(indicator: indicator)].values[term] = value
            bySchool[school.id] = entry
        }

        public mutating func add(_ report: FitnessReport) {
            let term = report.term
            let lines = [(nil, report.county)] + report.schools.map { (Optional($0.school), $0.summary) }
            for (school, s) in lines where s.tested > 0 {
                record(.goodOrBetter, term, TrendValue(rate: s.goodOrBetterRate), school: school)
                record(.passing, term, TrendValue(rate: s.passingRate), school: school)
                record(.excellent, term, TrendValue(rate: s.excellentRate), school: school)
                record(.overweight, term, TrendValue(rate: s.bmiShare(.overweight)), school: school)
                record(.obese, term, TrendValue(rate: s.bmiShare(.obese)), school: school)
            }
        }

        public mutating func add(_ report: VisionReport) {
            let term = report.term
            for line in [report.county] + report.schools {
                record(.myopia, term, TrendValue(rate: line.summary.myopiaRate), school: line.school)
                record(.lowVision, term, TrendValue(rate: line.summary.lowVisionRate), school: line.school)
                if report.previousTerm != nil {
                    record(.newMyopia, term, TrendValue(rate: line.newMyopia), school: line.school)
                }
                if line.enrolled > 0 {
                    record(.visionRecords, term, TrendValue(rate: line.coverage), school: line.school)
                }
            }
        }

        public mutating func add(_ report: HealthRecordReport) {
            for line in [report.county] + report.schools where line.enrolled > 0 {
                record(.healthRecords, report.term, TrendValue(rate: line.rate), school: line.school)
            }
        }

        public mutating func add(_ report: PsychReport) {
            let term = report.term
            for (school, c) in [(nil, report.county)] + report.schools.map({ (Optional($0.school), $0.counts) }) {
                if c.enrolledInScope > 0 {
                    record(
                        .psychCoverage, term, TrendValue(rate: Rate(c.screenedInScope, of: c.enrolledInScope)),
                        school: school)
                }
                record(.psychRed, term, TrendValue(Double(c.byProposedLevel[.red] ?? 0)), school: school)
                record(.psychOrange, term, TrendValue(Double(c.byProposedLevel[.orange] ?? 0)), school: school)
                record(.psychYellow, term, TrendValue(Double(c.byProposedLevel[.yellow] ?? 0)), school: school)
            }
        }

        /// A term's exam: the county's and each school's marks over every grade and subject, and
        /// the widest difference rate of any group. A term without an exam records nothing.
        public mutating func add(_ report: AcademicReport) {
            guard report.exam != nil else { return }
            let term = report.term
            var total = AcademicSummary()
            var schools: [Int64: (SchoolInfo, AcademicSummary)] = [:]
            for group in report.groups {
                total.merge(group.county)
                for line in group.schools {
                    schools[line.school.id, default: (line.school, AcademicSummary())].1.merge(line.summary)
                }
            }
            for (school, s) in [(nil, total)] + schools.values.map({ (Optional($0.0), $0.1) }) where s.scored > 0 {
                record(.academicPercent, term, TrendValue(rate: s.meanPercent), school: school)
                record(.academicAtLeastThree, term, TrendValue(rate: s.atLeastThree), school: school)
            }
            let differences = report.groups.compactMap { $0.difference(report.settings.method)?.value }
            if let worst = differences.max() { record(.academicDifference, term, TrendValue(worst), school: nil) }
        }

        /// Resources belong to a statistics year: shown at that year's autumn term only.
        public mutating func add(_ resources: ResourceReport, at term: Term) {
            guard term.semester == 1, resources.year == term.startYear else { return }
            let judged = resources.evaluations.filter { $0.passes != nil }
            if !judged.isEmpty {
                record(
                    .resourcePassing, term,
                    TrendValue(rate: Rate(judged.filter { $0.passes == true }.count, of: judged.count)), school: nil)
            }
            for (stage, indicator) in [
                (ResourceStage.primary, TrendIndicator.resourceCVPrimary), (.junior, .resourceCVJunior),
            ] {
                if let worst = resources.balances.filter({ $0.stage == stage }).compactMap(\.cv?.value).max() {
                    record(indicator, term, TrendValue(worst), school: nil)
                }
            }
        }
    }

    /// The trend of `terms` from their recorded series; `school` (a name or code) limits the schools.
    public init(
        terms: [Term], settings: CountySettings = CountySettings(), school reference: String? = nil, series: Series,
        cohorts: CohortReport = CohortReport()
    ) {
        self.terms = terms
        targets = TrendTargets(
            fitness: settings.fitness, myopiaDropPerYearPP: settings.myopia.dropPerYearPP,
            academicDifference: settings.academic.target.maximumDifference)
        county = series.county
        schools = series.bySchool.values.filter { school, _ in
            reference.map { school.name == $0 || school.code == $0 } ?? true
        }
        .map { SchoolTrend(school: $0.school, series: $0.series) }.sorted {
            ($0.school.code ?? $0.school.name) < ($1.school.code ?? $1.school.name)
        }
        self.cohorts = cohorts
    }

    /// Loads the terms from `first` through `last` (both optional) that hold data: the stored
    /// results of each term are summarised again with `settings`, one term's reports at a time.
    public static func load(
        from database: JianceDatabase, since first: Term? = nil, through last: Term? = nil,
        school reference: String? = nil,
        settings: CountySettings = CountySettings()
    ) throws -> TrendReport {
        var all = Set(try RosterQueries(database: database).terms())
        all.formUnion(try AcademicQueries(database: database).terms())
        let terms = all.filter { term in (first.map { term >= $0 } ?? true) && (last.map { term <= $0 } ?? true) }
            .sorted()
        let fitnessTerms = Set(try FitnessQueries(database: database).terms())
        let visionTerms = Set(try VisionQueries(database: database).terms())
        let psychTerms = Set(try PsychQueries(database: database).terms())
        // Added in term order once all are loaded (the 100k sample county's trend: 10.3 → 5.7 s).
        var loads: [@Sendable () throws -> TermReport?] = []
        for term in terms {
            if fitnessTerms.contains(term) {
                loads.append { .fitness(try FitnessReport.load(from: database, term: term, targets: settings.fitness)) }
            }
            if visionTerms.contains(term) {
                loads.append {
                    .vision(
                        try VisionReport.load(
                            from: database, term: term, settings: settings.vision, target: settings.myopia))
                }
            }
            // 健康档案建档率 once the school year holds a screening or test of any kind it counts.
            let schoolYear = [
                Term(startYear: term.startYear, semester: 1), Term(startYear: term.startYear, semester: 2),
            ]
            if schoolYear.contains(where: { $0.map { visionTerms.contains($0) || fitnessTerms.contains($0) } ?? false })
            {
                loads.append {
                    .healthRecord(try HealthRecordReport.load(from: database, term: term, kinds: settings.healthRecord))
                }
            }
            if psychTerms.contains(term) {
                loads.append {
                    .psych(
                        try PsychReport.load(
                            from: database, term: term, reviewDays: settings.psychReviewDays, today: term.lastDay,
                            settings: settings.psych))
                }
            }
            loads.append { .academic(try AcademicReport.load(from: database, term: term, settings: settings.academic)) }
            loads.append { try ResourceReport.load(from: database, year: term.startYear).map { .resources($0, term) } }
        }
        var series = Series()
        for loaded in try TermReport.load(loads) {
            switch loaded {
            case .fitness(let report): series.add(report)
            case .vision(let report): series.add(report)
            case .healthRecord(let report): series.add(report)
            case .psych(let report): series.add(report)
            case .academic(let report): series.add(report)
            case .resources(let report, let term): series.add(report, at: term)
            }
        }
        let cohorts = try CohortReport.load(
            from: database, terms: terms, fitnessTerms: fitnessTerms, visionTerms: visionTerms,
            psychTerms: psychTerms, newMyopia: series.newMyopia)
        return TrendReport(terms: terms, settings: settings, school: reference, series: series, cohorts: cohorts)
    }

    /// Indicators with at least one county value, in the order of `TrendIndicator.allCases`.
    public var indicators: [TrendIndicator] { TrendIndicator.allCases.filter { county[$0] != nil } }

    /// The latest term with a value of `indicator`.
    public func latestTerm(_ indicator: TrendIndicator) -> Term? { county[indicator]?.values.keys.max() }

    /// Schools short of the target of `indicator` in its latest term, the farthest first: for the
    /// bureau's attention, never for publication.
    /// What the list of schools to watch says when it names none: every school meets its targets,
    /// or no term has an indicator a school is held to yet.
    public var nobodyToWatch: String {
        TrendIndicator.schoolTargets.contains { latestTerm($0) != nil }
            ? "所有学校均达到目标。" : "还没有可以对照目标的学校指标（体测优良率与及格率、近视率、视力与健康档案建档率）。"
    }

    public func attention(_ indicator: TrendIndicator) -> [(school: SchoolInfo, value: TrendValue, gap: Double)] {
        guard let term = latestTerm(indicator) else { return [] }
        return schools.compactMap { trend in
            guard let series = trend.series[indicator], let value = series.values[term],
                let gap = series.gap(at: term, targets: targets), gap > 1e-9
            else { return nil }
            return (trend.school, value, gap)
        }.sorted { $0.gap > $1.gap }
    }
}
