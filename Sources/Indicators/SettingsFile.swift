import Foundation
import Standards

/// The settings file as written (`jiance-settings.json`), every section and key optional: decoded
/// once, then turned into `CountySettings` (`CountySettings.init(_:)`) and the reading and upload
/// limits, so that the county settings and the limits can never be read differently. Unknown keys
/// are ignored (files written for a later version still open), except in `county_figures`, whose
/// keys are the figures themselves.
public struct SettingsFile: Decodable, Sendable {
    public var healthRecord: [String]?
    public var notices: Notices?
    public var fitness: Fitness?
    public var vision: Vision?
    public var psych: Psych?
    public var countyFigures: [String: Double]?
    public var academic: Academic?
    public var limits: Limits?

    enum CodingKeys: String, CodingKey {
        case healthRecord = "health_record"
        case notices, fitness, vision, psych
        case countyFigures = "county_figures"
        case academic, limits
    }

    public struct Notices: Decodable, Sendable {
        public var referral: String?
        public var perSheet: Double?
        enum CodingKeys: String, CodingKey {
            case referral
            case perSheet = "per_sheet"
        }
    }

    public struct Fitness: Decodable, Sendable {
        public var goodOrBetter: Double?
        public var passing: Double?
        enum CodingKeys: String, CodingKey {
            case goodOrBetter = "good_or_better"
            case passing
        }
    }

    public struct Vision: Decodable, Sendable {
        public var boundary: String?
        public var underSixThreshold: Bool?
        public var baselineYear: Double?
        public var dropPerYearPP: Double?
        enum CodingKeys: String, CodingKey {
            case boundary
            case underSixThreshold = "under_six_threshold"
            case baselineYear = "baseline_year"
            case dropPerYearPP = "drop_per_year_pp"
        }
    }

    public struct Psych: Decodable, Sendable {
        /// Total-score cut-offs by scale, then by risk level (`红`, `橙`, `黄`, `观察`).
        public var cutoffs: [String: [String: Double]]?
        public var mhtScale: Double?
        public var sdqVersion: String?
        public var reviewDays: Double?
        enum CodingKeys: String, CodingKey {
            case cutoffs
            case mhtScale = "mht_scale"
            case sdqVersion = "sdq_version"
            case reviewDays = "review_days"
        }
    }

    public struct Academic: Decodable, Sendable {
        public var scheme: Scheme?
        public var lowerGradesScheme: Scheme?
        public var lowerGradesUpTo: Double?
        public var method: String?
        public var maxDifference: Double?
        public var fullMarks: [String: FullMark]?
        public var standardised: Standardised?
        public var references: [String: Reference]?
        enum CodingKeys: String, CodingKey {
            case scheme
            case lowerGradesScheme = "lower_grades_scheme"
            case lowerGradesUpTo = "lower_grades_up_to"
            case method
            case maxDifference = "max_difference"
            case fullMarks = "full_marks"
            case standardised, references
        }

        /// A preset name (`BandScheme.presetIDs`, or `standardised`) or the percent bounds of Ⅳ, Ⅲ, Ⅱ.
        public enum Scheme: Decodable, Sendable {
            case name(String)
            case bounds([Double])

            public init(from decoder: any Decoder) throws {
                let value = try decoder.singleValueContainer()
                if let name = try? value.decode(String.self) {
                    self = .name(name)
                } else {
                    self = .bounds(try value.decode([Double].self))
                }
            }
        }

        /// One full mark for every grade, or full marks by grade (`"7"`, …, `"default"`).
        public enum FullMark: Decodable, Sendable {
            case all(Double)
            case byGrade([String: Double])

            public init(from decoder: any Decoder) throws {
                let value = try decoder.singleValueContainer()
                if let mark = try? value.decode(Double.self) {
                    self = .all(mark)
                } else {
                    self = .byGrade(try value.decode([String: Double].self))
                }
            }
        }

        public struct Standardised: Decodable, Sendable {
            public var mean: Double?
            public var sd: Double?
            public var cuts: [Double]?
        }

        public struct Reference: Decodable, Sendable {
            public var mean: Double?
            public var sd: Double?
        }
    }

    /// The `limits` section, each a positive whole number (checked as it is decoded); absent keys
    /// keep the readers' and the web server's safe defaults.
    public struct Limits: Decodable, Sendable {
        public var maxFileMB: Int?
        public var maxRows: Int?
        public var maxCellChars: Int?
        public var maxColumns: Int?
        public var maxExpansionRatio: Int?
        public var maxUploadMB: Int?
        public var maxUploadFiles: Int?

        enum CodingKeys: String, CodingKey {
            case maxFileMB = "max_file_mb"
            case maxRows = "max_rows"
            case maxCellChars = "max_cell_chars"
            case maxColumns = "max_columns"
            case maxExpansionRatio = "max_expansion_ratio"
            case maxUploadMB = "max_upload_mb"
            case maxUploadFiles = "max_upload_files"
        }

        public init() {}

