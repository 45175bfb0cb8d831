import ArgumentParser
import Foundation
import Imports
import Standards
import Store

struct BatchesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batches",
        abstract: "列出导入批次：时间、类型、文件、新增与更新的行数；撤销导入时用其批次号（jiance undo 批次号）",
        discussion: "给出批次号（jiance batches 12）时，逐条列出这一批次的全部错误、警告与提示。")

    @Argument(help: ArgumentHelp("批次号：逐条列出这一批次的发现", valueName: "批次号"))
    var batch: Int64?

    @Option(help: ArgumentHelp("只列这个学期的批次", valueName: "学期"))
    var term: Term?

    @Option(help: ArgumentHelp("只列改动过这所学校数据的批次（名称或学校标识码）", valueName: "学校"))
    var school: String?

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let db = try database.existing()
        if let school { _ = try database.school(school, in: db) }
        let undo = BatchUndo(database: db)
        if let batch { return try showFindings(of: batch, undo, db) }
        let batches = try undo.batches(term: term, school: school)
        guard !batches.isEmpty else { throw NothingMatched("没有符合条件的导入批次") }
        print("批次\t导入时间\t类型\t学期\t新增\t更新\t拒绝\t文件")
        for batch in batches {
            let undone = batch.undoneBy.map { "（已在批次 \($0) 中撤销）" } ?? ""
            let columns = [
                String(batch.id), Today.localTime(batch.importedAt), batch.kind.label, batch.term,
                String(batch.inserted),
                String(batch.updated), String(batch.rejected), batch.fileName + undone,
            ]
            print(columns.joined(separator: "\t"))
        }
    }
}

extension BatchesCommand {
    /// One batch's summary and every finding it kept. A psychological screening's findings name
    /// students of a confidential file, so showing them is audited like a named export.
    private func showFindings(of batch: Int64, _ undo: BatchUndo, _ db: JianceDatabase) throws {
        guard let summary = try undo.batch(batch) else { throw NothingMatched("没有批次 \(batch)；jiance batches 列出全部批次") }
        let findings = try undo.findings(batch: batch)
        print(
            "批次 \(batch)：\(summary.kind.label)，\(summary.fileName)，\(Today.localTime(summary.importedAt))；读取 \(summary.read) 行，新增 \(summary.inserted)，更新 \(summary.updated)，拒绝 \(summary.rejected)。"
        )
        if summary.isPsych {
            try AuditLog.record(
                db, action: "view-psych-findings", target: "batch \(batch)",
                detail: "查看心理筛查批次的发现：\(summary.fileName)，\(findings.count) 条")
        }
        if findings.isEmpty { print("  这一批次没有任何错误、警告或提示。") }
        Output.printFindings(findings)
    }
}

struct UndoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "undo",
        abstract: "撤销一个导入批次：删除它新增的行，把它改动的行恢复为导入前的值（一个事务，留有历史和审计记录）",
        discussion: "若此后另有批次又改动了同样的行，默认拒绝撤销并说明是哪些批次；确认要丢掉那些较新的改动时加 --force。")

    @Argument(help: ArgumentHelp("批次号（jiance batches 列出）", valueName: "批次号"))
    var batch: Int64

    @Flag(help: "即使较新的批次改动过同样的行，也恢复到此批次之前的状态")
    var force = false

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let db = try database.existing()
        do {
            let outcome = try BatchUndo(database: db).undo(batch: batch, force: force)
            var line = "已撤销批次 \(batch)：恢复 \(outcome.restored) 行，移除 \(outcome.removed) 行"
            if outcome.casesNoted > 0 { line += "；心理台账 \(outcome.casesNoted) 个案例追加了撤销记录" }
            print(line + "（撤销记录为批次 \(outcome.undoBatch)）。")
        } catch let refusal as UndoRefusal {
            FileHandle.standardError.write(Data("未撤销：\(refusal.description)\n".utf8))
            throw InputHadErrors()
        }
    }
}
