import Foundation
import GRDB

/// The append-only audit log: every import, and every export of named sensitive data.
/// Triggers in the schema refuse UPDATE and DELETE, and Jiance has no command that edits it.
public enum AuditLog {
    /// Who acts: the signed-in account on the web server (bound per request), else the user
    /// running the command. Every import, undo and export records it.
    @TaskLocal public static var actor = ProcessInfo.processInfo.userName

    public struct Entry: Sendable, Equatable {
        public var at: String
        public var actor: String
        public var action: String
        public var target: String
        public var detail: String
    }

    package static func append(_ db: Database, actor: String, action: String, target: String, detail: String) throws {
        try db.execute(
            sql: "INSERT INTO audit_log (at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?)",
            arguments: [Timestamp.now(), actor, action, target, detail])
    }

    /// Records an event in its own transaction.
    public static func record(
        _ database: JianceDatabase, action: String, target: String, detail: String,
        actor: String = AuditLog.actor
    ) throws {
        try database.write { db in try append(db, actor: actor, action: action, target: target, detail: detail) }
    }

    /// The log in order, or its last `limit` entries newest first (the web page).
    public static func entries(_ database: JianceDatabase, latest limit: Int? = nil) throws -> [Entry] {
        let sql =
            limit == nil
            ? "SELECT at, actor, action, target, detail FROM audit_log ORDER BY id"
            : "SELECT at, actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?"
        return try database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: limit.map { [$0] } ?? []).map {
                Entry(
                    at: $0["at"], actor: $0["actor"], action: $0["action"], target: $0["target"], detail: $0["detail"])
            }
        }
    }
}
