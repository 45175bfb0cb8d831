import Foundation
import GRDB
import Testing

@testable import Store

/// Values bound straight through SQLite's C API come back exactly as GRDB would store them, errors
/// keep GRDB's result codes, and a statement stays reusable after a failure.
@Suite struct DirectBindingTests {
    func table() throws -> DatabaseQueue {
        let queue = try DatabaseQueue()
        try queue.write {
            try $0.execute(
                sql: "CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT UNIQUE, n REAL, i INTEGER, b BLOB, note TEXT)")
        }
        return queue
    }

    @Test func everyKindOfValueRoundTrips() throws {
        let queue = try table()
        try queue.write { db in
            let insert = try db.makeStatement(sql: "INSERT INTO t (k, n, i, b, note) VALUES (?, ?, ?, ?, ?)")
            try insert.executeBinding(
                [
                    "王堃（初一）".databaseValue, 122.7.databaseValue, Int64(-3).databaseValue,
                    Data([0, 1, 255]).databaseValue, "".databaseValue,
                ], in: db)
            try insert.executeBinding(
                ["G001".databaseValue, .null, .null, .null, "引号\"和\\反斜杠\n换行".databaseValue], in: db)
        }
        let rows = try queue.read { try Row.fetchAll($0, sql: "SELECT k, n, i, b, note FROM t ORDER BY id") }
        #expect(rows[0]["k"] == "王堃（初一）")
        #expect(rows[0]["n"] == 122.7)
        #expect(rows[0]["i"] == -3)
        #expect(rows[0]["b"] == Data([0, 1, 255]))
        #expect(rows[0]["note"] == "")  // an empty text, not NULL
        #expect((rows[1]["n"] as DatabaseValue).isNull && (rows[1]["b"] as DatabaseValue).isNull)
        #expect(rows[1]["note"] == "引号\"和\\反斜杠\n换行")
    }

    @Test func aCollisionIsAConstraintErrorAndTheStatementGoesOn() throws {
        let queue = try table()
        try queue.write { db in
            let insert = try db.makeStatement(sql: "INSERT INTO t (k) VALUES (?)")
            try insert.executeBinding(["G001".databaseValue], in: db)
            do {
                try insert.executeBinding(["G001".databaseValue], in: db)
                Issue.record("a duplicate key was inserted")
            } catch let error as DatabaseError {
                #expect(error.resultCode == .SQLITE_CONSTRAINT)
                #expect(error.message?.contains("UNIQUE") == true)
            }
            try insert.executeBinding(["G002".databaseValue], in: db)
        }
        #expect(try queue.read { try String.fetchAll($0, sql: "SELECT k FROM t ORDER BY id") } == ["G001", "G002"])
    }

    @Test func oneIntegerOrNothing() throws {
        let queue = try table()
        try queue.write { db in
            try db.execute(sql: "INSERT INTO t (id, k, i) VALUES (7, 'G007', NULL), (8, 'G008', 42)")
            let find = try db.makeStatement(sql: "SELECT id FROM t WHERE k = ?")
            #expect(try find.fetchInt64Binding(["G007".databaseValue], in: db) == 7)
            #expect(try find.fetchInt64Binding(["G999".databaseValue], in: db) == nil)
            let value = try db.makeStatement(sql: "SELECT i FROM t WHERE k = ?")
            #expect(try value.fetchInt64Binding(["G007".databaseValue], in: db) == nil)  // NULL
            #expect(try value.fetchInt64Binding(["G008".databaseValue], in: db) == 42)
        }
    }
}
