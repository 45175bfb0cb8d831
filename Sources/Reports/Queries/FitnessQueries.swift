import GRDB
import Indicators
import Standards
import Store

/// A stored fitness result with the student's identity, for ledgers.
public struct FitnessResultRow: Sendable {
    /// The stored row's id: the 记录号 of follow-up ledgers.
    public var id: Int64
    public var observation: FitnessObservation
    public var studentNo: String?
    public var name: String
    public var birthDate: CalendarDate?
    public var ethnicity: String?
    public var heightCm: Double?
    public var weightKg: Double?
    public var bmi: BMIScore?
    /// Raw results (seconds for times).
    public var values: FitnessResults
    public var standardHundredths: Int?
    public var bonus: Int
    /// Follow-up sent back by the school, by ledger (不及格, 肥胖).
    public var followUp: [FollowUpKind: FollowUpAnswers] = [:]
}

/// A school's results as its ledger's sheets read them: every result, the students of the two
/// follow-up sheets, the items on the ledger, and 毕业成绩's earlier totals.
public struct FitnessLedgerRows {
    /// Whose rows a sheet reads.
    public enum Subset: Sendable {
        case all
        /// 不及格学生台账: rated 不及格.
        case failing
        /// 肥胖学生台账: a BMI in the standard's 肥胖 range.
        case obese

        func contains(_ result: FitnessResultRow) -> Bool {
            switch self {
            case .all: true
            case .failing: result.observation.rating == .fail
            case .obese: result.observation.bmiCategory == .obese
            }
        }

        /// The same rule over `fitness_result`'s columns.
        var sql: String {
            switch self {
            case .all: "1"
            case .failing: "rating = '\(FitnessRating.fail.rawValue)'"
            case .obese: "bmi_category = '\(BMICategory.obese.rawValue)'"
            }
        }
    }

    /// Every result, in ledger order (grade, class, 学籍号).
    public var all: StreamedRows<FitnessResultRow>
    public var failing: StreamedRows<FitnessResultRow>
    public var obese: StreamedRows<FitnessResultRow>
    /// Items anyone at the school has a result or score for, in standard order.
    public var items: [FitnessItem]
    /// A graduating student's totals of earlier school years, oldest first, for 毕业成绩.
    public var earlierTotals: (_ studentID: Int64) throws -> [Int]

    public init(
        all: StreamedRows<FitnessResultRow>, failing: StreamedRows<FitnessResultRow>,
        obese: StreamedRows<FitnessResultRow>, items: [FitnessItem],
        earlierTotals: @escaping (_ studentID: Int64) throws -> [Int]
    ) {
        (self.all, self.failing, self.obese, self.items, self.earlierTotals) = (
            all, failing, obese, items, earlierTotals
        )
    }

    /// Results held in memory; the follow-up subsets are taken from them, and the items too
    /// unless already known.
    public init(
        _ results: [FitnessResultRow], items: [FitnessItem]? = nil,
        earlierTotals: @escaping (_ studentID: Int64) throws -> [Int] = { _ in [] }
    ) {
        let items =
            items
            ?? {
                let present = Set(results.flatMap { $0.values.map(\.item) + $0.observation.itemScores.map(\.item) })
                return FitnessItem.allCases.filter(present.contains)
            }()
        self.init(
            all: StreamedRows(results), failing: StreamedRows(results.filter(Subset.failing.contains)),
            obese: StreamedRows(results.filter(Subset.obese.contains)), items: items, earlierTotals: earlierTotals)
    }

    public var isEmpty: Bool { all.isEmpty }
}

/// Read-only queries over stored fitness results.
public struct FitnessQueries: Sendable {
    public let database: JianceDatabase

    public init(database: JianceDatabase) { self.database = database }

