import CXlsxWriter
import Foundation

/// A libxlsxwriter error as a Swift error: the C code, its message, and what was being done.
/// Modelled on GRDB's `DatabaseError`; no libxlsxwriter result is ever ignored.
public struct XlsxError: Error, CustomStringConvertible, Sendable {
    public var code: UInt32
    public var message: String
    public var context: String

    init(_ error: lxw_error, _ context: String) {
        code = error.rawValue
        message = Self.chinese(error)
        self.context = context
    }

    /// libxlsxwriter's messages are English; users read these instead, with what to do next.
    private static func chinese(_ error: lxw_error) -> String {
        switch error {
        case LXW_ERROR_MEMORY_MALLOC_FAILED: "内存不足，请关闭其他程序后重试"
        case LXW_ERROR_CREATING_XLSX_FILE: "无法创建文件：文件名过长、文件夹不存在或没有写入权限；请换一个较短的输出文件夹（--out）"
        case LXW_ERROR_CREATING_TMPFILE, LXW_ERROR_READING_TMPFILE: "无法使用临时文件，请检查磁盘空间和临时文件夹权限"
        case LXW_ERROR_ZIP_FILE_OPERATION, LXW_ERROR_ZIP_PARAMETER_ERROR, LXW_ERROR_ZIP_BAD_ZIP_FILE,
            LXW_ERROR_ZIP_INTERNAL_ERROR,
            LXW_ERROR_ZIP_FILE_ADD, LXW_ERROR_ZIP_CLOSE:
            "写入压缩包失败，请检查磁盘空间后重试"
        case LXW_ERROR_SHEETNAME_LENGTH_EXCEEDED: "工作表名称超过 31 个字符"
        case LXW_ERROR_INVALID_SHEETNAME_CHARACTER, LXW_ERROR_SHEETNAME_START_END_APOSTROPHE: "工作表名称含有 Excel 不允许的字符"
        case LXW_ERROR_SHEETNAME_ALREADY_USED: "工作表名称重复"
        case LXW_ERROR_32_STRING_LENGTH_EXCEEDED, LXW_ERROR_128_STRING_LENGTH_EXCEEDED,
            LXW_ERROR_255_STRING_LENGTH_EXCEEDED:
            "文字超过 Excel 在此处允许的长度（如页眉、列表或名称），请缩短学校或班级名称"
        case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED: "单元格文字超过 Excel 上限 32767 个字符"
        default: "写入出错（libxlsxwriter 错误 \(error.rawValue)）"
        }
    }

    init(message: String, context: String) {
        code = 0
        self.message = message
        self.context = context
    }

    public var description: String { "写入 Excel 失败（\(context)）：\(message)" }
}

/// Throws when a libxlsxwriter call failed.
func check(_ result: lxw_error, _ context: @autoclosure () -> String) throws {
    guard result == LXW_NO_ERROR else { throw XlsxError(result, context()) }
}

/// A cell value. Text is always written as a string cell, so input such as `=1+1` or `@SUM`
/// can never become a formula.
public enum CellValue: Sendable, Equatable {
    case text(String)
    case number(Double)
    case date(year: Int, month: Int, day: Int)
    case blank

    public static func optional(_ text: String?) -> CellValue { text.map(CellValue.text) ?? .blank }
    public static func optional(_ number: Double?) -> CellValue { number.map(CellValue.number) ?? .blank }
    public static func optional(_ number: Int?) -> CellValue { number.map { .number(Double($0)) } ?? .blank }
}

/// The look of a cell; equal styles share one libxlsxwriter format.
public struct CellStyle: Hashable, Sendable {
    public enum Alignment: Hashable, Sendable { case general, left, center, right }

    public var bold = false
    public var fontSize: Double = 11
    public var fontColor: UInt32?
    public var fill: UInt32?
    public var border = true
    public var wrap = false
    public var alignment = Alignment.general
    public var numberFormat: String?
    /// Cells users fill in on a protected sheet.
    public var unlocked = false
    /// A dashed line down the left edge: where two notices printed on one page are cut apart.
    public var cutLine = false

