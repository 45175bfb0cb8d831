import GRDB
import Standards

/// A flat JSON object of column values, with keys sorted for stable output: the stored form of
/// `history` changes, raw cell texts and follow-up answers, written on every imported row.
package func jsonObject(_ pairs: [(String, DatabaseValue)]) -> String {
    jsonObject(pairs, inOrder: pairs.indices.sorted { pairs[$0].0 < pairs[$1].0 })
}

/// A stored row as a JSON object, its columns in the table's order (stable for a table): the
/// whole row kept in `history.old_row`, which is read back by key. Sorting its keys as strings
/// cost a roster imported over last year's a twentieth of its writing (callgrind).
package func jsonObject(_ row: StoredRow) -> String {
    jsonObject(row.pairs, inOrder: row.pairs.indices)
}

/// Written as bytes into one buffer: a JSONEncoder per row would cost more than the row's own
/// insert, and joining a `String` per field cost that roster import a tenth of its writing.
private func jsonObject(_ pairs: [(String, DatabaseValue)], inOrder order: some Sequence<Int>) -> String {
    var out: [UInt8] = [UInt8(ascii: "{")]
    out.reserveCapacity(24 * pairs.count + 2)
    for index in order {
        if out.count > 1 { out.append(UInt8(ascii: ",")) }
        let (key, value) = pairs[index]
        JSONText.appendQuoted(key, to: &out)
        out.append(UInt8(ascii: ":"))
        switch value.storage {
        case .null: out.append(contentsOf: "null".utf8)
        case .int64(let number): out.append(contentsOf: String(number).utf8)
        case .double(let number): out.append(contentsOf: String(number).utf8)
        case .string(let text): JSONText.appendQuoted(text, to: &out)
        case .blob: out.append(contentsOf: #""<blob>""#.utf8)
        }
    }
    out.append(UInt8(ascii: "}"))
    return String(decoding: out, as: UTF8.self)
}

/// JSON string literals (RFC 8259 §7). Printed JSON goes through the CLI's encoder instead.
enum JSONText {
    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Appends `text` as a quoted JSON string: control characters escaped, non-ASCII kept as is.
    static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        defer { out.append(UInt8(ascii: "\"")) }
        // Most texts (numbers as typed, names, column names) need no escape: copied whole.
        if !text.containsUTF8Byte(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: text.utf8)
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: #"\""#.utf8)
            case UInt8(ascii: "\\"): out.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\r"): out.append(contentsOf: #"\r"#.utf8)
            case UInt8(ascii: "\t"): out.append(contentsOf: #"\t"#.utf8)
            case ..<0x20:
                // Every other control character as \u00XX (UTF-8 bytes below 0x20 are exactly them).
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            default: out.append(byte)
            }
        }
    }
}
