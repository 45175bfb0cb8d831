import ArgumentParser
import Foundation
import Imports
import Ingest
import Reports
import Services
import Standards
import Store

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "导入文件（一个文件一个事务；同一文件重复导入不会改变任何数据）")

    @Argument(
        help: ArgumentHelp(
            "数据类型：roster（学校名单与学籍名册）、fitness（体质健康测试成绩）、vision（视力筛查）、psych（心理筛查量表）、academic（考试成绩）、monitoring（国家质量监测报告结果）、resources（学校办学条件）、followup（学校报回的跟踪台账）",
            valueName: "类型"))
    var kind: ImportKind

    @Argument(help: ArgumentHelp("要导入的文件（.xlsx、.xls 或 .csv）", valueName: "文件"))
    var files: [String]

    @Option(
        help: ArgumentHelp("学期，如 2025-2026-1 或 2025-2026学年第一学期（resources 用 --year；monitoring 可省略）", valueName: "学期"))
    var term: Term?

    @Option(help: ArgumentHelp("考试名称（academic 必填），如 期末考试", valueName: "考试"))
    var exam: String?

    @Option(help: ArgumentHelp("统计年度（resources 必填，如 2025）；monitoring 文件没有年度列时的年度", valueName: "年度"))
    var year: Int?

    @Option(help: ArgumentHelp("文件没有学校列时，学生所属的学校（名称或学校标识码）；文件中的学校列优先", valueName: "学校"))
    var school: String?

    @Option(help: ArgumentHelp("只读取工作簿（.xlsx、.xls）中的这个工作表", valueName: "工作表"))
    var sheet: String?

    @Option(help: ArgumentHelp("视力筛查轮次：初筛 或 复筛", valueName: "轮次"))
    var round = VisionRound.screening

    @Option(help: ArgumentHelp("心理量表（psych 必填）：phq9、phq_a、gad7、mht、scl90、sdq、dsrsc、scared、cesd", valueName: "量表"))
    var scale: String?

    @Option(help: ArgumentHelp("心理筛查批次名称（默认：学期 + 量表）", valueName: "批次名称"))
    var wave: String?

    @Option(help: ArgumentHelp("心理筛查日期 yyyy-mm-dd（默认：今天）", valueName: "日期"))
    var date: String?

    @Flag(help: "任何一行有错误时整个文件都不导入（默认导入有效行并报告错误行）")
    var strict = false

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var settings: SettingsOptions

    func validate() throws {
        if kind == .psych {
            guard let scale, PsychScale.ids.contains(PsychScale.normalizedID(scale)) else {
                throw ValidationError("心理筛查需要 --scale（\(PsychScale.ids.joined(separator: "、"))）")
            }
        }
        if let term, term.startYear > Today.date.year {
            throw ValidationError("学期 \(term)（\(term.label)）还没有开始：请检查 --term，如 \(ImportService.defaultTerm(year: nil))")
        }
        if let date {
            guard let day = ValueParsing.date(date) else { throw ValidationError("--date 应写作 yyyy-mm-dd") }
            if let term, !term.schoolYearDays.contains(day) || day > Today.date {
                throw ValidationError(
                    "--date \(day) 不在\(term.label)所在的 \(term.schoolYear) 学年内（\(term.schoolYearDays.lowerBound) 至 \(term.schoolYearDays.upperBound)），或晚于今天：请给出实际的筛查日期"
                )
            }
        }
        switch kind {
        case .resources:
            guard let year else { throw ValidationError("学校办学条件需要 --year（统计年度，如 2025）") }
            guard ResourceImporter.term(ofYear: year) != nil else {
                throw ValidationError("--year \(year) 不是有效的统计年度：请写四位年份，如 2025")
            }
        case .monitoring:
            if let year, !(2000...2100).contains(year) { throw ValidationError("--year 应为 2000–2100 的年度") }
        case .academic:
            guard term != nil else { throw ValidationError("缺少 --term") }
            guard let exam, !exam.trimmingSpaces.isEmpty else { throw ValidationError("考试成绩需要 --exam（考试名称，如 期末考试）") }
        default:
            guard term != nil else { throw ValidationError("缺少 --term") }
        }
    }

    func run() throws {
        let db = try database.open()
        // --school names a school of the county's list (a typo must not create a school); only a
        // database without any school yet takes a new one.
        if let school, try !db.schools().isEmpty { _ = try database.school(school, in: db) }
        var request = ImportRequest(kind: kind, term: term ?? ImportService.defaultTerm(year: year))
        (request.school, request.sheet, request.round, request.scale, request.wave) = (
            school, sheet, round, scale, wave
        )
        (request.exam, request.year, request.mode) = (exam, year, strict ? .strict : .keepValid)
        request.screenedOn = date.flatMap(ValueParsing.date)
        let (county, limits) = try settings.load()
        (request.settings, request.limits) = (county, limits.reading)
        let service = ImportService(database: db)
        var hadErrors = false
        for (index, file) in files.enumerated() {
            let url = URL(fileURLWithPath: file)
            TerminalProgress.show("正在导入（\(index + 1)/\(files.count)）：\(url.lastPathComponent)…")
            let outcome = try service.importFile(url, request)
            TerminalProgress.clear()
            Output.printOutcome(outcome)
            // A file without data rows (a header, an untouched ledger) imported nothing: exit 1 too.
            let empty = !outcome.committed && outcome.duplicateOfBatch == nil && outcome.counts.read == 0
            hadErrors = hadErrors || outcome.hasErrors || empty
        }
        if hadErrors { throw InputHadErrors() }
    }
}

extension ImportKind: ExpressibleByArgument {}