    public init(
        bold: Bool = false, fontSize: Double = 11, fontColor: UInt32? = nil, fill: UInt32? = nil, border: Bool = true,
        wrap: Bool = false, alignment: Alignment = .general, numberFormat: String? = nil, unlocked: Bool = false
    ) {
        self.bold = bold
        self.fontSize = fontSize
        self.fontColor = fontColor
        self.fill = fill
        self.border = border
        self.wrap = wrap
        self.alignment = alignment
        self.numberFormat = numberFormat
        self.unlocked = unlocked
    }

    public static let body = CellStyle()
    public static let header = CellStyle(bold: true, fill: 0xDDEBF7, wrap: true, alignment: .center)
    public static let title = CellStyle(bold: true, fontSize: 14, border: false)
    public static let note = CellStyle(fontColor: 0x595959, border: false)
    public static let date = CellStyle(numberFormat: "yyyy-mm-dd")
    public static let percent = CellStyle(numberFormat: "0.0%")
    public static let decimal1 = CellStyle(numberFormat: "0.0")
    public static let integer = CellStyle(numberFormat: "0")
    /// A follow-up column that schools fill in: unlocked, light yellow.
    public static let fillIn = CellStyle(fill: 0xFFF2CC, unlocked: true)
}

/// An .xlsx workbook written through libxlsxwriter. Not thread-safe; one per file.
///
/// The workbook is written to a new temporary file beside `path` and renamed onto it by
/// `close()`: a reader never sees half a file, an old ledger stays whole when writing fails, and
/// a symbolic link at `path` is replaced rather than followed (rename(2) does not follow links),
/// so an export never writes outside its folder.
public final class XlsxWorkbook {
    public let path: String
    /// The file being written until `close()` renames it to `path`.
    private let temporaryPath: String
    let handle: UnsafeMutablePointer<lxw_workbook>
    private var formats: [CellStyle: UnsafeMutablePointer<lxw_format>] = [:]
    private var lastFormat: (style: CellStyle, format: UnsafeMutablePointer<lxw_format>)?
    private var sheets: [XlsxSheet] = []
    private var dictionaryLists: [(name: String, items: [String])] = []
    private var closed = false

