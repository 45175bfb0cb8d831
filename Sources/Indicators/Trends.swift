import Standards

/// An indicator followed term by term (the bureau's trend view). Each knows its family, how it
/// is compared (vision season to season, the others with the previous term that has data) and
/// the target its change is judged against.
public enum TrendIndicator: String, Sendable, CaseIterable, Codable {
    case goodOrBetter = "good_or_better_rate"
    case passing = "passing_rate"
    case excellent = "excellent_rate"
    case overweight = "overweight_rate"
    case obese = "obese_rate"
    case myopia = "myopia_rate"
    case lowVision = "low_vision_rate"
    case newMyopia = "new_myopia_rate"
    case visionRecords = "vision_record_rate"
    /// 儿童青少年健康档案建档率: a record of each kind the settings name (HealthRecordKind).
    case healthRecords = "health_record_rate"
    case psychCoverage = "psych_coverage"
    case psychRed = "psych_red"
    case psychOrange = "psych_orange"
    case psychYellow = "psych_yellow"
    case academicPercent = "academic_mean_percent"
    case academicAtLeastThree = "academic_level_three_or_above"
    case academicDifference = "academic_difference_max"
    case resourcePassing = "resource_parts_passing"
    case resourceCVPrimary = "resource_cv_max_primary"
    case resourceCVJunior = "resource_cv_max_junior"

    /// The indicators with a target a school can be short of: the 需关注学校 lists.
    public static let schoolTargets: [TrendIndicator] = [
        .goodOrBetter, .passing, .myopia, .visionRecords, .healthRecords,
    ]

    public enum Family: String, Sendable, CaseIterable {
        case fitness = "体质健康"
        case vision = "视力"
        case psych = "心理健康"
        case academic = "学业质量"
        case resources = "资源配置"
    }

    public enum Unit: Sendable { case percent, count, ratio }

    public var family: Family {
        switch self {
        case .goodOrBetter, .passing, .excellent, .overweight, .obese: .fitness
        case .myopia, .lowVision, .newMyopia, .visionRecords, .healthRecords: .vision
        case .psychCoverage, .psychRed, .psychOrange, .psychYellow: .psych
        case .academicPercent, .academicAtLeastThree, .academicDifference: .academic
        case .resourcePassing, .resourceCVPrimary, .resourceCVJunior: .resources
        }
    }

    public var name: String {
        switch self {
        case .goodOrBetter: "体质健康优良率"
        case .passing: "体质健康及格率"
        case .excellent: "体质健康优秀率"
        case .overweight: "超重率"
        case .obese: "肥胖率"
        case .myopia: "近视率"
        case .lowVision: "视力不良率"
        case .newMyopia: "新发近视率"
        case .visionRecords: "视力建档率"
        case .healthRecords: "健康档案建档率"
        case .psychCoverage: "心理筛查覆盖率（四至九年级）"
        case .psychRed: "红色预警（人）"
        case .psychOrange: "橙色预警（人）"
        case .psychYellow: "黄色预警（人）"
        case .academicPercent: "学业平均得分率"
        case .academicAtLeastThree: "学业水平Ⅲ以上占比"
        case .academicDifference: "校际差异率（各科最高）"
        case .resourcePassing: "资源配置合格学校占比"
        case .resourceCVPrimary: "资源配置差异系数最高值（小学）"
        case .resourceCVJunior: "资源配置差异系数最高值（初中）"
        }
    }

    public var unit: Unit {
        switch self {
        case .psychRed, .psychOrange, .psychYellow: .count
        case .academicDifference, .resourceCVPrimary, .resourceCVJunior: .ratio
        default: .percent
        }
    }

    /// Vision is compared with the same season of the previous school year (RULES.md, vision).
    public var seasonal: Bool { family == .vision }

    /// Figures that exist only for the whole county (a variance share across schools, a CV).
    public var countyOnly: Bool {
        [.academicDifference, .resourcePassing, .resourceCVPrimary, .resourceCVJunior].contains(self)
    }

