import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Imports
import NIOCore
import Reports
import Services
import Standards
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

    static func expectations(own: String, other: String, ownStudent: Int64, otherStudent: Int64) -> [Expectation] {
        [
            Expectation(path: "/", anonymous: .seeOther, county: .ok, school: .ok, psych: .ok),
            Expectation(path: "/schools", anonymous: .seeOther, county: .ok, school: .forbidden, psych: .forbidden),
            Expectation(path: "/schools/\(own)", anonymous: .seeOther, county: .ok, school: .ok, psych: .forbidden),
            Expectation(
                path: "/schools/\(other)", anonymous: .seeOther, county: .ok, school: .forbidden, psych: .forbidden),
            Expectation(
                path: "/schools/无此学校", anonymous: .seeOther, county: .notFound, school: .notFound, psych: .notFound),
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
                path: "/schools/\(own)/students", anonymous: .seeOther, county: .ok, school: .ok, psych: .forbidden),
            Expectation(
                path: "/schools/\(other)/students", anonymous: .seeOther, county: .ok, school: .forbidden,
                psych: .forbidden),
            Expectation(
                path: "/schools/\(own)/students/\(ownStudent)", anonymous: .seeOther, county: .ok, school: .ok,
                psych: .forbidden),
            Expectation(
                path: "/schools/\(own)/students/\(otherStudent)", anonymous: .seeOther, county: .notFound,
                school: .notFound, psych: .forbidden),
            Expectation(
                path: "/schools/\(other)/students/\(otherStudent)", anonymous: .seeOther, county: .ok,
                school: .forbidden, psych: .forbidden),
            Expectation(
                path: "/schools/\(own)/students/\(ownStudent)/notice/vision", anonymous: .seeOther, county: .ok,
                school: .ok, psych: .forbidden),
            Expectation(
                path: "/schools/\(own)/students/\(otherStudent)/notice/fitness", anonymous: .seeOther,
                county: .notFound, school: .notFound, psych: .forbidden),
            Expectation(
                path: "/schools/\(other)/students/\(otherStudent)/notice/vision", anonymous: .seeOther, county: .ok,
                school: .forbidden, psych: .forbidden),
            Expectation(
                path: "/schools/\(own)/records.xlsx", anonymous: .seeOther, county: .ok, school: .ok, psych: .forbidden),
            Expectation(
                path: "/no-such-page", anonymous: .notFound, county: .notFound, school: .notFound, psych: .notFound),
        ]
    }

    @Test func everyRouteAnswersEachRoleAsTheContractSays() async throws {
        let (server, _) = try WebFixture.server()
        let queries = RosterQueries(database: server.database)
        let schools = try server.database.schools()
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
            let term = try #require(Term(WebFixture.term))
            let ownStudent = try #require(try queries.enrolledStudents(term: term, schoolID: own.id).first)
            let otherStudent = try #require(try queries.enrolledStudents(term: term, schoolID: other.id).first)
            for expectation in Self.expectations(
                own: own.code ?? own.name, other: other.code ?? other.name, ownStudent: ownStudent.studentID,
                otherStudent: otherStudent.studentID)
            {
                let path = expectation.path.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? ""
                for (name, expected) in [
                    ("anonymous", expectation.anonymous), ("county", expectation.county), ("own", expectation.school),
                    ("counsellor", expectation.psych),
                ] {
                    var browser = browsers[name]!
                    let response = try await browser.get(client, path)
                    #expect(response.status == expected, "\(name) \(expectation.path): \(response.status)")
                    if expected == .seeOther { #expect(response.headers[.location]?.hasPrefix("/login") == true) }
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

    /// Undo is the county's: a school's POST is refused (403) and changes nothing; the county's
    /// undo answers with the undo batch's page.
    @Test func onlyTheCountyUndoesABatch() async throws {
        let (server, _) = try WebFixture.server()
        let undo = BatchUndo(database: server.database)
        let batch = try #require(
            try undo.batches(term: nil, school: WebFixture.ownSchool).last { $0.kind == .fitness })
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            var school = Browser()
            _ = try await school.login(client, "own")
            #expect(
                try await school.post(client, "/imports/\(batch.id)/undo", form: ["csrf": school.csrf]).status
                    == .forbidden)
            var county = Browser()
            _ = try await county.login(client, "county")
            #expect(try await county.post(client, "/imports/\(batch.id)/undo", form: [:]).status == .forbidden)
            let done = try await county.post(client, "/imports/\(batch.id)/undo", form: ["csrf": county.csrf])
            #expect(done.status == .seeOther)
            let location = try #require(done.headers[.location])
            #expect(try await county.get(client, location).status == .ok, "the undo batch's page opens")
        }
        #expect(try undo.batch(batch.id)?.undoneBy != nil)
        #expect(try AuditLog.entries(server.database).last { $0.action == "undo" }?.actor == "county")
    }

    /// `jiance user disable` and `passwd` run in another process: the server checks the account
    /// on every request, so the open sessions end at once.
    @Test func disablingOrRepasswordingAnAccountEndsItsSessions() async throws {
        let (server, _) = try WebFixture.server()
        var service = AccountService(database: server.database)
        service.cost = 4
        let accounts = service
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            var school = Browser()
            _ = try await school.login(client, "own")
            var county = Browser()
            _ = try await county.login(client, "county")
            #expect(try await school.get(client, "/").status == .ok)
            try accounts.disable(name: "own")
            #expect(try await school.get(client, "/").status == .seeOther)
            #expect(try await school.login(client, "own").status == .unauthorized)
            try accounts.setPassword(name: "county", password: "Another-Pass-2027")
            #expect(try await county.get(client, "/").status == .seeOther)
        }
    }

    /// A child's notice printed from the browser says what the class workbook's page says, names
    /// the child (it goes to the family) and is audited.
    @Test func aNoticePrintedFromTheBrowserIsTheWorkbooksPageAndAudited() async throws {
        let (server, _) = try WebFixture.server()
        let queries = RosterQueries(database: server.database)
        let own = try #require(try queries.school(WebFixture.ownSchool))
        let term = try #require(Term(WebFixture.term))
        let student = try #require(try queries.enrolledStudents(term: term, schoolID: own.id).first)
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            var school = Browser()
            _ = try await school.login(client, "own")
            let response = try await school.get(
                client, "/schools/\(own.code ?? "")/students/\(student.studentID)/notice/vision")
            let page = String(buffer: response.body)
            #expect(response.status == .ok)
            for words in ["视力筛查结果告知书", "尊敬的 \(student.name) 同学家长", "筛查结论：", "《儿童青少年近视防控适宜技术指南", "家长签字"] {
                #expect(page.contains(words), "\(words)")
            }
        }
        #expect(
            try AuditLog.entries(server.database).contains {
                $0.action == "view-vision-notice" && $0.actor == "own" && $0.detail.contains(Masking.name(student.name))
            })
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

            // Signing in returns to the page asked for, and only to a page of this site.
            var returning = Browser()
            let asked = try await returning.get(client, "/trends")
            #expect(asked.headers[.location] == "/login?next=%2Ftrends")
            let page = try await returning.get(client, "/login?next=%2Ftrends")
            let token = Browser.csrf(in: String(buffer: page.body)) ?? ""
            let back = try await returning.post(
                client, "/login",
                form: ["csrf": token, "username": "county", "password": WebFixture.password, "next": "/trends"])
            #expect(back.headers[.location] == "/trends")
            var elsewhere = Browser()
            let page2 = try await elsewhere.get(client, "/login")
            let away = try await elsewhere.post(
                client, "/login",
                form: [
                    "csrf": Browser.csrf(in: String(buffer: page2.body)) ?? "", "username": "county",
                    "password": WebFixture.password, "next": "//evil.example/",
                ])
            #expect(away.headers[.location] == "/")

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
