import Foundation
import Hummingbird
import Imports
import Ledgers
import Reports
import Services
import Standards
import Store

extension WebServer {
    /// The kinds an account may upload: the county any; a school its own results, roster,
    /// resources and returned ledgers (never psychological data); a psychological teacher the
    /// screening and the returned crisis ledger of its school.
    static let kindLabels: [ImportKind: String] = [
        .fitness: "体质健康测试成绩", .vision: "视力筛查", .academic: "考试成绩", .roster: "学校名单与学籍名册",
        .followup: "跟踪台账回收", .resources: "学校办学条件", .monitoring: "国家质量监测报告", .psych: "心理筛查量表",
    ]

    static func uploadKinds(for role: AccountRole) -> [(kind: ImportKind, label: String)] {
        let kinds: [ImportKind] =
            switch role {
            case .county: [.fitness, .vision, .academic, .roster, .followup, .resources, .monitoring, .psych]
            case .school: [.fitness, .vision, .academic, .roster, .followup, .resources]
            case .psych: [.psych, .followup]
            }
        return kinds.map {
            (
                $0,
                role == .psych && $0 == .followup
                    ? "心理台账回收" : role == .school && $0 == .roster ? "本校学籍名册" : kindLabels[$0] ?? $0.rawValue
            )
        }
    }

    func addImportRoutes(to router: Router<WebContext>) {
        router.get("/imports") { request, context in
            let session = try signedIn(request, context)
            return try await importsPage(session)
        }
        router.post("/imports") { request, context in
            let session = try signedIn(request, context)
            let upload = try await Upload.receive(
                request, maxBytes: configuration.maxUploadBytes, maxFiles: configuration.maxUploadFiles,
                in: configuration.temporaryFolder)
            defer { upload.discard() }
            try checkCSRF(upload.fields, session)
            return try await importUpload(upload, session: session)
        }
        router.get("/imports/{batch}") { request, context in
            let session = try signedIn(request, context)
            let batch = try await visibleBatch(context, session)
            let database = database
            let findings = try await offload(session) { try BatchUndo(database: database).findings(batch: batch.id) }
            let undo: HTML =
                session.account.role == .county && batch.undoneBy == nil && batch.kind != .undo
                ? """
                <form method="post" action="/imports/\(String(batch.id))/undo" class="card" data-busy="正在撤销…">
                <input type="hidden" name="csrf" value="\(session.csrf)">
                <p>撤销此批次：删除它新增的行，把它修改的行恢复原值；撤销本身也会记录为一个批次。</p>
                <button type="submit">撤销批次 \(String(batch.id))</button></form>
                """ : ""
            let body: HTML = """
                <h1>导入批次 \(String(batch.id))：\(batch.fileName)</h1>
                <p>\(batch.kind.label) · \(batch.term) · \(Today.localTime(batch.importedAt)) · 读取 \(batch.read) 行，新增 \(batch.inserted)，更新 \(batch.updated)，拒绝 \(batch.rejected)\(batch.undoneBy.map { "（已在批次 \($0) 中撤销）" } ?? "")</p>
                \(findings.isEmpty ? "<p class=\"ok\">没有发现问题。</p>" as HTML : Pages.findingsTable(findings))
                <p><a href="/imports/\(String(batch.id))/findings.xlsx">下载问题清单（.xlsx）</a></p>\(undo)
                """
            return Pages.page("导入批次 \(batch.id)", session: session, body: body)
        }
        router.get("/imports/{batch}/findings.xlsx") { request, context in
            let session = try signedIn(request, context)
            let batch = try await visibleBatch(context, session)
            let database = database
            return try await download(session) { folder in
                let findings = try BatchUndo(database: database).findings(batch: batch.id).map(WebWording.adapt)
                return try FindingsWorkbook(batch: batch.id, fileName: batch.fileName, findings: findings).write(
                    to: folder)
            }
        }
        router.post("/imports/{batch}/undo") { request, context in
            let session = try county(request, context)
            try checkCSRF(try await Form.fields(of: request), session)
            let batch = try await visibleBatch(context, session)
            let database = database
            do {
                _ = try await offload(session) {
                    var undo = BatchUndo(database: database)
                    undo.actor = session.account.name
                    return try undo.undo(batch: batch.id, force: false)
                }
                return Response(status: .seeOther, headers: [.location: "/imports/\(batch.id)"])
            } catch let refusal as UndoRefusal {
                throw WebError(status: .conflict, message: "未撤销：\(WebWording.adapt(refusal.description))")
            }
        }
    }

