"""Writes the legacy .xls fixtures of the .xls reader tests with xlwt (an independent BIFF8
writer, `pip install xlwt`), and the same rows as a GB18030 CSV, so that a test can check that
.xls, .xlsx and .csv give identical results. Run from this folder: python3 make_fixtures.py"""
import datetime
import xlwt

HEADER = ["年级编号", "班级编号", "班级名称", "学籍号", "民族代码", "姓名", "性别", "出生日期", "家庭住址", "身高", "体重", "肺活量",
          "50米跑", "立定跳远", "坐位体前屈", "50米×8往返跑", "一分钟仰卧起坐", "一分钟跳绳", "800米跑（女）", "1000米跑（男）",
          "一分钟仰卧起坐(女)", "引体向上（男）"]
# Grade 1 boys and girls, grade 8 girls and boys, a 免测 student; numbers as numbers, some as text.
ROWS = [
    [11, 1101, "一年级1班", "G3701000001", 1, "王堃", 1, datetime.date(2019, 3, 4), "", 120.0, 22.0, 1250, 10.9, "", 12.5, "", "", 115, "", "", "", ""],
    [11, 1101, "一年级1班", "G3701000002", 1, "陈镕", 2, datetime.date(2019, 5, 6), "", 118, 21, 1000, "11.0", "", 14.0, "", "", 100, "", "", "", ""],
    [22, 2201, "初二1班", "G3701000003", 1, "李雪", 2, datetime.date(2012, 5, 6), "某街道", 160, 50, 2450, 9.1, 170, 16.0, "", "", "", "3′58″", "", 45, ""],
    [22, 2201, "初二1班", "G3701000004", 1, "张喆", 1, datetime.date(2012, 1, 2), "", 165.5, "55.5", 3200, 8.2, 215, 9.5, "", "", "", "", "3'55\"", "", 8],
    [11, 1102, "一年级2班", "G3701000005", 2, "马免", 1, datetime.date(2019, 1, 1), "", "免测", "", "", "", "", "", "", "", "", "", "", "", ""],
]


def write_xls(path, title_rows):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("体测成绩")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    row = 0
    if title_rows:
        sheet.write_merge(0, 0, 0, len(HEADER) - 1, "示例县实验小学 2025-2026学年 体质健康测试成绩")
        sheet.write(1, 0, "说明：本表由学校体育组填写")
        row = 2
    for column, text in enumerate(HEADER):
        sheet.write(row, column, text)
    for values in ROWS:
        row += 1
        for column, value in enumerate(values):
            if isinstance(value, datetime.date):
                sheet.write(row, column, value, date_style)
            elif value != "":
                sheet.write(row, column, value)
    book.save(path)


def text(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value)


def write_csv(path):
    lines = [",".join(HEADER)] + [",".join('"%s"' % text(v).replace('"', '""') if '"' in text(v) or "," in text(v) else text(v) for v in values) for values in ROWS]
    with open(path, "wb") as file:
        file.write(("\r\n".join(lines) + "\r\n").encode("gb18030"))


def write_header_only(path):
    """The national upload template as schools download it: the header alone, half-width brackets."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    national = ["年级编号", "班级编号", "班级名称", "学籍号", "民族代码", "姓名", "性别", "出生日期", "家庭住址", "身高", "体重", "肺活量",
                "50米跑", "立定跳远", "坐位体前屈", "50米x8往返跑", "一分钟仰卧起坐", "一分钟跳绳", "800米跑(女)", "1000米跑(男)",
                "一分钟仰卧起坐", "引体向上(男)"]
    for column, text in enumerate(national):
        sheet.write(0, column, text)
    book.save(path)


write_xls("fitness_results.xls", title_rows=True)
write_csv("fitness_results_gb18030.csv")
write_header_only("national_template_header_only.xls")
