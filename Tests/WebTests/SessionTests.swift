import Foundation
import Testing

@testable import Store
@testable import Web

/// Sessions end after the idle timeout, and every login gets a new, unguessable id.
@Suite struct SessionTests {
    let account = Account(id: 1, name: "county", role: .county, school: nil, disabled: false)

    @Test func aSessionUnusedForTheIdleTimeoutIsGone() async {
        let store = SessionStore(idleTimeout: 30 * 60)
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        let session = await store.open(for: account, stamp: "hash", now: start)
        #expect(await store.session(session.id, now: start.addingTimeInterval(29 * 60)) != nil)
        // Each request restarts the idle clock.
        #expect(await store.session(session.id, now: start.addingTimeInterval(58 * 60)) != nil)
        #expect(await store.session(session.id, now: start.addingTimeInterval(89 * 60)) == nil)
        #expect(await store.session(session.id, now: start.addingTimeInterval(90 * 60)) == nil, "gone for good")
    }

    @Test func idsAndTokensAreFreshAndLong() async {
        let store = SessionStore()
        var ids: Set<String> = []
        for _ in 0..<200 {
            let session = await store.open(for: account, stamp: "hash")
            #expect(session.id.count == 64 && session.csrf.count == 64 && session.id != session.csrf)
            ids.insert(session.id)
        }
        #expect(ids.count == 200)
        #expect(Token.same("abc", "abc") && !Token.same("abc", "abd") && !Token.same("", ""))
    }
}
