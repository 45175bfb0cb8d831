import Standards
import Store

/// The county's psychological screening in counts only (RULES.md, Confidentiality: county
/// reports never show names).
public struct PsychReport: Sendable {
    public var term: Term
    public var reviewDays: Int
    /// The grading in use, printed with the counts.
    public var settings: PsychSettings
    public var county: PsychCounts
    public var schools: [(school: SchoolInfo, counts: PsychCounts)]

    /// The report from the county's counts and each school's (by school id, in the order given);
    /// a school id not in `schools` is left out.
    public init(
        term: Term, reviewDays: Int, settings: PsychSettings = PsychSettings(), county: PsychCounts,
        schools: [SchoolInfo], countsBySchool: [(schoolID: Int64, counts: PsychCounts)]
    ) {
        self.term = term
        self.reviewDays = reviewDays
        self.settings = settings
        self.county = county
        let info = Dictionary(uniqueKeysWithValues: schools.map { ($0.id, $0) })
        self.schools = countsBySchool.compactMap { id, counts in info[id].map { ($0, counts) } }
    }

    /// Loads the counts of `term` as of `today` (overdue follow-ups, reviews within `reviewDays`).
    public static func load(
        from database: JianceDatabase, term: Term, reviewDays: Int, today: CalendarDate,
        settings: PsychSettings = PsychSettings()
    ) throws -> PsychReport {
        let queries = PsychQueries(database: database)
        let schools = try database.schools()
        let known = Set(schools.map(\.id))
        return PsychReport(
            term: term, reviewDays: reviewDays, settings: settings,
            county: try queries.counts(term: term, today: today, reviewDays: reviewDays), schools: schools,
            countsBySchool: try queries.schoolIDs(term: term).filter(known.contains).map { id in
                (id, try queries.counts(term: term, schoolID: id, today: today, reviewDays: reviewDays))
            })
    }
}
