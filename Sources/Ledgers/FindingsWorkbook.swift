import Foundation
import Standards

/// The findings of one import batch as a workbook (the web page's download): one row per
/// finding with its file, sheet, row, column, value and reason, for the school to correct its
/// file. Values may quote a name, so the file is owner-only like every named export.
public struct FindingsWorkbook {
    public var batch: Int64
    public var fileName: String
    public var findings: [Finding]

    public init(batch: Int64, fileName: String, findings: [Finding]) {
        self.batch = batch
        self.fileName = fileName
        self.findings = findings
    }

    /// Writes `导入问题_批次N.xlsx` into `folder`.
    public func write(to folder: URL) throws -> URL {
        let url = folder.appendingPathComponent("导入问题_批次\(batch).xlsx")
        let workbook = try LedgerFile.create(url, personalData: .named, constantMemory: false)
        let sheet = try workbook.addSheet("导入问题")
        let severities: [Finding.Severity: String] = [.error: "错误", .warning: "警告", .info: "提示"]
        try sheet.writeRow(0, ["级别", "文件", "工作表", "行", "列", "值", "原因"].map(CellValue.text), style: .header)
        for (index, finding) in findings.enumerated() {
            try sheet.writeRow(
                index + 1,
                [
                    .text(severities[finding.severity] ?? ""), .optional(finding.file ?? fileName),
                    .optional(finding.sheet),
                    finding.row.map { .number(Double($0)) } ?? .blank, .optional(finding.column),
                    .optional(finding.value.map(Finding.printable)), .text(finding.message),
                ])
        }
        for (column, width) in [6.0, 24, 12, 6, 12, 20, 70].enumerated() { sheet.setWidth(column, width) }
        sheet.freeze(row: 1)
        try sheet.printSetup(headerRow: 0, title: "导入问题清单：批次 \(batch)（\(fileName)）")
        try workbook.close()
        return url
    }
}
