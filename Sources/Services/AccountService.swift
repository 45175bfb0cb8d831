import Foundation
import HummingbirdBcrypt
import Standards
import Store

/// Why an account could not be created, changed or signed in; the message says what to do.
public struct AccountProblem: Error, CustomStringConvertible {
    public var description: String
    /// The request itself cannot be met, whatever accounts there are: a name, password, role or
    /// school no account may have. The command line answers it as a usage mistake (exit 2).
    public var isInvalidRequest: Bool

    public init(_ description: String, invalidRequest: Bool = false) {
        self.description = description
        self.isInvalidRequest = invalidRequest
    }
}

/// Accounts of the web server, for `jiance user` and the login page: passwords are checked
/// against their rules and kept only as bcrypt hashes (cost 12); a login is refused for a
/// disabled or locked account, and five failures in a row lock it for a minute.
public struct AccountService: Sendable {
    public let store: AccountStore
    /// Failed logins in a row that lock an account, and for how long.
    public var lockAfter = 5
    public var lockFor: TimeInterval = 60
    /// bcrypt's work factor: 2^cost rounds; 12 takes a few hundred milliseconds a login.
    public var cost: UInt8 = 12

    public init(database: JianceDatabase) { store = AccountStore(database: database) }

    /// Account names: letters, digits, `._-` and Chinese characters, 2 to 32 of them.
    static func checkName(_ name: String) throws {
        let allowed = name.unicodeScalars.allSatisfy {
            CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)
        }
        guard (2...32).contains(name.count), allowed else {
            throw AccountProblem(
                "账号名“\(Finding.printable(name))”不可用：应为 2–32 个字母、数字、汉字或 . _ -", invalidRequest: true)
        }
    }

    /// At least 10 characters, with at least two of letters, digits and other characters.
    /// The password rule as every message states it.
    public static let passwordRule = "至少 10 个字符，并包含字母、数字、符号中的至少两类"

    static func checkPassword(_ password: String) throws {
        let kinds = [
            password.contains { $0.isLetter }, password.contains { $0.isNumber },
            password.contains { !$0.isLetter && !$0.isNumber },
        ].filter { $0 }.count
        guard password.count >= 10, kinds >= 2 else {
            throw AccountProblem("密码太弱：\(passwordRule)", invalidRequest: true)
        }
        guard password.utf8.count <= 72 else {
            throw AccountProblem("密码太长：最多 72 个字节（bcrypt 只使用前 72 个字节）", invalidRequest: true)
        }
    }

    public func add(name: String, role: AccountRole, school: SchoolInfo?, password: String) throws -> Account {
        try Self.checkName(name)
        try Self.checkPassword(password)
        if try store.named(name) != nil { throw AccountProblem("账号“\(name)”已存在；修改密码请用 jiance user passwd") }
        switch (role, school) {
        case (.county, .some): throw AccountProblem("教育局账号不属于某一所学校，请去掉 --school", invalidRequest: true)
        case (.school, nil), (.psych, nil):
            throw AccountProblem("\(role.label)账号必须用 --school 指定学校（名称或学校标识码）", invalidRequest: true)
        default: break
        }
        return try store.add(name: name, role: role, school: school, passwordHash: Bcrypt.hash(password, cost: cost))
    }

    public func setPassword(name: String, password: String) throws {
        try Self.checkPassword(password)
        try store.setPassword(try existing(name), hash: Bcrypt.hash(password, cost: cost))
    }

    public func disable(name: String) throws {
        try store.disable(try existing(name))
    }

    private func existing(_ name: String) throws -> Account {
        guard let account = try store.named(name) else {
            throw AccountProblem("没有账号“\(Finding.printable(name))”；已有账号请用 jiance user list 查看")
        }
        return account
    }

    /// The account when `password` is right; every failure is audited and counted, and the
    /// message is the same whether the name or the password was wrong.
    public func login(name: String, password: String, now: Date = Date()) throws -> Account {
        let wrong = AccountProblem("账号或密码错误")
        guard let (account, hash, lockedUntil) = try store.credentials(name) else {
            // The same bcrypt work as for a real account, so timing does not tell names apart.
            _ = Bcrypt.verify(password, hash: Self.decoyHash)
            throw wrong
        }
        if let lockedUntil, lockedUntil > now {
            throw AccountProblem("连续输错密码，账号已锁定，请 \(Int(lockedUntil.timeIntervalSince(now)) + 1) 秒后再试")
        }
        guard Bcrypt.verify(password, hash: hash) else {
            try store.recordFailedLogin(account, limit: lockAfter, lockFor: lockFor)
            throw wrong
        }
        guard !account.disabled else { throw AccountProblem("账号“\(account.name)”已停用，请联系教育局管理员") }
        try store.recordLogin(account)
        return account
    }

    private static let decoyHash = Bcrypt.hash("decoy-password-never-used", cost: 12)
}
