/// A proportion kept as its counts, so that rates can be summed across groups exactly and a
/// rate with no denominator is "no data" rather than 0 %.
public struct Rate: Sendable, Hashable, Codable {
    public var numerator: Int
    public var denominator: Int

    public init(_ numerator: Int, of denominator: Int) {
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The proportion in 0…1, nil when there is no denominator.
    public var value: Double? { denominator > 0 ? Double(numerator) / Double(denominator) : nil }

    /// Percent with one decimal, half-up on the exact fraction (55.55 % → `55.6%`), or `—`.
    public var percentText: String {
        guard denominator > 0 else { return "—" }
        // Tenths of a percent, rounded half up in integers: no floating-point ties.
        let tenths = (numerator * 2000 + denominator) / (2 * denominator)
        return "\(tenths / 10).\(tenths % 10)%"
    }

    /// True when the rate is at least `target` (a proportion such as 0.55), compared exactly:
    /// numerator / denominator ≥ target ⇔ numerator × 10000 ≥ target × 10000 × denominator.
    public func meets(atLeast target: Double) -> Bool? {
        guard denominator > 0 else { return nil }
        let scaled = Int((target * 10_000).rounded())
        return numerator * 10_000 >= scaled * denominator
    }

    /// A proportion such as a target (0.55) or a county figure (0.9525) as percent text, one
    /// decimal, half-up on ten-thousandths (`55.0%`, `95.3%`).
    public static func percentText(_ proportion: Double) -> String {
        Rate(Int((proportion * 10_000).rounded()), of: 10_000).percentText
    }

    public static func + (lhs: Rate, rhs: Rate) -> Rate {
        Rate(lhs.numerator + rhs.numerator, of: lhs.denominator + rhs.denominator)
    }
}

/// Whether a figure meets its target, as every table, workbook and page prints it: 达标, 未达标,
/// or — when the data to judge it are missing.
public enum Verdict {
    public static func label(_ meets: Bool?) -> String {
        switch meets {
        case true?: TrendVerdict.met.rawValue
        case false?: TrendVerdict.missed.rawValue
        case nil: "—"
        }
    }
}
