import Foundation
import Standards

/// A streaming CSV reader for files saved by Excel or WPS: UTF-8 with or without BOM, otherwise
/// GB18030 (what Chinese Excel writes for "CSV (逗号分隔)"); RFC 4180 quoting with commas, quotes
/// and line breaks inside quotes; CRLF or LF line ends; comma, or tab when the first line has
/// tabs and no commas.
///
/// The file is read in fixed-size chunks, so memory stays bounded whatever its size.
public final class CSVTable: TableSource {
    public enum Encoding: String, Sendable {
        case utf8 = "UTF-8"
        case gb18030 = "GB18030"
    }

    public let fileName: String
    public let sheetName: String? = nil
    public private(set) var readFindings: [Finding] = []
    /// The encoding detected from the first chunk of the file.
    public private(set) var encoding: Encoding = .utf8

    private let url: URL
    private let limits: ReadLimits
    private let chunkSize: Int

    public init(url: URL, limits: ReadLimits = ReadLimits(), chunkSize: Int = 1 << 20) throws {
        self.url = url
        self.fileName = url.lastPathComponent
        self.limits = limits
        self.chunkSize = chunkSize
    }

    public func forEachRow(_ body: (RawRow) throws -> Bool) throws {
        readFindings = []
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw FileReadError(file: fileName, reason: "文件不存在或无法读取")
        }
        defer { try? handle.close() }
        var parser = RecordParser(limits: limits)
        var first = true
        var stop = false
        var rows = 0
        var decoder = CellDecoder(fileName: fileName)
        defer {
            readFindings =
                decoder.findings
                + parser.findings.map {
                    var finding = $0
                    finding.file = fileName
                    return finding
                }
        }
        func emit(_ record: RecordParser.Record, line: Int) throws -> Bool {
            rows += 1
            guard rows <= limits.maxRows else {
                decoder.findings.append(
                    Finding(
                        .error, "行数超过上限 \(limits.maxRows)，其余行未读取（可在设置文件 limits.max_rows 中调整）", file: fileName,
                        row: line))
                stop = true
                return false
            }
            if try !body(RawRow(number: line, cells: decoder.cells(of: record, line: line))) { stop = true }
            return !stop
        }

        while !stop {
            let data = try handle.read(upToCount: chunkSize) ?? Data()
            if data.isEmpty { break }
            try data.withUnsafeBytes { raw in
                var bytes = raw.bindMemory(to: UInt8.self)
                if first {
                    first = false
                    (bytes, encoding) = try detectEncoding(bytes, parser: &parser)
                    decoder.encoding = encoding
                }
                try parser.consume(bytes, onRecord: emit)
            }
        }
        if !stop { try parser.finish(emit) }
    }

    /// Strips a BOM, picks UTF-8 or GB18030 and the delimiter from the first chunk.
    private func detectEncoding(_ bytes: UnsafeBufferPointer<UInt8>, parser: inout RecordParser) throws
        -> (body: UnsafeBufferPointer<UInt8>, encoding: Encoding)
    {
        if bytes.count >= 2, (bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF) {
            throw FileReadError(file: fileName, reason: "文件是 UTF-16 编码（“Unicode 文本”），请另存为“CSV (逗号分隔)”或 UTF-8 CSV")
        }
        var body = bytes
        let encoding: Encoding
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            body = UnsafeBufferPointer(rebasing: bytes[3...])
            encoding = .utf8
        } else {
            encoding = isValidUTF8Prefix(bytes) ? .utf8 : .gb18030
        }
        let firstLine = body.prefix { $0 != 0x0A }
        if firstLine.contains(0x09), !firstLine.contains(0x2C) { parser.delimiter = 0x09 }
        return (body, encoding)
    }
}

