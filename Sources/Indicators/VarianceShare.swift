/// The between-school share of score variance, the local estimate (预估) of 校际差异率
/// (../shared/reference/academic/RULES.md §1). It is a variance share, not a coefficient of
/// variation: a weighted SD of school means over the mean is a known wrong formula.
public struct VarianceShare: Sendable, Equatable {
    public enum Method: String, Sendable, Codable, CaseIterable {
        /// One-way ANOVA ICC(1) (default).
        case icc = "icc"
        /// η² = SSB / (SSB + SSW), biased upward with many small schools.
        case eta2 = "eta2"

        public var label: String { self == .icc ? "ICC(1)" : "η²" }
    }

    public var schools: Int
    public var students: Int
    public var grandMean: Double
    public var ssb: Double
    public var ssw: Double
    public var msb: Double
    public var msw: Double
    public var n0: Double
    /// ICC(1) = τ / (τ + MSW), τ = max(0, (MSB − MSW) / n0).
    public var icc: Double
    public var eta2: Double

    public func value(_ method: Method) -> Double { method == .icc ? icc : eta2 }

    /// From each school's scores.
    public init?(groups: [[Double]]) {
        self.init(
            moments: groups.map { group in
                ScoreMoments(
                    count: group.count, sum: group.reduce(0, +), sumOfSquares: group.reduce(0) { $0 + $1 * $1 })
            })
    }

    /// From each school's count, sum and sum of squares, so that a county's scores need not be
    /// held in memory. Nil when there are fewer than two schools or no within-school degrees of freedom.
    public init?(moments: [ScoreMoments]) {
        let groups = moments.filter { $0.count > 0 }
        let j = groups.count
        let n = groups.reduce(0) { $0 + $1.count }
        guard j >= 2, n > j else { return nil }
        let grand = groups.reduce(0) { $0 + $1.sum } / Double(n)
        var ssb = 0.0
        var ssw = 0.0
        for group in groups {
            let mean = group.sum / Double(group.count)
            ssb += Double(group.count) * (mean - grand) * (mean - grand)
            ssw += max(0, group.sumOfSquares - group.sum * mean)
        }
        let msb = ssb / Double(j - 1)
        let msw = ssw / Double(n - j)
        let n0 =
            (Double(n) - groups.reduce(0.0) { $0 + Double($1.count) * Double($1.count) } / Double(n)) / Double(j - 1)
        let tau = max(0, (msb - msw) / n0)
        schools = j
        students = n
        grandMean = grand
        self.ssb = ssb
        self.ssw = ssw
        self.msb = msb
        self.msw = msw
        self.n0 = n0
        icc = tau + msw > 0 ? tau / (tau + msw) : 0
        eta2 = ssb + ssw > 0 ? ssb / (ssb + ssw) : 0
    }
}

/// Count, sum and sum of squares of one school's scores.
public struct ScoreMoments: Sendable, Equatable {
    public var count: Int
    public var sum: Double
    public var sumOfSquares: Double

    public init(count: Int = 0, sum: Double = 0, sumOfSquares: Double = 0) {
        self.count = count
        self.sum = sum
        self.sumOfSquares = sumOfSquares
    }

    /// Population mean and standard deviation, nil without values.
    public var population: (mean: Double, sd: Double)? {
        guard count > 0 else { return nil }
        let mean = sum / Double(count)
        return (mean, max(0, sumOfSquares / Double(count) - mean * mean).squareRoot())
    }

    public mutating func add(_ value: Double) {
        count += 1
        sum += value
        sumOfSquares += value * value
    }
}

/// 差异系数 across schools as the national evaluation computes it (RULES.md §2): weighted by
/// enrolment, with the population standard deviation.
public struct CoefficientOfVariation: Sendable, Equatable {
    /// X̄ = Σ PᵢXᵢ / Σ Pᵢ.
    public var mean: Double
    /// S = sqrt(Σ (Pᵢ/P)(Xᵢ − X̄)²).
    public var standardDeviation: Double
    public var value: Double

    /// Nil without schools, without enrolment or with a zero mean.
    public init?(values: [Double], weights: [Double]) {
        precondition(values.count == weights.count)
        let total = weights.reduce(0, +)
        guard !values.isEmpty, total > 0 else { return nil }
        let mean = zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 } / total
        guard mean != 0 else { return nil }
        let variance = zip(values, weights).reduce(0) { $0 + $1.1 / total * ($1.0 - mean) * ($1.0 - mean) }
        self.mean = mean
        standardDeviation = variance.squareRoot()
        value = standardDeviation / mean
    }

    /// The unweighted population CV, shown only to explain why it must not be used.
    public static func unweighted(_ values: [Double]) -> CoefficientOfVariation? {
        CoefficientOfVariation(values: values, weights: values.map { _ in 1 })
    }

    /// `0.515`: three decimals, as reported (RULES.md §3).
    public var text: String { String(format: "%.3f", value) }
}
