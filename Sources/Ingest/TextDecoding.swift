import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Converts GB18030 bytes (what Chinese Excel writes for "CSV") to Swift strings through iconv,
/// which is several times faster than Foundation's converter on Linux.
final class GB18030Decoder {
    private let converter: iconv_t?
    private var output: [CChar] = []

    init() {
        let handle = iconv_open("UTF-8", "GB18030")
        converter = handle == iconv_t(bitPattern: -1) ? nil : handle
    }

    deinit {
        if let converter { iconv_close(converter) }
    }

    /// The decoded text, or nil when the bytes are not valid GB18030.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let converter else {
            return String(data: Data(bytes), encoding: String.Encoding(rawValue: 0x8000_0632))
        }
        let needed = bytes.count * 2 + 4
        if output.count < needed { output = [CChar](repeating: 0, count: needed) }
        return output.withUnsafeMutableBufferPointer { out -> String? in
            var inPointer = UnsafeMutablePointer(
                mutating: bytes.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) })
            var inLeft = bytes.count
            var outPointer = out.baseAddress
            var outLeft = out.count
            let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
            guard result != -1, inLeft == 0, let base = out.baseAddress else {
                // Back to the initial state for the next cell (a complete conversion ends there).
                iconv(converter, nil, nil, nil, nil)
                return nil
            }
            let written = out.count - outLeft
            return base.withMemoryRebound(to: UInt8.self, capacity: written) {
                String(decoding: UnsafeBufferPointer(start: $0, count: written), as: UTF8.self)
            }
        }
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
