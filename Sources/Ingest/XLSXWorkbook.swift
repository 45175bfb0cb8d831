import Foundation
import Standards
import ZIPFoundation

/// A read-only .xlsx workbook (Office Open XML, ECMA-376 Part 1), opened lazily: the workbook
/// part, relationships and styles are small and read at once; shared strings are read once on
/// first use; worksheets are streamed part by part.
public final class XLSXWorkbook {
    public let fileName: String
    /// Sheet names in workbook order.
    public private(set) var sheetNames: [String] = []
    let limits: ReadLimits
    let archive: Archive
    /// True when the workbook counts dates from 1904-01-01 (old Mac Excel).
    private(set) var uses1904Epoch = false
    private var sheetPaths: [String: String] = [:]
    private var dateStyles: [Bool] = []
    private var sharedStringsPath: String?
    private var cachedSharedStrings: (strings: [String], truncated: Set<Int>)?

    public init(url: URL, limits: ReadLimits = ReadLimits()) throws {
        fileName = url.lastPathComponent
        self.limits = limits
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw FileReadError(file: fileName, reason: "不是有效的 .xlsx 文件（无法作为 zip 打开），文件可能已损坏或不完整")
        }
        try readWorkbookStructure()
    }

    /// The sheet called `name`, or nil.
    public func sheet(named name: String) throws -> XLSXSheet? {
        guard let path = sheetPaths[name] else { return nil }
        return XLSXSheet(workbook: self, name: name, path: path)
    }

    func isDateStyle(_ index: Int) -> Bool { index < dateStyles.count && dateStyles[index] }

    func sharedStrings() throws -> (strings: [String], truncated: Set<Int>) {
        if let cachedSharedStrings { return cachedSharedStrings }
        var handler = SharedStringsHandler(maxBytes: limits.maxCellBytes)
        // A dangling relationship is treated as an empty table; cells that use it get findings.
        if let sharedStringsPath, archive[sharedStringsPath] != nil {
            try stream(part: sharedStringsPath, into: &handler)
        }
        cachedSharedStrings = (handler.strings, handler.truncated)
        return (handler.strings, handler.truncated)
    }

    /// Inflates a part chunk by chunk into `handler`, enforcing the size and expansion limits.
    func stream<H: XMLEventHandler>(part path: String, into handler: inout H) throws {
        guard let entry = archive[path] else {
            throw FileReadError(file: fileName, reason: "工作簿缺少部件 \(path)，文件可能已损坏")
        }
        let ratioLimit = max(entry.compressedSize, 1) * limits.maxExpansionRatio
        let sizeLimit = min(limits.maxPartBytes, max(ratioLimit, 1 << 20))
        var scanner = XMLScanner()
        do {
            _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: true) { data in
                if scanner.totalBytes + UInt64(data.count) > sizeLimit {
                    throw FileReadError(
                        file: fileName, reason: "部件 \(path) 解压后超过 \(sizeLimit / (1 << 20)) MB（压缩比异常，可能是“压缩炸弹”），已停止读取")
                }
                try scanner.feed(data, into: &handler)
            }
        } catch let error as FileReadError {
            throw error
        } catch let error as StopReading {
            throw error
        } catch {
            throw FileReadError(file: fileName, reason: "部件 \(path) 无法解压，文件可能已损坏（\(error)）")
        }
        if scanner.hasUnfinishedInput {
            throw FileReadError(file: fileName, reason: "部件 \(path) 的内容不完整（XML 被截断），文件可能已损坏")
        }
    }

    private func readWorkbookStructure() throws {
        var relationships = RelationshipsHandler()
        if archive["xl/_rels/workbook.xml.rels"] != nil {
            try stream(part: "xl/_rels/workbook.xml.rels", into: &relationships)
        }
        var workbook = WorkbookHandler()
        guard archive["xl/workbook.xml"] != nil else {
            throw FileReadError(
                file: fileName,
                reason: "这个 zip 文件里没有工作簿（xl/workbook.xml），不是 Excel 表格（Word 文档、压缩包都不能导入）：请选择 .xlsx、.xls 或 .csv 文件")
        }
        try stream(part: "xl/workbook.xml", into: &workbook)
        uses1904Epoch = workbook.date1904
        for (name, relationshipID) in workbook.sheets {
            guard let target = relationships.targets[relationshipID] else { continue }
            sheetNames.append(name)
            sheetPaths[name] = resolve(target)
        }
        if sheetNames.isEmpty {
            throw FileReadError(file: fileName, reason: "工作簿中没有工作表")
        }
        if let target = relationships.sharedStringsTarget {
            sharedStringsPath = resolve(target)
        } else if archive["xl/sharedStrings.xml"] != nil {
            sharedStringsPath = "xl/sharedStrings.xml"
        }
        let stylesPath = relationships.stylesTarget.map(resolve) ?? "xl/styles.xml"
        if archive[stylesPath] != nil {
            var styles = StylesHandler()
            try stream(part: stylesPath, into: &styles)
            dateStyles = styles.cellFormats.map { ExcelDate.isDateFormat(id: $0, customFormats: styles.customFormats) }
        }
    }

    private func resolve(_ target: String) -> String {
        target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target
    }
}

