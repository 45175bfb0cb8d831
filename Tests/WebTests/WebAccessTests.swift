import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Store
import Testing
import Web

/// Every route for every role, own school and another's: the status code the issue's contract
/// names, and no byte of another school's data or of psychological data where it must not be.
@Suite(.serialized) struct WebAccessTests {
    /// The routes with the status each account gets: anonymous, county, own school, psych.
    struct Expectation {
        var path: String
        var anonymous: HTTPResponse.Status
        var county: HTTPResponse.Status
        var school: HTTPResponse.Status
        var psych: HTTPResponse.Status
    }

    static func expectations(own: String, other: String) -> [Expectation] {
        [
            Expectation(path: "/", anonymous: .seeOther, county: .ok, school: .ok, psych: .ok),
            Expectation(path: "/schools", anonymous: .seeOther, county: .ok, school: .forbidden, psych: .forbidden),
            Expectation(path: "/schools/\(own)", anonymous: .seeOther, county: .ok, school: .ok, psych: .forbidden),
            Expectation(
                path: "/schools/\(other)", anonymous: .seeOther, county: .ok, school: .forbidden, psych: .forbidden),
            Expectation(
                path: "/schools/无此学校", anonymous: .seeOther, county: .notFound, school: .notFound, psych: .forbidden),
            Expectation(
                path: "/schools/\(own)?term=2099-2100-1", anonymous: .seeOther, county: .notFound, school: .notFound,
                psych: .forbidden),
            Expectation(path: "/trends", anonymous: .seeOther, county: .ok, school: .ok, psych: .forbidden),
            Expectation(path: "/assessment", anonymous: .seeOther, county: .ok, school: .forbidden, psych: .forbidden),
            Expectation(path: "/audit", anonymous: .seeOther, county: .ok, school: .forbidden, psych: .forbidden),
            Expectation(path: "/imports", anonymous: .seeOther, county: .ok, school: .ok, psych: .ok),
            Expectation(path: "/imports/1", anonymous: .seeOther, county: .ok, school: .forbidden, psych: .forbidden),
            Expectation(
                path: "/imports/99999", anonymous: .seeOther, county: .notFound, school: .notFound, psych: .notFound),
            Expectation(
                path: "/schools/\(own)/ledger.xlsx", anonymous: .seeOther, county: .ok, school: .ok, psych: .forbidden),
            Expectation(
                path: "/schools/\(other)/ledger.xlsx", anonymous: .seeOther, county: .ok, school: .forbidden,
                psych: .forbidden),
            Expectation(
                path: "/schools/\(own)/notices/vision.xlsx", anonymous: .seeOther, county: .ok, school: .ok,
                psych: .forbidden),
            Expectation(path: "/county.xlsx", anonymous: .seeOther, county: .ok, school: .forbidden, psych: .forbidden),
            Expectation(path: "/trend.xlsx", anonymous: .seeOther, county: .ok, school: .forbidden, psych: .forbidden),
            Expectation(
                path: "/psych/\(own)/ledger.xlsx", anonymous: .seeOther, county: .forbidden, school: .forbidden,
                psych: .ok),
            Expectation(
                path: "/psych/\(other)/ledger.xlsx", anonymous: .seeOther, county: .forbidden, school: .forbidden,
                psych: .forbidden),
            Expectation(path: "/api/report", anonymous: .unauthorized, county: .ok, school: .ok, psych: .forbidden),
            Expectation(path: "/api/trend", anonymous: .unauthorized, county: .ok, school: .ok, psych: .forbidden),
            Expectation(
                path: "/no-such-page", anonymous: .notFound, county: .notFound, school: .notFound, psych: .notFound),
        ]
    }

