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
                message: "无法在文件夹中创建文件（\(String(cString: strerror(errno)))）；请检查文件夹是否存在、是否有写入权限", context: path)
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
            let reason = String(cString: strerror(errno))
            unlink(temporaryPath)
            throw XlsxError(
                message: "无法保存为 \((path as NSString).lastPathComponent)（\(reason)）；请关闭在 Excel/WPS 中打开的同名文件后重试",
                context: path)
        }
    }
}

/// One worksheet with the conveniences ledgers need: column widths that count CJK characters
/// double, frozen headers, filters, print setup, dropdowns and protection.
public final class XlsxSheet {
    public let name: String
    let handle: UnsafeMutablePointer<lxw_worksheet>
    private unowned let workbook: XlsxWorkbook
    /// The widest content of each column so far, by column index (0 where nothing was written).
    private var widths: [Int] = []
    private var fixedWidths: [Int: Double] = [:]

    /// Excel's cell limit; longer text is cut with a visible marker rather than failing.
    static let maxCellCharacters = 32_767

    init(workbook: XlsxWorkbook, handle: UnsafeMutablePointer<lxw_worksheet>, name: String) {
        self.workbook = workbook
        self.handle = handle
        self.name = name
    }

    public func write(_ row: Int, _ column: Int, _ value: CellValue, style: CellStyle = .body) throws {
        let format = workbook.format(style)
        let r = lxw_row_t(row)
        let c = lxw_col_t(column)
        switch value {
        case .text(var text):
            // A text within the limit in UTF-8 bytes is within it in characters; only longer ones are counted.
            if text.utf8.count > XlsxSheet.maxCellCharacters, text.utf16.count > XlsxSheet.maxCellCharacters {
                text = String(text.prefix(XlsxSheet.maxCellCharacters - 10)) + "…（已截断）"
            }
            measure(column, text)
            try check(worksheet_write_string(handle, r, c, text, format), "\(name)!\(XlsxSheet.cellName(row, column))")
        case .number(let number):
            guard number.isFinite else {
                try check(worksheet_write_blank(handle, r, c, format), name)
                return
            }
            measureNumber(column, number, percent: style.numberFormat == "0.0%")
            try check(
                worksheet_write_number(handle, r, c, number, format), "\(name)!\(XlsxSheet.cellName(row, column))")
        case .date(let year, let month, let day):
            var datetime = lxw_datetime(
                year: Int32(year), month: Int32(month), day: Int32(day), hour: 0, min: 0, sec: 0)
            measure(column, "2000-01-01")
            let dateFormat = workbook.format(
                style.numberFormat == nil
                    ? CellStyle(
                        bold: style.bold, fill: style.fill, border: style.border, alignment: style.alignment,
                        numberFormat: "yyyy-mm-dd", unlocked: style.unlocked) : style)
            try check(
                worksheet_write_datetime(handle, r, c, &datetime, dateFormat),
                "\(name)!\(XlsxSheet.cellName(row, column))")
        case .blank:
            try check(worksheet_write_blank(handle, r, c, format), name)
        }
    }

    /// Writes a row of values from `column` on.
    public func writeRow(_ row: Int, _ values: [CellValue], style: CellStyle = .body, from column: Int = 0) throws {
        for (offset, value) in values.enumerated() { try write(row, column + offset, value, style: style) }
    }

    /// A title across `columns` columns, merged.
    public func title(_ row: Int, _ text: String, columns: Int, style: CellStyle = .title) throws {
        if columns > 1 {
            try check(
                worksheet_merge_range(
                    handle, lxw_row_t(row), 0, lxw_row_t(row), lxw_col_t(columns - 1), text, workbook.format(style)),
                "\(name) 标题")
        } else {
            try check(worksheet_write_string(handle, lxw_row_t(row), 0, text, workbook.format(style)), "\(name) 标题")
        }
        try check(worksheet_set_row(handle, lxw_row_t(row), style.fontSize * 1.8, nil), name)
    }

    /// A note line under the title; like the title it spills over empty cells to the right and
    /// does not widen its column.
    public func note(_ row: Int, _ text: String) throws {
        try check(worksheet_write_string(handle, lxw_row_t(row), 0, text, workbook.format(.note)), "\(name) 说明")
    }

    /// Sets a width (in characters) that the automatic widths will not change.
    public func setWidth(_ column: Int, _ width: Double) {
        fixedWidths[column] = width
    }

