/// One spelling for a class across files: the 学籍 roster writes `1班`, the fitness template
/// `一年级1班` (班级名称) or `1101` (班级编号 = 年级编号 + class number, upload_template.md §1), and
/// people type `(1)班` or `01`. All become `1班`, so a class's results meet its enrolment.
public enum ClassName {
    public static func normalize(_ text: String, grade: GradeCode?) -> String {
        var value = text.unicodeScalars.contains(where: \.isSpace) ? String(text.filter { !$0.isWhitespace }) : text
        if let grade {
            for prefix in gradePrefixes[grade.code] ?? [] where value.hasPrefix(prefix) && value.count > prefix.count {
                value = String(value.dropFirst(prefix.count))
                break
            }
        }
        if value.unicodeScalars.contains(where: { "（(）)".unicodeScalars.contains($0) }) {
            value = String(value.filter { !"（(）)".contains($0) })
        }
        let digits = value.hasSuffix("班") ? String(value.dropLast()) : value
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let number = Int(digits) else {
            return value
        }
        if let grade, digits.count >= 3, digits.hasPrefix(String(grade.code)), let rest = Int(digits.dropFirst(2)) {
            return "\(rest)班"
        }
        return "\(number)班"
    }

    /// How people name a grade in front of a class (一年级, 初一, 七年级, 1年级), by 年级编号.
    private static let gradePrefixes: [Int: [String]] = Dictionary(
        uniqueKeysWithValues: GradeCode.valid.compactMap(GradeCode.init(code:)).map { grade in
            var prefixes = [grade.label]
            if let year = grade.year {
                let names = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"]
                prefixes += ["\(names[year - 1])年级", "\(year)年级"]
            }
            return (grade.code, prefixes)
        })
}
