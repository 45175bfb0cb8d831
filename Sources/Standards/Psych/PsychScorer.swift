/// Risk levels of the default grading (../shared/reference/psych/RULES.md, "Risk grading"; no
/// national standard exists, so the scheme is configurable).
public enum RiskLevel: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case red = "红"
    case orange = "橙"
    case yellow = "黄"
    case watch = "观察"

    /// 一级 … for the ledger.
    public var grade: String {
        switch self {
        case .red: "红（一级）"
        case .orange: "橙（二级）"
        case .yellow: "黄（三级）"
        case .watch: "观察"
        }
    }

    /// Red is the highest.
    public static func < (lhs: RiskLevel, rhs: RiskLevel) -> Bool {
        allCases.firstIndex(of: lhs)! > allCases.firstIndex(of: rhs)!
    }
}

/// The county's grading settings. The defaults are the RULES.md table; cut-offs whose status in
/// the reference is not `primary` are settings, and the values in use are printed in reports.
public struct PsychSettings: Sendable, Hashable {
    /// Total score cut-offs per scale and level (≥).
    public var totalCutoffs: [String: [RiskLevel: Int]] = [
        "phq9": [.orange: 20, .yellow: 10, .watch: 5],
        "phq_a": [.orange: 20, .yellow: 10, .watch: 5],
        "gad7": [.orange: 15, .yellow: 10, .watch: 5],
        "mht": [.orange: 65],
        "scared": [.yellow: 23],
        "dsrsc": [.yellow: 15, .watch: 13],
        "cesd": [.yellow: 20, .watch: 16],
    ]
    /// MHT content scale ≥ this → 黄 (secondary; raw or standard metric unconfirmed).
    public var mhtScaleCutoff = 8
    /// Which MHT metric the cut-offs apply to; only raw scores are computed (the norm tables are
    /// not public), so this is printed to make the choice visible.
    public var mhtMetric = "原始分"
    /// SDQ version of the norm bands: self, parent or teacher (杜亚松 2008 China norms).
    public var sdqVersion = "self"

    public init() {}

    public var description: String {
        let order = ["phq9", "phq_a", "gad7", "mht", "scared", "dsrsc", "cesd"]
        let cutoffs = order.compactMap { id -> String? in
            guard let levels = totalCutoffs[id] else { return nil }
            return "\(id) "
                + RiskLevel.allCases.compactMap { level in levels[level].map { "\(level.rawValue)≥\($0)" } }.joined(
                    separator: "/")
        }
        return "风险分级（默认方案，可在设置文件中调整）：关键条目阳性→红；" + cutoffs.joined(separator: "；")
            + "；MHT 内容量表≥\(mhtScaleCutoff)→黄（\(mhtMetric)）；SCL-90 阳性→黄、阳性且任一因子≥3→橙；SDQ（\(sdqVersion)）总分异常→橙、临界→观察"
    }
}

/// One answer sheet.
public struct PsychAnswers: Sendable, Hashable {
    public var studentID: String
    public var scale: String
    /// Item number → answer value as given (before reversal). For PHQ-A, in PHQ-A item order.
    public var answers: [Int: Int]
    /// PHQ-A supplementary yes/no questions (past_month_serious_suicidal_thoughts …).
    public var supplementary: [String: Bool]
    /// When a platform exports totals only: no item answers, critical items unknown.
    public var totalOnly: Int?

    public init(
        studentID: String, scale: String, answers: [Int: Int], supplementary: [String: Bool] = [:],
        totalOnly: Int? = nil
    ) {
        self.studentID = studentID
        self.scale = scale
        self.answers = answers
        self.supplementary = supplementary
        self.totalOnly = totalOnly
    }
}

public struct PsychResult: Sendable, Hashable {
    public struct SubscaleScore: Sendable, Hashable {
        public var id: String
        public var label: String
        /// Sum, or mean for SCL-90 factors.
        public var value: Double
        public var band: String?
    }

    public var studentID: String
    public var scale: String
    public var total: Int?
    public var subscales: [SubscaleScore]
    public var band: String?
    /// The level the screening proposes; a psychology teacher confirms it in the ledger.
    public var riskLevel: RiskLevel?
    /// Critical items answered positively, with the option's words, e.g. `第9题=2（一半以上的天数）`.
    public var criticalItems: [String]
    /// False when only totals were imported: critical items are unknown.
    public var criticalItemsKnown: Bool
    /// False when a validity scale voids the sheet (MHT lie scale ≥ 7).
    public var valid: Bool
    /// False when answers are missing: not graded.
    public var complete: Bool
    public var findings: [Finding]
}

/// Scores answer sheets from the scales' keys and grades the risk by `PsychSettings`.
public struct PsychScorer: Sendable {
    public var settings: PsychSettings

    public init(settings: PsychSettings = PsychSettings()) { self.settings = settings }

