/// A school term: the school year (starting in autumn) and the semester.
///
/// Written `2025-2026-1` (1 = first term, autumn; 2 = second term, spring); the Chinese form
/// `2025-2026学年第一学期` is accepted too.
public struct Term: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The calendar year in which the school year starts (2025 for 2025-2026).
    public var startYear: Int
    /// 1 = 第一学期 (autumn), 2 = 第二学期 (spring).
    public var semester: Int

    public init?(startYear: Int, semester: Int) {
        guard (1990...2100).contains(startYear), semester == 1 || semester == 2 else { return nil }
        self.startYear = startYear
        self.semester = semester
    }

    /// Parses `2025-2026-1`, `2025-2026-2`, `2025-2026学年第一学期`, `2025—2026学年 第2学期`.
    public init?(_ text: String) {
        let digits = text.split(whereSeparator: { !$0.isNumber || !$0.isASCII }).map(String.init)
        var semester: Int?
        if text.contains("第一学期") || text.contains("上学期") { semester = 1 }
        if text.contains("第二学期") || text.contains("下学期") { semester = 2 }
        guard digits.count >= 2, let start = Int(digits[0]), let end = Int(digits[1]), end == start + 1 else {
            return nil
        }
        if semester == nil, digits.count == 3 { semester = Int(digits[2]) }
        guard let semester, let term = Term(startYear: start, semester: semester) else { return nil }
        self = term
    }

    /// `2025-2026-1`, the form stored and printed.
    public var description: String { "\(startYear)-\(startYear + 1)-\(semester)" }

    /// `2025-2026学年第一学期`, for ledgers.
    public var label: String { "\(schoolYear)学年第\(semester == 1 ? "一" : "二")学期" }

    /// `2025-2026`.
    public var schoolYear: String { "\(startYear)-\(startYear + 1)" }

    /// The same semester of the previous school year (for season-matched comparisons).
    public var sameSeasonLastYear: Term { Term(startYear: startYear - 1, semester: semester) ?? self }

    /// The calendar year and month the term starts (September or March), for age calculations.
    public var startMonth: (year: Int, month: Int) { semester == 1 ? (startYear, 9) : (startYear + 1, 3) }

    /// The days of the term's school year, 1 September to 31 August: a screening of the term
    /// falls within them.
    public var schoolYearDays: ClosedRange<CalendarDate> {
        CalendarDate(year: startYear, month: 9, day: 1)!...CalendarDate(year: startYear + 1, month: 8, day: 31)!
    }

    /// The last day of the term (31 January or 31 July): what a past term's counts are taken
    /// as at, so that they never change afterwards.
    public var lastDay: CalendarDate { CalendarDate(year: startYear + 1, month: semester == 1 ? 1 : 7, day: 31)! }

    public static func < (lhs: Term, rhs: Term) -> Bool {
        (lhs.startYear, lhs.semester) < (rhs.startYear, rhs.semester)
    }
}
