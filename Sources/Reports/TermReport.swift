import Standards

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
