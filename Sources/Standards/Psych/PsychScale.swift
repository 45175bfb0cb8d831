import Foundation

/// A psychological screening scale as data: its scoring key, loaded from the JSON resources
/// copied from ../shared/reference/psych (one file per scale; no item texts).
public struct PsychScale: Sendable, Hashable {
    public struct Subscale: Sendable, Hashable {
        public var id: String
        public var label: String
        public var items: [Int]
        /// SCL-90 factors are item means; the others are sums.
        public var isMean: Bool
    }

    /// A band of the total (PHQ-9, PHQ-A, GAD-7: Kroenke 2001 / Spitzer 2006).
    public struct Band: Sendable, Hashable {
        public var min: Int
        public var max: Int
        public var label: String
    }

    /// A critical item (关键条目): its rule and the action the reference gives.
    public struct CriticalItem: Sendable, Hashable {
        public enum Trigger: Sendable, Hashable {
            /// Answer value (before reversal) ≥ threshold.
            case atLeast(Int)
            /// Answer value equals.
            case equals(Int)
        }
        /// Item number, or nil for a supplementary yes/no question (PHQ-A).
        public var item: Int?
        public var supplementary: String?
        public var trigger: Trigger?
        public var action: String
        public var status: String
    }

    public var id: String
    public var name: String
    public var itemCount: Int
    /// Response options: value and Chinese label.
    public var options: [(value: Int, label: String)]
    public var reverseItems: Set<Int>
    /// `raw' = reverseBase − raw` for reverse items (SDQ, DSRSC: 2; CES-D: 3).
    public var reverseBase: Int
    public var subscales: [Subscale]
    public var bands: [Band]
    public var criticalItems: [CriticalItem]
    /// MHT: the lie-scale items; a score ≥ `validityThreshold` voids the sheet.
    public var validityItems: [Int]
    public var validityThreshold: Int
    /// PHQ-A: the PHQ-9 item each PHQ-A item asks (items 1↔2 and 4↔5 swapped; phq_a.json
    /// item_order_vs_phq9), so item-level data of the two forms are never misaligned.
    public var phq9Item: [Int: Int]

    public var minValue: Int { options.map(\.value).min() ?? 0 }
    public var maxValue: Int { options.map(\.value).max() ?? 0 }

