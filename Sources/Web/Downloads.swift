import Foundation
import Hummingbird
import Ledgers
import Reports
import Services
import Standards
import Store

extension WebServer {
    func addDownloadRoutes(to router: Router<WebContext>) {
        router.get("/schools/{code}/ledger.xlsx") { request, context in
            let session = try signedIn(request, context)
            let school = try await school(try context.parameters.require("code"), for: session)
            let term = try await termOrLatest(request, session)
            let named = request.uri.queryParameters.get("named") == "1"
            let exporter = exporter(named ? .named : .masked)
            return try await download(session) { folder in
                guard let url = try exporter.exportSchoolLedgers(term: term, to: folder, school: school.name).first
                else {
                    throw WebError.notFound("\(school.name) 在 \(term.label) 没有名册或成绩，没有可导出的台账")
                }
                return url
            }
        }
        router.get("/schools/{code}/notices/{kind}") { request, context in
            let session = try signedIn(request, context)
            let school = try await school(try context.parameters.require("code"), for: session)
            let kind = try context.parameters.require("kind")
            let term = try await termOrLatest(request, session)
            let className = request.uri.queryParameters.get("class").flatMap { $0.isEmpty ? nil : $0 }
            let exporter = exporter(.named)
            return try await download(session) { folder in
                switch kind {
                case "fitness.xlsx":
                    return try exporter.exportFitnessNotices(
                        school: school.name, className: className, term: term, to: folder, date: Today.date
                    ).url
                case "vision.xlsx":
                    return try exporter.exportVisionNotices(
                        school: school.name, className: className, term: term, to: folder, date: Today.date
                    ).url
                default: throw WebError.notFound("没有这种告知书：\(kind)")
                }
            }
        }
        router.get("/schools/{code}/records.xlsx") { request, context in
            let session = try signedIn(request, context)
            let school = try await school(try context.parameters.require("code"), for: session)
            let term = try await termOrLatest(request, session)
            let className = request.uri.queryParameters.get("class").flatMap { $0.isEmpty ? nil : String($0) }
            let exporter = exporter(request.uri.queryParameters.get("named") == "1" ? .named : .masked)
            return try await download(session) { folder in
                try exporter.exportRecords(school: school.name, className: className, term: term, to: folder).url
            }
        }
        router.get("/county.xlsx") { request, context in
            let session = try county(request, context)
            let term = try await termOrLatest(request, session)
            let exporter = exporter(.masked)
            return try await download(session) { try exporter.exportCounty(term: term, to: $0, today: Today.date) }
        }
        router.get("/trend.xlsx") { request, context in
            let session = try county(request, context)
            let exporter = exporter(.masked)
            return try await download(session) { try exporter.exportTrend(folder: $0) }
        }
        router.get("/psych/{code}/ledger.xlsx") { request, context in
            let session = try signedIn(request, context)
            // The county is told where its counts are; a school account gets the plain refusal,
            // with no psychological word.
            let school = try await school(
                try context.parameters.require("code"), for: session, roles: [.psych],
                refusal: session.account.role == .county
                    ? "心理危机干预台账只对本校的心理教师账号开放；教育局只看人数汇总（首页、县域自评）" : nil)
            let unmask = request.uri.queryParameters.get("unmask") == "1"
            let reason = (request.uri.queryParameters.get("reason") ?? "").trimmingCharacters(in: .whitespaces)
            if unmask, reason.count < 2 {
                throw WebError.badRequest("查看姓名须填写理由（如“个案复核”），理由会记入审计日志")
            }
            let (exporter, database) = (exporter(unmask ? .named : .masked), database)
            return try await download(session) { folder in
                if unmask {
                    try AuditLog.record(
                        database, action: "unmask-psych", target: school.name, detail: "查看心理台账姓名，理由：\(reason)")
                }
                return try exporter.exportPsych(school: school.name, to: folder, date: Today.date)
            }
        }
        router.get("/api/report") { request, context in
            let session = try signedIn(request, context)
            guard session.account.role != .psych else { throw WebError.forbidden() }
            guard let reports = try await reports(session, term: try requestedTerm(request)) else {
                throw WebError.notFound("数据库中还没有任何数据")
            }
            var document = ReportDocument(reports)
            if session.account.role == .school, let school = session.account.school {
                document = document.cut(to: school)
            }
            return try Self.json(document)
        }
        router.get("/api/trend") { request, context in
            let session = try signedIn(request, context)
            guard session.account.role != .psych else { throw WebError.forbidden() }
            let own = session.account.role == .school ? session.account.school : nil
            var document = TrendJSON(try await trend(session, to: nil, school: own))
            if let own { document = document.cut(to: own) }
            return try Self.json(document)
        }
    }

    static func json(_ value: some Encodable) throws -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: try JSONOutput.text(value))))
    }

    func exporter(_ mode: PersonalDataMode) -> ExportService {
        ExportService(database: database, personalData: mode, settings: configuration.settings)
    }

    /// `?term=`, else the latest term with data; 404 when there is none.
    func termOrLatest(_ request: Request, _ session: Session) async throws -> Term {
        if let term = try requestedTerm(request) { return term }
        let service = ReportService(database: database, settings: configuration.settings)
        guard let latest = try await offload(session, { try service.latestTerm() }) else {
            throw WebError.notFound("数据库中还没有任何数据")
        }
        return latest
    }

    /// A workbook written by the same exporters as the command line into a private folder, sent,
    /// and deleted: nothing stays on the server's disk.
    func download(_ session: Session, _ write: @escaping @Sendable (URL) throws -> URL) async throws -> Response {
        let temporary = configuration.temporaryFolder
        let (name, data) = try await offload(session) { () throws -> (String, Data) in
            let folder = temporary.appendingPathComponent("jiance-download-\(Token.random())")
            try FileManager.default.createDirectory(
                at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            defer { try? FileManager.default.removeItem(at: folder) }
            do {
                let url = try write(folder)
                return (url.lastPathComponent, try Data(contentsOf: url))
            } catch let nothing as NothingToExport {
                throw WebError.notFound(nothing.description)
            }
        }
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "jiance.xlsx"
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                .contentDisposition: "attachment; filename=\"jiance.xlsx\"; filename*=UTF-8''\(encoded)",
            ],
            body: .init(byteBuffer: ByteBuffer(data: data)))
    }
}
