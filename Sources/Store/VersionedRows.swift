import GRDB

/// Writes result rows so that nothing is overwritten silently: a row is identified by its key;
/// its input columns decide whether it changed; a changed row keeps its previous inputs in
/// `history` (DESIGN.md: corrections keep history); derived columns follow the inputs.
struct VersionedRows {
    let db: Database
    let batch: Int64
    let directory: StudentDirectory

    func save(table: String, key: [(String, DatabaseValue)], inputs: [(String, DatabaseValue)], derived: [(String, DatabaseValue)]) throws -> RowChange {
        let condition = key.map { "\($0.0) = ?" }.joined(separator: " AND ")
        let columns = inputs.map(\.0)
        let values = inputs + derived + [("batch_id", batch.databaseValue)]
        if let old = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, \(columns.joined(separator: ", ")) FROM \(table) WHERE \(condition)"),
                                      arguments: StatementArguments(key.map(\.1))) {
            let changed = inputs.filter { old[$0.0] as DatabaseValue != $0.1 }
            guard !changed.isEmpty else { return .unchanged }
            let id: Int64 = old["id"]
            try directory.recordHistory(table: table, key: String(id), old: changed.map { ($0.0, old[$0.0] as DatabaseValue) }, new: changed)
            let assignments = values.map { "\($0.0) = ?" }.joined(separator: ", ")
            try db.execute(sql: "UPDATE \(table) SET \(assignments) WHERE id = ?", arguments: StatementArguments(values.map(\.1) + [id.databaseValue]))
            return .updated
        }
        let all = key + values
        let placeholders = Array(repeating: "?", count: all.count).joined(separator: ", ")
        try db.cachedStatement(sql: "INSERT INTO \(table) (\(all.map(\.0).joined(separator: ", "))) VALUES (\(placeholders))")
            .execute(arguments: StatementArguments(all.map(\.1)))
        return .inserted
    }
}
