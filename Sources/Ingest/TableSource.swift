import Foundation
import Standards

/// One physical row of a sheet or CSV file: the cell texts by column index, blanks as "".
///
/// The cells are kept as one buffer of UTF-8 bytes, each cell followed by one separator byte,
/// with the end of each cell, not as a `String` per cell: most cells of a results file are
/// numbers, read straight from their bytes (`withUTF8`), and a `String` is made only for the
/// texts a reader keeps (names, classes). The separators let a CSV reader copy a run of cells
/// with the delimiters between them at once.
public struct RawRow: Sendable, Equatable {
    /// 1-based row number as Excel shows it, or the line where a CSV record starts.
    public var number: Int
    private var utf8: [UInt8]
    /// Where each cell ends in `utf8`.
    private var ends: [Int]
    /// Columns whose cell is a formula (.xlsx): a returned ledger must carry values, and a
    /// formula's cached result may be missing or stale.
    public var formulaColumns: [Int]

    public init(number: Int, cells: [String], formulaColumns: [Int] = []) {
        self.init(number: number, cells: RawCells(cells), formulaColumns: formulaColumns)
    }

    public init(number: Int, cells: RawCells, formulaColumns: [Int] = []) {
        self.number = number
        self.utf8 = cells.utf8
        self.ends = cells.ends
        self.formulaColumns = formulaColumns
    }

    /// How many cells the row has, blank ones between them included.
    public var count: Int { ends.count }

    /// Every cell's text, for the rows read as a whole (headers, titles).
    public var cells: [String] { (0..<count).map { self[$0] } }

    public subscript(column: Int) -> String { withUTF8(column) { String(decoding: $0, as: UTF8.self) } }

    /// Calls `body` with the UTF-8 bytes of a cell (empty past the last one).
    public func withUTF8<Result>(_ column: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows
        -> Result
    {
        guard column >= 0, column < ends.count else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        let range = (column == 0 ? 0 : ends[column - 1] + 1)..<ends[column]
        return try utf8.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// Rows are equal when their numbers, cells and formula columns are (whatever byte separates
    /// the cells).
    public static func == (left: RawRow, right: RawRow) -> Bool {
        left.number == right.number && left.formulaColumns == right.formulaColumns && left.count == right.count
            && (0..<left.count).allSatisfy { column in
                left.withUTF8(column) { mine in right.withUTF8(column) { mine.hasSameBytes(as: $0) } }
            }
    }

    /// True when every cell is blank (after trimming spaces).
    public var isBlank: Bool { (0..<count).allSatisfy(isBlank) }

    /// Whether a cell is empty or whitespace only.
    public func isBlank(_ column: Int) -> Bool { withUTF8(column, Self.isBlank) }

    /// Empty or whitespace only. Most cells are decided on their first byte: a visible ASCII
    /// character, or the lead byte of a character that is never a space (in UTF-8 the non-ASCII
    /// spaces start with C2, E1, E2 or E3; a Chinese character with E4–E9).
    static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first else { return true }
        switch first {
        case 0x21...0x7E, 0xC3...0xE0, 0xE4...0xFF: return false
        default: return String(decoding: bytes, as: UTF8.self).allSatisfy(\.isWhitespace)
        }
    }
}

/// The cells of a row as a reader gathers them, one after another, for `RawRow`.
public struct RawCells: Sendable {
    fileprivate var utf8: [UInt8] = []
    fileprivate var ends: [Int] = []

    public init() {}

    /// The cells of these texts, in order.
    public init(_ texts: [String]) {
        for text in texts { append(text) }
    }

    /// Room for a row like the last one, so that a row is gathered without growing its buffers.
    public init(bytes: Int, cells: Int) {
        utf8.reserveCapacity(bytes)
        ends.reserveCapacity(cells)
    }

    public var count: Int { ends.count }

    /// The byte after each cell (any byte would do: it is never read).
    private static let separator: UInt8 = 0x2C

    /// Appends a cell given as UTF-8 bytes, which the reader has checked (ASCII, or decoded).
    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        utf8.append(contentsOf: bytes)
        endCell()
    }

    /// Appends consecutive cells at once: their UTF-8 bytes, each but the last followed by one
    /// separator byte (`bytes` starts at offset `start` of the reader's buffer), and where each
    /// ends in that buffer.
    public mutating func append(run bytes: UnsafeBufferPointer<UInt8>, from start: Int, ends: some Sequence<Int>) {
        let base = utf8.count - start
        utf8.append(contentsOf: bytes)
        for end in ends { self.ends.append(base + end) }
        utf8.append(Self.separator)
    }

    public mutating func append(_ text: String) {
        utf8.appendUTF8(text)
        endCell()
    }

    /// Appends blank cells until the next one appended is at `column`.
    public mutating func appendBlanks(upTo column: Int) {
        while ends.count < column { endCell() }
    }

