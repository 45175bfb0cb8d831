import GRDB
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
    private struct GroupKey: Hashable {
        var grade: Int
        var subject: String
    }

    public init(
        database: JianceDatabase, term: Term, exam: String? = nil, settings: AcademicSettings = AcademicSettings()
    ) throws {
        self.term = term
        self.settings = settings
        let (exams, official) = try database.read { db in
            let exams = try String.fetchAll(
                db, sql: "SELECT exam FROM academic_score WHERE term_id = ? GROUP BY exam ORDER BY MAX(batch_id)",
                arguments: [term.description])
            // The latest monitoring of each grade and subject up to this school year.
            var official: [GroupKey: Official] = [:]
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT year, subject, grade_code, level, difference, mean_score FROM monitoring_result WHERE year <= ? ORDER BY year",
                arguments: [term.startYear + 1])
            {
                official[GroupKey(grade: row["grade_code"], subject: row["subject"])] = Official(
                    year: row["year"], level: (row["level"] as Int?).flatMap(AcademicLevel.init(rawValue:)),
                    difference: row["difference"], meanScore: row["mean_score"])
            }
            return (exams, official)
        }
        let schools = try RosterQueries(database: database).schools()
        self.exams = exams
        let exam = exam ?? exams.last
        self.exam = exam
        /// One school within a grade and subject.
        struct SchoolKey: Hashable {
            var group: GroupKey
            var school: Int64
        }
        // Flat dictionaries mutated in place: a county's marks stream through without copying.
        var summaries: [SchoolKey: AcademicSummary] = [:]
        var fulls: [GroupKey: [Int64: Int]] = [:]
        var references: [GroupKey: (mean: Double, sd: Double)] = [:]
        if let exam {
            // Two passes when a standardised scheme needs the county's own mean and SD as reference.
            if case .standardised = settings.scheme.basis {
                var moments: [GroupKey: ScoreMoments] = [:]
                try AcademicReport.forEachMark(database, term: term, exam: exam) { _, grade, subject, mark, _ in
                    if case .score(let tenths) = mark {
                        moments[GroupKey(grade: grade.code, subject: subject), default: ScoreMoments()].add(
                            Double(tenths) / 10)
                    }
                }
                references = moments.compactMapValues(\.population)
            }
            try AcademicReport.forEachMark(database, term: term, exam: exam) { school, grade, subject, mark, full in
                let group = GroupKey(grade: grade.code, subject: subject)
                let key = SchoolKey(group: group, school: school)
                switch mark {
                case .score(let tenths):
                    let band = settings.scheme(for: grade).band(
                        sumTenths: tenths, sumFullTenths: full, count: 1,
                        reference: settings.references[subject] ?? references[group])
                    summaries[key, default: AcademicSummary()].add(scoreTenths: tenths, fullTenths: full, band: band)
                    fulls[group, default: [:]][full, default: 0] += 1
                case .absent: summaries[key, default: AcademicSummary()].absent += 1
                case .exempt: summaries[key, default: AcademicSummary()].exempt += 1
                }
            }
        }
        let schoolByID = Dictionary(uniqueKeysWithValues: schools.map { ($0.id, $0) })
        var bySchool: [GroupKey: [(Int64, AcademicSummary)]] = [:]
        for (key, summary) in summaries { bySchool[key.group, default: []].append((key.school, summary)) }
        var keys = Set(bySchool.keys)
        keys.formUnion(official.keys)
        var groups: [Group] = []
        for key in keys {
            guard let grade = GradeCode(code: key.grade) else { continue }
            let scheme = settings.scheme(for: grade)
            let reference = settings.references[key.subject] ?? references[key]
            let lines = (bySchool[key] ?? []).compactMap { id, summary in
                schoolByID[id].map {
                    SchoolLine(school: $0, summary: summary, band: summary.bandOfMean(scheme, reference: reference))
                }
            }.sorted { ($0.school.code ?? $0.school.name) < ($1.school.code ?? $1.school.name) }
            let county = lines.reduce(into: AcademicSummary()) { $0.merge($1.summary) }
            groups.append(
                Group(
                    grade: grade, subject: key.subject, scheme: scheme,
                    fullTenths: fulls[key]?.max { $0.value < $1.value }?.key, county: county,
                    countyBand: county.bandOfMean(scheme, reference: reference), schools: lines,
                    estimate: VarianceShare(moments: lines.map(\.summary.moments)), official: official[key]))
        }
        self.groups = groups.sorted {
            ($0.grade.code, AcademicReport.subjectOrder($0.subject)) < (
                $1.grade.code, AcademicReport.subjectOrder($1.subject)
            )
        }
    }

    /// Whether a group meets the target, with the figures it was judged on.
    public func meets(_ group: Group) -> Bool? {
        settings.target.meets(level: group.level, difference: group.difference(settings.method)?.value)
    }

    /// Terms with exam marks.
    public static func terms(_ database: JianceDatabase) throws -> [Term] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT term_id FROM academic_score").compactMap(Term.init).sorted()
        }
    }

    static let order = ["语文", "数学", "英语", "科学", "道德与法治", "物理", "化学", "生物", "历史", "地理", "体育与健康", "艺术", "音乐", "美术", "德育"]
    static func subjectOrder(_ subject: String) -> Int { order.firstIndex(of: subject) ?? order.count }

    /// Streams every mark of an exam (school, grade, subject, mark, full mark in tenths) through a
    /// cursor, so that a large county's marks are never all in memory.
    static func forEachMark(
        _ database: JianceDatabase, term: Term, exam: String,
        body: (Int64, GradeCode, String, AcademicMark, Int64) throws -> Void
    ) throws {
        try database.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT school_id, grade_code, subject, status, score_tenths, full_tenths
                    FROM academic_score WHERE term_id = ? AND exam = ? AND grade_code IS NOT NULL
                    """, arguments: [term.description, exam])
            while let row = try rows.next() {
                guard let grade = GradeCode(code: row[1]) else { continue }
                let status: String = row[3]
                let mark: AcademicMark =
                    status == "absent" ? .absent : status == "exempt" ? .exempt : .score(tenths: row[4])
                try body(row[0], grade, row[2], mark, row[5])
            }
        }
    }
}
