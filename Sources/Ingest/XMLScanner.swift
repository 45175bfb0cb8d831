import Foundation

/// Receives the events of `XMLScanner`. The byte buffers are only valid during the call.
protocol XMLEventHandler {
    /// A start tag; `tag` holds the bytes between `<` and `>` (name and attributes).
    mutating func start(name: UnsafeBufferPointer<UInt8>, tag: UnsafeBufferPointer<UInt8>, selfClosing: Bool) throws
    mutating func end(name: UnsafeBufferPointer<UInt8>) throws
    /// Raw character data between tags (entities not yet decoded).
    mutating func text(_ bytes: UnsafeBufferPointer<UInt8>) throws
}

/// A minimal push scanner for the XML of .xlsx parts, fed in chunks as ZIPFoundation inflates
/// them, so a worksheet is never held whole in memory. It knows only what SpreadsheetML uses:
/// elements, attributes, character data, comments, processing instructions and CDATA.
/// Namespace prefixes are dropped from element names (`x:row` → `row`).
struct XMLScanner {
    private var pending: [UInt8] = []
    /// Bytes scanned so far, to bound a document that never closes a tag.
    private(set) var totalBytes: UInt64 = 0

    mutating func feed<H: XMLEventHandler>(_ data: Data, into handler: inout H) throws {
        totalBytes += UInt64(data.count)
        if pending.isEmpty {
            let consumed = try data.withUnsafeBytes { raw in
                try scan(raw.bindMemory(to: UInt8.self), into: &handler)
            }
            if consumed < data.count { pending.append(contentsOf: data[data.startIndex + consumed..<data.endIndex]) }
        } else {
            pending.append(contentsOf: data)
            let consumed = try pending.withUnsafeBufferPointer { try scan($0, into: &handler) }
            pending.removeFirst(consumed)
        }
    }

    /// True when the input ended in the middle of a tag.
    var hasUnfinishedInput: Bool { pending.contains(0x3C) }

    /// Scans complete events and returns how many bytes were consumed.
    private func scan<H: XMLEventHandler>(_ bytes: UnsafeBufferPointer<UInt8>, into handler: inout H) throws -> Int {
        var position = 0
        let count = bytes.count
        while position < count {
            guard let open = index(of: 0x3C, in: bytes, from: position) else {
                // Text up to the end may continue in the next chunk.
                return position
            }
            if open > position {
                try handler.text(UnsafeBufferPointer(rebasing: bytes[position..<open]))
            }
            guard open + 1 < count else { return open }
            let next = bytes[open + 1]
            if next == 0x21 {  // <! comment, CDATA or doctype
                if matches(bytes, at: open, "<!--") {
                    guard let close = find(bytes, "-->", from: open + 4) else { return open }
                    position = close + 3
                } else if matches(bytes, at: open, "<![CDATA[") {
                    guard let close = find(bytes, "]]>", from: open + 9) else { return open }
                    try handler.text(UnsafeBufferPointer(rebasing: bytes[(open + 9)..<close]))
                    position = close + 3
                } else {
                    guard let close = index(of: 0x3E, in: bytes, from: open) else { return open }
                    position = close + 1
                }
                continue
            }
            guard let close = tagEnd(bytes, from: open + 1) else { return open }
            position = close + 1
            if next == 0x3F { continue }  // <?xml ...?>
            if next == 0x2F {
                try handler.end(name: localName(UnsafeBufferPointer(rebasing: bytes[(open + 2)..<close])))
                continue
            }
            let selfClosing = bytes[close - 1] == 0x2F
            let tag = UnsafeBufferPointer(rebasing: bytes[(open + 1)..<(selfClosing ? close - 1 : close)])
            try handler.start(name: localName(tag), tag: tag, selfClosing: selfClosing)
        }
        return position
    }

