import Reports
import Testing

/// A ledger's rows: held after one read up to the limit, read anew on each pass above it.
@Suite struct StreamedRowsTests {
    /// A source that counts how often it is read.
    final class Source {
        let rows: [Int]
        var reads = 0
        init(_ count: Int) { rows = Array(0..<count) }
        func read(_ body: (Int) throws -> Void) throws {
            reads += 1
            for row in rows { try body(row) }
        }
    }

    func passes(_ streamed: StreamedRows<Int>) throws -> [[Int]] {
        try (0..<3).map { _ in
            var seen: [Int] = []
            try streamed.forEachRow { index, row in
                #expect(index == seen.count)
                seen.append(row)
            }
            return seen
        }
    }

    @Test func rowsUpToTheLimitAreReadOnce() throws {
        let source = Source(5)
        let streamed = try StreamedRows(reading: source.read, holdingUpTo: 5)
        #expect(streamed.count == 5)
        #expect(try passes(streamed) == Array(repeating: [0, 1, 2, 3, 4], count: 3))
        #expect(source.reads == 1)
    }

    @Test func rowsAboveTheLimitAreReadOnEachPass() throws {
        let source = Source(6)
        let streamed = try StreamedRows(reading: source.read, holdingUpTo: 5)
        #expect(streamed.count == 6)
        #expect(try passes(streamed) == Array(repeating: [0, 1, 2, 3, 4, 5], count: 3))
        #expect(source.reads == 1 + 3)
        let even = streamed.filter(count: 3) { $0 % 2 == 0 }.map { $0 * 10 }
        #expect(even.count == 3)
        #expect(try passes(even).first == [0, 20, 40])
    }
}
