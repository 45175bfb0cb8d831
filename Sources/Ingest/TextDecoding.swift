import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Converts GB18030 bytes (what Chinese Excel writes for "CSV") to UTF-8 through iconv, which is
/// several times faster than Foundation's converter on Linux.
///
/// A cell of ASCII and two-byte characters (names, schools, classes: GBK's range) is decoded
/// character by character from a table of the characters met so far, each converted by iconv
/// once: a file's names use a few thousand characters, and iconv cost some 1,400 instructions a
/// name. GB18030 has no shift states, so a character decodes the same alone as within its cell.
/// Any other cell (a four-byte character, a byte that begins none) is converted whole by iconv.
final class GB18030Decoder {
    private let converter: iconv_t?
    /// The UTF-8 of each two-byte character decoded so far, at `pairSlot`: its bytes in the low
    /// three bytes and their count in the high one; 0 when not yet decoded, `refused` when iconv
    /// refused it. A pointer rather than an array: every access to a class's stored array is
    /// checked for exclusivity at run time.
    private let pairs = UnsafeMutablePointer<UInt32>.allocate(capacity: pairCount)
    private static let pairCount = 126 * 191
    private static let refused: UInt32 = .max

    init() {
        let handle = iconv_open("UTF-8", "GB18030")
        converter = handle == iconv_t(bitPattern: -1) ? nil : handle
        pairs.initialize(repeating: 0, count: Self.pairCount)
    }

    deinit {
        if let converter { iconv_close(converter) }
        pairs.deallocate()
    }

    /// Appends the decoded text's UTF-8 to `utf8`; false (and `utf8` as it was) when the bytes
    /// are not valid GB18030. Bytes, not a String: the reader keeps cells as UTF-8.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, into utf8: inout [UInt8]) -> Bool {
        if converter != nil, decodeByCharacter(bytes, into: &utf8) { return true }
        return decodeWhole(bytes, into: &utf8)
    }

    /// The slot of a two-byte character: lead 81–FE, trail 40–FE (7F is no trail).
    private static func pairSlot(lead: UInt8, trail: UInt8) -> Int { Int(lead - 0x81) * 191 + Int(trail - 0x40) }

    /// Decodes a cell of ASCII and two-byte characters from the table; false, with `utf8` as it
    /// was, at the first byte that is neither (the cell is then converted whole).
    private func decodeByCharacter(_ bytes: UnsafeBufferPointer<UInt8>, into utf8: inout [UInt8]) -> Bool {
        let start = utf8.count
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            if lead < 0x80 {
                utf8.append(lead)
                index += 1
                continue
            }
            let trail = index + 1 < bytes.count ? bytes[index + 1] : 0
            guard (0x81...0xFE).contains(lead), (0x40...0xFE).contains(trail), trail != 0x7F else {
                utf8.removeSubrange(start...)
                return false
            }
            let slot = Self.pairSlot(lead: lead, trail: trail)
            if pairs[slot] == 0 { pairs[slot] = convertPair(lead, trail) }
            let packed = pairs[slot]
            guard packed != Self.refused else {
                utf8.removeSubrange(start...)
                return false
            }
            for shift in stride(from: 0, to: Int(packed >> 24) * 8, by: 8) {
                utf8.append(UInt8(truncatingIfNeeded: packed >> shift))
            }
            index += 2
        }
        return true
    }

    /// One two-byte character through iconv, packed as `pairs` keeps it.
    private func convertPair(_ lead: UInt8, _ trail: UInt8) -> UInt32 {
        var decoded: [UInt8] = []
        let converted = [lead, trail].withUnsafeBufferPointer { decodeWhole($0, into: &decoded) }
        guard converted, (1...3).contains(decoded.count) else { return Self.refused }
        var packed = UInt32(decoded.count) << 24
        for (offset, byte) in decoded.enumerated() { packed |= UInt32(byte) << (offset * 8) }
        return packed
    }

    /// Converts the whole cell through iconv (or Foundation, where iconv has no GB18030).
    private func decodeWhole(_ bytes: UnsafeBufferPointer<UInt8>, into utf8: inout [UInt8]) -> Bool {
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
