import Foundation
import GRDB
import Imports
import Standards
import TestSupport
import Testing

@testable import Store

@Suite struct DatabaseTests {
    /// Owner-only, WAL, and 16 KB pages (wide result rows write faster on them).
    @Test func createdOwnerOnlyInWALMode() throws {
        let (database, _) = try freshDatabase()
        let attributes = try FileManager.default.attributesOfItem(atPath: database.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try database.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")
        #expect(try database.read { try Int.fetchOne($0, sql: "PRAGMA page_size") } == 16384)
    }

    @Test func pathFromOptionThenEnvironmentThenDefault() {
        #expect(JianceDatabase.resolvePath("x.sqlite", environment: ["JIANCE_DB": "y.sqlite"]) == "x.sqlite")
        #expect(JianceDatabase.resolvePath(nil, environment: ["JIANCE_DB": "y.sqlite"]) == "y.sqlite")
        #expect(JianceDatabase.resolvePath(nil, environment: [:]) == "jiance.sqlite")
    }

    @Test func auditLogCannotBeEditedOrDeleted() throws {
        let (database, _) = try freshDatabase()
        try AuditLog.record(database, action: "export-named-roster", target: "a.xlsx", detail: "测试")
        #expect(throws: DatabaseError.self) {
            try database.write { try $0.execute(sql: "UPDATE audit_log SET detail = 'x'") }
        }
        #expect(throws: DatabaseError.self) { try database.write { try $0.execute(sql: "DELETE FROM audit_log") } }
        #expect(try AuditLog.entries(database).map(\.detail) == ["测试"])
    }

    @Test func twoImportsInParallelBothComplete() async throws {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("shared.sqlite").path
        _ = try JianceDatabase(path: path)
        var files: [URL] = []
        for index in 0..<2 {
            var text = "学籍号,姓名,性别,出生日期,学校\n"
            for row in 0..<2000 { text += "G\(index)\(String(format: "%05d", row)),学生\(row),男,2015-01-01,学校\(index)\n" }
            let url = folder.appendingPathComponent("f\(index).csv")
            try write(text, to: url)
            files.append(url)
        }
        // Separate connections, as two processes would have.
        let outcomes = try await withThrowingTaskGroup(of: ImportOutcome.self) { group in
            for url in files {
                group.addTask {
                    try RosterImporter(database: JianceDatabase(path: path)).importFile(url, term: term)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.allSatisfy { $0.committed && $0.counts.accepted == 2000 })
        let database = try JianceDatabase(path: path)
        #expect(try database.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM student") } == 4000)
        #expect(try database.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
    }

    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (
            "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        ),
    ])
    func sha256KnownVectors(input: String, digest: String) throws {
        let url = try temporaryFolder().appendingPathComponent("v.txt")
        try write(input, to: url)
        #expect(try SHA256.hex(ofFile: url) == digest)
    }

    @Test func sha256AcrossChunkBoundaries() {
        var whole = SHA256()
        whole.update(Data(repeating: 0x61, count: 1_000_000))
        var pieces = SHA256()
        for size in [1, 63, 64, 65, 999_807] { pieces.update(Data(repeating: 0x61, count: size)) }
        // One million 'a' (FIPS 180-2 test vector).
        #expect(whole.finalize() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(pieces.finalize() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}

/// The JSON string literals of stored row objects (RFC 8259 §7).
@Suite struct JSONTextTests {
    @Test func objectHasSortedKeysAndEscapedTexts() {
        let object = jsonObject([
            ("b", "王\"堃\"\\\n\t\u{01}".databaseValue), ("a", 1.databaseValue), ("c", .null), ("d", 2.5.databaseValue),
        ])
        #expect(object == #"{"a":1,"b":"王\"堃\"\\\n\t\u0001","c":null,"d":2.5}"#)
    }

    /// Every ASCII character, CJK and an emoji read back as written by a JSON parser.
    @Test func textsReadBackAsWritten() throws {
        let texts = (0..<128).map { String(UnicodeScalar(UInt8($0))) } + ["学籍号", "王\r\n堃", "😀", "", "a\u{1F}b"]
        let object = jsonObject(
            texts.enumerated().map { (String(format: "k%03d", $0.offset), $0.element.databaseValue) })
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(object.utf8)) as? [String: String])
        for (offset, text) in texts.enumerated() { #expect(parsed[String(format: "k%03d", offset)] == text) }
    }
}
