import Foundation
import Store

/// A signed-in account's session: its id is the cookie, its CSRF token goes into every form.
struct Session: Sendable {
    let id: String
    let account: Account
    let csrf: String
    /// The account's password hash at login: a session ends when it changes or the account is
    /// disabled (`jiance user passwd|disable`, from another process).
    let stamp: String
    var lastSeen: Date
}

/// Sessions in memory: a restart signs everyone out, which is what a bureau's PC expects.
/// A new id at every login (no fixation), and a session unused for `idleTimeout` is gone.
actor SessionStore {
    private var sessions: [String: Session] = [:]
    let idleTimeout: TimeInterval

    init(idleTimeout: TimeInterval = 30 * 60) { self.idleTimeout = idleTimeout }

    func open(for account: Account, stamp: String, now: Date = Date()) -> Session {
        sessions = sessions.filter { now.timeIntervalSince($0.value.lastSeen) < idleTimeout }
        let session = Session(id: Token.random(), account: account, csrf: Token.random(), stamp: stamp, lastSeen: now)
        sessions[session.id] = session
        return session
    }

    /// The live session of `id`, its idle clock restarted.
    func session(_ id: String, now: Date = Date()) -> Session? {
        guard var session = sessions[id] else { return nil }
        guard now.timeIntervalSince(session.lastSeen) < idleTimeout else {
            sessions[id] = nil
            return nil
        }
        session.lastSeen = now
        sessions[id] = session
        return session
    }

    func close(_ id: String) { sessions[id] = nil }
}

/// Unguessable tokens: 32 bytes from the system's random source, as hex.
enum Token {
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
    }

    /// Compares without stopping at the first difference, so timing tells nothing of a token.
    static func same(_ a: String, _ b: String) -> Bool {
        let (x, y) = (Array(a.utf8), Array(b.utf8))
        guard x.count == y.count, !x.isEmpty else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
