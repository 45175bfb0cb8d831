import CXlsxWriter
import Foundation
import GRDBSQLite
import Imports
import Indicators
import Ingest
import Ledgers
import Reports
import Samples
import Services
import Standards
import Store

#if canImport(Glibc)
    import Glibc
#endif

// jiance-bench: measures each stage of the fitness pipeline on a synthetic county, next to three
// references measured in the same run — a raw byte scan of the input (the limit for the
// readers), a C-level loop of SQLite inserts into the same schema (the limit for the import's
// database half) and a C-level libxlsxwriter loop writing the same cells (the limit for the
// ledger writer). Usage:
//   jiance-bench generate --students N --out DIR   (its own process: generation memory is not counted)
//   jiance-bench run --data DIR                    (prints every stage; peak memory at the end)
//   jiance-bench run --data DIR --import-only      (stops after the import, for profiling it)

struct Stage {
    var name: String
    var seconds: Double
    var amount: Double
    var unit: String
    var reference: Double?
    var note = ""

    var rate: Double { seconds > 0 ? amount / seconds : 0 }
}

func measure(_ body: () throws -> Double) rethrows -> (seconds: Double, amount: Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let amount = try body()
    return (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, amount)
}

func peakMemoryMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func format(_ value: Double) -> String {
    value >= 100
        ? String(Int(value.rounded())).reversed().enumerated().map {
            $0.offset > 0 && $0.offset % 3 == 0 ? "\($0.element)," : String($0.element)
        }.reversed().joined()
        : String(format: "%.2f", value)
}

