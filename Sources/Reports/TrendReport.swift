import Indicators
import Standards
import Store

/// Every indicator term by term, for the county and each school, from the database alone: the
/// stored results of each term are re-read and summarised with today's settings, so a term is
/// never re-imported to be compared (issue: trends; DESIGN.md "compare every term").
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

    /// Terms from `from` to `to` (both optional) that hold data; `school` limits the schools.
    public init(
        database: JianceDatabase, from: Term? = nil, to: Term? = nil, school reference: String? = nil,
        settings: CountySettings = CountySettings()
    ) throws {
        targets = TrendTargets(
            fitness: settings.fitness, myopiaDropPerYearPP: settings.myopia.dropPerYearPP,
            academicDifference: settings.academic.target.maximumDifference)
        var all = Set(try RosterQueries(database: database).terms())
        all.formUnion(try AcademicReport.terms(database))
        terms = all.filter { term in (from.map { term >= $0 } ?? true) && (to.map { term <= $0 } ?? true) }.sorted()
        var county: [TrendIndicator: TrendSeries] = [:]
        var bySchool: [Int64: (SchoolInfo, [TrendIndicator: TrendSeries])] = [:]
        func record(_ indicator: TrendIndicator, _ term: Term, _ value: TrendValue, school: SchoolInfo? = nil) {
            guard let school else {
                county[indicator, default: TrendSeries(indicator: indicator)].values[term] = value
                return
            }
            var entry = bySchool[school.id] ?? (school, [:])
            entry.1[indicator, default: TrendSeries(indicator: indicator)].values[term] = value
            bySchool[school.id] = entry
        }
        let fitnessTerms = Set(try FitnessQueries(database: database).terms())
        let visionTerms = Set(try VisionQueries(database: database).terms())
        let psychTerms = Set(try PsychQueries(database: database).terms())
        for term in terms {
            if fitnessTerms.contains(term) {
                let report = try FitnessReport(database: database, term: term, targets: settings.fitness)
                let lines = [(nil, report.county)] + report.schools.map { (Optional($0.school), $0.summary) }
                for (school, s) in lines where s.tested > 0 {
                    record(.goodOrBetter, term, TrendValue(rate: s.goodOrBetterRate), school: school)
                    record(.passing, term, TrendValue(rate: s.passingRate), school: school)
                    record(.excellent, term, TrendValue(rate: s.excellentRate), school: school)
                    record(.overweight, term, TrendValue(rate: s.bmiShare(.overweight)), school: school)
                    record(.obese, term, TrendValue(rate: s.bmiShare(.obese)), school: school)
                }
            }
            if visionTerms.contains(term) {
                let report = try VisionReport(
                    database: database, term: term, settings: settings.vision, target: settings.myopia)
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
            // 健康档案建档率 once the school year holds a screening or test of any kind it counts.
            let schoolYear = [
                Term(startYear: term.startYear, semester: 1), Term(startYear: term.startYear, semester: 2),
            ]
            if schoolYear.contains(where: { $0.map { visionTerms.contains($0) || fitnessTerms.contains($0) } ?? false })
            {
                let report = try HealthRecordReport(database: database, term: term, kinds: settings.healthRecord)
                for line in [report.county] + report.schools where line.enrolled > 0 {
                    record(.healthRecords, term, TrendValue(rate: line.rate), school: line.school)
                }
            }
            if psychTerms.contains(term) {
                let report = try PsychReport(
                    database: database, term: term, reviewDays: settings.psychReviewDays, today: term.lastDay,
                    settings: settings.psych)
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
            let academic = try AcademicReport(database: database, term: term, settings: settings.academic)
            if academic.exam != nil {
                var total = AcademicSummary()
                var schools: [Int64: (SchoolInfo, AcademicSummary)] = [:]
                for group in academic.groups {
                    total.merge(group.county)
                    for line in group.schools {
                        schools[line.school.id, default: (line.school, AcademicSummary())].1.merge(line.summary)
                    }
                }
                for (school, s) in [(nil, total)] + schools.values.map({ (Optional($0.0), $0.1) }) where s.scored > 0 {
                    record(.academicPercent, term, TrendValue(rate: s.meanPercent), school: school)
                    record(.academicAtLeastThree, term, TrendValue(rate: s.atLeastThree), school: school)
                }
                let differences = academic.groups.compactMap { $0.difference(settings.academic.method)?.value }
                if let worst = differences.max() { record(.academicDifference, term, TrendValue(worst)) }
            }
            // Resources belong to a statistics year: shown at that year's autumn term.
            if term.semester == 1, let resources = try ResourceReport(database: database, year: term.startYear),
                resources.year == term.startYear
            {
                let judged = resources.evaluations.filter { $0.passes != nil }
                if !judged.isEmpty {
                    record(
                        .resourcePassing, term,
                        TrendValue(rate: Rate(judged.filter { $0.passes == true }.count, of: judged.count)))
                }
                for (stage, indicator) in [
                    (ResourceStage.primary, TrendIndicator.resourceCVPrimary), (.junior, .resourceCVJunior),
                ] {
                    if let worst = resources.balances.filter({ $0.stage == stage }).compactMap(\.cv?.value).max() {
                        record(indicator, term, TrendValue(worst))
                    }
                }
            }
        }
        self.county = county
        schools = bySchool.values.filter { school, _ in reference.map { school.name == $0 || school.code == $0 } ?? true
        }
        .map { SchoolTrend(school: $0.0, series: $0.1) }.sorted {
            ($0.school.code ?? $0.school.name) < ($1.school.code ?? $1.school.name)
        }
        cohorts = try CohortReport(
            database: database, terms: terms, fitnessTerms: fitnessTerms, visionTerms: visionTerms,
            psychTerms: psychTerms,
            newMyopia: county[.newMyopia]?.values.compactMapValues(\.rate) ?? [:])
    }

    /// Indicators with at least one county value, in the order of `TrendIndicator.allCases`.
    public var indicators: [TrendIndicator] { TrendIndicator.allCases.filter { county[$0] != nil } }

    /// The latest term with a value of `indicator`.
    public func latestTerm(_ indicator: TrendIndicator) -> Term? { county[indicator]?.values.keys.max() }

    /// Schools short of the target of `indicator` in its latest term, the farthest first: for the
    /// bureau's attention, never for publication.
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
