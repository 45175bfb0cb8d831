/// Exam subjects as headers and monitoring reports name them, folded to one name each
/// (道德与法治 was 思想品德; 信息科技 was 信息技术; the monitoring's 体育与健康 is 体育 in many exams).
public enum Subject {
    static let canonical: [String: String] = [
        "语文": "语文", "数学": "数学", "英语": "英语", "外语": "英语", "道德与法治": "道德与法治", "道法": "道德与法治", "思想品德": "道德与法治",
        "品德与社会": "道德与法治", "科学": "科学", "物理": "物理", "化学": "化学", "生物": "生物", "生物学": "生物", "历史": "历史", "地理": "地理",
        "信息科技": "信息科技", "信息技术": "信息科技", "体育": "体育与健康", "体育与健康": "体育与健康", "音乐": "音乐", "美术": "美术", "艺术": "艺术",
        "劳动": "劳动", "综合实践": "综合实践活动", "综合实践活动": "综合实践活动", "德育": "德育",
    ]

    /// The canonical subject of a header or cell (`语文成绩`, `数学（满分120）`, `英语得分` → 语文, 数学, 英语), nil when it names none.
    public static func named(_ text: String) -> String? {
        var value = text.trimmingSpaces
        if let open = value.firstIndex(where: { $0 == "(" || $0 == "（" }) { value = String(value[..<open]) }
        for suffix in ["成绩", "得分", "分数", "科", "分"] where value.hasSuffix(suffix) && value.count > suffix.count {
            value = String(value.dropLast(suffix.count))
            break
        }
        return canonical[value.trimmingSpaces]
    }

    /// The full mark written in a header: `数学（120）`, `数学(满分120分)`, `数学满分120` → 120.
    public static func fullMark(inHeader text: String) -> Double? {
        guard
            let range = text.range(of: "满分")
                ?? text.firstIndex(where: { $0 == "(" || $0 == "（" }).map({ $0..<text.index(after: $0) })
        else { return nil }
        let digits = text[range.upperBound...].drop { !$0.isASCII || !$0.isNumber }.prefix {
            ($0.isASCII && $0.isNumber) || $0 == "."
        }
        return Double(digits).flatMap { $0 > 0 ? $0 : nil }
    }
}
