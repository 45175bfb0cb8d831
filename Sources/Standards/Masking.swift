/// Masking of children's personal information in exports (《个人信息保护法》第二十八条、第三十一条:
/// personal information of minors under 14 is sensitive). Masked is the default; full values are
/// written only on request, and such exports are audited.
public enum Masking {
    /// 王小明 → 王*明, 欧阳娜娜 → 欧**娜, 李四 → 李*.
    public static func name(_ name: String) -> String {
        let characters = Array(name)
        switch characters.count {
        case 0: return ""
        case 1: return "*"
        case 2: return String(characters[0]) + "*"
        default:
            return String(characters[0]) + String(repeating: "*", count: characters.count - 2)
                + String(characters[characters.count - 1])
        }
    }

    /// Keeps the first five and the last four characters: G370102201503040012 → G3701**********0012.
    /// Short numbers keep only their last two characters.
    public static func identifier(_ value: String) -> String {
        let characters = Array(value)
        guard characters.count > 9 else {
            return String(repeating: "*", count: max(characters.count - 2, 0)) + String(characters.suffix(2))
        }
        return String(characters.prefix(5)) + String(repeating: "*", count: characters.count - 9)
            + String(characters.suffix(4))
    }

    /// A birth date reduced to year and month: 2015-03-04 → 2015-03.
    public static func birthDate(_ date: CalendarDate) -> String { String(date.description.prefix(7)) }
}
