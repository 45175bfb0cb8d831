import Foundation
import Ingest
import Standards
import TestSupport

/// All rows of the first table of a file.
func readAllRows(_ url: URL, sheet: String? = nil) throws -> (rows: [RawRow], findings: [Finding]) {
    let table = try openTables(at: url, sheet: sheet)[0]
    var rows: [RawRow] = []
    try table.forEachRow {
        rows.append($0)
        return true
    }
    return (rows, table.readFindings)
}

let gb18030 = String.Encoding(rawValue: 0x8000_0632)
