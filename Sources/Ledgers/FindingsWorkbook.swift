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

    static let columns = SheetColumns(
        [("级别", 6.0), ("文件", 24), ("工作表", 12), ("行", 6), ("列", 12), ("值", 20), ("原因", 70)].map {
            SheetColumns.Column($0.0, $0.0, width: $0.1)
        })

    /// Writes `导入问题_批次N.xlsx` into `folder`.
    public func write(to folder: URL) throws -> URL {
        let url = folder.appendingPathComponent("导入问题_批次\(batch).xlsx")
        let workbook = try LedgerFile.create(url, personalData: .named, constantMemory: false)
        let sheet = try workbook.addSheet("导入问题")
        let severities: [Finding.Severity: String] = [.error: "错误", .warning: "警告", .info: "提示"]
        let table = try Self.columns.table(on: sheet, headerRow: 0)
        for (index, finding) in findings.enumerated() {
            try table.write(
                table.firstRow + index,
                [
                    .text(severities[finding.severity] ?? ""), .optional(finding.file ?? fileName),
                    .optional(finding.sheet),
                    finding.row.map { .number(Double($0)) } ?? .blank, .optional(finding.column),
                    .optional(finding.value.map(Finding.printable)), .text(finding.message),
                ])
        }
        table.freeze()
        try sheet.printSetup(headerRow: table.headerRow, title: "导入问题清单：批次 \(batch)（\(fileName)）")
        try workbook.close()
        return url
    }
}
