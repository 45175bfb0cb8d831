import Foundation
import Standards

/// A county's settings (`jiance-settings.json`): targets and the choices the standards leave
/// open. Every key is optional; a missing key keeps the default. The file is decoded once as a
/// `SettingsFile`, which also carries its `limits` section.
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

    /// Parses the JSON of a settings file (its county settings; the limits are `SettingsFile.limits`).
    public init(json data: Data) throws {
        try self.init(SettingsFile(json: data))
    }

    /// The settings a decoded file sets, each checked against what the setting allows.
    public init(_ file: SettingsFile) throws {
        func invalid(_ path: String...) -> InvalidSettings { SettingsFile.invalid(path) }
        func whole(_ value: Double?, _ path: String...) throws -> Int? { try value.map { try Self.whole($0, path) } }
        if let names = file.healthRecord {
            let parsed = names.compactMap(HealthRecordKind.init(rawValue:))
            guard !parsed.isEmpty, parsed.count == names.count else { throw invalid("health_record") }
            healthRecord = parsed
        }
        if let notices = file.notices {
            let text = notices.referral?.trimmingCharacters(in: .whitespacesAndNewlines)
            referralInstitution = text?.isEmpty == false ? text : nil
            if let perSheet = notices.perSheet {
                guard perSheet == 1 || perSheet == 2 else { throw invalid("notices", "per_sheet") }
                noticesPerSheet = Int(perSheet)
            }
        }
        // Targets are shares: 98 typed for 98 % would make every school fail a target of 9800 %.
        if let value = file.fitness?.goodOrBetter {
            guard value > 0, value <= 1 else { throw invalid("fitness", "good_or_better") }
            fitness.goodOrBetter = value
        }
        if let value = file.fitness?.passing {
            guard value > 0, value <= 1 else { throw invalid("fitness", "passing") }
            fitness.passing = value
        }
        if let text = file.vision?.boundary {
            guard let boundary = VisionSettings.Boundary(rawValue: text) else { throw invalid("vision", "boundary") }
            vision.boundary = boundary
        }
        if let flag = file.vision?.underSixThreshold { vision.underSixThreshold = flag }
        if let year = try whole(file.vision?.baselineYear, "vision", "baseline_year") {
            guard (2000...2100).contains(year) else { throw invalid("vision", "baseline_year") }
            myopia.baselineYear = year
        }
        if let drop = file.vision?.dropPerYearPP {
            guard drop >= 0, drop <= 10 else { throw invalid("vision", "drop_per_year_pp") }
            myopia.dropPerYearPP = drop
        }
        for (scale, levels) in file.psych?.cutoffs ?? [:] {
            var parsed: [RiskLevel: Int] = [:]
            for (name, value) in levels {
                guard let level = RiskLevel(rawValue: name) else { throw invalid("psych", "cutoffs", scale) }
                parsed[level] = try whole(value, "psych", "cutoffs", scale, name)
            }
            psych.totalCutoffs[PsychScale.normalizedID(scale)] = parsed
        }
        if let cutoff = try whole(file.psych?.mhtScale, "psych", "mht_scale") { psych.mhtScaleCutoff = cutoff }
        if let version = file.psych?.sdqVersion {
            guard ["self", "parent", "teacher"].contains(version) else { throw invalid("psych", "sdq_version") }
            psych.sdqVersion = version
        }
        if let days = try whole(file.psych?.reviewDays, "psych", "review_days") { psychReviewDays = days }
        for (key, share) in (file.countyFigures ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let figure = CountyFigure(rawValue: key) else {
                let known = CountyFigure.allCases.map(\.rawValue).joined(separator: "、")
                throw InvalidSettings(description: "未知的设置项 county_figures.\(key)（可用：\(known)）")
            }
            guard (0...1).contains(share) else { throw invalid("county_figures", key) }
            countyFigures[figure] = share
        }
        if let section = file.academic { try readAcademic(section) }
    }

    /// A whole number (a year, a grade, a count of days, a cut-off): a fraction is refused, never
    /// silently cut off.
    private static func whole(_ value: Double, _ path: [String]) throws -> Int {
        guard let whole = Int(exactly: value) else {
            throw InvalidSettings(description: "设置项 \(path.joined(separator: ".")) 应为整数")
        }
        return whole
    }

    private mutating func readAcademic(_ section: SettingsFile.Academic) throws {
        func invalid(_ path: String...) -> InvalidSettings { SettingsFile.invalid(["academic"] + path) }
        func positive(_ value: Double, _ path: String...) throws -> Double {
            guard value > 0 else { throw SettingsFile.invalid(["academic"] + path) }
            return value
        }
        func scheme(_ value: SettingsFile.Academic.Scheme, key: String) throws -> BandScheme {
            switch value {
            case .name("standardised"):
                let cuts = section.standardised?.cuts ?? [600, 500, 400]
                guard cuts.count == 3, cuts == cuts.sorted(by: >) else { throw invalid("standardised", "cuts") }
                return BandScheme.standardised(
                    mean: try positive(section.standardised?.mean ?? 500, "standardised", "mean"),
                    sd: try positive(section.standardised?.sd ?? 100, "standardised", "sd"), cuts: cuts)
            case .name(let id):
                guard let preset = BandScheme.preset(id) else { throw invalid(key) }
                return preset
            case .bounds(let bounds):
                guard (1...4).contains(bounds.count), bounds == bounds.sorted(by: >),
                    bounds.allSatisfy({ $0 > 0 && $0 <= 100 })
                else { throw invalid(key) }
                let names = ["优秀", "良好", "中等", "及格"]
                let levels: [AcademicLevel] = [.four, .three, .two, .two]
                return BandScheme.percent(
                    bounds.map { BandScheme.tenthsText(Int(($0 * 10).rounded())) }.joined(separator: "/"),
                    bounds.enumerated().map { (names[$0.offset], $0.element, levels[$0.offset]) })
            }
        }
        if let value = section.scheme { academic.scheme = try scheme(value, key: "scheme") }
        if let value = section.lowerGradesScheme {
            academic.lowerGradesScheme = try scheme(value, key: "lower_grades_scheme")
        }
        if let grade = try section.lowerGradesUpTo.map({ try positive($0, "lower_grades_up_to") }) {
            academic.lowerGradesUpTo = try Self.whole(grade, ["academic", "lower_grades_up_to"])
        }
        if let method = section.method {
            guard let parsed = VarianceShare.Method(rawValue: method) else { throw invalid("method") }
            academic.method = parsed
        }
        if let limit = try section.maxDifference.map({ try positive($0, "max_difference") }) {
            academic.target.maximumDifference = limit
        }
        for (subject, value) in section.fullMarks ?? [:] {
            switch value {
            case .all(let mark):
                academic.fullMarks[subject] = [nil: try positive(mark, "full_marks", subject)]
            case .byGrade(let byGrade):
                var parsed: [Int?: Double] = [:]
                for (grade, mark) in byGrade {
                    let mark = try positive(mark, "full_marks", subject, grade)
                    if grade == "default" {
                        parsed[nil] = mark
                    } else if let year = Int(grade), (1...9).contains(year) {
                        parsed[year] = mark
                    } else {
                        throw InvalidSettings(description: "设置项 academic.full_marks.\(subject) 的键应为年级 1–9 或 default")
                    }
                }
                academic.fullMarks[subject] = parsed
            }
        }
        for (subject, reference) in section.references ?? [:] {
            guard let mean = reference.mean, let sd = reference.sd else { throw invalid("references", subject) }
            academic.references[subject] = (
                try positive(mean, "references", subject, "mean"), try positive(sd, "references", subject, "sd")
            )
        }
    }
}
