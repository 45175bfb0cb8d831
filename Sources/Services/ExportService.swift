import Foundation
import Indicators
import Ledgers
import Reports
import Standards
import Store

/// Writes the per-school workbooks of a term into a folder and audits named exports.
public struct ExportService: Sendable {
    public let database: JianceDatabase
    public var personalData: PersonalDataMode
    public var settings: CountySettings
    /// A school's roster, results or screenings of no more than this many rows are read once
    /// and held while its ledger is written; larger ones are read anew by each sheet from a
    /// cursor, so that an export's memory is bounded however large the school (a
    /// 100,000-student ledger: 41 MB).
    public var heldRows = 2_000

    public init(
        database: JianceDatabase, personalData: PersonalDataMode = .masked, settings: CountySettings = CountySettings()
    ) {
        self.database = database
        self.personalData = personalData
        self.settings = settings
    }

    /// One 学校台账 per school with students or results in `term` (or only `schoolReference`).
    /// `trend` is the trend through `term` under this service's settings when the caller has
    /// built it already (the demo prints it first); it is built here otherwise.
    public func exportSchoolLedgers(
        term: Term, to folder: URL, school schoolReference: String? = nil, trend built: TrendReport? = nil
    ) throws -> [URL] {
        let queries = RosterQueries(database: database)
        var schools = try database.schools()
        if let schoolReference {
            schools = schools.filter { $0.name == schoolReference || $0.code == schoolReference }
            guard !schools.isEmpty else { throw NothingToExport("数据库中没有学校“\(schoolReference)”") }
        }
        let fitness = FitnessQueries(database: database)
        let vision = VisionQueries(database: database, settings: settings.vision)
        let lastYear = term.sameSeasonLastYear
        let screenedLastYear = try vision.terms().contains(lastYear)
        let trend =
            try built.flatMap { $0.terms.last == term ? $0 : nil }
            ?? TrendReport.load(from: database, through: term, settings: settings)
        let trendBySchool = Dictionary(uniqueKeysWithValues: trend.schools.map { ($0.school.id, $0) })
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Schools are independent workbooks: written two at a time on two cores, kept in school order.
        let actor = AuditLog.actor  // task-local: the worker threads audit as the caller
        let results = schools.concurrentMap { school in
            try AuditLog.$actor.withValue(actor) {
                try writeLedger(
                    school, term: term, folder: folder, vision: vision, fitness: fitness, queries: queries,
                    previousTerm: screenedLastYear ? lastYear : nil,
                    trend: trendBySchool[school.id].map { (trend, $0) })
            }
        }
        var written: [URL] = []
        var failures: [(school: String, error: any Error)] = []
        for (school, result) in zip(schools, results) {
            switch result {
            case .success(let url?): written.append(url)
            case .failure(let error): failures.append((school.name, error))
            case .success(nil): break
            }
        }
        guard failures.isEmpty else { throw PartialExport(written: written, failures: failures) }
        return written
    }

    /// One school's ledger, nil when the school has nothing in `term`. It is written inside one
    /// read transaction, every sheet from the same snapshot; rows beyond `heldRows` of a kind are
    /// read anew by each sheet from a cursor.
    private func writeLedger(
        _ school: SchoolInfo, term: Term, folder: URL, vision: VisionQueries, fitness: FitnessQueries,
        queries: RosterQueries,
        previousTerm: Term?, trend: (report: TrendReport, school: TrendReport.SchoolTrend)?
    ) throws -> URL? {
        let healthRecords = HealthRecordQueries(database: database)
        let kinds = settings.healthRecord
        // What the audit says of a named ledger: the file and the rows it holds.
        let written: (name: String, detail: String)? = try database.read { db in
            var ledger = SchoolLedger(
                school: school, term: term,
                students: try StreamedRows(
                    reading: { try queries.forEachEnrolled(in: db, term: term, schoolID: school.id, $0) },
                    holdingUpTo: heldRows),
                fitness: try fitness.ledgerRows(in: db, term: term, schoolID: school.id, holdingUpTo: heldRows),
                vision: try StreamedRows(
                    reading: { try vision.forEachScreening(in: db, term: term, schoolID: school.id, $0) },
                    holdingUpTo: heldRows),
                visionPrevious: try previousTerm.map { previous in
                    (
                        previous,
                        try StreamedRows(
                            reading: { body in
                                try vision.forEachScreening(in: db, term: previous, schoolID: school.id) {
                                    try body($0.observation)
                                }
                            }, holdingUpTo: heldRows)
                    )
                }, personalData: personalData, settings: settings)
            guard !ledger.isEmpty else { return nil }
            ledger.trend = trend
            ledger.unrecorded = try StreamedRows(
                reading: { body in
                    try healthRecords.forEachEnrolled(in: db, term: term, schoolID: school.id) { student in
                        let lacking = student.lacking(kinds)
                        if !lacking.isEmpty { try body((student, lacking)) }
                    }
                }, holdingUpTo: heldRows)
            try ledger.write(to: folder.appendingPathComponent(ledger.fileName))
            return (
                ledger.fileName,
                "导出未脱敏学校台账：\(school.name)，\(term)，名册 \(ledger.students.count) 人，体测 \(ledger.fitness.all.count) 人，视力 \(ledger.vision.count) 人"
            )
        }
        guard let written else { return nil }
        let url = folder.appendingPathComponent(written.name)
        if personalData == .named {
            try AuditLog.record(database, action: "export-named-ledger", target: written.name, detail: written.detail)
        }
        return url
    }

