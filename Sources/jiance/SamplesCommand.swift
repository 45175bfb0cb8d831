import ArgumentParser
import Foundation
import Samples

struct SamplesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "samples",
        abstract: "生成合成的示例县数据（同一种子总是生成相同的文件）")

    @Option(help: ArgumentHelp("学生人数", valueName: "人数"))
    var students = 3000

    @Option(help: ArgumentHelp("随机种子", valueName: "种子"))
    var seed: UInt64 = 2025

    @Option(help: ArgumentHelp("输出文件夹", valueName: "文件夹"))
    var out = "samples"

    func validate() throws {
        guard students > 0, students <= 20_000_000 else { throw ValidationError("学生人数应在 1 到 20,000,000 之间") }
    }

    func run() throws {
        try Self.generate(students: students, seed: seed, out: out)
    }

    /// Writes the sample county (also what `jiance demo` runs on where there is no samples folder).
    static func generate(students: Int = 3000, seed: UInt64 = 2025, out: String) throws {
        // "The same seed gives the same files", byte for byte: workbooks carry a fixed creation
        // time (2025-09-01 UTC) unless SOURCE_DATE_EPOCH says otherwise.
        setenv("SOURCE_DATE_EPOCH", "1756684800", 0)
        let county = SampleCounty(students: students, seed: seed)
        let files = try SampleFiles(county: county, seed: seed).write(to: URL(fileURLWithPath: out)) { stage in
            TerminalProgress.show("正在生成：\(stage)…")
        }
        TerminalProgress.clear()
        print("已生成 \(county.schools.count) 所学校、\(county.students.count) 名学生的示例数据（\(files.count) 个文件）到 \(out)/")
    }
}
