import Foundation
import Hummingbird
import Indicators
import Reports
import Services
import Standards
import Store

extension WebServer {
    func addPageRoutes(to router: Router<WebContext>) {
        router.get("/") { request, context in
            let session = try signedIn(request, context)
            let term = try requestedTerm(request)
            switch session.account.role {
            case .county, .school: return try await dashboard(session, term: term)
            case .psych: return try await psychHome(session)
            }
        }
        router.get("/schools") { request, context in
            let session = try county(request, context)
            return try await schoolsPage(session, term: try requestedTerm(request))
        }
        router.get("/schools/{code}") { request, context in
            let session = try signedIn(request, context)
            let school = try await school(try context.parameters.require("code"), for: session)
            return try await schoolPage(session, school: school, term: try requestedTerm(request))
        }
        router.get("/trends") { request, context in
            let session = try signedIn(request, context)
            guard session.account.role != .psych else { throw WebError.forbidden() }
            return try await trendsPage(session)
        }
        router.get("/assessment") { request, context in
            let session = try county(request, context)
            return try await assessmentPage(session, term: try requestedTerm(request))
        }
        router.get("/audit") { request, context in
            let session = try county(request, context)
            let database = database
            let entries = try await offload(session) { try AuditLog.entries(database, latest: 500) }
            let rows = entries.map { entry -> [HTML] in
                [
                    "\(Today.localTime(entry.at))", "\(entry.actor)", "\(entry.action)", "\(entry.target)",
                    "\(entry.detail)",
                ]
            }
            let body: HTML = """
                <h1>审计日志</h1><p class="muted">最近 500 条：每次登录、导入、撤销，以及含姓名或心理数据的每次导出。日志只能追加，不能修改或删除。</p>
                \(HTML.table(["时间", "账号", "操作", "对象", "详情"], rows))
                """
            return Pages.page("审计日志", session: session, body: body)
        }
    }

    /// The reports of a term; no data at all is a page that says what to do, an unknown term 404.
    func reports(_ session: Session, term: Term?) async throws -> TermReports? {
        let service = ReportService(database: database, settings: configuration.settings)
        do {
            return try await cached("reports|\(term?.description ?? "")", session) { try service.reports(term: term) }
        } catch let refusal as NoReport {
            if term == nil { return nil }
            throw WebError.notFound(refusal.description)
        }
    }

    func trend(_ session: Session, to term: Term?, school: SchoolInfo?) async throws -> TrendReport {
        let (database, settings) = (database, configuration.settings)
        return try await cached("trend|\(term?.description ?? "")|\(school?.id ?? 0)", session) {
            try TrendReport.load(
                from: database, through: term, school: school?.code ?? school?.name, settings: settings)
        }
    }

    /// A report from the cache when the data has not changed since it was built, else built now.
    private func cached<T: Sendable>(_ key: String, _ session: Session, build: @escaping @Sendable () throws -> T)
        async throws -> T
    {
        let database = database
        let version = try await offload(session) { try database.dataVersion() }
        let full = "\(key)|\(version)|\(Today.iso)"
        if let hit = await cache.value(full, as: T.self) { return hit }
        let built = try await offload(session, build)
        await cache.store(full, built)
        return built
    }

    static let noData: HTML = "<h1>还没有数据</h1><p>数据库中还没有任何数据。请在 <a href=\"/imports\">导入</a> 页面上传学校名单、名册和体测、视力文件。</p>"

    /// The indicators of the plan at a glance, each with its target and 达标/未达标; the county
    /// sees every school's gap, a school sees itself beside the county.
    static func glanceIndicators(for role: AccountRole) -> [TrendIndicator] {
        let plan: [TrendIndicator] = [
            .goodOrBetter, .passing, .myopia, .healthRecords, .visionRecords, .academicAtLeastThree,
            .academicDifference, .resourcePassing,
        ]
        return role == .county ? plan + [.psychCoverage] : plan
    }

    static func valueText(_ indicator: TrendIndicator, _ value: TrendValue?) -> String {
        guard let value else { return "—" }
        switch indicator.unit {
        case .percent: return value.rate?.percentText ?? Rate.percentText(value.value)
        case .ratio: return String(format: "%.3f", value.value)
        case .count: return String(Int(value.value))
        }
    }

