import Foundation
import Ingest

/// Runs the built `jiance` binary as users and scripts do, with a time limit: a hang fails the
/// test that started it (a thrown `TimedOut`) instead of stalling `make test`.
public enum Jiance {
    public struct Result: Sendable {
        public var status: Int32
        public var output: String
        public var error: String
        /// True when the process ended by a signal (a crash, or a kill it asked for).
        public var signalled: Bool
    }

    public struct TimedOut: Error, CustomStringConvertible {
        public var description: String
    }

    /// The binary beside the test bundle in the build products folder, else the debug build.
    public static let binary: URL = {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("jiance")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder = folder.deletingLastPathComponent()
        }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return package.appendingPathComponent(".build/debug/jiance")
    }()

    /// Ten minutes: the slowest command of the tests (the demo on a slow CI machine) takes about one.
    public static let defaultTimeout: TimeInterval = 600

    /// `input`, when given, is the process's standard input (a password for `--password-stdin`).
    public static func run(
        _ arguments: [String], in folder: URL, environment: [String: String] = [:], input: String? = nil,
        timeout: TimeInterval = defaultTimeout
    ) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        // The tests name their own database and settings: a developer's JIANCE_DB or
        // JIANCE_SETTINGS would point every command at their own files.
        var inherited = ProcessInfo.processInfo.environment
        inherited["JIANCE_DB"] = nil
        inherited["JIANCE_SETTINGS"] = nil
        process.environment = inherited.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let stdin = Pipe()
        if input != nil { process.standardInput = stdin }
        try process.run()
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        // Both pipes are drained at once, so that a full stderr pipe cannot block the process.
        let errorData = Box(Data())
        let readingErrors = DispatchWorkItem { errorData.value = err.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(execute: readingErrors)
        let killed = Box(false)
        let deadline = DispatchWorkItem {
            guard process.isRunning else { return }
            killed.value = true
            kill(process.processIdentifier, SIGKILL)
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: deadline)
        let outputData = out.fileHandleForReading.readDataToEndOfFile()
        readingErrors.wait()
        process.waitUntilExit()
        deadline.cancel()
        if killed.value {
            throw TimedOut(description: "jiance \(arguments.joined(separator: " ")) 超过 \(Int(timeout)) 秒未结束，已终止")
        }
        let result = Result(
            status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
            error: String(decoding: errorData.value, as: UTF8.self),
            signalled: process.terminationReason == .uncaughtSignal)
        return result
    }
}

/// A value handed between the threads of one run, read after they are done.
private final class Box<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

/// The folder that holds every test folder of this test process. It is removed when the process
/// exits, so that repeated `make test` runs do not fill the disk with databases and workbooks.
private let testRunFolder: URL = {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
        "jiance-tests-\(getpid())-\(UUID().uuidString)")
    atexit { try? FileManager.default.removeItem(at: testRunFolder) }
    return url
}()

/// A new empty folder for one test, removed with the test process's folder when the tests end.
public func temporaryFolder() throws -> URL {
    let url = testRunFolder.appendingPathComponent(UUID().uuidString)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Every row of one sheet of a workbook, as Jiance's own reader gives them.
public func sheetRows(_ url: URL, _ sheet: String) throws -> [RawRow] {
    var rows: [RawRow] = []
    try openTables(at: url, sheet: sheet)[0].forEachRow {
        rows.append($0)
        return true
    }
    return rows
}
