import Foundation
import Standards

/// A county's settings (`jiance-settings.json`): targets and the choices the standards leave
/// open. Every key is optional; a missing key keeps the default.
///
/// ```json
/// { "fitness": { "good_or_better": 0.55, "passing": 0.98 },
///   "vision":  { "boundary": "<", "under_six_threshold": true, "baseline_year": 2023, "drop_per_year_pp": 0.5 } }
/// ```
public struct CountySettings: Sendable {
    public var fitness = FitnessTargets()
    public var vision = VisionSettings()
    public var myopia = MyopiaTarget()

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
    }
}
