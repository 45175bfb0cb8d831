import Foundation
import GRDB
import Imports
import Indicators
import Ingest
import Ledgers
import Reports
import Services
import Standards
import Store
import TestSupport
import Testing
import ZIPFoundation

@Suite struct UpgradeTests {
    /// A database made by the first released schema (v1–v4: rosters of two years, fitness,
    /// two vision rounds, a psych wave with cases, history and audit) migrates forward without
    /// loss and every query still reads it. New migrations must keep this passing.
    @Test func firstReleasedSchemaMigratesForward() throws {
        let folder = try temporaryFolder()
        let copy = folder.appendingPathComponent("old.sqlite")
        try FileManager.default.copyItem(
            at: packageRoot.appendingPathComponent("Tests/Fixtures/first-released-schema.sqlite"), to: copy)
        let before = try DatabaseQueue(path: copy.path).read { db in
            try [
                "student", "enrolment", "fitness_result", "vision_screening", "psych_screening", "psych_case",
                "psych_event", "history", "audit_log", "import_batch",
            ].map {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? -1
            }
        }
        let database = try JianceDatabase(path: copy.path)
        let after = try database.read { db in
            try [
                "student", "enrolment", "fitness_result", "vision_screening", "psych_screening", "psych_case",
                "psych_event", "history", "audit_log", "import_batch",
            ].map {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? -1
            }
        }
        #expect(after == before)
        #expect(before[0] == 176 && before[2] == 150)
        #expect(
            try database.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }.prefix(5) == [
                "v1-foundation", "v2-fitness", "v3-vision-followup", "v4-psych", "v5-fitness-student-index",
            ])
        #expect(
            try database.read {
                try Bool.fetchOne(
                    $0, sql: "SELECT COUNT(*) > 0 FROM sqlite_master WHERE name = 'fitness_result_student'")
            } == true)
        #expect(try database.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        let term = Term("2025-2026-1")!
        #expect(try FitnessReport.load(from: database, term: term).county.measured == 150)
        #expect(try VisionReport.load(from: database, term: term).previousTerm == term.sameSeasonLastYear)
        #expect(
            try PsychReport.load(from: database, term: term, reviewDays: 3, today: "2025-10-20").county.screened > 0)
        // And it takes new imports.
        let roster = folder.appendingPathComponent("r.csv")
        try Data("学籍号,姓名,性别,出生日期,学校\nNEW1,新生,男,2019-01-01,示例县实验小学\n".utf8).write(to: roster)
        #expect(try RosterImporter(database: database).importFile(roster, term: term).counts.inserted == 1)
    }
}

/// No input text becomes a formula in any workbook; named exports are owner-only.
@Suite struct OutputSafetyTests {
    @Test func formulaLikeInputStaysTextEverywhere() throws {
        let folder = try temporaryFolder()
        let database = try JianceDatabase(path: folder.appendingPathComponent("t.sqlite").path)
        let term = Term("2025-2026-1")!
        let dangerous = ["=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)"]
        var roster = "学籍号,姓名,性别,出生日期,学校,年级,班级\n"
        // Each text as a name, and as a class name where it fits one (20 characters).
        for (index, text) in dangerous.enumerated() {
            let quoted = "\"\(text.replacingOccurrences(of: "\"", with: "\"\""))\""
            roster += "G\(index),\(quoted),男,2015-01-01,\"=1+1校\",四年级,\(text.count <= 20 ? quoted : "\"=1+1班\"")\n"
        }
        try Data(roster.utf8).write(to: folder.appendingPathComponent("r.csv"))
        _ = try RosterImporter(database: database).importFile(folder.appendingPathComponent("r.csv"), term: term)
        var fitness = "年级编号,学籍号,姓名,性别,身高,体重,肺活量,50米跑,坐位体前屈,一分钟跳绳,一分钟仰卧起坐\n"
        for index in dangerous.indices { fitness += "14,G\(index),x,男,130,60,500,13,-5,10,5\n" }
        try Data(fitness.utf8).write(to: folder.appendingPathComponent("f.csv"))
        _ = try FitnessImporter(database: database, scorer: FitnessScorer.bundled()).importFile(
            folder.appendingPathComponent("f.csv"), term: term)
        var vision = "学籍号,姓名,右眼裸眼视力,左眼裸眼视力,右眼球镜,左眼球镜\n"
        for index in dangerous.indices { vision += "G\(index),x,4.5,4.6,-2.00,-2.00\n" }
        try Data(vision.utf8).write(to: folder.appendingPathComponent("v.csv"))
        _ = try VisionImporter(database: database).importFile(folder.appendingPathComponent("v.csv"), term: term)
        var psych = "学籍号,姓名,Q1,Q2,Q3,Q4,Q5,Q6,Q7,Q8,Q9\n"
        for index in dangerous.indices { psych += "G\(index),x,3,3,3,3,3,3,3,3,1\n" }
        try Data(psych.utf8).write(to: folder.appendingPathComponent("p.csv"))
        _ = try PsychImporter(database: database).importFile(
            folder.appendingPathComponent("p.csv"), term: term, scale: PsychScale.named("phq9"),
            screenedOn: "2025-10-15")

        let out = folder.appendingPathComponent("out")
        let named = ExportService(database: database, personalData: .named)
        var files = try named.exportSchoolLedgers(term: term, to: out)
        files.append(try named.exportCounty(term: term, to: out, today: "2025-10-20"))
        files.append(try named.exportUpload(term: term, school: "=1+1校", to: out))
        files.append(try named.exportPsych(school: "=1+1校", to: out, date: "2025-10-20"))
        #expect(files.count == 4)
        var seen = Set<String>()
        for file in files {
            let archive = try Archive(url: file, accessMode: .read)
            for entry in archive where entry.path.hasPrefix("xl/worksheets/sheet") {
                var data = Data()
                _ = try archive.extract(entry) { data.append($0) }
                let xml = String(decoding: data, as: UTF8.self)
                #expect(
                    !xml.contains("<f>") && !xml.contains("<f "),
                    "\(file.lastPathComponent) \(entry.path) has a formula")
            }
            for table in try openTables(at: file) {
                try table.forEachRow { row in
                    for cell in row.cells where dangerous.contains(cell) { seen.insert(cell) }
                    return true
                }
            }
            if file.lastPathComponent != "县级汇总与自评_2025-2026-1.xlsx" {
                #expect(
                    (try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? NSNumber)?
                        .intValue == 0o600, "\(file.lastPathComponent)")
            }
        }
        #expect(seen == Set(dangerous))  // written back as the same text
    }
}
