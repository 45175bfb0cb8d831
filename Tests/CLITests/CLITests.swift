import Foundation
import Ingest
import Standards
import Store
import TestSupport
import Testing

@Suite(.serialized) struct CLITests {
    @Test func samplesImportTwiceThenExport() throws {
        let folder = try temporaryFolder()
        let generated = try Jiance.run(["samples", "--students", "600", "--seed", "7", "--out", "s"], in: folder)
        #expect(generated.status == 0, "\(generated.error)")
        let rosters = try FileManager.default.contentsOfDirectory(
            atPath: folder.appendingPathComponent("s/roster").path
        ).sorted().map { "s/roster/" + $0 }
        #expect(rosters.contains { $0.hasSuffix(".csv") })
        let arguments = ["import", "roster", "s/学校名单.xlsx"] + rosters + ["--term", "2025-2026-1"]
        let first = try Jiance.run(arguments, in: folder)
        #expect(first.status == 0, "\(first.output)\(first.error)")
        #expect(first.output.contains("新增"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("jiance.sqlite").path))
        let second = try Jiance.run(arguments, in: folder)
        #expect(second.status == 0)
        #expect(second.output.components(separatedBy: "没有任何变化").count - 1 == rosters.count + 1)

        let exported = try Jiance.run(["export", "ledgers", "--out", "out"], in: folder)
        #expect(exported.status == 0, "\(exported.error)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("out").path)
        #expect(files.count == 8)
        // Every student of the samples is in a ledger, with a Chinese name masked.
        var total = 0
        for file in files {
            let table = try openTables(at: folder.appendingPathComponent("out/\(file)"), sheet: "学生名册")[0]
            try table.forEachRow { row in
                if Double(row[0]) != nil {
                    total += 1
                    #expect(row[2].contains("*"))
                }
                return true
            }
        }
        #expect(total == 600)
    }

    @Test func databaseFromEnvironmentVariable() throws {
        let folder = try temporaryFolder()
        try Data("学籍号,姓名,性别,出生日期,学校\nG1,王堃,男,2019-01-01,实验小学\n".utf8).write(to: folder.appendingPathComponent("r.csv"))
        let result = try Jiance.run(
            ["import", "roster", "r.csv", "--term", "2025-2026学年第一学期"], in: folder,
            environment: ["JIANCE_DB": "elsewhere.sqlite"])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("已新建数据库 /") && result.error.contains("/elsewhere.sqlite"), "\(result.error)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("elsewhere.sqlite").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("jiance.sqlite").path))
    }

