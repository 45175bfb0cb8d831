import ArgumentParser
import Foundation
import GRDB
import Indicators
import Ingest
import Ledgers
import Reports
import Services
import Standards
import Store

struct Jiance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jiance",
        abstract: "监测：学生体质、视力、心理与学业质量监测台账工具",
        discussion: """
            退出码：0 成功；1 输入有错误或请求没有匹配的数据（已列出全部问题，没有写入半截数据）；2 用法错误。
            数据库默认为当前目录的 jiance.sqlite，可用 --db 或环境变量 JIANCE_DB 指定。
            """,
        subcommands: [
            ImportCommand.self, BatchesCommand.self, UndoCommand.self, ScoreCommand.self, ReportCommand.self,
            RecordCommand.self,
            TrendCommand.self, ExportCommand.self, TemplateCommand.self, SamplesCommand.self, DemoCommand.self,
            ServeCommand.self, UserCommand.self,
        ]
    )
}

/// Options every command that touches the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("数据库文件（默认 $JIANCE_DB 或 ./jiance.sqlite）", valueName: "数据库文件"))
    var db: String?

    var path: String { JianceDatabase.resolvePath(db) }

    /// The database, created when it does not exist yet (imports), and then named on standard
    /// error with its full path: a mistyped --db must not send a county's data somewhere unseen.
    func open() throws -> JianceDatabase {
        do {
            let created = !FileManager.default.fileExists(atPath: path)
            let database = try JianceDatabase(path: path)
            if created {
                let full = URL(fileURLWithPath: path).standardizedFileURL.path
                FileHandle.standardError.write(Data("已新建数据库 \(full)\n".utf8))
            }
            return database
        } catch let error as DatabaseError {
            let reason =
                error.resultCode == .SQLITE_NOTADB
                ? "不是 Jiance 数据库，或已损坏" : "无法打开（\(error.message ?? "SQLite 错误 \(error.resultCode.rawValue)")）"
            throw NothingMatched("数据库文件 \(path) \(reason)；请检查 --db 或 $JIANCE_DB 指向的文件")
        } catch let error as CocoaError {
            throw NothingMatched("无法创建或打开数据库文件 \(path)（\(error.localizedDescription)）；请检查文件夹是否存在、是否有写入权限")
        }
    }

    /// The database of a command that only reads or changes what is stored: a path that does
    /// not exist is a typo, not a new empty database.
    func existing() throws -> JianceDatabase {
        guard FileManager.default.fileExists(atPath: path) else {
            throw NothingMatched("数据库文件 \(path) 不存在；请检查 --db 或 $JIANCE_DB，或先用 jiance import 导入数据")
        }
        return try open()
    }

    /// The school named or coded `reference`, or an error that names the schools it may mean.
    func school(_ reference: String, in database: JianceDatabase) throws -> SchoolInfo {
        if let school = try RosterQueries(database: database).school(reference) { return school }
        let names = try database.schools().map(\.name)
        guard !names.isEmpty else {
            throw NothingMatched(
                "数据库 \(path) 中还没有任何学校；请先用 jiance import roster 导入学校名单，再指定学校“\(Finding.printable(reference))”")
        }
        let near = names.filter { name in
            name.contains(reference) || reference.contains(name)
                || Set(name).intersection(reference).count >= max(2, reference.count / 2)
        }
        throw NothingMatched(
            "数据库中没有学校“\(Finding.printable(reference))”"
                + (near.isEmpty ? "；学校名称或标识码请与学校名单一致" : "；相近的有：\(near.prefix(5).joined(separator: "、"))"))
    }
}

/// A file-system error as a person reads it: which path, what went wrong, what to do.
func fileProblem(_ error: CocoaError) -> String {
    let path = (error.userInfo[NSFilePathErrorKey] as? String) ?? error.userInfo[NSURLErrorKey].map { "\($0)" } ?? ""
    let reason =
        switch error.code {
        case .fileWriteFileExists: "已有同名文件（输出位置应是一个文件夹）"
        case .fileWriteNoPermission, .fileReadNoPermission: "没有读写权限"
        case .fileNoSuchFile, .fileReadNoSuchFile: "文件或文件夹不存在"
        case .fileWriteOutOfSpace: "磁盘空间不足"
        default: "无法读写"
        }
    return "\(path.isEmpty ? "文件" : path)：\(reason)；请检查 --out、--db 等路径和权限"
}

/// Exit code 1: the request matched nothing (no such school, term or database); the message
/// says what there is instead. Usage errors (a malformed option) stay exit code 2.
struct NothingMatched: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The county settings file: `--settings`, else `$JIANCE_SETTINGS`, else `jiance-settings.json`
/// in the working directory when it exists, else the defaults.
struct SettingsOptions: ParsableArguments {
    @Option(help: ArgumentHelp("县级设置文件（JSON；默认 $JIANCE_SETTINGS 或 ./jiance-settings.json）", valueName: "设置文件"))
    var settings: String?

    private var path: String? {
        settings ?? ProcessInfo.processInfo.environment["JIANCE_SETTINGS"]
            ?? (FileManager.default.fileExists(atPath: "jiance-settings.json") ? "jiance-settings.json" : nil)
    }

