/// The school and class names Jiance accepts: they become file names, sheet titles, page headers
/// (Excel allows 255 characters there) and terminal output, so control characters (TAB, CR, ESC)
/// and names longer than any real one are refused at import with a finding.
public enum NameCheck {
    /// Longer than any school's full name (山东省…县…镇…九年一贯制学校 is about 25).
    public static let maxSchoolCharacters = 50
    public static let maxClassCharacters = 20

    /// Why `name` cannot be a school name, nil when it can.
    public static func schoolProblem(_ name: String) -> String? {
        problem(name, what: "学校名称", limit: maxSchoolCharacters)
    }

    /// Why `name` cannot be a class name, nil when it can.
    public static func classProblem(_ name: String) -> String? {
        problem(name, what: "班级名称", limit: maxClassCharacters)
    }

    private static func problem(_ name: String, what: String, limit: Int) -> String? {
        if name.unicodeScalars.contains(where: {
            $0.properties.generalCategory == .control || $0.properties.generalCategory == .format
        }) {
            return "\(what)含有控制字符（如制表符、换行或转义符），未导入；请在表格中删除这些字符后重新导入"
        }
        if name.count > limit {
            return "\(what)超过 \(limit) 个字（共 \(name.count) 个），未导入；请填写学校名单中的规范名称"
        }
        return nil
    }
}
