import Foundation
import Hummingbird
import Ingest
import Ledgers
import Reports
import Standards
import Store

/// Each child's health record in the browser (健康档案): a school's class lists and one
/// student's record on a page that prints, masked by default; names on request, audited.
extension WebServer {
    func addStudentRoutes(to router: Router<WebContext>) {
        router.get("/schools/{code}/students") { request, context in
            let session = try signedIn(request, context)
            let school = try await school(try context.parameters.require("code"), for: session)
            let term = try await termOrLatest(request, session)
            let wanted = request.uri.queryParameters.get("class").flatMap { $0.isEmpty ? nil : String($0) }
            let database = database
            let students = try await offload(session) {
                try RosterQueries(database: database).enrolledStudents(term: term, schoolID: school.id)
            }
            // Classes in grade order (一年级 before 二年级), then by class name (2班 before 10班).
            let grades = Dictionary(students.map { (Self.classLabel($0), $0.grade?.code ?? 99) }) { min($0, $1) }
            let classes = grades.keys.sorted {
                grades[$0] != grades[$1]
                    ? grades[$0, default: 99] < grades[$1, default: 99]
                    : $0.localizedStandardCompare($1) == .orderedAscending
            }
            let code = Self.path(school)
            let order = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
            let shown = students.filter { wanted == nil || Self.classLabel($0) == wanted }.sorted {
                order[Self.classLabel($0)] ?? 0 < order[Self.classLabel($1)] ?? 0
            }
            let rows = shown.map { student -> [HTML] in
                [
                    "\(Self.classLabel(student))",
                    HTML.link(Masking.name(student.name), "/schools/\(code)/students/\(student.studentID)"),
                    "\(student.sex?.label)",
                ]
            }
            let classLinks = classes.map {
                HTML.link(
                    $0,
                    "/schools/\(code)/students?class=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                )
            }
            let body: HTML = """
                <h1>\(school.name)：学生健康档案（\(term.label)）</h1>
                <p>班级：\(classLinks.map { "\($0) " as HTML })</p>
                <p class="muted">姓名已脱敏；打开档案后可打印。整班打印请下载 <a href="/schools/\(code)/records.xlsx">健康档案工作簿</a>。</p>
                \(HTML.table(["班级", "姓名", "性别"], rows))
                """
            return Pages.page("学生健康档案", session: session, body: body)
        }
        router.get("/schools/{code}/students/{student}/notice/{kind}") { request, context in
            let session = try signedIn(request, context)
            let school = try await school(try context.parameters.require("code"), for: session)
            guard let id = Int64(try context.parameters.require("student")) else { throw WebError.notFound("没有这名学生") }
            return try await noticePage(
                session, school: school, id: id, kind: try context.parameters.require("kind"),
                term: try await termOrLatest(request, session))
        }
        router.get("/schools/{code}/students/{student}") { request, context in
            let session = try signedIn(request, context)
            let school = try await school(try context.parameters.require("code"), for: session)
            guard let id = Int64(try context.parameters.require("student")) else { throw WebError.notFound("没有这名学生") }
            let named = request.uri.queryParameters.get("named") == "1"
            let database = database
            let history = try await offload(session) { () -> StudentHistory? in
                guard let history = try StudentHistory.load(from: database, studentIDs: [id])[id] else {
                    return nil
                }
                if named {
                    try AuditLog.record(
                        database, action: "view-named-record", target: school.name,
                        detail: "查看学生健康档案（含姓名）：\(Masking.name(history.name))（学生编号 \(id)）")
                }
                return history
            }
            // A record belongs to the school the student is enrolled at now; a school that the
            // student left sees it no more.
            guard let history, history.enrolments.last?.school == school.name else {
                throw WebError.notFound("\(school.name) 没有这名学生")
            }
            return Pages.page(
                "学生健康档案", session: session, body: Self.recordPage(history, school: school, id: id, named: named))
        }
    }

    /// One student's notice to the family as a page to print from the browser: the content of
    /// the class workbook's page, named (it goes to the child's own family) and audited.
    func noticePage(_ session: Session, school: SchoolInfo, id: Int64, kind: String, term: Term) async throws
        -> Response
    {
        let (database, settings) = (database, configuration.settings)
        let content = try await offload(session) { () -> NoticeContent? in
            let content: NoticeContent?
            switch kind {
            case "fitness":
                let queries = FitnessQueries(database: database)
                content = try queries.results(term: term, schoolID: school.id).first { $0.observation.studentID == id }
                    .map { row in
                        let earlier = try queries.earlierYearTotals(studentIDs: [id], before: term)[id]?.last
                        return .fitness(row, school: school, term: term, earlierTotal: earlier)
                    }
            case "vision":
                content = try VisionQueries(database: database, settings: settings.vision)
                    .screenings(term: term, schoolID: school.id).first { $0.observation.studentID == id }
                    .map {
                        .vision(
                            $0, school: school, term: term, round: .screening, referral: settings.referralInstitution)
                    }
            default: throw WebError.notFound("没有这种告知书：\(kind)")
            }
            if let content {
                try AuditLog.record(
                    database, action: "view-\(kind)-notice", target: school.name,
                    detail: "查看告知书（含姓名）：\(Masking.name(content.name))（学生编号 \(id)），\(term.label)")
            }
            return content
        }
        guard let content else {
            throw WebError.notFound("这名学生在\(term.label)没有\(kind == "fitness" ? "体测成绩" : "视力筛查结果")，没有告知书")
        }
        func paragraphs(_ list: [NoticeContent.Paragraph]) -> [HTML] {
            list.map { $0.bold ? "<p><strong>\($0.text)</strong></p>" : "<p>\($0.text)</p>" }
        }
        let rows = content.tableRows.map { row in row.map { cell -> HTML in "\(Self.text(cell))" } }
        let table: HTML = rows.isEmpty ? "" : HTML.table(content.tableHeaders, rows)
        let advice = content.advice.map { "<li>\($0.text)（依据：\($0.source)）</li>" as HTML }
        let body: HTML = """
            <article class="notice"><h1>\(content.title)</h1><p><strong>尊敬的 \(content.name) 同学家长：</strong></p>
            \(paragraphs(content.opening))\(table)\(paragraphs(content.closing))
            <p><strong>\(content.adviceHeading)</strong></p><ul>\(advice)</ul>
            <p class="muted">说明：本告知书仅交学生家长本人，请妥善保管；如有疑问请联系班主任。</p>
            <p>\(school.name)　　\(Today.iso)</p><p class="muted">✂ - - - - - - - 沿此线剪下，交回班主任 - - - - - - -</p>
            \(content.receipt.map { "<p>\($0)</p>" as HTML })</article>
            """
        return Pages.page(content.title, session: session, body: body)
    }

    /// A cell as the page shows it.
    static func text(_ cell: CellValue) -> String {
        switch cell {
        case .text(let text): text
        case .number(let number): number == number.rounded() ? String(Int(number)) : String(number)
        case .date(let year, let month, let day): String(format: "%04d-%02d-%02d", year, month, day)
        case .blank: ""
        }
    }

    static func classLabel(_ student: EnrolledStudent) -> String {
        [student.grade?.label, student.className].compactMap { $0 }.joined()
    }

    /// A school in a URL path: its 学校标识码, else its name, percent-encoded.
    static func path(_ school: SchoolInfo) -> String {
        (school.code ?? school.name).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    /// The record as `jiance record` prints it: identity, schools and classes by term, growth and
    /// fitness by school year, every screening with its follow-up. Never psychological data.
    static func recordPage(_ h: StudentHistory, school: SchoolInfo, id: Int64, named: Bool) -> HTML {
        let name = named ? h.name : Masking.name(h.name)
        let number = h.studentNo.map { named ? $0 : Masking.identifier($0) } ?? "—"
        let birth = named ? h.birthDate?.description ?? "—" : "（已脱敏）"
        let enrolments = h.enrolments.map { e -> [HTML] in
            ["\(e.term.label)", "\(e.school)", "\(e.grade?.label)", "\(e.className)"]
        }
        let fitness = h.fitness.map { year -> [HTML] in
            let items = year.items.map {
                "\($0.item.label) \(FitnessValues.resultText($0.result, item: $0.item, unit: true))（\($0.score.map(String.init) ?? "—") 分）"
            }
            return [
                "\(year.term.label)", "\(year.grade.label)", "\(year.heightCm.map { String(format: "%.1f", $0) })",
                "\(year.weightKg.map { String(format: "%.1f", $0) })",
                "\(year.bmi.map { String(format: "%.1f", $0) }) \(year.bmiCategory)",
                "\(items.joined(separator: "；"))",
                "\(year.totalHundredths.map { String(format: "%.1f", Double($0) / 100) } ?? "—")\(year.bonus > 0 ? "（含附加分 \(year.bonus)）" : "")",
                "\(year.ratingText)",
                "\(year.graduationHundredths.map { String(format: "%.2f", Double($0) / 100) })",
            ]
        }
        let vision = h.vision.map { s -> [HTML] in
            [
                "\(s.term.label) \(s.round.rawValue)", "\(s.right ?? "—") / \(s.left ?? "—")",
                "\(StudentHistory.Screening.dioptres(s.rightSE)) / \(StudentHistory.Screening.dioptres(s.leftSE))",
                "\(s.myopicText)", "\(s.lowVisionGrade)", "\(s.needsReferral ? "需到医疗机构检查" : "—")", "\(s.followUpText)",
            ]
        }
        let nameLink: HTML =
            named
            ? ""
            : "<p class=\"muted\">姓名、学籍号和出生日期已脱敏。<a href=\"/schools/\(path(school))/students/\(String(id))?named=1\">显示姓名（记入审计日志）</a></p>"
        return """
            <h1>学生健康档案</h1>\(nameLink)
            <p>姓名：\(name)　学籍号：\(number)　性别：\(h.sex?.label)　出生日期：\(birth)</p>
            \(HTML.table(["学期", "学校", "年级", "班级"], enrolments, caption: "就读情况"))
            \(HTML.table(["学期", "年级", "身高(cm)", "体重(kg)", "BMI", "各项成绩（得分）", "学年总分", "等级", "毕业成绩"], fitness, caption: "生长发育与体质健康（《国家学生体质健康标准（2014年修订）》）"))
            \(HTML.table(["筛查", "裸眼视力 右/左", "等效球镜 右/左 (D)", "近视", "视力不良", "转诊", "复查回执"], vision, caption: "视力筛查（WS/T 663-2020）"))
            <p>给家长的告知书（含姓名，记入审计日志）：<a href="/schools/\(path(school))/students/\(String(id))/notice/fitness">体质健康</a>　<a href="/schools/\(path(school))/students/\(String(id))/notice/vision">视力筛查</a></p>
            <p class="muted">本档案含生长发育、体质健康与视力筛查信息。打印：浏览器菜单“打印”，页面导航不会打印。</p>
            """
    }
}