    @Test func everyRouteAnswersEachRoleAsTheContractSays() async throws {
        let (server, _) = try WebFixture.server()
        let queries = RosterQueries(database: server.database)
        let schools = try queries.schools()
        let own = try #require(schools.first { $0.name == WebFixture.ownSchool })
        let other = try #require(schools.first { $0.name == WebFixture.otherSchool })
        let others = schools.filter { $0.id != own.id }.map(\.name)
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            var browsers: [String: Browser] = ["anonymous": Browser()]
            for name in ["county", "own", "counsellor"] {
                var browser = Browser()
                #expect(try await browser.login(client, name).status == .seeOther)
                browsers[name] = browser
            }
            for expectation in Self.expectations(own: own.code ?? own.name, other: other.code ?? other.name) {
                let path = expectation.path.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? ""
                for (name, expected) in [
                    ("anonymous", expectation.anonymous), ("county", expectation.county), ("own", expectation.school),
                    ("counsellor", expectation.psych),
                ] {
                    var browser = browsers[name]!
                    let response = try await browser.get(client, path)
                    #expect(response.status == expected, "\(name) \(expectation.path): \(response.status)")
                    if expected == .seeOther { #expect(response.headers[.location] == "/login") }
                    guard name == "own" || name == "counsellor", response.status == .ok,
                        response.headers[.contentType]?.hasPrefix("text/html") == true
                            || response.headers[.contentType]?.hasPrefix("application/json") == true
                    else { continue }
                    let text = String(buffer: response.body)
                    for school in others where text.contains(school) {
                        Issue.record("\(name) \(expectation.path) shows \(school)")
                    }
                    if name == "own" {
                        for word in ["心理", "PHQ", "phq9", "psych"] where text.contains(word) {
                            Issue.record("the school account sees \(word) on \(expectation.path)")
                        }
                    }
                }
            }
        }
    }

    @Test func everyResponseCarriesTheSecurityHeaders() async throws {
        let (server, _) = try WebFixture.server()
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            var browser = Browser()
            for path in ["/login", "/", "/static/jiance.css", "/no-such-page"] {
                let response = try await browser.get(client, path)
                #expect(
                    response.headers[HTTPField.Name("Content-Security-Policy")!]?.hasPrefix("default-src 'self'")
                        == true)
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(response.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            }
        }
    }

    @Test func loginIsGuardedAgainstGuessingForgeryAndFixation() async throws {
        let (server, _) = try WebFixture.server()
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            // A login without the login page's token (another site's form) is refused.
            var forged = Browser()
            let refused = try await forged.post(
                client, "/login", form: ["username": "county", "password": WebFixture.password, "csrf": "x"])
            #expect(refused.status == .badRequest && forged.cookies["jiance_session"] == nil)

            // Each login gets a new session id, in a HttpOnly SameSite=Strict cookie.
            var first = Browser()
            let response = try await first.login(client, "county")
            let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("jiance_session=") })
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
            // A session id planted before login (fixation) is replaced at login.
            var second = Browser(cookies: ["jiance_session": "planted"])
            _ = try await second.login(client, "county")
            #expect(second.cookies["jiance_session"] != "planted")
            #expect(first.cookies["jiance_session"] != second.cookies["jiance_session"])

            // A POST without the session's token is refused; with it, the session ends.
            var noToken = second
            noToken.csrf = ""
            #expect(try await noToken.post(client, "/logout", form: [:]).status == .forbidden)
            #expect(try await second.post(client, "/logout", form: ["csrf": second.csrf]).status == .seeOther)
            #expect(try await second.get(client, "/").status == .seeOther)

            // Five wrong passwords lock the account: the right one is refused for a while.
            var guesser = Browser()
            for _ in 0..<5 {
                #expect(try await guesser.login(client, "own", password: "wrong-Pass-1").status == .unauthorized)
            }
            let locked = try await guesser.login(client, "own")
            #expect(locked.status == .unauthorized && String(buffer: locked.body).contains("锁定"))
        }
        let audit = try AuditLog.entries(server.database).filter { $0.target == "own" }
        #expect(audit.filter { $0.action == "login-failed" }.count == 5)
        #expect(!audit.contains { $0.detail.contains("wrong-Pass") }, "a password reached the audit log")
    }
}
