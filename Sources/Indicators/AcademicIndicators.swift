import Standards

/// One group's exam results in one subject (a class, a school, the county): how many sat the
/// exam, who was absent, the band distribution, and the level of the student-weighted mean
/// (../shared/reference/academic/RULES.md §1: "reaches Level Ⅲ" is about the mean, not a share).
public struct AcademicSummary: Sendable, Equatable {
    public var scored = 0
    /// 缺考: kept apart, never counted as zero.
    public var absent = 0
    /// 免考.
    public var exempt = 0
    public var sumTenths: Int64 = 0
    public var sumFullTenths: Int64 = 0
    public var moments = ScoreMoments()
    public var levels: [AcademicLevel: Int] = [:]
    public var bands: [String: Int] = [:]

    public init() {}

    public mutating func add(scoreTenths: Int64, fullTenths: Int64, band: BandScheme.Band) {
        scored += 1
        sumTenths += scoreTenths
        sumFullTenths += fullTenths
        moments.add(Double(scoreTenths) / 10)
        levels[band.level, default: 0] += 1
        bands[band.name, default: 0] += 1
    }

    public mutating func merge(_ other: AcademicSummary) {
        scored += other.scored
        absent += other.absent
        exempt += other.exempt
        sumTenths += other.sumTenths
        sumFullTenths += other.sumFullTenths
        moments.count += other.moments.count
        moments.sum += other.moments.sum
        moments.sumOfSquares += other.moments.sumOfSquares
        for (level, count) in other.levels { levels[level, default: 0] += count }
        for (band, count) in other.bands { bands[band, default: 0] += count }
    }

    /// Mean raw score, nil without scores.
    public var mean: Double? { scored > 0 ? Double(sumTenths) / Double(scored) / 10 : nil }
    /// Mean 得分率 (Σ score / Σ full mark).
    public var meanPercent: Rate { Rate(Int(sumTenths), of: Int(sumFullTenths)) }
    /// Share of students at Level Ⅲ or above (shown beside the level of the mean).
    public var atLeastThree: Rate { Rate((levels[.three] ?? 0) + (levels[.four] ?? 0), of: scored) }

    /// The band of the mean score, nil without scores.
    public func bandOfMean(_ scheme: BandScheme, reference: (mean: Double, sd: Double)? = nil) -> BandScheme.Band? {
        guard scored > 0 else { return nil }
        return scheme.band(
            sumTenths: sumTenths, sumFullTenths: sumFullTenths, count: Int64(scored), reference: reference)
    }
}

/// The academic target (教督〔2017〕6号 quality indicator 9; RULES.md §1): level Ⅲ or above and
/// 校际差异率 below (<) 0.15. Official monitoring values take precedence over local estimates.
public struct AcademicTarget: Sendable, Equatable {
    public var minimumLevel: AcademicLevel = .three
    /// 低于 0.15 → strictly below.
    public var maximumDifference = 0.15

    public init() {}

    /// Both parts must hold: a level below Ⅲ, or a 差异率 of 0.15 or more, fails the target
    /// whatever the other part (unknown with one school, say); nil only when neither fails and one
    /// is unknown.
    public func meets(level: AcademicLevel?, difference: Double?) -> Bool? {
        if let level, level < minimumLevel { return false }
        if let difference, difference >= maximumDifference { return false }
        guard level != nil, difference != nil else { return nil }
        return true
    }
}

/// Academic settings (`academic` in the settings file).
public struct AcademicSettings: Sendable {
    public var scheme = BandScheme.standard
    /// A second scheme for the lowest grades (e.g. `90/80/60`), nil when one scheme serves all.
    public var lowerGradesScheme: BandScheme?
    /// Grades 1…this use `lowerGradesScheme`.
    public var lowerGradesUpTo = 2
    public var method = VarianceShare.Method.icc
    /// Full marks by subject, and by subject and grade year (`语文` → [nil: 100, 7: 120]).
    public var fullMarks: [String: [Int?: Double]] = [:]
    /// Reference (μ, σ) of a standardised scheme by subject; the county's own scores otherwise.
    public var references: [String: (mean: Double, sd: Double)] = [:]
    public var target = AcademicTarget()

    public init() {}

    /// The scheme for a grade.
    public func scheme(for grade: GradeCode?) -> BandScheme {
        if let lowerGradesScheme, let year = grade?.year, year <= lowerGradesUpTo, (grade?.code ?? 0) < 20 {
            return lowerGradesScheme
        }
        return scheme
    }

    /// The full mark of a subject in a grade (default 100).
    public func fullMark(subject: String, grade: GradeCode?) -> Double {
        guard let marks = fullMarks[subject] else { return 100 }
        return grade?.year.flatMap { marks[$0] } ?? marks[nil] ?? 100
    }

    public var description: String {
        var text = scheme.description
        if let lowerGradesScheme {
            text += "；一至\(["", "一", "二", "三", "四"][min(lowerGradesUpTo, 4)])年级：\(lowerGradesScheme.description)"
        }
        return text + "；校际差异率本地预估方法：\(method.label)"
    }
}
