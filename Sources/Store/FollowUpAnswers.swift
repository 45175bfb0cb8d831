import Foundation

/// What a school sent back on one follow-up ledger row: the columns it filled in, and the batch
/// that stored them. The batch goes out in the ledger's 版本 column, so that an older copy sent
/// back later is recognised and never erases newer answers.
public struct FollowUpAnswers: Sendable, Equatable {
    public var fields: [String: String]
    /// The import batch that wrote `fields`, 0 when nothing was sent back yet.
    public var version: Int64

    public init(fields: [String: String] = [:], version: Int64 = 0) {
        self.fields = fields
        self.version = version
    }

    /// From the stored JSON object of text and its batch.
    public init(json: String?, batch: Int64?) {
        self.init(fields: Self.decode(json), version: batch ?? 0)
    }

    static func decode(_ json: String?) -> [String: String] {
        guard let json, !json.isEmpty, let data = json.data(using: .utf8),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: String]
        else { return [:] }
        return object
    }
}
