import ArgumentParser
import Foundation
import Ledgers
import Reports
import Store

struct TemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "写出空白导入模板（表头、填写说明、下拉选项）：resources（学校办学条件）、academic（考试成绩）、monitoring（质量监测结果）")

    @Argument(help: ArgumentHelp("模板类型：resources、academic、monitoring", valueName: "类型"))
    var kind: ImportTemplate

    @Option(help: ArgumentHelp("输出文件（默认：当前目录下的模板文件名）", valueName: "文件"))
    var out: String?

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let url = URL(fileURLWithPath: out ?? kind.fileName)
        // Schools already in the database pre-fill the resources template.
        let path = database.path
        let schools =
            kind == .resources && FileManager.default.fileExists(atPath: path)
            ? try JianceDatabase(path: path).schools() : []
        try kind.write(to: url, schools: schools)
        print("已写入 \(url.path)" + (schools.isEmpty ? "" : "（已预填 \(schools.count) 所学校）"))
    }
}

extension ImportTemplate: ExpressibleByArgument {}
