import Foundation
import Standards

/// The result a file states for a student (总分, 标准分, 等级, as typed), checked against the
/// standard's own result: another system's scoring error shows as a warning that quotes both.
public struct ClaimedResult: Sendable, Equatable {
    public var total = ""
    public var standard = ""
    public var rating = ""

    public init(total: String = "", standard: String = "", rating: String = "") {
        self.total = total
        self.standard = standard
        self.rating = rating
    }

    /// The message of every disagreement starts so; the import counts them.
    public static let disagreementPrefix = "文件中"

    /// A warning when what the file states differs from `score`, nil when it agrees or states
    /// nothing. A number agrees when it is the computed one rounded to the file's own decimals
    /// (tools print 90 or 90.4 for 90.40).
    public func disagreement(with score: FitnessScore) -> Finding? {
        var claims: [String] = []
        var computed: [String] = []
        var differs = false
        func compare(_ label: String, _ text: String, _ hundredths: Int?) {
            guard !text.isEmpty else { return }
            claims.append("\(label) \(text)")
            computed.append(hundredths.map { String(format: "%.2f", Double($0) / 100) } ?? "—")
            guard let number = ValueParsing.number(text), let hundredths else {
                differs = true
                return
            }
            let decimals = min(text.split(separator: ".").dropFirst().first?.count ?? 0, 2)
            let tolerance = 0.5 / pow(10, Double(decimals)) + 1e-9
            differs = differs || abs(number - Double(hundredths) / 100) > tolerance
        }
        compare("总分", total, score.totalHundredths)
        compare("标准分", standard, score.standardHundredths)
        if !rating.isEmpty {
            claims.append("等级 \(rating)")
            computed.append(score.rating?.rawValue ?? "—")
            differs = differs || FitnessRating(rawValue: ValueParsing.normalize(rating)) != score.rating
        }
        guard differs else { return nil }
        let standardSays =
            switch score.status {
            case .scored: computed.joined(separator: "、")
            case .exempt: "免测，不评定"
            case .incomplete: "测试不完整（缺少\(score.missing.map(\.label).joined(separator: "、"))），不计总分和等级"
            }
        return Finding(
            .warning,
            "\(Self.disagreementPrefix)\(claims.joined(separator: "、"))；按标准计算为 \(standardSays)（《国家学生体质健康标准（2014年修订）》）")
    }
}
