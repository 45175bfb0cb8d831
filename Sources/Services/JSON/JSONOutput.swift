import Foundation
import Indicators
import Standards

/// Every JSON document the command line prints goes through this one encoder: keys sorted, `/`
/// unescaped, absent values written as `null` (never left out), fixed decimals where a figure
/// has them (a rate to four places).
public enum JSONOutput {
    public static func text(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}

/// A number written with `decimals` places (0.6350 reads back as 0.635), or `null`.
public struct Fixed: Encodable, Sendable {
    var value: Double?
    var decimals: Int

    public init(_ value: Double?, decimals: Int) {
        self.value = value
        self.decimals = decimals
    }

    /// A rate to four places.
    public init(_ rate: Rate) { self.init(rate.value, decimals: 4) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        guard let value, value.isFinite, let decimal = Decimal(string: String(format: "%.\(decimals)f", value)) else {
            try container.encodeNil()
            return
        }
        try container.encode(decimal)
    }
}

/// An optional member written as `null` when absent, so that every document has the same keys.
// swift-format-ignore: UseSynthesizedInitializer
@propertyWrapper
public struct OrNull<Value: Encodable & Sendable>: Encodable, Sendable {
    public var wrappedValue: Value?

    /// Explicit because the containing types' memberwise initialisers take a plain optional only
    /// through a declared `init(wrappedValue:)`; the synthesized one does not count.
    public init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let wrappedValue { try container.encode(wrappedValue) } else { try container.encodeNil() }
    }
}
