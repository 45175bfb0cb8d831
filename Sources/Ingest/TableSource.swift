import Foundation
import Standards

/// One physical row of a sheet or CSV file: the cell texts by column index, blanks as "".
public struct RawRow: Sendable, Equatable {
    /// 1-based row number as Excel shows it, or the line where a CSV record starts.
    public var number: Int
    public var cells: [String]
    /// Columns whose cell is a formula (.xlsx): a returned ledger must carry values, and a
    /// formula's cached result may be missing or stale.
    public var formulaColumns: [Int]

    public init(number: Int, cells: [String], formulaColumns: [Int] = []) {
        self.number = number
        self.cells = cells
        self.formulaColumns = formulaColumns
    }

    public subscript(column: Int) -> String { column < cells.count ? cells[column] : "" }

    /// True when every cell is blank (after trimming spaces).
    public var isBlank: Bool { cells.allSatisfy(RawRow.isBlank) }

    /// Empty or whitespace only; a cell starting with a visible ASCII byte (most cells) is
    /// decided on its first byte.
    static func isBlank(_ cell: String) -> Bool {
        guard let first = cell.utf8.first else { return true }
        if first > 0x20 && first < 0x7F { return false }
        return cell.allSatisfy(\.isWhitespace)
    }
}

/// Safety limits for reading untrusted files; every limit is a setting with a safe default.
public struct ReadLimits: Sendable {
    /// Longest accepted cell, in bytes (Excel's own limit is 32,767 characters).
    public var maxCellBytes: Int = 32_767 * 3
    /// Most columns read from one row (Excel's limit is 16,384).
    public var maxColumns: Int = 16_384
    /// Largest uncompressed size of one .xlsx part, in bytes.
    public var maxPartBytes: UInt64 = 4 << 30
    /// Largest ratio of uncompressed to compressed size of one .xlsx part (zip bombs).
    public var maxExpansionRatio: UInt64 = 200
    /// Largest file accepted, in bytes.
    public var maxFileBytes: UInt64 = 4 << 30
    /// Most rows read from one sheet or CSV file (a province is ten million students).
    public var maxRows: Int = 20_000_000

    public init() {}
}

/// A streaming source of rows: a CSV file or one sheet of a workbook.
///
/// Rows are pushed to `body` one at a time so that no source holds a whole file in memory.
public protocol TableSource {
    var fileName: String { get }
    /// The sheet name, or nil for a CSV file.
    var sheetName: String? { get }
    /// Problems met while reading (bad bytes, over-long cells); filled as rows are read.
    var readFindings: [Finding] { get }
    /// Calls `body` for each row in order; `body` returns false to stop early.
    func forEachRow(_ body: (RawRow) throws -> Bool) throws
}

/// An error that makes a whole file unreadable (not a zip, no worksheet, unknown encoding).
public struct FileReadError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file)：\(reason)" }

    /// The same problem as a finding, for reports that gather everything.
    public var finding: Finding { Finding(.error, reason, file: file) }
}

/// Opens the tables of a file by its content and extension: every sheet of an .xlsx workbook
/// (or only `sheet` when given), or the single table of a .csv file.
public func openTables(at url: URL, sheet: String? = nil, limits: ReadLimits = ReadLimits()) throws -> [TableSource] {
    let name = url.lastPathComponent
    guard FileManager.default.isReadableFile(atPath: url.path) else {
        throw FileReadError(file: name, reason: "文件不存在或无法读取")
    }
    let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.uint64Value ?? 0
    guard size <= limits.maxFileBytes else {
        throw FileReadError(file: name, reason: "文件大小 \(size >> 20) MB 超过上限 \(limits.maxFileBytes >> 20) MB（可在设置文件 limits.max_file_mb 中调整）")
    }
    switch url.pathExtension.lowercased() {
    case "xlsx", "xlsm":
        let workbook = try XLSXWorkbook(url: url, limits: limits)
        if let sheet {
            guard let one = try workbook.sheet(named: sheet) else {
                throw FileReadError(file: name, reason: "找不到工作表“\(sheet)”（有：\(workbook.sheetNames.joined(separator: "、"))）")
            }
            return [one]
        }
        return try workbook.sheetNames.compactMap { try workbook.sheet(named: $0) }
    case "csv", "txt":
        return [try CSVTable(url: url, limits: limits)]
    case "xls":
        throw FileReadError(file: name, reason: "不支持旧版 .xls 格式，请在 Excel/WPS 中另存为 .xlsx 或 CSV")
    default:
        throw FileReadError(file: name, reason: "无法识别的文件类型“.\(url.pathExtension)”，请使用 .xlsx 或 .csv")
    }
}

/// What a file held: counts and findings; records go to the reader's callbacks as they are read.
public struct ReadSummary: Sendable {
    public var rowsRead = 0
    public var rowsRejected = 0
    public var findings: [Finding] = []
}

/// `openTables`, with a file that cannot be read reported as a finding (nil tables) rather than
/// thrown, so that a batch of files reports every bad one.
func openTables(at url: URL, sheet: String?, limits: ReadLimits, reportingTo summary: inout ReadSummary) throws -> [TableSource]? {
    do {
        return try openTables(at: url, sheet: sheet, limits: limits)
    } catch let error as FileReadError {
        summary.findings.append(error.finding)
        return nil
    }
}

/// Runs `body`, turning a table that proves unreadable part-way (a sheet cut short, a zip bomb,
/// a UTF-16 CSV) into a finding, so that the reader goes on with the other tables and the batch
/// reports every problem at once.
func readingTable(_ body: () throws -> Void) throws -> Finding? {
    do {
        try body()
        return nil
    } catch let error as FileReadError {
        return error.finding
    }
}