    @Test func gb18030RosterImportsWithCorrectNames() throws {
        let folder = try temporaryFolder()
        let csv =
            "学籍号,姓名,性别,出生日期,学校名称,年级编号,班级\r\nG1,王堃,1,2019/3/4,实验小学,11,1班\r\nG2,陈镕,2,2019/5/6,实验小学,11,1班\r\nG3,张喆,1,2019/7/8,实验小学,11,2班\r\n"
        try #require(csv.data(using: String.Encoding(rawValue: 0x8000_0632))).write(
            to: folder.appendingPathComponent("名册.csv"))
        #expect(try Jiance.run(["import", "roster", "名册.csv", "--term", "2025-2026-1"], in: folder).status == 0)
        #expect(try Jiance.run(["export", "ledgers", "--named", "--out", "out"], in: folder).status == 0)
        let table = try openTables(
            at: folder.appendingPathComponent("out/学校台账_实验小学_2025-2026-1_未脱敏.xlsx"), sheet: "学生名册")[0]
        var names: [String] = []
        try table.forEachRow { row in
            if Double(row[0]) != nil { names.append(row[2]) }
            return true
        }
        #expect(names == ["王堃", "陈镕", "张喆"])
    }

    @Test func rejectedRowsExitOneAndListEveryFinding() throws {
        let folder = try temporaryFolder()
        try Data("学籍号,姓名,性别,出生日期,学校\nG1,王五,男,2019-02-30,甲校\nG2,,女,2019-01-01,甲校\nG3,赵六,男,2019-01-01,甲校\n".utf8).write(
            to: folder.appendingPathComponent("bad.csv"))
        let result = try Jiance.run(["import", "roster", "bad.csv", "--term", "2025-2026-1"], in: folder)
        #expect(result.status == 1)
        #expect(result.output.contains("拒绝 2 行"))
        #expect(result.output.contains("第2行") && result.output.contains("出生日期"))
        #expect(result.output.contains("第3行") && result.output.contains("姓名为空"))
        let strict = try Jiance.run(["import", "roster", "bad.csv", "--term", "2025-2026-2", "--strict"], in: folder)
        #expect(strict.status == 1)
        #expect(strict.output.contains("整个文件未导入"))
    }

    /// One settings file gives the import both its county settings and its limits; a value of the
    /// wrong type is refused in Chinese, named by its key path.
    @Test func settingsFileGivesTheLimits() throws {
        let folder = try temporaryFolder()
        try Data("学籍号,姓名,性别,出生日期,学校\nG1,王五,男,2019-02-03,甲校\nG2,李四,女,2019-01-01,甲校\nG3,赵六,男,2019-01-01,甲校\n".utf8)
            .write(to: folder.appendingPathComponent("roster.csv"))
        try Data(#"{"limits": {"max_rows": 2}, "fitness": {"passing": 0.9}}"#.utf8).write(
            to: folder.appendingPathComponent("limits.json"))
        let limited = try Jiance.run(
            ["import", "roster", "roster.csv", "--term", "2025-2026-1", "--settings", "limits.json"], in: folder)
        #expect(limited.status == 1 && limited.output.contains("行数超过上限 2"), "\(limited.output)")
        try Data(#"{"limits": {"max_rows": 2}, "fitness": {"passing": "90%"}}"#.utf8).write(
            to: folder.appendingPathComponent("limits.json"))
        let refused = try Jiance.run(
            ["import", "roster", "roster.csv", "--term", "2025-2026-1"], in: folder,
            environment: ["JIANCE_SETTINGS": "limits.json"])
        #expect(refused.status == 2)
        #expect(refused.error.contains("设置文件 limits.json：设置项 fitness.passing 应为 0–1 的比例"), "\(refused.error)")
        // A problem of the file, not of the command line: no usage after it.
        #expect(!refused.error.contains("用法"), "\(refused.error)")
        // A refusal found while running shows the command's usage, in Chinese too.
        let noPassword = try Jiance.run(["user", "add", "bureau", "--role", "county"], in: folder)
        #expect(noPassword.status == 2, "\(noPassword.error)")
        #expect(noPassword.error.contains("用法：jiance user add <账号名> --role <角色>"), "\(noPassword.error)")
        // A password or role no account may have is a usage mistake too; a name taken is not.
        let weak = try Jiance.run(
            ["user", "add", "bureau", "--role", "county", "--password-stdin"], in: folder, input: "short1\n")
        #expect(weak.status == 2 && weak.error.contains("密码太弱") && weak.error.contains("用法："), "\(weak.error)")
        let noSchool = try Jiance.run(
            ["user", "add", "teacher", "--role", "school", "--password-stdin"], in: folder, input: "long-enough-1\n")
        #expect(noSchool.status == 2 && noSchool.error.contains("--school"), "\(noSchool.error)")
        let added = try Jiance.run(
            ["user", "add", "bureau", "--role", "county", "--password-stdin"], in: folder, input: "long-enough-1\n")
        #expect(added.status == 0, "\(added.error)")
        let again = try Jiance.run(
            ["user", "add", "bureau", "--role", "county", "--password-stdin"], in: folder, input: "long-enough-1\n")
        #expect(again.status == 1 && again.error.contains("已存在"), "\(again.error)")
    }

    @Test func brokenFilesAreFindingsNotCrashes() throws {
        let folder = try temporaryFolder()
        try Data("not a zip".utf8).write(to: folder.appendingPathComponent("fake.xlsx"))
        let result = try Jiance.run(
            ["import", "roster", "fake.xlsx", "missing.csv", "--term", "2025-2026-1"], in: folder)
        #expect(result.status == 1)
        #expect(result.output.contains("fake.xlsx") && result.output.contains("zip"))
        #expect(result.output.contains("missing.csv"))
    }

    /// `score` on a file that gives no student (a header alone, an empty file, a vision sheet
    /// given as fitness) exits 1 with a Chinese reason and prints nothing to standard output: a
    /// CSV header or `[]` there would read, for a script, as the scores of a file without students.
    @Test func scoreOfAFileWithoutStudentsPrintsNothing() throws {
        let folder = try temporaryFolder()
        try Data("学校名称,年级编号,班级名称,学籍号,姓名,性别,出生日期,身高,体重\n".utf8).write(
            to: folder.appendingPathComponent("只有表头.csv"))
        try Data().write(to: folder.appendingPathComponent("空.csv"))
        try Data("学籍号,姓名,性别,右眼裸眼视力,左眼裸眼视力\nG1,张三,1,5.0,4.8\n".utf8).write(
            to: folder.appendingPathComponent("视力.csv"))
        for (file, reason) in [
            ("只有表头.csv", "只有表头，没有数据行"), ("空.csv", "文件是空的"), ("视力.csv", "这像是视力筛查表，请用 jiance score vision 评分"),
        ] {
            for format in ["csv", "json"] {
                let scored = try Jiance.run(["score", "fitness", file, "--format", format], in: folder)
                #expect(scored.status == 1 && scored.output.isEmpty, "\(file) \(format): \(scored.output)")
                #expect(scored.error.contains(reason), "\(file): \(scored.error)")
            }
        }
        // A file with students still prints its header, then a line for each.
        try Data("学校名称,年级编号,班级名称,学籍号,姓名,性别,出生日期,身高,体重\n实验小学,11,1班,G1,张三,1,2019-03-01,120,22\n".utf8)
            .write(to: folder.appendingPathComponent("一人.csv"))
        let one = try Jiance.run(["score", "fitness", "一人.csv", "--format", "csv"], in: folder)
        #expect(
            one.output.split(separator: "\n").map { $0.prefix(21) } == [
                "student_id,grade,sex,", "G1,11,male,incomplete",
            ])
        // A weight typed with its unit: refused with what to type instead, the findings in the file's row order.
        try Data(
            "学校名称,年级编号,班级名称,学籍号,姓名,性别,出生日期,身高,体重\n实验小学,11,1班,G1,张三,1,2019-03-01,120,22\n实验小学,11,1班,G2,李四,2,2019-05-01,118,33kg\n"
                .utf8
        ).write(to: folder.appendingPathComponent("单位.csv"))
        let unit = try Jiance.run(["score", "fitness", "单位.csv", "--format", "csv"], in: folder)
        #expect(unit.status == 1 && unit.output.split(separator: "\n").count == 2)
        let lines = unit.error.split(separator: "\n")
        #expect(lines.count == 2 && lines[0].contains("第2行") && lines[1].contains("第3行"), "\(unit.error)")
        #expect(unit.error.contains("不是数字；请只填写数字，不带单位（体重以千克计"), "\(unit.error)")
    }

    @Test func selfAssessmentEndToEnd() throws {
        let folder = try temporaryFolder()
        #expect(try Jiance.run(["samples", "--students", "500", "--seed", "11", "--out", "s"], in: folder).status == 0)
        let rosters = try FileManager.default.contentsOfDirectory(
            atPath: folder.appendingPathComponent("s/roster").path
        ).map { "s/roster/" + $0 }
        #expect(
            try Jiance.run(["import", "roster", "s/学校名单.xlsx"] + rosters + ["--term", "2025-2026-1"], in: folder).status
                == 0)
        let exams = try FileManager.default.contentsOfDirectory(
            atPath: folder.appendingPathComponent("s/academic").path
        ).sorted().map { "s/academic/" + $0 }
        let academic = try Jiance.run(
            ["import", "academic"] + exams + ["--term", "2025-2026-1", "--exam", "期中考试"], in: folder)
        #expect(academic.status == 0, "\(academic.output)")
        #expect(
            try Jiance.run(["import", "academic", exams[0], "--term", "2025-2026-1", "--exam", "期中考试"], in: folder)
                .output.contains("没有任何变化"))
        let resources = try Jiance.run(
            ["import", "resources", "s/resources/学校办学条件_2025.xlsx", "--year", "2025"], in: folder)
        #expect(resources.status == 0, "\(resources.output)")
        let monitoring = try Jiance.run(["import", "monitoring", "s/resources/国家义务教育质量监测_县域结果_2024.xlsx"], in: folder)
        #expect(monitoring.status == 0, "\(monitoring.output)")

        let table = try Jiance.run(["report", "--term", "2025-2026-1"], in: folder)
        #expect(table.status == 0, "\(table.error)")
        #expect(table.output.contains("自评汇总") && table.output.contains("差异系数") && table.output.contains("（预估）"))
        #expect(table.output.contains("不参评：石桥乡西沟教学点"))
        let report = try Jiance.run(["report", "--format", "json"], in: folder)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any])
        let assessment = try #require(json["assessment"] as? [String: Any])
        let groups = try #require((assessment["academic"] as? [String: Any])?["groups"] as? [[String: Any]])
        let math4 = try #require(groups.first { $0["subject"] as? String == "数学" && $0["grade"] as? Int == 14 })
        #expect(math4["difference_is_estimate"] as? Bool == false)  // the monitoring report's 0.12
        #expect(math4["checked_difference"] as? Double == 0.12)
        let chinese4 = try #require(groups.first { $0["subject"] as? String == "语文" && $0["grade"] as? Int == 14 })
        #expect(chinese4["difference_is_estimate"] as? Bool == true)
        let parts = try #require((assessment["resources"] as? [String: Any])?["schools"] as? [[String: Any]])
        // two schools, two parts each
        #expect(parts.filter { ($0["school"] as? String)?.contains("九年一贯制") == true }.count == 4)

        #expect(try Jiance.run(["export", "county", "--out", "out"], in: folder).status == 0)
        let sheets = try openTables(at: folder.appendingPathComponent("out/县级汇总与自评_2025-2026-1.xlsx")).compactMap(
            \.sheetName)
        #expect(Array(sheets.prefix(3)) == ["自评汇总", "资源配置", "学业质量"])

        let template = try Jiance.run(["template", "resources", "--out", "模板.xlsx"], in: folder)
        #expect(template.status == 0 && template.output.contains("已预填"))
        #expect(try Jiance.run(["import", "resources", "模板.xlsx"], in: folder).status == 2)  // --year missing
        // --exam missing
        #expect(try Jiance.run(["import", "academic", exams[0], "--term", "2025-2026-1"], in: folder).status == 2)
        let unknownExam = try Jiance.run(["report", "--exam", "期末考试"], in: folder)
        #expect(unknownExam.status == 1 && unknownExam.error.contains("已有：期中考试"))
    }

    /// Every JSON document the CLI prints comes from one encoder: it parses, every object's keys
    /// are sorted, and an absent value is `null`, not a missing key.
    @Test func jsonOutputComesFromOneEncoder() throws {
        let folder = try temporaryFolder()
        #expect(try Jiance.run(["samples", "--students", "300", "--seed", "3", "--out", "s"], in: folder).status == 0)
        let rosters = try FileManager.default.contentsOfDirectory(
            atPath: folder.appendingPathComponent("s/roster").path
        ).map { "s/roster/" + $0 }
        _ = try Jiance.run(["import", "roster", "s/学校名单.xlsx"] + rosters + ["--term", "2025-2026-1"], in: folder)
        let fitness = try FileManager.default.contentsOfDirectory(
            atPath: folder.appendingPathComponent("s/fitness").path
        ).sorted().map { "s/fitness/" + $0 }
        _ = try Jiance.run(["import", "fitness"] + fitness + ["--term", "2025-2026-1"], in: folder)
        for arguments in [
            ["report", "--format", "json"], ["trend", "--format", "json"],
            ["score", "fitness", fitness[0], "--format", "json"],
        ] {
            let output = try Jiance.run(arguments, in: folder).output
            #expect(throws: Never.self) { try JSONSerialization.jsonObject(with: Data(output.utf8)) }
            // Each pair of neighbouring keys, as the text has them, is in order.
            let pairs = output.matches(of: /"([a-z_0-9]+)":[^{}\[\]",]*,"([a-z_0-9]+)":/)
            #expect(pairs.count > 20, "\(arguments)")
            for pair in pairs { #expect(pair.output.1 < pair.output.2, "\(arguments): \(pair.output.0)") }
        }
        let report =
            try JSONSerialization.jsonObject(
                with: Data(try Jiance.run(["report", "--format", "json"], in: folder).output.utf8)) as? [String: Any]
        let county = try #require((report?["fitness"] as? [String: Any])?["county"] as? [String: Any])
        #expect(county.keys.contains("code") && county["code"] is NSNull)
    }

    /// Every help text and every usage error a person meets is Chinese: after command names,
    /// option names and placeholders are set aside, no English phrase remains.
    @Test func helpAndErrorsAreChinese() throws {
        let folder = try temporaryFolder()
        var texts: [String] = []
        let helps = [
            "", "import", "batches", "undo", "score", "report", "trend", "export", "template", "samples", "demo",
            "export ledgers", "export county",
            "export trend", "export upload", "export psych", "export notices vision", "export notices fitness",
            "export records", "score fitness", "score vision", "score psych", "record", "serve", "user add",
            "user passwd",
        ]
        for command in helps {
            let result = try Jiance.run(["help"] + command.split(separator: " ").map(String.init), in: folder)
            #expect(result.status == 0, "help \(command)")
            texts.append(result.output + result.error)
        }
        let mistakes = [
            ["import", "fitness", "--term", "2025-1", "x.csv"], ["import", "roster", "--bogus", "x.csv"], ["import"],
            ["undo"], ["undo", "abc"],
            ["export", "ledgers", "--round", "x"], ["report", "--format", "xml"], ["score", "psych", "x.xlsx"],
            ["frobnicate"], ["report", "--db", "typo.sqlite"],
        ]
        for arguments in mistakes {
            let result = try Jiance.run(arguments, in: folder)
            #expect(result.status == 1 || result.status == 2, "\(arguments): \(result.status)")
            texts.append(result.output + result.error)
        }
        // A value in the wrong form is named with the form expected.
        let term = try Jiance.run(["import", "fitness", "x.csv", "--term", "2025-2026-3"], in: folder)
        #expect(term.status == 2 && term.error.contains("如 2025-2026-1（第一学期）"), "\(term.error)")
        let year = try Jiance.run(["import", "resources", "x.xlsx", "--year", "25"], in: folder)
        #expect(year.status == 2 && year.error.contains("--year 25 不是有效的统计年度：请写四位年份"), "\(year.error)")
        let names = try Regex(
            #"jiance( [a-z_]+)*|--?[a-z][a-z-]*|<[^>]*>|\[[^\]]*\]|'[^']*'|[a-z_]+\.(sqlite|csv|xlsx)|\b(table|json|csv|phq9|phq_a|gad7|mht|scl90|sdq|dsrsc|scared|cesd|roster|fitness|vision|psych|academic|monitoring|resources|followup|ledgers|county|trend|upload|OK|OD|OS|BMI|SE|VA|ID|GB|JSON|UTF|CSV)\b"#
        )
        let english = try Regex(#"[A-Za-z]{2,}[ ,.]+[A-Za-z]{2,}[ ,.]+[A-Za-z]{2,}"#)
        for text in texts {
            // The parser's own words, which the pattern below would let through one at a time.
            for word in ["default:", "values:", "<options>", "<subcommand>", "OVERVIEW", "USAGE"] {
                #expect(!text.contains(word), "\(word) in: \(text.prefix(300))")
            }
            // An option's value is named in Chinese: `--db <数据库文件>`, not `--db <db>`.
            if let placeholder = text.firstMatch(of: /<[a-z_-]+>/) {
                Issue.record("English placeholder \(placeholder.output) in: \(text.prefix(300))")
            }
            for line in text.split(separator: "\n") {
                let rest = String(line).replacing(names, with: "")
                #expect(rest.firstMatch(of: english) == nil, "English in: \(line)")
                // The parser adds an option's default (`（默认：8080）`): the help text does not say it too.
                if line.contains("（默认：") {
                    #expect(line.components(separatedBy: "默认").count == 2, "default stated twice: \(line)")
                }
            }
        }
    }

    @Test func usageErrorsExitTwo() throws {
        let folder = try temporaryFolder()
        #expect(try Jiance.run(["import", "roster", "x.csv", "--term", "2025-2027-1"], in: folder).status == 2)
        #expect(try Jiance.run(["import", "vitamins", "x.csv", "--term", "2025-2026-1"], in: folder).status == 2)
        #expect(try Jiance.run(["frobnicate"], in: folder).status == 2)
    }

    /// `jiance demo` in an empty folder: it generates the sample county, then runs everything.
    @Test func demoWritesReadableWorkbooks() throws {
        let folder = try temporaryFolder()
        let demo = try Jiance.run(["demo"], in: folder)
        #expect(demo.status == 0, "\(demo.error)")
        #expect(
            demo.output.contains("先生成示例县")
                && FileManager.default.fileExists(atPath: folder.appendingPathComponent("samples/学校名单.xlsx").path))
        #expect(demo.output.contains("在校学生 3000 人"))
        #expect(demo.output.contains("导入发现：数据错误"))
        #expect(demo.output.contains("优良率"))
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("exports").path)
            .filter { $0.hasSuffix(".xlsx") }
        #expect(files.filter { $0.hasPrefix("学校台账_") }.count == 8)
        #expect(files.contains("县级汇总与自评_2025-2026-1.xlsx"))
        let ledger = try #require(files.first { $0.hasPrefix("学校台账_") })
        let sheets = try openTables(at: folder.appendingPathComponent("exports/\(ledger)")).compactMap(\.sheetName)
        // 未建档学生 (after 趋势) only where some student lacks a screening or test this year.
        #expect(
            sheets.filter { $0 != "未建档学生" } == [
                "学生名册", "班级人数", "体质概览", "体质成绩明细", "不及格学生台账", "肥胖学生台账", "视力概览", "视力转诊台账", "趋势", "字典",
            ])
        #expect(files.contains { $0.hasPrefix("趋势_") })

        // Three school years of samples: every indicator family has a value in each of them.
        let trend = try Jiance.run(["trend", "--format", "json", "--db", "exports/demo.sqlite"], in: folder)
        #expect(trend.status == 0, "\(trend.error)")
        let trendJSON = try #require(try JSONSerialization.jsonObject(with: Data(trend.output.utf8)) as? [String: Any])
        #expect(trendJSON["terms"] as? [String] == ["2023-2024-1", "2024-2025-1", "2025-2026-1"])
        let indicators = try #require(trendJSON["county"] as? [String: [String: Any]])
        for key in ["good_or_better_rate", "myopia_rate"] {
            #expect((indicators[key]?["points"] as? [Any])?.count == 3)
        }
        let myopiaPoints = try #require(indicators["myopia_rate"]?["points"] as? [[String: Any]])
        #expect(myopiaPoints[2]["previous"] as? String == "2024-2025-1")
        #expect(((trendJSON["cohorts"] as? [String: Any])?["fitness"] as? [String: Any])?["followed"] as? Int ?? 0 > 0)
        let table = try Jiance.run(["trend", "--from", "2024-2025-1", "--db", "exports/demo.sqlite"], in: folder)
        #expect(table.output.contains("需要关注的学校") && !table.output.contains("2023-2024-1 "))

        // The county workbook's 全县 优良率 is the report's.
        let report = try Jiance.run(["report", "--format", "json", "--db", "exports/demo.sqlite"], in: folder)
        #expect(report.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any])
        let county = try #require((json["fitness"] as? [String: Any])?["county"] as? [String: Any])
        let rate = try #require(county["good_or_better_rate"] as? Double)
        var countyRow: RawRow?
        var schoolRows = 0
        try openTables(at: folder.appendingPathComponent("exports/县级汇总与自评_2025-2026-1.xlsx"), sheet: "体质健康")[0]
            .forEachRow { row in
                if row[1] == "全县" { countyRow = row }
                if Int(row[0]) != nil { schoolRows += 1 }
                return true
            }
        #expect(schoolRows == 8)
        let workbookRate = try #require(Double(countyRow?[10] ?? ""))
        #expect(abs(workbookRate - rate) < 0.0001)
        #expect(county["tested"] as? Int == Int(countyRow?[6] ?? ""))
    }

    /// Import the sample fitness round, score it statelessly, export one school in the national
    /// layout and import that file again: the same scores, so nothing changes.
    @Test func fitnessImportScoreExportUploadRoundTrip() throws {
        let folder = try temporaryFolder()
        #expect(try Jiance.run(["samples", "--students", "500", "--seed", "11", "--out", "s"], in: folder).status == 0)
        let manager = FileManager.default
        let rosters = try manager.contentsOfDirectory(atPath: folder.appendingPathComponent("s/roster").path).map {
            "s/roster/" + $0
        }
        #expect(
            try Jiance.run(["import", "roster", "s/学校名单.xlsx"] + rosters + ["--term", "2025-2026-1"], in: folder).status
                == 0)
        let results = try manager.contentsOfDirectory(atPath: folder.appendingPathComponent("s/fitness").path).sorted()
            .map { "s/fitness/" + $0 }
        let imported = try Jiance.run(["import", "fitness"] + results + ["--term", "2025-2026-1"], in: folder)
        // The samples hold an impossible 50 m time in every school of 42 or more students: rejected, reported, exit 1.
        #expect(imported.status == 1)
        #expect(imported.output.contains("50米跑成绩不合理"))
        for file in results { #expect(imported.output.contains((file as NSString).lastPathComponent)) }

        let scored = try Jiance.run(["score", "fitness", results[0], "--format", "json"], in: folder)
        let records = try #require(try JSONSerialization.jsonObject(with: Data(scored.output.utf8)) as? [[String: Any]])
        // One record per data row of the file, but the rows rejected with an error.
        var dataRows = 0
        try openTables(at: folder.appendingPathComponent(results[0]))[0].forEachRow { row in
            if row.number > 1, !row.isBlank { dataRows += 1 }
            return true
        }
        let rejectedRows = Set(
            scored.error.split(separator: "\n").filter { $0.contains("[错误]") }.compactMap {
                $0.firstMatch(of: /第(\d+)行/).map { String($0.output.1) }
            })
        #expect(
            dataRows > 40 && records.count + rejectedRows.count == dataRows,
            "\(records.count) + \(rejectedRows.count) ≠ \(dataRows)")
        #expect(records.allSatisfy { ["scored", "incomplete", "exempt"].contains($0["status"] as? String ?? "") })
        let csv = try Jiance.run(["score", "fitness", results[0], "--format", "csv"], in: folder)
        #expect(csv.output.split(separator: "\n").count == records.count + 1)

        let report = try Jiance.run(["report"], in: folder)
        #expect(report.status == 0 && report.output.contains("全县") && report.output.contains("优良率"))

        let school = try #require(results[0].split(separator: "_").last?.split(separator: ".").first.map(String.init))
        let upload = try Jiance.run(["export", "upload", "--school", school, "--out", "up"], in: folder)
        #expect(upload.status == 0, "\(upload.error)")
        let file = try #require(try manager.contentsOfDirectory(atPath: folder.appendingPathComponent("up").path).first)
        let again = try Jiance.run(["import", "fitness", "up/\(file)", "--term", "2025-2026-1"], in: folder)
        #expect(again.status == 0, "\(again.output)")
        #expect(again.output.contains("新增 0，更新 0"))
        #expect(again.output.contains("数据库中已有相同数据"))
    }

    /// Two autumn screenings a year apart: stateless scoring of both file layouts, import,
    /// the yearly drop in the report, and the boundary setting from a settings file.
    @Test func visionScoreImportReport() throws {
        let folder = try temporaryFolder()
        #expect(try Jiance.run(["samples", "--students", "600", "--seed", "5", "--out", "s"], in: folder).status == 0)
        let manager = FileManager.default
        let rosters = try manager.contentsOfDirectory(atPath: folder.appendingPathComponent("s/roster").path).map {
            "s/roster/" + $0
        }
        #expect(
            try Jiance.run(["import", "roster", "s/学校名单.xlsx"] + rosters + ["--term", "2025-2026-1"], in: folder).status
                == 0)
        var files: [String: [String]] = [:]
        for term in ["2024-2025-1", "2025-2026-1"] {
            files[term] = try manager.contentsOfDirectory(
                atPath: folder.appendingPathComponent("s/vision/\(term)").path
            ).sorted().map { "s/vision/\(term)/" + $0 }
        }
        let device = try #require(files["2025-2026-1"]?.first { $0.hasSuffix(".csv") })
        let scored = try Jiance.run(["score", "vision", device, "--format", "json"], in: folder)
        #expect(scored.status == 0, "\(scored.error)")
        #expect(scored.error.contains("近视判定"))
        let records = try #require(try JSONSerialization.jsonObject(with: Data(scored.output.utf8)) as? [[String: Any]])
        #expect(records.count > 20)
        #expect(
            records.contains { ($0["myopic"] as? Bool) == true }
                && records.contains { ($0["myopic"] as? Bool) == false })
        #expect(records.contains { $0["myopic"] is NSNull })
        let csv = try Jiance.run(["score", "vision", files["2025-2026-1"]![0], "--format", "csv"], in: folder)
        #expect(csv.output.hasPrefix("student_id,grade_code,sex,right_va,right_se,right_myopic"))

        for (term, list) in files {
            let imported = try Jiance.run(
                ["import", "vision"] + list + ["--term", term, "--school", "示例县实验小学"], in: folder)
            #expect(imported.status == 0, "\(imported.output)")
        }
        let report = try Jiance.run(["report", "--format", "json"], in: folder)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any])
        let vision = try #require(json["vision"] as? [String: Any])
        #expect(vision["previous_term"] as? String == "2024-2025-1")
        let county = try #require(vision["county"] as? [String: Any])
        let yearly = try #require(county["yearly"] as? [String: Any])
        #expect(yearly["drop_pp"] is Double && yearly["meets"] is Bool)
        #expect((vision["schools"] as? [Any])?.count == 8)

        try Data(#"{"vision": {"boundary": "<=", "baseline_year": 2024}}"#.utf8).write(
            to: folder.appendingPathComponent("jiance-settings.json"))
        let table = try Jiance.run(["report"], in: folder)
        #expect(table.output.contains("等效球镜 ≤ -0.50 D") && table.output.contains("较基线下降"))
        try Data(#"{"vision": {"boundary": "<<"}}"#.utf8).write(
            to: folder.appendingPathComponent("jiance-settings.json"))
        #expect(try Jiance.run(["report"], in: folder).status == 2)
    }

    /// A psychological screening wave: stateless scoring, import, counts without names, the
    /// confidential export with its audit entry.
    @Test func psychScoreImportReportExport() throws {
        let folder = try temporaryFolder()
        #expect(try Jiance.run(["samples", "--students", "600", "--seed", "9", "--out", "s"], in: folder).status == 0)
        let manager = FileManager.default
        let rosters = try manager.contentsOfDirectory(atPath: folder.appendingPathComponent("s/roster").path).map {
            "s/roster/" + $0
        }
        #expect(
            try Jiance.run(["import", "roster", "s/学校名单.xlsx"] + rosters + ["--term", "2025-2026-1"], in: folder).status
                == 0)
        let phq = try #require(
            try manager.contentsOfDirectory(atPath: folder.appendingPathComponent("s/psych").path).first {
                $0.contains("PHQ9")
            })
        let scored = try Jiance.run(
            ["score", "psych", "s/psych/\(phq)", "--scale", "phq9", "--format", "json"], in: folder)
        #expect(scored.status == 0, "\(scored.error)")
        let records = try #require(try JSONSerialization.jsonObject(with: Data(scored.output.utf8)) as? [[String: Any]])
        #expect(records.count > 50 && records.allSatisfy { $0["scale"] as? String == "phq9" })
        #expect(try Jiance.run(["score", "psych", "s/psych/\(phq)"], in: folder).status == 2)  // --scale is required

        // A term that has not begun, a screening date outside the term's school year, or in the
        // future, is a usage error.
        let future = try Jiance.run(
            ["import", "psych", "s/psych/\(phq)", "--term", "2099-2100-1", "--scale", "phq9"], in: folder)
        #expect(future.status == 2 && future.error.contains("还没有开始"), "\(future.error)")
        for date in ["2030-01-01", "2025-08-31", "2026-09-01"] {
            let refused = try Jiance.run(
                ["import", "psych", "s/psych/\(phq)", "--term", "2025-2026-1", "--scale", "phq9", "--date", date],
                in: folder)
            #expect(
                refused.status == 2 && refused.error.contains("不在2025-2026学年第一学期所在的 2025-2026 学年内"), "\(refused.error)")
        }
        let imported = try Jiance.run(
            ["import", "psych", "s/psych/\(phq)", "--term", "2025-2026-1", "--scale", "PHQ-9", "--date", "2025-10-15"],
            in: folder)
        #expect(imported.status == 0, "\(imported.output)")
        let report = try Jiance.run(["report", "--format", "json"], in: folder)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.output.utf8)) as? [String: Any])
        let county = try #require((json["psych"] as? [String: Any])?["county"] as? [String: Any])
        #expect((county["screened"] as? Int ?? 0) > 50)
        // No names anywhere in the report.
        let names = records.compactMap { $0["student_id"] as? String }
        #expect(!names.contains { report.output.contains($0) })

        let school = try #require(
            try manager.contentsOfDirectory(atPath: folder.appendingPathComponent("s/roster").path).first?.split(
                separator: "_"
            ).last?.split(separator: ".").first.map(String.init))
        let exported = try Jiance.run(["export", "psych", "--school", school, "--out", "out"], in: folder)
        #expect(exported.status == 0, "\(exported.error)")
        let file = try #require(
            try manager.contentsOfDirectory(atPath: folder.appendingPathComponent("out").path).first)
        #expect(
            (try manager.attributesOfItem(atPath: folder.appendingPathComponent("out/\(file)").path)[.posixPermissions]
                as? NSNumber)?.intValue == 0o600)
        // The export is in the audit log: who, what, which file, how many, masked.
        let audit = try AuditLog.entries(JianceDatabase(path: folder.appendingPathComponent("jiance.sqlite").path))
        let entry = try #require(audit.last { $0.action.hasPrefix("export-psych") }, "\(audit.map(\.action))")
        #expect(
            entry.action == "export-psych-masked" && entry.target == file && entry.detail.contains(school)
                && entry.detail.contains("已脱敏"), "\(entry)")
        #expect(!entry.actor.isEmpty)
    }

    /// A score sheet with names only and no 年级 column (a score-analysis tool's, Tests/Fixtures/
    /// realworld): each student's grade comes from this term's roster, so that the exam counts in
    /// the report; students on no roster of this term are counted as without a grade.
    @Test func namesOnlyScoreSheetTakesTheGradeFromTheRoster() throws {
        let sheet = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/realworld/exam_title_row_names_only.xlsx").path
        let folder = try temporaryFolder()
        try Data(#"{"academic": {"full_marks": {"语文": 150, "数学": 150, "英语": 150}}}"#.utf8).write(
            to: folder.appendingPathComponent("jiance-settings.json"))
        func roster(grade: Int, term: String) throws -> Int32 {
            try Data(
                "学籍号,姓名,性别,出生日期,学校名称,年级编号,班级\nG1,A,1,2010-01-01,一中,\(grade),1班\nG2,B,2,2010-01-01,一中,\(grade),1班\nG3,C,1,2010-01-01,一中,\(grade),2班\n"
                    .utf8
            ).write(to: folder.appendingPathComponent("roster.csv"))
            return try Jiance.run(["import", "roster", "roster.csv", "--term", term], in: folder).status
        }
        let exam = ["import", "academic", sheet, "--term", "2025-2026-1", "--exam", "期末考试", "--school", "一中"]
        // Known by 学籍号 from last year's roster only: no grade this term.
        #expect(try roster(grade: 22, term: "2024-2025-1") == 0)
        try Data("学籍号,姓名,语文\nG1,A,88\nG2,B,90\n".utf8).write(to: folder.appendingPathComponent("quiz.csv"))
        let lastYearsRoster = try Jiance.run(
            ["import", "academic", "quiz.csv", "--term", "2025-2026-1", "--exam", "小测", "--school", "一中"], in: folder)
        #expect(lastYearsRoster.output.contains("2 名学生的年级未知"), "\(lastYearsRoster.output)")

        #expect(try roster(grade: 23, term: "2025-2026-1") == 0)
        let imported = try Jiance.run(exam, in: folder)
        #expect(imported.status == 0 && !imported.output.contains("年级未知"), "\(imported.output)")
        let report = try Jiance.run(["report", "--term", "2025-2026-1", "--exam", "期末考试"], in: folder)
        #expect(report.status == 0 && report.output.contains("初三"), "\(report.output)\(report.error)")
    }
}