    /// The target, in words, nil when the indicator has none. Sources: the county plan and
    /// ../shared/reference/academic/RULES.md §3 (优良率 ≥ 55 %, 及格率 ≥ 98 %, 近视率 −0.5 pp a year,
    /// 建档率 100 %), §1 (校际差异率 below 0.15), §2 (差异系数 ≤ 0.50 / 0.45); "rising towards" the
    /// fitness targets is the county plan's reading of progress before they are reached.
    public func targetText(_ targets: TrendTargets) -> String? {
        switch self {
        case .goodOrBetter: "≥ \(Rate.percentText(targets.fitness.goodOrBetter))，或逐年上升"
        case .passing: "≥ \(Rate.percentText(targets.fitness.passing))，或逐年上升"
        case .myopia: "每年下降 ≥ \(targets.myopiaDropPerYearPP) 个百分点"
        case .visionRecords, .healthRecords: "100%"
        case .academicDifference: "< \(targets.academicDifference)"
        case .resourcePassing: "100%"
        case .resourceCVPrimary: "≤ 0.50"
        case .resourceCVJunior: "≤ 0.45"
        default: nil
        }
    }

    /// The level a chart draws as the target line, nil without one.
    public func targetLine(_ targets: TrendTargets) -> Double? {
        switch self {
        case .goodOrBetter: targets.fitness.goodOrBetter
        case .passing: targets.fitness.passing
        case .visionRecords, .healthRecords, .resourcePassing: 1
        case .academicDifference: targets.academicDifference
        case .resourceCVPrimary: ResourceStage.primary.maximumCV
        case .resourceCVJunior: ResourceStage.junior.maximumCV
        default: nil
        }
    }

}

/// The targets trends are judged against.
public struct TrendTargets: Sendable {
    public var fitness = FitnessTargets()
    public var myopiaDropPerYearPP = 0.5
    public var academicDifference = 0.15

    public init(
        fitness: FitnessTargets = FitnessTargets(), myopiaDropPerYearPP: Double = 0.5, academicDifference: Double = 0.15
    ) {
        self.fitness = fitness
        self.myopiaDropPerYearPP = myopiaDropPerYearPP
        self.academicDifference = academicDifference
    }
}

/// One term's value: a rate keeps its counts, so changes are judged exactly.
public struct TrendValue: Sendable, Equatable {
    public var value: Double
    public var rate: Rate?

    public init(rate: Rate) {
        self.rate = rate
        value = rate.value ?? 0
    }

    public init(_ value: Double) {
        self.value = value
        rate = nil
    }
}

/// The change of an indicator from its previous comparable term.
public struct TrendChange: Sendable, Equatable {
    public var previous: Term
    /// In percentage points for rates, in the indicator's own unit otherwise.
    public var delta: Double
    /// Whether the change (or the level reached) meets the target; nil without a target.
    public var meets: Bool?
}

/// How a term stands against its target: reached, still short but rising (the fitness targets
/// count a rise as progress), or missed.
public enum TrendVerdict: String, Sendable {
    case met = "达标"
    case rising = "上升中（未达目标）"
    case missed = "未达标"
}

/// One indicator's values by term for the county or a school.
public struct TrendSeries: Sendable {
    public var indicator: TrendIndicator
    public var values: [Term: TrendValue]

    public init(indicator: TrendIndicator, values: [Term: TrendValue] = [:]) {
        self.indicator = indicator
        self.values = values
    }

    /// The term `term` is compared with: the same season a year earlier for vision, else the
    /// latest earlier term with a value.
    public func previousTerm(before term: Term) -> Term? {
        if indicator.seasonal { return values[term.sameSeasonLastYear] != nil ? term.sameSeasonLastYear : nil }
        return values.keys.filter { $0 < term }.max()
    }

    public func change(at term: Term, targets: TrendTargets) -> TrendChange? {
        guard let current = values[term], let previous = previousTerm(before: term), let earlier = values[previous]
        else { return nil }
        let scale = indicator.unit == .percent ? 100.0 : 1.0
        return TrendChange(
            previous: previous, delta: (current.value - earlier.value) * scale,
            meets: meets(current, earlier: earlier, years: term.startYear - previous.startYear, targets: targets))
    }

