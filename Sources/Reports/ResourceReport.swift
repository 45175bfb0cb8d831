import Indicators
import Standards
import Store

/// School resources of a statistics year against the seven indicators, each school part's pass,
/// the county 差异系数 of each indicator per 学段, class and school size limits, and the schools
/// left out of the evaluation (../shared/reference/academic/RULES.md §2–3).
public struct ResourceReport: Sendable {
    public struct Excluded: Sendable, Equatable {
        public var school: String
        public var stage: ResourceStage
        public var reason: String
    }

    /// A whole school against the school-size limit (parts of a 九年一贯制 school added up).
    public struct SchoolSize: Sendable, Equatable {
        public var school: String
        public var stage: SchoolStage?
        public var students: Int
        public var limit: Int
        public var withinLimit: Bool { students <= limit }
    }

    public var year: Int
    public var years: [Int]
    public var evaluations: [ResourceEvaluation]
    public var excluded: [Excluded]
    public var balances: [ResourceBalance]
    public var sizes: [SchoolSize]

    /// The report of statistics year `year` from its rows (`years`: every year with data), each
    /// row one 学段 of a school, in school order.
    public init(year: Int, years: [Int], rows: [SchoolResourceRow]) {
        self.year = year
        self.years = years
        var evaluations: [ResourceEvaluation] = []
        var excluded: [Excluded] = []
        var sizes: [String: SchoolSize] = [:]
        var order: [String] = []
        for row in rows {
            let part = row.part
            let name = part.school
            if sizes[name] == nil {
                order.append(name)
                sizes[name] = SchoolSize(
                    school: name, stage: part.schoolStage, students: 0,
                    limit: ResourceScope.maximumSchoolSize(part.schoolStage))
            }
            sizes[name]!.students += part.students
            if let reason = ResourceScope.exclusion(name: name, kind: row.kind, students: part.students) {
                excluded.append(Excluded(school: name, stage: part.stage, reason: reason))
                continue
            }
            evaluations.append(ResourceEvaluation(part))
        }
        self.evaluations = evaluations
        self.excluded = excluded
        let excludedNames = Set(excluded.map(\.school))
        self.sizes = order.compactMap { excludedNames.contains($0) ? nil : sizes[$0] }
        balances = ResourceStage.allCases.flatMap { stage in
            ResourceIndicator.allCases.map {
                ResourceBalance(stage: stage, indicator: $0, parts: evaluations.map(\.part))
            }
        }.filter { $0.schools > 0 }
    }

    /// Loads the latest statistics year up to `year`; nil when the database has no resource data
    /// up to it.
    public static func load(from database: JianceDatabase, year: Int) throws -> ResourceReport? {
        let queries = ResourceQueries(database: database)
        let years = try queries.years()
        guard let chosen = years.last(where: { $0 <= year }) else { return nil }
        return ResourceReport(year: chosen, years: years, rows: try queries.rows(year: chosen))
    }

    /// Parts of one 学段.
    public func evaluations(_ stage: ResourceStage) -> [ResourceEvaluation] {
        evaluations.filter { $0.part.stage == stage }
    }

    /// Every balance of a 学段 within its limit (nil without schools of that 学段).
    public func balanced(_ stage: ResourceStage) -> Bool? {
        let own = balances.filter { $0.stage == stage }
        guard !own.isEmpty else { return nil }
        return own.allSatisfy { $0.meets == true }
    }
}
