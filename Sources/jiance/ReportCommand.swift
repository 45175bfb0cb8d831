import ArgumentParser
import Foundation
import Indicators
import Ledgers
import Reports
import Services
import Standards
import Store

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "目标与实际：体质健康优良率与及格率，近视率及其年度下降，心理筛查人数，资源配置与学业质量，县域优质均衡自评汇总")

    @Option(help: ArgumentHelp("学期（默认：数据库中最新有数据的学期）", valueName: "学期"))
    var term: Term?

    @Option(help: ArgumentHelp("只看这所学校（名称或学校标识码；体质部分）", valueName: "学校"))
    var school: String?

    @Option(help: ArgumentHelp("输出格式：table 或 json", valueName: "格式"))
    var format: TableOrJSON = .table

    @Option(help: ArgumentHelp("学业质量所用的考试（默认：该学期最后导入的考试）", valueName: "考试"))
    var exam: String?

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var settings: SettingsOptions

    func run() throws {
        let db = try database.existing()
        if let school { _ = try database.school(school, in: db) }
        let built: TermReports
        do {
            built = try ReportService(database: db, settings: try settings.load().county).reports(
                term: term, school: school, exam: exam)
        } catch let refusal as NoReport {
            throw NothingMatched(refusal.description)
        }
        let (assessment, fitness, vision, psych) = (built.assessment, built.fitness, built.vision, built.psych)
        switch format {
        case .table:
            if let fitness, fitness.county.measured > 0 { ReportCommand.printTable(fitness, countyRow: school == nil) }
            if let vision {
                if fitness != nil { print("") }
                ReportCommand.printTable(vision)
            }
            if let psych {
                print("")
                ReportCommand.printTable(psych)
            }
            AssessmentOutput.printSections(assessment) { _ in "" }
        case .json:
            print(try JSONOutput.text(ReportDocument(built)))
        }
    }

    /// Schools on the roll with nothing of `what` this term: the county's rates are theirs too.
    static func printUnreported(_ schools: [SchoolInfo], what: String) {
        guard !schools.isEmpty else { return }
        print("\n本学期尚未导入\(what)的学校（\(schools.count) 所，其在籍学生计入全县在籍）：\(schools.map(\.name).joined(separator: "、"))")
    }

    /// The fitness table; `countyRow` is false for a report of one school (`--school`), whose
    /// totals are that school's, not the county's.
    static func printTable(_ report: FitnessReport, countyRow: Bool = true) {
        let t = report.targets
        print(
            "国家学生体质健康标准 \(report.term.label)　目标：优良率 ≥ \(Rate.percentText(t.goodOrBetter))，及格率 ≥ \(Rate.percentText(t.passing))"
        )
        print("（优良率、及格率的分母为测试完整的学生；免测与测试不完整的学生另计）\n")
        var lines = [["学校", "在籍", "测试", "免测", "不完整", "优秀率", "优良率", "", "及格率", "", "不及格"]]
        func line(_ name: String, _ enrolled: Int?, _ s: FitnessSummary) -> [String] {
            let meets = s.meets(t)
            return [
                name, enrolled.map(String.init) ?? "", String(s.tested), String(s.exempt), String(s.incomplete),
                s.excellentRate.percentText,
                s.goodOrBetterRate.percentText, mark(meets.goodOrBetter), s.passingRate.percentText,
                mark(meets.passing), String(s.count(.fail)),
            ]
        }
        if countyRow { lines.append(line("全县", report.enrolled, report.county)) }
        for school in report.schools { lines.append(line(school.school.name, school.enrolled, school.summary)) }
        print(TextTable.render(lines))
        let missing = report.schools.filter { $0.summary.meets(t).goodOrBetter == false }.map(\.school.name)
        if !missing.isEmpty { print("\n优良率未达标：\(missing.joined(separator: "、"))") }
        if countyRow { printUnreported(report.unreported, what: "体测成绩") }
    }

    static func printTable(_ report: VisionReport) {
        print("视力筛查 \(report.term.label)（初筛）　目标：近视率每年下降 ≥ \(report.target.dropPerYearPP) 个百分点")
        print(report.settings.description)
        print(
            "对比：" + (report.previousTerm.map { "\($0.label)（去年同季）" } ?? "数据库中没有去年同季的筛查")
                + (report.baselineTerm.map { "；基线 \($0.label)" }
                    ?? (report.target.baselineYear == nil ? "；未设置基线年（设置文件 vision.baseline_year）" : "；基线年没有筛查数据")))
        print("（近视率的分母不含无法判定者；视力不良率的分母为双眼均有裸眼视力者）\n")
        var header = ["学校", "在籍", "建档率", "筛查", "无法判定", "近视率", "去年同季", "下降(百分点)", "年度目标"]
        if report.baselineTerm != nil { header += ["较基线下降", "累计目标"] }
        header += ["视力不良率", "新发近视率"]
        var lines = [header]
        func line(_ l: VisionReport.Line) -> [String] {
            var cells = [
                l.name, l.enrolled > 0 ? String(l.enrolled) : "", l.enrolled > 0 ? l.coverage.percentText : "—",
                String(l.summary.screened),
                String(l.summary.undetermined), l.summary.myopiaRate.percentText, l.yearly?.earlier.percentText ?? "—",
                l.yearly?.dropPP.map { String(format: "%+.2f", $0) } ?? "—", mark(l.yearly?.meets),
            ]
            if report.baselineTerm != nil {
                cells += [l.cumulative?.dropPP.map { String(format: "%+.2f", $0) } ?? "—", mark(l.cumulative?.meets)]
            }
            return cells + [l.summary.lowVisionRate.percentText, l.newMyopia.percentText]
        }
        lines.append(line(report.county))
        for stage in report.stages { lines.append(line(stage)) }
        for school in report.schools { lines.append(line(school)) }
        print(TextTable.render(lines))
        printUnreported(report.unreported, what: "视力筛查（初筛）")
        let missing = report.schools.filter { $0.yearly?.meets == false }.map(\.name)
        if !missing.isEmpty { print("\n近视率年度下降未达标：\(missing.joined(separator: "、"))") }
    }

    static func printTable(_ report: PsychReport) {
        print("心理筛查 \(report.term.label)　（只显示人数，不显示姓名）")
        print(report.settings.description)
        print("覆盖率为四至九年级在籍学生中有筛查记录的比例；红、橙案例应在 \(report.reviewDays) 天内复核\n")
        var lines = [["学校", "应筛(4–9年级)", "已筛", "覆盖率", "红", "橙", "黄", "观察", "不完整", "无效", "在案", "红橙按时复核", "逾期未随访"]]
        func line(_ name: String, _ c: PsychCounts) -> [String] {
            [
                name, String(c.enrolledInScope), String(c.screened),
                Rate(c.screenedInScope, of: c.enrolledInScope).percentText,
            ]
                + RiskLevel.allCases.map { String(c.byProposedLevel[$0] ?? 0) }
                + [
                    String(c.incomplete), String(c.void), String(c.openCases),
                    "\(c.urgentReviewedInTime)/\(c.urgentCases)", String(c.overdue),
                ]
        }
        lines.append(line("全县", report.county))
        for (school, counts) in report.schools { lines.append(line(school.name, counts)) }
        print(TextTable.render(lines))
    }

    private static func mark(_ value: Bool?) -> String { Verdict.label(value) }
}

/// `--format` of the commands that print a table or JSON (report, trend).
enum TableOrJSON: String, ExpressibleByArgument, CaseIterable { case table, json }

/// Columns aligned for a terminal, counting CJK characters double: the first `leftAligned`
/// columns (names, labels) to the left, the rest (figures) to the right.
enum TextTable {
    static func render(_ rows: [[String]], leftAligned: Int = 1) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], XlsxSheet.displayWidth(cell)) }
        }
        return rows.map { row in
            row.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - XlsxSheet.displayWidth(cell))
                return index < leftAligned ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }
}
