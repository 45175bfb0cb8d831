import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Reports
import Services
import Store
import TestSupport
import Testing
import Web

/// A sample county built by the real binary (rosters, fitness, vision and PHQ-9 of one term),
/// with a county, two school and a psychological account; each test works on its own copy.
enum WebFixture {
    static let term = "2025-2026-1"
    static let ownSchool = "示例县实验小学"
    static let otherSchool = "石桥乡小学"
    static let password = "Test-Pass-2026"

    static let built: Result<URL, any Error> = Result {
        let folder = try temporaryFolder()
        /// The sample files carry the mistakes real files do: an import with rejected rows ends with 1.
        func run(_ arguments: [String]) throws {
            let result = try Jiance.run(arguments, in: folder)
            guard result.status <= 1, !result.signalled else {
                throw Failure(description: "jiance \(arguments): \(result.output)\(result.error)")
            }
        }
        try run(["samples", "--students", "600", "--seed", "4", "--out", "s"])
        let rosters = try files("s/roster", in: folder)
        try run(["import", "roster", "s/学校名单.xlsx"] + rosters + ["--term", term])
        try run(["import", "fitness"] + files("s/fitness", in: folder) + ["--term", term])
        try run(["import", "vision"] + files("s/vision/\(term)", in: folder) + ["--term", term])
        try run(["import", "psych", "s/psych/心理筛查_PHQ9_\(term).xlsx", "--scale", "phq9", "--term", term])
        return folder
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    static func files(_ path: String, in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(path).path).sorted().map {
            "\(path)/\($0)"
        }
    }

    /// A copy of the county's database with the accounts, and a server on it.
    static func server(configure: (inout WebConfiguration) -> Void = { _ in }) throws -> (WebServer, URL) {
        let source = try built.get()
        let folder = try temporaryFolder()
        try FileManager.default.copyItem(
            at: source.appendingPathComponent("jiance.sqlite"), to: folder.appendingPathComponent("jiance.sqlite"))
        try FileManager.default.createSymbolicLink(
            at: folder.appendingPathComponent("s"), withDestinationURL: source.appendingPathComponent("s"))
        let database = try JianceDatabase(path: folder.appendingPathComponent("jiance.sqlite").path)
        var accounts = AccountService(database: database)
        accounts.cost = 4
        let queries = RosterQueries(database: database)
        _ = try accounts.add(name: "county", role: .county, school: nil, password: password)
        _ = try accounts.add(name: "own", role: .school, school: try queries.school(ownSchool), password: password)
        _ = try accounts.add(name: "other", role: .school, school: try queries.school(otherSchool), password: password)
        _ = try accounts.add(
            name: "counsellor", role: .psych, school: try queries.school(ownSchool), password: password)
        var configuration = WebConfiguration()
        configuration.bcryptCost = 4
        configuration.temporaryFolder = folder.appendingPathComponent("staging")
        try FileManager.default.createDirectory(at: configuration.temporaryFolder, withIntermediateDirectories: false)
        configure(&configuration)
        return (WebServer(database: database, configuration: configuration), folder)
    }
}

/// A browser's state in the in-process tests: the cookies it holds and the CSRF token of its session.
struct Browser {
    var cookies: [String: String] = [:]
    var csrf = ""

    var cookieHeader: HTTPFields {
        cookies.isEmpty ? [:] : [.cookie: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")]
    }

    mutating func keep(_ response: TestResponse) {
        for field in response.headers[values: .setCookie] {
            let pair = field.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[1].isEmpty { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] }
        }
    }

    mutating func get(_ client: some TestClientProtocol, _ uri: String) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: .get, headers: cookieHeader)
        keep(response)
        return response
    }

    mutating func post(_ client: some TestClientProtocol, _ uri: String, form: [String: String]) async throws
        -> TestResponse
    {
        var headers = cookieHeader
        headers[.contentType] = "application/x-www-form-urlencoded"
        let body = form.map {
            "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }
        .joined(separator: "&")
        let response = try await client.execute(
            uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        keep(response)
        return response
    }

    /// Signs in as the login page does (its token in the cookie and the form), then reads the
    /// session's CSRF token from a page.
    mutating func login(_ client: some TestClientProtocol, _ name: String, password: String = WebFixture.password)
        async throws -> TestResponse
    {
        let page = try await get(client, "/login")
        let token = Self.csrf(in: String(buffer: page.body)) ?? ""
        let response = try await post(client, "/login", form: ["csrf": token, "username": name, "password": password])
        if response.status == .seeOther {
            let imports = try await get(client, "/imports")
            csrf = Self.csrf(in: String(buffer: imports.body)) ?? ""
        }
        return response
    }

    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: "name=\"csrf\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    /// A multipart upload as a browser sends the import form.
    mutating func upload(
        _ client: some TestClientProtocol, fields: [String: String], files: [(name: String, data: Data)]
    ) async throws -> TestResponse {
        let boundary = "----jiance\(UUID().uuidString)"
        var body = Data()
        for (key, value) in fields {
            body.append(
                Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(key)\"\r\n\r\n\(value)\r\n".utf8))
        }
        for file in files {
            body.append(
                Data(
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(file.name)\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                        .utf8))
            body.append(file.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var headers = cookieHeader
        headers[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return try await client.execute(uri: "/imports", method: .post, headers: headers, body: ByteBuffer(data: body))
    }
}
