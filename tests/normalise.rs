//! Integration tests of the reader's normalisation, on real .xlsx files written by the tests
//! themselves (rust_xlsxwriter) into a temporary folder. Each test states the normal values and
//! the findings (code, sheet, cell) a person would expect from the case, worked out by hand.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use rust_xlsxwriter::{Format, Workbook, Worksheet};
use statedata::check::{check, CheckedPart, Options, Outcome};
use statedata::finding::{Code, Severity};
use statedata::read::{expand_inputs, read_submission};
use statedata::schema::{load_embedded, Edition};
use statedata::value::Raw;
use tempfile::TempDir;

// ---------------------------------------------------------------------------------------------
// Writing workbooks
// ---------------------------------------------------------------------------------------------

/// What a test writes into one cell.
#[derive(Clone)]
enum V {
    /// A text cell.
    S(String),
    /// A number cell in the General format.
    N(f64),
    /// A number cell with a number format (a date format makes it a real date cell).
    F(f64, Format),
    /// Nothing written.
    Blank,
}

fn s(text: &str) -> V {
    V::S(text.to_string())
}

fn n(x: f64) -> V {
    V::N(x)
}

/// A number with a custom number format such as `yyyy-mm`.
fn nf(x: f64, num_format: &str) -> V {
    V::F(x, Format::new().set_num_format(num_format))
}

/// A number with a built-in number format id (57 is the zh-CN `yyyy"年"m"月"`).
fn ni(x: f64, index: u8) -> V {
    V::F(x, Format::new().set_num_format_index(index))
}

/// `C5` → (row 4, col 2), 0-based.
fn at(a1: &str) -> (u32, u16) {
    let letters: String = a1.chars().take_while(|c| c.is_ascii_uppercase()).collect();
    let digits = &a1[letters.len()..];
    let col = letters
        .bytes()
        .fold(0u32, |acc, b| acc * 26 + (b - b'A' + 1) as u32)
        - 1;
    let row: u32 = digits.parse().expect("row number");
    (row - 1, col as u16)
}

/// Writes `values` rightwards from the cell `start` (`A1`-style).
fn row(ws: &mut Worksheet, start: &str, values: &[V]) {
    let (r, c0) = at(start);
    for (i, v) in values.iter().enumerate() {
        let c = c0 + i as u16;
        match v {
            V::S(t) => ws.write_string(r, c, t.as_str()).map(|_| ()),
            V::N(x) => ws.write_number(r, c, *x).map(|_| ()),
            V::F(x, f) => ws.write_number_with_format(r, c, *x, f).map(|_| ()),
            V::Blank => Ok(()),
        }
        .expect("cell written");
    }
}

/// Adds a sheet with the given name.
fn sheet<'a>(wb: &'a mut Workbook, name: &str) -> &'a mut Worksheet {
    let ws = wb.add_worksheet();
    ws.set_name(name).expect("valid sheet name");
    ws
}

fn save(mut wb: Workbook, dir: &TempDir, file: &str) -> PathBuf {
    let path = dir.path().join(file);
    wb.save(&path).expect("workbook saved");
    path
}

fn edition() -> &'static Edition {
    static ED: OnceLock<Edition> = OnceLock::new();
    ED.get_or_init(|| load_embedded("2025").expect("embedded 2025 edition"))
}

/// The header texts of a table, in platform order.
fn header(table: &str) -> Vec<V> {
    edition()
        .table(table)
        .expect("table in edition")
        .columns
        .iter()
        .map(|c| s(&c.name))
        .collect()
}

const T151: &str = "表1-5-1 教职工基本信息";

// Columns of 1-5-1.
const GH: usize = 0; // 工号 (code)
const XM: usize = 1; // 姓名
const XB: usize = 2; // 性别 (enum)
const CSNY: usize = 3; // 出生年月 (year-month)
const RXSJ: usize = 4; // 入校时间 (year-month)
const DWH: usize = 6; // 单位号 (code)
const XY: usize = 10; // 学缘 (enum with brackets)

/// A valid 1-5-1 row for the 工号 `id`.
fn staff(id: &str) -> Vec<V> {
    [
        id,
        "张三",
        "男",
        "1985-03",
        "2010-07",
        "在职",
        "0101",
        "计算机学院",
        "博士研究生",
        "博士",
        "本校",
        "教授",
        "计算机科学与技术",
        "中共党员",
        "汉族",
    ]
    .iter()
    .map(|t| s(t))
    .collect()
}

/// A workbook with one 1-5-1 sheet: header in row 1, `rows` from row 2.
fn staff_book(dir: &TempDir, file: &str, rows: &[Vec<V>]) -> PathBuf {
    let mut wb = Workbook::new();
    let ws = sheet(&mut wb, T151);
    row(ws, "A1", &header("1-5-1"));
    for (i, r) in rows.iter().enumerate() {
        row(ws, &format!("A{}", i + 2), r);
    }
    save(wb, dir, file)
}

