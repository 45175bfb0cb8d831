/// 民族 names by the two-digit code of GB/T 3304-1991《中国各民族名称的罗马字母拼写法和代码》,
/// which the national fitness template's 民族代码 column uses (written as a number, so `1` = 01 汉族).
public enum Ethnicity {
    public static let names = [
        "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
        "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
        "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
        "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
        "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族",
        "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
    ]

    /// The name for a code (`1`, `01`) or a name with or without 族 (`汉`, `汉族`); nil if unknown.
    public static func name(for text: String) -> String? {
        let value = text.trimmingSpaces
        if let code = Int(value), (1...names.count).contains(code) { return names[code - 1] }
        if names.contains(value) { return value }
        if names.contains(value + "族") { return value + "族" }
        if value == "穿青人" || value == "其他" || value == "外国血统中国籍人士" { return value }
        return nil
    }

    /// The GB/T 3304 code of a name, or nil.
    public static func code(for name: String) -> Int? {
        names.firstIndex(of: name).map { $0 + 1 }
    }
}
