import Foundation
import HTTPTypes
import Hummingbird
import Indicators
import Ingest
import Logging
import Reports
import Services
import Standards
import Store

/// What `jiance serve` serves: the database, the county's settings and the limits of uploads.
public struct WebConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    public var settings = CountySettings()
    public var readLimits = ReadLimits()
    /// The most bytes one upload request may carry, and the most files in it.
    public var maxUploadBytes = 100 << 20
    public var maxUploadFiles = 20
    /// Signed-in sessions end after this long without a request.
    public var idleTimeout: TimeInterval = 30 * 60
    /// bcrypt's cost for passwords set through the server (tests lower it).
    public var bcryptCost: UInt8 = 12
    /// Where uploads and downloads are staged (each in its own 0700 folder, deleted afterwards).
    public var temporaryFolder = FileManager.default.temporaryDirectory

    public init() {}
}

/// The request context: the session of the signed-in account, when there is one.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    var session: Session?

    public init(source: Source) { coreContext = .init(source: source) }
}

/// A request refused with a status and a Chinese message (and, for an upload, its findings).
struct WebError: Error {
    var status: HTTPResponse.Status
    var message: String
    var findings: [Finding] = []

    static func forbidden(
        _ message: String = "没有权限查看此页面：它属于其他学校或其他角色。如确需查看，请用有权限的账号登录，或联系教育局管理员"
    ) -> WebError {
        WebError(status: .forbidden, message: message)
    }

    static func notFound(_ message: String) -> WebError { WebError(status: .notFound, message: message) }

    static func badRequest(_ message: String) -> WebError { WebError(status: .badRequest, message: message) }
}

/// The web server: every page, download and JSON document of the bureau's, the schools' and the
/// psychological teachers' accounts, built on the same services as the command line.
public struct WebServer: Sendable {
    public let database: JianceDatabase
    public let configuration: WebConfiguration
    let sessions: SessionStore
    let accounts: AccountService
    let cache = ReportCache()

    public init(database: JianceDatabase, configuration: WebConfiguration = WebConfiguration()) {
        self.database = database
        self.configuration = configuration
        sessions = SessionStore(idleTimeout: configuration.idleTimeout)
        var accounts = AccountService(database: database)
        accounts.cost = configuration.bcryptCost
        self.accounts = accounts
    }

    /// The routes. Their paths are a contract: bookmarks, links in sent ledgers and other tools use them.
    public func router() -> Router<WebContext> {
        let router = Router(context: WebContext.self)
        router.add(middleware: WebMiddleware(server: self))
        addLoginRoutes(to: router)
        addPageRoutes(to: router)
        addImportRoutes(to: router)
        addDownloadRoutes(to: router)
        addStudentRoutes(to: router)
        router.get("/static/jiance.css") { _, _ in Self.asset(Assets.css, type: "text/css; charset=utf-8") }
        router.get("/static/upload.js") { _, _ in
            Self.asset(Assets.uploadScript, type: "text/javascript; charset=utf-8")
        }
        return router
    }

    public func application(onReady: @escaping @Sendable (String) -> Void = { _ in }) -> some ApplicationProtocol {
        var logger = Logger(label: "jiance")
        logger.logLevel = .warning
        let (host, port) = (configuration.host, configuration.port)
        return Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "Jiance"),
            onServerRunning: { channel in
                let bound = channel.localAddress?.port ?? port
                onReady("http://\(host == "0.0.0.0" ? "本机IP" : host):\(bound)/")
            },
            logger: logger)
    }

    /// Runs until SIGINT or SIGTERM; requests in flight finish first.
    public func run(onReady: @escaping @Sendable (String) -> Void) async throws {
        try await application(onReady: onReady).runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: type, .cacheControl: "max-age=3600"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// Runs blocking database and workbook work off the server's threads, audited as `session`'s account.
    func offload<T: Sendable>(_ session: Session?, _ body: @escaping @Sendable () throws -> T) async throws -> T {
        let actor = session?.account.name ?? "web"
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try AuditLog.$actor.withValue(actor) { try body() } })
            }
        }
    }
}

