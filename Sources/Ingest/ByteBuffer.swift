/// Bytes appended one after another into memory this value owns and frees. Appending a byte is
/// a capacity check and a store: an `Array` also checks on every append that its storage is not
/// shared, and a line of `jiance score fitness` is some 200 appends (digits, commas, texts).
/// Not copyable, so that two values never own the same memory.
public struct ByteBuffer: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    public private(set) var count = 0
    private var capacity: Int

    public init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    public init(_ bytes: [UInt8]) {
        self.init(capacity: bytes.count)
        append(bytes)
    }

    deinit { base.deallocate() }

    public var isEmpty: Bool { count == 0 }

    /// A copy of the bytes.
    public var array: [UInt8] { withBytes { Array($0) } }

    public func withBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(UnsafeBufferPointer(start: base, count: count))
    }

    @inline(__always) public mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toHold: 1) }
        base[count] = byte
        count += 1
    }

    public mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        if bytes.count > capacity - count { grow(toHold: bytes.count) }
        (base + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    public mutating func append(_ bytes: [UInt8]) { bytes.withUnsafeBufferPointer { append($0) } }

    public mutating func appendUTF8(_ text: String) {
        var text = text
        text.withUTF8 { append($0) }
    }

    /// Writes `length` bytes at the end through `body`, which gets the memory for exactly them.
    @inline(__always) public mutating func append(
        length: Int, _ body: (UnsafeMutableBufferPointer<UInt8>) -> Void
    ) {
        if length > capacity - count { grow(toHold: length) }
        body(UnsafeMutableBufferPointer(start: base + count, count: length))
        count += length
    }

    public mutating func removeAll() { count = 0 }

    /// Doubles the memory, or more when `extra` bytes need it.
    private mutating func grow(toHold extra: Int) {
        let newCapacity = max(capacity * 2, count + extra)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.update(from: base, count: count)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
