import GRDB
import Ingest
import Standards

/// The stored columns of a screening, written by the importer, and the classifier's input rebuilt
/// from them by the reports' queries (which classify again with the settings asked for).
public enum VisionRow {
    /// The input columns after the school (which is known only once the student is resolved).
    public static func inputs(_ record: VisionRecord) -> [(String, DatabaseValue)] {
        let input = record.input
        var values: [(String, DatabaseValue)] = [
            ("grade_code", input.grade?.code.databaseValue ?? .null),
            ("class_name", record.student.className.databaseValue), ("sex", input.sex?.rawValue.databaseValue ?? .null),
            ("age_months", input.ageMonths.databaseValue),
            ("glasses_type", input.glasses?.rawValue.databaseValue ?? .null),
        ]
        for (columns, eye) in [(rightColumns, input.right), (leftColumns, input.left)] {
            var tenths: Int?
            var text: String?
            switch eye.acuity {
            case .fivePoint(let value)?: tenths = value
            case .belowChart(let raw)?: text = raw
            case nil: break
            }
            let measured = [
                tenths.databaseValue, text.databaseValue, eye.sphere?.thousandths.databaseValue ?? .null,
                eye.cylinder?.thousandths.databaseValue ?? .null, eye.axis.databaseValue,
                eye.givenSE?.thousandths.databaseValue ?? .null,
            ]
            values += zip(columns, measured).map { ($0, $1) }
        }
        return values
    }

    /// Each eye's columns, named once rather than on every row.
    private static let rightColumns = eyeColumns("right")
    private static let leftColumns = eyeColumns("left")

    /// The six stored columns of one eye (`right` or `left`), in the order `eye(_:from:)` reads them.
    public static func eyeColumns(_ eye: String, prefix: String = "") -> [String] {
        ["va_tenths", "va_text", "sphere", "cylinder", "axis", "se_given"].map { "\(prefix)\(eye)_\($0)" }
    }

    /// One eye from its six columns (`eyeColumns`) starting at `first`.
    public static func eye(_ row: Row, from first: Int) -> EyeMeasurement {
        var acuity: Acuity?
        if let tenths: Int = row[first] {
            acuity = .fivePoint(tenths: tenths)
        } else if let text: String = row[first + 1] {
            acuity = .belowChart(text)
        }
        return EyeMeasurement(
            acuity: acuity, sphere: (row[first + 2] as Int?).map(Diopters.init(thousandths:)),
            cylinder: (row[first + 3] as Int?).map(Diopters.init(thousandths:)), axis: row[first + 4],
            givenSE: (row[first + 5] as Int?).map(Diopters.init(thousandths:)))
    }
}
