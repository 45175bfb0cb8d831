import Foundation
import Ingest
import Standards
import TestSupport

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
let badFixtures = packageRoot.appendingPathComponent("Tests/Fixtures/bad")
let term = Term("2025-2026-1")!

/// Runs every reader over a file, as each import would; returns all findings. A crash or an
/// unexpected thrown error fails the test run.
func readWithEveryReader(_ url: URL, limits: ReadLimits = ReadLimits()) throws -> [Finding] {
    var findings: [Finding] = []
    var roster = RosterReader(term: term)
    roster.limits = limits
    findings += try roster.read(url, onSchool: { _ in }, onStudent: { _ in }).findings
    var fitness = FitnessReader(term: term)
    fitness.limits = limits
    findings += try fitness.read(url) { _ in }.findings
    var vision = VisionReader(term: term)
    vision.limits = limits
    findings += try vision.read(url) { _ in }.findings
    var psych = PsychReader(term: term, scale: try PsychScale.named("phq9"))
    psych.limits = limits
    findings += try psych.read(url) { _ in }.findings
    var academic = AcademicReader(term: term) { subject, _ in subject == "数学" ? 120 : 100 }
    academic.limits = limits
    findings += try academic.read(url) { _ in }.findings
    var monitoring = MonitoringReader(defaultYear: 2024)
    monitoring.limits = limits
    findings += try monitoring.read(url) { _ in }.findings
    var resources = ResourceReader()
    resources.limits = limits
    findings += try resources.read(url) { _ in }.findings
    return findings
}

/// Runs the built binary; standard output and standard error together.
func runJiance(_ arguments: [String], in folder: URL) throws -> (status: Int32, output: String) {
    let result = try Jiance.run(arguments, in: folder)
    return (result.status, result.output + result.error)
}
