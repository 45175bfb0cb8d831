import Foundation
import Ingest
import TestSupport
import Testing

/// The notices to families through the CLI on the sample files: one page per student with a
/// result, owner-only, and Chinese messages with exit 1 for a class without results and 2 for a
/// mistyped subcommand.
@Suite struct NoticesCLITests {
    @Test func aClassOfNoticesFromTheSampleFiles() throws {
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
