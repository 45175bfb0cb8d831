/// A sheet's columns, declared once in order: each column's header, its width, the style of its
/// cells and whether schools fill it in. Writers name a column by its key; its number is its place
/// in the declaration, so that the header row, the widths, the rows, the dropdowns, the filters and
/// the charts of a sheet cannot point at different columns when one is added or moved.
struct SheetColumns<Key: Hashable & Sendable>: Sendable {
    struct Column: Sendable {
        var key: Key
        var header: String
        /// A fixed width in characters; nil: as wide as the widest cell written.
        var width: Double?
        /// The style of the column's cells; the cells of an editable column are unlocked.
        var style: CellStyle
        var headerStyle: CellStyle

        /// A column schools fill in: its cells stay editable when the sheet is protected.
        var editable: Bool { style.unlocked }

        init(
            _ key: Key, _ header: String, width: Double? = nil, style: CellStyle = .body, editable: Bool = false,
            headerStyle: CellStyle = .header
        ) {
            self.key = key
            self.header = header
            self.width = width
            self.style = style
            self.style.unlocked = editable
            self.headerStyle = headerStyle
        }
    }

    let columns: [Column]
    private let positions: [Key: Int]

    init(_ columns: [Column]) {
        self.columns = columns
        positions = Dictionary(columns.enumerated().map { ($0.element.key, $0.offset) }) { first, second in
            preconditionFailure("第 \(first + 1) 列与第 \(second + 1) 列使用同一个键")
        }
    }

    var count: Int { columns.count }
    var headers: [String] { columns.map(\.header) }

    /// The column's place, counted from the table's first column.
    func index(_ key: Key) -> Int {
        guard let index = positions[key] else { preconditionFailure("表中没有列 \(key)") }
        return index
    }

    /// The columns a title above the table is merged across: all of them, or at most `limit`.
    func titleSpan(atMost limit: Int = .max) -> Int { min(count, limit) }

    /// Sets the fixed widths of the columns that have one, the table starting at `firstColumn`.
    func setWidths(on sheet: XlsxSheet, from firstColumn: Int = 0) {
        for (index, column) in columns.enumerated() {
            if let width = column.width { sheet.setWidth(firstColumn + index, width) }
        }
    }

    /// Writes the header row at `headerRow` and the widths; rows, validations, filters and charts
    /// then go through the returned table.
    func table(on sheet: XlsxSheet, headerRow: Int, from firstColumn: Int = 0) throws -> SheetTable<Key> {
        for (index, column) in columns.enumerated() {
            try sheet.write(headerRow, firstColumn + index, .text(column.header), style: column.headerStyle)
        }
        setWidths(on: sheet, from: firstColumn)
        return SheetTable(sheet: sheet, columns: self, headerRow: headerRow, firstColumn: firstColumn)
    }
}

extension SheetColumns where Key == String {
    /// Columns named by their headers, for a table whose columns differ only in their text.
    init(headers: [String]) {
        self.init(headers.map { Column($0, $0) })
    }
}

/// A wide sheet's title is merged across its first twelve columns rather than the whole row.
let wideTitleSpan = 12

/// A table on a sheet below its header row, its columns placed by a `SheetColumns`: every sheet
/// column number a ledger needs is resolved here from a key.
struct SheetTable<Key: Hashable & Sendable> {
    let sheet: XlsxSheet
    let columns: SheetColumns<Key>
    let headerRow: Int
    /// The sheet column of the table's first column (the right half of a page of two notices).
    let firstColumn: Int

    var firstRow: Int { headerRow + 1 }
    var lastColumn: Int { firstColumn + columns.count - 1 }
    /// The column one empty column right of the table, where a chart beside it starts.
    var columnBeside: Int { lastColumn + 2 }

    func column(_ key: Key) -> Int { firstColumn + columns.index(key) }

    /// Writes `values` from the table's first column on, one per column in order (a shorter row
    /// leaves the rest empty). Each cell takes its column's style, in bold when `bold`, unless
    /// `styles` gives its own.
    func write(_ row: Int, _ values: [CellValue], bold: Bool = false, styles: [Key: CellStyle] = [:]) throws {
        precondition(values.count <= columns.count, "\(values.count) 个值多于 \(columns.count) 列")
        for (index, value) in values.enumerated() {
            let column = columns.columns[index]
            var style = column.style
            if bold { style.bold = true }
            try sheet.write(row, firstColumn + index, value, style: styles[column.key] ?? style)
        }
    }

    /// Writes every cell of a row in one style (a line of thresholds above the rows it applies to).
    func write(_ row: Int, _ values: [CellValue], style: CellStyle) throws {
        precondition(values.count <= columns.count, "\(values.count) 个值多于 \(columns.count) 列")
        try sheet.writeRow(row, values, style: style, from: firstColumn)
    }

    /// Writes one cell, in its column's style unless `style` is given.
    func write(_ row: Int, _ key: Key, _ value: CellValue, style: CellStyle? = nil) throws {
        try sheet.write(row, column(key), value, style: style ?? columns.columns[columns.index(key)].style)
    }

    /// Freezes the header and the rows above it, and the columns up to and including `key`.
    func freeze(through key: Key? = nil) {
        sheet.freeze(row: firstRow, column: key.map { column($0) + 1 } ?? 0)
    }

    func autofilter(lastRow: Int) throws {
        try sheet.autofilter(headerRow: headerRow, lastRow: lastRow, firstColumn: firstColumn, lastColumn: lastColumn)
    }

    func dropdown(_ key: Key, lastRow: Int, listName: String, items: [String]) throws {
        try sheet.dropdown(column: column(key), firstRow: firstRow, lastRow: lastRow, listName: listName, items: items)
    }

    func numberRange(_ key: Key, lastRow: Int, range: ClosedRange<Double>, message: String) throws {
        try sheet.numberRange(column: column(key), firstRow: firstRow, lastRow: lastRow, range: range, message: message)
    }

    func highlightBelow(_ limit: Double, _ key: Key, lastRow: Int, style: CellStyle) throws {
        try sheet.highlightBelow(
            limit, firstRow: firstRow, lastRow: lastRow, firstColumn: column(key), lastColumn: column(key),
            style: style)
    }

    /// A column chart of rows `firstRow…lastRow` under the table, anchored at `row` in its first
    /// column: categories from the `categories` column, one series per column named.
    func columnChart(
        title: String, at row: Int, categories: Key, firstRow: Int, lastRow: Int,
        series: [(name: String, key: Key, color: UInt32, outlineOnly: Bool)], percentAxis: Bool
    ) throws {
        try sheet.insertColumnChart(
            title: title, at: (row, firstColumn), categoryColumn: column(categories), firstRow: firstRow,
            lastRow: lastRow, series: series.map { ($0.name, column($0.key), $0.color, $0.outlineOnly) },
            percentAxis: percentAxis)
    }

    /// A line chart of rows over the columns `first…last`, categories from the header row.
    func lineChart(
        title: String, at anchor: (row: Int, column: Int), from first: Key, through last: Key,
        series: [(name: String, row: Int, color: UInt32, style: XlsxSheet.ChartSeries.Style)],
        axis: XlsxSheet.ChartAxis
    ) throws {
        try sheet.insertLineChart(
            title: title, at: anchor, categoryRow: headerRow, firstColumn: column(first), lastColumn: column(last),
            series: series, axis: axis)
    }
}
