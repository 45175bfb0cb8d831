import Foundation
import Imports
import Ingest
import Reports
import Services
import Store
import TestSupport
import Testing

/// The site in a real headless Chromium (Debian's chromium and chromium-driver, which `make deps`
/// installs), driven over WebDriver by Tests/Browser/e2e.py against a real `jiance serve` process:
/// a school signs in, uploads its fitness file by the form, sees the findings and downloads its
/// ledger; the bureau signs in and sees the dashboard's SVG charts. SIGTERM then stops the server
/// cleanly. `JIANCE_SKIP_BROWSER=1` skips it on a machine without a browser; CI never sets it.
@Suite(.serialized) struct BrowserTests {
    @Test func aSchoolAndTheBureauUseTheSiteInChromium() throws {
        if ProcessInfo.processInfo.environment["JIANCE_SKIP_BROWSER"] == "1" { return }
        let driver = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
        guard let driver else {
            Issue.record("chromedriver 未安装：请运行 make deps（安装 chromium 和 chromium-driver）")
            return
        }
        let (server, folder) = try WebFixture.server()
        let database = server.database
        let school = try #require(try RosterQueries(database: database).school(WebFixture.ownSchool))
        // The school's fitness batch is undone, to be uploaded again through the browser.
        let undo = BatchUndo(database: database)
        let batch = try #require(try undo.batches(term: nil, school: WebFixture.ownSchool).last { $0.kind == .fitness })
        _ = try undo.undo(batch: batch.id, force: false)
        #expect(try fitnessRows(database, school.id) == 0)
        let output = folder.appendingPathComponent("serve.log")
        #expect(FileManager.default.createFile(atPath: output.path, contents: nil))
        let process = Process()
        process.executableURL = Jiance.binary
        process.arguments = ["serve", "--db", database.path, "--port", "0"]
        process.currentDirectoryURL = folder
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = process.standardOutput
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        var base: String?
        for _ in 0..<300 where base == nil && process.isRunning {
            let log = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            if let range = log.range(of: "http://127.0.0.1:") {
                base = "http://127.0.0.1:" + log[range.upperBound...].prefix { $0.isNumber }
            } else {
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        let address = try #require(
            base, "jiance serve did not start: \((try? String(contentsOf: output, encoding: .utf8)) ?? "")")

        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Browser/e2e.py")
        let browser = Process()
        browser.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var arguments = [
            "python3", script.path, address, "own", "county", WebFixture.password, school.code ?? school.name,
            WebFixture.term, folder.appendingPathComponent("s/fitness/体测成绩_\(WebFixture.ownSchool).xlsx").path,
            folder.path,
        ]
        if let shots = ProcessInfo.processInfo.environment["JIANCE_SCREENSHOTS"] { arguments.append(shots) }
        browser.arguments = arguments
        browser.environment = ProcessInfo.processInfo.environment.merging(["CHROMEDRIVER": driver]) { $1 }
        let pipe = Pipe()
        let errors = Pipe()
        browser.standardOutput = pipe
        browser.standardError = errors
        try browser.run()
        let reported = pipe.fileHandleForReading.readDataToEndOfFile()
        let problems = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        browser.waitUntilExit()
        #expect(browser.terminationStatus == 0, "\(problems)")
        let report = try #require(
            try JSONSerialization.jsonObject(with: reported) as? [String: Any], "\(problems)")

        #expect(report["imported"] as? Bool == true)
        #expect((report["findings_rows"] as? Int ?? 0) > 0, "the sample file's mistakes are listed as findings")
        #expect((report["batch_page"] as? String)?.contains("/imports/") == true)
        #expect((report["county_dashboard_svgs"] as? Int ?? 0) >= 2)
        #expect((report["county_tiles"] as? Int ?? 0) >= 5)
        #expect((report["record_tables"] as? Int ?? 0) == 3, "a record: enrolments, growth and fitness, vision")
        #expect((report["ledger_disposition"] as? String)?.contains("attachment") == true)

        // The downloaded ledger opens with Jiance's own reader and is the school's.
        let ledger = URL(fileURLWithPath: try #require(report["ledger"] as? String))
        let workbook = try XLSXWorkbook(url: ledger)
        #expect(workbook.sheetNames.count >= 3)
        let first = try sheetRows(ledger, workbook.sheetNames[0])
        #expect(first.contains { row in row.cells.contains { $0.contains(WebFixture.ownSchool) } })
        #expect(try fitnessRows(database, school.id) > 0)

        // SIGTERM: requests finish, the server says it stopped and exits 0.
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(try String(contentsOf: output, encoding: .utf8).contains("网页服务已停止"))
    }

    func fitnessRows(_ database: JianceDatabase, _ school: Int64) throws -> Int {
        try database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM fitness_result WHERE school_id = ?", arguments: [school])
                ?? 0
        }
    }
}
