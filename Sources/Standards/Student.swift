/// 性别. The national fitness upload template codes 1 = 男, 2 = 女
/// (../shared/reference/fitness/upload_template.md §1, column G).
public enum Sex: String, Sendable, Hashable, Codable, CaseIterable {
    case male
    case female

    // Hashed by case rather than by raw-value string: sex keys the scoring tables of every row.
    public func hash(into hasher: inout Hasher) { hasher.combine(self == .male) }

    /// Accepts 1/2, 男/女, 男生/女生, M/F, male/female.
    /// A cell is matched as typed first, as nearly every cell is `1`, `2`, `男` or `女` (the codes
    /// compared first: comparing with a Chinese spelling costs more); only another text is
    /// trimmed and lower-cased (`Male `) and matched again.
    public init?(text: String) {
        if let sex = Sex(code: text.utf8) {
            self = sex
            return
        }
        switch text {
        case "男", "男生", "男性", "m", "male": self = .male
        case "女", "女生", "女性", "f", "female": self = .female
        default:
            let folded = text.trimmingSpaces.lowercased()
            guard folded != text, let sex = Sex(text: folded) else { return nil }
            self = sex
        }
    }

    /// The template code `1` or `2` from its UTF-8 bytes, as nearly every cell holds it; nil for
    /// any other text. Readers call it on a cell's bytes before making a String of them.
    @inlinable public init?<Bytes: Collection<UInt8>>(code bytes: Bytes) {
        guard bytes.count == 1, let byte = bytes.first else { return nil }
        switch byte {
        case 0x31: self = .male
        case 0x32: self = .female
        default: return nil
        }
    }

    public var label: String { self == .male ? "男" : "女" }
    /// The national template code.
    public var code: Int { self == .male ? 1 : 2 }
}

/// 学段 of a school as the county lists it.
public enum SchoolStage: String, Sendable, Hashable, Codable, CaseIterable {
    case primary = "小学"
    case junior = "初中"
    case nineYear = "九年一贯制"
    case complete = "完全中学"
    case twelveYear = "十二年一贯制"
    case senior = "高中"

    /// Accepts the labels and common variants (九年制学校, 普通高中, 独立初中 …).
    public init?(text: String) {
        let value = text.trimmingSpaces
        if let exact = SchoolStage(rawValue: value) {
            self = exact
            return
        }
        if value.contains("十二年") {
            self = .twelveYear
        } else if value.contains("九年") {
            self = .nineYear
        } else if value.contains("完全中学") || value.contains("完中") {
            self = .complete
        } else if value.contains("小学") || value.contains("教学点") {
            self = .primary
        } else if value.contains("初中") || value.contains("初级中学") {
            self = .junior
        } else if value.contains("高中") || value.contains("高级中学") {
            self = .senior
        } else {
            return nil
        }
    }
}

/// 城区/镇区/乡村, the urban–rural class of a school's location (国家统计局城乡划分).
public enum Locality: String, Sendable, Hashable, Codable, CaseIterable {
    case urban = "城区"
    case town = "镇区"
    case rural = "乡村"

    public init?(text: String) {
        let value = text.trimmingSpaces
        if let exact = Locality(rawValue: value) {
            self = exact
            return
        }
        if value.hasPrefix("城") || value == "城市" {
            self = .urban
        } else if value.hasPrefix("镇") || value == "县镇" {
            self = .town
        } else if value.hasPrefix("乡") || value == "农村" || value == "村" {
            self = .rural
        } else {
            return nil
        }
    }
}

