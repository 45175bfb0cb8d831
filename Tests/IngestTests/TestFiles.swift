import Foundation
import Ingest
import Standards

/// A fresh temporary folder per test.
func temporaryFolder(_ function: String = #function) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("jiance-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// All rows of the first table of a file.
func readAllRows(_ url: URL, sheet: String? = nil) throws -> (rows: [RawRow], findings: [Finding]) {
    let table = try openTables(at: url, sheet: sheet)[0]
    var rows: [RawRow] = []
    try table.forEachRow { rows.append($0); return true }
    return (rows, table.readFindings)
}

let gb18030 = String.Encoding(rawValue: 0x8000_0632)
