/// The scoring tables of the 2014 standard, loaded from the CSV resources copied from
/// ../shared/reference/fitness (items.csv, bmi.csv, weights.csv, bonus.csv).
public struct FitnessTables: Sendable {
    /// One level of an item table: reaching `threshold` earns `score`.
    public struct Level: Sendable, Hashable {
        public var score: Int
        public var threshold: Double
    }

    /// One BMI band; bounds inclusive, in tenths of kg/m² (0.1 resolution).
    public struct BMIBand: Sendable, Hashable {
        public var category: BMICategory
        public var score: Int
        public var minTenths: Int?
        public var maxTenths: Int?
    }

    /// One bonus step: reaching `increment` beyond the 100-point threshold earns `points`.
    public struct BonusStep: Sendable, Hashable {
        public var points: Int
        /// Counts beyond (positive) or seconds faster (given negative in bonus.csv, stored positive).
        public var increment: Double
    }

    struct ItemKey: Hashable {
        var item: FitnessItem
        var grade: String
        var sex: Sex
    }

    /// Levels from the best score down.
    var items: [ItemKey: [Level]] = [:]
    var bmi: [String: [Sex: [BMIBand]]] = [:]
    /// Weight (percent) of each item per band and sex.
    var weights: [String: [Sex: [FitnessItem: Int]]] = [:]
    var bonus: [String: [Sex: [FitnessItem: [BonusStep]]]] = [:]
    /// `weights` in standard item order, computed once (scoring asks for them per student).
    var orderedWeights: [String: [Sex: [(item: FitnessItem, weight: Int)]]] = [:]

    /// The tables shipped with Jiance, read once.
    public static let bundled: Result<FitnessTables, ReferenceTables.LoadError> = {
        do { return .success(try FitnessTables(loading: "fitness")) } catch let error as ReferenceTables.LoadError {
            return .failure(error)
        } catch {
            return .failure(ReferenceTables.LoadError(description: "无法读取标准数据表：\(error)"))
        }
    }()

    init(loading folder: String) throws {
        func sexes(_ text: String?) throws -> [Sex] {
            switch text {
            case "male": return [.male]
            case "female": return [.female]
            case "both": return [.male, .female]
            default: throw ReferenceTables.LoadError(description: "未知性别 \(text ?? "")")
            }
        }
        /// Every row of the bundled tables is `verified` (../shared/reference/fitness/README.md,
        /// "Status"): results are never scored on a value that two independent sources do not confirm.
        func requireVerified(_ row: ReferenceTables.Row, _ file: String) throws {
            guard row["status"] == "verified" else {
                throw ReferenceTables.LoadError(description: "\(file) 中有未经独立核实的行，不能用于评分：\(row)")
            }
        }
        func item(_ text: String?) throws -> FitnessItem {
            guard let text, let item = FitnessItem(rawValue: text) else {
                throw ReferenceTables.LoadError(description: "未知项目 \(text ?? "")")
            }
            return item
        }

        for row in try ReferenceTables.rows("\(folder)/items.csv") {
            guard let score = Int(row["score"] ?? ""), let threshold = Double(row["threshold"] ?? ""),
                let grade = row["grade"]
            else {
                throw ReferenceTables.LoadError(description: "items.csv 行无效：\(row)")
            }
            try requireVerified(row, "items.csv")
            for sex in try sexes(row["sex"]) {
                items[ItemKey(item: try item(row["item"]), grade: grade, sex: sex), default: []]
                    .append(Level(score: score, threshold: threshold))
            }
        }
        for key in items.keys { items[key]?.sort { $0.score > $1.score } }

        for row in try ReferenceTables.rows("\(folder)/bmi.csv") {
            guard let grade = row["grade"], let score = Int(row["score"] ?? ""),
                let category = BMICategory(rawValue: row["category"] ?? "")
            else {
                throw ReferenceTables.LoadError(description: "bmi.csv 行无效：\(row)")
            }
            let tenths = { (text: String?) -> Int? in
                guard let text, let value = Double(text) else { return nil }
                return Int((value * 10).rounded())
            }
            try requireVerified(row, "bmi.csv")
            for sex in try sexes(row["sex"]) {
                bmi[grade, default: [:]][sex, default: []].append(
                    BMIBand(
                        category: category, score: score, minTenths: tenths(row["min"]), maxTenths: tenths(row["max"])))
            }
        }

        for row in try ReferenceTables.rows("\(folder)/weights.csv") {
            guard let band = row["band"], let weight = Int(row["weight_percent"] ?? "") else {
                throw ReferenceTables.LoadError(description: "weights.csv 行无效：\(row)")
            }
            for sex in try sexes(row["sex"]) {
                weights[band, default: [:]][sex, default: [:]][try item(row["item"])] = weight
            }
        }

        for (band, bySex) in weights {
            for (sex, items) in bySex {
                orderedWeights[band, default: [:]][sex] = items.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            }
        }
        for row in try ReferenceTables.rows("\(folder)/bonus.csv") {
            guard let band = row["band"], let points = Int(row["bonus_points"] ?? ""),
                let increment = Double(row["increment"] ?? "")
            else {
                throw ReferenceTables.LoadError(description: "bonus.csv 行无效：\(row)")
            }
            for sex in try sexes(row["sex"]) {
                bonus[band, default: [:]][sex, default: [:]][try item(row["item"]), default: []]
                    .append(BonusStep(points: points, increment: abs(increment)))
            }
        }
        for band in bonus.keys {
            for sex in bonus[band]!.keys {
                for item in bonus[band]![sex]!.keys { bonus[band]![sex]![item]!.sort { $0.points < $1.points } }
            }
        }
    }

    /// The levels of one table, best first; empty when the standard has no such table.
    public func levels(_ item: FitnessItem, grade: FitnessGrade, sex: Sex) -> [Level] {
        items[ItemKey(item: item, grade: grade.key, sex: sex)] ?? []
    }

    /// The items scored for a grade and sex, with their weights (percent), in standard order.
    public func weights(grade: FitnessGrade, sex: Sex) -> [(item: FitnessItem, weight: Int)] {
        orderedWeights[grade.weightBand]?[sex] ?? []
    }

    public func bmiBands(grade: FitnessGrade, sex: Sex) -> [BMIBand] { bmi[grade.key]?[sex] ?? [] }

    /// Bonus steps for an item, smallest first; empty when the item earns no bonus at this grade.
    public func bonusSteps(_ item: FitnessItem, grade: FitnessGrade, sex: Sex) -> [BonusStep] {
        bonus[grade.bonusBand]?[sex]?[item] ?? []
    }

    /// Table grades that exist in items.csv.
    public var gradeKeys: Set<String> { Set(items.keys.map(\.grade)) }
}

/// BMI categories of the standard's 体重指数 table.
public enum BMICategory: String, Sendable, Hashable, Codable, CaseIterable {
    case underweight = "低体重"
    case normal = "正常"
    case overweight = "超重"
    case obese = "肥胖"
}