    /// Freezes the rows above `row` and the columns left of `column`.
    public func freeze(row: Int, column: Int = 0) {
        worksheet_freeze_panes(handle, lxw_row_t(row), lxw_col_t(column))
    }

    public func autofilter(headerRow: Int, lastRow: Int, lastColumn: Int) throws {
        try check(
            worksheet_autofilter(
                handle, lxw_row_t(headerRow), 0, lxw_row_t(max(lastRow, headerRow)), lxw_col_t(lastColumn)),
            "\(name) 筛选")
    }

    /// A4 landscape, fit to one page wide, the header row repeated on every page, page numbers
    /// in the footer: what schools print, stamp and file.
    public func printSetup(headerRow: Int, title: String? = nil) throws {
        worksheet_set_landscape(handle)
        worksheet_set_paper(handle, 9)
        worksheet_fit_to_pages(handle, 1, 0)
        worksheet_set_margins(handle, 0.4, 0.4, 0.6, 0.6)
        try check(worksheet_repeat_rows(handle, lxw_row_t(headerRow), lxw_row_t(headerRow)), "\(name) 打印标题行")
        try check(worksheet_set_footer(handle, "&C第 &P 页，共 &N 页"), "\(name) 页脚")
        if let title {
            try check(
                worksheet_set_header(handle, "&L\(title.replacingOccurrences(of: "&", with: "&&"))&R打印日期：&D"),
                "\(name) 页眉")
        }
    }

    /// A dropdown on rows `firstRow…lastRow` of `column`, listing `items` from the hidden 字典 sheet.
    public func dropdown(column: Int, firstRow: Int, lastRow: Int, listName: String, items: [String]) throws {
        let range = workbook.dictionaryRange(named: listName, items: items)
        var validation = lxw_data_validation()
        validation.validate = UInt8(LXW_VALIDATION_TYPE_LIST_FORMULA.rawValue)
        validation.ignore_blank = UInt8(LXW_VALIDATION_ON.rawValue)
        validation.show_error = UInt8(LXW_VALIDATION_ON.rawValue)
        validation.error_type = UInt8(LXW_VALIDATION_ERROR_TYPE_WARNING.rawValue)
        try range.withCString { formula in
            validation.value_formula = UnsafeMutablePointer(mutating: formula)
            try check(
                worksheet_data_validation_range(
                    handle, lxw_row_t(firstRow), lxw_col_t(column), lxw_row_t(max(lastRow, firstRow)),
                    lxw_col_t(column), &validation), "\(name) 下拉列表")
        }
    }

    /// A number between the bounds of `range` in a column: Excel and WPS refuse anything else as
    /// it is typed (33kg, 优秀), with `message`; the import checks the same range again.
    public func numberRange(column: Int, firstRow: Int, lastRow: Int, range: ClosedRange<Double>, message: String)
        throws
    {
        var validation = lxw_data_validation()
        validation.validate = UInt8(LXW_VALIDATION_TYPE_DECIMAL.rawValue)
        validation.criteria = UInt8(LXW_VALIDATION_CRITERIA_BETWEEN.rawValue)
        validation.minimum_number = range.lowerBound
        validation.maximum_number = range.upperBound
        validation.ignore_blank = UInt8(LXW_VALIDATION_ON.rawValue)
        validation.show_error = UInt8(LXW_VALIDATION_ON.rawValue)
        validation.error_type = UInt8(LXW_VALIDATION_ERROR_TYPE_STOP.rawValue)
        try "数值超出范围".withCString { title in
            try message.withCString { text in
                validation.error_title = UnsafeMutablePointer(mutating: title)
                validation.error_message = UnsafeMutablePointer(mutating: text)
                try check(
                    worksheet_data_validation_range(
                        handle, lxw_row_t(firstRow), lxw_col_t(column), lxw_row_t(max(lastRow, firstRow)),
                        lxw_col_t(column), &validation), "\(name) 数值范围")
            }
        }
    }

