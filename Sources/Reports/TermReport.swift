import Standards
import Store

/// One of the reports a term's figures come from. The trend and the county assessment each need
/// several, independent reads of the database pool: they are loaded at once, on all cores.
enum TermReport: Sendable {
    case fitness(FitnessReport)
    case vision(VisionReport)
    case healthRecord(HealthRecordReport)
    case psych(PsychReport)
    case academic(AcademicReport)
    case resources(ResourceReport, Term)

    /// Runs `loads` on all cores and returns their reports in the order of `loads`, leaving out
    /// the loads that found no data; the first error thrown, in that order, is rethrown.
    static func load(_ loads: [@Sendable () throws -> TermReport?]) throws -> [TermReport] {
        try loads.concurrentMap { try $0() }.compactMap { try $0.get() }
    }
}

extension SchoolInfo {
    /// The schools with students on the term's roll and nothing `reported` (by school id), by
    /// name: a report's county line counts their roll, and names them as not yet reported.
    static func unreported(_ schools: [SchoolInfo], enrolment: [Int64: Int], reported: (Int64) -> Bool)
        -> [SchoolInfo]
    {
        schools.filter { (enrolment[$0.id] ?? 0) > 0 && !reported($0.id) }.sorted { $0.name < $1.name }
    }
}
