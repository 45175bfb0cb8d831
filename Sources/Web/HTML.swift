import Foundation
import Indicators

/// A fragment of HTML. Strings interpolated into it are escaped, fragments are inserted as
/// they are: `"<td>\(name)</td>" as HTML` cannot inject markup whatever a school or a file
/// names itself.
public struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public private(set) var description: String

    public init(stringLiteral value: String) { description = value }

    public init(stringInterpolation: Interpolation) { description = stringInterpolation.text }

    init(raw: String) { description = raw }

    public struct Interpolation: StringInterpolationProtocol {
        var text = ""

        public init(literalCapacity: Int, interpolationCount: Int) { text.reserveCapacity(literalCapacity * 2) }

        public mutating func appendLiteral(_ literal: String) { text += literal }

        public mutating func appendInterpolation(_ value: String) { text += HTML.escape(value) }

        public mutating func appendInterpolation(_ value: String?) { text += HTML.escape(value ?? "") }

        public mutating func appendInterpolation(_ value: Int) { text += String(value) }

        public mutating func appendInterpolation(_ fragment: HTML) { text += fragment.description }

        public mutating func appendInterpolation(_ fragments: [HTML]) {
            for fragment in fragments { text += fragment.description }
        }
    }

    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A table with a header row; every cell is escaped text or a fragment.
    static func table(_ headers: [String], _ rows: [[HTML]], caption: String? = nil) -> HTML {
        let head = headers.map { "<th>\($0)</th>" as HTML }
        let body = rows.map { row in "<tr>\(row.map { "<td>\($0)</td>" as HTML })</tr>" as HTML }
        let title: HTML = caption.map { "<caption>\($0)</caption>" } ?? ""
        return "<table>\(title)<thead><tr>\(head)</tr></thead><tbody>\(body)</tbody></table>"
    }

    /// 达标 / 未达标 / — as a coloured label.
    static func verdict(_ meets: Bool?) -> HTML {
        let style = meets.map { $0 ? "ok" : "bad" } ?? "muted"
        return "<span class=\"\(style)\">\(Verdict.label(meets))</span>"
    }

    /// A link; `href` is escaped as an attribute value.
    static func link(_ text: String, _ href: String) -> HTML { "<a href=\"\(href)\">\(text)</a>" }
}