func argument(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func generate() throws {
    let students = Int(argument("--students") ?? "100000") ?? 100_000
    let folder = URL(fileURLWithPath: argument("--out") ?? "benchmarks/data/\(students)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let county = SampleCounty(students: students, seed: 2025)
    var fitness = SampleFitness(
        county: county, tables: try FitnessTables.bundled.get(), random: SeededGenerator(seed: 2026))
    let csv = folder.appendingPathComponent("fitness.csv")
    let rows = try fitness.writeCountyCSV(to: csv)
    // The .xlsx copy of the first rows, for the reader benchmark (Excel's own row limit applies).
    let xlsxRows = min(rows, 200_000)
    let workbook = try XlsxWorkbook(path: folder.appendingPathComponent("fitness.xlsx").path, constantMemory: true)
    let sheet = try workbook.addSheet("Sheet1")
    var line = 0
    try CSVTable(url: csv).forEachRow { row in
        try sheet.writeRow(line, row.cells.map { Double($0).map(CellValue.number) ?? .text($0) })
        line += 1
        return line <= xlsxRows
    }
    try workbook.close()
    print(
        "generated \(rows) students in \(county.schools.count) schools: \(csv.path) and fitness.xlsx (\(xlsxRows) rows)"
    )
}

/// One line per stage, printed as soon as the stage ends (a province-sized run takes minutes).
func printStage(_ stage: Stage) {
    var line = stage.name.padding(toLength: 40, withPad: " ", startingAt: 0)
    line += String(format: "%8.2f s  ", stage.seconds)
    line += "\(format(stage.rate)) \(stage.unit)".padding(toLength: 26, withPad: " ", startingAt: 0)
    if let reference = stage.reference {
        line += String(format: "%5.1f %% of reference  ", stage.rate / reference * 100)
    }
    print(line + stage.note + String(format: "  [peak %.0f MB]", peakMemoryMB()))
    fflush(nil)
}

/// Reference for the import's database half: the same number of students and fitness rows
/// inserted into the same schema (indexes, foreign keys, one transaction) from a C-level loop of
/// prepared statements with values already at hand — no reading, parsing, scoring or Swift values.
func rawSQLiteInserts(rows: Int, folder: URL) throws -> Int {
    let path = folder.appendingPathComponent("raw.sqlite").path
    _ = try JianceDatabase(path: path)  // the schema, migrated
    var connection: OpaquePointer?
    guard sqlite3_open(path, &connection) == SQLITE_OK, let db = connection else { throw CocoaError(.fileReadUnknown) }
    defer { sqlite3_close(db) }
    func exec(_ sql: String) throws {
        guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
            throw CocoaError(
                .fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: sqlite3_errmsg(db))])
        }
    }
    func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &statement, nil) == SQLITE_OK, let statement else {
            throw CocoaError(.fileWriteUnknown)
        }
        return statement
    }
    try exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON; BEGIN IMMEDIATE")
    try exec("INSERT INTO term (id, start_year, semester) VALUES ('2025-2026-1', 2025, 1)")
    try exec("INSERT INTO school (id, name, origin) VALUES (1, '示例学校', 'school-list')")
    try exec(
        "INSERT INTO import_batch (id, kind, term_id, file_name, sha256, imported_at, mode) VALUES (1, 'fitness', '2025-2026-1', 'f.csv', 'x', 'now', 'keep-valid')"
    )
    // Every column of fitness_result but its id, bound with values of its declared type.
    var columns: [(name: String, type: String)] = []
    let info = try prepare("PRAGMA table_info(fitness_result)")
    while sqlite3_step(info) == SQLITE_ROW {
        let name = String(cString: sqlite3_column_text(info, 1))
        let type = String(cString: sqlite3_column_text(info, 2))
        if name != "id" { columns.append((name, type)) }
    }
    sqlite3_finalize(info)
    let student = try prepare(
        """
        INSERT INTO student (student_no, name, sex, birth_date, ethnicity, school_id, grade_code, class_name, origin, batch_id)
        VALUES (?, '王小明', 'male', '2015-03-04', '汉族', 1, 13, '1班', 'result-file', 1)
        """)
    let result = try prepare(
        "INSERT INTO fitness_result (\(columns.map(\.name).joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))"
    )
    let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
    for row in 0..<rows {
        sqlite3_bind_text(student, 1, "G\(100_000_000_000_000_000 + row)", -1, transient)
        guard sqlite3_step(student) == SQLITE_DONE else { throw CocoaError(.fileWriteUnknown) }
        sqlite3_reset(student)
        let studentID = sqlite3_last_insert_rowid(db)
        for (offset, column) in columns.enumerated() {
            let index = Int32(offset + 1)
            switch column.name {
            case "term_id": sqlite3_bind_text(result, index, "2025-2026-1", -1, transient)
            case "student_id": sqlite3_bind_int64(result, index, studentID)
            case "school_id", "batch_id": sqlite3_bind_int64(result, index, 1)
            case "sex": sqlite3_bind_text(result, index, "male", -1, transient)
            default:
                switch column.type {
                case "TEXT": sqlite3_bind_text(result, index, "正式", -1, transient)
                case "REAL": sqlite3_bind_double(result, index, 123.4)
                default: sqlite3_bind_int64(result, index, Int64(offset))
                }
            }
        }
        guard sqlite3_step(result) == SQLITE_DONE else {
            throw CocoaError(
                .fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: String(cString: sqlite3_errmsg(db))])
        }
        sqlite3_reset(result)
    }
    sqlite3_finalize(student)
    sqlite3_finalize(result)
    try exec("COMMIT")
    return rows
}

/// Runs `benchmarks/pandas_import.py` on the same file when python3 has pandas: the script an
/// analyst would write instead (read, vectorised scoring, `to_sql`). Its own clock, printed as JSON.
func pandasReference(_ csv: URL) throws -> (seconds: Double, rows: Double)? {
    let script = URL(fileURLWithPath: "benchmarks/pandas_import.py")
    guard FileManager.default.fileExists(atPath: script.path),
        let output = try runProcess("/usr/bin/env", ["python3", script.path, csv.path]),
        let data = output.split(separator: "\n").last.map({ Data($0.utf8) }),
        let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
        let seconds = json["seconds"] as? Double, let rows = json["rows"] as? Double
    else {
        print("(pandas reference skipped: python3 with pandas and numpy not found)")
        return nil
    }
    return (seconds, rows)
}

/// Times `jiance score fitness FILE --format csv` (the release binary beside this one) with its
/// output discarded: reading, scoring and writing every row, start-up included. The median of
/// five runs: one run of a few tenths of a second differs from the next by up to a fifth here.
func scoreCommand(_ csv: URL) throws -> Double? {
    guard let jiance = releaseJiance() else { return nil }
    let runs = try (1...5).map { _ in
        try runMeasured(jiance, ["score", "fitness", csv.path, "--format", "csv"]).seconds
    }
    return runs.sorted()[2]
}

