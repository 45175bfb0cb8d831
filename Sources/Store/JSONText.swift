import GRDB
import Standards

/// JSON string literals (RFC 8259 §7) for the JSON objects stored in rows (history, cells as
/// typed, follow-up answers), written for every imported row: a JSONEncoder per row would cost
/// more than the row's own insert. Printed JSON goes through the CLI's encoder instead.
enum JSONText {
    /// `text` as a quoted JSON string, control characters escaped, non-ASCII kept as is.
    static func quoted(_ text: String) -> String {
        // Most texts (numbers as typed, names) need no escape.
        if !text.containsUTF8Byte(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) { return "\"" + text + "\"" }
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

/// A flat JSON object of column values, with keys sorted for stable output: the stored form of
/// `history` rows, raw cell texts and follow-up answers, written on every imported row.
package func jsonObject(_ pairs: [(String, DatabaseValue)]) -> String {
    let fields = pairs.sorted { $0.0 < $1.0 }.map { key, value -> String in
        let encoded: String
        switch value.storage {
        case .null: encoded = "null"
        case .int64(let number): encoded = String(number)
        case .double(let number): encoded = String(number)
        case .string(let text): encoded = JSONText.quoted(text)
        case .blob: encoded = "\"<blob>\""
        }
        return "\(JSONText.quoted(key)):\(encoded)"
    }
    return "{" + fields.joined(separator: ",") + "}"
}