    func dashboard(_ session: Session, term: Term?) async throws -> Response {
        guard let reports = try await reports(session, term: term) else {
            return Pages.page("首页", session: session, body: Self.noData)
        }
        let own = session.account.role == .school ? session.account.school : nil
        let trend = try await trend(session, to: reports.assessment.term, school: own)
        let mine = own.flatMap { school in trend.schools.first { $0.school.id == school.id } }
        var tiles: [HTML] = []
        for indicator in Self.glanceIndicators(for: session.account.role) where own == nil || !indicator.countyOnly {
            guard let countySeries = trend.county[indicator], let latest = trend.latestTerm(indicator) else { continue }
            let series = mine.map { $0.series[indicator] } ?? countySeries
            let value = series?.values[latest]
            let change = series?.change(at: latest, targets: trend.targets)
            let changeText: HTML =
                change.map {
                    "<div class=\"target\">较 \($0.previous.label)：\(String(format: "%+.2f", $0.delta))\(indicator.unit == .percent ? " 个百分点" : "")</div>"
                } ?? ""
            let comparison: HTML =
                mine != nil && !indicator.countyOnly
                ? "<div class=\"target\">全县：\(Self.valueText(indicator, countySeries.values[latest]))</div>" : ""
            let far =
                own == nil && TrendIndicator.schoolTargets.contains(indicator)
                ? trend.attention(indicator).prefix(3) : []
            let farText: HTML =
                far.isEmpty ? "" : "<div class=\"target\">差距最大：\(far.map(\.school.name).joined(separator: "、"))</div>"
            let shown = indicator.countyOnly || mine == nil ? countySeries : series
            tiles.append(
                """
                <div class="tile"><div>\(indicator.name)</div>
                <div class="value">\(Self.valueText(indicator, indicator.countyOnly ? countySeries.values[latest] : value))</div>
                <div class="target">目标：\(indicator.targetText(trend.targets) ?? "（参考）") · \(latest.label)</div>
                <div>\(HTML.verdict(shown?.meets(at: latest, targets: trend.targets)))</div>\(changeText)\(comparison)\(farText)</div>
                """)
        }
        var charts: [HTML] = []
        if own == nil, let fitness = reports.fitness, !fitness.schools.isEmpty {
            charts.append(
                Charts.bars(
                    "体质健康优良率（\(fitness.term.label)，按学校）",
                    fitness.schools.map { ($0.school.name, $0.summary.goodOrBetterRate.value) },
                    target: fitness.targets.goodOrBetter))
        }
        if own == nil, let vision = reports.vision, !vision.schools.isEmpty {
            charts.append(
                Charts.bars(
                    "近视率（\(vision.term.label)，按学校）", vision.schools.map { ($0.name, $0.summary.myopiaRate.value) },
                    target: nil, higherIsBetter: false))
        }
        for indicator in [TrendIndicator.goodOrBetter, .myopia] {
            guard let county = trend.county[indicator] else { continue }
            let terms = trend.terms.filter { county.values[$0] != nil }
            guard terms.count >= 2 else { continue }
            var lines = [(name: "全县", values: terms.map { county.values[$0]?.value })]
            if let mine, let series = mine.series[indicator] {
                lines.insert((mine.school.name, terms.map { series.values[$0]?.value }), at: 0)
            }
            charts.append(
                Charts.lines(
                    "\(indicator.name)：逐学期", terms: terms.map(\.label), lines,
                    target: indicator.targetLine(trend.targets)))
        }
        let heading = own.map { "\($0.name)：目标与实际" } ?? "全县：优质均衡目标一览"
        let body: HTML = """
            <h1>\(heading)</h1><p class="muted">\(reports.assessment.term.label) · 各指标取其最近有数据的学期</p>
            <section class="tiles">\(tiles)</section>
            <h2>图表</h2><section class="charts">\(charts)</section>
            """
        return Pages.page("首页", session: session, body: body)
    }