/// Runs a program to its end with its output discarded: wall time, its peak resident memory (from
/// `wait4`: the child's own, though on Linux it starts from this process's peak at the spawn, so
/// it is meaningful only while this process is the smaller) and its exit status.
func runMeasured(_ path: String, _ arguments: [String]) throws -> (seconds: Double, peakMB: Double, status: Int32) {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    var pid: pid_t = 0
    let start = DispatchTime.now().uptimeNanoseconds
    guard posix_spawn(&pid, path, &actions, nil, argv, environ) == 0 else {
        throw CocoaError(.executableLoad, userInfo: [NSFilePathErrorKey: path])
    }
    var status: Int32 = 0
    var usage = rusage()
    wait4(pid, &status, 0, &usage)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return (seconds, Double(usage.ru_maxrss) / 1024, (status >> 8) & 0xFF)
}

/// The first `students` rows of the county file as one school's file (UTF-8): every 学校名称 cell
/// names the same school, for the ledger of one very large school.
func writeOneSchoolCSV(from csv: URL, students: Int, to url: URL) throws {
    guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
        throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
    }
    let output = try FileHandle(forWritingTo: url)
    defer { try? output.close() }
    var buffer = ""
    var lines = 0
    var schoolColumn: Int?
    try CSVTable(url: csv).forEachRow { row in
        var cells = row.cells
        if let column = schoolColumn {
            cells[column] = "示例县实验小学"
        } else {
            schoolColumn = cells.firstIndex(of: "学校名称")
        }
        buffer += cells.map(csvField).joined(separator: ",") + "\n"
        if buffer.utf8.count > 1 << 20 {
            output.write(Data(buffer.utf8))
            buffer = ""
        }
        lines += 1
        return lines <= students
    }
    output.write(Data(buffer.utf8))
}

/// Runs a program to its end: its standard output, nil when it failed.
func runProcess(_ path: String, _ arguments: [String]) throws -> String? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { return nil }
    return String(decoding: data, as: UTF8.self)
}

