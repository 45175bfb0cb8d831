import CXlsxWriter
import Foundation

/// One worksheet with the conveniences ledgers need: column widths that count CJK characters
/// double, frozen headers, filters, print setup, dropdowns and protection.
public final class XlsxSheet {
    public let name: String
    let handle: UnsafeMutablePointer<lxw_worksheet>
    private unowned let workbook: XlsxWorkbook
    /// The widest content of each column so far, by column index (0 where nothing was written).
    private var widths: [Int] = []
    private var fixedWidths: [Int: Double] = [:]
    /// Formats of whole columns (the cut line between two notices).
    private var columnStyles: [Int: CellStyle] = [:]
    /// Heights set on rows by `paragraph`, in points.
    private var rowHeights: [Int: Double] = [:]

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

    /// A bold heading in the first column over the table below it.
    public func heading(_ row: Int, _ text: String) throws {
        try write(row, 0, .text(text), style: CellStyle(bold: true, border: false))
    }

    /// A line of labelled values from the first column: each label in a cell, its value in the next.
    public func labelled(_ row: Int, _ pairs: [(label: String, value: CellValue)], valueStyle: CellStyle = .body)
        throws
    {
        for (index, pair) in pairs.enumerated() {
            try write(row, index * 2, .text(pair.label))
            try write(row, index * 2 + 1, pair.value, style: valueStyle)
        }
    }

    /// Sets a width (in characters) that the automatic widths will not change.
    public func setWidth(_ column: Int, _ width: Double) {
        fixedWidths[column] = width
    }

    /// A narrow column drawn as a dashed line from top to bottom: the cut between two notices
    /// printed side by side.
    public func cutLine(column: Int) {
        var style = CellStyle(border: false)
        style.cutLine = true
        columnStyles[column] = style
        fixedWidths[column] = fixedWidths[column] ?? 2
    }

    /// Freezes the rows above `row` and the columns left of `column`.
    public func freeze(row: Int, column: Int = 0) {
        worksheet_freeze_panes(handle, lxw_row_t(row), lxw_col_t(column))
    }

    public func autofilter(headerRow: Int, lastRow: Int, firstColumn: Int = 0, lastColumn: Int) throws {
        try check(
            worksheet_autofilter(
                handle, lxw_row_t(headerRow), lxw_col_t(firstColumn), lxw_row_t(max(lastRow, headerRow)),
                lxw_col_t(lastColumn)),
            "\(name) 筛选")
    }

    /// A4 landscape, fit to one page wide, the header row repeated on every page, page numbers
    /// in the footer: what schools print, stamp and file.
    public func printSetup(headerRow: Int, title: String? = nil) throws {
        worksheet_set_landscape(handle)
        worksheet_set_paper(handle, 9)
        worksheet_fit_to_pages(handle, 1, 0)
        worksheet_set_margins(handle, 0.4, 0.4, 0.6, 0.6)
        try check(worksheet_set_footer(handle, "&C第 &P 页，共 &N 页"), "\(name) 页脚")
        try printTitles(row: headerRow, header: title)
    }

    /// `row` repeated at the top of every printed page, and a page header: `header` on the left,
    /// the print date on the right.
    private func printTitles(row: Int?, header: String?) throws {
        if let row {
            try check(worksheet_repeat_rows(handle, lxw_row_t(row), lxw_row_t(row)), "\(name) 打印标题行")
        }
        if let header {
            try check(
                worksheet_set_header(handle, "&L\(header.replacingOccurrences(of: "&", with: "&&"))&R打印日期：&D"),
                "\(name) 页眉")
        }
    }

    /// A paragraph merged across `columns` columns, wrapped, in a row tall enough for `lines`
    /// lines: the body of a printed notice.
    public func paragraph(
        _ row: Int, _ text: String, from column: Int = 0, columns: Int, lines: Int = 1, style: CellStyle
    ) throws {
        try check(
            worksheet_merge_range(
                handle, lxw_row_t(row), lxw_col_t(column), lxw_row_t(row), lxw_col_t(column + columns - 1), text,
                workbook.format(style)),
            "\(name)!\(XlsxSheet.cellName(row, column))")
        // Two notices side by side share rows: the row takes the taller of their paragraphs.
        let height = max(style.fontSize * 1.45 * Double(max(lines, 1)), rowHeights[row] ?? 0)
        rowHeights[row] = height
        try check(worksheet_set_row(handle, lxw_row_t(row), height, nil), name)
    }