/// Turns a CSV record's fields into cell texts in the file's encoding, remembering the findings.
///
/// One value, used once per record: the record callback captures it, and every access to a
/// captured variable (or to a class's stored property) is checked for exclusivity at run time,
/// which per cell cost a seventh of the reading thread's instructions.
private struct CellDecoder {
    let fileName: String
    var encoding = CSVTable.Encoding.utf8
    var findings: [Finding] = []
    private let gb18030 = GB18030Decoder()
    /// The UTF-8 of the last few non-ASCII cells of each column.
    private var repeated = RecentCells<[UInt8]>()
    /// The UTF-8 of the cell being decoded, its memory kept from cell to cell.
    private var decoded: [UInt8] = []

    init(fileName: String) { self.fileName = fileName }

    mutating func cells(of record: RecordParser.Record, line: Int) -> RawCells {
        var cells = RawCells(bytes: record.bytes.count + record.bytes.count / 2, cells: record.count)
        // ASCII is the same in either encoding: most cells are copied as they are, a run of them
        // at once, up to the next cell to decode.
        var run = 0
        func copyRun(upTo column: Int) {
            guard run < column else { return }
            let start = record.start(of: run)
            let end = record.fieldEnds[column - 1]
            cells.append(
                run: UnsafeBufferPointer(rebasing: record.bytes[start..<end]), from: start,
                ends: record.fieldEnds[run..<column])
        }
        for column in 0..<record.count {
            let bytes = record.field(column)
            if !bytes.contains(where: { $0 >= 0x80 }) { continue }
            copyRun(upTo: column)
            run = column + 1
            if let known = repeated.value(column, ifSameAs: bytes) {
                known.withUnsafeBufferPointer { cells.append($0) }
                continue
            }
            let remark = Self.decodeField(bytes, encoding: encoding, gb18030: gb18030, into: &decoded)
            if let remark {
                findings.append(
                    Finding(
                        remark.severity, remark.message, file: fileName, row: line, column: columnLetter(column),
                        value: String(decoding: decoded, as: UTF8.self)))
            } else {
                // Only a cell decoded without a remark may stand for the same bytes further down.
                decoded.withUnsafeBufferPointer { repeated.remember(column, bytes: bytes, as: Array($0)) }
            }
            decoded.withUnsafeBufferPointer { cells.append($0) }
        }
        copyRun(upTo: record.count)
        return cells
    }

    /// Decodes one field in the file's encoding, falling back to the other one (with a warning)
    /// for files that mix them. In a GB18030 file a field counts as UTF-8 only when it is valid
    /// UTF-8 made of CJK-range characters: a GB18030 pair can be valid two-byte UTF-8 (女 =
    /// C5 AE = "Ů"), but then decodes to Latin or Cyrillic letters, never to CJK.
    private static func decodeField(
        _ buffer: UnsafeBufferPointer<UInt8>, encoding: CSVTable.Encoding, gb18030: GB18030Decoder,
        into utf8: inout [UInt8]
    ) -> (severity: Finding.Severity, message: String)? {
        utf8.removeAll(keepingCapacity: true)
        // The byte structure first: a GB18030 cell fails it within a few bytes, where the
        // standard library's validation cost a thousand instructions a cell.
        if isValidUTF8Prefix(buffer), let text = String(validating: buffer, as: UTF8.self),
            encoding == .utf8 || text.unicodeScalars.allSatisfy({ $0.isASCII || $0.value >= 0x2E80 })
        {
            utf8.append(contentsOf: buffer)
            guard encoding == .gb18030 else { return nil }
            return (.warning, "此单元格是 UTF-8 编码，而文件其余部分是 GB18030；已按 UTF-8 读取，请检查文件是否混用了编码")
        }
        if gb18030.decode(buffer, into: &utf8) {
            guard encoding == .utf8 else { return nil }
            return (.warning, "此单元格不是 UTF-8 编码，已按 GB18030 读取；请检查文件是否混用了编码")
        }
        utf8.appendUTF8(String(decoding: buffer, as: UTF8.self))
        return (.error, "单元格含有无法识别的字节（既不是 UTF-8 也不是 GB18030）")
    }
}

