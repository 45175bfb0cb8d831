/// swift-argument-parser writes its help headings and usage errors in English; the people who
/// use Jiance read Chinese. Its fixed phrases are rewritten here, leaving every text Jiance itself
/// gave (abstracts, option help, validation messages) as it is.
enum ChineseUsage {
    /// The closest of `candidates` to a mistyped `word`, when it is one or two edits away.
    static func suggestion(for word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, editDistance(word.lowercased(), $0)) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// Levenshtein distance: insertions, deletions and substitutions.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }

    static func translate(_ text: String) -> String {
        var result = text
        for (english, chinese) in phrases { result = result.replacingOccurrences(of: english, with: chinese) }
        for rule in rules() {
            result = result.replacing(rule.pattern) { match in
                rule.template.enumerated().reduce("") { text, part in
                    text
                        + (part.offset % 2 == 0
                            ? part.element : (match.output[Int(part.element)!].substring.map(String.init) ?? ""))
                }
            }
        }
        // A mistyped value among the listed ones ("fitnes"): name the one meant.
        if let invalid = result.firstMatch(of: /的值“([^”]+)”无效；可用的值：\n((?:  - [^\n]+\n)+)/) {
            let values = invalid.output.2.split(separator: "\n").map { String($0.dropFirst(4)) }
            if let meant = suggestion(for: String(invalid.output.1), among: values) {
                result = result.replacing("无效；可用的值：\n", with: "无效；是否想用 \(meant)？可用的值：\n", maxReplacements: 1)
            }
        }
        return result
    }

    private static let phrases: [(String, String)] = [
        ("OVERVIEW: ", "说明："), ("OVERVIEW:\n", "说明：\n"), ("USAGE: ", "用法："), ("USAGE:\n", "用法：\n"),
        ("ARGUMENTS:", "参数："), ("OPTIONS:", "选项："), ("SUBCOMMANDS:", "子命令："),
        ("Show help information.", "显示帮助信息。"), ("Show the version.", "显示版本。"),
        ("See 'jiance help <subcommand>' for detailed help.", "用 jiance help <子命令> 查看各命令的详细说明。"),
        ("<options>", "<选项>"), ("<subcommand>", "<子命令>"),
        ("Error: ", "错误："), ("Help:  ", "说明："), ("Usage: ", "用法："),
    ]

    /// A pattern and its Chinese, as alternating literal text and capture numbers.
    private static func rules() -> [(pattern: Regex<AnyRegexOutput>, template: [String])] {
        [
            (#"See '([^']+)' for more information\."#, ["用 ", "1", " 查看完整用法。"]),
            (#"See '([^']+)' for detailed help\."#, ["用 ", "1", " 查看各命令的详细说明。"]),
            (#"The value '([^']*)' is invalid for '(<[^']+>)'"#, ["参数 ", "2", " 的值“", "1", "”无效"]),
            (#"\. Please provide one of the following:"#, ["；可用的值："]),
            (#"\. Please provide one of (.+)\."#, ["；可用的值：", "1"]),
            (
                #"(\d+) unexpected arguments: (.+)"#,
                ["多余的参数（", "1", " 个）：", "2", "；请检查命令拼写（jiance help 列出全部命令）；文件名中有空格时，请用引号把整个文件名括起来"]
            ),
            (#"'([^']+)' and '([^']+)'"#, ["", "1", "、", "2"]),
            (#"Missing expected argument '([^']+)'"#, ["缺少参数 ", "1", "；请按下面的用法补上"]),
            (
                #"The value '([^']*)' is invalid for '--term[^']*'"#,
                ["选项 --term 的值“", "1", "”无效：学期写作学年加学期号，如 2025-2026-1（第一学期）或 2025-2026-2（第二学期）"]
            ),
            (#"The value '([^']*)' is invalid for '(-[^ ']+)[^']*'"#, ["选项 ", "2", " 的值“", "1", "”无效"]),
            (#"Unknown option '([^']+)'"#, ["无法识别的选项 ", "1"]),
            (#"Unexpected arguments? '([^']+)'"#, ["多余的参数“", "1", "”；文件名中有空格时，请用引号把整个文件名括起来"]),
            (#"Missing value for '(-[^ ']+)[^']*'"#, ["选项 ", "1", " 缺少值"]),
            (#"Missing value for option '(-[^ ']+)[^']*'"#, ["选项 ", "1", " 缺少值"]),
            (#"\(default:\s+([^)]*)\)"#, ["（默认：", "1", "）"]),
            (#"\(values:\s+([^;)]*);\s+default:\s+([^)]*)\)"#, ["（可选值：", "1", "；默认：", "2", "）"]),
            (#"\(values:\s+([^)]*)\)"#, ["（可选值：", "1", "）"]),
            (#"Unknown subcommand '([^']+)'"#, ["没有子命令“", "1", "”"]),
            (#"\. Did you mean '([^']+)'\?"#, ["；是否想用 ", "1", "？"]),
            // A list of values, "'county', 'school' or 'psych'": 、 and 或.
            (#"'([^']+)', (?=')"#, ["", "1", "、"]),
            (#"'([^']+)' or '([^']+)'"#, ["", "1", " 或 ", "2"]),
        ].map { (try! Regex($0.0), $0.1) }
    }
}
