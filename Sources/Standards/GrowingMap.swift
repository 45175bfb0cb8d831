/// A dictionary for the maps that grow to a key per student while a file is read or stored: the
/// first row of each 学籍号, the id of each stored student.
///
/// Each key is hashed once, when it arrives, with the standard library's per-process seeded
/// hash (so a crafted file cannot make the keys collide), and its hash is kept. Growing the table
/// then moves kept hashes. The standard `Dictionary` hashes every `String` key again at each
/// doubling: on a 100,000-row fitness file that was a third of parsing a row, and of a 1M-row
/// file still more. Keys compare with `==`, as in a `Dictionary`.
///
/// Its code is inlinable so that each module that uses it gets a copy specialised to its key and
/// value types; called generically across modules, it looked up type metadata on every row.
public struct GrowingMap<Key: Hashable, Value> {
    @usableFromInline var keys: [Key] = []
    @usableFromInline var values: [Value] = []
    /// Open addressing with linear probing, at most half full: a slot holds the low 32 bits of its
    /// key's hash and the key's place in `keys` plus one (0: an empty slot).
    @usableFromInline var slots: [Slot]

    @usableFromInline struct Slot: Sendable {
        @usableFromInline var hash: UInt32
        @usableFromInline var entry: UInt32

        @inlinable init(hash: UInt32, entry: UInt32) {
            self.hash = hash
            self.entry = entry
        }
    }

    @inlinable public init(minimumCapacity: Int = 0) {
        var size = 16
        while size < minimumCapacity * 2 { size *= 2 }
        slots = Array(repeating: Slot(hash: 0, entry: 0), count: size)
        keys.reserveCapacity(minimumCapacity)
        values.reserveCapacity(minimumCapacity)
    }

    @inlinable public var count: Int { keys.count }

    @inlinable public subscript(key: Key) -> Value? {
        let hash = UInt32(truncatingIfNeeded: key.hashValue)
        switch find(key, hash: hash) {
        case .found(let entry): return values[entry]
        case .empty: return nil
        }
    }

    /// Stores `value` for a new key and returns nil; for a key already there, keeps what is stored
    /// and returns it (the first row of a 学籍号 that comes again).
    @inlinable public mutating func insertIfAbsent(_ value: Value, forKey key: Key) -> Value? {
        let hash = UInt32(truncatingIfNeeded: key.hashValue)
        switch find(key, hash: hash) {
        case .found(let entry): return values[entry]
        case .empty(let slot): insert(key, value, hash: hash, at: slot)
        }
        return nil
    }

    /// Stores `value` for `key`, new or not, as `Dictionary.updateValue` does.
    @inlinable public mutating func updateValue(_ value: Value, forKey key: Key) {
        let hash = UInt32(truncatingIfNeeded: key.hashValue)
        switch find(key, hash: hash) {
        case .found(let entry): values[entry] = value
        case .empty(let slot): insert(key, value, hash: hash, at: slot)
        }
    }

    @usableFromInline enum Place {
        case found(Int)
        case empty(Int)
    }

    @inlinable func find(_ key: Key, hash: UInt32) -> Place {
        slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var index = Int(hash) & mask
            while true {
                let slot = slots[index]
                if slot.entry == 0 { return .empty(index) }
                if slot.hash == hash, keys[Int(slot.entry) - 1] == key { return .found(Int(slot.entry) - 1) }
                index = (index + 1) & mask
            }
        }
    }

    @inlinable mutating func insert(_ key: Key, _ value: Value, hash: UInt32, at slot: Int) {
        keys.append(key)
        values.append(value)
        slots[slot] = Slot(hash: hash, entry: UInt32(keys.count))
        if keys.count * 2 > slots.count { grow() }
    }

    /// Doubles the slots and places every entry again by its kept hash.
    @inlinable mutating func grow() {
        var larger = Array(repeating: Slot(hash: 0, entry: 0), count: slots.count * 2)
        let mask = larger.count - 1
        larger.withUnsafeMutableBufferPointer { larger in
            for slot in slots where slot.entry != 0 {
                var index = Int(slot.hash) & mask
                while larger[index].entry != 0 { index = (index + 1) & mask }
                larger[index] = slot
            }
        }
        slots = larger
    }
}

extension GrowingMap: Sendable where Key: Sendable, Value: Sendable {}
