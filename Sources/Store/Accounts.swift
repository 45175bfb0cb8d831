import Foundation
import GRDB

/// What an account may see and do on the web server.
public enum AccountRole: String, Sendable, CaseIterable {
    /// 教育局: every school, the county workbook, the self-assessment, trends and the audit log;
    /// psychological data as counts only.
    case county
    /// 学校: its own school only, and no psychological data at all.
    case school
    /// 心理教师: its own school's crisis ledger only.
    case psych

    public var label: String {
        switch self {
        case .county: "教育局"
        case .school: "学校"
        case .psych: "心理教师"
        }
    }
}

/// One account as stored (without its password hash).
public struct Account: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var role: AccountRole
    /// The account's school (school and psych roles); nil for the county.
    public var school: SchoolInfo?
    public var disabled: Bool
}

/// The accounts table: created, listed, re-passworded and disabled by `jiance user`, checked at
/// every login by the web server. Password hashes are made by the caller (bcrypt); this type
/// never sees a password.
public struct AccountStore: Sendable {
    public let database: JianceDatabase

    public init(database: JianceDatabase) { self.database = database }

    public func add(name: String, role: AccountRole, school: SchoolInfo?, passwordHash: String) throws -> Account {
        try database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO account (name, role, school_id, password_hash, created_at) VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [name, role.rawValue, school?.id, passwordHash, Timestamp.now()])
            try AuditLog.append(
                db, actor: AuditLog.actor, action: "account-add", target: name,
                detail: "新建账号：\(role.label)" + (school.map { "，\($0.name)" } ?? ""))
            return Account(id: db.lastInsertedRowID, name: name, role: role, school: school, disabled: false)
        }
    }

    public func all() throws -> [Account] {
        let schools = Dictionary(uniqueKeysWithValues: try database.schools().map { ($0.id, $0) })
        return try database.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name, role, school_id, disabled FROM account ORDER BY name")
                .compactMap {
                    row in
                    guard let role = AccountRole(rawValue: row["role"]) else { return nil }
                    return Account(
                        id: row["id"], name: row["name"], role: role,
                        school: (row["school_id"] as Int64?).flatMap { schools[$0] },
                        disabled: row["disabled"])
                }
        }
    }

    public func named(_ name: String) throws -> Account? {
        try all().first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    public var hasCountyAccount: Bool {
        get throws {
            try database.read { db in
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM account WHERE role = 'county' AND disabled = 0)")
                    ?? false
            }
        }
    }

    /// The stored hash and lock state of an account, for checking a login.
    public func credentials(_ name: String) throws -> (account: Account, hash: String, lockedUntil: Date?)? {
        guard let account = try named(name) else { return nil }
        return try database.read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT password_hash, locked_until FROM account WHERE id = ?", arguments: [account.id])
            else { return nil }
            let locked = (row["locked_until"] as String?).flatMap { try? Date($0, strategy: .iso8601) }
            return (account, row["password_hash"], locked)
        }
    }

    /// What a signed-in session was opened with: the password hash of an account still enabled,
    /// nil once it is disabled or gone. A changed hash (a new password) ends older sessions.
    public func sessionStamp(_ id: Int64) throws -> String? {
        try database.read { db in
            try String.fetchOne(
                db, sql: "SELECT password_hash FROM account WHERE id = ? AND disabled = 0", arguments: [id])
        }
    }

    /// A failed login: counted, and after `limit` failures in a row the account is locked until
    /// `lockFor` from now (and the count starts again).
    public func recordFailedLogin(_ account: Account, limit: Int, lockFor: TimeInterval) throws {
        try database.write { db in
            let failures =
                (try Int.fetchOne(db, sql: "SELECT failed_logins FROM account WHERE id = ?", arguments: [account.id])
                    ?? 0) + 1
            let locks = failures >= limit
            try db.execute(
                sql: "UPDATE account SET failed_logins = ?, locked_until = ? WHERE id = ?",
                arguments: [
                    locks ? 0 : failures, locks ? Date().addingTimeInterval(lockFor).formatted(.iso8601) : nil,
                    account.id,
                ])
            try AuditLog.append(
                db, actor: account.name, action: "login-failed", target: account.name,
                detail: locks ? "密码错误，连续 \(limit) 次，账号锁定 \(Int(lockFor)) 秒" : "密码错误（第 \(failures) 次）")
        }
    }

    public func recordLogin(_ account: Account) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE account SET failed_logins = 0, locked_until = NULL WHERE id = ?", arguments: [account.id])
            try AuditLog.append(
                db, actor: account.name, action: "login", target: account.name, detail: "登录（\(account.role.label)）")
        }
    }

    public func setPassword(_ account: Account, hash: String) throws {
        try database.write { db in
            try db.execute(
                sql: "UPDATE account SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?",
                arguments: [hash, account.id])
            try AuditLog.append(
                db, actor: AuditLog.actor, action: "account-password", target: account.name, detail: "修改密码")
        }
    }

    public func disable(_ account: Account) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE account SET disabled = 1 WHERE id = ?", arguments: [account.id])
            try AuditLog.append(
                db, actor: AuditLog.actor, action: "account-disable", target: account.name, detail: "停用账号")
        }
    }
}