/// Security headers on every response, the session from its cookie, and refusals rendered as
/// Chinese pages (JSON under /api).
struct WebMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let server: WebServer

    func handle(
        _ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response
    ) async throws -> Response {
        var context = context
        if let id = request.cookies[WebServer.sessionCookie]?.value, let session = await server.sessions.session(id) {
            // Checked on every request: disabling an account or changing its password (by `jiance
            // user` in another process) ends its sessions at once.
            let store = server.accounts.store
            if try await server.offload(nil, { try store.sessionStamp(session.account.id) }) == session.stamp {
                context.session = session
            } else {
                await server.sessions.close(id)
            }
        }
        let api = request.uri.path.hasPrefix("/api/")
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as WebError {
            response = server.refusal(error, session: context.session, api: api, path: "\(request.uri)")
        } catch let error as HTTPError where error.status == .notFound {
            response = server.refusal(.notFound("没有这个页面：\(request.uri.path)"), session: context.session, api: api)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            response = server.refusal(
                WebError(status: .contentTooLarge, message: "上传的内容太大；请拆分文件，或请管理员调大设置 limits.max_upload_mb"),
                session: context.session, api: api)
        } catch {
            context.logger.error("请求失败：\(request.uri.path)：\(error)")
            response = server.refusal(
                WebError(status: .internalServerError, message: "服务器处理请求时出错：\(error)"), session: context.session,
                api: api)
        }
        response.headers[.contentSecurityPolicy] = "default-src 'self'; frame-ancestors 'none'; form-action 'self'"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "same-origin"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}

extension HTTPField.Name {
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}

extension WebServer {
    static let sessionCookie = "jiance_session"

    /// The signed-in session, or a refusal: 303 to /login for a page, 401 for /api.
    func signedIn(_ request: Request, _ context: WebContext) throws -> Session {
        if let session = context.session { return session }
        throw WebError(status: .unauthorized, message: "请先登录")
    }

    /// The session of a county account, else 403.
    func county(_ request: Request, _ context: WebContext) throws -> Session {
        let session = try signedIn(request, context)
        guard session.account.role == .county else { throw WebError.forbidden("此页面只对教育局账号开放") }
        return session
    }

    /// The school `code` names when the session may see it: the county any school, a school or
    /// psychological account only its own. Unknown → 404, another's → 403.
    func school(
        _ code: String, for session: Session, roles: Set<AccountRole> = [.county, .school], refusal: String? = nil
    ) async throws -> SchoolInfo {
        let database = database
        let reference = code.removingPercentEncoding ?? code  // a school without a code, by its name
        guard let school = try await offload(session, { try RosterQueries(database: database).school(reference) })
        else {
            throw WebError.notFound("没有学校“\(code)”；学校请从“学校”页面或首页的链接进入")
        }
        guard roles.contains(session.account.role) else {
            throw refusal.map(WebError.forbidden) ?? WebError.forbidden()
        }
        if session.account.role != .county, session.account.school?.id != school.id { throw WebError.forbidden() }
        return school
    }

    /// The term of `?term=`, nil when absent; a malformed one is 404 (no such term).
    func requestedTerm(_ request: Request) throws -> Term? {
        guard let text = request.uri.queryParameters.get("term"), !text.isEmpty else { return nil }
        guard let term = Term(text) else { throw WebError.notFound("没有学期“\(text)”：学期写作 2025-2026-1") }
        return term
    }

    /// The status in Chinese, for the refusal page's title.
    static func statusTitle(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: "请求有误"
        case 401: "请先登录"
        case 403: "没有权限"
        case 404: "找不到"
        case 409: "无法完成"
        case 413: "内容太大"
        default: "服务器出错"
        }
    }

    func refusal(_ error: WebError, session: Session?, api: Bool, path: String = "/") -> Response {
        if error.status == .unauthorized, !api {
            // Back to the page asked for after signing in (a path of this site only).
            let next =
                path == "/" ? "" : "?next=" + (path.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
            return Response(status: .seeOther, headers: [.location: "/login\(next)"])
        }
        if api {
            let body = (try? JSONOutput.text(["error": error.message])) ?? "{}"
            return Response(
                status: error.status, headers: [.contentType: "application/json; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        let findings: HTML = error.findings.isEmpty ? "" : Pages.findingsTable(error.findings)
        let body: HTML = """
            <section class="refusal"><h1>\(Self.statusTitle(error.status))（\(error.status.code)）</h1>
            <p>\(error.message)</p>\(findings)<p><a href="/">返回首页</a></p></section>
            """
        return Pages.page("出错了", session: session, body: body, status: error.status)
    }
}
