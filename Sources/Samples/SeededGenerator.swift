/// SplitMix64: a tiny deterministic generator, so `jiance samples --seed S` makes the same files
/// on every machine and Swift version (the standard library's generator is not reproducible).
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// An approximately normal value: the sum of twelve uniforms minus six (Irwin–Hall), which
    /// needs no transcendental functions and so is bit-for-bit reproducible everywhere.
    public mutating func normal(mean: Double, deviation: Double) -> Double {
        var sum = 0.0
        for _ in 0..<12 { sum += Double.random(in: 0..<1, using: &self) }
        return mean + deviation * (sum - 6)
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
}
