import Indicators
import Standards
import Store

/// 儿童青少年健康档案建档率, the county plan's target of 100 %: a student enrolled this term
/// counts as 建档 when the school year holds a record of each kind the settings name (default:
/// a vision screening and a fitness test), at any school. The students without one are listed
/// for each school's follow-up in its ledger (`ExportService`), not here.
public struct HealthRecordReport: Sendable {
    public struct Line: Sendable {
        public var name: String
        public var school: SchoolInfo?
        public var enrolled: Int
        public var recorded: Int
        public var rate: Rate { Rate(recorded, of: enrolled) }
    }

    /// The enrolled and recorded students of each school, counted student by student.
    public struct Tally: Sendable {
        public let kinds: [HealthRecordKind]
        var bySchool: [Int64: (enrolled: Int, recorded: Int)] = [:]

        public init(kinds: [HealthRecordKind] = HealthRecordKind.allCases) { self.kinds = kinds }

        public mutating func add(_ student: EnrolledRecord) {
            bySchool[student.schoolID, default: (0, 0)].enrolled += 1
            if student.lacking(kinds).isEmpty { bySchool[student.schoolID, default: (0, 0)].recorded += 1 }
        }
    }

    public var term: Term
    public var kinds: [HealthRecordKind]
    public var county: Line
    /// Schools, the lowest rate first.
    public var schools: [Line]

    /// The report from the tallied students enrolled in `term`.
    public init(term: Term, schools: [SchoolInfo], tally: Tally) {
        self.term = term
        kinds = tally.kinds
        let schools = Dictionary(uniqueKeysWithValues: schools.map { ($0.id, $0) })
        county = Line(
            name: "全县", school: nil, enrolled: tally.bySchool.values.reduce(0) { $0 + $1.enrolled },
            recorded: tally.bySchool.values.reduce(0) { $0 + $1.recorded })
        self.schools = tally.bySchool.map { id, count in
            Line(
                name: schools[id]?.name ?? "学校 \(id)", school: schools[id], enrolled: count.enrolled,
                recorded: count.recorded)
        }.sorted { ($0.rate.value ?? 0, $0.name) < ($1.rate.value ?? 0, $1.name) }
    }

    /// Counts the students as they are read: memory holds a line a school, whatever the county's size.
    public static func load(
        from database: JianceDatabase, term: Term, kinds: [HealthRecordKind] = HealthRecordKind.allCases
    ) throws -> HealthRecordReport {
        var tally = Tally(kinds: kinds)
        try database.read { db in
            try HealthRecordQueries(database: database).forEachEnrolled(in: db, term: term) { tally.add($0) }
        }
        return HealthRecordReport(term: term, schools: try database.schools(), tally: tally)
    }

    /// What the rate counts, for a report's source column.
    public var definition: String {
        "本学年有\(kinds.map(\.label).joined(separator: "和"))记录的在籍学生 / 在籍学生"
    }
}
