import Foundation
import GRDB

/// The append-only audit log: every import, and every export of named sensitive data.
/// Triggers in the schema refuse UPDATE and DELETE, and Jiance has no command that edits it.
public enum AuditLog {
    public struct Entry: Sendable, Equatable {
        public var at: String
        public var actor: String
        public var action: String
        public var target: String
        public var detail: String
    }

    static func append(_ db: Database, actor: String, action: String, target: String, detail: String) throws {
        try db.execute(
            sql: "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
            arguments: [Timestamp.now(), actor, action, target, detail])
    }

    /// Records an event in its own transaction.
    public static func record(
        _ database: JianceDatabase, action: String, target: String, detail: String,
        actor: String = ProcessInfo.processInfo.userName
    ) throws {
        try database.write { db in try append(db, actor: actor, action: action, target: target, detail: detail) }
    }

    public static func entries(_ database: JianceDatabase) throws -> [Entry] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT at, actor, action, target, detail FROM audit_log ORDER BY id").map {
                Entry(
                    at: $0["at"], actor: $0["actor"], action: $0["action"], target: $0["target"], detail: $0["detail"])
            }
        }
    }
}
