import Indicators
import Standards
import Store

/// 儿童青少年健康档案建档率, the county plan's target of 100 %: a student enrolled this term
/// counts as 建档 when the school year holds a record of each kind the settings name (default:
/// a vision screening and a fitness test), at any school. The students without one are listed
/// for the school's follow-up.
public struct HealthRecordReport: Sendable {
    public struct Line: Sendable {
        public var name: String
        public var school: SchoolInfo?
        public var enrolled: Int
        public var recorded: Int
        public var rate: Rate { Rate(recorded, of: enrolled) }
    }

    public var term: Term
    public var kinds: [HealthRecordKind]
    public var county: Line
    /// Schools, the lowest rate first.
    public var schools: [Line]
    /// Students without a full record this school year, with the kinds they lack.
    public var missing: [(student: EnrolledRecord, lacking: [HealthRecordKind])]

    /// The report from the students enrolled in `term` with the kinds of record their school year holds.
    public init(
        term: Term, kinds: [HealthRecordKind] = HealthRecordKind.allCases, schools: [SchoolInfo],
        students: [EnrolledRecord]
    ) {
        self.term = term
        self.kinds = kinds
        let schools = Dictionary(uniqueKeysWithValues: schools.map { ($0.id, $0) })
        missing = students.compactMap { student in
            let lacks = student.lacking(kinds)
            return lacks.isEmpty ? nil : (student, lacks)
        }
        county = Line(
            name: "全县", school: nil, enrolled: students.count, recorded: students.count - missing.count)
        self.schools = Dictionary(grouping: students, by: \.schoolID).map { id, members in
            Line(
                name: schools[id]?.name ?? "学校 \(id)", school: schools[id], enrolled: members.count,
                recorded: members.filter { $0.lacking(kinds).isEmpty }.count)
        }.sorted { ($0.rate.value ?? 0, $0.name) < ($1.rate.value ?? 0, $1.name) }
    }

    public static func load(
        from database: JianceDatabase, term: Term, kinds: [HealthRecordKind] = HealthRecordKind.allCases
    ) throws -> HealthRecordReport {
        HealthRecordReport(
            term: term, kinds: kinds, schools: try database.schools(),
            students: try HealthRecordQueries(database: database).enrolled(term: term))
    }

    /// What the rate counts, for a report's source column.
    public var definition: String {
        "本学年有\(kinds.map(\.label).joined(separator: "和"))记录的在籍学生 / 在籍学生"
    }
}