/// Thrown inside a consumer closure to stop reading early; never escapes the reader.
struct StopReading: Error {}

/// One worksheet, read row by row.
public final class XLSXSheet: TableSource {
    public var fileName: String { workbook.fileName }
    public let sheetName: String?
    public private(set) var readFindings: [Finding] = []
    private let workbook: XLSXWorkbook
    private let path: String

    init(workbook: XLSXWorkbook, name: String, path: String) {
        self.workbook = workbook
        self.sheetName = name
        self.path = path
    }

    public func forEachRow(_ body: (RawRow) throws -> Bool) throws {
        let strings = try workbook.sharedStrings()
        let findings = try withoutActuallyEscaping(body) { emit in
            var handler = SheetHandler(
                sharedStrings: strings.strings, truncatedStrings: strings.truncated, workbook: workbook,
                limits: workbook.limits, emit: emit)
            do {
                try workbook.stream(part: path, into: &handler)
                try handler.flushRow()
                guard handler.sawEnd else {
                    throw FileReadError(
                        file: workbook.fileName,
                        reason: "工作表 \(sheetName ?? "") 的内容不完整（缺少结尾，文件可能被截断），已读到第 \(handler.lastRow) 行")
                }
            } catch is StopReading {}
            handler.reportUncachedFormulas()
            return handler.findings
        }
        readFindings = findings.map {
            var finding = $0
            finding.file = fileName
            finding.sheet = sheetName
            return finding
        }
    }
}

/// Streams `<sheetData>`: rows, cells, values; resolves shared strings, booleans, errors and
/// dates (by the cell's style) into text.
private struct SheetHandler: XMLEventHandler {
    let sharedStrings: [String]
    let truncatedStrings: Set<Int>
    let workbook: XLSXWorkbook
    let limits: ReadLimits
    let emit: (RawRow) throws -> Bool
    var findings: [Finding] = []

    private var rowNumber = 0
    private var inRow = false
    private var cells = RawCells()
    private var column = -1
    private var cellType: CellType = .number
    private var styleIndex = 0
    private var capturing = false
    private var inInlineString = false
    private var inPhonetic = false
    private var value: [UInt8] = []
    private var truncated = false
    private var rowsRead = 0
    /// Whether the current cell holds a formula, and the formula cells of the current row.
    private var cellHasFormula = false
    private var formulaColumns: [Int] = []
    /// Whether the current cell has a value element: a formula's result as last calculated.
    private var cellHasValue = false
    /// Formula cells saved without a result (files written by programs, not by Excel or WPS),
    /// and the first of them: they read as blank.
    private var uncachedFormulas = 0
    private var firstUncachedFormula: (row: Int, column: Int)?
    /// Whether `</sheetData>` arrived: a part cut short between tags shows no other sign.
    private(set) var sawEnd = false
    var lastRow: Int { rowNumber }

    private enum CellType { case number, shared, inline, boolean, error, formulaString }

