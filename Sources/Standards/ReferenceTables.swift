import Foundation

/// Loads the reference tables shipped with Standards (copies of ../shared/reference, kept as
/// CSV resources so that the data stays data).
public enum ReferenceTables {
    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    /// The folder holding `fitness/…`: next to the executable (installed or `swift build`), or the
    /// source tree during development. Never traps when it is missing: the caller gets an error.
    static func folder() throws -> URL {
        let manager = FileManager.default
        var candidates: [URL] = []
        if let override = ProcessInfo.processInfo.environment["JIANCE_RESOURCES"] {
            // The folder the error message names, or the Resources folder inside it.
            let folder = URL(fileURLWithPath: override)
            candidates += [folder, folder.appendingPathComponent("Resources")]
        }
        // The running executable's folder, from /proc/self/exe (found however jiance was started,
        // through PATH or a link), else from the first argument. `Bundle.main` would find it too,
        // but creating the main bundle lists the whole folder: the thousands of files beside a
        // `swift build` binary cost every start 9 ms.
        let started = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        let running = (try? manager.destinationOfSymbolicLink(atPath: "/proc/self/exe")).map(URL.init(fileURLWithPath:))
        for executable in [running, started].compactMap({ $0?.deletingLastPathComponent() }) {
            for base in [executable, executable.deletingLastPathComponent()] {
                candidates.append(base.appendingPathComponent("Jiance_Standards.resources/Resources"))
            }
        }
        candidates.append(
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Resources"))
        guard
            let found = candidates.first(where: {
                manager.fileExists(atPath: $0.appendingPathComponent("fitness/items.csv").path)
            })
        else {
            throw LoadError(
                description: "找不到标准数据表（Jiance_Standards.resources）；请把它与 jiance 放在同一文件夹，或设置 JIANCE_RESOURCES")
        }
        return found
    }

    /// One row of a reference CSV, its fields found by header name. The rows of a file share one
    /// map of the header: a dictionary per row cost every `jiance` process 15 ms at start.
    struct Row: CustomStringConvertible {
        let fields: [String]
        let columns: [String: Int]

        /// The field under `key`, "" when the row is short; nil when the file has no such column.
        subscript(key: String) -> String? {
            columns[key].map { $0 < fields.count ? fields[$0] : "" }
        }

        /// The row as the file writes it, for error messages.
        var description: String { fields.joined(separator: ",") }
    }

    /// The rows of a CSV resource.
    static func rows(_ path: String) throws -> [Row] {
        let url = try folder().appendingPathComponent(path)
        let bytes = try [UInt8](Data(contentsOf: url))
        var lines = bytes.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D })
        guard !lines.isEmpty else { throw LoadError(description: "标准数据表 \(path) 为空") }
        let header = splitCSVLine(lines.removeFirst())
        let columns = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { _, later in later })
        return lines.map { Row(fields: splitCSVLine($0), columns: columns) }
    }

    /// Splits one line of the reference CSVs (quoted fields may hold commas, `""` is a quote).
    /// Works on UTF-8 bytes, as the delimiters are ASCII: every `jiance` process loads the tables
    /// at start, and reading them Character by Character cost it 0.1 s.
    static func splitCSVLine(_ line: ArraySlice<UInt8>) -> [String] {
        // Nearly every line has no quote: its fields are the runs between commas.
        guard line.contains(0x22) else {
            return line.withUnsafeBufferPointer { bytes in
                var fields: [String] = []
                fields.reserveCapacity(16)
                var start = 0
                for index in 0..<bytes.count where bytes[index] == 0x2C {
                    fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                    start = index + 1
                }
                fields.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start...]), as: UTF8.self))
                return fields
            }
        }
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var previousQuote = false
        for byte in line {
            if quoted {
                if byte == 0x22 {
                    quoted = false
                    previousQuote = true
                } else {
                    field.append(byte)
                }
                continue
            }
            switch byte {
            case 0x22:
                if previousQuote { field.append(0x22) }
                quoted = true
            case 0x2C:
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
            default:
                field.append(byte)
            }
            previousQuote = false
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return fields
    }
}
