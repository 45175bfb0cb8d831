import Foundation
import Indicators
import Reports
import Standards
import Store

/// The self-assessment in `jiance report --format json`: every indicator with its verdict, and
/// the resource and academic sections behind them.
struct AssessmentJSON: Encodable {
    struct Item: Encodable {
        var dimension, name, value, threshold, source: String
        @OrNull var passes: Bool?
        var judged: Bool
        /// Not written: it decides whether a school's account may read the item.
        var psychological: Bool

        enum CodingKeys: String, CodingKey { case dimension, name, value, threshold, source, passes, judged }
    }

    var items: [Item]
    var resources: ResourcesJSON?
    var academic: AcademicJSON?

    init(_ assessment: CountyAssessment) {
        items = assessment.items.map {
            Item(
                dimension: $0.dimension, name: $0.name, value: $0.value, threshold: $0.threshold, source: $0.source,
                passes: $0.judged ? $0.passes : nil, judged: $0.judged, psychological: $0.psychological)
        }
        resources = assessment.resources.map(ResourcesJSON.init)
        academic = assessment.academic.map(AcademicJSON.init)
    }
}

/// 资源配置: each school part's seven indicators, and the 差异系数 of each 学段.
struct ResourcesJSON: Encodable {
    struct Value: Encodable {
        var value: Fixed
        var threshold: Double
        var met: Bool
        var atLeast85: Bool
        enum CodingKeys: String, CodingKey {
            case value, threshold, met
            case atLeast85 = "at_least_85"
        }
    }

    struct School: Encodable {
        var school: String
        @OrNull var code: String?
        var stage: String
        var students: Int
        var indicators: [String: Value]
        var met: Int
        @OrNull var passes: Bool?
        @OrNull var largestClass: Int?
        @OrNull var classSizeOK: Bool?
        var reasons: [String]
        enum CodingKeys: String, CodingKey {
            case school, code, stage, students, indicators, met, passes, reasons
            case largestClass = "largest_class"
            case classSizeOK = "class_size_ok"
        }
    }

    struct Balance: Encodable {
        var stage: String
        var indicator: Int
        var name: String
        var schools: Int
        var mean, sd, cv: Fixed
        var limit: Double
        @OrNull var meets: Bool?
    }

    struct Excluded: Encodable {
        var school, stage, reason: String
    }

    var year: Int
    var schools: [School]
    var balances: [Balance]
    var excluded: [Excluded]

    init(_ report: ResourceReport) {
        year = report.year
        schools = report.evaluations.map { e in
            School(
                school: e.part.school, code: e.part.code, stage: e.part.stage.rawValue, students: e.part.students,
                indicators: Dictionary(
                    uniqueKeysWithValues: e.results.map {
                        (
                            String($0.indicator.rawValue),
                            Value(
                                value: Fixed($0.value, decimals: 4), threshold: $0.threshold, met: $0.met,
                                atLeast85: $0.nearlyMet)
                        )
                    }),
                met: e.metCount, passes: e.passes, largestClass: e.part.largestClass,
                classSizeOK: e.classSizeWithinLimit, reasons: e.reasons)
        }
        balances = report.balances.map { b in
            Balance(
                stage: b.stage.rawValue, indicator: b.indicator.rawValue, name: b.indicator.name, schools: b.schools,
                mean: Fixed(b.cv?.mean, decimals: 4), sd: Fixed(b.cv?.standardDeviation, decimals: 4),
                cv: Fixed(b.cv?.value, decimals: 4),
                limit: b.stage.maximumCV, meets: b.meets)
        }
        excluded = report.excluded.map { Excluded(school: $0.school, stage: $0.stage.rawValue, reason: $0.reason) }
    }
}

/// 学业质量: by grade and subject, the county's and each school's level, the estimate and the
/// official values, and which was checked.
struct AcademicJSON: Encodable {
    struct Summary: Encodable {
        var scored, absent, exempt: Int
        var mean, meanPercent: Fixed
        @OrNull var level: String?
        @OrNull var band: String?
        var levels: [String: Int]
        enum CodingKeys: String, CodingKey {
            case scored, absent, exempt, mean, level, band, levels
            case meanPercent = "mean_percent"
        }

        init(_ s: AcademicSummary, band: BandScheme.Band?) {
            (scored, absent, exempt) = (s.scored, s.absent, s.exempt)
            (mean, meanPercent) = (Fixed(s.mean, decimals: 2), Fixed(s.meanPercent))
            (level, self.band) = (band?.level.numeral, band?.name)
            levels = Dictionary(uniqueKeysWithValues: AcademicLevel.allCases.map { ($0.numeral, s.levels[$0] ?? 0) })
        }
    }

    struct School: Encodable {
        var school: String
        var summary: Summary
        func encode(to encoder: any Encoder) throws {
            try summary.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(school, forKey: .school)
        }
        enum Keys: String, CodingKey { case school }
    }

    struct Estimate: Encodable {
        var icc, eta2: Fixed
        var schools: Int
    }

    struct Official: Encodable {
        var year: Int
        @OrNull var level: String?
        @OrNull var difference: Double?
    }

    struct Group: Encodable {
        var grade: Int
        var subject: String
        var county: Summary
        @OrNull var estimate: Estimate?
        @OrNull var official: Official?
        @OrNull var checkedLevel: String?
        var checkedDifference: Fixed
        @OrNull var differenceIsEstimate: Bool?
        @OrNull var meets: Bool?
        var schools: [School]

        enum Keys: String, CodingKey {
            case grade, subject, estimate, official, meets, schools
            case checkedLevel = "checked_level"
            case checkedDifference = "checked_difference"
            case differenceIsEstimate = "difference_is_estimate"
        }

        /// The county's summary is written into the group itself, beside its grade and subject.
        func encode(to encoder: any Encoder) throws {
            try county.encode(to: encoder)
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(grade, forKey: .grade)
            try container.encode(subject, forKey: .subject)
            try container.encode(OrNull(wrappedValue: estimate), forKey: .estimate)
            try container.encode(OrNull(wrappedValue: official), forKey: .official)
            try container.encode(OrNull(wrappedValue: checkedLevel), forKey: .checkedLevel)
            try container.encode(checkedDifference, forKey: .checkedDifference)
            try container.encode(OrNull(wrappedValue: differenceIsEstimate), forKey: .differenceIsEstimate)
            try container.encode(OrNull(wrappedValue: meets), forKey: .meets)
            try container.encode(schools, forKey: .schools)
        }
    }

    var term: String
    @OrNull var exam: String?
    var scheme: String
    var method: String
    var groups: [Group]

    init(_ report: AcademicReport) {
        (term, exam, scheme, method) = (
            report.term.description, report.exam, report.settings.description, report.settings.method.rawValue
        )
        groups = report.groups.map { g in
            let difference = g.difference(report.settings.method)
            return Group(
                grade: g.grade.code, subject: g.subject, county: Summary(g.county, band: g.countyBand),
                estimate: g.estimate.map {
                    Estimate(icc: Fixed($0.icc, decimals: 4), eta2: Fixed($0.eta2, decimals: 4), schools: $0.schools)
                },
                official: g.official.map {
                    Official(year: $0.year, level: $0.level?.numeral, difference: $0.difference)
                },
                checkedLevel: g.level?.numeral, checkedDifference: Fixed(difference?.value, decimals: 4),
                differenceIsEstimate: difference.map { !$0.official }, meets: report.meets(g),
                schools: g.schools.map { School(school: $0.school.name, summary: Summary($0.summary, band: $0.band)) })
        }
    }
}
