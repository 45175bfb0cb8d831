import Foundation
import Indicators
import Reports
import Standards
import Store

/// The document `jiance trend --format json` prints: every indicator term by term for the county
/// and each school, the cohorts, and the schools short of each target.
public struct TrendJSON: Encodable, Sendable {
    struct Point: Encodable {
        var term: String
        var value: Fixed
        var numerator: Int?
        var denominator: Int?
        var previous: String?
        var change: Fixed?
        @OrNull var meets: Bool?
        @OrNull var verdict: String?
    }

    struct Series: Encodable {
        var name: String
        @OrNull var target: String?
        var points: [Point]
    }

    struct School: Encodable {
        var name: String
        @OrNull var code: String?
        var indicators: [String: Series]
    }

    struct Attention: Encodable {
        var name: String
        var value: Fixed
        var gapPP: Fixed
        enum CodingKeys: String, CodingKey {
            case name, value
            case gapPP = "gap_pp"
        }
    }

    var terms: [String]
    var county: [String: Series]
    var schools: [School]
    var cohorts: CohortsJSON
    var attention: [String: [Attention]]

    public init(_ report: TrendReport) {
        func series(_ all: [TrendIndicator: TrendSeries]) -> [String: Series] {
            var result: [String: Series] = [:]
            for indicator in TrendIndicator.allCases {
                guard let s = all[indicator] else { continue }
                let points = report.terms.compactMap { term -> Point? in
                    guard let value = s.values[term] else { return nil }
                    let change = s.change(at: term, targets: report.targets)
                    return Point(
                        term: term.description, value: Fixed(value.value, decimals: 6),
                        numerator: value.rate?.numerator,
                        denominator: value.rate?.denominator, previous: change?.previous.description,
                        change: change.map { Fixed($0.delta, decimals: 4) },
                        meets: s.meets(at: term, targets: report.targets),
                        verdict: s.verdict(at: term, targets: report.targets).map { "\($0)" })
                }
                result[indicator.rawValue] = Series(
                    name: indicator.name, target: indicator.targetText(report.targets), points: points)
            }
            return result
        }
        terms = report.terms.map(\.description)
        county = series(report.county)
        schools = report.schools.map {
            School(name: $0.school.name, code: $0.school.code, indicators: series($0.series))
        }
        cohorts = CohortsJSON(report.cohorts)
        attention = Dictionary(
            uniqueKeysWithValues: TrendIndicator.schoolTargets.map {
                indicator in
                (
                    indicator.rawValue,
                    report.attention(indicator).map {
                        Attention(
                            name: $0.school.name, value: Fixed($0.value.value, decimals: 6),
                            gapPP: Fixed($0.gap, decimals: 2))
                    }
                )
            })
    }
}

extension TrendJSON {
    /// The document as one school's account may read it: the county's lines and that school's,
    /// no other school's, and nothing psychological (series, cohorts).
    public func cut(to school: SchoolInfo) -> TrendJSON {
        func general(_ series: [String: Series]) -> [String: Series] {
            series.filter { TrendIndicator(rawValue: $0.key)?.family != .psych }
        }
        var cut = self
        cut.county = general(county)
        cut.schools = schools.filter { $0.code == school.code && $0.name == school.name }
        for index in cut.schools.indices { cut.schools[index].indicators = general(cut.schools[index].indicators) }
        cut.cohorts.psych = nil
        cut.attention = attention.mapValues { $0.filter { $0.name == school.name } }
        return cut
    }
}

/// The same students followed from one term to the next (`CohortReport`).
struct CohortsJSON: Encodable {
    struct Lost: Encodable {
        var stillEnrolled, notEnrolled: Int
        enum CodingKeys: String, CodingKey {
            case stillEnrolled = "still_enrolled"
            case notEnrolled = "not_enrolled"
        }
        init(_ lost: CohortReport.Lost) { (stillEnrolled, notEnrolled) = (lost.stillEnrolled, lost.notEnrolled) }
    }

    struct Fitness: Encodable {
        var from, to: String
        var followed, improved, declined: Int
        var transitions: [String: [String: Int]]
        var lost: Lost
    }

    struct Vision: Encodable {
        var from, to: String
        var newMyopia, followedNotMyopic: Int
        var newMyopiaRate: Fixed
        var lost: Lost
        enum CodingKeys: String, CodingKey {
            case from, to, lost
            case newMyopia = "new_myopia"
            case followedNotMyopic = "followed_not_myopic"
            case newMyopiaRate = "new_myopia_rate"
        }
    }

    struct Psych: Encodable {
        var from, to: String
        var rose, fell, same: Int
        var lost: Lost
    }

    var fitness: Fitness?
    var vision: Vision?
    var psych: Psych?

    init(_ c: CohortReport) {
        fitness = c.fitness.map { f in
            Fitness(
                from: f.from.description, to: f.to.description, followed: f.followed, improved: f.improved,
                declined: f.declined,
                transitions: Dictionary(
                    uniqueKeysWithValues: FitnessRating.allCases.map { from in
                        (
                            from.rawValue,
                            Dictionary(
                                uniqueKeysWithValues: FitnessRating.allCases.map { ($0.rawValue, f.count(from, $0)) })
                        )
                    }),
                lost: Lost(f.lost))
        }
        vision = c.vision.map { v in
            Vision(
                from: v.from.description, to: v.to.description, newMyopia: v.newMyopia.numerator,
                followedNotMyopic: v.newMyopia.denominator, newMyopiaRate: Fixed(v.newMyopia), lost: Lost(v.lost))
        }
        psych = c.psych.map { p in
            Psych(
                from: p.from.description, to: p.to.description, rose: p.rose, fell: p.fell, same: p.same,
                lost: Lost(p.lost))
        }
    }
}
