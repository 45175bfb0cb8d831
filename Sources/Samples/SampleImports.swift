import Foundation
import Services
import Standards

/// One file of the sample county with the request that imports it.
public struct SampleImport {
    public var file: URL
    public var request: ImportRequest
    /// Files of the demonstrated term are reported with their findings; the other years' files,
    /// the screenings and the exams in one line each.
    public var detailed: Bool
}

/// The imports of `jiance demo`, grouped as a county receives them: three school years, oldest
/// first, then the national monitoring values. The folders and names are those `SampleFiles`
/// writes, so the two change together.
public struct SampleImportPlan {
    public var heading: String
    public var imports: [SampleImport]

    /// The plan for the sample county in `folder`, demonstrating `term`.
    public static func plan(folder: URL, term: Term) throws -> [SampleImportPlan] {
        let resources = try sampleFiles(in: folder.appendingPathComponent("resources"))
        let terms = [term.sameSeasonLastYear.sameSeasonLastYear, term.sameSeasonLastYear, term]
        var plan: [SampleImportPlan] = []
        for year in terms {
            let current = year == term
            // This term's files sit in unsuffixed folders.
            func files(_ name: String) throws -> [URL] {
                try sampleFiles(in: folder.appendingPathComponent(current ? name : "\(name)-\(year)"))
            }
            func imports(
                _ urls: [URL], _ kind: ImportKind, detailed: Bool,
                _ configure: (inout ImportRequest, URL) -> Void = { _, _ in }
            ) -> [SampleImport] {
                urls.map { url in
                    var request = ImportRequest(kind: kind, term: year)
                    configure(&request, url)
                    return SampleImport(file: url, request: request, detailed: detailed)
                }
            }
            let schoolList = year == terms[0] ? [folder.appendingPathComponent("学校名单.xlsx")] : []
            var steps = imports(schoolList + (try files("roster")), .roster, detailed: current)
            steps += imports(try files("fitness"), .fitness, detailed: current)
            steps += imports(
                try sampleFiles(in: folder.appendingPathComponent("vision/\(year)")), .vision, detailed: current)
            // The files name their scale (心理筛查_PHQ9_…); the autumn wave is screened on 15 October.
            steps += imports(try files("psych"), .psych, detailed: false) { request, url in
                request.scale =
                    ["PHQ9": "phq9", "GAD7": "gad7", "MHT": "mht"]
                    .first { url.lastPathComponent.contains($0.key) }?.value
                request.wave = "\(year.schoolYear)学年秋季心理筛查"
                request.screenedOn = CalendarDate(year: year.startYear, month: 10, day: 15)
            }
            steps += imports(try files("academic"), .academic, detailed: false) { request, _ in
                request.exam = "期中考试"
            }
            let returns = resources.filter {
                $0.lastPathComponent == "学校办学条件_\(year.startYear).xlsx"
            }
            steps += imports(returns, .resources, detailed: true) { request, _ in request.year = year.startYear }
            plan.append(
                SampleImportPlan(heading: "\(year.label)：学籍名册、体测、视力、心理筛查、考试成绩、办学条件", imports: steps))
        }
        let monitoring = resources.filter { $0.lastPathComponent.contains("质量监测") }.map {
            SampleImport(file: $0, request: ImportRequest(kind: .monitoring, term: term), detailed: true)
        }
        plan.append(SampleImportPlan(heading: "国家义务教育质量监测结果", imports: monitoring))
        return plan
    }

    /// The .xlsx, .xls and .csv files of a folder by name; none when the folder does not exist.
    private static func sampleFiles(in folder: URL) throws -> [URL] {
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { ["xlsx", "xls", "csv"].contains($0.pathExtension.lowercased()) }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