/// 年级编号 of the national student fitness data upload: 11–16 小学一至六年级, 21–23 初一至初三
/// (24 初四 in 五四制), 31–33 高一至高三, 41–44 大一至大四
/// (../shared/reference/fitness/upload_template.md §2).
public struct GradeCode: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let code: Int

    public static let valid: Set<Int> = Set((11...44).filter { GradeCode(code: $0) != nil })

    /// Checked by ranges, not through `valid`: hashing the code into the set cost every row of a
    /// results file 150 instructions.
    public init?(code: Int) {
        switch code {
        case 11...16, 21...24, 31...33, 41...44: self.code = code
        default: return nil
        }
    }

    /// A two-digit code from its UTF-8 bytes (`11`), as most cells hold it; nil for any other
    /// text. Readers call it on a cell's bytes before making a String of them.
    @inlinable public init?<Bytes: Collection<UInt8>>(code bytes: Bytes) {
        guard bytes.count == 2, let tens = bytes.first, let units = bytes.dropFirst().first,
            (0x30...0x39).contains(tens), (0x30...0x39).contains(units)
        else { return nil }
        self.init(code: Int(tens - 0x30) * 10 + Int(units - 0x30))
    }

    /// Accepts a code (`11`, `１１`, `11.0`) or a grade name: 一年级 … 六年级, 七/八/九年级,
    /// 初一 … 初四, 高一 … 高三, 大一 … 大四, and `1`…`12` as years of schooling.
    public init?(text: String) {
        if let code = GradeCode(code: text.utf8) {
            self = code
            return
        }
        let value = String(text.filter { !$0.isWhitespace })
        if let number = Double(value), number == number.rounded(), let integer = Int(exactly: number) {
            if let code = GradeCode(code: integer) {
                self = code
                return
            }
            if let code = GradeCode(year: integer) {
                self = code
                return
            }
            return nil
        }
        let numerals: [Character: Int] = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9]
        func numeral(after prefix: String) -> Int? {
            guard value.hasPrefix(prefix), let character = value.dropFirst(prefix.count).first else { return nil }
            return numerals[character] ?? character.wholeNumberValue
        }
        if let n = numeral(after: "初") {
            self.init(code: 20 + n)
            return
        }
        if let n = numeral(after: "高") {
            self.init(code: 30 + n)
            return
        }
        if let n = numeral(after: "大") {
            self.init(code: 40 + n)
            return
        }
        guard let end = value.firstRange(of: "年级")?.lowerBound else { return nil }
        // 一年级 … 九年级, 十年级, 十一年级, 十二年级, or 1年级 … 12年级.
        let prefix = String(value[..<end])
        var year: Int?
        if let number = Int(prefix) {
            year = number
        } else if prefix.count == 1, let character = prefix.first {
            year = character == "十" ? 10 : numerals[character]
        } else if prefix.count == 2, prefix.first == "十", let last = prefix.last, let unit = numerals[last] {
            year = 10 + unit
        }
        guard let year else { return nil }
        self.init(year: year)
    }

    /// The code for a year of schooling 1…12 (六三制).
    public init?(year: Int) {
        switch year {
        case 1...6: self.init(code: 10 + year)
        case 7...9: self.init(code: 14 + year)
        case 10...12: self.init(code: 21 + year)
        default: return nil
        }
    }

    /// The last grade of 小学 or 初中 (六年级; 初三, or 初四 in 五四制), whose students get a 毕业成绩:
    /// the graduating year's total × 50 % + the other years' mean × 50 %
    /// (../shared/reference/fitness/README.md, "Rules").
    public var isGraduating: Bool { [16, 23, 24].contains(code) }

    /// Year of schooling 1…12 for school grades (六三制; 初四 counts as 10), nil for university.
    public var year: Int? {
        switch code {
        case 11...16: code - 10
        case 21...24: code - 14
        case 31...33: code - 21
        default: nil
        }
    }

    public var label: String {
        let names = ["一", "二", "三", "四", "五", "六"]
        switch code {
        case 11...16: return "\(names[code - 11])年级"
        case 21...24: return "初\(names[code - 21])"
        case 31...33: return "高\(names[code - 31])"
        default: return "大\(names[code - 41])"
        }
    }

    public var description: String { String(code) }

    public static func < (lhs: GradeCode, rhs: GradeCode) -> Bool { lhs.code < rhs.code }
}

extension String {
    /// The text without leading and trailing spaces, tabs, line breaks and ideographic spaces.
    public var trimmingSpaces: String {
        if let clear = utf8.withContiguousStorageIfAvailable(Self.edgesCannotBeSpaces), clear { return self }
        let scalars = unicodeScalars
        guard let first = scalars.first, let last = scalars.last else { return self }
        guard first.isSpace || last.isSpace else { return self }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].isSpace { start = scalars.index(after: start) }
        while end > start, scalars[scalars.index(before: end)].isSpace { end = scalars.index(before: end) }
        return String(scalars[start..<end])
    }
}

extension String {
    /// Whether neither the first nor the last scalar of these UTF-8 bytes can be a space, judged
    /// by their lead bytes: every White_Space scalar (`Unicode.Scalar.isSpace`) begins with 0x09–0x0D,
    /// 0x20, 0xC2 (U+0085, U+00A0), 0xE1 (U+1680), 0xE2 (U+2000–U+205F) or 0xE3 (U+3000).
    /// Trimming runs on every cell of an import, and finding the last scalar through
    /// `unicodeScalars` cost several hundred instructions a cell.
    static func edgesCannotBeSpaces(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first else { return true }
        var lastLead = bytes.count - 1
        while lastLead > 0, bytes[lastLead] & 0xC0 == 0x80 { lastLead -= 1 }
        func mayLeadSpace(_ byte: UInt8) -> Bool {
            switch byte {
            case 0x09...0x0D, 0x20, 0xC2, 0xE1, 0xE2, 0xE3: true
            default: false
            }
        }
        return !mayLeadSpace(first) && !mayLeadSpace(bytes[lastLead])
    }
}

extension Unicode.Scalar {
    /// Unicode's White_Space property, written out: the same answer as `Character.isWhitespace`
    /// for one scalar, without the property lookup (trimming runs on every cell of an import).
    public var isSpace: Bool {
        switch value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: true
        default: false
        }
    }
}