// ---------------------------------------------------------------------------------------------
// Running and looking at the outcome
// ---------------------------------------------------------------------------------------------

fn run(files: &[PathBuf]) -> Outcome {
    let ed = edition();
    let sub = read_submission(ed, files);
    check(ed, sub, &Options::year(2025))
}

fn file_name(path: &str) -> String {
    Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Every finding that has a place in a file, as `code sheet!A1`, `code sheet` or
/// `code [file]`, sorted. Findings about the submission as a whole (missing tables,
/// references that could not be checked) have no place and are left out.
fn spots(o: &Outcome) -> Vec<String> {
    let mut v: Vec<String> = o
        .findings
        .iter()
        .filter(|f| f.location.file.is_some())
        .map(|f| {
            let l = &f.location;
            match (&l.sheet, &l.cell) {
                (Some(sh), Some(c)) => format!("{} {sh}!{}", f.code, c.a1()),
                (Some(sh), None) => format!("{} {sh}", f.code),
                (None, _) => format!("{} [{}]", f.code, file_name(l.file.as_deref().unwrap())),
            }
        })
        .collect();
    v.sort();
    v
}

fn severity_at(o: &Outcome, code: Code, cell: &str) -> Severity {
    o.findings
        .iter()
        .find(|f| f.code == code && f.location.cell.map(|c| c.a1()).as_deref() == Some(cell))
        .unwrap_or_else(|| panic!("no {code} at {cell}"))
        .severity
}

/// The one part that gives `table`.
fn part<'a>(o: &'a Outcome, table: &str) -> &'a CheckedPart {
    let mine: Vec<&CheckedPart> = o.parts.iter().filter(|p| p.part.table == table).collect();
    assert_eq!(mine.len(), 1, "parts of table {table}");
    mine[0]
}

fn column_index(table: &str, column: &str) -> usize {
    edition()
        .table(table)
        .and_then(|t| t.column_index(column))
        .unwrap_or_else(|| panic!("no column {column} in {table}"))
}

/// The normal values of one column, record by record.
fn values(cp: &CheckedPart, column: &str) -> Vec<Option<String>> {
    let ci = column_index(&cp.part.table, column);
    cp.values
        .iter()
        .map(|rec| rec[ci].as_ref().map(|c| c.text.clone()))
        .collect()
}

/// The cell addresses of one column, record by record.
fn cells(cp: &CheckedPart, column: &str) -> Vec<String> {
    let ci = column_index(&cp.part.table, column);
    cp.part
        .records
        .iter()
        .map(|r| r.cells[ci].as_ref().map(|c| c.at.a1()).unwrap_or_default())
        .collect()
}

/// What kind of cell the reader saw, record by record: `date`, `number` or `text`.
fn raw_kinds(cp: &CheckedPart, column: &str) -> Vec<&'static str> {
    let ci = column_index(&cp.part.table, column);
    cp.part
        .records
        .iter()
        .map(|r| match r.cells[ci].as_ref().map(|c| &c.raw) {
            Some(Raw::Date(_)) => "date",
            Some(Raw::Number(_)) => "number",
            Some(Raw::Text(_)) => "text",
            _ => "other",
        })
        .collect()
}

fn some(texts: &[&str]) -> Vec<Option<String>> {
    texts.iter().map(|t| Some(t.to_string())).collect()
}

fn strings(texts: &[&str]) -> Vec<String> {
    texts.iter().map(|t| t.to_string()).collect()
}

