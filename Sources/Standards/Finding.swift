/// A problem found in the data: a value, never a thrown error.
///
/// Findings are gathered while a file is read or scored and reported all at once, with enough
/// location (file, sheet, row, column) for a school clerk to find the cell in Excel.
public struct Finding: Sendable, Hashable, Codable {
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        /// The row is rejected.
        case error
        /// The row is kept, but something needs a look.
        case warning
        /// Information only (for example, a duplicate file that changes nothing).
        case info

        private var rank: Int {
            switch self {
            case .error: 0
            case .warning: 1
            case .info: 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }

        /// The Chinese label printed for users.
        public var label: String {
            switch self {
            case .error: "错误"
            case .warning: "警告"
            case .info: "提示"
            }
        }
    }

    public var severity: Severity
    public var file: String?
    public var sheet: String?
    /// 1-based row number as Excel shows it (or the physical line of a CSV record).
    public var row: Int?
    /// Column header as the file names it, or a column letter when there is no header.
    public var column: String?
    public var value: String?
    /// What is wrong, in Chinese.
    public var message: String

    public init(
        _ severity: Severity, _ message: String, file: String? = nil, sheet: String? = nil,
        row: Int? = nil, column: String? = nil, value: String? = nil
    ) {
        self.severity = severity
        self.message = message
        self.file = file
        self.sheet = sheet
        self.row = row
        self.column = column
        self.value = value
    }

    /// One line for a terminal: `[错误] 名册.xlsx 学生!第12行 出生日期 “2019-13-01”：日期无效`.
    /// Texts from the file are shown safely: control characters as visible symbols (a raw ESC
    /// would drive the terminal), and a value cut to 80 characters.
    public var description: String {
        var place: [String] = []
        if let file {
            place.append(sheet.map { "\(file) [\($0)]" } ?? file)
        } else if let sheet {
            place.append("[\(sheet)]")
        }
        if let row { place.append("第\(row)行") }
        if let column { place.append("列“\(column)”") }
        var text = "[\(severity.label)] "
        if !place.isEmpty { text += Self.printable(place.joined(separator: " ")) + " " }
        if let value {
            text += "值“\(Self.printable(value.count > 80 ? value.prefix(80) + "…（共 \(value.count) 字）" : value))”："
        }
        return text + message
    }

    /// Control characters as their Unicode control pictures (TAB → ␉, ESC → ␛).
    public static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        return String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { scalar in
                    switch scalar.value {
                    case 0..<0x20: Unicode.Scalar(0x2400 + scalar.value)!
                    case 0x7F: "\u{2421}"
                    default: scalar
                    }
                }))
    }
}

extension Array where Element == Finding {
    /// The findings of one record (a scorer's remarks) placed at its file and row.
    public func located(file: String, row: Int) -> [Finding] {
        map { finding in
            var located = finding
            located.file = file
            located.row = row
            return located
        }
    }
}
