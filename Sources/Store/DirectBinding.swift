import GRDB
import GRDBSQLite

extension Statement {
    /// Runs an INSERT or UPDATE with `values` bound in order through SQLite's C API.
    ///
    /// The rows of a large import go through here: GRDB's `StatementArguments` wraps every value
    /// in an existential and cost more than SQLite's own work for a 45-column row (perf, 100,000-row
    /// fitness file). The texts of the row are copied once into one scratch buffer and bound from
    /// there without a copy per text (SQLITE_STATIC; the bindings are cleared before the buffer
    /// goes). Errors come back as GRDB's `DatabaseError`, so callers can match `SQLITE_CONSTRAINT`
    /// as before. Only for statements inside a transaction GRDB opened, with no transaction
    /// observer on the tables written.
    package func executeBinding(_ values: [DatabaseValue], in db: Database) throws {
        try withBinding(values, in: db) { statement in
            let result = sqlite3_step(statement)
            guard result == SQLITE_DONE else { throw error(result, db) }
        }
    }

    /// The first column of the first row as an integer (an id), nil when there is no row or it is
    /// NULL: the per-row lookups of an import of small files, without GRDB's cursor machinery.
    package func fetchInt64Binding(_ values: [DatabaseValue], in db: Database) throws -> Int64? {
        try withBinding(values, in: db) { statement in
            switch sqlite3_step(statement) {
            case SQLITE_ROW:
                return sqlite3_column_type(statement, 0) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, 0)
            case SQLITE_DONE: return nil
            case let code: throw error(code, db)
            }
        }
    }

    /// The first row's columns in the statement's order, nil when there is no row: the stored row
    /// an import compares a changed row with and keeps in history. GRDB's `Row.fetchOne` with its
    /// cursor cost about 40,000 instructions a lookup, more than SQLite's own work (callgrind, a
    /// roster imported over last year's).
    package func fetchFirstRowBinding(_ values: [DatabaseValue], in db: Database) throws -> StoredRow? {
        let columns = columnNames
        return try withBinding(values, in: db) { statement in
            switch sqlite3_step(statement) {
            case SQLITE_ROW:
                return StoredRow(
                    columns: columns,
                    values: (0..<Int32(columns.count)).map { DatabaseValue(sqliteStatement: statement, index: $0) })
            case SQLITE_DONE: return nil
            case let code: throw error(code, db)
            }
        }
    }

    /// Binds `values` in order, runs `body` on the bound statement, then resets it and clears
    /// the bindings (the texts are bound from a scratch buffer that ends with this call).
    private func withBinding<T>(_ values: [DatabaseValue], in db: Database, _ body: (OpaquePointer) throws -> T) throws
        -> T
    {
        let statement = sqliteStatement
        var textBytes = 0
        for value in values { if case .string(let text) = value.storage { textBytes += text.utf8.count } }
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(textBytes, 1)) { scratch in
            sqlite3_reset(statement)
            defer {
                sqlite3_reset(statement)
                sqlite3_clear_bindings(statement)
            }
            var used = 0
            for (offset, value) in values.enumerated() {
                let index = Int32(offset + 1)
                let code: Int32
                switch value.storage {
                case .null: code = sqlite3_bind_null(statement, index)
                case .int64(let number): code = sqlite3_bind_int64(statement, index, number)
                case .double(let number): code = sqlite3_bind_double(statement, index, number)
                case .string(let text):
                    let start = scratch.baseAddress! + used
                    let count = UnsafeMutableBufferPointer(rebasing: scratch[used...]).initialize(
                        fromContentsOf: text.utf8)
                    used += count
                    code = start.withMemoryRebound(to: CChar.self, capacity: count) {
                        sqlite3_bind_text(statement, index, $0, Int32(count), nil)
                    }
                case .blob(let data):
                    code = data.withUnsafeBytes {
                        sqlite3_bind_blob(statement, index, $0.baseAddress, Int32($0.count), transient)
                    }
                }
                guard code == SQLITE_OK else { throw error(code, db) }
            }
            return try body(statement)
        }
    }

    private func error(_ code: Int32, _ db: Database) -> DatabaseError {
        let extended = sqlite3_extended_errcode(db.sqliteConnection)
        return DatabaseError(
            resultCode: ResultCode(rawValue: extended != 0 ? extended : code),
            message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
    }
}

/// One row as stored: its columns' names and values, in the statement's order.
package struct StoredRow {
    package let columns: [String]
    package let values: [DatabaseValue]

    /// The value of the column `name` (NULL when the row has no such column).
    package subscript(_ name: String) -> DatabaseValue {
        columns.firstIndex(of: name).map { values[$0] } ?? .null
    }

    /// Every column with its value, as `jsonObject` takes them.
    package var pairs: [(String, DatabaseValue)] { Array(zip(columns, values)) }
}

/// SQLite copies the bound bytes (SQLITE_TRANSIENT): the Swift buffer does not outlive the call.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
