import ArgumentParser
import Foundation
import Ledgers
import Standards
import Store

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "在 samples/ 上运行完整流程：新建数据库、导入、导出台账到 exports/")

    @Option(help: "示例数据文件夹")
    var samples = "samples"

    @Option(help: "输出文件夹")
    var out = "exports"

    func run() throws {
        let outFolder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: outFolder, withIntermediateDirectories: true)
        let dbPath = outFolder.appendingPathComponent("demo.sqlite").path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dbPath + suffix) }
        let db = try JianceDatabase(path: dbPath)
        guard let term = Term("2025-2026-1") else { return }
        let sampleFolder = URL(fileURLWithPath: samples)
        let rosterFolder = sampleFolder.appendingPathComponent("roster")
        let rosterFiles = try FileManager.default.contentsOfDirectory(at: rosterFolder, includingPropertiesForKeys: nil)
            .filter { ["xlsx", "csv"].contains($0.pathExtension.lowercased()) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        print("== 导入学校名单与学籍名册（\(term.label)）==")
        let importer = RosterImporter(database: db)
        var findings = 0
        for url in [sampleFolder.appendingPathComponent("学校名单.xlsx")] + rosterFiles {
            let outcome = try importer.importFile(url, term: term)
            Output.printOutcome(outcome)
            findings += outcome.findings.count
        }
        print("\n== 导出各校学生名册（脱敏）==")
        let files = try LedgerExporter(database: db).exportRosters(term: term, to: outFolder)
        for file in files { print("已写入 \(file.path)") }
        let queries = RosterQueries(database: db)
        let counts = try queries.enrolmentCounts(term: term)
        print("\n== 概况 ==")
        print("学校 \(try queries.schools().count) 所，在校学生 \(counts.values.reduce(0, +)) 人，问题 \(findings) 条，工作簿 \(files.count) 个。")
        print("数据库：\(dbPath)")
    }
}
