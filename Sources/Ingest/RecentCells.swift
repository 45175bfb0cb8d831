import Standards

/// The last few different cells met in each column of a table, each with what was made of it
/// (its decoded or normalised text). School and class names repeat down a file, class by class
/// or with a few classes interleaved: comparing a cell's bytes with four costs far less than
/// decoding GB18030 or folding full-width brackets (`示例县实验小学（2）`) again on every row.
/// A column whose cells seldom repeat (names) is left alone once that shows: comparing and
/// copying every new name would cost more than it saves.
public struct RecentCells<Value>: Sendable where Value: Sendable {
    private static var kept: Int { 4 }
    /// Misses after which a column with fewer than one hit in eight is no longer remembered.
    private static var trial: Int { 64 }

    /// The remembered cells of a column: their bytes one after another, where each ends, and what
    /// was made of each; compared within one borrowed buffer.
    private struct Column: Sendable {
        var bytes: [UInt8] = []
        var ends: [Int] = []
        var values: [Value] = []
        var hits = 0
        var misses = 0
        var remembered: Bool { misses < RecentCells.trial || hits * 8 >= misses }

        func index(of cell: UnsafeBufferPointer<UInt8>) -> Int? {
            bytes.withUnsafeBufferPointer { all in
                var start = 0
                for (index, end) in ends.enumerated() {
                    if UnsafeBufferPointer(rebasing: all[start..<end]).hasSameBytes(as: cell) { return index }
                    start = end
                }
                return nil
            }
        }

        mutating func append(_ cell: UnsafeBufferPointer<UInt8>, _ value: Value) {
            if ends.count == RecentCells.kept {
                let first = ends.removeFirst()
                bytes.removeSubrange(..<first)
                for index in ends.indices { ends[index] -= first }
                values.removeFirst()
            }
            bytes.append(contentsOf: cell)
            ends.append(bytes.count)
            values.append(value)
        }
    }
    private var columns: [Column] = []

    public init() {}

    /// What was made of a cell of `column` with these bytes, when it is one of the last few.
    mutating func value(_ column: Int, ifSameAs bytes: UnsafeBufferPointer<UInt8>) -> Value? {
        guard column < columns.count, columns[column].remembered else { return nil }
        guard let index = columns[column].index(of: bytes) else {
            columns[column].misses += 1
            return nil
        }
        columns[column].hits += 1
        return columns[column].values[index]
    }

    /// Keeps `value` (made only when the column is still remembered) for the cell's bytes.
    mutating func remember(_ column: Int, bytes: UnsafeBufferPointer<UInt8>, as value: @autoclosure () -> Value) {
        if column >= columns.count {
            columns.append(contentsOf: repeatElement(Column(), count: column + 1 - columns.count))
        }
        guard columns[column].remembered else { return }
        columns[column].append(bytes, value())
    }
}
