import ArgumentParser
import Foundation
import Indicators
import Ledgers
import Reports
import Services
import Standards
import Store

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "导出 Excel 台账",
        subcommands: [SchoolLedgers.self, County.self, Trend.self, Upload.self, Psych.self, Notices.self, Records.self])

    /// Options shared by every export.
    struct Common: ParsableArguments {
        @Option(help: ArgumentHelp("学期（默认：数据库中最新的学期）", valueName: "学期"))
        var term: Term?

        @Option(help: ArgumentHelp("输出文件夹", valueName: "文件夹"))
        var out = "exports"

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var settings: SettingsOptions

        /// The exporter, the term (the latest with data by default; a term without any is named)
        /// and the folder; `school` is checked to exist.
        func resolve(named: Bool = false, school: String? = nil) throws -> (ExportService, Term, URL) {
            let db = try database.existing()
            if let school { _ = try database.school(school, in: db) }
            let terms = try RosterQueries(database: db).terms()
            guard let term = term ?? terms.last else { throw NothingMatched("数据库中还没有任何学期的数据，请先用 jiance import 导入") }
            guard terms.contains(term) else {
                throw NothingMatched(
                    "学期 \(term) 没有数据"
                        + (terms.isEmpty ? "" : "（有数据的学期：\(terms.map(\.description).joined(separator: "、"))）"))
            }
            return (
                ExportService(
                    database: db, personalData: named ? .named : .masked, settings: try settings.load().county),
                term, URL(fileURLWithPath: out)
            )
        }
    }

    /// The school and, optionally, the class of a printed export (notices, records).
    struct SchoolClass: ParsableArguments {
        @Option(help: ArgumentHelp("学校（名称或学校标识码）", valueName: "学校"))
        var school: String

        @Option(name: .customLong("class"), help: ArgumentHelp("只导出这个班级（如 三年级2班 或 2班）", valueName: "班级"))
        var className: String?
    }

    struct SchoolLedgers: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ledgers", abstract: "每所学校一个台账工作簿（名册、班级人数、体质与视力概览和明细、跟踪台账、趋势）")

        @OptionGroup var common: Common

        @Option(help: ArgumentHelp("只导出这所学校（名称或学校标识码）", valueName: "学校"))
        var school: String?

        @Flag(help: "导出未脱敏的姓名与学籍号（文件仅所有者可读，并记入审计日志）")
        var named = false

        func run() throws {
            let (exporter, term, out) = try common.resolve(named: named, school: school)
            let files: [URL]
            do {
                files = try exporter.exportSchoolLedgers(term: term, to: out, school: school)
            } catch let partial as PartialExport {
                for file in partial.written { print("已写入 \(file.path)") }
                FileHandle.standardError.write(Data("以下学校的台账未能写入（其余已写入）：\n\(partial.description)\n".utf8))
                throw InputHadErrors()
            }
            for file in files { print("已写入 \(file.path)") }
            if files.isEmpty {
                throw NothingMatched("学期 \(term) 没有\(school.map { "“\($0)”的" } ?? "任何学校的")名册或成绩，未写入任何文件")
            }
        }
    }

    struct County: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "county", abstract: "县级汇总与自评工作簿（自评汇总、资源配置、学业质量、体质健康、视力、心理健康人数；不含个人信息）")

        @OptionGroup var common: Common

        func run() throws {
            let (exporter, term, out) = try common.resolve()
            print("已写入 \(try exporter.exportCounty(term: term, to: out, today: Today.date).path)")
        }
    }

    struct Trend: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trend", abstract: "趋势工作簿：全县与各校各项指标逐学期变化、目标线、队列跟踪、需关注学校（不含个人信息）")

        @Option(help: ArgumentHelp("起始学期（默认：最早有数据的学期）", valueName: "学期"))
        var from: Term?

        @Option(help: ArgumentHelp("结束学期（默认：最新有数据的学期）", valueName: "学期"))
        var to: Term?

        @Option(help: ArgumentHelp("输出文件夹", valueName: "文件夹"))
        var out = "exports"

        @OptionGroup var database: DatabaseOptions
        @OptionGroup var settings: SettingsOptions

        func run() throws {
            if let from, let to, from > to { throw ValidationError("--from \(from) 晚于 --to \(to)；起始学期应在前") }
            let exporter = ExportService(database: try database.existing(), settings: try settings.load().county)
            print("已写入 \(try exporter.exportTrend(from: from, to: to, folder: URL(fileURLWithPath: out)).path)")
        }
    }

    struct Psych: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "psych", abstract: "导出一所学校的心理危机干预台账（机密：仅所有者可读，默认脱敏，每次导出记入审计日志）")

        @Option(help: ArgumentHelp("输出文件夹", valueName: "文件夹"))
        var out = "exports"

        @Option(help: ArgumentHelp("学校（名称或学校标识码）", valueName: "学校"))
        var school: String

        @Flag(help: "导出未脱敏的姓名与学籍号")
        var unmask = false

        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let db = try database.existing()
            _ = try database.school(school, in: db)
            let url = try ExportService(database: db, personalData: unmask ? .named : .masked).exportPsych(
                school: school, to: URL(fileURLWithPath: out), date: Today.date)
            let cases = try PsychQueries(database: db).cases(schoolID: try database.school(school, in: db).id).count
            print("已写入 \(url.path)（案例 \(cases) 个\(cases == 0 ? "：本校目前没有心理危机干预案例" : "")；仅所有者可读，已记入审计日志）")
        }
    }

    struct Upload: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "upload", abstract: "按国家体质健康数据上报模板导出一所学校的成绩（含姓名，仅所有者可读，记入审计日志）")

        @OptionGroup var common: Common

        @Option(help: ArgumentHelp("学校（名称或学校标识码）", valueName: "学校"))
        var school: String

        func run() throws {
            let (exporter, term, out) = try common.resolve(school: school)
            print("已写入 \(try exporter.exportUpload(term: term, school: school, to: out).path)")
        }
    }

    struct Notices: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "notices", abstract: "给家长的告知书（每名学生一页，含姓名；仅所有者可读，记入审计日志）",
            subcommands: [Fitness.self, Vision.self])

        static func report(_ url: URL, count: Int, perSheet: Int) {
            let layout = perSheet == 2 ? "每张 A4 横排两份（A5，沿中线剪开）" : "每份一页"
            print("已写入 \(url.path)（告知书 \(count) 份，\(layout)；含学生姓名，仅所有者可读，已记入审计日志）")
        }

        struct Fitness: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "fitness",
                abstract: "体质健康测试结果告知书：各项成绩、得分与等级、学年总分与等级、与上一学年的变化、针对薄弱项目与 BMI 的锻炼建议和家长回执；每个班一个工作表，每名学生一页")

            @OptionGroup var common: Common

            @OptionGroup var target: SchoolClass

            func run() throws {
                let (exporter, term, out) = try common.resolve(school: target.school)
                let (url, count) = try exporter.exportFitnessNotices(
                    school: target.school, className: target.className, term: term, to: out, date: Today.date)
                Notices.report(url, count: count, perSheet: exporter.settings.noticesPerSheet)
            }
        }

        struct Vision: ParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "vision", abstract: "视力筛查结果告知书：双眼结果、通俗的结论、是否需到医疗机构检查、预防建议和家长回执；每个班一个工作表，每名学生一页")

            @OptionGroup var common: Common

            @OptionGroup var target: SchoolClass

            @Option(help: ArgumentHelp("筛查轮次", valueName: "轮次"))
            var round = VisionRound.screening

            func run() throws {
                let (exporter, term, out) = try common.resolve(school: target.school)
                let (url, count) = try exporter.exportVisionNotices(
                    school: target.school, className: target.className, term: term, round: round, to: out,
                    date: Today.date)
                Notices.report(url, count: count, perSheet: exporter.settings.noticesPerSheet)
            }
        }
    }

    struct Records: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "records",
            abstract:
                "学生健康档案：每名学生一页（在籍情况、身高体重与 BMI、体测各项与学年总分、毕业成绩、视力筛查与复查，两次以上数据附身高、BMI 与学年总分折线图）；每个班一个工作表，默认脱敏；仅所有者可读，记入审计日志"
        )

        @OptionGroup var common: Common

        @OptionGroup var target: SchoolClass

        @Flag(help: "显示完整的姓名与学籍号")
        var named = false

        func run() throws {
            let (exporter, term, out) = try common.resolve(named: named, school: target.school)
            let (url, count) = try exporter.exportRecords(
                school: target.school, className: target.className, term: term, to: out)
            print(
                "已写入 \(url.path)（健康档案 \(count) 份，每名学生一页；\(named ? "含学生姓名" : "姓名与学籍号已脱敏")，仅所有者可读，已记入审计日志）")
        }
    }
}