    private mutating func endCell() {
        ends.append(utf8.count)
        utf8.append(Self.separator)
    }

    /// How many bytes the cells and their separators take, to size the next row's buffer.
    public var byteCount: Int { utf8.count }
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

/// Opens the tables of a file by its content, whatever its extension says (WPS saves .et files
/// that are .xls or .xlsx inside, web systems export HTML named .xls): every sheet of an .xlsx or
/// .xls workbook (or only `sheet` when given), or the single table of a .csv file.
public func openTables(at url: URL, sheet: String? = nil, limits: ReadLimits = ReadLimits()) throws -> [TableSource] {
    let name = url.lastPathComponent
    var isFolder: ObjCBool = false
    if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
        throw FileReadError(file: name, reason: "这是一个文件夹，不是表格文件；请选择文件夹中的 .xlsx、.xls 或 .csv 文件")
    }
    guard FileManager.default.isReadableFile(atPath: url.path) else {
        throw FileReadError(file: name, reason: "文件不存在或无法读取，请检查路径和文件名")
    }
    let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.uint64Value ?? 0
    guard size > 0 else {
        throw FileReadError(file: name, reason: "文件是空的（0 字节）；请检查是否选错了文件，或重新导出")
    }
    guard size <= limits.maxFileBytes else {
        throw FileReadError(
            file: name,
            reason: "文件大小 \(size >> 20) MB 超过上限 \(limits.maxFileBytes >> 20) MB（可在设置文件 limits.max_file_mb 中调整）")
    }
    func chosen(_ names: [String], _ open: (String) throws -> TableSource?) throws -> [TableSource] {
        guard let sheet else { return try names.compactMap(open) }
        guard let one = try open(sheet) else {
            throw FileReadError(file: name, reason: "找不到工作表“\(sheet)”（有：\(names.joined(separator: "、"))）")
        }
        return [one]
    }
    switch try FileFormat(of: url) {
    case .xlsx:
        let workbook = try XLSXWorkbook(url: url, limits: limits)
        return try chosen(workbook.sheetNames) { try workbook.sheet(named: $0) }
    case .xls:
        let workbook = try XLSWorkbook(url: url, limits: limits)
        return try chosen(workbook.sheetNames) { workbook.sheet(named: $0) }
    case .html:
        throw FileReadError(
            file: name, reason: "这是网页（HTML）格式的文件，只是扩展名为 .\(url.pathExtension)；请在 Excel/WPS 中打开后另存为 .xlsx 再导入")
    case .text:
        return [try CSVTable(url: url, limits: limits)]
    case .unknown:
        throw FileReadError(file: name, reason: "无法识别的文件类型“.\(url.pathExtension)”：请使用 .xlsx、.xls 或 .csv 文件")
    }
}

/// What a file is, from its first bytes (and its extension only for plain text).
enum FileFormat {
    case xlsx, xls, html, text, unknown

    init(of url: URL) throws {
        let head: Data
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            head = try handle.read(upToCount: 512) ?? Data()
        } catch {
            throw FileReadError(file: url.lastPathComponent, reason: "文件不存在或无法读取，请检查路径和文件名")
        }
        let bytes = [UInt8](head)
        let textual = ["csv", "txt"].contains(url.pathExtension.lowercased())
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) || bytes.starts(with: [0x50, 0x4B, 0x05, 0x06]) {
            self = .xlsx
        } else if bytes.starts(with: [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            self = .xls
        } else if !textual, let text = String(data: head, encoding: .utf8) ?? String(data: head, encoding: .isoLatin1),
            ["<html", "<!doctype html", "<table", "<?xml"].contains(
                where: text.lowercased().trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix)
        {
            self = .html
        } else if textual {
            self = .text
        } else if ["xlsx", "xlsm", "xls", "et", "ett"].contains(url.pathExtension.lowercased()) {
            // A workbook by name whose bytes are neither: the .xlsx reader says why (not a zip).
            self = bytes.isEmpty ? .text : .xlsx
        } else {
            self = .unknown
        }
    }
}

/// What a file held: counts and findings; records go to the reader's callbacks as they are read.
public struct ReadSummary: Sendable {
    public var rowsRead = 0
    public var rowsRejected = 0
    public var findings: [Finding] = []

    /// Rows were rejected or a table could not be read, as `ImportOutcome.hasErrors` says of an import.
    public var hasErrors: Bool { rowsRejected > 0 || findings.contains { $0.severity == .error } }
}

/// `openTables`, with a file that cannot be read reported as a finding (nil tables) rather than
/// thrown, so that a batch of files reports every bad one.
func openTables(at url: URL, sheet: String?, limits: ReadLimits, reportingTo summary: inout ReadSummary) throws
    -> [TableSource]?
{
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