func run() throws {
    let folder = URL(fileURLWithPath: argument("--data") ?? "benchmarks/data/100000")
    let csv = folder.appendingPathComponent("fitness.csv")
    let xlsx = folder.appendingPathComponent("fitness.xlsx")
    let bytes = Double((try FileManager.default.attributesOfItem(atPath: csv.path)[.size] as? NSNumber)?.intValue ?? 0)
    let term = Term(startYear: 2025, semester: 1)!
    var stages: [Stage] = [] {
        didSet { if let stage = stages.last { printStage(stage) } }
    }

    // Reference: a raw byte scan (1 MB reads, counting line feeds).
    let scan = try measure {
        let handle = try FileHandle(forReadingFrom: csv)
        defer { try? handle.close() }
        var lines = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { raw in for byte in raw where byte == 0x0A { lines += 1 } }
        }
        return Double(lines)
    }
    let rows = scan.amount - 1
    print(
        "jiance-bench — \(format(rows)) students, \(String(format: "%.1f", bytes / 1e6)) MB national-template CSV (GB18030), \(ProcessInfo.processInfo.activeProcessorCount) cores"
    )
    print(String(repeating: "-", count: 112))
    // Commands measured as processes of their own come first, while this process is small: on
    // Linux a spawned program's peak memory starts from its parent's peak at the spawn.
    let processFolder = FileManager.default.temporaryDirectory.appendingPathComponent(
        "jiance-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: processFolder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: processFolder) }
    try oneSchoolLedgers(csv, rows: Int(rows), in: processFolder)
    try demoOnSamples(folder.appendingPathComponent("samples"), in: processFolder)
    print(String(repeating: "-", count: 112))
    stages.append(
        Stage(
            name: "raw byte scan (reference)", seconds: scan.seconds, amount: bytes / 1e6, unit: "MB/s", reference: nil)
    )

    let read = try measure {
        var count = 0
        try CSVTable(url: csv).forEachRow { _ in
            count += 1
            return true
        }
        return Double(count)
    }
    stages.append(
        Stage(
            name: "CSV read (GB18030)", seconds: read.seconds, amount: bytes / 1e6, unit: "MB/s",
            reference: bytes / 1e6 / scan.seconds,
            note: "\(format(read.amount / read.seconds)) rows/s"))

    let scorer = try FitnessScorer.bundled()
    let scored = try measure {
        var count = 0
        _ = try FitnessReader(term: term).read(csv) { record in
            _ = scorer.score(record.input)
            count += 1
        }
        return Double(count)
    }
    stages.append(
        Stage(
            name: "CSV read + parse + score", seconds: scored.seconds, amount: scored.amount, unit: "rows/s",
            reference: nil, note: "target ≥ 1,000,000 rows/s"))

    let dbFolder = FileManager.default.temporaryDirectory.appendingPathComponent("jiance-bench-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dbFolder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dbFolder) }
    let database = try JianceDatabase(path: dbFolder.appendingPathComponent("bench.sqlite").path)
    let imported = try measure {
        let outcome = try FitnessImporter(database: database, scorer: scorer).importFile(csv, term: term)
        return Double(outcome.counts.accepted)
    }
    let rawInsert = try measure { Double(try rawSQLiteInserts(rows: Int(imported.amount), folder: dbFolder)) }
    stages.append(
        Stage(
            name: "raw SQLite inserts (reference)", seconds: rawInsert.seconds, amount: rawInsert.amount,
            unit: "rows/s", reference: nil))
    stages.append(
        Stage(
            name: "whole import (read, score, DB write)", seconds: imported.seconds, amount: imported.amount,
            unit: "rows/s",
            reference: rawInsert.amount / rawInsert.seconds, note: "target ≥ 300,000 rows/s"))
    if let pandas = try pandasReference(csv) {
        stages.append(
            Stage(
                name: "pandas read + score + store (reference)", seconds: pandas.seconds, amount: pandas.rows,
                unit: "rows/s", reference: nil,
                note: String(
                    format: "Jiance's whole import: %.2f× the script (target ≥ 10×)", pandas.seconds / imported.seconds)
            ))
    }
    if CommandLine.arguments.contains("--import-only") { return }

    if let seconds = try scoreCommand(csv) {
        stages.append(
            Stage(
                name: "jiance score fitness --format csv", seconds: seconds, amount: rows, unit: "rows/s",
                reference: nil, note: "end to end, a process of its own, median of 5; target ≥ 500,000 rows/s"))
    }

    let cells = try measure {
        var count = 0
        try openTables(at: xlsx)[0].forEachRow { row in
            count += row.cells.count
            return true
        }
        return Double(count)
    }
    stages.append(
        Stage(
            name: ".xlsx read", seconds: cells.seconds, amount: cells.amount, unit: "cells/s", reference: nil,
            note: "target ≥ 1,000,000 cells/s"))

    let indicators = try measure {
        let report = try FitnessReport.load(from: database, term: term)
        return Double(report.county.measured)
    }
    stages.append(
        Stage(
            name: "indicators (county + schools)", seconds: indicators.seconds, amount: indicators.amount,
            unit: "rows/s", reference: nil))

    // Writer: the same cells through Jiance's layer and through a raw C loop.
    let writeRows = Int(min(rows, 200_000))
    let columns = 24
    let raw = measure {
        let path = dbFolder.appendingPathComponent("raw.xlsx").path
        var options = lxw_workbook_options(constant_memory: 1, tmpdir: nil, use_zip64: 1)
        let workbook = workbook_new_opt(path, &options)
        let sheet = workbook_add_worksheet(workbook, "S")
        for row in 0..<writeRows {
            for column in 0..<columns {
                if column % 3 == 0 {
                    _ = worksheet_write_string(sheet, lxw_row_t(row), lxw_col_t(column), "学生\(row)", nil)
                } else {
                    _ = worksheet_write_number(sheet, lxw_row_t(row), lxw_col_t(column), Double(row + column), nil)
                }
            }
        }
        _ = workbook_close(workbook)
        return Double(writeRows * columns)
    }
    let ours = try measure {
        let workbook = try XlsxWorkbook(path: dbFolder.appendingPathComponent("ours.xlsx").path, constantMemory: true)
        let sheet = try workbook.addSheet("S")
        for row in 0..<writeRows {
            for column in 0..<columns {
                try sheet.write(row, column, column % 3 == 0 ? .text("学生\(row)") : .number(Double(row + column)))
            }
        }
        try workbook.close()
        return Double(writeRows * columns)
    }
    stages.append(
        Stage(
            name: "raw libxlsxwriter loop (reference)", seconds: raw.seconds, amount: raw.amount, unit: "cells/s",
            reference: nil))
    stages.append(
        Stage(
            name: "Jiance writer, same cells", seconds: ours.seconds, amount: ours.amount, unit: "cells/s",
            reference: raw.amount / raw.seconds,
            note: "target ≥ 80 % of raw"))

    let ledgers = try measure {
        let files = try ExportService(database: database).exportSchoolLedgers(
            term: term, to: dbFolder.appendingPathComponent("ledgers"))
        return Double(files.count)
    }
    stages.append(
        Stage(
            name: "school ledgers (all schools)", seconds: ledgers.seconds, amount: imported.amount, unit: "students/s",
            reference: nil,
            note: "\(Int(ledgers.amount)) workbooks"))

    let total = imported.seconds + indicators.seconds + ledgers.seconds
    print(String(repeating: "-", count: 112))
    // The issue's targets: 5 s for the 100,000-student county, 50 s for the 1,000,000 one.
    print(
        String(
            format: "pipeline (import + indicators + ledgers): %.2f s; peak memory %.0f MB  target < %.0f s", total,
            peakMemoryMB(), 5 * rows / 100_000))
}

/// The ledger of one school of 10,000 and of 100,000 students (the county file's first rows, all
/// given one school), each exported by the release `jiance` as a process of its own: time and
/// that process's peak memory, whose growth from the smaller school to the larger shows whether
/// an export's memory is bounded by a constant.
func oneSchoolLedgers(_ csv: URL, rows: Int, in folder: URL) throws {
    guard let jiance = releaseJiance() else { return }
    for students in [10_000, 100_000] where students <= rows {
        let school = folder.appendingPathComponent("one-school-\(students)")
        try FileManager.default.createDirectory(at: school, withIntermediateDirectories: true)
        let file = school.appendingPathComponent("fitness.csv")
        try writeOneSchoolCSV(from: csv, students: students, to: file)
        let db = school.appendingPathComponent("one.sqlite").path
        _ = try runMeasured(jiance, ["import", "fitness", file.path, "--db", db, "--term", "2025-2026-1"])
        let export = try runMeasured(
            jiance, ["export", "ledgers", "--db", db, "--term", "2025-2026-1", "--out", school.path])
        print(
            "ledger of one \(format(Double(students)))-student school".padding(
                toLength: 40, withPad: " ", startingAt: 0)
                + String(format: "%8.2f s  peak %.0f MB (its own process)", export.seconds, export.peakMB)
                + (students == 100_000 ? "  target < 300 MB, and no more than the 10,000-student school's" : ""))
    }
}

/// `jiance demo` on the 100,000-student sample county (`make bench` makes it with `jiance samples`
/// into the data folder's `samples`), when it is there: every import, report and export a county
/// runs in a term, three terms over. The target is half of the 152 s it took on 2026-11-29.
func demoOnSamples(_ samples: URL, in folder: URL) throws {
    guard FileManager.default.fileExists(atPath: samples.path), let jiance = releaseJiance() else { return }
    let demo = try runMeasured(
        jiance, ["demo", "--samples", samples.path, "--out", folder.appendingPathComponent("demo").path])
    print(
        "jiance demo (100k sample county)".padding(toLength: 40, withPad: " ", startingAt: 0)
            + String(
                format: "%8.2f s  peak %.0f MB (its own process)  target ≤ 76 s (152 s on 2026-11-29, halved)%@",
                demo.seconds, demo.peakMB, demo.status == 0 ? "" : "  — exit \(demo.status)"))
}

/// The release `jiance` beside this binary (`make bench` builds both), nil with a note when absent.
func releaseJiance() -> String? {
    let jiance = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("jiance").path
    guard FileManager.default.isExecutableFile(atPath: jiance) else {
        print("(stages of the jiance command skipped: build the release jiance beside jiance-bench)")
        return nil
    }
    return jiance
}

do {
    switch CommandLine.arguments.dropFirst().first {
    case "generate": try generate()
    case "run": try run()
    default:
        print("usage: jiance-bench generate --students N --out DIR | run --data DIR [--import-only]")
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("jiance-bench: \(error)\n".utf8))
    exit(1)
}