    /// The file read and decoded once: the county settings and its `limits` section, so that the
    /// two can never be read from different versions of the file.
    func load() throws -> (county: CountySettings, limits: SettingsFile.Limits) {
        guard let path else { return (CountySettings(), SettingsFile.Limits()) }
        guard FileManager.default.fileExists(atPath: path) else {
            throw SettingsProblem(description: "设置文件 \(path) 不存在；请检查 --settings 或 $JIANCE_SETTINGS")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SettingsProblem(description: "无法读取设置文件 \(path)")
        }
        do {
            let file = try SettingsFile(json: data)
            return (try CountySettings(file), file.limits ?? SettingsFile.Limits())
        } catch {
            throw SettingsProblem(description: "设置文件 \(path)：\(error)")
        }
    }
}

/// A settings file that cannot be used: a usage mistake (exit 2), but about the file, so the
/// command's usage is not printed after it.
struct SettingsProblem: Error, CustomStringConvertible {
    var description: String
}

extension SettingsFile.Limits {
    /// The readers' limits: the section's keys over the safe defaults of `ReadLimits`.
    var reading: ReadLimits {
        var limits = ReadLimits()
        if let mb = maxFileMB { limits.maxFileBytes = UInt64(mb) << 20 }
        if let rows = maxRows { limits.maxRows = rows }
        // A character takes up to three bytes of UTF-8.
        if let chars = maxCellChars { limits.maxCellBytes = min(chars, Int.max / 3) * 3 }
        if let columns = maxColumns { limits.maxColumns = columns }
        if let ratio = maxExpansionRatio { limits.maxExpansionRatio = UInt64(ratio) }
        return limits
    }
}

extension VisionRound: ExpressibleByArgument {}

extension Term: ExpressibleByArgument {
    public init?(argument: String) { self.init(argument) }
}

/// Exit code 1: the input had errors (they were printed).
struct InputHadErrors: Error {}

@main
enum Main {
    /// A mistyped command or subcommand ("improt", "export notice") is named with the one
    /// meant and the list of those available; the parser would call it unexpected arguments.
    static func rejectUnknownCommand() {
        var command: ParsableCommand.Type = Jiance.self
        var path = ["jiance"]
        for word in CommandLine.arguments.dropFirst() {
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, !word.hasPrefix("-"), word != "help" else { return }
            guard let next = subcommands.first(where: { $0.configuration.commandName == word }) else {
                let names = subcommands.map { $0.configuration.commandName ?? "" }
                let meant = ChineseUsage.suggestion(for: word, among: names).map { "是否想用 \($0)？" } ?? ""
                let kind = path.count == 1 ? "命令" : "子命令"
                let scope = path.count == 1 ? "" : path.joined(separator: " ") + " "
                FileHandle.standardError.write(
                    Data(
                        "错误：\(scope)没有\(kind)“\(Finding.printable(word))”；\(meant)可用的\(kind)：\(names.joined(separator: "、"))（\(path.joined(separator: " ")) --help 查看说明）\n"
                            .utf8))
                Foundation.exit(2)
            }
            command = next
            path.append(word)
        }
    }

    static func main() async {
        rejectUnknownCommand()
        /// The command being run, so that a usage error found while running it shows its own usage.
        var running: ParsableCommand.Type?
        do {
            var command = try Jiance.parseAsRoot()
            running = type(of: command)
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch is InputHadErrors {
            Foundation.exit(1)
        } catch let nothing as NothingMatched {
            FileHandle.standardError.write(Data("错误：\(nothing.description)\n".utf8))
            Foundation.exit(1)
        } catch let nothing as NothingToExport {
            FileHandle.standardError.write(Data("错误：\(nothing.description)，未写入任何文件\n".utf8))
            Foundation.exit(1)
        } catch let error as CocoaError {
            FileHandle.standardError.write(Data("错误：\(fileProblem(error))\n".utf8))
            Foundation.exit(1)
        } catch let problem as SettingsProblem {
            FileHandle.standardError.write(Data("错误：\(problem.description)\n".utf8))
            Foundation.exit(2)
        } catch let invalid as ValidationError where running != nil && running != Jiance.self {
            // Found while running (a missing --password-stdin): the command's own usage, exit 2.
            let usage = ChineseUsage.translate(Jiance.usageString(for: running ?? Jiance.self))
            let path = usage.split(separator: " ").prefix { !"<[-".contains($0.first ?? "<") }.joined(separator: " ")
            FileHandle.standardError.write(
                Data("错误：\(invalid.message)\n用法：\(usage)\n  用 \(path) --help 查看完整用法。\n".utf8))
            Foundation.exit(2)
        } catch {
            let code = Jiance.exitCode(for: error)
            let message = ChineseUsage.translate(Jiance.fullMessage(for: error))
            if code == .success {
                print(message)
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((message + "\n").utf8))
            // Usage errors exit 2 (DESIGN.md); other failures (I/O, database) exit 1.
            Foundation.exit(code == .validationFailure ? 2 : 1)
        }
    }
}
