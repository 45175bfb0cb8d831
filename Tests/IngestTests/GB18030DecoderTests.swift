import Foundation
import Testing

@testable import Ingest

#if canImport(Glibc)
    import Glibc
#endif

/// The decoder reads a cell's two-byte characters from its table of characters met so far: every
/// two-byte code must come out as iconv converts the whole cell, refused where iconv refuses it,
/// the first time and from the table.
@Suite struct GB18030DecoderTests {
    /// iconv on the whole cell, apart from the decoder: the UTF-8, or nil when refused.
    static func iconvWhole(_ bytes: [UInt8]) -> [UInt8]? {
        let converter = iconv_open("UTF-8", "GB18030")
        defer { iconv_close(converter) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 4 + 4)
        let written = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer -> Int? in
                var inPointer = inBuffer.baseAddress
                var inLeft = inBuffer.count
                var outPointer = outBuffer.baseAddress
                var outLeft = outBuffer.count
                guard iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft) != -1, inLeft == 0 else {
                    return nil
                }
                return outBuffer.count - outLeft
            }
        }
        return written.map { output[..<$0].map { UInt8(bitPattern: $0) } }
    }

    static func decode(_ bytes: [UInt8], with decoder: GB18030Decoder) -> [UInt8]? {
        var utf8: [UInt8] = [0x2A]  // what the cell is appended to stays as it was
        let decoded = bytes.withUnsafeBufferPointer { decoder.decode($0, into: &utf8) }
        #expect(utf8.first == 0x2A && (decoded || utf8.count == 1))
        return decoded ? Array(utf8.dropFirst()) : nil
    }

    @Test func everyTwoByteCodeAsIconvConvertsTheCell() {
        let decoder = GB18030Decoder()
        var refused = 0
        for lead in UInt8(0x81)...0xFE {
            for trail in UInt8(0x40)...0xFE where trail != 0x7F {
                let cell: [UInt8] = [0x41, lead, trail, 0x20, lead, trail]
                let expected = Self.iconvWhole(cell)
                if expected == nil { refused += 1 }
                #expect(Self.decode(cell, with: decoder) == expected, "\(lead) \(trail)")
                #expect(Self.decode([lead, trail], with: decoder) == Self.iconvWhole([lead, trail]))
            }
        }
        // GB18030 leaves no two-byte code unassigned (the user-defined ones map to private use).
        #expect(refused == 0)
    }

    /// Cells the table does not cover are converted whole: four-byte characters, a lead byte
    /// at the end, bytes that begin no character, and 0x7F after a lead byte.
    @Test func otherCellsAreConvertedWhole() {
        let decoder = GB18030Decoder()
        let wang: [UInt8] = [0xCD, 0xF5]  // 王
        let cells: [[UInt8]] = [
            wang + [0x81, 0x30, 0x81, 0x30] + wang,  // U+0080 between two 王
            [0x95, 0x32, 0x82, 0x36],  // U+20000, outside the BMP
            wang + [0xCD],
            [0x80], [0xFF], wang + [0x81, 0x7F], [0x41, 0x81, 0x20],
        ]
        for cell in cells {
            #expect(Self.decode(cell, with: decoder) == Self.iconvWhole(cell), "\(cell)")
        }
        #expect(Self.decode(cells[0], with: decoder) == Array("王\u{80}王".utf8))
        #expect(Self.decode(cells[1], with: decoder) == Array("\u{20000}".utf8))
        #expect(Self.decode(wang + [0xCD], with: decoder) == nil)
    }
}