    public func score(_ sheet: PsychAnswers, scale: PsychScale) -> PsychResult {
        var result = PsychResult(
            studentID: sheet.studentID, scale: scale.id, total: nil, subscales: [], band: nil, riskLevel: nil,
            criticalItems: [],
            criticalItemsKnown: sheet.totalOnly == nil, valid: true, complete: true, findings: [])
        if let total = sheet.totalOnly {
            result.total = total
            result.band = band(total, scale: scale)
            result.riskLevel = levelFromTotal(total, scale: scale)
            result.findings.append(Finding(.warning, "只有总分，没有逐题作答：关键条目（如自伤想法）未知，需人工确认"))
            return result
        }
        // Critical items: on the answer as given, before any reversal; never prorated.
        var crisis: RiskLevel?
        for critical in scale.criticalItems {
            var hit = false
            if let item = critical.item, let answer = sheet.answers[item], let trigger = critical.trigger {
                switch trigger {
                case .atLeast(let value): hit = answer >= value
                case .equals(let value): hit = answer == value
                }
                if hit {
                    // The option's words beside its value: an MHT "1" is 是.
                    let label = scale.options.first { $0.value == answer }.map { "（\($0.label)）" } ?? ""
                    result.criticalItems.append("第\(item)题=\(answer)\(label)")
                }
            } else if let key = critical.supplementary, sheet.supplementary[key] == true {
                hit = true
                result.criticalItems.append(key)
            }
            if hit { crisis = max(crisis ?? .watch, level(forAction: critical.action)) }
        }

        let missing = (1...max(scale.itemCount, 1)).filter { sheet.answers[$0] == nil }
        var scored: [Int: Int] = [:]
        scored.reserveCapacity(sheet.answers.count)
        for (item, answer) in sheet.answers {
            scored[item] = scale.reverseItems.contains(item) ? scale.reverseBase - answer : answer
        }
        if !scale.validityItems.isEmpty {
            let lie = scale.validityItems.compactMap { sheet.answers[$0] }.reduce(0, +)
            if lie >= scale.validityThreshold {
                result.valid = false
                result.findings.append(Finding(.warning, "测谎量表得分 \(lie) ≥ \(scale.validityThreshold)：答卷无效，不评定，请择期重测"))
            }
        }
        result.subscales = subscales(scale, scored: scored)
        // SDQ subscales are prorated (≥ 3 of 5 answered); the sheet counts as complete when the four
        // difficulty scales exist. Other scales are never prorated (their rules are unverified).
        let sdqComplete =
            scale.id == "sdq"
            && ["emotional", "conduct", "hyperactivity", "peer"].allSatisfy { id in
                result.subscales.contains { $0.id == id }
            }
        if !missing.isEmpty && !sdqComplete {
            result.complete = false
            result.findings.append(
                Finding(
                    .warning,
                    "缺答 \(missing.count) 题（第 \(missing.prefix(10).map(String.init).joined(separator: "、"))\(missing.count > 10 ? " 等" : "") 题）：不计总分、不评定"
                ))
        }
        if result.complete {
            result.total = total(scale, scored: scored, subscales: result.subscales)
        }
        if let total = result.total, result.valid {
            result.band = band(total, scale: scale)
            result.riskLevel = gradedLevel(total, scale: scale, subscales: result.subscales, sheet: sheet)
        }
        if let crisis {
            result.riskLevel = max(result.riskLevel ?? crisis, crisis)
            let reason =
                crisis == .red
                ? "关键条目阳性（\(result.criticalItems.joined(separator: "、"))）：无论总分，定为红色，须当日处置"
                : "关键条目阳性（\(result.criticalItems.joined(separator: "、"))）"
            result.findings.append(Finding(.warning, reason))
        }
        return result
    }

    /// Crisis actions raise red; elevated or harm-to-others flags orange; watch items 观察.
    func level(forAction action: String) -> RiskLevel {
        let text = action.lowercased()
        if text.contains("crisis") { return .red }
        if text.contains("watch") { return .watch }
        return .orange
    }

    private func subscales(_ scale: PsychScale, scored: [Int: Int]) -> [PsychResult.SubscaleScore] {
        scale.subscales.compactMap { subscale in
            let values = subscale.items.compactMap { scored[$0] }
            var value: Double
            if values.count == subscale.items.count {
                value =
                    subscale.isMean ? Double(values.reduce(0, +)) / Double(values.count) : Double(values.reduce(0, +))
            } else if scale.id == "sdq", values.count >= 3 {
                // SDQ: prorated when ≥ 3 of 5 answered: round(mean × 5), halves up (sdq.json missing_data).
                value = Double((values.reduce(0, +) * 10 + values.count) / (2 * values.count))
            } else {
                return nil
            }
            return PsychResult.SubscaleScore(
                id: subscale.id, label: subscale.label, value: value,
                band: subscaleBand(scale, id: subscale.id, value: value))
        }
    }