    /// Highlights cells of a range whose number is below `limit` (e.g. failing item scores).
    public func highlightBelow(
        _ limit: Double, firstRow: Int, lastRow: Int, firstColumn: Int, lastColumn: Int, style: CellStyle
    ) throws {
        guard lastRow >= firstRow, lastColumn >= firstColumn else { return }
        var condition = lxw_conditional_format()
        condition.type = UInt8(LXW_CONDITIONAL_TYPE_CELL.rawValue)
        condition.criteria = UInt8(LXW_CONDITIONAL_CRITERIA_LESS_THAN.rawValue)
        condition.value = limit
        condition.format = workbook.format(style)
        try check(
            worksheet_conditional_format_range(
                handle, lxw_row_t(firstRow), lxw_col_t(firstColumn), lxw_row_t(lastRow), lxw_col_t(lastColumn),
                &condition), "\(name) 条件格式")
    }

    /// A native column chart over cells of this sheet: categories in `categoryColumn` and one
    /// series per value column, rows `firstRow…lastRow`. A series may be drawn as a dashed
    /// outline (a target beside the actual values).
    public func insertColumnChart(
        title: String, at anchor: (row: Int, column: Int), categoryColumn: Int, firstRow: Int, lastRow: Int,
        series: [(name: String, column: Int, color: UInt32, outlineOnly: Bool)], percentAxis: Bool
    ) throws {
        guard lastRow >= firstRow else { return }
        try insertChart(
            .column, title: title, at: anchor, categories: CellRange(firstRow, categoryColumn, lastRow, categoryColumn),
            series: series.map {
                ChartSeries(
                    name: $0.name, values: CellRange(firstRow, $0.column, lastRow, $0.column), color: $0.color,
                    style: $0.outlineOnly ? .target : .actual)
            },
            axis: percentAxis ? .percentOfWhole : .number)
    }

    /// A native line chart of rows over terms: categories in `categoryRow`, one series per row,
    /// columns `firstColumn…lastColumn`; a target row is drawn as a dashed line.
    public func insertLineChart(
        title: String, at anchor: (row: Int, column: Int), categoryRow: Int, firstColumn: Int, lastColumn: Int,
        series: [(name: String, row: Int, color: UInt32, style: ChartSeries.Style)], axis: ChartAxis
    ) throws {
        guard lastColumn >= firstColumn else { return }
        try insertChart(
            .line, title: title, at: anchor, categories: CellRange(categoryRow, firstColumn, categoryRow, lastColumn),
            series: series.map {
                ChartSeries(
                    name: $0.name, values: CellRange($0.row, firstColumn, $0.row, lastColumn), color: $0.color,
                    style: $0.style)
            },
            axis: axis)
    }

    /// A rectangle of cells, 0-based.
    public struct CellRange: Sendable {
        public var firstRow, firstColumn, lastRow, lastColumn: Int
        public init(_ firstRow: Int, _ firstColumn: Int, _ lastRow: Int, _ lastColumn: Int) {
            (self.firstRow, self.firstColumn, self.lastRow, self.lastColumn) = (
                firstRow, firstColumn, lastRow, lastColumn
            )
        }
    }

    public struct ChartSeries: Sendable {
        public enum Style: Sendable {
            /// Solid, with markers and value labels.
            case actual
            /// Dashed without fill or labels: a target beside the actual values.
            case target
            /// Thin and plain: a comparison such as the county beside a school.
            case reference
        }

        public var name: String
        public var values: CellRange
        public var color: UInt32
        public var style: Style
    }

    public enum ChartKind { case column, line }

    /// The value axis: proportions from 0 to 100 %, proportions on an automatic scale, or numbers.
    public enum ChartAxis: Sendable { case percentOfWhole, percent, number }

