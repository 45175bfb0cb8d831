import Foundation
import Imports
import Indicators
import Reports
import Standards
import Store

/// The reports of one term, as `jiance report` prints them and any other front end shows them:
/// the self-assessment of the term, and the fitness, vision and psychological sections, each of
/// the latest term that has such data when no term was asked for.
public struct TermReports: Sendable {
    public var assessment: CountyAssessment
    public var fitness: FitnessReport?
    public var vision: VisionReport?
    public var psych: PsychReport?
}

/// Why the reports could not be built for the request: no data, no such term or exam. The
/// message names what there is instead.
public struct NoReport: Error, CustomStringConvertible {
    public var description: String
}

/// Builds the reports of a term (optionally one school's fitness section and one exam).
public struct ReportService: Sendable {
    public let database: JianceDatabase
    public var settings: CountySettings

    public init(database: JianceDatabase, settings: CountySettings = CountySettings()) {
        self.database = database
        self.settings = settings
    }

    /// The latest term with data, as every command chooses it; resources alone name a year.
    public func latestTerm() throws -> Term? {
        try RosterQueries(database: database).terms().last
            ?? ResourceQueries(database: database).years().compactMap(ResourceImporter.term(ofYear:)).max()
    }

    public func reports(term: Term?, school: String? = nil, exam: String? = nil, today: CalendarDate = Today.date)
        throws
        -> TermReports
    {
        let db = database
        let dataTerms = try RosterQueries(database: db).terms()
        let resourceTerms = try ResourceQueries(database: db).years().compactMap(ResourceImporter.term(ofYear:))
        guard let assessmentTerm = try term ?? latestTerm() else {
            throw NoReport(description: "数据库中还没有任何数据，请先用 jiance import 导入")
        }
        guard dataTerms.contains(assessmentTerm) || resourceTerms.contains(assessmentTerm) else {
            throw NoReport(
                description: "学期 \(assessmentTerm) 没有数据"
                    + (dataTerms.isEmpty ? "" : "（有数据的学期：\(dataTerms.map(\.description).joined(separator: "、"))）"))
        }
        let assessment = try CountyAssessment.load(
            from: db, term: assessmentTerm, settings: settings, exam: exam, today: today)
        if let exam, !(assessment.academic?.exams.contains(exam) ?? false) {
            throw NoReport(
                description: "\(assessmentTerm) 没有名为“\(exam)”的考试"
                    + (assessment.academic.map { "（已有：\($0.exams.joined(separator: "、"))）" } ?? ""))
        }
        /// The section's term: the one asked for when it has such data, else its latest.
        func sectionTerm(_ terms: [Term]) -> Term? {
            guard let term else { return terms.last }
            return terms.contains(term) ? term : nil
        }
        /// The assessment's own report when it is of the same term, else one built for `term`.
        func report<R>(_ term: Term?, built: R?, _ build: (Term) throws -> R) rethrows -> R? {
            guard let term else { return nil }
            if term == assessmentTerm, let built { return built }
            return try build(term)
        }
        let settings = settings
        let fitnessTerm = try term ?? FitnessQueries(database: db).terms().last
        let fitness = try report(fitnessTerm, built: school == nil ? assessment.fitness : nil) {
            try FitnessReport.load(from: db, term: $0, targets: settings.fitness, school: school)
        }
        let vision = try report(sectionTerm(VisionQueries(database: db).terms()), built: assessment.vision) {
            try VisionReport.load(from: db, term: $0, settings: settings.vision, target: settings.myopia)
        }
        let psych = try report(sectionTerm(PsychQueries(database: db).terms()), built: assessment.psych) {
            try PsychReport.load(
                from: db, term: $0, reviewDays: settings.psychReviewDays, today: today, settings: settings.psych)
        }
        return TermReports(assessment: assessment, fitness: fitness, vision: vision, psych: psych)
    }
}