/// Spreadsheet column letters for a 0-based index: 0 → A, 25 → Z, 26 → AA.
public func columnLetter(_ index: Int) -> String {
    var letters: [Character] = []
    var value = index + 1
    while value > 0 {
        let remainder = (value - 1) % 26
        letters.insert(Character(UnicodeScalar(UInt8(65 + remainder))), at: 0)
        value = (value - 1) / 26
    }
    return String(letters)
}

/// The byte-level RFC 4180 state machine, fed chunk by chunk. Works on raw bytes because the
/// delimiters (`,` `"` CR LF TAB) never occur inside a UTF-8 or GB18030 multi-byte character.
///
/// A record's fields are kept one after another in one reused byte buffer, each followed by one
/// separator byte, with their end offsets: a run of plain fields is copied whole with the
/// delimiters between them, which become the separators. No allocation per field or per byte.
struct RecordParser {
    var delimiter: UInt8 = 0x2C
    private(set) var findings: [Finding] = []
    private let limits: ReadLimits
    /// The bytes of the record being read, field after field.
    private var bytes: [UInt8] = []
    /// Where each completed field of the record ends in `bytes`.
    private var fieldEnds: [Int] = []
    private var fieldStart = 0
    private var inQuotes = false
    private var quoteInQuoted = false
    private var afterCR = false
    private var line = 1
    private var recordStartLine = 1
    private var recordHasContent = false
    private var truncatedCell = false
    private var droppedColumns = false

    init(limits: ReadLimits) {
        self.limits = limits
        bytes.reserveCapacity(4096)
        fieldEnds.reserveCapacity(64)
    }

    /// One record as handed to `onRecord`: valid only during the call.
    struct Record {
        let bytes: UnsafeBufferPointer<UInt8>
        let fieldEnds: UnsafeBufferPointer<Int>

        var count: Int { fieldEnds.count }

        func start(of index: Int) -> Int { index == 0 ? 0 : fieldEnds[index - 1] + 1 }

