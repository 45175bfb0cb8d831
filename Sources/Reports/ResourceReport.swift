import GRDB
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

    /// Statistics years with resource data, oldest first.
    public static func years(_ database: JianceDatabase) throws -> [Int] {
        try database.read { db in try Int.fetchAll(db, sql: "SELECT DISTINCT year FROM school_resource ORDER BY year") }
    }

    /// Nil when the database has no resource data up to `year`; the latest year up to it is used.
    public init?(database: JianceDatabase, year: Int) throws {
        let years = try ResourceReport.years(database)
        guard let chosen = years.last(where: { $0 <= year }) else { return nil }
        self.year = chosen
        self.years = years
        let columns = ResourceColumns.all.map { "r.\($0)" }.joined(separator: ", ")
        let rows = try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.name, s.code, s.stage AS school_stage, r.stage, r.kind, r.students, \(columns), r.classes, r.largest_class, r.teachers
                    FROM school_resource r JOIN school s ON s.id = r.school_id WHERE r.year = ? ORDER BY s.code IS NULL, s.code, s.name, r.stage DESC
                    """, arguments: [chosen])
        }
        var evaluations: [ResourceEvaluation] = []
        var excluded: [Excluded] = []
        var sizes: [String: SchoolSize] = [:]
        var order: [String] = []
        for row in rows {
            let name: String = row["name"]
            guard let stage = ResourceStage(rawValue: row["stage"]) else { continue }
            let students: Int = row["students"]
            let schoolStage = (row["school_stage"] as String?).flatMap(SchoolStage.init(rawValue:))
            if sizes[name] == nil {
                order.append(name)
                sizes[name] = SchoolSize(
                    school: name, stage: schoolStage, students: 0, limit: ResourceScope.maximumSchoolSize(schoolStage))
            }
            sizes[name]!.students += students
            if let reason = ResourceScope.exclusion(name: name, kind: row["kind"], students: students) {
                excluded.append(Excluded(school: name, stage: stage, reason: reason))
                continue
            }
            var totals: [ResourceIndicator: Int64] = [:]
            for indicator in ResourceIndicator.allCases {
                if let total = row[ResourceColumns.column(indicator)] as Int64? { totals[indicator] = total }
            }
            evaluations.append(
                ResourceEvaluation(
                    ResourcePart(
                        school: name, code: row["code"], schoolStage: schoolStage, stage: stage, students: students,
                        totals: totals, classes: row["classes"], largestClass: row["largest_class"],
                        teachers: row["teachers"])))
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
