import Indicators
import Ingest
import Standards
import Store

/// The academic target of one exam of a term, by grade and subject: the county's and each
/// school's level (band of the student-weighted mean) with the distribution over Ⅰ–Ⅳ, the local
/// estimate (预估) of 校际差异率, and the official monitoring values, which take precedence in
/// the target check (../shared/reference/academic/RULES.md §1).
public struct AcademicReport: Sendable {
    /// An official value from the monitoring report.
    public struct Official: Sendable, Equatable {
        public var year: Int
        public var level: AcademicLevel?
        public var difference: Double?
        public var meanScore: Double?
    }

    public struct SchoolLine: Sendable {
        public var school: SchoolInfo
        public var summary: AcademicSummary
        public var band: BandScheme.Band?
    }

    /// One grade and subject.
    public struct Group: Sendable {
        public var grade: GradeCode
        public var subject: String
        public var scheme: BandScheme
        /// The most common full mark of the paper, in tenths.
        public var fullTenths: Int64?
        public var county: AcademicSummary
        public var countyBand: BandScheme.Band?
        public var schools: [SchoolLine]
        /// Local estimate (预估), nil with fewer than two schools.
        public var estimate: VarianceShare?
        public var official: Official?

        /// The level used by the target check: official when imported, else the local level.
        public var level: AcademicLevel? { official?.level ?? countyBand?.level }
        /// The difference rate used by the target check and whether it is official.
        public func difference(_ method: VarianceShare.Method) -> (value: Double, official: Bool)? {
            if let value = official?.difference { return (value, true) }
            return estimate.map { ($0.value(method), false) }
        }
        /// Where the checked figures came from.
        public var source: String {
            guard let official else { return "本地考试（预估）" }
            let both = official.level != nil && official.difference != nil
            return "\(official.year)年国家义务教育质量监测报告" + (both ? "" : "（缺项用本地预估）")
        }
    }

    public var term: Term
    /// The exam reported, nil when the term has none (only official values).
    public var exam: String?
    public var exams: [String]
    public var settings: AcademicSettings
    public var groups: [Group]

    /// One grade and subject, the unit of levels, estimates and official values.
    struct GroupKey: Hashable, Sendable {
        var grade: Int
        var subject: String
    }

    /// One school within a grade and subject.
    struct SchoolKey: Hashable, Sendable {
        var group: GroupKey
        var school: Int64
    }

    /// The county's own mean and SD of each grade and subject, from a first pass over the marks:
    /// the reference of a standardised scheme whose settings give none.
    public struct CountyMoments: Sendable {
        var moments: [GroupKey: ScoreMoments] = [:]

        public init() {}

        /// Whether `settings` band against the county's own moments, so that the marks pass twice.
        public static func needed(_ settings: AcademicSettings) -> Bool {
            if case .standardised = settings.scheme.basis { return true }
            return false
        }

        public mutating func add(_ mark: AcademicMarkRow) {
            if case .score(let tenths) = mark.mark {
                moments[GroupKey(grade: mark.grade.code, subject: mark.subject), default: ScoreMoments()].add(
                    Double(tenths) / 10)
            }
        }
    }

    /// The marks of one exam summarised by school, grade and subject as they stream past, in flat
    /// dictionaries mutated in place: a county's marks are never all in memory.
    public struct Tally: Sendable {
        let settings: AcademicSettings
        let references: [GroupKey: (mean: Double, sd: Double)]
        var summaries: [SchoolKey: AcademicSummary] = [:]
        var fulls: [GroupKey: [Int64: Int]] = [:]

        public init(settings: AcademicSettings = AcademicSettings(), countyMoments: CountyMoments = CountyMoments()) {
            self.settings = settings
            references = countyMoments.moments.compactMapValues(\.population)
        }

        public mutating func add(_ mark: AcademicMarkRow) {
            let group = GroupKey(grade: mark.grade.code, subject: mark.subject)
            let key = SchoolKey(group: group, school: mark.schoolID)
            switch mark.mark {
            case .score(let tenths):
                let band = settings.scheme(for: mark.grade).band(
                    sumTenths: tenths, sumFullTenths: mark.fullTenths, count: 1,
                    reference: settings.references[mark.subject] ?? references[group])
                summaries[key, default: AcademicSummary()].add(
                    scoreTenths: tenths, fullTenths: mark.fullTenths, band: band)
                fulls[group, default: [:]][mark.fullTenths, default: 0] += 1
            case .absent: summaries[key, default: AcademicSummary()].absent += 1
            case .exempt: summaries[key, default: AcademicSummary()].exempt += 1
            }
        }
    }