        func field(_ index: Int) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: bytes[start(of: index)..<fieldEnds[index]])
        }
    }

    /// Parses `chunk`, calling `onRecord` with every completed record and the line it started on;
    /// `onRecord` returns false to stop.
    mutating func consume(_ chunk: UnsafeBufferPointer<UInt8>, onRecord: (Record, Int) throws -> Bool) throws {
        var index = 0
        let count = chunk.count
        while index < count {
            let byte = chunk[index]
            if afterCR {
                afterCR = false
                if byte == 0x0A {
                    index += 1
                    continue
                }
            }
            if inQuotes {
                if quoteInQuoted {
                    quoteInQuoted = false
                    if byte == 0x22 {
                        append(0x22)
                        index += 1
                        continue
                    }
                    inQuotes = false
                    // fall through: the byte after a closing quote is handled as unquoted
                } else {
                    // A run of quoted data up to the next quote; line breaks inside are data (lines counted on LF).
                    var end = index
                    while end < count, chunk[end] != 0x22 {
                        if chunk[end] == 0x0A { line += 1 }
                        end += 1
                    }
                    append(UnsafeBufferPointer(rebasing: chunk[index..<end]))
                    if end < count { quoteInQuoted = true }
                    index = end + 1
                    continue
                }
            }
            switch byte {
            case 0x22 where bytes.count == fieldStart && !truncatedCell:
                inQuotes = true
                recordHasContent = true
                index += 1
            case delimiter:
                endField()
                index += 1
            case 0x0A, 0x0D:
                afterCR = byte == 0x0D
                line += 1
                index += 1
                if try !endRecord(onRecord) { return }
                recordStartLine = line
            case 0x00:
                findings.append(Finding(.warning, "文件含有空字符（NUL），已忽略", row: line))
                index += 1
            default:
                index = appendPlainRun(chunk, from: index)
            }
        }
    }

    /// The last record when the file does not end with a line break; reports an open quote.
    mutating func finish(_ onRecord: (Record, Int) throws -> Bool) throws {
        if inQuotes && !quoteInQuoted {
            findings.append(Finding(.error, "引号没有闭合：从此行开始的字段直到文件末尾都未结束", row: recordStartLine))
        }
        inQuotes = false
        quoteInQuoted = false
        _ = try endRecord(onRecord)
    }

    /// Copies the plain bytes from `index` up to the next byte with a meaning other than the
    /// delimiter (a line break, quote, NUL or the chunk's end) at once: each delimiter in the run
    /// ends a field and stays in `bytes` as its separator. A run that would outgrow a cell's or a
    /// row's limit goes field by field through `append`, which truncates. Returns where it stopped.
    private mutating func appendPlainRun(_ chunk: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        let count = chunk.count
        let endsBefore = fieldEnds.count
        let offset = bytes.count - index
        var end = index + 1
        var firstDelimiter: Int?
        var lastDelimiter = -1
        while end < count {
            let next = chunk[end]
            if next == delimiter {
                fieldEnds.append(offset + end)
                if firstDelimiter == nil { firstDelimiter = end }
                lastDelimiter = end
            } else if next == 0x0A || next == 0x0D || next == 0x00 || next == 0x22 {
                break
            }
            end += 1
        }
        let fits =
            end - index <= limits.maxCellBytes - (bytes.count - fieldStart) && !truncatedCell
            && fieldEnds.count <= limits.maxColumns
        guard fits else {
            fieldEnds.removeSubrange(endsBefore...)
            let stop = firstDelimiter ?? end
            append(UnsafeBufferPointer(rebasing: chunk[index..<stop]))
            return stop
        }
        recordHasContent = true
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: chunk[index..<end]))
        if lastDelimiter >= 0 { fieldStart = offset + lastDelimiter + 1 }
        return end
    }

    private mutating func append(_ byte: UInt8) {
        withUnsafeBytes(of: byte) { append($0.bindMemory(to: UInt8.self)) }
    }

    private mutating func append(_ run: UnsafeBufferPointer<UInt8>) {
        recordHasContent = true
        let room = limits.maxCellBytes - (bytes.count - fieldStart)
        if run.count <= room {
            bytes.append(contentsOf: run)
            return
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: run[..<max(room, 0)]))
        if !truncatedCell {
            truncatedCell = true
            findings.append(
                Finding(
                    .error, "单元格超过 \(limits.maxCellBytes) 字节，已截断", row: recordStartLine,
                    column: columnLetter(fieldEnds.count)))
        }
    }

    private mutating func endField() {
        recordHasContent = true
        if fieldEnds.count < limits.maxColumns {
            fieldEnds.append(bytes.count)
            bytes.append(delimiter)
        } else {
            bytes.removeSubrange(fieldStart...)
            if !droppedColumns {
                droppedColumns = true
                findings.append(Finding(.warning, "列数超过 \(limits.maxColumns)，多余的列已忽略", row: recordStartLine))
            }
        }
        fieldStart = bytes.count
        truncatedCell = false
    }

    /// Hands the finished record (if it has any content) to `onRecord` and starts the next.
    private mutating func endRecord(_ onRecord: (Record, Int) throws -> Bool) throws -> Bool {
        guard recordHasContent || bytes.count > fieldStart else { return true }
        endField()
        defer {
            bytes.removeAll(keepingCapacity: true)
            fieldEnds.removeAll(keepingCapacity: true)
            fieldStart = 0
            recordHasContent = false
            droppedColumns = false
        }
        return try bytes.withUnsafeBufferPointer { bytes in
            try fieldEnds.withUnsafeBufferPointer { ends in
                try onRecord(Record(bytes: bytes, fieldEnds: ends), recordStartLine)
            }
        }
    }
}
