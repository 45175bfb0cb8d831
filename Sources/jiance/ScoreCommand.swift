import ArgumentParser
import Foundation
import Ingest
import Standards

struct ScoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "score",
        abstract: "无状态评分：读取文件、逐个学生评分并输出，不读写数据库",
        discussion: "输出到标准输出（每个学生一条记录）；被拒绝的行与问题输出到标准错误，有错误时退出码为 1。")

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case fitness, vision, psych

        /// The table a file of this kind is.
        var table: TableKind {
            switch self {
            case .fitness: .fitness
            case .vision: .vision
            case .psych: .psych
            }
        }
    }
    enum Format: String, ExpressibleByArgument, CaseIterable { case csv, json }

    @Argument(help: ArgumentHelp("数据类型：fitness（国家学生体质健康标准）、vision（视力筛查）、psych（心理筛查量表）", valueName: "类型"))
    var kind: Kind

    @Argument(help: ArgumentHelp("成绩或筛查文件（.xlsx、.xls 或 .csv）", valueName: "文件"))
    var file: String

    @Option(help: ArgumentHelp("输出格式：csv 或 json", valueName: "格式"))
    var format: Format = .json

    @Option(help: ArgumentHelp("学期（用于计算年龄）", valueName: "学期"))
    var term: Term = Term(startYear: 2025, semester: 1)!

    @OptionGroup var vision: VisionOptions

    @Option(help: ArgumentHelp("心理量表：phq9、phq_a、gad7、mht、scl90、sdq、dsrsc、scared、cesd", valueName: "量表"))
    var scale: String?

    @OptionGroup var settings: SettingsOptions

    func validate() throws {
        if kind == .psych {
            guard let scale else { throw ValidationError("心理筛查需要 --scale（\(PsychScale.ids.joined(separator: "、"))）") }
            guard PsychScale.ids.contains(PsychScale.normalizedID(scale)) else {
                throw ValidationError("未知量表 \(scale)（可用：\(PsychScale.ids.joined(separator: "、"))）")
            }
        }
    }

    func run() throws {
        let url = URL(fileURLWithPath: file)
        let fileName = url.lastPathComponent
        var findings: [Finding] = []
        var summary: ReadSummary
        let term = term
        // Each file is read on a second thread while this one writes the output (psych and
        // vision rows are scored there too; fitness rows here, see below).
        let batches = ReadAheadPipeline.scoringBatches
        switch kind {
        case .fitness:
            let scorer = try FitnessScorer.bundled()
            var writer = FitnessScoreWriter(format: format)
            // Three threads: the cells are read on one, parsed on another, and scored and written
            // on this one, the lightest of the three (parsing a row costs more than its scoring
            // and writing together).
            summary = try ReadAheadPipeline.run(
                batchSize: batches.size, capacity: batches.capacity,
                produce: { emit in
                    var reader = FitnessReader(term: term)
                    reader.readAhead = true
                    return try reader.read(url) { record in try emit(consume record) }
                },
                consume: { record in
                    var score = scorer.score(record.input)
                    if let disagreement = record.claimed.disagreement(with: score) {
                        score.findings.append(disagreement)
                    }
                    findings.append(contentsOf: score.findings.located(file: fileName, row: record.row))
                    try writer.write(score, raw: record)
                })
            writer.end()
        case .psych:
            let psychScale = try PsychScale.named(scale ?? "")
            let scorer = PsychScorer(settings: try settings.load().county.psych)
            FileHandle.standardError.write(Data((scorer.settings.description + "\n").utf8))
            var writer = PsychResultWriter(format: format)
            summary = try ReadAheadPipeline.run(
                batchSize: batches.size, capacity: batches.capacity,
                produce: { emit in
                    try PsychReader(term: term, scale: psychScale).read(url) { record in
                        var result = scorer.score(record.answers, scale: psychScale)
                        result.findings = result.findings.located(file: fileName, row: record.row)
                        try emit(result)
                    }
                },
                consume: { result in
                    findings.append(contentsOf: result.findings)
                    try writer.write(result)
                })
            writer.end()
        case .vision:
            let classifier = VisionClassifier(settings: vision.settings)
            FileHandle.standardError.write(Data((vision.settings.description + "\n").utf8))
            var writer = VisionResultWriter(format: format)
            summary = try ReadAheadPipeline.run(
                batchSize: batches.size, capacity: batches.capacity,
                produce: { emit in
                    try VisionReader(term: term).read(url) { record in
                        var result = classifier.classify(record.input)
                        result.findings = result.findings.located(file: fileName, row: record.row)
                        try emit(result)
                    }
                },
                consume: { result in
                    findings.append(contentsOf: result.findings)
                    try writer.write(result)
                })
            writer.end()
        }
        summary = Self.requiringRows(summary, file: fileName)
        // In the file's order: a row's refusal and its scoring remarks come from different threads.
        let problems = (summary.findings + findings).enumerated()
            .sorted { ($0.element.row ?? 0, $0.offset) < ($1.element.row ?? 0, $1.offset) }
            .map { Self.scoringAdvice($0.element) }
        if !problems.isEmpty {
            FileHandle.standardError.write(Data((problems.map(\.description).joined(separator: "\n") + "\n").utf8))
        }
        if summary.hasErrors { throw InputHadErrors() }
    }

    /// The readers' refusals name the importer of the kind a file looks like ("请用 jiance import
    /// vision 导入"); someone scoring wants the scorer of that kind instead.
    private static func scoringAdvice(_ finding: Finding) -> Finding {
        var adapted = finding
        for kind in Kind.allCases {
            adapted.message = adapted.message.replacingOccurrences(
                of: kind.table.importAdvice, with: "请用 jiance score \(kind.rawValue) 评分")
        }
        return adapted
    }

    /// A file with a header and no rows is an error, as on import: scoring nothing is almost
    /// always the wrong file or sheet, and a silent empty result would hide it.
    private static func requiringRows(_ summary: ReadSummary, file: String) -> ReadSummary {
        guard summary.rowsRead == 0, !summary.hasErrors else { return summary }
        var summary = summary
        summary.findings.append(Finding(.error, "文件中只有表头，没有数据行；请检查是否选错了文件或工作表", file: file))
        return summary
    }
}

/// The settings of the myopia rule, shared by every command that classifies screenings.
struct VisionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("等效球镜界值的比较：'<'（SE < -0.50 D 为近视）或 '<='", valueName: "比较"))
    var boundary: String = "<"

    @Flag(help: "6 岁以下儿童也按 5.0 判定（默认按 4.9）")
    var noUnderSixThreshold = false

    var settings: VisionSettings {
        VisionSettings(
            boundary: VisionSettings.Boundary(rawValue: boundary) ?? .lessThan, underSixThreshold: !noUnderSixThreshold)
    }

    func validate() throws {
        guard VisionSettings.Boundary(rawValue: boundary) != nil else {
            throw ValidationError("--boundary 只能是 '<' 或 '<='")
        }
    }
}