        public init(from decoder: any Decoder) throws {
            let section = try decoder.container(keyedBy: CodingKeys.self)
            func positive(_ key: CodingKeys) throws -> Int? {
                guard let value = try section.decodeIfPresent(Double.self, forKey: key) else { return nil }
                guard let whole = Int(exactly: value), whole > 0 else {
                    throw SettingsFile.invalid(["limits", key.rawValue])
                }
                return whole
            }
            maxFileMB = try positive(.maxFileMB)
            maxRows = try positive(.maxRows)
            maxCellChars = try positive(.maxCellChars)
            maxColumns = try positive(.maxColumns)
            maxExpansionRatio = try positive(.maxExpansionRatio)
            maxUploadMB = try positive(.maxUploadMB)
            maxUploadFiles = try positive(.maxUploadFiles)
        }
    }

    /// Decodes a settings file; every problem is a Chinese `InvalidSettings` naming the setting.
    public init(json data: Data) throws {
        do {
            self = try JSONDecoder().decode(SettingsFile.self, from: data)
        } catch let error as DecodingError {
            throw Self.problem(error)
        }
    }
}

extension SettingsFile {
    /// What each setting allows, said once for the checks of `CountySettings.init(_:)` and for the
    /// decoder's type errors alike. `*` stands for any key (a subject, a scale, a figure).
    private static let allowed: [String: String] = {
        let kinds = HealthRecordKind.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: "、")
        let scheme =
            "应为 \(BandScheme.presetIDs.joined(separator: "、")) 之一，或从高到低的得分率界限（如 [85, 75, 60]）"
        return [
            "health_record": "应为列表，取值 \(kinds)，如 [\"vision\", \"fitness\"]",
            "notices": "应为对象，如 {\"referral\": \"县人民医院眼科\", \"per_sheet\": 2}",
            "notices.per_sheet": "应为 1（每张 A4 一份）或 2（每张 A4 横排两份 A5）",
            "vision.boundary": "只能是 \"<\" 或 \"<=\"",
            "psych.cutoffs.*": "应为 {\"红\"/\"橙\"/\"黄\"/\"观察\": 数字}",
            "psych.sdq_version": "只能是 self、parent 或 teacher",
            "county_figures.*": "应为 0–1 的比例",
            "fitness.good_or_better": "应为 0–1 的比例，如 0.55（即 55 %）",
            "fitness.passing": "应为 0–1 的比例，如 0.98（即 98 %）",
            "vision.baseline_year": "应为基线学年的起始年份，如 2023",
            "vision.drop_per_year_pp": "应为每年下降的百分点，0–10，如 0.5",
            "academic.scheme": scheme,
            "academic.lower_grades_scheme": scheme,
            "academic.lower_grades_up_to": "应为正数",
            "academic.method": "只能是 icc 或 eta2",
            "academic.max_difference": "应为正数",
            "academic.standardised.mean": "应为正数",
            "academic.standardised.sd": "应为正数",
            "academic.standardised.cuts": "应为从高到低的三个分数",
            "academic.full_marks.*": "应为满分数字或 {年级: 满分}",
            "academic.full_marks.*.*": "应为正数",
            "academic.references.*": "需要 mean 与 sd",
            "academic.references.*.*": "应为正数",
            "limits.*": "应为正整数",
        ]
    }()

    /// The setting at `path` (or the nearest enclosing one with a rule, as `notices` answers for
    /// `notices.referral`) refused with what it allows; `fallback` when no enclosing setting has one.
    static func invalid(_ path: [String], fallback: String = "应为数字") -> CountySettings.InvalidSettings {
        for length in stride(from: path.count, through: 1, by: -1) {
            let key = path.prefix(length)
            // The key itself first, then with ever more of its trailing keys as `*`.
            let patterns = stride(from: length, through: 1, by: -1).map { wild in
                key.enumerated().map { $0.offset >= wild ? "*" : $0.element }.joined(separator: ".")
            }
            if let rule = patterns.lazy.compactMap({ allowed[$0] }).first {
                return CountySettings.InvalidSettings(description: "设置项 \(key.joined(separator: ".")) \(rule)")
            }
        }
        return CountySettings.InvalidSettings(description: "设置项 \(path.joined(separator: ".")) \(fallback)")
    }

    /// A decoding error as the county reads it: the dotted key path and what belongs there, never
    /// Swift's English. An error at the root (not JSON, or not an object) is the whole file's.
    private static func problem(_ error: DecodingError) -> CountySettings.InvalidSettings {
        let (context, expected): (DecodingError.Context?, Any.Type?) =
            switch error {
            case .typeMismatch(let type, let context), .valueNotFound(let type, let context): (context, type)
            case .dataCorrupted(let context), .keyNotFound(_, let context): (context, nil)
            @unknown default: (nil, nil)
            }
        // Array positions ("Index 1") are left out: the setting is the list (`health_record`, `cuts`);
        // a key that reads as a number (a grade, "7") stays.
        let path =
            context?.codingPath.filter { key in key.intValue.map { "\($0)" == key.stringValue } ?? true }
            .map(\.stringValue) ?? []
        guard !path.isEmpty else {
            return CountySettings.InvalidSettings(
                description: "设置文件不是有效的 JSON 对象：请检查逗号、引号和括号是否成对，最后一项后面不要有逗号")
        }
        let fallback =
            switch expected {
            case is String.Type: "应为文本"
            case is Bool.Type: "应为 true 或 false"
            case is Double.Type, nil: "应为数字"
            case is [Any].Type: "应为列表"
            default: "应为对象"
            }
        return invalid(path, fallback: fallback)
    }
}
