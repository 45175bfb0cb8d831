import Foundation

extension String {
    /// Whether any of the text's UTF-8 bytes satisfies `predicate`, read from its contiguous
    /// storage. These checks run on every cell of a file, and stepping through `utf8` with its
    /// indices costs several times as many instructions per byte.
    @inlinable public func containsUTF8Byte(where predicate: (UInt8) -> Bool) -> Bool {
        utf8.withContiguousStorageIfAvailable { $0.contains(where: predicate) } ?? utf8.contains(where: predicate)
    }

    /// Whether the two texts have the same UTF-8 bytes. `==` compares non-ASCII texts by
    /// canonical equivalence, several hundred instructions for a Chinese class name; a cache
    /// that only needs the text as typed compares its bytes.
    @inlinable public func hasSameUTF8(as other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        let contiguous = utf8.withContiguousStorageIfAvailable { mine in
            other.utf8.withContiguousStorageIfAvailable { mine.hasSameBytes(as: $0) }
        }
        return (contiguous ?? nil) ?? utf8.elementsEqual(other.utf8)
    }
}

extension UnsafeBufferPointer where Element == UInt8 {
    /// Whether the two buffers hold the same bytes, compared by `memcmp`: the generic
    /// `elementsEqual` steps through them a byte at a time through an iterator, five hundred
    /// instructions for a school's name.
    @inlinable public func hasSameBytes(as other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard count == other.count else { return false }
        guard let mine = baseAddress, let theirs = other.baseAddress else { return true }
        return memcmp(mine, theirs, count) == 0
    }
}

extension Array where Element == UInt8 {
    /// Appends the text's UTF-8 bytes, copied at once from its contiguous storage.
    @inlinable public mutating func appendUTF8(_ text: String) {
        if text.utf8.withContiguousStorageIfAvailable({ append(contentsOf: $0) }) == nil {
            append(contentsOf: text.utf8)
        }
    }
}
