import GRDB

/// Writes result rows so that nothing is overwritten silently: a row is identified by its key;
/// its input columns decide whether it changed; a changed row keeps its previous inputs in
/// `history` (DESIGN.md: corrections keep history); derived columns follow the inputs.
///
/// The SQL of each table is built once per import (an import writes one column layout per table)
/// and the statements are prepared once
/// (GRDB's statement cache), so a large file pays for binding values only.
final class VersionedRows {
    let db: Database
    let batch: Int64
    let directory: StudentDirectory
    private struct Statements {
        var select: String
        var insert: String
        var update: String
        /// The table had no row with this import's first key value (e.g. its term) when the
        /// import began: rows are inserted first, and looked up only when the insert collides.
        var insertFirst: Bool
    }
    private var statements: [String: Statements] = [:]

    init(db: Database, batch: Int64, directory: StudentDirectory) {
        self.db = db
        self.batch = batch
        self.directory = directory
    }

    func save(table: String, key: [(String, DatabaseValue)], inputs: [(String, DatabaseValue)], derived: [(String, DatabaseValue)]) throws -> RowChange {
        let values = inputs + derived + [("batch_id", batch.databaseValue)]
        let keyValues = key.map { $0.1 }
        let sql = try statements[table] ?? statements(table: table, key: key.map { $0.0 }, firstKeyValue: keyValues[0], inputs: inputs.map { $0.0 }, values: values.map { $0.0 })
        if sql.insertFirst {
            do {
                try db.cachedStatement(sql: sql.insert).execute(arguments: Self.arguments(keyValues + values.map { $0.1 }))
                return .inserted
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                // The key is already there (the same student twice in the file): the versioned path below.
            }
        }
        if let old = try Row.fetchOne(db.cachedStatement(sql: sql.select), arguments: Self.arguments(keyValues)) {
            // Column 0 is the id; the inputs follow in order.
            var changed: [(String, DatabaseValue)] = []
            var previous: [(String, DatabaseValue)] = []
            for (index, input) in inputs.enumerated() where old[index + 1] as DatabaseValue != input.1 {
                changed.append(input)
                previous.append((input.0, old[index + 1]))
            }
            guard !changed.isEmpty else { return .unchanged }
            let id: Int64 = old[0]
            try directory.recordHistory(table: table, key: String(id), old: previous, new: changed)
            try db.cachedStatement(sql: sql.update).execute(arguments: Self.arguments(values.map { $0.1 } + [id.databaseValue]))
            return .updated
        }
        try db.cachedStatement(sql: sql.insert).execute(arguments: Self.arguments(keyValues + values.map { $0.1 }))
        return .inserted
    }

    /// Positional arguments without GRDB's generic initialiser, whose key-path map cost ≈ 10 % of
    /// a large import (perf, 20,000-row fitness file).
    static func arguments(_ values: [DatabaseValue]) -> StatementArguments {
        StatementArguments(values.map { Optional($0 as any DatabaseValueConvertible) })
    }

    private func statements(table: String, key: [String], firstKeyValue: DatabaseValue, inputs: [String], values: [String]) throws -> Statements {
        let condition = key.map { "\($0) = ?" }.joined(separator: " AND ")
        let all = key + values
        let empty = try Bool.fetchOne(db, sql: "SELECT NOT EXISTS (SELECT 1 FROM \(table) WHERE \(key[0]) = ?)", arguments: [firstKeyValue]) ?? false
        let built = Statements(
            select: "SELECT id, \(inputs.joined(separator: ", ")) FROM \(table) WHERE \(condition)",
            insert: "INSERT INTO \(table) (\(all.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: all.count).joined(separator: ", ")))",
            update: "UPDATE \(table) SET \(values.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?",
            insertFirst: empty)
        statements[table] = built
        return built
    }
}