    init(
        sharedStrings: [String], truncatedStrings: Set<Int>, workbook: XLSXWorkbook, limits: ReadLimits,
        emit: @escaping (RawRow) throws -> Bool
    ) {
        self.sharedStrings = sharedStrings
        self.truncatedStrings = truncatedStrings
        self.workbook = workbook
        self.limits = limits
        self.emit = emit
    }

    mutating func start(name: UnsafeBufferPointer<UInt8>, tag: UnsafeBufferPointer<UInt8>, selfClosing: Bool) throws {
        if name.equals("c") {
            var reference: UnsafeBufferPointer<UInt8>?
            var type: UnsafeBufferPointer<UInt8>?
            var style: UnsafeBufferPointer<UInt8>?
            tag.forEachAttribute { name, value in
                if name.equals("r") {
                    reference = value
                } else if name.equals("t") {
                    type = value
                } else if name.equals("s") {
                    style = value
                }
            }
            if let reference, let parsed = columnIndex(reference) {
                column = parsed
            } else {
                column += 1
            }
            cellType = .number
            if let type {
                if type.equals("s") {
                    cellType = .shared
                } else if type.equals("inlineStr") {
                    cellType = .inline
                } else if type.equals("b") {
                    cellType = .boolean
                } else if type.equals("e") {
                    cellType = .error
                } else if type.equals("str") {
                    cellType = .formulaString
                }
            }
            styleIndex = style?.decimalValue ?? 0
            value.removeAll(keepingCapacity: true)
            truncated = false
            cellHasFormula = false
            cellHasValue = false
        } else if name.equals("f") {
            cellHasFormula = true
        } else if name.equals("v") {
            capturing = !selfClosing
            cellHasValue = true
        } else if name.equals("t") {
            capturing = !selfClosing && inInlineString && !inPhonetic
        } else if name.equals("is") {
            inInlineString = !selfClosing
        } else if name.equals("rPh") {
            inPhonetic = !selfClosing
        } else if name.equals("sheetData") {
            if selfClosing { sawEnd = true }
        } else if name.equals("row") {
            try flushRow()
            if let reference = tag.attribute("r")?.decimalValue { rowNumber = reference } else { rowNumber += 1 }
            inRow = !selfClosing
            column = -1
        }
    }

    mutating func end(name: UnsafeBufferPointer<UInt8>) throws {
        if name.equals("v") || name.equals("t") {
            capturing = false
        } else if name.equals("c") {
            storeCell()
        } else if name.equals("is") {
            inInlineString = false
        } else if name.equals("rPh") {
            inPhonetic = false
        } else if name.equals("row") {
            try flushRow()
        } else if name.equals("sheetData") {
            sawEnd = true
        }
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard capturing else { return }
        if value.count + bytes.count > limits.maxCellBytes {
            value.append(contentsOf: bytes.prefix(max(0, limits.maxCellBytes - value.count)))
            if !truncated {
                truncated = true
                findings.append(
                    Finding(.error, "单元格超过 \(limits.maxCellBytes) 字节，已截断", row: rowNumber, column: columnLetter(column))
                )
            }
            return
        }
        value.append(contentsOf: bytes)
    }

    /// One warning for the sheet's formula cells that have no saved result.
    mutating func reportUncachedFormulas() {
        guard let first = firstUncachedFormula else { return }
        let others = uncachedFormulas > 1 ? "等 \(uncachedFormulas) 个单元格" : ""
        findings.append(
            Finding(
                .warning,
                "\(columnLetter(first.column))\(first.row) \(others)是公式，但文件中没有保存计算结果（常见于程序生成的表格），已按空白读取；请在 Excel 或 WPS 中打开、保存后重新导入，或把公式复制后“选择性粘贴为数值”",
                row: first.row, column: columnLetter(first.column)))
    }

