import Foundation
import Hummingbird
import Standards
import Store

/// The frame of every page: the title, the navigation of the account's role, the sign-out form
/// (a POST with the session's CSRF token) and the content. No script or style inline, so the
/// Content-Security-Policy `default-src 'self'` holds.
enum Pages {
    static func page(_ title: String, session: Session?, body: HTML, status: HTTPResponse.Status = .ok) -> Response {
        let html: HTML = """
            <!doctype html>
            <html lang="zh-CN"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(title) · 监测</title><link rel="stylesheet" href="/static/jiance.css"></head>
            <body>\(navigation(session))<main>\(body)</main>
            <footer>监测 Jiance · 本页数据仅供本账号工作使用，请勿外传</footer>
            <script src="/static/upload.js"></script></body></html>
            """
        return Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: html.description)))
    }

    static func navigation(_ session: Session?) -> HTML {
        guard let session else { return "<header><span class=\"brand\">监测 Jiance</span></header>" }
        let account = session.account
        var links: [(String, String)] = [("首页", "/")]
        switch account.role {
        case .county:
            links += [
                ("学校", "/schools"), ("导入", "/imports"), ("趋势", "/trends"), ("县域自评", "/assessment"), ("审计日志", "/audit"),
            ]
        case .school:
            if let school = account.school {
                links += [("本校报告", "/schools/\(WebServer.path(school))"), ("导入", "/imports"), ("趋势", "/trends")]
            }
        case .psych:
            links += [("导入", "/imports")]
        }
        let who = account.role.label + (account.school.map { "·\($0.name)" } ?? "")
        return """
            <header><span class="brand">监测 Jiance</span>
            <nav>\(links.map { HTML.link($0.0, $0.1) })</nav>
            <form method="post" action="/logout" class="logout"><input type="hidden" name="csrf" value="\(session.csrf)">
            <span>\(account.name)（\(who)）</span><button type="submit">退出</button></form></header>
            """
    }

    /// Findings as a table: file, sheet, row, column, value, reason.
    static func findingsTable(_ findings: [Finding]) -> HTML {
        let severities: [Finding.Severity: String] = [.error: "错误", .warning: "警告", .info: "提示"]
        let rows = findings.map(WebWording.adapt).map { finding -> [HTML] in
            [
                "<span class=\"\(finding.severity.rawValue)\">\(severities[finding.severity] ?? "")</span>",
                "\(finding.file)", "\(finding.sheet)", "\(finding.row.map(String.init))", "\(finding.column)",
                "\(finding.value.map { Finding.printable(String($0.prefix(80))) })", "\(finding.message)",
            ]
        }
        return HTML.table(["级别", "文件", "工作表", "行", "列", "值", "原因"], rows)
    }
}

/// The stylesheet and the one small script (drag-and-drop onto the upload form), served from
/// the binary: the site works on a LAN without internet.
enum Assets {
    static let css = """
        body{font-family:"Microsoft YaHei","PingFang SC","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:0;color:#222;background:#f6f7f9}
        header{display:flex;align-items:center;gap:1.5em;background:#1f4e79;color:#fff;padding:.6em 1.2em;flex-wrap:wrap}
        header a{color:#fff;text-decoration:none;margin-right:1em}.brand{font-weight:bold;font-size:1.1em}
        .logout{margin-left:auto;display:flex;gap:.6em;align-items:center}
        main{max-width:1200px;margin:1em auto;padding:0 1em;background:#fff;padding:1em 1.5em}
        footer{text-align:center;color:#888;font-size:.8em;margin:2em}
        table{border-collapse:collapse;margin:.8em 0;font-size:.92em}th,td{border:1px solid #ccd;padding:.3em .6em;text-align:left}
        th{background:#e8eef5}caption{text-align:left;font-weight:bold;padding:.3em 0}
        .ok{color:#1a7f37;font-weight:bold}.bad{color:#c62828;font-weight:bold}.muted{color:#888}
        .error{color:#c62828}.warning{color:#b26a00}.info{color:#555}
        .tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(230px,1fr));gap:.8em}
        .tile{border:1px solid #ccd;border-radius:6px;padding:.6em .8em}.tile .value{font-size:1.6em;font-weight:bold}
        .tile .target{color:#666;font-size:.85em}.charts{display:flex;flex-wrap:wrap;gap:1em}
        form.card,.refusal{border:1px solid #ccd;border-radius:6px;padding:1em;max-width:640px}
        label{display:block;margin:.5em 0}input,select,button{font-size:1em;padding:.25em .4em}
        .drop{border:2px dashed #8aa;padding:1.2em;text-align:center;color:#567}.drop.over{background:#eef6ff}
        @media print{header,footer,form{display:none}main{max-width:none;margin:0}}
        """

    static let uploadScript = """
        document.querySelectorAll('.drop').forEach(function (zone) {
          var input = document.getElementById(zone.dataset.input);
          zone.addEventListener('dragover', function (e) { e.preventDefault(); zone.classList.add('over'); });
          zone.addEventListener('dragleave', function () { zone.classList.remove('over'); });
          zone.addEventListener('drop', function (e) {
            e.preventDefault(); zone.classList.remove('over'); input.files = e.dataTransfer.files;
            zone.textContent = Array.from(input.files).map(function (f) { return f.name; }).join('、');
          });
        });
        document.querySelectorAll('form[data-busy]').forEach(function (form) {
          form.addEventListener('submit', function () {
            var button = form.querySelector('button[type=submit]');
            if (button) { button.disabled = true; button.textContent = form.dataset.busy; }
          });
        });
        """
}
