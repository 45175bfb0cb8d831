import GRDB
import Standards

/// A school as stored.
public struct SchoolInfo: Sendable, Equatable {
    public var id: Int64
    public var code: String?
    public var name: String
    public var stage: SchoolStage?
    public var township: String?
    public var locality: Locality?

    public init(
        id: Int64, code: String? = nil, name: String, stage: SchoolStage? = nil, township: String? = nil,
        locality: Locality? = nil
    ) {
        (self.id, self.code, self.name, self.stage, self.township, self.locality) = (
            id, code, name, stage, township, locality
        )
    }
}

extension JianceDatabase {
    /// Every school, by code (schools without one last) and name: the one list of schools that
    /// accounts, reports and the school pickers read.
    public func schools() throws -> [SchoolInfo] {
        try read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT id, code, name, stage, township, locality FROM school ORDER BY code IS NULL, code, name"
            ).map {
                SchoolInfo(
                    id: $0["id"], code: $0["code"], name: $0["name"],
                    stage: ($0["stage"] as String?).flatMap(SchoolStage.init(rawValue:)),
                    township: $0["township"], locality: ($0["locality"] as String?).flatMap(Locality.init(rawValue:)))
            }
        }
    }
}