    mutating func flushRow() throws {
        guard inRow else { return }
        inRow = false
        rowsRead += 1
        if rowsRead > limits.maxRows {
            findings.append(
                Finding(.error, "行数超过上限 \(limits.maxRows)，其余行未读取（可在设置文件 limits.max_rows 中调整）", row: rowNumber))
            throw StopReading()
        }
        let row = RawRow(number: rowNumber, cells: cells, formulaColumns: formulaColumns)
        cells = RawCells(bytes: cells.byteCount, cells: cells.count)
        formulaColumns.removeAll(keepingCapacity: true)
        if try !emit(row) { throw StopReading() }
    }

    private mutating func storeCell() {
        guard column >= 0, column < limits.maxColumns else {
            if column >= limits.maxColumns, column == limits.maxColumns {
                findings.append(Finding(.warning, "列数超过 \(limits.maxColumns)，多余的列已忽略", row: rowNumber))
            }
            return
        }
        if cellHasFormula {
            formulaColumns.append(column)
            if !cellHasValue {
                uncachedFormulas += 1
                if firstUncachedFormula == nil { firstUncachedFormula = (rowNumber, column) }
            }
        }
        let text: String
        switch cellType {
        case .number where value.count <= 15 && !workbook.isDateStyle(styleIndex) && value.allSatisfy({ $0 < 0x80 }):
            // A number as the file writes it: its bytes are the cell's text.
            let number = value
            number.withUnsafeBufferPointer { place($0) }
            return
        case .shared:
            let raw = value.withUnsafeBufferPointer { $0.decimalValue }
            if let index = raw, index < sharedStrings.count {
                text = sharedStrings[index]
                if truncatedStrings.contains(index) {
                    findings.append(
                        Finding(
                            .error, "单元格超过 \(limits.maxCellBytes) 字节，已截断", row: rowNumber, column: columnLetter(column))
                    )
                }
            } else {
                findings.append(
                    Finding(
                        .error, "共享字符串索引超出范围，单元格内容无法读取（文件可能已损坏）", row: rowNumber, column: columnLetter(column),
                        value: String(decoding: value, as: UTF8.self)))
                text = ""
            }
        case .inline, .formulaString, .error:
            text = value.withUnsafeBufferPointer(decodeXMLText)
        case .boolean:
            text = value == [0x31] ? "TRUE" : "FALSE"
        case .number:
            let raw = String(decoding: value, as: UTF8.self)
            if workbook.isDateStyle(styleIndex), let serial = Double(raw) {
                text = ExcelDate.text(fromSerial: serial, uses1904Epoch: workbook.uses1904Epoch) ?? raw
            } else if raw.utf8.count > 15, let number = Double(raw) {
                // Writers print 17 significant digits (90.40000000000001); show the shortest
                // text that reads back as the same number, as Excel does (90.4).
                text = number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
            } else {
                text = raw
            }
        }
        var contiguous = text
        contiguous.withUTF8 { place($0) }
    }

    /// Puts the current cell's text in its column of the row.
    private mutating func place(_ text: UnsafeBufferPointer<UInt8>) {
        if column >= cells.count {
            if text.isEmpty { return }
            cells.appendBlanks(upTo: column)
            cells.append(text)
        } else {
            // A cell left of one already read (hand-written XML): the row is gathered again.
            var texts = RawRow(number: rowNumber, cells: cells).cells
            texts[column] = String(decoding: text, as: UTF8.self)
            cells = RawCells(texts)
        }
    }

    /// The 0-based column of a cell reference such as `AB12`; nil past XFD (3 letters), so a
    /// corrupt reference cannot overflow.
    private func columnIndex(_ reference: UnsafeBufferPointer<UInt8>) -> Int? {
        var index = 0
        var letters = 0
        for byte in reference {
            guard byte >= 0x41, byte <= 0x5A else { break }
            letters += 1
            guard letters <= 3 else { return nil }
            index = index * 26 + Int(byte - 0x40)
        }
        return letters == 0 ? nil : index - 1
    }
}

/// `<si>` items of the shared-string table; rich-text runs are joined, phonetic runs skipped.
private struct SharedStringsHandler: XMLEventHandler {
    let maxBytes: Int
    var strings: [String] = []
    /// Indices of strings cut at `maxBytes`; cells that use them get a finding.
    var truncated: Set<Int> = []
    private var current: [UInt8] = []