    /// A batch the session may see: the county any; a school the batches that touched it
    /// (never psychological ones); a psychological teacher its school's psychological ones.
    private func visibleBatch(_ context: WebContext, _ session: Session) async throws -> BatchSummary {
        guard let id = Int64(try context.parameters.require("batch")) else { throw WebError.notFound("没有这个导入批次") }
        let database = database
        // The county opens any batch, the undo batches included; others only those they may see.
        let visible =
            session.account.role == .county
            ? try await offload(session) { try BatchUndo(database: database).batch(id) }.map { [$0] } ?? []
            : try await batches(session)
        guard let batch = visible.first(where: { $0.id == id }) else {
            let exists = try await offload(session) { try BatchUndo(database: database).batch(id) } != nil
            throw exists ? WebError.forbidden("此导入批次属于其他学校或其他角色") : WebError.notFound("没有导入批次 \(id)")
        }
        return batch
    }

    private func batches(_ session: Session) async throws -> [BatchSummary] {
        let database = database
        let account = session.account
        return try await offload(session) {
            let undo = BatchUndo(database: database)
            guard account.role != .county else { return try undo.batches(term: nil, school: nil) }
            guard let school = account.school else { return [] }
            let own = try undo.batches(term: nil, school: school.code ?? school.name)
            return own.filter { $0.isPsych == (account.role == .psych) }
        }
    }

