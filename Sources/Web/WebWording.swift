import Foundation
import Ingest
import Services
import Standards

/// Findings and refusals are written for the command line ("请用 jiance import vision 导入",
/// "--scale phq9"); on the web the same advice names the form's fields and pages instead.
enum WebWording {
    static func adapt(_ message: String) -> String {
        var text = message
        for kind in TableKind.allCases {
            guard let label = ImportKind(rawValue: kind.importKind).flatMap({ WebServer.kindLabels[$0] }) else {
                continue
            }
            text = text.replacingOccurrences(of: kind.importAdvice, with: "请在“导入”页面选择“\(label)”上传")
        }
        let phrases: [(String, String)] = [
            ("请选择 jiance export 导出、", "请选择从本网站下载、"), ("请使用 jiance export 导出的台账", "请使用从本网站下载的台账"),
            ("用 jiance batches 查看批次号", "在“导入”页面查看批次号"),
            ("请用 jiance undo 撤销那次导入", "请由管理员在命令行用 jiance undo 撤销那次导入"),
            ("或确认后加 --force", "如确需撤销，请由管理员在命令行用 jiance undo 批次号 --force"),
            ("请核实后加 --force", "请核实；如确需撤销，请由管理员在命令行用 jiance undo 批次号 --force"),
            ("请检查 --scale 是否选对", "请检查“量表”是否选对"), ("也没有用 --school 指定学校", "也没有在“学校”一栏选择学校"),
            ("请用 --school 指定", "请在“学校”一栏选择学校"), ("（文件无年度列时请用 --year 指定）", "（文件无年度列时请在“年度”一栏填写）"),
        ]
        for (cli, web) in phrases { text = text.replacingOccurrences(of: cli, with: web) }
        text = text.replacingOccurrences(
            of: #"请用 --scale (\S+) 导入"#, with: "请在“量表”中选择 $1 后重新上传", options: .regularExpression)
        text = text.replacingOccurrences(
            of: #"请用 --term (\S+) 导入"#, with: "请把“学期”填为 $1 后重新上传", options: .regularExpression)
        return text.replacingOccurrences(of: "--term ", with: "所填学期 ")
    }

    static func adapt(_ finding: Finding) -> Finding {
        var adapted = finding
        adapted.message = adapt(finding.message)
        return adapted
    }
}
