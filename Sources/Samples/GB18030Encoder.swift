import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Encodes text as GB18030, the encoding Chinese Excel uses when it saves "CSV (逗号分隔)".
enum GB18030Encoder {
    struct EncodingError: Error, CustomStringConvertible {
        var description: String { "无法转换为 GB18030 编码" }
    }

    static func encode(_ text: String) throws -> Data {
        let converter = iconv_open("GB18030", "UTF-8")
        guard converter != iconv_t(bitPattern: -1) else { throw EncodingError() }
        defer { iconv_close(converter) }
        var input = Array(text.utf8CString.dropLast())
        var output = [CChar](repeating: 0, count: input.count * 2 + 16)
        let written: Int = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = inBuffer.baseAddress
                var inLeft = inBuffer.count
                var outPointer = outBuffer.baseAddress
                var outLeft = outBuffer.count
                guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1, inLeft == 0 else { return -1 }
                return outBuffer.count - outLeft
            }
        }
        guard written >= 0 else { throw EncodingError() }
        return output.prefix(written).withUnsafeBufferPointer { Data(buffer: $0) }
    }
}
