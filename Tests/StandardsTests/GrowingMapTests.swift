import Standards
import Testing

/// `GrowingMap` answers as a `Dictionary` would, through its growth and its collisions.
@Suite struct GrowingMapTests {
    /// 50,000 学籍号-like keys, each sent twice, against a `Dictionary` kept beside it: the first
    /// row is kept, the second is answered with it, and missing keys are absent.
    @Test func keepsTheFirstRowOfEveryKeyAsADictionaryDoes() {
        var map = GrowingMap<String, Int>()
        var model: [String: Int] = [:]
        var generator = SystemRandomNumberGenerator()
        let keys = (0..<50_000).map { _ in
            "G\(UInt64.random(in: 100_000_000_000_000_000...999_999_999_999_999_999, using: &generator))"
        }
        for (row, key) in (keys + keys.shuffled()).enumerated() {
            let expected = model[key]
            if expected == nil { model[key] = row }
            #expect(map.insertIfAbsent(row, forKey: key) == expected)
        }
        #expect(map.count == model.count)
        for key in keys.prefix(1000) { #expect(map[key] == model[key]) }
        #expect(map["G0"] == nil)
        #expect(map[""] == nil)
    }

    /// Keys whose hashes all collide are still told apart by `==`, and an update replaces the value.
    @Test func collidingKeysAreToldApart() {
        struct Colliding: Hashable {
            let text: String
            func hash(into hasher: inout Hasher) { hasher.combine(0) }
        }
        var map = GrowingMap<Colliding, Int>()
        for index in 0..<300 { #expect(map.insertIfAbsent(index, forKey: Colliding(text: "\(index)")) == nil) }
        for index in 0..<300 { #expect(map[Colliding(text: "\(index)")] == index) }
        map.updateValue(-1, forKey: Colliding(text: "7"))
        map.updateValue(300, forKey: Colliding(text: "300"))
        #expect(map[Colliding(text: "7")] == -1)
        #expect(map[Colliding(text: "300")] == 300)
        #expect(map.count == 301)
    }

    /// Texts are compared as `String`s are: a name typed with a combining accent is the same key
    /// as the precomposed one, as in a `Dictionary`.
    @Test func textsCompareByCanonicalEquivalence() {
        var map = GrowingMap<String, Int>(minimumCapacity: 4)
        #expect(map.insertIfAbsent(1, forKey: "Zoé") == nil)
        #expect(map.insertIfAbsent(2, forKey: "Zoe\u{301}") == 1)
    }
}
