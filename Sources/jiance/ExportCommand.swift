import ArgumentParser
import Foundation
import Ledgers
import Standards
import Store

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "导出 Excel 台账",
        subcommands: [Ledgers.self])

    struct Ledgers: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "ledgers", abstract: "每所学校一个工作簿（学生名册与班级人数）")

        @Option(help: "学期（默认：数据库中最新的学期）")
        var term: Term?

        @Option(help: "只导出这所学校（名称或学校标识码）")
        var school: String?

        @Option(help: "输出文件夹")
        var out = "exports"

        @Flag(help: "导出未脱敏的姓名与学籍号（文件仅所有者可读，并记入审计日志）")
        var named = false

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let db = try JianceDatabase(path: database.path)
            guard let term = try term ?? RosterQueries(database: db).terms().last else {
                throw ValidationError("数据库中还没有任何学期的数据，请先导入名册")
            }
            let exporter = LedgerExporter(database: db, personalData: named ? .named : .masked)
            let files = try exporter.exportRosters(term: term, to: URL(fileURLWithPath: out), school: school)
            for file in files { print("已写入 \(file.path)") }
            if files.isEmpty { print("学期 \(term) 没有在校学生数据，未写入任何文件。") }
        }
    }
}