    private func total(_ scale: PsychScale, scored: [Int: Int], subscales: [PsychResult.SubscaleScore]) -> Int? {
        switch scale.id {
        case "mht":
            // The 8 content scales (90 items); the lie scale is not part of the total (mht.json total).
            return scale.subscales.flatMap(\.items).compactMap { scored[$0] }.reduce(0, +)
        case "sdq":
            // Total difficulties: emotional + conduct + hyperactivity + peer; missing if any is missing.
            let parts = ["emotional", "conduct", "hyperactivity", "peer"].map { id in
                subscales.first { $0.id == id }?.value
            }
            guard parts.allSatisfy({ $0 != nil }) else { return nil }
            return parts.compactMap { $0 }.reduce(0) { $0 + Int($1) }
        default:
            return (1...scale.itemCount).compactMap { scored[$0] }.reduce(0, +)
        }
    }

    private func band(_ total: Int, scale: PsychScale) -> String? {
        if let band = scale.bands.first(where: { $0.min <= total && total <= $0.max }) { return band.label }
        switch scale.id {
        case "mht": return total >= 65 ? "总焦虑倾向高" : "正常范围"
        case "sdq": return sdqBand("total", total)
        case "scl90": return total > 160 ? "总分阳性（>160）" : nil
        default:
            if let cutoff = settings.totalCutoffs[scale.id]?[.yellow] {
                return total >= cutoff ? "筛查阳性（≥\(cutoff)）" : "筛查阴性"
            }
            return nil
        }
    }

    private func subscaleBand(_ scale: PsychScale, id: String, value: Double) -> String? {
        switch scale.id {
        case "mht": return value >= Double(settings.mhtScaleCutoff) ? "高" : (value >= 4 ? "中" : "低")
        case "sdq": return sdqBand(id, Int(value))
        case "scl90": return value >= 3 ? "中度以上（≥3）" : (value >= 2 ? "阳性（≥2）" : nil)
        default: return nil
        }
    }

    /// 杜亚松 2008 China norms (sdq.json bands.china_norm_Du_2008), by version.
    private func sdqBand(_ id: String, _ value: Int) -> String? {
        let norms: [String: [String: (normal: ClosedRange<Int>, borderline: ClosedRange<Int>)]] = [
            "self": [
                "total": (0...14, 15...17), "emotional": (0...4, 5...5), "conduct": (0...3, 4...4),
                "hyperactivity": (0...5, 6...6), "peer": (0...4, 5...5), "prosocial": (6...10, 5...5),
            ],
            "parent": [
                "total": (0...14, 15...16), "emotional": (0...3, 4...4), "conduct": (0...2, 3...3),
                "hyperactivity": (0...6, 7...7), "peer": (0...4, 5...5), "prosocial": (6...10, 5...5),
            ],
            "teacher": [
                "total": (0...13, 14...17), "emotional": (0...3, 4...4), "conduct": (0...2, 3...3),
                "hyperactivity": (0...6, 7...8), "peer": (0...4, 5...5), "prosocial": (5...10, 4...4),
            ],
        ]
        guard let band = norms[settings.sdqVersion]?[id] else { return nil }
        if band.normal.contains(value) { return "正常" }
        if band.borderline.contains(value) { return "临界" }
        return "异常"
    }

    private func levelFromTotal(_ total: Int, scale: PsychScale) -> RiskLevel? {
        guard let cutoffs = settings.totalCutoffs[scale.id] else { return nil }
        return RiskLevel.allCases.first { level in cutoffs[level].map { total >= $0 } ?? false }
    }

    private func gradedLevel(
        _ total: Int, scale: PsychScale, subscales: [PsychResult.SubscaleScore], sheet: PsychAnswers
    ) -> RiskLevel? {
        var level = levelFromTotal(total, scale: scale)
        func raise(_ to: RiskLevel) { level = max(level ?? to, to) }
        switch scale.id {
        case "mht":
            if subscales.contains(where: { $0.value >= Double(settings.mhtScaleCutoff) }) { raise(.yellow) }
        case "scl90":
            // Screen positive (scl90.json screen_positive_rules): total > 160, or > 43 items ≥ 2, or any factor ≥ 2.
            let positiveItems = sheet.answers.values.filter { $0 >= 2 }.count
            let positive = total > 160 || positiveItems > 43 || subscales.contains { $0.value >= 2 }
            if positive { raise(.yellow) }
            if positive, subscales.contains(where: { $0.value >= 3 }) { raise(.orange) }
        case "sdq":
            switch sdqBand("total", total) {
            case "异常": raise(.orange)
            case "临界": raise(.watch)
            default: break
            }
        default: break
        }
        return level
    }
}