/// A staff row with one column replaced.
fn staff_with(id: &str, col: usize, v: V) -> Vec<V> {
    let mut r = staff(id);
    r[col] = v;
    r
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

#[test]
fn year_months_from_date_cells_serials_and_text() {
    let dir = TempDir::new().unwrap();
    let forms = vec![
        nf(45170.0, "yyyy-mm"),           // a real date cell
        nf(45170.0, "yyyy\"年\"m\"月\""), // a real date cell, Chinese format
        ni(45170.0, 57),                  // the built-in zh-CN 年月 format
        n(45170.0),                       // a serial in a General cell
        s("2023-09"),
        s("2023.09"),
        s("2023/9/1"),
        s("2023年9月"),
        s("202309"),
        s("２０２３年９月"),
        n(202309.0), // six digits as a number
        s("2023-9"),
    ];
    let rows: Vec<Vec<V>> = forms
        .into_iter()
        .enumerate()
        .map(|(i, v)| staff_with(&format!("{:06}", 101 + i), CSNY, v))
        .collect();
    let count = rows.len();
    let f = staff_book(&dir, "人事处.xlsx", &rows);
    let o = run(&[f]);
    let cp = part(&o, "1-5-1");
    // The first three are real date cells, the fourth a bare serial, the rest text or numbers.
    assert_eq!(
        raw_kinds(cp, "出生年月"),
        [
            "date", "date", "date", "number", "text", "text", "text", "text", "text", "text",
            "number", "text"
        ]
    );
    assert_eq!(values(cp, "出生年月"), some(&["2023-09"; 12]));
    assert_eq!(cp.part.records.len(), count);
    assert_eq!(values(cp, "入校时间"), some(&["2010-07"; 12]));
    assert_eq!(spots(&o), Vec::<String>::new());
}

#[test]
fn year_month_typed_as_a_decimal_number() {
    // `2023.09` typed into a General cell is stored as the number 2023.09; it is a year and a
    // month, not the serial of a day in 1905. `2023.10` is stored as 2023.1, which could be
    // January or October: not readable.
    let dir = TempDir::new().unwrap();
    let f = staff_book(
        &dir,
        "人事处.xlsx",
        &[
            staff_with("000101", CSNY, n(1985.03)),
            staff_with("000102", CSNY, n(2023.11)),
            staff_with("000103", CSNY, n(1990.5)),
            staff_with("000104", CSNY, n(2023.1)),
        ],
    );
    let o = run(&[f]);
    let cp = part(&o, "1-5-1");
    assert_eq!(
        values(cp, "出生年月"),
        vec![
            Some("1985-03".to_string()),
            Some("2023-11".to_string()),
            Some("1990-05".to_string()),
            None
        ]
    );
    assert_eq!(spots(&o), strings(&[&format!("type-error {T151}!D5")]));
}

#[test]
fn year_month_in_yyyymm_form() {
    // 2-7 购置时间 is a year-month column with format = "YYYYMM".
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    let ws = sheet(&mut wb, "表2-7 本科实验设备情况");
    row(ws, "A1", &header("2-7"));
    let forms = [
        s("2023-09"),
        nf(45170.0, "yyyy-mm"),
        n(45170.0),
        s("202309"),
        n(202309.0),
        s("2023年9月"),
        s("２０２３．０９"),
    ];
    for (i, v) in forms.iter().enumerate() {
        let r = [
            s("SY001"),
            s("物理实验室"),
            s("示波器"),
            s(&format!("2023{:04}", i + 1)),
            n(12000.5),
            v.clone(),
        ];
        row(ws, &format!("A{}", i + 2), &r);
    }
    let f = save(wb, &dir, "资产处.xlsx");
    let o = run(&[f]);
    let cp = part(&o, "2-7");
    assert_eq!(values(cp, "购置时间"), some(&["202309"; 7]));
    assert_eq!(values(cp, "单价（元）"), some(&["12000.5"; 7]));
    assert_eq!(spots(&o), Vec::<String>::new());
}

#[test]
fn unreadable_date_texts_are_type_errors() {
    let dir = TempDir::new().unwrap();
    let f = staff_book(
        &dir,
        "人事处.xlsx",
        &[
            staff_with("000101", CSNY, s("2023年13月")),
            staff_with("000102", CSNY, s("九月")),
            staff_with("000103", RXSJ, s("2023")), // a year is not a month
        ],
    );
    let o = run(&[f]);
    let cp = part(&o, "1-5-1");
    assert_eq!(
        values(cp, "出生年月"),
        vec![None, None, Some("1985-03".to_string())]
    );
    assert_eq!(
        values(cp, "入校时间"),
        vec![
            Some("2010-07".to_string()),
            Some("2010-07".to_string()),
            None
        ]
    );
    assert_eq!(
        spots(&o),
        strings(&[
            &format!("type-error {T151}!D2"),
            &format!("type-error {T151}!D3"),
            &format!("type-error {T151}!E4"),
        ])
    );
    let shown: Vec<&str> = o
        .findings
        .iter()
        .filter(|f| f.code == Code::TypeError)
        .filter_map(|f| f.value.as_deref())
        .collect();
    assert_eq!(shown, vec!["2023年13月", "九月", "2023"]);
}

// ---------------------------------------------------------------------------------------------
// Full-width digits and stray spaces
// ---------------------------------------------------------------------------------------------

#[test]
fn full_width_digits_in_codes_and_integers() {
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    let ws = sheet(&mut wb, T151);
    row(ws, "A1", &header("1-5-1"));
    row(ws, "A2", &staff("０００１２３"));
    let ws = sheet(&mut wb, "表5-2-2 分专业教师指导学生毕业综合训练情况");
    row(ws, "A1", &header("5-2-2"));
    // 工号 000123 refers to 1-5-1, where it was written in full-width digits.
    row(
        ws,
        "A2",
        &[
            s("0801"),
            s("计算机科学与技术"),
            s("张三"),
            s("000123"),
            s("１２"),
        ],
    );
    row(
        ws,
        "A3",
        &[s("0802"), s("软件工程"), s("张三"), s("000123"), s(" 7 ")],
    );
    let f = save(wb, &dir, "教务处.xlsx");
    let o = run(&[f]);
    assert_eq!(values(part(&o, "1-5-1"), "工号"), some(&["000123"]));
    let cp = part(&o, "5-2-2");
    assert_eq!(values(cp, "指导专业学生数量"), some(&["12", "7"]));
    assert_eq!(values(cp, "工号"), some(&["000123", "000123"]));
    assert_eq!(
        spots(&o),
        strings(&[&format!("value-normalised {T151}!A2")])
    );
    assert_eq!(severity_at(&o, Code::ValueNormalised, "A2"), Severity::Info);
}

#[test]
fn hidden_and_ordinary_spaces_around_values() {
    let dir = TempDir::new().unwrap();
    let mut r5 = staff("000105");
    r5[XM] = s(" 王五 ");
    r5[XY] = s("外校(境内)");
    let f = staff_book(
        &dir,
        "人事处.xlsx",
        &[
            staff_with("000102", XB, s("\u{00A0}男\u{200B}")),
            staff_with("000103", XB, s("  女  ")),
            staff_with("000104 ", XB, s("\u{3000}男")),
            r5,
        ],
    );
    let o = run(&[f]);
    let cp = part(&o, "1-5-1");
    assert_eq!(values(cp, "性别"), some(&["男", "女", "男", "男"]));
    assert_eq!(
        values(cp, "工号"),
        some(&["000102", "000103", "000104", "000105"])
    );
    assert_eq!(values(cp, "姓名"), some(&["张三", "张三", "张三", "王五"]));
    assert_eq!(
        values(cp, "学缘"),
        some(&["本校", "本校", "本校", "外校（境内）"])
    );
    // Hidden characters are reported as a notice; ordinary edge spaces silently trimmed.
    assert_eq!(
        spots(&o),
        strings(&[
            &format!("value-normalised {T151}!C2"),
            &format!("value-normalised {T151}!C4"),
        ])
    );
    assert_eq!(severity_at(&o, Code::ValueNormalised, "C2"), Severity::Info);
}

// ---------------------------------------------------------------------------------------------
// Codes written as numbers
// ---------------------------------------------------------------------------------------------

#[test]
fn codes_written_as_numbers() {
    let dir = TempDir::new().unwrap();
    let f = staff_book(
        &dir,
        "人事处.xlsx",
        &[
            staff_with("", GH, n(123.0)),
            // An 18-digit number keeps only 15 significant digits: the code is gone.
            staff_with("", GH, n(110101199001011234.0)),
            staff_with("000104", DWH, n(101.0)),
        ],
    );
    let o = run(&[f]);
    let cp = part(&o, "1-5-1");
    assert_eq!(
        values(cp, "工号"),
        vec![Some("123".to_string()), None, Some("000104".to_string())]
    );
    assert_eq!(values(cp, "单位号"), some(&["0101", "0101", "101"]));
    assert_eq!(
        spots(&o),
        strings(&[
            &format!("code-as-number {T151}!A2"),
            &format!("code-as-number {T151}!G4"),
            &format!("type-error {T151}!A3"),
        ])
    );
    assert_eq!(severity_at(&o, Code::CodeAsNumber, "A2"), Severity::Warning);
    assert_eq!(severity_at(&o, Code::TypeError, "A3"), Severity::Error);
}

// ---------------------------------------------------------------------------------------------
// Where the table is in the sheet
// ---------------------------------------------------------------------------------------------

#[test]
fn one_merged_title_row_above_the_header() {
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    let ws = sheet(&mut wb, T151);
    ws.merge_range(0, 0, 0, 14, "表1-5-1 教职工基本信息", &Format::new())
        .unwrap();
    row(ws, "A2", &header("1-5-1"));
    row(ws, "A3", &staff_with("000101", XB, s("M")));
    let f = save(wb, &dir, "人事处.xlsx");
    let o = run(&[f]);
    let cp = part(&o, "1-5-1");
    assert_eq!(cp.part.header_row, 1);
    assert_eq!(cells(cp, "工号"), strings(&["A3"]));
    assert_eq!(values(cp, "工号"), some(&["000101"]));
    assert_eq!(spots(&o), strings(&[&format!("enum-error {T151}!C3")]));
}

#[test]
fn two_title_rows_above_the_header() {
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    let ws = sheet(&mut wb, T151);
    ws.merge_range(0, 0, 0, 14, "表1-5-1 教职工基本信息", &Format::new())
        .unwrap();
    row(
        ws,
        "A2",
        &[s("填报单位：人事处"), V::Blank, s("时点：2025-09-30")],
    );
    row(ws, "A3", &header("1-5-1"));
    row(ws, "A4", &staff_with("000101", XB, s("M")));
    row(ws, "A5", &staff_with("000102", CSNY, s("2023年13月")));
    let f = save(wb, &dir, "人事处.xlsx");
    let o = run(&[f]);
    let cp = part(&o, "1-5-1");
    assert_eq!(cp.part.header_row, 2);
    assert_eq!(cells(cp, "工号"), strings(&["A4", "A5"]));
    assert_eq!(cells(cp, "出生年月"), strings(&["D4", "D5"]));
    assert_eq!(values(cp, "工号"), some(&["000101", "000102"]));
    assert_eq!(
        spots(&o),
        strings(&[
            &format!("enum-error {T151}!C4"),
            &format!("type-error {T151}!D5"),
        ])
    );
}

#[test]
fn table_not_starting_at_a1() {
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    let ws = sheet(&mut wb, T151);
    row(ws, "C5", &header("1-5-1")); // columns C..Q
    row(ws, "C6", &staff_with("", GH, n(123.0)));
    row(ws, "C7", &staff_with("000102", XB, s("M")));
    let f = save(wb, &dir, "人事处.xlsx");
    let o = run(&[f]);
    let cp = part(&o, "1-5-1");
    assert_eq!(cp.part.header_row, 4);
    assert_eq!(cells(cp, "工号"), strings(&["C6", "C7"]));
    assert_eq!(cells(cp, "民族"), strings(&["Q6", "Q7"]));
    assert_eq!(values(cp, "工号"), some(&["123", "000102"]));
    assert_eq!(values(cp, "民族"), some(&["汉族", "汉族"]));
    assert_eq!(
        spots(&o),
        strings(&[
            &format!("code-as-number {T151}!C6"),
            &format!("enum-error {T151}!E7"),
        ])
    );
}

// ---------------------------------------------------------------------------------------------
// Vertical forms of single-record tables
// ---------------------------------------------------------------------------------------------

/// The 15 items of 1-1, names and values, in platform order.
fn school_items(code: V) -> Vec<(String, V)> {
    vec![
        ("学校名称", s("某某大学")),
        ("代码", code),
        ("英文名称", s("Mou University")),
        ("办学类型", s("普通本科院校")),
        ("学校性质", s("综合院校")),
        ("举办者", s("省级教育部门")),
        ("主管部门", s("省市(自治区)教育厅(委)")),
        ("学校网址", s("https://www.example.edu.cn")),
        ("开办本科教育年份", n(1958.0)),
        ("校区名称及地址", s("主校区：某市某路1号")),
        ("校训", s("博学笃行")),
        ("定位与发展目标", s("建设高水平大学")),
        ("填报人姓名", s("李四")),
        ("填报人联系电话", s("13800138000")),
        ("填报人联系电子邮箱", s("lisi@example.edu.cn")),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn check_school_values(cp: &CheckedPart, code: Option<&str>) {
    assert!(cp.part.vertical);
    assert_eq!(cp.part.records.len(), 1);
    let one = |c: &str| values(cp, c).remove(0);
    assert_eq!(one("学校名称").as_deref(), Some("某某大学"));
    assert_eq!(one("代码").as_deref(), code);
    assert_eq!(
        one("主管部门").as_deref(),
        Some("省市（自治区）教育厅（委）")
    );
    assert_eq!(one("开办本科教育年份").as_deref(), Some("1958"));
    assert_eq!(one("填报人联系电话").as_deref(), Some("13800138000"));
}

#[test]
fn vertical_form_with_item_content_header() {
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    let ws = sheet(&mut wb, "表1-1 学校概况");
    row(ws, "A1", &[s("项目"), s("内容")]);
    for (i, (k, v)) in school_items(s("1055")).into_iter().enumerate() {
        row(ws, &format!("A{}", i + 2), &[s(&k), v]);
    }
    let f = save(wb, &dir, "党政办.xlsx");
    let o = run(&[f]);
    let cp = part(&o, "1-1");
    check_school_values(cp, None);
    assert_eq!(cells(cp, "学校名称"), strings(&["B2"]));
    assert_eq!(cells(cp, "填报人联系电子邮箱"), strings(&["B16"]));
    // The four-digit 代码 breaks the five-digit pattern, at its 内容 cell.
    assert_eq!(spots(&o), strings(&["pattern-error 表1-1 学校概况!B3"]));
}

#[test]
fn vertical_form_without_header() {
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    let ws = sheet(&mut wb, "表1-1 学校概况");
    for (i, (k, v)) in school_items(n(10559.0)).into_iter().enumerate() {
        row(ws, &format!("A{}", i + 1), &[s(&k), v]);
    }
    let f = save(wb, &dir, "党政办.xlsx");
    let o = run(&[f]);
    let cp = part(&o, "1-1");
    check_school_values(cp, Some("10559"));
    assert_eq!(cells(cp, "代码"), strings(&["B2"]));
    assert_eq!(spots(&o), strings(&["code-as-number 表1-1 学校概况!B2"]));
}

#[test]
fn vertical_form_with_numbered_items_and_decimals() {
    // 序号 | 项目 | 内容: the names are in column B, the values in column C.
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    let ws = sheet(&mut wb, "表2-8-1 教育经费概况");
    row(ws, "A1", &[s("序号"), s("项目"), s("内容")]);
    row(ws, "A2", &[n(1.0), s("学校教育经费总额"), n(52345.678)]);
    row(ws, "A3", &[n(2.0), s("教学经费总额"), s("１２３４.５")]);
    row(
        ws,
        "A4",
        &[n(3.0), s("教学改革与建设专项经费总额"), s("3,000")],
    );
    let f = save(wb, &dir, "财务处.xlsx");
    let o = run(&[f]);
    let cp = part(&o, "2-8-1");
    assert!(cp.part.vertical);
    assert_eq!(cp.part.records.len(), 1);
    assert_eq!(values(cp, "学校教育经费总额"), some(&["52345.678"]));
    assert_eq!(values(cp, "教学经费总额"), some(&["1234.5"]));
    assert_eq!(values(cp, "教学改革与建设专项经费总额"), vec![None]);
    assert_eq!(cells(cp, "教学改革与建设专项经费总额"), strings(&["C4"]));
    assert_eq!(spots(&o), strings(&["type-error 表2-8-1 教育经费概况!C4"]));
}

// ---------------------------------------------------------------------------------------------
// Sheet and file names
// ---------------------------------------------------------------------------------------------

#[test]
fn sheet_names_of_every_common_form() {
    let dir = TempDir::new().unwrap();

    let mut wb = Workbook::new();
    let ws = sheet(&mut wb, T151);
    row(ws, "A1", &header("1-5-1"));
    row(ws, "A2", &staff("000123"));
    let ws = sheet(&mut wb, "说明");
    row(ws, "A1", &[s("填表说明：请按平台模板填写，不要改动表头。")]);
    sheet(&mut wb, "Sheet2"); // empty
    let ws = sheet(&mut wb, "表SF-5：教师近五年基础教育服务经历");
    row(ws, "A1", &header("SF-5"));
    row(
        ws,
        "A2",
        &[
            s("000123"),
            s("张三"),
            s("中学"),
            s("2021-09-01"),
            s("2022-07-01"),
        ],
    );
    // 表5-2-2 分专业教师指导学生毕业综合训练情况（非医学类专业填报）, cut by Excel at 31.
    let ws = sheet(
        &mut wb,
        "表5-2-2 分专业教师指导学生毕业综合训练情况（非医学类专业",
    );
    row(ws, "A1", &header("5-2-2"));
    row(
        ws,
        "A2",
        &[
            s("0801"),
            s("计算机科学与技术"),
            s("张三"),
            s("000123"),
            n(12.0),
        ],
    );
    let a = save(wb, &dir, "教务处.xlsx");

    let mut wb = Workbook::new();
    let ws = sheet(&mut wb, "  表1-5-1 教职工基本信息");
    row(ws, "A1", &header("1-5-1"));
    row(ws, "A2", &staff("000124"));
    let b = save(wb, &dir, "人事处.xlsx");

    // A one-sheet file whose sheet says nothing: its file name names the table.
    let mut wb = Workbook::new();
    let ws = sheet(&mut wb, "Sheet1");
    row(ws, "A1", &header("1-2"));
    row(
        ws,
        "A2",
        &[s("党政办公室"), s("0101"), s("其他"), s("赵六")],
    );
    let c = save(wb, &dir, "表1-2 学校相关党政单位.xlsx");

    let o = run(&[a, b, c]);
    let mut matched: Vec<(String, String)> = o
        .parts
        .iter()
        .map(|p| (p.part.sheet.clone(), p.part.table.clone()))
        .collect();
    matched.sort();
    let mut expected: Vec<(String, String)> = [
        ("  表1-5-1 教职工基本信息", "1-5-1"),
        ("Sheet1", "1-2"),
        (T151, "1-5-1"),
        ("表SF-5：教师近五年基础教育服务经历", "SF-5"),
        (
            "表5-2-2 分专业教师指导学生毕业综合训练情况（非医学类专业",
            "5-2-2",
        ),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    expected.sort();
    assert_eq!(matched, expected);
    for p in &o.parts {
        assert_eq!(p.part.records.len(), 1, "records of {}", p.part.sheet);
    }
    // 单位号 0101 is found in 1-2, 工号 000123 in 1-5-1: no reference errors.
    assert_eq!(spots(&o), strings(&["unmatched-sheet 说明"]));
    let unmatched = o
        .findings
        .iter()
        .find(|f| f.code == Code::UnmatchedSheet)
        .unwrap();
    assert_eq!(unmatched.severity, Severity::Warning);
}

#[test]
fn sheet_name_cut_at_31_characters_without_table_number() {
    // The sheet is named by the table's name alone, 32 characters, which Excel cut at 31.
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    // 学生创作、表演的代表性作品（除美术学类专业外的其他艺术类专业用）, cut at 31, no 表号.
    let ws = sheet(
        &mut wb,
        "学生创作、表演的代表性作品（除美术学类专业外的其他艺术类专业用",
    );
    row(ws, "A1", &header("6-6-7"));
    row(
        ws,
        "A2",
        &[
            s("2021001"),
            s("钱七"),
            s("春之歌"),
            s("表演类"),
            s("小型作品"),
            n(2025.0),
            s("校音乐厅"),
            s("音乐学院"),
            s("省内"),
        ],
    );
    let f = save(wb, &dir, "艺术学院.xlsx");
    let o = run(&[f]);
    let cp = part(&o, "6-6-7");
    assert_eq!(values(cp, "学号"), some(&["2021001"]));
    assert_eq!(values(cp, "发布时间"), some(&["2025"]));
    assert_eq!(spots(&o), Vec::<String>::new());
}

#[test]
fn file_name_names_the_table_when_the_other_sheets_are_empty() {
    // Excel's default Sheet1/Sheet2/Sheet3, with only Sheet1 filled in.
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    let ws = sheet(&mut wb, "Sheet1");
    row(ws, "A1", &header("1-3"));
    row(
        ws,
        "A2",
        &[s("计算机学院"), s("0101"), s("教学院系"), s("孙八")],
    );
    sheet(&mut wb, "Sheet2");
    sheet(&mut wb, "Sheet3");
    let f = save(wb, &dir, "表1-3 学校教学科研单位.xlsx");
    let o = run(&[f]);
    let cp = part(&o, "1-3");
    assert_eq!(cp.part.sheet, "Sheet1");
    assert_eq!(values(cp, "单位号"), some(&["0101"]));
    assert_eq!(o.parts.len(), 1);
    assert_eq!(spots(&o), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// Header texts
// ---------------------------------------------------------------------------------------------

#[test]
fn header_texts_with_other_brackets_spaces_and_line_breaks() {
    let dir = TempDir::new().unwrap();
    let data = |code: &str, name: &str| {
        vec![
            s(code),
            s(name),
            s("物理学院"),
            s("0101"),
            s("基础实验室"),
            s("否"),
            n(120.5),
        ]
    };
    let mut wb = Workbook::new();
    let ws = sheet(&mut wb, "表1-7-1 本科实验场所");
    row(
        ws,
        "A1",
        &[
            s("实验场所代码"),
            s("实验场所 名称"),
            s(" 所属单位名称 "),
            s("所属单位号"),
            s("性　质"),
            s("共建情况"),
            s("使用面积(平方米)"),
        ],
    );
    row(ws, "A2", &data("SY001", "力学实验室"));
    let a = save(wb, &dir, "资产处.xlsx");

    let mut wb = Workbook::new();
    let ws = sheet(&mut wb, "表1-7-1 本科实验场所");
    let mut h = header("1-7-1");
    h[6] = s("使用面积\n（平方米）");
    row(ws, "A1", &h);
    row(ws, "A2", &data("SY002", "光学实验室"));
    let b = save(wb, &dir, "物理学院.xlsx");

    let o = run(&[a, b]);
    assert_eq!(o.parts.len(), 2);
    for cp in &o.parts {
        assert_eq!(cp.part.header_row, 0);
        assert_eq!(cells(cp, "使用面积（平方米）"), strings(&["G2"]));
        assert_eq!(values(cp, "使用面积（平方米）"), some(&["120.5"]));
        assert_eq!(values(cp, "性质"), some(&["基础实验室"]));
        assert_eq!(values(cp, "所属单位名称"), some(&["物理学院"]));
    }
    // No missing or unknown columns.
    assert_eq!(spots(&o), Vec::<String>::new());
}

// ---------------------------------------------------------------------------------------------
// Blank rows and empty tables
// ---------------------------------------------------------------------------------------------

#[test]
fn blank_rows_between_data_rows_are_skipped() {
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    let ws = sheet(&mut wb, T151);
    row(ws, "A1", &header("1-5-1"));
    row(ws, "A2", &staff("000101"));
    // row 3 empty
    row(ws, "A4", &staff("000102"));
    row(ws, "A5", &[s("  "), s("\u{3000}"), V::Blank, s("\u{00A0}")]); // blanks only
                                                                       // row 6 empty
    row(ws, "A7", &staff_with("000103", XB, s("M")));
    // Formatted but empty cells below the data.
    ws.write_blank(9, 0, &Format::new().set_bold()).unwrap();
    let f = save(wb, &dir, "人事处.xlsx");
    let o = run(&[f]);
    let cp = part(&o, "1-5-1");
    assert_eq!(cp.part.records.len(), 3);
    assert_eq!(cells(cp, "工号"), strings(&["A2", "A4", "A7"]));
    assert_eq!(values(cp, "工号"), some(&["000101", "000102", "000103"]));
    assert_eq!(spots(&o), strings(&[&format!("enum-error {T151}!C7")]));
}

#[test]
fn header_only_tables_are_empty() {
    let dir = TempDir::new().unwrap();
    let mut wb = Workbook::new();
    let ws = sheet(&mut wb, T151);
    ws.merge_range(0, 0, 0, 14, "表1-5-1 教职工基本信息", &Format::new())
        .unwrap();
    row(ws, "A2", &header("1-5-1"));
    let ws = sheet(&mut wb, "表2-7 本科实验设备情况");
    row(ws, "A1", &header("2-7"));
    let f = save(wb, &dir, "人事处.xlsx");
    let o = run(&[f]);
    assert_eq!(part(&o, "1-5-1").part.records.len(), 0);
    assert_eq!(part(&o, "2-7").part.records.len(), 0);
    assert_eq!(
        spots(&o),
        strings(&[
            &format!("empty-table {T151}"),
            "empty-table 表2-7 本科实验设备情况",
        ])
    );
    let sev = |t: &str| {
        o.findings
            .iter()
            .find(|f| f.code == Code::EmptyTable && f.table.as_deref() == Some(t))
            .unwrap()
            .severity
    };
    // 1-5-1 is a required table, 2-7 is not.
    assert_eq!(sev("1-5-1"), Severity::Error);
    assert_eq!(sev("2-7"), Severity::Warning);
}

// ---------------------------------------------------------------------------------------------
// Unreadable files
// ---------------------------------------------------------------------------------------------

#[test]
fn unreadable_files_next_to_a_good_workbook() {
    let dir = TempDir::new().unwrap();
    let good = staff_book(&dir, "人事处.xlsx", &[staff_with("000101", XB, s("M"))]);
    let bytes = std::fs::read(&good).unwrap();
    let d = dir.path();
    // (a) a CSV renamed .xlsx
    std::fs::write(d.join("text.xlsx"), "工号,姓名\n000123,张三\n").unwrap();
    // (b) an empty file
    std::fs::write(d.join("empty.xlsx"), b"").unwrap();
    // (c) the first half of a real workbook
    std::fs::write(d.join("truncated.xlsx"), &bytes[..bytes.len() / 2]).unwrap();
    // (d) an encrypted OOXML container: OLE2 header and an EncryptedPackage stream name
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(vec![0u8; 504]);
    ole.extend(
        "EncryptedPackage"
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    ole.extend(vec![0u8; 512]);
    std::fs::write(d.join("encrypted.xlsx"), &ole).unwrap();
    // Excel's lock file is not a submission at all.
    std::fs::write(d.join("~$人事处.xlsx"), b"\x0c\x00lock").unwrap();

    let files = expand_inputs(&[d.to_path_buf()]).unwrap();
    assert_eq!(files.len(), 5);
    let o = run(&files);

    assert_eq!(
        spots(&o),
        strings(&[
            &format!("enum-error {T151}!C2"),
            "unreadable-file [empty.xlsx]",
            "unreadable-file [encrypted.xlsx]",
            "unreadable-file [text.xlsx]",
            "unreadable-file [truncated.xlsx]",
        ])
    );
    for bad in [
        "empty.xlsx",
        "encrypted.xlsx",
        "text.xlsx",
        "truncated.xlsx",
    ] {
        let path = d.join(bad).display().to_string();
        let mine: Vec<_> = o
            .findings
            .iter()
            .filter(|f| f.location.file.as_deref() == Some(path.as_str()))
            .collect();
        assert_eq!(mine.len(), 1, "findings for {bad}");
        assert_eq!(mine[0].code, Code::UnreadableFile);
        assert_eq!(mine[0].severity, Severity::Error);
        assert_eq!(mine[0].location.sheet, None);
        assert_eq!(mine[0].location.cell, None);
    }
    let cp = part(&o, "1-5-1");
    assert_eq!(cp.part.file, good.display().to_string());
    assert_eq!(values(cp, "工号"), some(&["000101"]));
    let readable: Vec<(String, bool)> = o
        .files
        .iter()
        .map(|f| (file_name(&f.file), f.readable))
        .collect();
    assert_eq!(readable.iter().filter(|(_, r)| *r).count(), 1);
    assert!(readable.contains(&("人事处.xlsx".to_string(), true)));
}