    func psychHome(_ session: Session) async throws -> Response {
        guard let school = session.account.school else { throw WebError.forbidden() }
        let database = database
        let cases = try await offload(session) { try PsychQueries(database: database).cases(schoolID: school.id) }
        let open = cases.filter { $0.status != .closed }.count
        let code = Self.path(school)
        let body: HTML = """
            <h1>\(school.name)：心理危机干预台账</h1>
            <p>案例 \(cases.count) 个，其中在案 \(open) 个。台账默认脱敏；需要姓名时须填写理由，每次下载都记入审计日志。</p>
            <p><a href="/psych/\(code)/ledger.xlsx">下载台账（脱敏）</a></p>
            <form method="get" action="/psych/\(code)/ledger.xlsx" class="card">
            <input type="hidden" name="unmask" value="1">
            <label>查看姓名的理由（必填）<input name="reason" required maxlength="200"></label>
            <button type="submit">下载含姓名的台账</button></form>
            <p>随访记录填好后，在 <a href="/imports">导入</a> 页面选择“心理台账回收”上传。</p>
            """
        return Pages.page("心理台账", session: session, body: body)
    }

    func schoolsPage(_ session: Session, term: Term?) async throws -> Response {
        guard let reports = try await reports(session, term: term) else {
            return Pages.page("学校", session: session, body: Self.noData)
        }
        let database = database
        let schools = try await offload(session) { try database.schools() }
        let fitness = Dictionary(uniqueKeysWithValues: (reports.fitness?.schools ?? []).map { ($0.school.id, $0) })
        let vision = Dictionary(
            uniqueKeysWithValues: (reports.vision?.schools ?? []).compactMap { line in line.school.map { ($0.id, line) }
            })
        let targets = configuration.settings.fitness
        let rows = schools.map { school -> [HTML] in
            let f = fitness[school.id]?.summary
            let v = vision[school.id]
            return [
                HTML.link(school.name, "/schools/\(Self.path(school))"), "\(school.code)",
                "\(f.map { $0.goodOrBetterRate.percentText })", HTML.verdict(f?.meets(targets).goodOrBetter),
                "\(f.map { $0.passingRate.percentText })", HTML.verdict(f?.meets(targets).passing),
                "\(v.map { $0.summary.myopiaRate.percentText })", HTML.verdict(v?.yearly?.meets),
                "\(v.map { $0.coverage.percentText })",
            ]
        }
        let body: HTML = """
            <h1>学校（\(reports.assessment.term.label)）</h1>
            \(HTML.table(["学校", "标识码", "优良率", "", "及格率", "", "近视率", "年度下降", "视力建档率"], rows))
            <p><a href="/county.xlsx">下载县级汇总台账（.xlsx）</a></p>
            """
        return Pages.page("学校", session: session, body: body)
    }

    func schoolPage(_ session: Session, school: SchoolInfo, term: Term?) async throws -> Response {
        guard let reports = try await reports(session, term: term) else {
            return Pages.page(school.name, session: session, body: Self.noData)
        }
        let targets = configuration.settings.fitness
        var sections: [HTML] = []
        if let fitness = reports.fitness, let line = fitness.schools.first(where: { $0.school.id == school.id }) {
            let rows = [("本校", line.enrolled, line.summary), ("全县", fitness.enrolled, fitness.county)].map {
                name, enrolled, s -> [HTML] in
                [
                    "\(name)", "\(enrolled)", "\(s.tested)", "\(s.exempt)", "\(s.excellentRate.percentText)",
                    "\(s.goodOrBetterRate.percentText)", HTML.verdict(s.meets(targets).goodOrBetter),
                    "\(s.passingRate.percentText)", HTML.verdict(s.meets(targets).passing),
                ]
            }
            sections.append(
                HTML.table(
                    ["", "在籍", "测试", "免测", "优秀率", "优良率", "", "及格率", ""], rows,
                    caption:
                        "体质健康 \(fitness.term.label)（目标：优良率 ≥ \(Rate.percentText(targets.goodOrBetter))，及格率 ≥ \(Rate.percentText(targets.passing))）"
                ))
        }
        if let vision = reports.vision, let line = vision.schools.first(where: { $0.school?.id == school.id }) {
            let rows = [line, vision.county].map { l -> [HTML] in
                [
                    "\(l.school == nil ? "全县" : "本校")", "\(l.summary.screened)", "\(l.coverage.percentText)",
                    "\(l.summary.myopiaRate.percentText)", "\(l.yearly?.earlier.percentText ?? "—")",
                    "\(l.yearly?.dropPP.map { String(format: "%+.2f", $0) } ?? "—")", HTML.verdict(l.yearly?.meets),
                ]
            }
            sections.append(
                HTML.table(
                    ["", "筛查", "建档率", "近视率", "去年同季", "下降（百分点）", "年度目标"], rows,
                    caption: "视力筛查 \(vision.term.label)（目标：近视率每年下降 ≥ \(vision.target.dropPerYearPP) 个百分点）"))
        }
        if sections.isEmpty { sections.append("<p>本学期没有这所学校的体测或视力数据。</p>") }
        let code = Self.path(school)
        let termQuery = term.map { "?term=\($0)" } ?? ""
        let body: HTML = """
            <h1>\(school.name)</h1><p class="muted">\(reports.assessment.term.label)</p>\(sections)
            <h2>下载</h2><ul>
            <li><a href="/schools/\(code)/ledger.xlsx\(termQuery)">学校台账（脱敏，含跟踪台账）</a></li>
            <li><a href="/schools/\(code)/ledger.xlsx?named=1\(term.map { "&term=\($0)" } ?? "")">学校台账（含姓名，记入审计日志）</a></li>
            <li><a href="/schools/\(code)/notices/fitness.xlsx\(termQuery)">体质健康告知书（给家长，含姓名）</a></li>
            <li><a href="/schools/\(code)/notices/vision.xlsx\(termQuery)">视力筛查告知书（给家长，含姓名）</a></li>
            <li><a href="/schools/\(code)/records.xlsx\(termQuery)">学生健康档案（每名学生一页，脱敏）</a></li></ul>
            <p><a href="/schools/\(code)/students\(termQuery)">按班级查看、打印每名学生的健康档案</a></p>
            <p>跟踪台账填好后，在 <a href="/imports">导入</a> 页面选择“跟踪台账回收”上传。</p>
            """
        return Pages.page(school.name, session: session, body: body)
    }

