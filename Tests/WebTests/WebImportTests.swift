import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Imports
import NIOCore
import Reports
import Store
import TestSupport
import Testing
import Web

/// Uploads through the form as a school does: its own file is imported as its own school,
/// another school's file is refused whole (400 with findings, nothing stored), limits answer 413,
/// and psychological data stays with the psychological teacher.
@Suite(.serialized) struct WebImportTests {
    func file(_ path: String, in folder: URL) throws -> (name: String, data: Data) {
        let url = folder.appendingPathComponent(path)
        return (url.lastPathComponent, try Data(contentsOf: url))
    }

    func fitnessRows(_ database: JianceDatabase, school: String) throws -> Int {
        try database.read { db in
            try Int.fetchOne(
                db,
                sql: "SELECT COUNT(*) FROM fitness_result r JOIN school s ON s.id = r.school_id WHERE s.name = ?",
                arguments: [school]) ?? 0
        }
    }

    @Test func aSchoolImportsItsOwnFileAndNeverAnotherSchools() async throws {
        let (server, folder) = try WebFixture.server()
        let database = server.database
        let before = try fitnessRows(database, school: WebFixture.otherSchool)
        try database.write { db in
            try db.execute(
                sql: """
                    DELETE FROM fitness_result WHERE school_id = (SELECT id FROM school WHERE name = ?)
                    """, arguments: [WebFixture.ownSchool])
        }
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            var school = Browser()
            _ = try await school.login(client, "own")
            let fields = ["csrf": school.csrf, "kind": "fitness", "term": WebFixture.term]

            let foreign = try await school.upload(
                client, fields: fields, files: [try file("s/fitness/体测成绩_\(WebFixture.otherSchool).xlsx", in: folder)])
            let refusal = String(buffer: foreign.body)
            #expect(foreign.status == .badRequest, "\(refusal.suffix(3000))")
            #expect(refusal.contains("属于其他学校") && refusal.contains("未导入"))

            /// The school's fitness line of the report its account reads (built once, then cached).
            func tested() async throws -> Int? {
                let response = try await school.get(client, "/api/report")
                let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                let lines = (json?["fitness"] as? [String: Any])?["schools"] as? [[String: Any]]
                return lines?.first?["tested"] as? Int
            }
            let before = try await tested()
            #expect(try await tested() == before)
            let own = try await school.upload(
                client, fields: fields, files: [try file("s/fitness/体测成绩_\(WebFixture.ownSchool).xlsx", in: folder)])
            #expect(own.status == .ok)
            #expect(String(buffer: own.body).contains("已导入"))
            let after = try await tested()
            #expect(after != nil && after != before, "the report after the upload is built from the new data")

            // Psychological data is not a school account's to upload.
            let psych = try await school.upload(
                client, fields: ["csrf": school.csrf, "kind": "psych", "scale": "phq9"],
                files: [try file("s/psych/心理筛查_PHQ9_\(WebFixture.term).xlsx", in: folder)])
            #expect(psych.status == .forbidden)

            // A form from another site (no token) imports nothing.
            let forged = try await school.upload(
                client, fields: ["kind": "fitness", "term": WebFixture.term],
                files: [try file("s/fitness/体测成绩_\(WebFixture.ownSchool).xlsx", in: folder)])
            #expect(forged.status == .forbidden)
        }
        #expect(try fitnessRows(database, school: WebFixture.otherSchool) == before)
        #expect(try fitnessRows(database, school: WebFixture.ownSchool) > 0)
        let batches = try BatchUndo(database: database).batches(term: nil, school: WebFixture.ownSchool)
        #expect(batches.last?.kind == .fitness)
        #expect(try AuditLog.entries(database).last { $0.action == "import-fitness" }?.actor == "own")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: server.configuration.temporaryFolder.path)
        #expect(leftovers.isEmpty, "uploaded files left on disk: \(leftovers)")
    }

    /// What teachers send by mistake comes back on the form with what to correct (400): the
    /// county's school list, an empty file, a text file, a malformed term.
    @Test func mistakenUploadsComeBackOnTheFormWithWhatToCorrect() async throws {
        let (server, folder) = try WebFixture.server()
        let schoolsBefore = try server.database.schools()
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            var school = Browser()
            _ = try await school.login(client, "own")
            let list = try await school.upload(
                client, fields: ["csrf": school.csrf, "kind": "roster", "term": WebFixture.term],
                files: [try file("s/学校名单.xlsx", in: folder)])
            #expect(list.status == .badRequest)
            #expect(String(buffer: list.body).contains("学校名单"))
            let cases: [(fields: [String: String], file: (name: String, data: Data), says: String)] = [
                (["kind": "fitness"], ("空文件.xlsx", Data()), "空文件"),
                (["kind": "fitness"], ("说明.txt", Data("hello".utf8)), "不是表格文件"),
                (
                    ["kind": "fitness", "term": "2025-2026-3"],
                    try file("s/fitness/体测成绩_\(WebFixture.ownSchool).xlsx", in: folder), "第二学期"
                ),
            ]
            for (fields, upload, says) in cases {
                let response = try await school.upload(
                    client, fields: fields.merging(["csrf": school.csrf]) { $1 }, files: [upload])
                let page = String(buffer: response.body)
                #expect(response.status == .badRequest && page.contains(says), "\(upload.name): \(page.prefix(300))")
                #expect(page.contains("<form method=\"post\" action=\"/imports\""), "the form comes back")
            }
        }
        #expect(try server.database.schools() == schoolsBefore)
    }

    /// A file with any row of another school is refused whole for a school's or a psych teacher's
    /// account (the form says so); the county may send it, and the same file sent again as another
    /// screening wave is flagged as a possible double import.
    @Test func aCountyWideFileIsTheCountysAndADoubleImportIsFlagged() async throws {
        let (server, folder) = try WebFixture.server()
        let phq9 = try file("s/psych/心理筛查_PHQ9_\(WebFixture.term).xlsx", in: folder)
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            var counsellor = Browser()
            _ = try await counsellor.login(client, "counsellor")
            let refused = try await counsellor.upload(
                client, fields: ["csrf": counsellor.csrf, "kind": "psych", "scale": "phq9", "term": WebFixture.term],
                files: [phq9])
            let page = String(buffer: refused.body)
            #expect(refused.status == .badRequest && page.contains("属于其他学校") && page.contains("整个文件未导入"))
            #expect(page.contains("value=\"phq9\" selected"), "the form keeps the chosen scale")

            var county = Browser()
            _ = try await county.login(client, "county")
            let again = try await county.upload(
                client,
                fields: [
                    "csrf": county.csrf, "kind": "psych", "scale": "phq9", "term": WebFixture.term, "wave": "第二次",
                ],
                files: [phq9])
            #expect(again.status == .ok)
            #expect(String(buffer: again.body).contains("已在批次"), "a second import of the same file is flagged")
        }
    }

    @Test func anUploadOverTheLimitIsRefusedWith413() async throws {
        let (server, folder) = try WebFixture.server { $0.maxUploadBytes = 4096 }
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            var school = Browser()
            _ = try await school.login(client, "own")
            let response = try await school.upload(
                client, fields: ["csrf": school.csrf, "kind": "fitness"],
                files: [try file("s/fitness/体测成绩_\(WebFixture.ownSchool).xlsx", in: folder)])
            #expect(response.status == .contentTooLarge)
            #expect(String(buffer: response.body).contains("太大"))
        }
        let (few, _) = try WebFixture.server { $0.maxUploadFiles = 1 }
        try await Application(router: few.router()).test(.router) { client in
            var school = Browser()
            _ = try await school.login(client, "own")
            let file = try file("s/fitness/体测成绩_\(WebFixture.ownSchool).xlsx", in: folder)
            let response = try await school.upload(
                client, fields: ["csrf": school.csrf, "kind": "fitness"], files: [file, file])
            #expect(response.status == .contentTooLarge)
            #expect(String(buffer: response.body).contains("最多上传 1 个文件"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: few.configuration.temporaryFolder.path).isEmpty)
    }

    @Test func thePsychLedgerIsMaskedUnlessAReasonIsGivenAndAudited() async throws {
        let (server, _) = try WebFixture.server()
        let code = try #require(try RosterQueries(database: server.database).school(WebFixture.ownSchool))
        let path =
            "/psych/\((code.code ?? code.name).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)!)/ledger.xlsx"
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            var counsellor = Browser()
            _ = try await counsellor.login(client, "counsellor")
            #expect(try await counsellor.get(client, path + "?unmask=1").status == .badRequest)
            let masked = try await counsellor.get(client, path)
            #expect(masked.status == .ok)
            let named = try await counsellor.get(
                client,
                path + "?unmask=1&reason=" + "个案复核".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)
            #expect(named.status == .ok)
            #expect(named.headers[.contentDisposition]?.contains("attachment") == true)
        }
        let audit = try AuditLog.entries(server.database)
        #expect(
            audit.contains { $0.action == "unmask-psych" && $0.actor == "counsellor" && $0.detail.contains("个案复核") })
        #expect(audit.contains { $0.action == "export-psych-named" && $0.actor == "counsellor" })
        #expect(audit.contains { $0.action == "export-psych-masked" && $0.actor == "counsellor" })
    }

    @Test func theReportForASchoolAccountIsCutToItsOwnSchool() async throws {
        let (server, _) = try WebFixture.server()
        let app = Application(router: server.router())
        try await app.test(.router) { client in
            var school = Browser()
            _ = try await school.login(client, "own")
            let response = try await school.get(client, "/api/report")
            let json = try #require(
                try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any])
            let fitness = try #require(json["fitness"] as? [String: Any])
            let names = (fitness["schools"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
            #expect(names == [WebFixture.ownSchool])
            #expect(json["psych"] == nil)
            let items = (json["assessment"] as? [String: Any])?["items"] as? [[String: Any]] ?? []
            #expect(!items.isEmpty && !items.contains { ($0["name"] as? String ?? "").contains("心理") })

            var county = Browser()
            _ = try await county.login(client, "county")
            let full = try await county.get(client, "/api/report")
            let all = try #require(try JSONSerialization.jsonObject(with: Data(buffer: full.body)) as? [String: Any])
            #expect(((all["fitness"] as? [String: Any])?["schools"] as? [Any])?.count ?? 0 > 1)
            #expect(all["psych"] is [String: Any])
        }
    }
}
