import GRDB
import Indicators
import Standards
import Store

/// One 学段 of a school in a statistics year, as stored, with the school's kind (公办, 民办 …)
/// that decides whether it is evaluated.
public struct SchoolResourceRow: Sendable, Equatable {
    public var part: ResourcePart
    public var kind: String?

    public init(part: ResourcePart, kind: String? = nil) {
        self.part = part
        self.kind = kind
    }
}

/// Read-only queries over the schools' stored resources (学校办学条件).
public struct ResourceQueries: Sendable {
    public let database: JianceDatabase

    public init(database: JianceDatabase) { self.database = database }

    /// Statistics years with resource data, oldest first.
    public func years() throws -> [Int] {
        try database.read { db in try Int.fetchAll(db, sql: "SELECT DISTINCT year FROM school_resource ORDER BY year") }
    }

    /// The rows of statistics year `year` by school code and name, 学段 in descending order
    /// within a school; rows of an unknown 学段 are left out.
    public func rows(year: Int) throws -> [SchoolResourceRow] {
        let columns = ResourceColumns.all.map { "r.\($0)" }.joined(separator: ", ")
        return try database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.name, s.code, s.stage AS school_stage, r.stage, r.kind, r.students, \(columns), r.classes, r.largest_class, r.teachers
                    FROM school_resource r JOIN school s ON s.id = r.school_id WHERE r.year = ? ORDER BY s.code IS NULL, s.code, s.name, r.stage DESC
                    """, arguments: [year]
            ).compactMap { row in
                guard let stage = ResourceStage(rawValue: row["stage"]) else { return nil }
                var totals: [ResourceIndicator: Int64] = [:]
                for indicator in ResourceIndicator.allCases {
                    if let total = row[ResourceColumns.column(indicator)] as Int64? { totals[indicator] = total }
                }
                return SchoolResourceRow(
                    part: ResourcePart(
                        school: row["name"], code: row["code"],
                        schoolStage: (row["school_stage"] as String?).flatMap(SchoolStage.init(rawValue:)),
                        stage: stage, students: row["students"], totals: totals, classes: row["classes"],
                        largestClass: row["largest_class"], teachers: row["teachers"]),
                    kind: row["kind"])
            }
        }
    }
}
