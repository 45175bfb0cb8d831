/// Uncorrected distance visual acuity in five-point notation (五分记录, GB/T 11533-2011), kept in
/// tenths (50 = 5.0) so that thresholds compare exactly.
public enum Acuity: Sendable, Hashable, Codable {
    /// A chart value 3.0…5.3 in tenths (below 4.0 by walking closer: L = 4.0 + log10(d/5)).
    case fivePoint(tenths: Int)
    /// Counted fingers, hand motion, light perception …: below 4.0, kept as typed
    /// (../shared/reference/vision/RULES.md, Notation: never 0, never missing).
    case belowChart(String)

    /// Tenths for comparisons; text acuities count as below the lowest row (3.0 → 29).
    public var tenths: Int {
        switch self {
        case .fivePoint(let tenths): tenths
        case .belowChart: 29
        }
    }

    public var text: String {
        switch self {
        case .fivePoint(let tenths): "\(tenths / 10).\(tenths % 10)"
        case .belowChart(let raw): raw
        }
    }

    /// The chart rows of GB/T 11533: five-point tenths and the decimal acuity of the same row
    /// (RULES.md, Notation: 4.0 = 0.1 … 5.3 = 2.0), in thousandths to compare exactly.
    public static let chartRows: [(tenths: Int, decimalThousandths: Int)] = [
        (40, 100), (41, 120), (42, 150), (43, 200), (44, 250), (45, 300), (46, 400),
        (47, 500), (48, 600), (49, 800), (50, 1000), (51, 1200), (52, 1500), (53, 2000),
    ]

    /// Five-point acuity from a decimal acuity. A decimal with no chart row (0.7, 0.9) maps DOWN
    /// to the next lower row (0.9 → 4.9), never up, which would call a child normal; `exact`
    /// says whether the value was a chart row. Below 0.1 is below the chart.
    public static func fromDecimal(_ value: Double) -> (acuity: Acuity, exact: Bool)? {
        guard value.isFinite, value > 0, value <= 2.0 + 1e-9 else { return nil }
        let thousandths = Int((value * 1000).rounded())
        guard let row = chartRows.last(where: { $0.decimalThousandths <= thousandths }) else {
            return (.belowChart(String(value)), false)
        }
        return (.fivePoint(tenths: row.tenths), row.decimalThousandths == thousandths)
    }

    /// Five-point acuity from a five-point value 3.0…5.3; a value off the 0.1 grid is floored
    /// (never rounded up), with `exact` false.
    public static func fromFivePoint(_ value: Double) -> (acuity: Acuity, exact: Bool)? {
        guard value.isFinite, value >= 3.0 - 1e-9, value <= 5.3 + 1e-9 else { return nil }
        let hundredths = Int((value * 100).rounded())
        return (.fivePoint(tenths: hundredths / 10), hundredths % 10 == 0)
    }

    /// Text acuities of people who cannot read the chart's top row at 1 m or more.
    public static let belowChartTexts = [
        "<4.0", "＜4.0", "小于4.0", "低于4.0", "指数", "手动", "光感", "无光感", "数指", "眼前手动", "cf", "hm", "lp", "nlp", "fc",
    ]

    public static func isBelowChartText(_ text: String) -> Bool {
        // None of the texts begins with a digit: a measured value (`4.9`, `0.8`) is answered at once.
        if let first = text.utf8.first, 0x30...0x39 ~= first { return false }
        let value = text.lowercased().filter { !$0.isWhitespace }
        return belowChartTexts.contains { value.hasPrefix($0) } || value.hasPrefix("<") || value.hasPrefix("＜")
    }
}

/// 戴镜类型 (RULES.md, Measurements per eye): 0 none, 1 frame glasses, 2 soft contact lenses,
/// 3 overnight orthokeratology (OK镜).
public enum GlassesType: Int, Sendable, Hashable, Codable, CaseIterable {
    case none = 0
    case frame = 1
    case softContact = 2
    case orthokeratology = 3

    public var label: String {
        switch self {
        case .none: "不戴镜"
        case .frame: "框架眼镜"
        case .softContact: "隐形眼镜"
        case .orthokeratology: "角膜塑形镜"
        }
    }

    /// Accepts the codes and the usual words (框架, 隐形, 角膜塑形镜, OK镜, 不戴, 无).
    public init?(text: String) {
        let value = text.lowercased().filter { !$0.isWhitespace }
        if let code = Int(value), let type = GlassesType(rawValue: code) {
            self = type
            return
        }
        if value.contains("ok") || value.contains("塑形") {
            self = .orthokeratology
        } else if value.contains("隐形") || value.contains("接触镜") {
            self = .softContact
        } else if value.contains("框架") || value == "眼镜" || value.contains("戴镜") && !value.contains("不") {
            self = .frame
        } else if value.contains("不戴") || value == "无" || value == "否" || value == "未戴镜" {
            self = .none
        } else {
            return nil
        }
    }
}

/// A refraction value (球镜, 柱镜, 等效球镜) in thousandths of a diopter, exact: devices step in
/// 0.25 D and SE = S + C/2 can end in 0.125, which thousandths hold without rounding.
public struct Diopters: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public var thousandths: Int

    public init(thousandths: Int) { self.thousandths = thousandths }

    /// From diopters as typed (`-1.25`, `+0.50`).
    public init?(diopters value: Double) {
        guard value.isFinite else { return nil }
        thousandths = Int((value * 1000).rounded())
    }

    public var value: Double { Double(thousandths) / 1000 }

    /// `-1.25`, `+0.50`, `-1.125`, `0.00`.
    public var description: String {
        let sign = thousandths > 0 ? "+" : (thousandths < 0 ? "-" : "")
        let magnitude = abs(thousandths)
        let fraction = magnitude % 1000
        let digits =
            fraction % 10 == 0
            ? (fraction / 10 < 10 ? "0\(fraction / 10)" : "\(fraction / 10)")
            : String(1000 + fraction).dropFirst().description
        return "\(sign)\(magnitude / 1000).\(digits)"
    }

    public static func < (lhs: Diopters, rhs: Diopters) -> Bool { lhs.thousandths < rhs.thousandths }
}
