import CFreeXL
import Foundation
import Standards

/// A legacy .xls workbook (Excel 97–2003, BIFF8, as Excel, WPS, the national upload template and
/// many school platforms still write it), read through FreeXL: every sheet, shared strings in
/// UTF-16 or the workbook's code page (GBK for Chinese files), numbers, dates by their cell
/// format. Damaged and password-protected files become a `FileReadError`, never a crash.
public final class XLSWorkbook {
    public let fileName: String
    public let sheetNames: [String]
    private let path: String
    private let limits: ReadLimits

    public init(url: URL, limits: ReadLimits = ReadLimits()) throws {
        fileName = url.lastPathComponent
        path = url.path
        self.limits = limits
        let handle = try Self.open(path, fileName: fileName)
        defer { freexl_close(handle) }
        var password: UInt32 = 0
        if freexl_get_info(handle, UInt16(FREEXL_BIFF_PASSWORD), &password) == FREEXL_OK,
            password == UInt32(FREEXL_BIFF_OBFUSCATED)
        {
            throw FileReadError(file: fileName, reason: "文件设有密码（已加密），无法读取；请在 Excel/WPS 中取消密码后另存为 .xlsx 再导入")
        }
        var count: UInt32 = 0
        try Self.check(freexl_get_info(handle, UInt16(FREEXL_BIFF_SHEET_COUNT), &count), fileName)
        var names: [String] = []
        for index in 0..<min(count, UInt32(UInt16.max)) {
            var name: UnsafePointer<CChar>?
            try Self.check(freexl_get_worksheet_name(handle, UInt16(index), &name), fileName)
            names.append(name.map { String(cString: $0) } ?? "Sheet\(index + 1)")
        }
        guard !names.isEmpty else { throw FileReadError(file: fileName, reason: "文件中没有工作表") }
        sheetNames = names
    }

    /// The sheet named `name`, nil when the workbook has none of that name.
    public func sheet(named name: String) -> XLSSheet? {
        sheetNames.firstIndex(of: name).map {
            XLSSheet(path: path, fileName: fileName, index: UInt16($0), sheetName: name, limits: limits)
        }
    }

    /// Opens `path`; each pass over a sheet opens its own handle (FreeXL's active sheet is state
    /// of the handle, and a sheet may be read on another thread).
    static func open(_ path: String, fileName: String) throws -> UnsafeRawPointer {
        var handle: UnsafeRawPointer?
        let result = freexl_open(path, &handle)
        guard result == FREEXL_OK, let handle else {
            if let handle { freexl_close(handle) }
            throw FileReadError(file: fileName, reason: reason(result))
        }
        return handle
    }

    static func check(_ result: Int32, _ fileName: String) throws {
        guard result == FREEXL_OK else { throw FileReadError(file: fileName, reason: reason(result)) }
    }

    /// FreeXL's error codes as a user reads them. Every kind of damage reads the same: on a
    /// damaged file FreeXL may report a different code from one open to the next (seen in the
    /// fuzz run), and the advice is the same for all of them.
    static func reason(_ code: Int32) -> String {
        switch code {
        case FREEXL_FILE_NOT_FOUND: "文件不存在或无法读取"
        case FREEXL_INSUFFICIENT_MEMORY: "内存不足，无法读取此 .xls 文件"
        default:
            "文件已损坏、不完整，或不是有效的 Excel 97–2003（.xls）文件，无法读取；请在 Excel/WPS 中打开后另存为 .xlsx，或向发送方索取原文件"
        }
    }
}

/// One sheet of an .xls workbook as a table source.
public struct XLSSheet: TableSource {
    let path: String
    public let fileName: String
    let index: UInt16
    public let sheetName: String?
    let limits: ReadLimits
    /// FreeXL reads whole cells; nothing is found while reading that is not an error.
    public var readFindings: [Finding] { [] }

    public func forEachRow(_ body: (RawRow) throws -> Bool) throws {
        let handle = try XLSWorkbook.open(path, fileName: fileName)
        defer { freexl_close(handle) }
        try XLSWorkbook.check(freexl_select_active_worksheet(handle, index), fileName)
        var rows: UInt32 = 0
        var columns: UInt16 = 0
        try XLSWorkbook.check(freexl_worksheet_dimensions(handle, &rows, &columns), fileName)
        if Int(rows) > limits.maxRows {
            throw FileReadError(
                file: fileName,
                reason: "工作表 \(sheetName ?? "") 有 \(rows) 行，超过上限 \(limits.maxRows)（可在设置文件 limits.max_rows 中调整）")
        }
        let width = min(Int(columns), limits.maxColumns)
        var cells: [String] = []
        cells.reserveCapacity(width)
        for row in 0..<rows {
            cells.removeAll(keepingCapacity: true)
            for column in 0..<width {
                var value = FreeXL_CellValue()
                try XLSWorkbook.check(freexl_get_cell_value(handle, row, UInt16(column), &value), fileName)
                cells.append(Self.text(value))
            }
            while cells.last?.isEmpty == true { cells.removeLast() }
            guard try body(RawRow(number: Int(row) + 1, cells: cells)) else { return }
        }
    }

    /// A cell as the .xlsx reader gives it: integers without a point, the shortest text that
    /// reads back as the same number, dates `yyyy-MM-dd` (with the time only when it is not
    /// midnight), times `HH:mm:ss`.
    static func text(_ value: FreeXL_CellValue) -> String {
        switch Int32(value.type) {
        case FREEXL_CELL_INT:
            return String(value.value.int_value)
        case FREEXL_CELL_DOUBLE:
            let number = value.value.double_value
            return number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case FREEXL_CELL_TEXT, FREEXL_CELL_SST_TEXT, FREEXL_CELL_DATE, FREEXL_CELL_TIME:
            return value.value.text_value.map { String(cString: $0) } ?? ""
        case FREEXL_CELL_DATETIME:
            let text = value.value.text_value.map { String(cString: $0) } ?? ""
            return text.hasSuffix(" 00:00:00") ? String(text.dropLast(9)) : text
        default:
            return ""
        }
    }
}