    /// Starts the file (creating its folder). `constantMemory` streams rows to disk as they are
    /// written (each row must be finished before the next starts), for sheets with many thousands
    /// of rows. `ownerOnly` files (personal or psychological data) are readable by their owner only.
    public init(path: String, constantMemory: Bool = false, ownerOnly: Bool = false) throws {
        self.path = path
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: folder.isEmpty ? "." : folder, withIntermediateDirectories: true)
        // O_EXCL: the temporary name is new, never an existing file or link.
        var temporary = ""
        var descriptor: Int32 = -1
        for _ in 0..<8 where descriptor < 0 {
            temporary = (folder.isEmpty ? "" : folder + "/") + ".~\(UInt32.random(in: .min ... .max)).xlsx.tmp"
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, ownerOnly ? 0o600 : 0o644)
        }
        guard descriptor >= 0 else {
            throw XlsxError(
                message: "无法在文件夹中创建文件（\(systemReason(errno))）；请检查文件夹是否存在、是否有写入权限", context: path)
        }
        Glibc.close(descriptor)
        temporaryPath = temporary
        let created: UnsafeMutablePointer<lxw_workbook>? = temporary.withCString { cPath in
            var options = lxw_workbook_options(constant_memory: constantMemory ? 1 : 0, tmpdir: nil, use_zip64: 1)
            return workbook_new_opt(cPath, &options)
        }
        guard let created else {
            unlink(temporary)
            throw XlsxError(message: "无法创建工作簿", context: path)
        }
        handle = created
        // Reproducible files (the reproducible-builds convention): a fixed creation time when
        // SOURCE_DATE_EPOCH is set, so that the same content gives the same bytes.
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(Int.init) {
            var properties = lxw_doc_properties()
            properties.created = time_t(epoch)
            workbook_set_properties(handle, &properties)
        }
    }

    deinit {
        if !closed {
            _ = workbook_close(handle)
            unlink(temporaryPath)
        }
    }

    public func addSheet(_ name: String) throws -> XlsxSheet {
        try check(workbook_validate_sheet_name(handle, name), "工作表名“\(name)”")
        guard let sheet = workbook_add_worksheet(handle, name) else {
            throw XlsxError(message: "无法添加工作表", context: name)
        }
        let wrapped = XlsxSheet(workbook: self, handle: sheet, name: name)
        sheets.append(wrapped)
        return wrapped
    }

    /// The format for a style, created once per workbook. The last one is kept at hand: rows
    /// repeat the same style cell after cell.
    func format(_ style: CellStyle) -> UnsafeMutablePointer<lxw_format> {
        if let last = lastFormat, last.style == style { return last.format }
        if let existing = formats[style] {
            lastFormat = (style, existing)
            return existing
        }
        let format = workbook_add_format(handle)!
        format_set_font_name(format, "宋体")
        format_set_font_size(format, style.fontSize)
        if style.bold { format_set_bold(format) }
        if let color = style.fontColor { format_set_font_color(format, color) }
        if let fill = style.fill {
            format_set_pattern(format, UInt8(LXW_PATTERN_SOLID.rawValue))
            format_set_bg_color(format, fill)
        }
        if style.border { format_set_border(format, UInt8(LXW_BORDER_THIN.rawValue)) }
        if style.cutLine { format_set_left(format, UInt8(LXW_BORDER_DASHED.rawValue)) }
        if style.wrap { format_set_text_wrap(format) }
        switch style.alignment {
        case .general: break
        case .left: format_set_align(format, UInt8(LXW_ALIGN_LEFT.rawValue))
        case .center: format_set_align(format, UInt8(LXW_ALIGN_CENTER.rawValue))
        case .right: format_set_align(format, UInt8(LXW_ALIGN_RIGHT.rawValue))
        }
        format_set_align(format, UInt8(LXW_ALIGN_VERTICAL_CENTER.rawValue))
        if let numberFormat = style.numberFormat { format_set_num_format(format, numberFormat) }
        if style.unlocked { format_set_unlocked(format) }
        formats[style] = format
        return format
    }

    /// A range on the hidden 字典 sheet holding `items`, for dropdown lists. libxlsxwriter 1.1.4
    /// crashes on inline lists over 255 bytes, which CJK items reach quickly (DESIGN.md, Known
    /// traps). The sheet itself is written last, at `close()`, so it sits after the visible sheets.
    func dictionaryRange(named name: String, items: [String]) -> String {
        if let existing = dictionaryLists.firstIndex(where: { $0.name == name }) {
            return XlsxWorkbook.dictionaryRange(column: existing, count: dictionaryLists[existing].items.count)
        }
        dictionaryLists.append((name, items))
        return XlsxWorkbook.dictionaryRange(column: dictionaryLists.count - 1, count: items.count)
    }

    private static func dictionaryRange(column: Int, count: Int) -> String {
        let letter = XlsxSheet.columnName(column)
        return "=字典!$\(letter)$2:$\(letter)$\(count + 1)"
    }

    private func writeDictionary() throws {
        guard !dictionaryLists.isEmpty else { return }
        let dictionary = try addSheet("字典")
        worksheet_hide(dictionary.handle)
        for row in 0...(dictionaryLists.map(\.items.count).max() ?? 0) {
            for (column, list) in dictionaryLists.enumerated() {
                if row == 0 {
                    try dictionary.write(0, column, .text(list.name), style: .header)
                } else if row <= list.items.count {
                    try dictionary.write(row, column, .text(list.items[row - 1]))
                }
            }
        }
    }

    /// Writes the file. Call once; the workbook cannot be used afterwards.
    public func close() throws {
        guard !closed else { return }
        try writeDictionary()
        for sheet in sheets { try sheet.applyColumnWidths() }
        closed = true
        do {
            try check(workbook_close(handle), path)
        } catch {
            unlink(temporaryPath)
            throw error
        }
        guard rename(temporaryPath, path) == 0 else {
            let reason = systemReason(errno)
            unlink(temporaryPath)
            throw XlsxError(
                message: "无法保存为 \((path as NSString).lastPathComponent)（\(reason)）；请关闭在 Excel/WPS 中打开的同名文件后重试",
                context: path)
        }
    }
}

/// A system error number as a person reads it (the C library's own text is English).
func systemReason(_ code: Int32) -> String {
    switch code {
    case EACCES, EPERM: "没有写入权限"
    case EISDIR: "已有同名文件夹"
    case ENOSPC: "磁盘空间不足"
    case ENAMETOOLONG: "文件名过长"
    case EROFS: "磁盘是只读的"
    case ENOENT: "文件夹不存在"
    case EBUSY, ETXTBSY: "文件正被其他程序使用"
    default: "系统错误 \(code)"
    }
}
