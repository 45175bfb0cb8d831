import Foundation
import Hummingbird
import Services
import Store

extension WebServer {
    static let loginCookie = "jiance_login"

    func addLoginRoutes(to router: Router<WebContext>) {
        router.get("/login") { request, context in
            let next = Self.localPath(request.uri.queryParameters.get("next").map { String($0) })
            if context.session != nil { return Response(status: .seeOther, headers: [.location: next]) }
            return loginPage(message: nil, status: .ok, next: next)
        }
        router.post("/login") { request, context in
            let form = try await Form.fields(of: request)
            let next = Self.localPath(form["next"])
            guard let expected = request.cookies[Self.loginCookie]?.value, Token.same(form["csrf"] ?? "", expected)
            else {
                return loginPage(message: "登录表单已过期，请重新输入账号和密码", status: .badRequest, next: next)
            }
            let (name, password) = (form["username"] ?? "", form["password"] ?? "")
            let accounts = accounts
            let (account, stamp): (Account, String?)
            do {
                (account, stamp) = try await offload(nil) {
                    let account = try accounts.login(name: name, password: password)
                    return (account, try accounts.store.sessionStamp(account.id))
                }
            } catch let problem as AccountProblem {
                return loginPage(message: problem.description, status: .unauthorized, next: next)
            }
            guard let stamp else {
                return loginPage(message: "账号已停用，请联系教育局管理员", status: .unauthorized, next: next)
            }
            let session = await sessions.open(for: account, stamp: stamp)
            var response = Response(status: .seeOther, headers: [.location: next])
            response.setCookie(
                Cookie(name: Self.sessionCookie, value: session.id, path: "/", httpOnly: true, sameSite: .strict))
            response.setCookie(Cookie(name: Self.loginCookie, value: "", maxAge: 0, path: "/login", sameSite: .strict))
            return response
        }
        router.post("/logout") { request, context in
            let session = try signedIn(request, context)
            try checkCSRF(try await Form.fields(of: request), session)
            await sessions.close(session.id)
            var response = Response(status: .seeOther, headers: [.location: "/login"])
            response.setCookie(Cookie(name: Self.sessionCookie, value: "", maxAge: 0, path: "/", sameSite: .strict))
            return response
        }
    }

    /// The login form, with a fresh token in a cookie and in the form (the token is checked on
    /// POST, so another site cannot sign a browser in).
    /// A path of this site to return to after signing in; anything else (another site, `//host`)
    /// goes to the home page.
    static func localPath(_ text: String?) -> String {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), !text.contains("\\"), !text.hasPrefix("/login")
        else { return "/" }
        return text
    }

    private func loginPage(message: String?, status: HTTPResponse.Status, next: String) -> Response {
        let token = Token.random()
        let notice: HTML = message.map { "<p class=\"bad\" role=\"alert\">\($0)</p>" } ?? ""
        let body: HTML = """
            <h1>登录</h1>\(notice)
            <form method="post" action="/login" class="card">
            <input type="hidden" name="csrf" value="\(token)"><input type="hidden" name="next" value="\(next)">
            <label>账号 <input name="username" autocomplete="username" required autofocus></label>
            <label>密码 <input name="password" type="password" autocomplete="current-password" required></label>
            <button type="submit">登录</button></form>
            <p class="muted">账号由教育局管理员用 <code>jiance user add</code> 创建；忘记密码请联系管理员。</p>
            """
        var response = Pages.page("登录", session: nil, body: body, status: status)
        response.setCookie(
            Cookie(name: Self.loginCookie, value: token, path: "/login", httpOnly: true, sameSite: .strict))
        return response
    }

    /// Every POST of a signed-in account carries the session's token.
    func checkCSRF(_ form: [String: String], _ session: Session) throws {
        guard Token.same(form["csrf"] ?? "", session.csrf) else {
            throw WebError(status: .forbidden, message: "表单已过期或来源不明（CSRF 校验失败）；请刷新页面后重试")
        }
    }
}

/// The fields of a URL-encoded form (at most 64 KiB).
enum Form {
    static func fields(of request: Request) async throws -> [String: String] {
        let body = try await request.body.collect(upTo: 64 << 10)
        return parse(String(buffer: body))
    }

    static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ part: Substring) -> String {
                String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? ""
            }
            guard let key = parts.first else { continue }
            fields[decode(key)] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return fields
    }
}
