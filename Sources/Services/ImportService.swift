import Foundation
import Imports
import Indicators
import Ingest
import Standards
import Store

/// The kinds of file Jiance imports, as every front end names them.
public enum ImportKind: String, Sendable, CaseIterable {
    case roster, fitness, vision, psych, academic, monitoring, resources, followup
}

/// One import request: what the files are and the options their kind needs. The command line
/// fills it from its arguments; a web form would fill it from its fields.
public struct ImportRequest: Sendable {
    public var kind: ImportKind
    public var term: Term
    /// The school of files without a school column (a school account's own school).
    public var school: String?
    public var sheet: String?
    /// 初筛 or 复筛 (vision).
    public var round = VisionRound.screening
    /// The scale id (psych).
    public var scale: String?
    public var wave: String?
    /// The day of the screening (psych; today by default).
    public var screenedOn: CalendarDate?
    /// The exam's name (academic).
    public var exam: String?
    /// The statistics year (resources) or the monitoring year of a file without one.
    public var year: Int?
    public var mode: ImportMode = .keepValid
    /// The one school the files may touch (a school account's upload); nil for any.
    public var onlySchool: Int64?
    /// The returned ledgers a follow-up import may read (the account's role decides).
    public var followUpLedgers: FollowUpLedgers = .all
    public var settings = CountySettings()
    public var limits = ReadLimits()

    public init(kind: ImportKind, term: Term) {
        self.kind = kind
        self.term = term
    }
}

/// Imports files into the database: one transaction per file, through the importer of the
/// request's kind. The command line and any other front end call this, not the importers.
public struct ImportService: Sendable {
    public let database: JianceDatabase

    public init(database: JianceDatabase) { self.database = database }

    /// The term a batch is filed under when no term was given: for official monitoring values
    /// (which belong to a year) the spring term of the monitoring year, else this school year.
    public static func defaultTerm(year: Int?, today: CalendarDate = Today.date) -> Term {
        if let year, let spring = Term(startYear: year - 1, semester: 2) { return spring }
        let autumn = today.month >= 9
        return Term(startYear: autumn ? today.year : today.year - 1, semester: autumn || today.month < 3 ? 1 : 2)
            ?? Term(startYear: 2000, semester: 1)!
    }

    /// Imports one file.
    public func importFile(_ url: URL, _ request: ImportRequest) throws -> ImportOutcome {
        let (term, mode, sheet) = (request.term, request.mode, request.sheet)
        let school = request.school.map(ValueParsing.normalize)
        switch request.kind {
        case .roster:
            var importer = RosterImporter(database: database)
            importer.limits = request.limits
            importer.onlySchool = request.onlySchool
            return try importer.importFile(url, term: term, mode: mode, defaultSchool: school, sheet: sheet)
        case .fitness:
            var importer = FitnessImporter(database: database, scorer: try FitnessScorer.bundled())
            importer.limits = request.limits
            importer.onlySchool = request.onlySchool
            return try importer.importFile(url, term: term, mode: mode, defaultSchool: school, sheet: sheet)
        case .vision:
            var importer = VisionImporter(database: database, settings: request.settings.vision)
            importer.limits = request.limits
            importer.onlySchool = request.onlySchool
            return try importer.importFile(
                url, term: term, round: request.round, mode: mode, defaultSchool: school, sheet: sheet)
        case .psych:
            var importer = PsychImporter(database: database, settings: request.settings.psych)
            importer.limits = request.limits
            importer.onlySchool = request.onlySchool
            return try importer.importFile(
                url, term: term, scale: PsychScale.named(request.scale ?? ""), wave: request.wave,
                screenedOn: request.screenedOn ?? Today.date, mode: mode, defaultSchool: school, sheet: sheet)
        case .academic:
            var importer = AcademicImporter(database: database, settings: request.settings.academic)
            importer.limits = request.limits
            importer.onlySchool = request.onlySchool
            return try importer.importFile(
                url, term: term, exam: request.exam?.trimmingSpaces ?? "", mode: mode, defaultSchool: school,
                sheet: sheet)
        case .monitoring:
            var importer = MonitoringImporter(database: database)
            importer.limits = request.limits
            importer.onlySchool = request.onlySchool
            return try importer.importFile(url, term: term, defaultYear: request.year, mode: mode, sheet: sheet)
        case .resources:
            var importer = ResourceImporter(database: database)
            importer.limits = request.limits
            importer.onlySchool = request.onlySchool
            return try importer.importFile(url, year: request.year ?? term.startYear, mode: mode, sheet: sheet)
        case .followup:
            var importer = FollowUpImporter(database: database)
            importer.onlySchool = request.onlySchool
            importer.ledgers = request.followUpLedgers
            return try importer.importFile(url, term: term, mode: mode)
        }
    }
}
