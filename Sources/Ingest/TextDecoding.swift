import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Converts GB18030 bytes (what Chinese Excel writes for "CSV") to Swift strings through iconv,
/// which is several times faster than Foundation's converter on Linux.
final class GB18030Decoder {
    private let converter: iconv_t?

    init() {
        let handle = iconv_open("UTF-8", "GB18030")
        converter = handle == iconv_t(bitPattern: -1) ? nil : handle
    }

    deinit {
        if let converter { iconv_close(converter) }
    }

    /// Appends the decoded text's UTF-8 to `utf8`; false (and `utf8` as it was) when the bytes
    /// are not valid GB18030. Bytes, not a String: the reader keeps cells as UTF-8.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, into utf8: inout [UInt8]) -> Bool {
        guard let converter else {
            guard let text = String(data: Data(bytes), encoding: String.Encoding(rawValue: 0x8000_0632)) else {
                return false
            }
            utf8.appendUTF8(text)
            return true
        }
        let start = utf8.count
        // Room enough: a GB18030 character of two bytes is at most three in UTF-8, one of four is
        // four, and ASCII is byte for byte.
        utf8.append(contentsOf: repeatElement(0, count: bytes.count * 2 + 4))
        let outLeft = utf8.withUnsafeMutableBufferPointer { out -> Int? in
            var inPointer = UnsafeMutablePointer(
                mutating: bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) })
            var inLeft = bytes.count
            var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(out.baseAddress! + start)
                .assumingMemoryBound(to: CChar.self)
            var outLeft = out.count - start
            let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
            guard result != -1, inLeft == 0 else {
                // Back to the initial state for the next cell (a complete conversion ends there).
                iconv(converter, nil, nil, nil, nil)
                return nil
            }
            return outLeft
        }
        guard let outLeft else {
            utf8.removeSubrange(start...)
            return false
        }
        utf8.removeLast(outLeft)
        return true
    }
}

/// True when `bytes` is valid UTF-8, allowing an incomplete sequence at the very end (a chunk
/// boundary).
func isValidUTF8Prefix(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var index = 0
    let count = bytes.count
    while index < count {
        let lead = bytes[index]
        if lead < 0x80 {
            index += 1
            continue
        }
        let length: Int
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return false
        }
        if index + length > count {
            // Incomplete sequence at the end: accept if what is there are continuation bytes.
            return (index + 1..<count).allSatisfy { bytes[$0] & 0xC0 == 0x80 }
        }
        for offset in 1..<length where bytes[index + offset] & 0xC0 != 0x80 { return false }
        index += length
    }
    return true
}