    /// The import the form asks for, checked field by field; the account's role decides the kinds
    /// it may send, the one school its files may touch and the returned ledgers it may send.
    private func importRequest(_ upload: Upload, session: Session) async throws -> ImportRequest {
        let account = session.account
        let fields = upload.fields
        guard let kind = ImportKind(rawValue: fields["kind"] ?? ""),
            Self.uploadKinds(for: account.role).contains(where: { $0.kind == kind })
        else {
            throw WebError.forbidden("此账号不能导入“\(fields["kind"] ?? "")”类数据；请在“数据类型”中选择列出的类型")
        }
        guard !upload.files.isEmpty else { throw WebError.badRequest("没有选择文件：请选择要导入的 .xlsx、.xls 或 .csv 文件") }
        for file in upload.files {
            guard ["xlsx", "xls", "csv"].contains(file.pathExtension.lowercased()) else {
                throw WebError.badRequest("“\(file.lastPathComponent)”不是表格文件：请上传 .xlsx、.xls 或 .csv 文件")
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? NSNumber)?.intValue ?? 0
            guard size > 0 else { throw WebError.badRequest("“\(file.lastPathComponent)”是空文件（0 字节）：请检查文件后重新选择") }
        }
        let term: Term
        if let text = fields["term"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let parsed = Term(text) else {
                throw WebError.badRequest("学期“\(text)”写法不对：应写作 2025-2026-1（最后一位 1 为第一学期（秋季），2 为第二学期（春季））")
            }
            term = parsed
        } else {
            term = ImportService.defaultTerm(year: nil)
        }
        var request = ImportRequest(kind: kind, term: term)
        request.settings = configuration.settings
        request.limits = configuration.readLimits
        request.mode = fields["strict"] == "1" ? .strict : .keepValid
        request.round = fields["round"].flatMap(VisionRound.init(rawValue:)) ?? .screening
        request.exam = fields["exam"].flatMap { $0.isEmpty ? nil : $0 }
        request.wave = fields["wave"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
        if kind == .academic, request.exam == nil { throw WebError.badRequest("导入考试成绩时请填写“考试名称”") }
        if kind == .psych {
            guard let scale = fields["scale"], PsychScale.ids.contains(scale) else {
                throw WebError.badRequest("导入心理筛查时请在“量表”中选择所用的量表")
            }
            request.scale = scale
        }
        if let text = fields["year"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let year = Int(text), (2000...2100).contains(year) else {
                throw WebError.badRequest("年度“\(text)”写法不对：应为四位年份，如 2025")
            }
            request.year = year
        }
        if let school = account.school {
            request.school = school.name
            request.onlySchool = school.id
        } else if let chosen = fields["school"], !chosen.isEmpty {
            let database = database
            guard let school = try await offload(session, { try RosterQueries(database: database).school(chosen) })
            else {
                throw WebError.badRequest("没有学校“\(chosen)”：请在“学校”一栏中选择")
            }
            request.school = school.name
        }
        request.followUpLedgers =
            switch account.role {
            case .county: .all
            case .school: .general
            case .psych: .psych
            }
        return request
    }

    /// The batches and the upload form; `form` is what the form was last sent with, so that a
    /// refused upload comes back with the user's choices.
    private func importsPage(
        _ session: Session, results: HTML = "", status: HTTPResponse.Status = .ok, form: [String: String] = [:]
    ) async throws -> Response {
        let batches = try await batches(session).suffix(200).reversed()
        let rows = batches.map { batch -> [HTML] in
            [
                HTML.link(String(batch.id), "/imports/\(batch.id)"), "\(Today.localTime(batch.importedAt))",
                "\(batch.kind.label)", "\(batch.term)", "\(batch.fileName)", "\(batch.inserted)", "\(batch.updated)",
                "\(batch.rejected)", "\(batch.undoneBy.map { "已在批次 \($0) 中撤销" })",
            ]
        }
        let kinds = Self.uploadKinds(for: session.account.role)
        /// An option, selected when it is what the form was sent with.
        func option(_ value: String, _ label: String, field: String) -> HTML {
            "<option value=\"\(value)\"\(form[field] == value ? " selected" : "")>\(label)</option>"
        }
        func text(_ field: String) -> String { form[field] ?? "" }
        let options = kinds.map { option($0.kind.rawValue, $0.label, field: "kind") }
        let scales = PsychScale.ids.compactMap { try? PsychScale.named($0) }.map {
            option($0.id, "\($0.name)（\($0.id)）", field: "scale")
        }
        let school: HTML
        if let own = session.account.school {
            school = "<p>上传的数据一律记入本校：\(own.name)。文件中若有其他学校的行，整个文件不会导入。</p>"
        } else {
            let database = database
            let schools = try await offload(session) { try database.schools() }
            let choices = schools.map { option($0.code ?? $0.name, $0.name, field: "school") }
            school = """
                <label>学校（文件没有学校列时选择）<select name="school"><option value="">（按文件中的学校列）</option>\(choices)</select></label>
                <label>年度（办学条件、质量监测文件没有年度列时填写）<input name="year" inputmode="numeric" maxlength="4" value="\(text("year"))"></label>
                """
        }
        let rounds = VisionRound.allCases.map { option($0.rawValue, $0.rawValue, field: "round") }
        let body: HTML = """
            <h1>导入</h1>\(results)
            <form method="post" action="/imports" enctype="multipart/form-data" class="card" data-busy="正在导入，请稍候…">
            <input type="hidden" name="csrf" value="\(session.csrf)">\(school)
            <label>数据类型 <select name="kind">\(options)</select></label>
            <label>学期（如 2025-2026-1；不填为本学期）<input name="term" pattern="\\d{4}-\\d{4}-[12]" value="\(text("term"))"></label>
            \(kinds.contains { $0.kind == .vision } ? "<label>视力筛查轮次 <select name=\"round\">\(rounds)</select></label>" as HTML : "")
            \(kinds.contains { $0.kind == .psych } ? """
                <label>量表 <select name="scale"><option value="">（筛查时选择）</option>\(scales)</select></label>
                <label>筛查名称（同一学期的各次筛查用不同名称；不填为“学期+量表筛查”）<input name="wave" maxlength="40" value="\(text("wave"))"></label>
                """ as HTML : "")
            \(kinds.contains { $0.kind == .academic } ? "<label>考试名称（考试成绩时填写）<input name=\"exam\" maxlength=\"40\" value=\"\(text("exam"))\"></label>" as HTML : "")
            <label><input type="checkbox" name="strict" value="1"\(form["strict"] == "1" ? " checked" : "")> 严格模式：任何一行有错误则整个文件不导入</label>
            <div class="drop" data-input="files">把文件拖到这里，或点击下面选择（.xlsx、.xls、.csv）</div>
            <input id="files" type="file" name="file" multiple accept=".xlsx,.xls,.csv">
            <p><button type="submit">上传并导入</button></p></form>
            <h2>导入记录</h2>\(HTML.table(["批次", "时间", "类型", "学期", "文件", "新增", "更新", "拒绝", ""], rows))
            """
        return Pages.page("导入", session: session, body: body, status: status)
    }

    private func importUpload(_ upload: Upload, session: Session) async throws -> Response {
        let request: ImportRequest
        do {
            request = try await importRequest(upload, session: session)
        } catch let refusal as WebError where refusal.status == .badRequest {
            // The form comes back with what to correct, not an error page.
            return try await importsPage(
                session, results: "<p class=\"bad\" role=\"alert\">未导入：\(refusal.message)</p>", status: .badRequest,
                form: upload.fields)
        }
        let service = ImportService(database: database)
        let files = upload.files
        let prepared = request
        let outcomes = try await offload(session) { try files.map { try service.importFile($0, prepared) } }
        let sections = outcomes.map { outcome -> HTML in
            let state: HTML =
                outcome.committed
                ? "<span class=\"ok\">已导入（批次 \(String(outcome.batchID ?? 0))）</span>"
                : outcome.duplicateOfBatch != nil
                    ? "<span class=\"muted\">没有变化</span>" : "<span class=\"bad\">未导入</span>"
            let link: HTML = outcome.batchID.map { HTML.link("查看批次", "/imports/\($0)") } ?? ""
            let c = outcome.counts
            return """
                <section><h3>\(outcome.fileName)：\(state) \(link)</h3>
                <p>读取 \(c.read) 行，接受 \(c.accepted)，拒绝 \(c.rejected)；新增 \(c.inserted)，更新 \(c.updated)，不变 \(c.unchanged)</p>
                \(outcome.findings.isEmpty ? "" : Pages.findingsTable(outcome.findings))</section>
                """
        }
        let failed = !outcomes.contains { $0.committed || $0.duplicateOfBatch != nil }
        return try await importsPage(
            session, results: "<h2>导入结果</h2>\(sections)", status: failed ? .badRequest : .ok, form: upload.fields)
    }
}
