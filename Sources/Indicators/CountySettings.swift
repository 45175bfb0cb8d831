import Foundation
import Standards

/// A county's settings (`jiance-settings.json`): targets and the choices the standards leave
/// open. Every key is optional; a missing key keeps the default.
///
/// ```json
/// { "fitness": { "good_or_better": 0.55, "passing": 0.98 },
///   "vision":  { "boundary": "<", "under_six_threshold": true, "baseline_year": 2023, "drop_per_year_pp": 0.5 },
///   "psych":   { "cutoffs": { "phq9": { "橙": 20, "黄": 10, "观察": 5 } }, "mht_scale": 8, "sdq_version": "self", "review_days": 3 } }
/// ```
public struct CountySettings: Sendable {
    public var fitness = FitnessTargets()
    public var vision = VisionSettings()
    public var myopia = MyopiaTarget()
    public var psych = PsychSettings()
    /// Red and orange cases should be reviewed (复核) within this many days.
    public var psychReviewDays = 3

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
            guard let number = value as? NSNumber, !(value is Bool) else { throw InvalidSettings(description: "设置项 \(key) 应为数字") }
            return number.doubleValue
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
            guard let flag = flag as? Bool else { throw InvalidSettings(description: "设置项 vision.under_six_threshold 应为 true 或 false") }
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
                        throw InvalidSettings(description: "设置项 psych.cutoffs.\(scale) 应为 {\"红\"/\"橙\"/\"黄\"/\"观察\": 数字}")
                    }
                    parsed[level] = number.intValue
                }
                self.psych.totalCutoffs[PsychScale.normalizedID(scale)] = parsed
            }
        }
        if let cutoff = try number(psych, "mht_scale") { self.psych.mhtScaleCutoff = Int(cutoff) }
        if let version = psych?["sdq_version"] as? String {
            guard ["self", "parent", "teacher"].contains(version) else { throw InvalidSettings(description: "设置项 psych.sdq_version 只能是 self、parent 或 teacher") }
            self.psych.sdqVersion = version
        }
        if let days = try number(psych, "review_days") { psychReviewDays = Int(days) }
    }
}
