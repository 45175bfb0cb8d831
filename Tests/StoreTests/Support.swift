import Foundation
import GRDB
import Imports
import Standards
import Store
import TestSupport

func freshDatabase() throws -> (JianceDatabase, URL) {
    let folder = try temporaryFolder()
    return (try JianceDatabase(path: folder.appendingPathComponent("test.sqlite").path), folder)
}

/// A new database holding `rosterCSV` for `term`, and its folder.
func databaseWithRoster() throws -> (JianceDatabase, URL) {
    let (database, folder) = try freshDatabase()
    try write(rosterCSV, to: folder.appendingPathComponent("roster.csv"))
    _ = try RosterImporter(database: database).importFile(folder.appendingPathComponent("roster.csv"), term: term)
    return (database, folder)
}

/// The tables that hold what the county imported (not its provenance).
let dataTables = [
    "term", "school", "student", "enrolment", "fitness_result", "vision_screening", "followup", "psych_screening",
    "psych_case",
    "psych_event", "academic_score", "monitoring_result", "school_resource",
]

/// Every row of every table, as text, to compare whole database states.
func snapshot(_ database: JianceDatabase) throws -> [String] {
    try snapshot(database, tables: dataTables + ["import_batch", "batch_finding", "history", "audit_log"])
}

/// Every row of `tables`, as text.
func snapshot(_ database: JianceDatabase, tables: [String]) throws -> [String] {
    try database.read { db in
        var lines: [String] = []
        for table in tables {
            for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY 1, 2") {
                lines.append(table + ": " + row.description)
            }
        }
        return lines
    }
}

func write(_ text: String, to url: URL) throws {
    try Data(text.utf8).write(to: url)
}

let term = Term("2025-2026-1")!

let rosterCSV = """
    学籍号,姓名,性别,出生日期,民族,学校名称,年级,班级
    G001,王堃,男,2019-03-04,汉族,实验小学,一年级,1班
    G002,陈镕,女,2019-05-06,汉族,实验小学,一年级,2班
    G003,张喆,男,2018-01-02,回族,实验小学,二年级,1班
    ,李无号,女,2018-07-08,汉族,实验小学,二年级,1班

    """
