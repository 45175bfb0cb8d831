import Foundation
import Standards

/// A county's settings (`jiance-settings.json`): targets and the choices the standards leave
/// open. Every key is optional; a missing key keeps the default.
///
/// ```json
/// { "fitness": { "good_or_better": 0.55, "passing": 0.98 },
///   "vision":  { "boundary": "<", "under_six_threshold": true, "baseline_year": 2023, "drop_per_year_pp": 0.5 },
///   "psych":   { "cutoffs": { "phq9": { "橙": 20, "黄": 10, "观察": 5 } }, "mht_scale": 8, "sdq_version": "self", "review_days": 3 },
///   "academic": { "scheme": "85/75/60", "lower_grades_scheme": "90/80/60", "lower_grades_up_to": 2, "method": "icc",
///                 "full_marks": { "语文": 120, "数学": { "7": 120, "8": 120, "9": 120, "default": 100 } },
///                 "standardised": { "mean": 500, "sd": 100, "cuts": [600, 500, 400] },
///                 "references": { "数学": { "mean": 78.5, "sd": 12.0 } }, "max_difference": 0.15 },
///   "county_figures": { "nearby_enrolment_primary": 1.0, "junior_retention": 0.97 },
///   "health_record": ["vision", "fitness"],
///   "notices": { "referral": "县人民医院眼科（人民路 1 号）", "per_sheet": 2 } }
/// ```
/// `scheme` is a preset name (`BandScheme.presetIDs`) or the percent bounds of Ⅳ, Ⅲ, Ⅱ (`[88, 75, 60]`).
public struct CountySettings: Sendable {
    public var fitness = FitnessTargets()
    public var vision = VisionSettings()
    public var myopia = MyopiaTarget()
    public var psych = PsychSettings()
    /// Red and orange cases should be reviewed (复核) within this many days.
    public var psychReviewDays = 3
    public var academic = AcademicSettings()
    /// County figures typed by the bureau (`county_figures`: shares 0–1), by figure.
    public var countyFigures: [CountyFigure: Double] = [:]
    /// The kinds of record a student needs in a school year to count as 建档 (健康档案建档率).
    public var healthRecord: [HealthRecordKind] = HealthRecordKind.allCases
    /// Where the vision notices send a child for a full examination (the county's designated
    /// eye clinic); nil names any qualified medical institution.
    public var referralInstitution: String?
    /// Notices per printed A4 sheet: 1 (portrait, one per page) or 2 (landscape, two A5 halves).
    public var noticesPerSheet = 1

    public init() {}

    public struct InvalidSettings: Error, CustomStringConvertible {
        public var description: String
    }

    /// Parses the JSON of a settings file.
    public init(json data: Data) throws {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw InvalidSettings(description: "设置文件不是有效的 JSON 对象")
        }
        func number(_ section: [String: Any]?, _ key: String) throws -> Double? {
            guard let value = section?[key] else { return nil }
            guard let number = value as? NSNumber, !(value is Bool) else {
                throw InvalidSettings(description: "设置项 \(key) 应为数字")
            }
            return number.doubleValue
        }
        if let kinds = root["health_record"] {
            let names = kinds as? [String] ?? []
            let parsed = names.compactMap(HealthRecordKind.init(rawValue:))
            guard !parsed.isEmpty, parsed.count == names.count else {
                throw InvalidSettings(
                    description:
                        "设置项 health_record 应为列表，取值 \(HealthRecordKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: "、"))，如 [\"vision\", \"fitness\"]"
                )
            }
            healthRecord = parsed
        }
        if let notices = root["notices"] {
            guard let section = notices as? [String: Any], section["referral"].map({ $0 is String }) ?? true else {
                throw InvalidSettings(description: "设置项 notices 应为对象，如 {\"referral\": \"县人民医院眼科\", \"per_sheet\": 2}")
            }
            let text = (section["referral"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines)
            referralInstitution = text?.isEmpty == false ? text : nil
            if let perSheet = section["per_sheet"] {
                guard let number = perSheet as? NSNumber, !(perSheet is Bool), [1, 2].contains(number.intValue) else {
                    throw InvalidSettings(description: "设置项 notices.per_sheet 应为 1（每张 A4 一份）或 2（每张 A4 横排两份 A5）")
                }
                noticesPerSheet = number.intValue
            }
        }
        let fitness = root["fitness"] as? [String: Any]
        if let value = try number(fitness, "good_or_better") { self.fitness.goodOrBetter = value }
        if let value = try number(fitness, "passing") { self.fitness.passing = value }
        let vision = root["vision"] as? [String: Any]
        if let text = vision?["boundary"] {
            guard let text = text as? String, let boundary = VisionSettings.Boundary(rawValue: text) else {
                throw InvalidSettings(description: "设置项 vision.boundary 只能是 \"<\" 或 \"<=\"")
            }
            self.vision.boundary = boundary
        }
        if let flag = vision?["under_six_threshold"] {
            guard let flag = flag as? Bool else {
                throw InvalidSettings(description: "设置项 vision.under_six_threshold 应为 true 或 false")
            }
            self.vision.underSixThreshold = flag
        }
        if let year = try number(vision, "baseline_year") { myopia.baselineYear = Int(year) }
        if let drop = try number(vision, "drop_per_year_pp") { myopia.dropPerYearPP = drop }
        let psych = root["psych"] as? [String: Any]
        if let cutoffs = psych?["cutoffs"] as? [String: [String: Any]] {
            for (scale, levels) in cutoffs {
                var parsed: [RiskLevel: Int] = [:]
                for (name, value) in levels {
                    guard let level = RiskLevel(rawValue: name), let number = value as? NSNumber else {
                        throw InvalidSettings(
                            description: "设置项 psych.cutoffs.\(scale) 应为 {\"红\"/\"橙\"/\"黄\"/\"观察\": 数字}")
                    }
                    parsed[level] = number.intValue
                }
                self.psych.totalCutoffs[PsychScale.normalizedID(scale)] = parsed
            }
        }
        if let cutoff = try number(psych, "mht_scale") { self.psych.mhtScaleCutoff = Int(cutoff) }
        if let version = psych?["sdq_version"] as? String {
            guard ["self", "parent", "teacher"].contains(version) else {
                throw InvalidSettings(description: "设置项 psych.sdq_version 只能是 self、parent 或 teacher")
            }
            self.psych.sdqVersion = version
        }
        if let days = try number(psych, "review_days") { psychReviewDays = Int(days) }
        if let figures = root["county_figures"] as? [String: Any] {
            for key in figures.keys {
                guard let figure = CountyFigure(rawValue: key) else {
                    throw InvalidSettings(
                        description:
                            "未知的设置项 county_figures.\(key)（可用：\(CountyFigure.allCases.map(\.rawValue).joined(separator: "、"))）"
                    )
                }
                guard let share = try number(figures, key), (0...1).contains(share) else {
                    throw InvalidSettings(description: "设置项 county_figures.\(key) 应为 0–1 的比例")
                }
                countyFigures[figure] = share
            }
        }
        if let section = root["academic"] {
            guard let section = section as? [String: Any] else {
                throw InvalidSettings(description: "设置项 academic 应为对象")
            }
            try parseAcademic(section)
        }
    }

