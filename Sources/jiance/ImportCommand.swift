import ArgumentParser
import Foundation
import Standards
import Store

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "导入文件（一个文件一个事务；同一文件重复导入不会改变任何数据）")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case roster
        case fitness
    }

    @Argument(help: "数据类型：roster（学校名单与学籍名册）、fitness（国家学生体质健康标准测试成绩）")
    var kind: Kind

    @Argument(help: "要导入的文件（.xlsx 或 .csv）")
    var files: [String]

    @Option(help: "学期，如 2025-2026-1 或 2025-2026学年第一学期")
    var term: Term

    @Option(help: "文件没有学校列时，学生所属的学校（名称或学校标识码）；文件中的学校列优先")
    var school: String?

    @Option(help: "只读取 .xlsx 中的这个工作表")
    var sheet: String?

    @Flag(help: "任何一行有错误时整个文件都不导入（默认导入有效行并报告错误行）")
    var strict = false

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let db = try JianceDatabase(path: database.path)
        var hadErrors = false
        let mode: ImportMode = strict ? .strict : .keepValid
        for file in files {
            let url = URL(fileURLWithPath: file)
            let outcome: ImportOutcome
            switch kind {
            case .roster:
                outcome = try RosterImporter(database: db).importFile(url, term: term, mode: mode, defaultSchool: school, sheet: sheet)
            case .fitness:
                outcome = try FitnessImporter(database: db, scorer: FitnessScorer.bundled()).importFile(url, term: term, mode: mode, defaultSchool: school, sheet: sheet)
            }
            Output.printOutcome(outcome)
            hadErrors = hadErrors || outcome.hasErrors
        }
        if hadErrors { throw InputHadErrors() }
    }
}