    /// The verdict of `term`, nil without a target or data.
    public func verdict(at term: Term, targets: TrendTargets) -> TrendVerdict? {
        guard let meets = meets(at: term, targets: targets) else { return nil }
        guard meets else { return .missed }
        if [.goodOrBetter, .passing].contains(indicator), let rate = values[term]?.rate {
            let target = indicator == .goodOrBetter ? targets.fitness.goodOrBetter : targets.fitness.passing
            return rate.meets(atLeast: target) == true ? .met : .rising
        }
        return .met
    }

    /// Whether the value of `term` meets the target (with its change where the target is a change).
    public func meets(at term: Term, targets: TrendTargets) -> Bool? {
        guard let current = values[term] else { return nil }
        let earlier = previousTerm(before: term).flatMap { values[$0] }
        return meets(
            current, earlier: earlier, years: previousTerm(before: term).map { term.startYear - $0.startYear } ?? 1,
            targets: targets)
    }

    /// The targets of `targetText`; boundaries as RULES.md §3 reads them (达到/不低于 → ≥, 低于 → <,
    /// 不超过 → ≤), compared on the counts where the value is a rate.
    private func meets(_ current: TrendValue, earlier: TrendValue?, years: Int, targets: TrendTargets) -> Bool? {
        switch indicator {
        case .goodOrBetter, .passing:
            // Reached (exactly, on the counts), or rising towards the target.
            let target = indicator == .goodOrBetter ? targets.fitness.goodOrBetter : targets.fitness.passing
            if current.rate?.meets(atLeast: target) == true { return true }
            guard let earlier else { return current.rate?.meets(atLeast: target) }
            return current.value > earlier.value
        case .myopia:
            guard let now = current.rate, let before = earlier?.rate else { return nil }
            return RateDrop(
                earlier: before, current: now, requiredPP: targets.myopiaDropPerYearPP * Double(max(1, years))
            ).meets
        case .visionRecords, .healthRecords, .resourcePassing:
            return current.rate.map { $0.denominator > 0 && $0.numerator == $0.denominator }
        case .academicDifference: return current.value < targets.academicDifference
        case .resourceCVPrimary: return current.value <= ResourceStage.primary.maximumCV
        case .resourceCVJunior: return current.value <= ResourceStage.junior.maximumCV
        default: return nil
        }
    }

    /// The target drawn beside the series in a chart: the fixed level, or for 近视率 the path the
    /// required yearly drop sets from the first screening (same season only).
    public func targetPath(terms: [Term], targets: TrendTargets) -> [Term: Double]? {
        if let level = indicator.targetLine(targets) {
            return Dictionary(uniqueKeysWithValues: terms.map { ($0, level) })
        }
        guard indicator == .myopia, let first = values.keys.min(), let base = values[first] else { return nil }
        var path: [Term: Double] = [:]
        for term in terms where term.semester == first.semester && term >= first {
            path[term] = base.value - targets.myopiaDropPerYearPP / 100 * Double(term.startYear - first.startYear)
        }
        return path
    }

    /// How far the value of `term` is from its target, in percentage points (positive = short of it),
    /// for ranking schools; nil for indicators without a target.
    public func gap(at term: Term, targets: TrendTargets) -> Double? {
        guard let current = values[term] else { return nil }
        switch indicator {
        case .goodOrBetter: return (targets.fitness.goodOrBetter - current.value) * 100
        case .passing: return (targets.fitness.passing - current.value) * 100
        case .visionRecords, .healthRecords: return (1 - current.value) * 100
        case .myopia:
            guard let change = change(at: term, targets: targets) else { return nil }
            let years = term.startYear - change.previous.startYear
            // delta is negative when the rate fell
            return targets.myopiaDropPerYearPP * Double(max(1, years)) + change.delta
        default: return nil
        }
    }
}
