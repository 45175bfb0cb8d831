import ArgumentParser
import Foundation
import Services
import Store
import Web

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "启动网页服务：教育局、各学校和心理教师用浏览器上传文件、查看结果、下载台账",
        discussion: """
            默认只在本机（127.0.0.1）提供服务；要让局域网内的学校访问，用 --host 0.0.0.0。
            启动前须先用 jiance user add 创建至少一个教育局账号。按 Ctrl+C 停止（正在处理的请求会先完成）。
            设置文件的 limits 部分可设 max_upload_mb（每次上传的总大小，默认 100）和 max_upload_files（默认 20）。
            """)

    @Option(help: ArgumentHelp("监听地址：127.0.0.1 仅本机，0.0.0.0 为局域网", valueName: "地址"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("端口（0 为任选一个空闲端口，启动时显示）", valueName: "端口"))
    var port = 8080

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var settings: SettingsOptions

    func run() async throws {
        guard (0...65535).contains(port) else { throw ValidationError("端口应在 0–65535 之间（0 为任选一个空闲端口）") }
        let db = try database.existing()
        guard try AccountStore(database: db).hasCountyAccount else {
            throw NothingMatched(
                "数据库 \(db.path) 中还没有教育局账号，网页服务未启动；请先创建（密码\(AccountService.passwordRule)）：echo '你的密码' | jiance user add 账号名 --role county --password-stdin --db \(db.path)"
            )
        }
        var configuration = WebConfiguration()
        configuration.host = host
        configuration.port = port
        let (county, limits) = try settings.load()
        configuration.settings = county
        configuration.readLimits = limits.reading
        if let megabytes = limits.maxUploadMB { configuration.maxUploadBytes = megabytes << 20 }
        if let files = limits.maxUploadFiles { configuration.maxUploadFiles = files }
        let server = WebServer(database: db, configuration: configuration)
        do {
            try await server.run { address in
                FileHandle.standardOutput.write(Data("监测网页服务已启动：\(address)（数据库 \(db.path)；按 Ctrl+C 停止）\n".utf8))
            }
        } catch  where "\(error)".contains("Address already in use") {
            throw NothingMatched("端口 \(port) 已被占用（也许网页服务已经在运行）；请用 --port 指定其他端口，如 --port \(port + 1)")
        } catch  where "\(error)".contains("Cannot assign requested address") || "\(error)".contains("not resolve") {
            throw NothingMatched("无法在地址 \(host) 上提供服务；本机请用 127.0.0.1，局域网请用 0.0.0.0")
        }
        print("网页服务已停止。")
    }
}

struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "网页服务的账号：新建、列出、改密码、停用",
        subcommands: [Add.self, List.self, Passwd.self, Disable.self])

    /// The password from standard input (one line), never from an argument a process list shows.
    static func readPassword() throws -> String {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw ValidationError("没有从标准输入读到密码；用法：echo '密码' | jiance user … --password-stdin")
        }
        return line
    }

    /// A request no account may satisfy is a usage mistake (exit 2, with the command's usage);
    /// an account that exists already, or is missing, is about the database (exit 1).
    static func run(_ body: () throws -> Void) throws {
        do { try body() } catch let problem as AccountProblem {
            if problem.isInvalidRequest { throw ValidationError(problem.description) }
            throw NothingMatched(problem.description)
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "add", abstract: "新建账号")

        @Argument(help: ArgumentHelp("账号名", valueName: "账号名")) var name: String
        @Option(help: ArgumentHelp("角色：county（教育局）、school（学校）、psych（心理教师）", valueName: "角色")) var role:
            AccountRoleArgument
        @Option(help: ArgumentHelp("学校（名称或学校标识码；学校和心理教师账号必填）", valueName: "学校")) var school: String?
        @Flag(help: "从标准输入读取密码（必填）") var passwordStdin = false
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            guard passwordStdin else { throw ValidationError("请用 --password-stdin 从标准输入给出密码（不在命令行上写密码）") }
            let db = try database.open()
            let schoolInfo = try school.map { try database.school($0, in: db) }
            let password = try UserCommand.readPassword()
            try UserCommand.run {
                let account = try AccountService(database: db).add(
                    name: name, role: role.role, school: schoolInfo, password: password)
                print("已创建账号 \(account.name)（\(account.role.label)\(account.school.map { "，\($0.name)" } ?? "")）")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "列出账号")
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let accounts = try AccountStore(database: try database.existing()).all()
            guard !accounts.isEmpty else { throw NothingMatched("还没有账号；请用 jiance user add 创建") }
            print("账号\t角色\t学校\t状态")
            for account in accounts {
                print(
                    [account.name, account.role.label, account.school?.name ?? "—", account.disabled ? "已停用" : "正常"]
                        .joined(separator: "\t"))
            }
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "passwd", abstract: "修改密码（也解除锁定）")
        @Argument(help: ArgumentHelp("账号名", valueName: "账号名")) var name: String
        @Flag(help: "从标准输入读取新密码（必填）") var passwordStdin = false
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            guard passwordStdin else { throw ValidationError("请用 --password-stdin 从标准输入给出新密码") }
            let db = try database.existing()
            let password = try UserCommand.readPassword()
            try UserCommand.run {
                try AccountService(database: db).setPassword(name: name, password: password)
                print("已修改账号 \(name) 的密码；该账号正在使用的会话将在下次请求时失效")
            }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "disable", abstract: "停用账号（不删除，审计日志中的记录保留）")
        @Argument(help: ArgumentHelp("账号名", valueName: "账号名")) var name: String
        @OptionGroup var database: DatabaseOptions

        func run() throws {
            let db = try database.existing()
            try UserCommand.run {
                try AccountService(database: db).disable(name: name)
                print("已停用账号 \(name)；正在使用的会话将在下次请求时失效")
            }
        }
    }
}

/// `--role` as the command line spells it.
struct AccountRoleArgument: ExpressibleByArgument {
    var role: AccountRole
    init?(argument: String) {
        guard let role = AccountRole(rawValue: argument) else { return nil }
        self.role = role
    }
    static var allValueStrings: [String] { AccountRole.allCases.map(\.rawValue) }
}