    func trendsPage(_ session: Session) async throws -> Response {
        let own = session.account.role == .school ? session.account.school : nil
        let trend = try await trend(session, to: nil, school: own)
        guard !trend.terms.isEmpty else { return Pages.page("趋势", session: session, body: Self.noData) }
        let mine = own.flatMap { school in trend.schools.first { $0.school.id == school.id } }
        let indicators = trend.indicators.filter { own == nil || $0.family != .psych }
        let rows = indicators.map { indicator -> [HTML] in
            let series = (own == nil || indicator.countyOnly) ? trend.county[indicator] : mine?.series[indicator]
            return ["\(indicator.name)", "\(indicator.targetText(trend.targets) ?? "")"]
                + trend.terms.map { "\(Self.valueText(indicator, series?.values[$0]))" }
        }
        let body: HTML = """
            <h1>\(own.map { "\($0.name)：" } ?? "全县：")逐学期趋势</h1>
            \(HTML.table(["指标", "目标"] + trend.terms.map(\.label), rows))
            \(own == nil ? "<p><a href=\"/trend.xlsx\">下载趋势工作簿（.xlsx）</a></p>" as HTML : "")
            """
        return Pages.page("趋势", session: session, body: body)
    }

    func assessmentPage(_ session: Session, term: Term?) async throws -> Response {
        guard let reports = try await reports(session, term: term) else {
            return Pages.page("县域自评", session: session, body: Self.noData)
        }
        let assessment = reports.assessment
        let sections = assessment.dimensions.map { dimension -> HTML in
            let rows = assessment.items.filter { $0.dimension == dimension }.map { item -> [HTML] in
                [
                    "\(item.name)", "\(item.value)", "\(item.threshold)",
                    item.judged ? HTML.verdict(item.passes) : "（参考）", "\(item.source)",
                ]
            }
            return rows.isEmpty ? "" : HTML.table(["指标", "实际", "要求", "结论", "来源"], rows, caption: dimension)
        }
        let tally = assessment.tally
        let body: HTML = """
            <h1>县域义务教育优质均衡自评（\(assessment.term.label)）</h1>
            <p>达标 \(tally.met) 项，未达标 \(tally.failed) 项，缺数据 \(tally.missing) 项。</p>\(sections)
            <p><a href="/county.xlsx?term=\(assessment.term.description)">下载县级汇总台账（.xlsx）</a></p>
            """
        return Pages.page("县域自评", session: session, body: body)
    }
}