    private mutating func parseAcademic(_ section: [String: Any]) throws {
        func invalid(_ message: String) -> InvalidSettings { InvalidSettings(description: "设置项 academic.\(message)") }
        func positive(_ value: Any?, _ key: String) throws -> Double? {
            guard let value else { return nil }
            guard let number = value as? NSNumber, !(value is Bool), number.doubleValue > 0 else {
                throw invalid("\(key) 应为正数")
            }
            return number.doubleValue
        }
        let standardised = section["standardised"] as? [String: Any]
        func scheme(_ value: Any, key: String) throws -> BandScheme {
            if let id = value as? String, id == "standardised" {
                let cuts = (standardised?["cuts"] as? [NSNumber])?.map(\.doubleValue) ?? [600, 500, 400]
                guard cuts.count == 3, cuts == cuts.sorted(by: >) else {
                    throw invalid("standardised.cuts 应为从高到低的三个分数")
                }
                return BandScheme.standardised(
                    mean: try positive(standardised?["mean"], "standardised.mean") ?? 500,
                    sd: try positive(standardised?["sd"], "standardised.sd") ?? 100, cuts: cuts)
            }
            if let id = value as? String, let preset = BandScheme.preset(id) { return preset }
            if let bounds = (value as? [NSNumber])?.map(\.doubleValue), (1...4).contains(bounds.count),
                bounds == bounds.sorted(by: >),
                bounds.allSatisfy({ $0 > 0 && $0 <= 100 })
            {
                let names = ["优秀", "良好", "中等", "及格"]
                let levels: [AcademicLevel] = [.four, .three, .two, .two]
                return BandScheme.percent(
                    bounds.map { BandScheme.tenthsText(Int(($0 * 10).rounded())) }.joined(separator: "/"),
                    bounds.enumerated().map { (names[$0.offset], $0.element, levels[$0.offset]) })
            }
            throw invalid("\(key) 应为 \(BandScheme.presetIDs.joined(separator: "、")) 之一，或从高到低的得分率界限（如 [85, 75, 60]）")
        }
        if let value = section["scheme"] { academic.scheme = try scheme(value, key: "scheme") }
        if let value = section["lower_grades_scheme"] {
            academic.lowerGradesScheme = try scheme(value, key: "lower_grades_scheme")
        }
        if let grade = try positive(section["lower_grades_up_to"], "lower_grades_up_to") {
            academic.lowerGradesUpTo = Int(grade)
        }
        if let method = section["method"] {
            guard let text = method as? String, let parsed = VarianceShare.Method(rawValue: text) else {
                throw invalid("method 只能是 icc 或 eta2")
            }
            academic.method = parsed
        }
        if let limit = try positive(section["max_difference"], "max_difference") {
            academic.target.maximumDifference = limit
        }
        if let marks = section["full_marks"] as? [String: Any] {
            for (subject, value) in marks {
                if let mark = value as? NSNumber {
                    academic.fullMarks[subject] = [nil: mark.doubleValue]
                } else if let byGrade = value as? [String: Any] {
                    var parsed: [Int?: Double] = [:]
                    for (grade, mark) in byGrade {
                        guard let mark = try positive(mark, "full_marks.\(subject).\(grade)") else { continue }
                        if grade == "default" {
                            parsed[nil] = mark
                        } else if let year = Int(grade), (1...9).contains(year) {
                            parsed[year] = mark
                        } else {
                            throw invalid("full_marks.\(subject) 的键应为年级 1–9 或 default")
                        }
                    }
                    academic.fullMarks[subject] = parsed
                } else {
                    throw invalid("full_marks.\(subject) 应为满分数字或 {年级: 满分}")
                }
            }
        }
        if let references = section["references"] as? [String: [String: Any]] {
            for (subject, reference) in references {
                guard let mean = try positive(reference["mean"], "references.\(subject).mean"),
                    let sd = try positive(reference["sd"], "references.\(subject).sd")
                else {
                    throw invalid("references.\(subject) 需要 mean 与 sd")
                }
                academic.references[subject] = (mean, sd)
            }
        }
    }
}
