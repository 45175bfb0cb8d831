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

    public init(
        database: JianceDatabase, term: Term, reviewDays: Int, today: CalendarDate,
        settings: PsychSettings = PsychSettings()
    ) throws {
        self.term = term
        self.reviewDays = reviewDays
        self.settings = settings
        let queries = PsychQueries(database: database)
        county = try queries.counts(term: term, today: today, reviewDays: reviewDays)
        let info = Dictionary(uniqueKeysWithValues: try RosterQueries(database: database).schools().map { ($0.id, $0) })
        schools = try queries.schoolIDs(term: term).compactMap { id in
            guard let school = info[id] else { return nil }
            return (school, try queries.counts(term: term, schoolID: id, today: today, reviewDays: reviewDays))
        }
    }
}
