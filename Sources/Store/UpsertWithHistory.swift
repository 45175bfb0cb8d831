import GRDB

/// The input columns of one measurement (a fitness item; an eye's acuity, typed as a number or as
/// a text), which a blank cell must not erase, and what a finding calls it.
package struct MeasuredColumns: Sendable {
    package let label: String
    package let columns: [String]

    package init(_ label: String, _ columns: [String]) {
        self.label = label
        self.columns = columns
    }
}

/// Writes result rows so that nothing is overwritten silently: a row is identified by its key;
/// its input columns decide whether it changed; a changed row keeps its previous inputs in
/// `history` (DESIGN.md: corrections keep history); derived columns follow the inputs.
///
/// The statements of each table are built and prepared once per import (an import writes one
/// column layout per table), so a large file pays for binding values only.
package final class UpsertWithHistory {
    package let db: Database
    package let batch: Int64
    let directory: StudentDirectory
    /// Prepared once per import and kept here: looking a 45-column statement up in GRDB's cache by
    /// its SQL text on every row hashed and compared the whole text each time. A class, so that a
    /// row looks its table up once and counts its tries in place.
    private final class Statements {
        let select: Statement
        let insert: Statement
        let update: Statement
        /// Inserts tried before a lookup, and how many of them collided with a stored key.
        var tries = 0
        var collisions = 0

        init(select: Statement, insert: Statement, update: Statement) {
            (self.select, self.insert, self.update) = (select, insert, update)
        }

        /// Rows are inserted first and looked up only when the insert collides, as long as most
        /// inserts go through (a new term, each school's own file); a file that mostly re-sends
        /// stored rows soon goes back to looking each row up first.
        var insertFirst: Bool { tries < 16 || collisions * 2 < tries }
    }
    private var statements: [String: Statements] = [:]

    package init(db: Database, batch: Int64, directory: StudentDirectory) {
        self.db = db
        self.batch = batch
        self.directory = directory
    }

    /// Saves one row. Blank cells in a file never erase results: a `blank` row (no measurement at
    /// all) is stored only where nothing is (`.keptStored`), and a row that leaves blank one of
    /// the `measured` values the stored row has is not stored either (`.keptStoredCells`): a
    /// partial or older file must not wipe a complete result.
    package func save(
        table: String, key: [(String, DatabaseValue)], inputs: [(String, DatabaseValue)],
        derived: [(String, DatabaseValue)], blank: Bool = false, measured: [MeasuredColumns] = []
    ) throws -> RowChange {
        let sql =
            try statements[table]
            ?? statements(
                table: table, key: key.map { $0.0 }, inputs: inputs.map { $0.0 },
                values: (inputs + derived).map { $0.0 } + ["batch_id"])
        // The insert's values in order, gathered once: key, inputs, derived, batch.
        var values: [DatabaseValue] = []
        values.reserveCapacity(key.count + inputs.count + derived.count + 1)
        for (_, value) in key { values.append(value) }
        for (_, value) in inputs { values.append(value) }
        for (_, value) in derived { values.append(value) }
        values.append(batch.databaseValue)
        /// The stored row with this key (its id, then its inputs), if any.
        func stored() throws -> StoredRow? {
            try sql.select.fetchFirstRowBinding(Array(values.prefix(key.count)), in: db)
        }
        if blank {
            if try stored() != nil { return .keptStored }
        } else if sql.insertFirst {
            sql.tries += 1
            do {
                try sql.insert.executeBinding(values, in: db)
                return .inserted
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
                // The key is already there: the versioned path below.
                sql.collisions += 1
            }
        }
        if let old = try stored() {
            // Column 0 is the id; the inputs follow in order.
            var changed: [(String, DatabaseValue)] = []
            var previous: [(String, DatabaseValue)] = []
            for (index, input) in inputs.enumerated() where old.values[index + 1] != input.1 {
                changed.append(input)
                previous.append((input.0, old.values[index + 1]))
            }
            guard !changed.isEmpty else { return .unchanged }
            let erased = measured.filter { measurement in
                let places = measurement.columns.compactMap { column in inputs.firstIndex { $0.0 == column } }
                return places.allSatisfy { inputs[$0].1.isNull } && places.contains { !old.values[$0 + 1].isNull }
            }
            if !erased.isEmpty { return .keptStoredCells(erased.map(\.label)) }
            guard let id = Int64.fromDatabaseValue(old.values[0]) else {
                throw DatabaseError(message: "\(table) 中找到的行没有 id，未更新")
            }
            try directory.recordHistory(table: table, key: String(id), old: previous, new: changed)
            try sql.update.executeBinding(Array(values.dropFirst(key.count)) + [id.databaseValue], in: db)
            return .updated
        }
        try sql.insert.executeBinding(values, in: db)
        return .inserted
    }

    private func statements(table: String, key: [String], inputs: [String], values: [String]) throws -> Statements {
        let condition = key.map { "\($0) = ?" }.joined(separator: " AND ")
        let all = key + values
        let built = try Statements(
            select: db.makeStatement(
                sql: "SELECT id, \(inputs.joined(separator: ", ")) FROM \(table) WHERE \(condition)"),
            insert: db.makeStatement(
                sql:
                    "INSERT INTO \(table) (\(all.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: all.count).joined(separator: ", ")))"
            ),
            update: db.makeStatement(
                sql: "UPDATE \(table) SET \(values.map { "\($0) = ?" }.joined(separator: ", ")) WHERE id = ?"))
        statements[table] = built
        return built
    }
}