    /// The trend workbook of the terms from `from` to `to`.
    public func exportTrend(from: Term? = nil, to: Term? = nil, folder: URL) throws -> URL {
        try exportTrend(TrendReport.load(from: database, since: from, through: to, settings: settings), folder: folder)
    }

    /// The trend workbook of a report already built.
    public func exportTrend(_ report: TrendReport, folder: URL) throws -> URL {
        guard !report.terms.isEmpty else { throw NothingToExport("所选范围内没有任何学期的数据") }
        let workbook = TrendWorkbook(report: report)
        let url = folder.appendingPathComponent(workbook.fileName)
        try workbook.write(to: url)
        return url
    }

    /// The county workbook of `term`; `today` dates the psychological review deadlines.
    public func exportCounty(term: Term, to folder: URL, today: CalendarDate) throws -> URL {
        try exportCounty(
            CountyAssessment.load(from: database, term: term, settings: settings, today: today), to: folder)
    }

    /// The county workbook of an assessment already built.
    public func exportCounty(_ assessment: CountyAssessment, to folder: URL) throws -> URL {
        let ledger = CountyLedger(assessment: assessment)
        let url = folder.appendingPathComponent(ledger.fileName)
        try ledger.write(to: url)
        return url
    }

    /// A school's results in the national upload layout. It carries names in full (the national
    /// system needs them), so it is always owner-only and audited.
    public func exportUpload(term: Term, school reference: String, to folder: URL) throws -> URL {
        let school = try school(reference)
        let queries = FitnessQueries(database: database)
        let (url, count) = try database.read { db in
            let results = try StreamedRows(
                reading: { try queries.forEachResult(in: db, term: term, schoolID: school.id, $0) },
                holdingUpTo: heldRows)
            guard !results.isEmpty else { throw NothingToExport("\(school.name) 在 \(term) 没有体测成绩，没有可上报的内容") }
            let export = UploadExport(school: school, term: term, results: results)
            let url = folder.appendingPathComponent(export.fileName)
            try export.write(to: url)
            return (url, results.count)
        }
        try AuditLog.record(
            database, action: "export-named-upload", target: url.lastPathComponent,
            detail: "导出体测上报文件（含姓名）：\(school.name)，\(term)，\(count) 人")
        return url
    }
}

extension ExportService {
    /// The school a one-school export names (name or 学校标识码); nothing is written without it.
    func school(_ reference: String) throws -> SchoolInfo {
        guard let school = try RosterQueries(database: database).school(reference) else {
            throw NothingToExport("数据库中没有学校“\(reference)”")
        }
        return school
    }
}

/// The request names nothing there is to export (no such school, no data in the range); no
/// file was written.
public struct NothingToExport: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Some schools' ledgers could not be written: the others were, and are listed.
public struct PartialExport: Error, CustomStringConvertible {
    public var written: [URL]
    public var failures: [(school: String, error: any Error)]

    public var description: String {
        failures.map { "\(Finding.printable($0.school))：\($0.error)" }.joined(separator: "\n")
    }
}
