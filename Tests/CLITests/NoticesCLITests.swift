import Foundation
import Ingest
import Store
import TestSupport
import Testing

/// The notices to families and the health records through the CLI on the sample files: one page
/// per student, owner-only and audited, and Chinese messages with exit 1 for a class without
/// results or students and 2 for a mistyped subcommand or a missing option.
@Suite struct NoticesCLITests {
    @Test func aClassOfNoticesAndRecordsFromTheSampleFiles() throws {
        let folder = try temporaryFolder()
        #expect(try Jiance.run(["samples", "--students", "300", "--seed", "3", "--out", "s"], in: folder).status == 0)
        func files(_ path: String) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(path).path).sorted().map {
                "\(path)/\($0)"
            }
        }
        let term = ["--term", "2025-2026-1"]
        #expect(try Jiance.run(["import", "roster", "s/学校名单.xlsx"] + files("s/roster") + term, in: folder).status == 0)
        #expect(try Jiance.run(["import", "vision"] + files("s/vision/2025-2026-1") + term, in: folder).status == 0)
        _ = try Jiance.run(["import", "fitness"] + files("s/fitness") + term, in: folder)

        for kind in ["vision", "fitness"] {
            let result = try Jiance.run(
                ["export", "notices", kind, "--school", "示例县实验小学", "--class", "一年级1班", "--out", "n"], in: folder)
            #expect(result.status == 0, "\(result.error)")
            let count = try #require(
                result.output.firstMatch(of: /告知书 (\d+) 份/).flatMap { Int($0.output.1) }, "\(result.output)")
            #expect(count > 0)
            let path = try #require(try files("n").first { $0.contains(kind == "vision" ? "视力" : "体质") })
            let url = folder.appendingPathComponent(path)
            #expect(
                (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue
                    == 0o600)
            let titles = try sheetRows(url, "一年级 1班").filter { $0.cells.first?.hasSuffix("结果告知书") == true }
            #expect(titles.count == count, "one page per student with a result")
        }

        // The class's health records: one page per enrolled student, masked unless --named.
        for named in [false, true] {
            let out = named ? "named" : "masked"
            let result = try Jiance.run(
                ["export", "records", "--school", "示例县实验小学", "--class", "一年级1班", "--out", out]
                    + (named ? ["--named"] : []), in: folder)
            #expect(result.status == 0, "\(result.error)")
            #expect(result.output.contains(named ? "含学生姓名" : "姓名与学籍号已脱敏"))
            let count = try #require(
                result.output.firstMatch(of: /健康档案 (\d+) 份/).flatMap { Int($0.output.1) }, "\(result.output)")
            let url = folder.appendingPathComponent(try #require(try files(out).first))
            #expect(
                (try FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? NSNumber)?.intValue
                    == 0o600)
            let rows = try sheetRows(url, "一年级 1班")
            #expect(count > 0 && rows.filter { $0.cells.first == "学生健康档案" }.count == count)
            #expect(rows.contains { $0.cells.first?.hasPrefix("姓名：") == true && $0.cells[0].contains("*") } != named)
        }
        let audit = try JianceDatabase(path: folder.appendingPathComponent("jiance.sqlite").path)
        #expect(
            try AuditLog.entries(audit).map(\.action).filter { $0.hasSuffix("records") } == [
                "export-records", "export-named-records",
            ])
        let noStudents = try Jiance.run(
            ["export", "records", "--school", "示例县实验小学", "--class", "一年级9班"], in: folder)
        // A class the school does not have is named as missing, with the classes it has.
        #expect(
            noStudents.status == 1 && noStudents.error.contains("没有班级“一年级9班”")
                && noStudents.error.contains("一年级1班"), "\(noStudents.error)")
        #expect(try Jiance.run(["export", "records", "--class", "一年级1班"], in: folder).status == 2)

        let ambiguous = try Jiance.run(
            ["export", "notices", "vision", "--school", "示例县实验小学", "--class", "1班"], in: folder)
        #expect(ambiguous.status == 1 && ambiguous.error.contains("请写明年级"), "\(ambiguous.error)")
        let noResults = try Jiance.run(
            ["export", "notices", "fitness", "--school", "示例县实验小学", "--term", "2024-2025-1"], in: folder)
        #expect(noResults.status == 1 && noResults.error.contains("学期"), "\(noResults.error)")
        let mistyped = try Jiance.run(["export", "notices", "eyes", "--school", "示例县实验小学"], in: folder)
        #expect(
            mistyped.status == 2 && mistyped.error.contains("没有子命令“eyes”") && mistyped.error.contains("fitness、vision"))
    }
}
