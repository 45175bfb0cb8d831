import Foundation
import Imports
import Ingest
import Standards
import Store

/// Terminal output of import outcomes: one summary line per file, then every finding.
enum Output {
    static func printOutcome(_ outcome: ImportOutcome) {
        let c = outcome.counts
        if outcome.duplicateOfBatch != nil {
            print("\(outcome.fileName)：\(outcome.findings.first?.message ?? "已导入过，没有任何变化")。")
            return
        }
        var line =
            "\(outcome.fileName)：读取 \(c.read) 行，接受 \(c.accepted) 行（新增 \(c.inserted)，更新 \(c.updated)，未变 \(c.unchanged)），拒绝 \(c.rejected) 行"
        if let batch = outcome.batchID { line += "；批次 \(batch)" }
        if outcome.refused {
            line += "；整个文件未导入，数据库没有任何改动（原因见下方错误）"
        } else if !outcome.committed, c.read == 0 {
            line += outcome.kind == .followup ? "；台账中没有填写任何黄色列，数据库没有任何改动" : "；文件中只有表头，没有数据行，数据库没有任何改动"
        } else if !outcome.committed {
            line += "；因 --strict 且有错误，整个文件未导入"
        }
        if outcome.committed, outcome.batchID != nil, c.inserted == 0, c.updated == 0, c.rejected == 0 {
            line += "；数据库中已有相同数据，没有任何变化"
        }
        print(line + "。")
        printFindings(outcome.findings)
        let disagreements = outcome.findings.filter {
            $0.message.hasPrefix(ClaimedResult.disagreementPrefix) && $0.message.contains("按标准计算为")
        }.count
        if disagreements > 0 { print("  文件自带的总分或等级与按标准计算的结果不一致：\(disagreements) 人（见上方警告；数据库保存的是按标准计算的结果）。") }
    }

    /// Findings of one message that name their cell are listed one by one up to this many.
    static let foldedAbove = 20

    /// Every finding, with repeats of the same message in one file folded into one line that
    /// lists the rows (the batch keeps each one): always when they name no cell, and when they
    /// do, once there are more than `foldedAbove` of them, the first few cells' values shown.
    static func printFindings(_ findings: [Finding]) {
        guard !findings.isEmpty else { return }
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.filter { $0.severity == .warning }.count
        let notes = findings.filter { $0.severity == .info }.count
        if errors + warnings > 0 { print("  发现 \(errors) 个错误、\(warnings) 个警告\(notes > 0 ? "、\(notes) 条提示" : "")：") }
        struct Key: Hashable {
            var severity: Finding.Severity
            var file: String?
            var message: String
        }
        var groups: [Key: [Finding]] = [:]
        var order: [Key] = []
        for finding in findings {
            let key = Key(severity: finding.severity, file: finding.file, message: finding.message)
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(finding)
        }
        let sorted = order.sorted {
            (groups[$0]![0].severity, groups[$0]![0].row ?? 0) < (groups[$1]![0].severity, groups[$1]![0].row ?? 0)
        }
        for key in sorted {
            let members = groups[key]!
            let nameNoCell = members.allSatisfy { $0.value == nil && $0.column == nil }
            if members.count > 1 && nameNoCell || members.count > foldedAbove {
                let rows = members.compactMap(\.row)
                let shown = rows.prefix(8).map(String.init).joined(separator: "、")
                let values = members.compactMap(\.value)
                let column = Set(members.compactMap(\.column)).count == 1 ? members.first?.column ?? "" : ""
                let cells =
                    values.isEmpty
                    ? ""
                    : "（\(column)\(column.isEmpty ? "" : "：")\(values.prefix(3).joined(separator: "、"))\(values.count > 3 ? " 等" : "")）"
                print(
                    "  [\(key.severity.label)] \(key.file ?? "") 共 \(members.count) 行（第 \(shown)\(rows.count > 8 ? " 等" : " ")行）：\(key.message)\(cells)"
                )
            } else {
                for finding in members { print("  " + finding.description) }
            }
        }
    }
}
