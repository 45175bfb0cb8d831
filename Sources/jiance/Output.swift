import Foundation
import Standards
import Store

/// Terminal output of import outcomes: one summary line per file, then every finding.
enum Output {
    static func printOutcome(_ outcome: ImportOutcome) {
        let c = outcome.counts
        if let earlier = outcome.duplicateOfBatch {
            print("\(outcome.fileName)：已在批次 \(earlier) 中导入过，没有任何变化。")
            return
        }
        var line = "\(outcome.fileName)：读取 \(c.read) 行，接受 \(c.accepted) 行（新增 \(c.inserted)，更新 \(c.updated)，未变 \(c.unchanged)），拒绝 \(c.rejected) 行"
        if let batch = outcome.batchID { line += "；批次 \(batch)" }
        if !outcome.committed { line += "；因 --strict 且有错误，整个文件未导入" }
        if outcome.committed, outcome.batchID != nil, c.inserted == 0, c.updated == 0, c.rejected == 0 { line += "；数据库中已有相同数据，没有任何变化" }
        print(line + "。")
        printFindings(outcome.findings)
    }

    static func printFindings(_ findings: [Finding]) {
        guard !findings.isEmpty else { return }
        let errors = findings.filter { $0.severity == .error }.count
        let warnings = findings.filter { $0.severity == .warning }.count
        if errors + warnings > 0 { print("  发现 \(errors) 个错误、\(warnings) 个警告：") }
        for finding in findings.sorted(by: { ($0.severity, $0.sheet ?? "", $0.row ?? 0) < ($1.severity, $1.sheet ?? "", $1.row ?? 0) }) {
            print("  " + finding.description)
        }
    }
}