    /// The report of `exam` (nil when the term has none; `exams`: every exam of the term) from its
    /// tallied marks, judged with the tally's settings; `official` holds the monitoring values up
    /// to this school year, oldest first (the latest of each grade and subject counts).
    public init(
        term: Term, exams: [String], exam: String?, schools: [SchoolInfo], official: [MonitoringValue], tally: Tally
    ) {
        self.term = term
        self.exams = exams
        self.exam = exam
        let settings = tally.settings
        self.settings = settings
        var officialByGroup: [GroupKey: Official] = [:]
        for value in official {
            officialByGroup[GroupKey(grade: value.gradeCode, subject: value.subject)] = value.official
        }
        let schoolByID = Dictionary(uniqueKeysWithValues: schools.map { ($0.id, $0) })
        var bySchool: [GroupKey: [(Int64, AcademicSummary)]] = [:]
        for (key, summary) in tally.summaries { bySchool[key.group, default: []].append((key.school, summary)) }
        var keys = Set(bySchool.keys)
        keys.formUnion(officialByGroup.keys)
        var groups: [Group] = []
        for key in keys {
            guard let grade = GradeCode(code: key.grade) else { continue }
            let scheme = settings.scheme(for: grade)
            let reference = settings.references[key.subject] ?? tally.references[key]
            let lines = (bySchool[key] ?? []).compactMap { id, summary in
                schoolByID[id].map {
                    SchoolLine(school: $0, summary: summary, band: summary.bandOfMean(scheme, reference: reference))
                }
            }.sorted { ($0.school.code ?? $0.school.name) < ($1.school.code ?? $1.school.name) }
            let county = lines.reduce(into: AcademicSummary()) { $0.merge($1.summary) }
            groups.append(
                Group(
                    grade: grade, subject: key.subject, scheme: scheme,
                    fullTenths: tally.fulls[key]?.max { $0.value < $1.value }?.key, county: county,
                    countyBand: county.bandOfMean(scheme, reference: reference), schools: lines,
                    estimate: VarianceShare(moments: lines.map(\.summary.moments)), official: officialByGroup[key]))
        }
        self.groups = groups.sorted {
            ($0.grade.code, AcademicReport.subjectOrder($0.subject)) < (
                $1.grade.code, AcademicReport.subjectOrder($1.subject)
            )
        }
    }

    /// Loads `exam` of `term` (the term's latest exam when nil), streaming its marks through a
    /// cursor (twice when a standardised scheme needs the county's own moments).
    public static func load(
        from database: JianceDatabase, term: Term, exam: String? = nil, settings: AcademicSettings = AcademicSettings()
    ) throws -> AcademicReport {
        let queries = AcademicQueries(database: database)
        let exams = try queries.exams(term: term)
        let exam = exam ?? exams.last
        var moments = CountyMoments()
        if let exam, CountyMoments.needed(settings) {
            try queries.forEachMark(term: term, exam: exam) { moments.add($0) }
        }
        var tally = Tally(settings: settings, countyMoments: moments)
        if let exam { try queries.forEachMark(term: term, exam: exam) { tally.add($0) } }
        return AcademicReport(
            term: term, exams: exams, exam: exam, schools: try database.schools(),
            official: try queries.monitoring(upToYear: term.startYear + 1), tally: tally)
    }

    /// Whether a group meets the target, with the figures it was judged on.
    public func meets(_ group: Group) -> Bool? {
        settings.target.meets(level: group.level, difference: group.difference(settings.method)?.value)
    }

    static let order = ["语文", "数学", "英语", "科学", "道德与法治", "物理", "化学", "生物", "历史", "地理", "体育与健康", "艺术", "音乐", "美术", "德育"]
    static func subjectOrder(_ subject: String) -> Int { order.firstIndex(of: subject) ?? order.count }
}