    /// Terms with fitness results, oldest first.
    public func terms() throws -> [Term] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT DISTINCT term_id FROM fitness_result").compactMap(Term.init).sorted()
        }
    }

    /// Every result of `term` (optionally of one school), by school, grade, class and 学籍号.
    public func results(term: Term, schoolID: Int64? = nil) throws -> [FitnessResultRow] {
        try database.read { db in
            var results: [FitnessResultRow] = []
            try forEachResult(in: db, term: term, schoolID: schoolID) { results.append($0) }
            return results
        }
    }

    /// A school's results for its ledger: held in memory when there are no more than `limit`,
    /// else each sheet's rows read from `db` as the sheet is written, its follow-up subsets by SQL.
    public func ledgerRows(in db: Database, term: Term, schoolID: Int64, holdingUpTo limit: Int) throws
        -> FitnessLedgerRows
    {
        let earlierTotals = { try Self.earlierYearTotals(in: db, studentID: $0, before: term) }
        let subsets: [FitnessLedgerRows.Subset] = [.all, .failing, .obese]
        // One pass counts each sheet's rows and finds the items on the ledger: those anyone has a
        // result or a score for.
        let counts = try Row.fetchOne(
            db,
            sql: """
                SELECT \((subsets.map { "COUNT(CASE WHEN \($0.sql) THEN 1 END)" }
                    + FitnessItem.measured.map { "COUNT(\($0.rawValue)) + COUNT(\($0.rawValue)_score)" }).joined(separator: ", "))
                FROM fitness_result WHERE term_id = ? AND round = \(FitnessRound.regular.sqlLiteral) AND school_id = ?
                """, arguments: [term.description, schoolID])
        func count(_ column: Int) -> Int { counts?[column] ?? 0 }
        let present = FitnessItem.measured.enumerated().filter { count(subsets.count + $0.offset) > 0 }.map(\.element)
        let items = FitnessItem.allCases.filter(present.contains)
        if count(0) <= limit {
            var results: [FitnessResultRow] = []
            results.reserveCapacity(count(0))
            try forEachResult(in: db, term: term, schoolID: schoolID) { results.append($0) }
            return FitnessLedgerRows(results, items: items, earlierTotals: earlierTotals)
        }
        let rows = subsets.enumerated().map { column, subset in
            StreamedRows(count: count(column)) {
                try forEachResult(in: db, term: term, schoolID: schoolID, subset: subset, $0)
            }
        }
        return FitnessLedgerRows(
            all: rows[0], failing: rows[1], obese: rows[2], items: items, earlierTotals: earlierTotals)
    }

    /// Streams the results of `term` (optionally of one school, or one subset) to `body` in the
    /// order of `results`, each decoded in place from a cursor: a copied row of 50 values held for
    /// every student was half the memory of a large school's ledger.
    public func forEachResult(
        in db: Database, term: Term, schoolID: Int64? = nil, subset: FitnessLedgerRows.Subset = .all,
        _ body: (FitnessResultRow) throws -> Void
    ) throws {
        let range = schoolRange(schoolID)
        func followUp(_ column: String, _ kind: FollowUpKind) -> String {
            "(SELECT \(column) FROM followup WHERE kind = '\(kind.rawValue)' AND record_id = f.id)"
        }
        let followUpKinds: [FollowUpKind] = [.fitnessFail, .fitnessObese]
        var selected = [
            "f.id", "f.student_id", "f.school_id", "f.grade_code", "f.class_name", "f.sex", "f.status", "f.rating",
            "f.bmi_tenths", "f.bmi_category", "f.bmi_score", "f.total_hundredths", "f.standard_hundredths", "f.bonus",
            "f.height_cm", "f.weight_kg", "s.student_no", "s.name", "s.birth_date", "s.ethnicity",
        ]
        for kind in followUpKinds { selected += [followUp("fields", kind), followUp("batch_id", kind)] }
        for item in FitnessItem.measured { selected += ["f.\(item.rawValue)", "f.\(item.rawValue)_score"] }
        let columns = SelectList(selected)
        let answers: [(kind: FollowUpKind, fields: Int, version: Int)] = followUpKinds.map { kind in
            (kind, columns[followUp("fields", kind)], columns[followUp("batch_id", kind)])
        }
        let items: [(item: FitnessItem, value: Int, score: Int)] = FitnessItem.measured.map { item in
            (item, columns["f.\(item.rawValue)"], columns["f.\(item.rawValue)_score"])
        }
        let gradeCodeColumn = columns["f.grade_code"]
        let sexColumn = columns["f.sex"]
        let statusColumn = columns["f.status"]
        let bmiCategoryColumn = columns["f.bmi_category"]
        let bmiTenthsColumn = columns["f.bmi_tenths"]
        let bmiScoreColumn = columns["f.bmi_score"]
        let ratingColumn = columns["f.rating"]
        let studentIDColumn = columns["f.student_id"]
        let schoolIDColumn = columns["f.school_id"]
        let classNameColumn = columns["f.class_name"]
        let totalHundredthsColumn = columns["f.total_hundredths"]
        let idColumn = columns["f.id"]
        let studentNoColumn = columns["s.student_no"]
        let nameColumn = columns["s.name"]
        let birthDateColumn = columns["s.birth_date"]
        let ethnicityColumn = columns["s.ethnicity"]
        let heightCmColumn = columns["f.height_cm"]
        let weightKgColumn = columns["f.weight_kg"]
        let standardHundredthsColumn = columns["f.standard_hundredths"]
        let bonusColumn = columns["f.bonus"]
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT \(columns.sql)
                FROM fitness_result f JOIN student s ON s.id = f.student_id
                WHERE f.term_id = ? AND f.round = \(FitnessRound.regular.sqlLiteral) AND f.school_id BETWEEN ? AND ?
                    AND \(subset.sql)
                ORDER BY f.school_id, f.grade_code, f.class_name, s.student_no, s.name
                """, arguments: [term.description, range.0, range.1])
        while let row = try rows.next() {
            guard let grade = GradeCode(code: row[gradeCodeColumn]), let sex = Sex(rawValue: row[sexColumn]),
                let status = FitnessStatus(rawValue: row[statusColumn])
            else { continue }
            var values = FitnessResults()
            var scores = FitnessItemScores()
            for column in items {
                if let value: Double = row[column.value] { values[column.item] = value }
                if let score: Int = row[column.score] { scores[column.item] = score }
            }
            let category = (row[bmiCategoryColumn] as String?).flatMap(BMICategory.init(rawValue:))
            var bmi: BMIScore?
            if let category, let tenths: Int = row[bmiTenthsColumn] {
                bmi = BMIScore(tenths: tenths, category: category, score: row[bmiScoreColumn] ?? 0)
            }
            let rating: String? = row[ratingColumn]
            let observation = FitnessObservation(
                studentID: row[studentIDColumn], schoolID: row[schoolIDColumn], grade: grade,
                className: row[classNameColumn], sex: sex, status: status,
                rating: rating.flatMap(FitnessRating.init(rawValue:)), bmiCategory: category,
                itemScores: scores, totalHundredths: row[totalHundredthsColumn])
            var followUp: [FollowUpKind: FollowUpAnswers] = [:]
            for answer in answers {
                followUp[answer.kind] = FollowUpAnswers(json: row[answer.fields], batch: row[answer.version])
            }
            try body(
                FitnessResultRow(
                    id: row[idColumn], observation: observation, studentNo: row[studentNoColumn],
                    name: row[nameColumn], birthDate: row[birthDateColumn], ethnicity: row[ethnicityColumn],
                    heightCm: row[heightCmColumn], weightKg: row[weightKgColumn], bmi: bmi, values: values,
                    standardHundredths: row[standardHundredthsColumn], bonus: row[bonusColumn],
                    followUp: followUp))
        }
    }

    /// Streams the observations of `term` (optionally one school) to `body` through a database
    /// cursor: indicators of a province never hold its rows in memory.
    public func forEachObservation(term: Term, schoolID: Int64? = nil, _ body: (FitnessObservation) throws -> Void)
        throws
    {
        let range = schoolRange(schoolID)
        let columns = SelectList(
            ["student_id", "school_id", "grade_code", "class_name", "sex", "status", "rating", "bmi_category"]
                + ["total_hundredths"] + FitnessItem.measured.map { "\($0.rawValue)_score" })
        let items: [(item: FitnessItem, score: Int)] = FitnessItem.measured.map {
            ($0, columns["\($0.rawValue)_score"])
        }
        let gradeCodeColumn = columns["grade_code"]
        let sexColumn = columns["sex"]
        let statusColumn = columns["status"]
        let ratingColumn = columns["rating"]
        let bmiCategoryColumn = columns["bmi_category"]
        let studentIDColumn = columns["student_id"]
        let schoolIDColumn = columns["school_id"]
        let classNameColumn = columns["class_name"]
        let totalHundredthsColumn = columns["total_hundredths"]
        try database.read { db in
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT \(columns.sql)
                    FROM fitness_result WHERE term_id = ? AND round = \(FitnessRound.regular.sqlLiteral) AND school_id BETWEEN ? AND ?
                    """, arguments: [term.description, range.0, range.1])
            while let row = try rows.next() {
                guard let grade = GradeCode(code: row[gradeCodeColumn]), let sex = Sex(rawValue: row[sexColumn]),
                    let status = FitnessStatus(rawValue: row[statusColumn])
                else { continue }
                var scores = FitnessItemScores()
                for column in items {
                    if let score: Int = row[column.score] { scores[column.item] = score }
                }
                let rating: String? = row[ratingColumn]
                let category: String? = row[bmiCategoryColumn]
                try body(
                    FitnessObservation(
                        studentID: row[studentIDColumn], schoolID: row[schoolIDColumn], grade: grade,
                        className: row[classNameColumn], sex: sex, status: status,
                        rating: rating.flatMap(FitnessRating.init(rawValue:)),
                        bmiCategory: category.flatMap(BMICategory.init(rawValue:)), itemScores: scores,
                        totalHundredths: row[totalHundredthsColumn]))
            }
        }
    }

    /// Totals of earlier school years for the given students: for each student and earlier school
    /// year, the total of the latest term with a scored result.
    public func earlierYearTotals(studentIDs: [Int64], before term: Term) throws -> [Int64: [Int]] {
        guard !studentIDs.isEmpty else { return [:] }
        return try database.read { db in
            var totals: [Int64: [Int]] = [:]
            for id in studentIDs {
                let earlier = try Self.earlierYearTotals(in: db, studentID: id, before: term)
                if !earlier.isEmpty { totals[id] = earlier }
            }
            return totals
        }
    }

    /// One student's totals of earlier school years, oldest first: for each school year before
    /// `term`'s, the total of its latest term with a scored result.
    public static func earlierYearTotals(in db: Database, studentID: Int64, before term: Term) throws -> [Int] {
        let statement = try db.cachedStatement(
            sql: """
                SELECT term_id, total_hundredths FROM fitness_result
                WHERE student_id = ? AND status = 'scored' AND round = \(FitnessRound.regular.sqlLiteral)
                """)
        var latest: [Int: (term: Term, total: Int)] = [:]
        let rows = try Row.fetchCursor(statement, arguments: [studentID])
        while let row = try rows.next() {
            guard let rowTerm = Term(row[0] as String), rowTerm.startYear < term.startYear else { continue }
            if let existing = latest[rowTerm.startYear], existing.term > rowTerm { continue }
            latest[rowTerm.startYear] = (rowTerm, row[1])
        }
        return latest.keys.sorted().map { latest[$0]!.total }
    }
}