    public static func == (lhs: PsychScale, rhs: PsychScale) -> Bool { lhs.id == rhs.id }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }

    /// The scale ids shipped: PHQ-9, PHQ-A, GAD-7, MHT, SCL-90, SDQ, DSRSC, SCARED, CES-D.
    public static let ids = ["phq9", "phq_a", "gad7", "mht", "scl90", "sdq", "dsrsc", "scared", "cesd"]

    /// Every shipped scale, read once.
    public static let bundled: Result<[String: PsychScale], ReferenceTables.LoadError> = {
        do {
            var scales: [String: PsychScale] = [:]
            for id in ids { scales[id] = try PsychScale(resource: id) }
            return .success(scales)
        } catch let error as ReferenceTables.LoadError {
            return .failure(error)
        } catch {
            return .failure(ReferenceTables.LoadError(description: "无法读取量表计分键：\(error)"))
        }
    }()

    public static func named(_ id: String) throws -> PsychScale {
        guard let scale = try bundled.get()[normalizedID(id)] else {
            throw ReferenceTables.LoadError(description: "未知量表“\(id)”（可用：\(ids.joined(separator: "、"))）")
        }
        return scale
    }

    /// `PHQ-9`, `phq9`, `PHQ-A`, `SCL-90` → the resource id.
    public static func normalizedID(_ text: String) -> String {
        let value = text.lowercased().replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "")
        return value == "phqa" ? "phq_a" : value
    }

    init(resource id: String) throws {
        let url = try ReferenceTables.folder().appendingPathComponent("psych/\(id).json")
        guard let data = FileManager.default.contents(atPath: url.path),
            let json = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else {
            throw ReferenceTables.LoadError(description: "量表计分键 \(id).json 无法读取")
        }
        self.id = id
        name = json["name_zh"] as? String ?? id
        itemCount = json["item_count"] as? Int ?? 0
        options = (json["response_options"] as? [[String: Any]] ?? []).compactMap { option in
            guard let value = option["value"] as? Int else { return nil }
            return (value, option["zh"] as? String ?? String(value))
        }
        reverseItems = Set(json["reverse_items"] as? [Int] ?? [])
        // "2 - raw", "3 - raw (…)" → the base; without a formula, max + min.
        if let formula = json["reverse_formula"] as? String, let base = Int(formula.prefix { $0.isNumber }) {
            reverseBase = base
        } else {
            reverseBase = (options.map(\.value).max() ?? 0) + (options.map(\.value).min() ?? 0)
        }
        let labels = json["subscales_zh"] as? [String: String] ?? [:]
        subscales = (json["subscales"] as? [[String: Any]] ?? []).compactMap { entry in
            guard let id = entry["id"] as? String, let items = entry["items"] as? [Int] else { return nil }
            return Subscale(
                id: id, label: entry["zh"] as? String ?? labels[id] ?? id, items: items,
                isMean: (entry["score"] as? String)?.contains("mean") == true)
        }
        bands = (json["bands"] as? [[String: Any]] ?? []).compactMap { band in
            guard let min = band["min"] as? Int, let max = band["max"] as? Int else { return nil }
            return Band(min: min, max: max, label: band["zh"] as? String ?? "")
        }
        criticalItems = (json["critical_items"] as? [[String: Any]] ?? []).map { entry in
            let rule = entry["rule"] as? String ?? ""
            var trigger: CriticalItem.Trigger?
            if let range = rule.range(of: ">=") ?? rule.range(of: "=="),
                let value = Int(rule[range.upperBound...].trimmingCharacters(in: .whitespaces).prefix { $0.isNumber })
            {
                trigger = rule[range].hasPrefix(">") ? .atLeast(value) : .equals(value)
            }
            return CriticalItem(
                item: entry["item"] as? Int, supplementary: entry["item"] as? String, trigger: trigger,
                action: entry["action"] as? String ?? "", status: entry["status"] as? String ?? "unverified")
        }
        var mapping: [Int: Int] = [:]
        for (key, text) in (json["item_order_vs_phq9"] as? [String: Any])?["phq_a_item"] as? [String: String] ?? [:] {
            guard let item = Int(key) else { continue }
            // "… (= PHQ-9 item 2)" or "=6".
            let digits = text.reversed().drop { !$0.isNumber }.prefix { $0.isNumber }
            mapping[item] = Int(String(digits.reversed())) ?? item
        }
        phq9Item = mapping
        let validity = (json["validity_scales"] as? [[String: Any]])?.first
        validityItems = validity?["items"] as? [Int] ?? []
        validityThreshold =
            (validity?["rule"] as? String).flatMap { rule in
                rule.range(of: ">=").flatMap { Int(rule[$0.upperBound...].prefix { $0.isNumber }) }
            } ?? 7
    }

    /// The value of an answer given as a number or as the option text (是/否, 好几天 …).
    ///
    /// Runs on every answer of a file (100 per MHT sheet), so the range is checked against the
    /// options in place rather than through `minValue`/`maxValue`, which build arrays.
    public func value(of text: String) -> Int? {
        let answer = text.trimmingSpaces
        func offered(_ number: Int) -> Bool {
            options.contains { $0.value <= number } && options.contains { $0.value >= number }
        }
        // A number starts with an ASCII byte; a Chinese option text (是, 好几天) is not parsed as one.
        if answer.utf8.first.map({ $0 < 0x80 }) ?? false {
            if let number = Int(answer), offered(number) { return number }
            // `2.0` as platforms export it; `Int(exactly:)` refuses a fraction and a number no Int holds.
            if let number = Double(answer).flatMap({ Int(exactly: $0) }), offered(number) { return number }
        }
        // Option texts compared by their bytes: `==` compares Chinese by canonical equivalence,
        // several hundred instructions each, and most answers are typed as the options are.
        if let option = options.first(where: { $0.label.hasSameUTF8(as: answer) }) { return option.value }
        // MHT answers are 是/否 (不是); some platforms write 否.
        let no = options.first { $0.label.hasSameUTF8(as: "不是") }
        if let no, answer.hasSameUTF8(as: "否") { return no.value }
        // The same texts in another Unicode form (a compatibility ideograph, a decomposed accent).
        if let option = options.first(where: { $0.label == answer }) { return option.value }
        if let no, answer == "否" { return no.value }
        return nil
    }
}