    init(maxBytes: Int) { self.maxBytes = maxBytes }

    private var inItem = false
    private var inText = false
    private var inPhonetic = false

    mutating func start(name: UnsafeBufferPointer<UInt8>, tag: UnsafeBufferPointer<UInt8>, selfClosing: Bool) throws {
        if name.equals("si") {
            current.removeAll(keepingCapacity: true)
            inItem = true
            if selfClosing {
                strings.append("")
                inItem = false
            }
        } else if name.equals("t") {
            inText = inItem && !inPhonetic && !selfClosing
        } else if name.equals("rPh") {
            inPhonetic = !selfClosing
        }
    }

    mutating func end(name: UnsafeBufferPointer<UInt8>) throws {
        if name.equals("si") {
            strings.append(current.withUnsafeBufferPointer(decodeXMLText))
            inItem = false
        } else if name.equals("t") {
            inText = false
        } else if name.equals("rPh") {
            inPhonetic = false
        }
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard inText else { return }
        if current.count + bytes.count > maxBytes {
            current.append(contentsOf: bytes.prefix(max(0, maxBytes - current.count)))
            truncated.insert(strings.count)
            return
        }
        current.append(contentsOf: bytes)
    }
}

/// `<sheet name r:id>` entries and the 1904 flag of `xl/workbook.xml`.
private struct WorkbookHandler: XMLEventHandler {
    var sheets: [(String, String)] = []
    var date1904 = false

    mutating func start(name: UnsafeBufferPointer<UInt8>, tag: UnsafeBufferPointer<UInt8>, selfClosing: Bool) throws {
        if name.equals("sheet"), let sheetName = tag.attribute("name"), let id = tag.attribute("r:id") {
            sheets.append((decodeXMLText(sheetName), String(decoding: id, as: UTF8.self)))
        } else if name.equals("workbookPr"), let flag = tag.attribute("date1904") {
            date1904 = flag.equals("1") || flag.equals("true")
        }
    }

    mutating func end(name: UnsafeBufferPointer<UInt8>) throws {}
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws {}
}

/// Relationship targets of `xl/_rels/workbook.xml.rels`.
private struct RelationshipsHandler: XMLEventHandler {
    var targets: [String: String] = [:]
    var sharedStringsTarget: String?
    var stylesTarget: String?

    mutating func start(name: UnsafeBufferPointer<UInt8>, tag: UnsafeBufferPointer<UInt8>, selfClosing: Bool) throws {
        guard name.equals("Relationship"), let id = tag.attribute("Id"), let target = tag.attribute("Target") else {
            return
        }
        let targetText = decodeXMLText(target)
        targets[String(decoding: id, as: UTF8.self)] = targetText
        let type = tag.attribute("Type").map { String(decoding: $0, as: UTF8.self) } ?? ""
        if type.hasSuffix("/sharedStrings") { sharedStringsTarget = targetText }
        if type.hasSuffix("/styles") { stylesTarget = targetText }
    }

    mutating func end(name: UnsafeBufferPointer<UInt8>) throws {}
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws {}
}

/// Number formats of `xl/styles.xml`: custom format codes and the format id of each cell style.
private struct StylesHandler: XMLEventHandler {
    var customFormats: [Int: String] = [:]
    var cellFormats: [Int] = []
    private var inCellXfs = false

    mutating func start(name: UnsafeBufferPointer<UInt8>, tag: UnsafeBufferPointer<UInt8>, selfClosing: Bool) throws {
        if name.equals("numFmt"), let id = tag.attribute("numFmtId")?.decimalValue,
            let code = tag.attribute("formatCode")
        {
            customFormats[id] = decodeXMLText(code)
        } else if name.equals("cellXfs") {
            inCellXfs = !selfClosing
        } else if name.equals("xf"), inCellXfs {
            cellFormats.append(tag.attribute("numFmtId")?.decimalValue ?? 0)
        }
    }

    mutating func end(name: UnsafeBufferPointer<UInt8>) throws {
        if name.equals("cellXfs") { inCellXfs = false }
    }

    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws {}
}
