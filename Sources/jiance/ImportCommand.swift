import ArgumentParser
import Foundation
import Ingest
import Standards
import Store

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "导入文件（一个文件一个事务；同一文件重复导入不会改变任何数据）")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case roster
        case fitness
        case vision
        case psych
        case followup
    }

    @Argument(help: "数据类型：roster（学校名单与学籍名册）、fitness（体质健康测试成绩）、vision（视力筛查）、psych（心理筛查量表）、followup（学校报回的跟踪台账）")
    var kind: Kind

    @Argument(help: "要导入的文件（.xlsx 或 .csv）")
    var files: [String]

    @Option(help: "学期，如 2025-2026-1 或 2025-2026学年第一学期")
    var term: Term

    @Option(help: "文件没有学校列时，学生所属的学校（名称或学校标识码）；文件中的学校列优先")
    var school: String?

    @Option(help: "只读取 .xlsx 中的这个工作表")
    var sheet: String?

    @Option(help: "视力筛查轮次：初筛 或 复筛")
    var round = "初筛"

    @Option(help: "心理量表（psych）：phq9、phq_a、gad7、mht、scl90、sdq、dsrsc、scared、cesd")
    var scale: String?

    @Option(help: "心理筛查批次名称（默认：学期 + 量表）")
    var wave: String?

    @Option(help: "心理筛查日期 yyyy-mm-dd（默认：今天）")
    var date: String?

    @Flag(help: "任何一行有错误时整个文件都不导入（默认导入有效行并报告错误行）")
    var strict = false

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var settings: SettingsOptions

    func validate() throws {
        guard VisionImporter.rounds.contains(round) else { throw ValidationError("--round 只能是 初筛 或 复筛") }
        if kind == .psych {
            guard let scale, PsychScale.ids.contains(PsychScale.normalizedID(scale)) else {
                throw ValidationError("心理筛查需要 --scale（\(PsychScale.ids.joined(separator: "、"))）")
            }
        }
        if let date, ValueParsing.date(date) == nil { throw ValidationError("--date 应写作 yyyy-mm-dd") }
    }

    func run() throws {
        let county = try settings.load()
        let db = try JianceDatabase(path: database.path)
        var hadErrors = false
        let mode: ImportMode = strict ? .strict : .keepValid
        for file in files {
            let url = URL(fileURLWithPath: file)
            let outcome: ImportOutcome
            let limits = try settings.limits()
            switch kind {
            case .roster:
                var importer = RosterImporter(database: db)
                importer.limits = limits
                outcome = try importer.importFile(url, term: term, mode: mode, defaultSchool: school, sheet: sheet)
            case .fitness:
                var importer = FitnessImporter(database: db, scorer: try FitnessScorer.bundled())
                importer.limits = limits
                outcome = try importer.importFile(url, term: term, mode: mode, defaultSchool: school, sheet: sheet)
            case .vision:
                var importer = VisionImporter(database: db, settings: county.vision)
                importer.limits = limits
                outcome = try importer.importFile(url, term: term, round: round, mode: mode, defaultSchool: school, sheet: sheet)
            case .psych:
                let screenedOn = date.flatMap(ValueParsing.date).map(ValueParsing.isoDate) ?? Today.iso
                var importer = PsychImporter(database: db, settings: county.psych)
                importer.limits = limits
                outcome = try importer.importFile(url, term: term, scale: PsychScale.named(scale ?? ""), wave: wave, screenedOn: screenedOn, mode: mode, defaultSchool: school, sheet: sheet)
            case .followup:
                outcome = try FollowUpImporter(database: db).importFile(url, term: term, mode: mode)
            }
            Output.printOutcome(outcome)
            hadErrors = hadErrors || outcome.hasErrors
        }
        if hadErrors { throw InputHadErrors() }
    }
}