    /// The `>` that closes a tag, skipping `>` inside quoted attribute values.
    private func tagEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var quote: UInt8 = 0
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if quote != 0 {
                if byte == quote { quote = 0 }
            } else if byte == 0x22 || byte == 0x27 {
                quote = byte
            } else if byte == 0x3E {
                return index
            }
            index += 1
        }
        return nil
    }

    private func localName(_ tag: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var end = 0
        var colon = -1
        while end < tag.count {
            let byte = tag[end]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x2F { break }
            if byte == 0x3A { colon = end }
            end += 1
        }
        return UnsafeBufferPointer(rebasing: tag[(colon + 1)..<end])
    }

    private func index(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let found = memchr(base + start, Int32(byte), bytes.count - start) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    private func matches(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int, _ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard position + length <= bytes.count else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<length where bytes[position + offset] != pointer[offset] { return false }
        return true
    }

    private func find(_ bytes: UnsafeBufferPointer<UInt8>, _ literal: StaticString, from start: Int) -> Int? {
        var position = start
        while let candidate = index(of: literal.utf8Start[0], in: bytes, from: position) {
            if matches(bytes, at: candidate, literal) { return candidate }
            position = candidate + 1
        }
        return nil
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Compares the bytes with an ASCII literal.
    func equals(_ literal: StaticString) -> Bool {
        guard count == literal.utf8CodeUnitCount else { return false }
        let pointer = literal.utf8Start
        for index in 0..<count where self[index] != pointer[index] { return false }
        return true
    }

    /// The raw value of attribute `name` in a start tag's bytes, or nil. Names are matched
    /// whole, so `r` does not match `xr:uid`.
    func attribute(_ name: StaticString) -> UnsafeBufferPointer<UInt8>? {
        var found: UnsafeBufferPointer<UInt8>?
        forEachAttribute { key, value in
            if found == nil, key.equals(name) { found = value }
        }
        return found
    }

    /// Calls `body` with the name and raw value of each attribute of a start tag's bytes (the
    /// element's name first, then `name="value"` or `name='value'` pairs), in one pass: a cell's
    /// tag is asked for three attributes, and searching it three times cost a sheet's reader
    /// more than scanning its XML. Stops at anything that is not an attribute.
    func forEachAttribute(_ body: (_ name: UnsafeBufferPointer<UInt8>, _ value: UnsafeBufferPointer<UInt8>) -> Void) {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
        var index = 0
        while index < count, !isSpace(self[index]) { index += 1 }
        while true {
            while index < count, isSpace(self[index]) { index += 1 }
            let nameStart = index
            while index < count, self[index] != 0x3D, !isSpace(self[index]) { index += 1 }
            let nameEnd = index
            while index < count, isSpace(self[index]) { index += 1 }
            guard nameEnd > nameStart, index < count, self[index] == 0x3D else { return }
            index += 1
            while index < count, isSpace(self[index]) { index += 1 }
            guard index < count, self[index] == 0x22 || self[index] == 0x27 else { return }
            let quote = self[index]
            let valueStart = index + 1
            index = valueStart
            while index < count, self[index] != quote { index += 1 }
            body(
                UnsafeBufferPointer(rebasing: self[nameStart..<nameEnd]),
                UnsafeBufferPointer(rebasing: self[valueStart..<index]))
            index += 1
        }
    }

    /// The bytes as an unsigned decimal integer, or nil.
    var decimalValue: Int? {
        guard !isEmpty else { return nil }
        var value = 0
        for byte in self {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value &* 10 &+ Int(byte - 0x30)
        }
        return value
    }
}

/// Decodes XML character data: the five named entities, numeric references, and the
/// `_xHHHH_` escapes Excel writes for control characters.
func decodeXMLText(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    if !bytes.contains(0x26) && !bytes.contains(0x5F) { return String(decoding: bytes, as: UTF8.self) }
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var index = 0
    while index < bytes.count {
        let byte = bytes[index]
        if byte == 0x26,
            let semicolon = (index + 1..<Swift.min(bytes.count, index + 12)).first(where: { bytes[$0] == 0x3B })
        {
            let entity = String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 1)..<semicolon]), as: UTF8.self)
            var scalar: Unicode.Scalar?
            switch entity {
            case "lt": scalar = "<"
            case "gt": scalar = ">"
            case "amp": scalar = "&"
            case "quot": scalar = "\""
            case "apos": scalar = "'"
            default:
                if entity.hasPrefix("#x") || entity.hasPrefix("#X") {
                    scalar = UInt32(entity.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init)
                } else if entity.hasPrefix("#") {
                    scalar = UInt32(entity.dropFirst(1)).flatMap(Unicode.Scalar.init)
                }
            }
            if let scalar {
                output.append(contentsOf: Array(String(scalar).utf8))
                index = semicolon + 1
                continue
            }
        }
        if byte == 0x5F, index + 6 < bytes.count, bytes[index + 1] == 0x78, bytes[index + 6] == 0x5F {
            let hex = String(decoding: UnsafeBufferPointer(rebasing: bytes[(index + 2)..<(index + 6)]), as: UTF8.self)
            if let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) {
                output.append(contentsOf: Array(String(scalar).utf8))
                index += 7
                continue
            }
        }
        output.append(byte)
        index += 1
    }
    return String(decoding: output, as: UTF8.self)
}
