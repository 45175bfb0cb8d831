/// 学业水平 Ⅰ–Ⅳ of the national compulsory-education quality monitoring
/// (../shared/reference/academic/RULES.md §1: Ⅰ 待提高, Ⅱ 中等, Ⅲ 良好, Ⅳ 优秀).
public enum AcademicLevel: Int, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case one = 1
    case two, three, four

    /// `Ⅲ`.
    public var numeral: String { ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ"][rawValue - 1] }
    /// `水平Ⅲ`.
    public var label: String { "水平" + numeral }
    /// 待提高, 中等, 良好, 优秀.
    public var meaning: String { ["待提高", "中等", "良好", "优秀"][rawValue - 1] }

    /// Reads `Ⅲ`, `III`, `3`, `三`, `水平Ⅲ`, `Ⅲ级`, `良好` as written in monitoring reports.
    public init?(text: String) {
        var value = text.trimmingSpaces.uppercased()
        for affix in ["水平", "LEVEL", "级", "等"] { value = value.replacingOccurrences(of: affix, with: "") }
        value = value.trimmingSpaces
        let forms: [(AcademicLevel, [String])] = [
            (.four, ["Ⅳ", "IV", "4", "四", "优秀"]), (.three, ["Ⅲ", "III", "3", "三", "良好"]),
            (.two, ["Ⅱ", "II", "2", "二", "中等"]), (.one, ["Ⅰ", "I", "1", "一", "待提高"]),
        ]
        guard let match = forms.first(where: { $0.1.contains(value) }) else { return nil }
        self = match.0
    }

    public static func < (lhs: AcademicLevel, rhs: AcademicLevel) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// How raw exam scores become bands and levels (RULES.md §1 "Raw exam scores to levels").
///
/// Local exams are graded in 4–5 bands on the 得分率 (raw / full mark); the county's or a
/// school's level is the band of its student-weighted mean on the same basis. A standardised
/// scale (`m + s·(x − μ_ref)/σ_ref`) is the alternative; its cut points are an inference [I] and
/// configurable. The scheme in use is printed with every report (`description`).
public struct BandScheme: Sendable, Equatable, CustomStringConvertible {
    /// One band: its name, its lower bound and the national level it counts as.
    public struct Band: Sendable, Equatable {
        public var name: String
        /// Percent of full mark in tenths of a percent (850 = 85 %), or standardised points; nil for the lowest band.
        public var lowerBound: Int?
        public var level: AcademicLevel
    }

    public enum Basis: Sendable, Equatable {
        /// 得分率: the score as a share of the full mark.
        case percentOfFullMark
        /// `mean + sd·(x − μ_ref)/σ_ref`; bounds are on that scale.
        case standardised(mean: Double, sd: Double)
    }

    public var id: String
    public var basis: Basis
    /// From the highest band down; the last band has no lower bound.
    public var bands: [Band]

    /// The preset names accepted in settings (`academic.scheme`).
    public static let presetIDs = ["85/75/60", "90/80/70/60", "85/70/60", "90/80/60", "standardised"]

    /// A preset by name. `90/80/70/60` has five bands; 中等 and 及格 both count as Ⅱ [I]. `90/80/60`
    /// is the lower-grades preset.
    public static func preset(_ id: String) -> BandScheme? {
        switch id {
        case "85/75/60": percent(id, [("优秀", 85, .four), ("良好", 75, .three), ("中等", 60, .two)])
        case "90/80/70/60": percent(id, [("优秀", 90, .four), ("良好", 80, .three), ("中等", 70, .two), ("及格", 60, .two)])
        case "85/70/60": percent(id, [("优秀", 85, .four), ("良好", 70, .three), ("中等", 60, .two)])
        case "90/80/60": percent(id, [("优秀", 90, .four), ("良好", 80, .three), ("合格", 60, .two)])
        case "standardised": standardised(mean: 500, sd: 100, cuts: [600, 500, 400])
        default: nil
        }
    }

    /// The default scheme, `85/75/60`.
    public static var standard: BandScheme { preset("85/75/60")! }

    /// Percent bounds (whole or decimal percents such as 87.5) for Ⅳ, Ⅲ, Ⅱ …, highest first.
    public static func percent(_ id: String, _ bounds: [(String, Double, AcademicLevel)]) -> BandScheme {
        let bands = bounds.map { Band(name: $0.0, lowerBound: Int(($0.1 * 10).rounded()), level: $0.2) }
        return BandScheme(
            id: id, basis: .percentOfFullMark, bands: bands + [Band(name: "待提高", lowerBound: nil, level: .one)])
    }

    /// A standardised scale with bounds for Ⅳ, Ⅲ, Ⅱ on that scale.
    public static func standardised(mean: Double, sd: Double, cuts: [Double]) -> BandScheme {
        let names = ["优秀", "良好", "中等"]
        let bands = cuts.prefix(3).enumerated().map {
            Band(
                name: names[$0.offset], lowerBound: Int($0.element.rounded()),
                level: AcademicLevel(rawValue: 4 - $0.offset)!)
        }
        return BandScheme(
            id: "standardised", basis: .standardised(mean: mean, sd: sd),
            bands: bands + [Band(name: "待提高", lowerBound: nil, level: .one)])
    }

    /// The band of the mean of `count` scores summing to `sumTenths` out of full marks summing
    /// to `sumFullTenths` (a single student: count 1). Percent bounds compare exactly in
    /// integers, never rounded first: Σs/Σf ≥ b/1000 ⇔ 1000·Σs ≥ b·Σf.
    /// `reference` is the (μ, σ) of the reference population, needed by a standardised scheme.
    public func band(sumTenths: Int64, sumFullTenths: Int64, count: Int64, reference: (mean: Double, sd: Double)? = nil)
        -> Band
    {
        precondition(count > 0)
        for band in bands {
            guard let bound = band.lowerBound else { return band }
            switch basis {
            case .percentOfFullMark:
                if sumTenths * 1000 >= Int64(bound) * sumFullTenths { return band }
            case .standardised(let mean, let sd):
                guard let reference, reference.sd > 0 else { continue }
                let raw = Double(sumTenths) / Double(count) / 10
                if mean + sd * (raw - reference.mean) / reference.sd >= Double(bound) { return band }
            }
        }
        return bands[bands.count - 1]
    }

    /// `85/75/60（得分率：优秀 ≥ 85%，良好 ≥ 75%，中等 ≥ 60%，待提高 < 60%）`.
    public var description: String {
        let parts = bands.map { band -> String in
            guard let bound = band.lowerBound else { return "\(band.name)(\(band.level.numeral))" }
            switch basis {
            case .percentOfFullMark: return "\(band.name)(\(band.level.numeral)) ≥ \(Self.tenthsText(bound))%"
            case .standardised: return "\(band.name)(\(band.level.numeral)) ≥ \(bound)"
            }
        }
        switch basis {
        case .percentOfFullMark: return "等级方案 \(id)（得分率=得分/满分：\(parts.joined(separator: "，"))；学校与全县按学生加权平均得分率定等级）"
        case .standardised(let mean, let sd):
            return
                "等级方案 标准分（\(Self.number(mean)) + \(Self.number(sd))×(x−μ)/σ：\(parts.joined(separator: "，"))；学校与全县按学生加权平均分定等级）"
        }
    }

    /// `85` or `87.5` from tenths of a percent.
    public static func tenthsText(_ tenths: Int) -> String {
        tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(tenths % 10)"
    }
    static func number(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }
}
