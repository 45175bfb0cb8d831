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
    public var description: String {
        var place: [String] = []
        if let file { place.append(sheet.map { "\(file) [\($0)]" } ?? file) } else if let sheet { place.append("[\(sheet)]") }
        if let row { place.append("第\(row)行") }
        if let column { place.append("列“\(column)”") }
        var text = "[\(severity.label)] "
        if !place.isEmpty { text += place.joined(separator: " ") + " " }
        if let value { text += "值“\(value)”：" }
        return text + message
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