    /// A4 portrait with a page break before each row of `pageStarts` (after the first): one
    /// printed notice or record per page (landscape: two A5 notices side by side on each A4 page). `titleRow` is repeated at the top of every page (the
    /// print titles) and `header` printed above it, left, with the print date on the right.
    public func printNotices(
        pageStarts: [Int], lastRow: Int, lastColumn: Int, titleRow: Int? = nil, header: String? = nil,
        landscape: Bool = false
    ) throws {
        try printTitles(row: titleRow, header: header)
        worksheet_set_paper(handle, 9)
        if landscape { worksheet_set_landscape(handle) } else { worksheet_set_portrait(handle) }
        worksheet_fit_to_pages(handle, 1, 0)
        worksheet_set_margins(handle, 0.6, 0.6, 0.6, 0.6)
        worksheet_gridlines(handle, UInt8(LXW_HIDE_ALL_GRIDLINES.rawValue))
        var breaks = pageStarts.dropFirst().map { lxw_row_t($0) } + [0]
        if breaks.count > 1 {
            try check(worksheet_set_h_pagebreaks(handle, &breaks), "\(name) 分页")
        }
        try check(worksheet_print_area(handle, 0, 0, lxw_row_t(lastRow), lxw_col_t(lastColumn)), "\(name) 打印区域")
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

        public init(name: String, values: CellRange, color: UInt32, style: Style) {
            (self.name, self.values, self.color, self.style) = (name, values, color, style)
        }
    }

    public enum ChartKind { case column, line }

    /// The value axis: proportions from 0 to 100 %, proportions on an automatic scale, numbers,
    /// or numbers between fixed bounds (heights from 120 cm rather than from 0).
    public enum ChartAxis: Sendable, Equatable {
        case percentOfWhole, percent, number
        case between(Double, Double)
    }

    /// The size of a chart as a multiple of Excel's default 480 × 288 pixels and its distance in
    /// pixels from the left of its anchor cell. A small chart (several side by side on a printed
    /// page) has one series named by its title, so no legend, a smaller title, and its value
    /// labels above the points, clear of the line.
    public struct ChartSize: Sendable {
        public var xScale: Double
        public var yScale: Double
        public var xOffset = 0
        public var small = false

        public static let standard = ChartSize(xScale: 1.6, yScale: 1.2)

        public static func small(xScale: Double, yScale: Double, xOffset: Int) -> ChartSize {
            ChartSize(xScale: xScale, yScale: yScale, xOffset: xOffset, small: true)
        }
    }

    /// A native chart of `series` over `categories`, its top left corner at `anchor`.
    public func insertChart(
        _ kind: ChartKind, title: String, at anchor: (row: Int, column: Int), categories: CellRange,
        series: [ChartSeries], axis: ChartAxis, size: ChartSize = .standard
    ) throws {
        let type = kind == .column ? LXW_CHART_COLUMN : LXW_CHART_LINE
        guard let chart = workbook_add_chart(workbook.handle, UInt8(type.rawValue)) else { return }
        let quotedSheet = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
        func formula(_ r: CellRange) -> String {
            "=\(quotedSheet)!$\(XlsxSheet.columnName(r.firstColumn))$\(r.firstRow + 1):$\(XlsxSheet.columnName(r.lastColumn))$\(r.lastRow + 1)"
        }
        let percent = axis == .percent || axis == .percentOfWhole
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
                if size.small, kind == .line {
                    chart_series_set_labels_position(added, UInt8(LXW_CHART_LABEL_POSITION_ABOVE.rawValue))
                }
            }
        }
        chart_title_set_name(chart, title)
        if size.small {
            var font = lxw_chart_font()
            font.size = 10
            font.bold = 1
            chart_title_set_name_font(chart, &font)
        }
        chart_legend_set_position(
            chart, UInt8((size.small ? LXW_CHART_LEGEND_NONE : LXW_CHART_LEGEND_BOTTOM).rawValue))
        if percent { chart_axis_set_num_format(chart.pointee.y_axis, "0%") }
        switch axis {
        case .percentOfWhole:
            chart_axis_set_min(chart.pointee.y_axis, 0)
            chart_axis_set_max(chart.pointee.y_axis, 1)
        case .between(let low, let high):
            chart_axis_set_min(chart.pointee.y_axis, low)
            chart_axis_set_max(chart.pointee.y_axis, high)
        case .percent, .number: break
        }
        var options = lxw_chart_options()
        options.x_scale = size.xScale
        options.y_scale = size.yScale
        options.x_offset = Int32(size.xOffset)
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
                worksheet_set_column(
                    handle, lxw_col_t(column), lxw_col_t(column), columnStyles[column] == nil ? max(width, 6) : width,
                    columnStyles[column].map(workbook.format)), "\(name) 列宽")
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
