import Foundation

/// The columns a school fills in on a follow-up ledger, stored as a JSON object of text.
public enum FollowUpFields {
    public static func decode(_ json: String?) -> [String: String] {
        guard let json, !json.isEmpty, let data = json.data(using: .utf8),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: String] else { return [:] }
        return object
    }
}