    private func insertChart(
        _ kind: ChartKind, title: String, at anchor: (row: Int, column: Int), categories: CellRange,
        series: [ChartSeries], axis: ChartAxis
    ) throws {
        let type = kind == .column ? LXW_CHART_COLUMN : LXW_CHART_LINE
        guard let chart = workbook_add_chart(workbook.handle, UInt8(type.rawValue)) else { return }
        let quotedSheet = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
        func formula(_ r: CellRange) -> String {
            "=\(quotedSheet)!$\(XlsxSheet.columnName(r.firstColumn))$\(r.firstRow + 1):$\(XlsxSheet.columnName(r.lastColumn))$\(r.lastRow + 1)"
        }
        let percent = axis != .number
        for entry in series {
            guard let added = chart_add_series(chart, formula(categories), formula(entry.values)) else { continue }
            chart_series_set_name(added, entry.name)
            var line = lxw_chart_line(
                color: entry.color, none: 0, width: entry.style == .actual ? 2.25 : 1.5,
                dash_type: UInt8(
                    (entry.style == .target ? LXW_CHART_LINE_DASH_DASH : LXW_CHART_LINE_DASH_SOLID).rawValue),
                transparency: 0)
            switch (kind, entry.style) {
            case (.column, .actual):
                var fill = lxw_chart_fill(color: entry.color, none: 0, transparency: 0)
                chart_series_set_fill(added, &fill)
            case (.column, _):
                var fill = lxw_chart_fill(color: 0, none: 1, transparency: 0)
                chart_series_set_fill(added, &fill)
                chart_series_set_line(added, &line)
            case (.line, _):
                chart_series_set_line(added, &line)
                if entry.style == .actual {
                    chart_series_set_marker_type(added, UInt8(LXW_CHART_MARKER_CIRCLE.rawValue))
                }
            }
            if entry.style == .actual {
                chart_series_set_labels(added)
                if percent { chart_series_set_labels_num_format(added, "0.0%") }
            }
        }
        chart_title_set_name(chart, title)
        chart_legend_set_position(chart, UInt8(LXW_CHART_LEGEND_BOTTOM.rawValue))
        if percent { chart_axis_set_num_format(chart.pointee.y_axis, "0%") }
        if axis == .percentOfWhole {
            chart_axis_set_min(chart.pointee.y_axis, 0)
            chart_axis_set_max(chart.pointee.y_axis, 1)
        }
        var options = lxw_chart_options()
        options.x_scale = 1.6
        options.y_scale = 1.2
        try check(
            worksheet_insert_chart_opt(handle, lxw_row_t(anchor.row), lxw_col_t(anchor.column), chart, &options),
            "\(name) 图表")
    }

    /// Protects the sheet without a password so that only unlocked (fill-in) cells can be
    /// edited; filtering, sorting and column widths stay available.
    public func protect() {
        var options = lxw_protection()
        options.autofilter = 1
        options.sort = 1
        options.format_columns = 1
        options.format_rows = 1
        worksheet_protect(handle, nil, &options)
    }

    func applyColumnWidths() throws {
        let measured = widths.indices.filter { widths[$0] > 0 }
        for column in Set(measured).union(fixedWidths.keys) {
            let width = fixedWidths[column] ?? min(Double(column < widths.count ? widths[column] : 8) + 2, 50)
            try check(
                worksheet_set_column(handle, lxw_col_t(column), lxw_col_t(column), max(width, 6), nil), "\(name) 列宽")
        }
    }

    /// Width of a number as Excel shows it, without formatting it: digits, sign and two decimals.
    private func measureNumber(_ column: Int, _ number: Double, percent: Bool) {
        var width = percent ? 6 : 1
        if !percent {
            var magnitude = abs(number)
            while magnitude >= 10, width < 16 {
                magnitude /= 10
                width += 1
            }
            if number < 0 { width += 1 }
            if number != number.rounded() { width += 3 }
        }
        widen(column, to: width)
    }

    private func measure(_ column: Int, _ text: String) {
        widen(column, to: XlsxSheet.displayWidth(text))
    }

    private func widen(_ column: Int, to width: Int) {
        if column >= widths.count { widths += Array(repeating: 0, count: column - widths.count + 1) }
        if width > widths[column] { widths[column] = width }
    }

    /// Display width in Excel character units: CJK and full-width characters count two.
    public static func displayWidth(_ text: String) -> Int {
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x80 }) { return text.utf8.count }
        var width = 0
        var lineWidth = 0
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                width = max(width, lineWidth)
                lineWidth = 0
                continue
            }
            let value = scalar.value
            let wide =
                (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value)
                || (0xAC00...0xD7A3).contains(value)
                || (0xF900...0xFAFF).contains(value) || (0xFE30...0xFE4F).contains(value)
                || (0xFF00...0xFF60).contains(value)
                || (0xFFE0...0xFFE6).contains(value) || value >= 0x20000
            lineWidth += wide ? 2 : 1
        }
        return max(width, lineWidth)
    }

    static func columnName(_ index: Int) -> String {
        var name = ""
        var value = index + 1
        while value > 0 {
            let remainder = (value - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + remainder))) + name
            value = (value - 1) / 26
        }
        return name
    }

    static func cellName(_ row: Int, _ column: Int) -> String { "\(columnName(column))\(row + 1)" }
}
