//! Writes the fixture school: the department workbooks of a small, fictional university
//! (示例理工学院, 学校代码 19999) for the 2025 collection, with a handful of deliberate filling
//! mistakes. `fixtures/README.md` lists every mistake and the finding it should produce.
//!
//! ```text
//! cargo run --example make_fixtures [-- OUT_DIR]     # default: fixtures/school
//! ```
//!
//! The output is deterministic (fixed document properties, fixed zip timestamps), so the
//! committed files can be compared byte for byte with a fresh run (`tests/fixtures.rs`).
//!
//! Column headers are written literally, exactly as the 2025 schema names them and in schema
//! order, so that a change of the schema shows up as a finding instead of silently moving the
//! fixture along.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

/// The school's name, used in titles and in 表1-1.
pub const SCHOOL: &str = "示例理工学院";

/// The department workbooks the generator writes, in the order it writes them.
pub const FILES: [&str; 5] = [
    "党政办公室.xlsx",
    "人事处.xlsx",
    "教务处.xlsx",
    "资产处.xlsx",
    "财务处.xlsx",
];

/// The tables (表号) the fixture school hands in. Every other table of the edition is missing.
pub const TABLES: [&str; 13] = [
    "1-1", "1-2", "1-3", "3-1", // 党政办公室
    "1-5-1", "1-5-2", // 人事处
    "1-4-1", "1-6", "5-1-1", // 教务处
    "1-7-1", "2-1", // 资产处 (never sends 2-6 固定资产)
    "2-8-1", "2-8-2", // 财务处
];

/// One cell of a fixture row.
#[derive(Clone, Copy)]
enum V<'a> {
    /// A text cell (codes keep their leading zeros).
    T(&'a str),
    /// A number cell.
    N(f64),
    /// A real Excel date cell (the first of the month) shown as `yyyy-mm`.
    D(u16, u8),
    /// Nothing written.
    E,
}

use V::{D, E, N, T};

struct Styles {
    header: Format,
    title: Format,
    year_month: Format,
}

impl Styles {
    fn new() -> Styles {
        Styles {
            header: Format::new().set_bold(),
            title: Format::new().set_bold().set_font_size(14),
            year_month: Format::new().set_num_format("yyyy-mm"),
        }
    }
}

fn write_value(
    ws: &mut Worksheet,
    st: &Styles,
    row: u32,
    col: u16,
    v: V<'_>,
) -> Result<(), XlsxError> {
    match v {
        T(s) => {
            ws.write_string(row, col, s)?;
        }
        N(n) => {
            ws.write_number(row, col, n)?;
        }
        D(y, m) => {
            let d = ExcelDateTime::from_ymd(y, m, 1)?;
            ws.write_datetime_with_format(row, col, &d, &st.year_month)?;
        }
        E => {}
    }
    Ok(())
}

/// A list table: optional merged title row, the header row, then the data rows.
fn list_sheet(
    wb: &mut Workbook,
    st: &Styles,
    sheet: &str,
    title: Option<&str>,
    headers: &[&str],
    rows: &[Vec<V<'_>>],
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(sheet)?;
    let mut row = 0;
    if let Some(t) = title {
        ws.merge_range(0, 0, 0, headers.len() as u16 - 1, t, &st.title)?;
        row = 1;
    }
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &st.header)?;
        ws.set_column_width(c as u16, 14)?;
    }
    for r in rows {
        assert_eq!(r.len(), headers.len(), "{sheet}: row width");
        row += 1;
        for (c, v) in r.iter().enumerate() {
            write_value(ws, st, row, c as u16, *v)?;
        }
    }
    Ok(())
}

/// A single-record table as a vertical 项目 | 内容 form.
fn form_sheet(
    wb: &mut Workbook,
    st: &Styles,
    sheet: &str,
    items: &[(&str, V<'_>)],
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name(sheet)?;
    ws.write_string_with_format(0, 0, "项目", &st.header)?;
    ws.write_string_with_format(0, 1, "内容", &st.header)?;
    ws.set_column_width(0, 24)?;
    ws.set_column_width(1, 48)?;
    for (i, (name, v)) in items.iter().enumerate() {
        let row = i as u32 + 1;
        ws.write_string(row, 0, *name)?;
        write_value(ws, st, row, 1, *v)?;
    }
    Ok(())
}

fn new_workbook(department: &str) -> Result<Workbook, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2025, 10, 10)?.and_hms(9, 0, 0)?;
    let props = DocProperties::new()
        .set_title(format!(
            "{SCHOOL} 2025 年本科教学基本状态数据（{department}）"
        ))
        .set_author(format!("{SCHOOL}{department}"))
        .set_company(SCHOOL)
        .set_comment("虚构学校的测试数据，由 examples/make_fixtures.rs 生成")
        .set_creation_datetime(&created);
    wb.set_properties(&props);
    Ok(wb)
}

fn party_office(dir: &Path, st: &Styles) -> Result<PathBuf, XlsxError> {
    let mut wb = new_workbook("党政办公室")?;
    form_sheet(
        &mut wb,
        st,
        "表1-1 学校概况",
        &[
            ("学校名称", T(SCHOOL)),
            ("代码", T("19999")),
            ("英文名称", T("Example Institute of Technology")),
            ("办学类型", T("普通本科院校")),
            ("学校性质", T("理工院校")),
            ("举办者", T("省级教育部门")),
            ("主管部门", T("省市（自治区）教育厅（委）")),
            ("学校网址", T("https://www.example.edu.cn")),
            ("开办本科教育年份", N(2004.0)),
            (
                "校区名称及地址",
                T("主校区：示例省示例市科技路1号；东校区：示例省示例市学府路8号"),
            ),
            ("校训", T("求实 创新")),
            ("定位与发展目标", T("建设特色鲜明的高水平应用型理工大学")),
            ("填报人姓名", T("林晓")),
            ("填报人联系电话", T("13800000000")),
            ("填报人联系电子邮箱", T("fzb@example.edu.cn")),
        ],
    )?;
    list_sheet(
        &mut wb,
        st,
        "表1-2 学校相关党政单位",
        None,
        &["党政单位名称", "单位号", "单位职能", "单位负责人"],
        &[
            vec![T("党政办公室"), T("0101"), T("其他"), T("赵明远")],
            vec![T("人事处"), T("0102"), T("其他"), T("钱文华")],
            vec![T("教务处"), T("0103"), T("教学管理"), T("孙立新")],
            vec![T("学生工作处"), T("0104"), T("学生管理"), T("李静怡")],
            vec![T("资产处"), T("0105"), T("其他"), T("周建国")],
            vec![T("财务处"), T("0106"), T("其他"), T("吴晓岚")],
            vec![T("教学质量监控中心"), T("0107"), T("质量监控"), T("郑雅琴")],
        ],
    )?;
    list_sheet(
        &mut wb,
        st,
        "表1-3 学校教学科研单位",
        None,
        &["教学科研单位名称", "单位号", "单位职能", "单位负责人"],
        &[
            vec![T("机械工程学院"), T("0201"), T("教学院系"), T("王振宇")],
            vec![T("信息工程学院"), T("0202"), T("教学院系"), T("冯子健")],
            vec![T("经济管理学院"), T("0203"), T("教学院系"), T("陈思远")],
            vec![T("数理学院"), T("0204"), T("教学院系"), T("褚慧敏")],
            vec![T("先进材料研究所"), T("0301"), T("科研机构"), T("卫东升")],
        ],
    )?;
    list_sheet(
        &mut wb,
        st,
        "表3-1 校领导基本信息",
        None,
        &["工号", "姓名", "职务", "入校时间", "校内分管工作"],
        &[
            vec![
                T("000001"),
                T("严正清"),
                T("校长"),
                N(1995.0),
                T("主持行政全面工作"),
            ],
            vec![
                T("000002"),
                T("何永康"),
                T("党委书记"),
                N(1990.0),
                T("主持党委全面工作"),
            ],
            vec![
                T("000003"),
                T("吕思齐"),
                T("副校长"),
                N(2001.0),
                T("分管本科教学、质量监控"),
            ],
        ],
    )?;
    let path = dir.join("党政办公室.xlsx");
    wb.save(&path)?;
    Ok(path)
}

fn personnel(dir: &Path, st: &Styles) -> Result<PathBuf, XlsxError> {
    let mut wb = new_workbook("人事处")?;
    #[rustfmt::skip]
    let staff = vec![
        // 工号, 姓名, 性别, 出生年月, 入校时间, 任职状态, 单位号, 单位名称, 学历, 最高学位, 学缘,
        // 专业技术职称, 学科类别, 政治面貌, 民族
        vec![T("000001"), T("严正清"), T("男"), D(1968, 3), D(1995, 7), T("在职"), T("0101"), T("党政办公室"),
             T("博士研究生"), T("博士"), T("外校（境内）"), T("教授"), T("机械工程"), T("中共党员"), T("汉族")],
        vec![T("000002"), T("何永康"), T("男"), D(1966, 11), D(1990, 7), T("在职"), T("0101"), T("党政办公室"),
             T("硕士研究生"), T("硕士"), T("本校"), T("教授"), T("工商管理学"), T("中共党员"), T("汉族")],
        vec![T("000003"), T("吕思齐"), T("女"), D(1972, 5), D(2001, 9), T("在职"), T("0101"), T("党政办公室"),
             T("博士研究生"), T("博士"), T("外校（境外）"), T("教授"), T("计算机科学与技术"), T("中共党员"), T("回族")],
        // MISTAKE: 工号 000123 typed as a number cell, the zeros are gone (A5). The half-width
        // brackets of 外校(境内) are NOT a mistake.
        vec![N(123.0), T("王芳"), T("女"), D(1985, 6), D(2012, 9), T("在职"), T("0202"), T("信息工程学院"),
             T("博士研究生"), T("博士"), T("外校(境内)"), T("副教授"), T("计算机科学与技术"), T("群众"), T("汉族")],
        // MISTAKE: 入校时间 typed as text that is no date, month 13 (E6).
        vec![T("000124"), T("李强"), T("男"), D(1990, 2), T("2019年13月"), T("在职"), T("0202"), T("信息工程学院"),
             T("硕士研究生"), T("硕士"), T("外校（境内）"), T("讲师"), T("软件工程"), T("中共党员"), T("汉族")],
        // MISTAKE: 专业技术职称 typed by hand with a typo, 副教受 (L7).
        vec![T("000125"), T("张伟"), T("男"), D(1979, 8), D(2008, 7), T("在职"), T("0201"), T("机械工程学院"),
             T("博士研究生"), T("博士"), T("外校（境内）"), T("副教受"), T("机械工程"), T("九三学社社员"), T("汉族")],
        // MISTAKE: 入校时间 2025-10 is after the 时点 2025-09-30 (E8).
        vec![T("000126"), T("陈静"), T("女"), D(1993, 12), D(2025, 10), T("在职"), T("0203"), T("经济管理学院"),
             T("博士研究生"), T("博士"), T("外校（境外）"), T("讲师"), T("工商管理学"), T("中共党员"), T("满族")],
        // MISTAKE: 单位号 0209 is in neither 表1-2 nor 表1-3 (数理学院 is 0204) (G9).
        vec![T("000127"), T("刘洋"), T("男"), D(1988, 4), D(2015, 3), T("在职"), T("0209"), T("数理学院"),
             T("博士研究生"), T("博士"), T("外校（境内）"), T("副教授"), T("数学"), T("群众"), T("汉族")],
    ];
    list_sheet(
        &mut wb,
        st,
        "表1-5-1 教职工基本信息",
        None,
        &[
            "工号",
            "姓名",
            "性别",
            "出生年月",
            "入校时间",
            "任职状态",
            "单位号",
            "单位名称",
            "学历",
            "最高学位",
            "学缘",
            "专业技术职称",
            "学科类别",
            "政治面貌",
            "民族",
        ],
        &staff,
    )?;
    #[rustfmt::skip]
    let other = vec![
        // 工号, 姓名, 任教类型, 任教专业名称, 任教专业代码, 专业任教时间, 是否实验技术人员,
        // 是否双师双能型, 是否工程背景, 是否行业背景, 导师类别, 校内指导博士生数, 校内指导硕士生数
        vec![T("000001"), T("严正清"), T("专业课"), T("机械设计制造及其自动化"), T("080202"), N(2000.0),
             T("否"), T("否"), T("是"), T("否"), T("硕士导师"), N(0.0), N(3.0)],
        vec![T("000002"), T("何永康"), T("公共课"), T("无"), T("无"), T("无"),
             T("否"), T("否"), T("否"), T("否"), T("无"), N(0.0), N(0.0)],
        vec![T("000003"), T("吕思齐"), T("专业课"), T("计算机科学与技术"), T("080901"), N(2002.0),
             T("否"), T("否"), T("否"), T("否"), T("硕士导师"), N(0.0), N(2.0)],
        // Correct here, but 表1-5-1 holds this 工号 as the number 123 (consequence of A5 there).
        vec![T("000123"), T("王芳"), T("专业课"), T("计算机科学与技术"), T("080901"), N(2013.0),
             T("否"), T("是"), T("是"), T("否"), T("硕士导师"), N(0.0), N(1.0)],
        vec![T("000124"), T("李强"), T("专业课"), T("软件工程"), T("080902"), N(2020.0),
             T("否"), T("否"), T("否"), T("是"), T("无"), N(0.0), N(0.0)],
        vec![T("000125"), T("张伟"), T("专业课"), T("机械设计制造及其自动化"), T("080202"), N(2009.0),
             T("否"), T("是"), T("是"), T("是"), T("无"), N(0.0), N(0.0)],
        vec![T("000126"), T("陈静"), T("专业课"), T("工商管理"), T("120201K"), N(2025.0),
             T("否"), T("否"), T("否"), T("否"), T("无"), N(0.0), N(0.0)],
        vec![T("000127"), T("刘洋"), T("公共课"), T("无"), T("无"), T("无"),
             T("否"), T("否"), T("否"), T("否"), T("无"), N(0.0), N(0.0)],
    ];
    list_sheet(
        &mut wb,
        st,
        "表1-5-2 教职工其他信息表",
        None,
        &[
            "工号",
            "姓名",
            "任教类型",
            "任教专业名称",
            "任教专业代码",
            "专业任教时间",
            "是否实验技术人员",
            "是否双师双能型",
            "是否工程背景",
            "是否行业背景",
            "导师类别",
            "校内指导博士生数",
            "校内指导硕士生数",
        ],
        &other,
    )?;
    let path = dir.join("人事处.xlsx");
    wb.save(&path)?;
    Ok(path)
}

fn academic_affairs(dir: &Path, st: &Styles) -> Result<PathBuf, XlsxError> {
    let mut wb = new_workbook("教务处")?;
    #[rustfmt::skip]
    let majors = vec![
        // 校内专业代码, 校内专业名称, 专业名称, 专业代码, 代码版本, 所属单位名称, 所属单位号,
        // 专业设置年份, 学制, 允许修业年限, 授予学位门类, 招生状态, 是否新专业, 是否师范类专业
        vec![T("0801"), T("机械设计制造及其自动化"), T("机械设计制造及其自动化"), T("080202"), T("2012"),
             T("机械工程学院"), T("0201"), N(2004.0), N(4.0), N(6.0), T("工学"), T("在招"), T("否"), T("无")],
        vec![T("0802"), T("计算机科学与技术"), T("计算机科学与技术"), T("080901"), T("2012"),
             T("信息工程学院"), T("0202"), N(2006.0), N(4.0), N(6.0), T("工学"), T("在招"), T("否"), T("无")],
        vec![T("0803"), T("软件工程"), T("软件工程"), T("080902"), T("2012"),
             T("信息工程学院"), T("0202"), N(2015.0), N(4.0), N(6.0), T("工学"), T("在招"), T("否"), T("无")],
        vec![T("1201"), T("工商管理"), T("工商管理"), T("120201K"), T("2012"),
             T("经济管理学院"), T("0203"), N(2008.0), N(4.0), N(6.0), T("管理学"), T("在招"), T("否"), T("无")],
        vec![T("0701"), T("数学与应用数学"), T("数学与应用数学"), T("070101"), T("2012"),
             T("数理学院"), T("0204"), N(2023.0), N(4.0), N(6.0), T("理学"), T("在招"), T("是"), T("无")],
    ];
    list_sheet(
        &mut wb,
        st,
        "表1-4-1 专业基本情况",
        Some("示例理工学院2025年本科教学基本状态数据——表1-4-1 专业基本情况"),
        &[
            "校内专业代码",
            "校内专业名称",
            "专业名称",
            "专业代码",
            "代码版本",
            "所属单位名称",
            "所属单位号",
            "专业设置年份",
            "学制",
            "允许修业年限",
            "授予学位门类",
            "招生状态",
            "是否新专业",
            "是否师范类专业",
        ],
        &majors,
    )?;
    #[rustfmt::skip]
    let students = vec![
        // 学号, 学生姓名, 性别, 校内专业（大类）名称, 校内专业（大类）代码, 生源类别, 年级, 入学年份
        vec![T("2022080101"), T("赵一鸣"), T("男"), T("机械设计制造及其自动化"), T("0801"), T("境内"), N(2022.0), N(2022.0)],
        vec![T("2022080201"), T("钱雨桐"), T("女"), T("计算机科学与技术"), T("0802"), T("境内"), N(2022.0), N(2022.0)],
        vec![T("2023080301"), T("孙浩然"), T("男"), T("软件工程"), T("0803"), T("境内"), N(2023.0), N(2023.0)],
        // MISTAKE: 学生姓名 left empty (B6).
        vec![T("2023120101"), E, T("女"), T("工商管理"), T("1201"), T("境内"), N(2023.0), N(2023.0)],
        vec![T("2024070101"), T("周子涵"), T("女"), T("数学与应用数学"), T("0701"), T("港澳台侨学生"), N(2024.0), N(2024.0)],
        vec![T("2025080201"), T("吴俊杰"), T("男"), T("计算机科学与技术"), T("0802"), T("境内"), N(2025.0), N(2025.0)],
        // MISTAKE: 学号 2022080201 already given to 钱雨桐 in row 4 (A9).
        vec![T("2022080201"), T("郑可欣"), T("女"), T("计算机科学与技术"), T("0802"), T("境内"), N(2022.0), N(2022.0)],
    ];
    list_sheet(
        &mut wb,
        st,
        "表1-6 本科生基本情况",
        Some("示例理工学院2025年本科教学基本状态数据——表1-6 本科生基本情况"),
        &[
            "学号",
            "学生姓名",
            "性别",
            "校内专业（大类）名称",
            "校内专业（大类）代码",
            "生源类别",
            "年级",
            "入学年份",
        ],
        &students,
    )?;
    #[rustfmt::skip]
    let courses = vec![
        // 开课号, 课程名称, 课程号, 课程类别, 课程性质, 授课方式, 考核方式, 学时, 开课单位, 单位号,
        // 授课教师, 授课教师工号, 本科学生数, 教材使用情况, 教材类型
        vec![T("2024202510801001"), T("机械原理"), T("08010010"), T("专业课"), T("理论课"), T("无"), T("考试"), N(64.0),
             T("机械工程学院"), T("0201"), T("张伟"), T("000125"), N(58.0), T("选用"), T("教育部国家级规划教材")],
        // MISTAKE: two teachers separated by the Chinese semicolon “；” (K4).
        vec![T("2024202510802001"), T("数据结构"), T("08020010"), T("专业课"), T("理论课"), T("无"), T("考试"), N(64.0),
             T("信息工程学院"), T("0202"), T("吕思齐；李强"), T("000003;000124"), N(62.0), T("选用"), T("省部级规划教材")],
        vec![T("2024202520803001"), T("软件工程导论"), T("08030010"), T("专业课"), T("理论课"), T("双语授课"), T("考查"), N(32.0),
             T("信息工程学院"), T("0202"), T("李强"), T("000124"), N(45.0), T("自编"), T("无")],
        vec![T("2024202510701001"), T("高等数学A"), T("07010010"), T("公共必修课"), T("理论课"), T("无"), T("考试"), N(80.0),
             T("数理学院"), T("0204"), T("刘洋"), T("000127"), N(120.0), T("选用"), T("教育部国家级规划教材")],
        vec![T("2024202520701002"), T("大学物理实验"), T("07020030"), T("公共必修课"), T("独立设置实验课"), T("无"), T("考查"), N(32.0),
             T("数理学院"), T("0204"), T("刘洋"), T("000127"), N(90.0), T("自编"), T("无")],
        vec![T("2024202510201001"), T("机械制造技术基础"), T("02010020"), T("专业课"), T("理论课"), T("无"), T("考试"), N(48.0),
             T("机械工程学院"), T("0201"), T("严正清"), T("000001"), N(56.0), T("选用"), T("教育部国家级规划教材")],
        vec![T("2024202520001001"), T("形势与政策"), T("00010010"), T("公共必修课"), T("理论课"), T("无"), T("考查"), N(16.0),
             T("党政办公室"), T("0101"), T("何永康"), T("000002"), N(300.0), T("选用"), T("省部级规划教材")],
        vec![T("2024202510802002"), T("操作系统"), T("08020020"), T("专业课"), T("理论课"), T("无"), T("考试"), N(56.0),
             T("信息工程学院"), T("0202"), T("王芳"), T("000123"), N(60.0), T("选用"), T("省部级规划教材")],
        vec![T("2024202520303001"), T("管理学原理"), T("12020010"), T("专业课"), T("理论课"), T("无"), T("考试"), N(48.0),
             T("经济管理学院"), T("0203"), T("陈静"), T("000126"), N(70.0), T("选用"), T("省部级规划教材")],
    ];
    list_sheet(
        &mut wb,
        st,
        "表5-1-1 开课情况",
        Some("示例理工学院2024-2025学年开课情况——表5-1-1"),
        &[
            "开课号",
            "课程名称",
            "课程号",
            "课程类别",
            "课程性质",
            "授课方式",
            "考核方式",
            "学时",
            "开课单位",
            "单位号",
            "授课教师",
            "授课教师工号",
            "本科学生数",
            "教材使用情况",
            "教材类型",
        ],
        &courses,
    )?;
    let path = dir.join("教务处.xlsx");
    wb.save(&path)?;
    Ok(path)
}

fn assets(dir: &Path, st: &Styles) -> Result<PathBuf, XlsxError> {
    let mut wb = new_workbook("资产处")?;
    #[rustfmt::skip]
    let labs = vec![
        // 实验场所代码, 实验场所名称, 所属单位名称, 所属单位号, 性质, 共建情况, 使用面积（平方米）
        vec![T("SY0201"), T("机械基础实验室"), T("机械工程学院"), T("0201"), T("基础实验室"), T("否"), N(420.0)],
        vec![T("SY0202"), T("数控加工实训中心"), T("机械工程学院"), T("0201"), T("实训场所"), T("是"), N(860.5)],
        // MISTAKE: the unit typed into the number cell (G4).
        vec![T("SY0301"), T("计算机软件实验室"), T("信息工程学院"), T("0202"), T("专业实验室"), T("否"), T("238平方米")],
        vec![T("SY0302"), T("网络工程实验室"), T("信息工程学院"), T("0202"), T("专业实验室"), T("否"), N(180.0)],
        vec![T("SY0401"), T("大学物理实验室"), T("数理学院"), T("0204"), T("基础实验室"), T("否"), N(310.0)],
    ];
    list_sheet(
        &mut wb,
        st,
        "表1-7-1 本科实验场所",
        None,
        &[
            "实验场所代码",
            "实验场所名称",
            "所属单位名称",
            "所属单位号",
            "性质",
            "共建情况",
            "使用面积（平方米）",
        ],
        &labs,
    )?;
    // A single-record table written as one row under its header.
    list_sheet(
        &mut wb,
        st,
        "表2-1 占地与建筑面积",
        None,
        &[
            "总占地面积",
            "占地面积学校产权",
            "占地面积学校产权绿化用地",
            "占地面积学校产权运动场地面积",
            "占地面积非学校产权",
            "占地面积非学校产权独立使用",
            "占地面积非学校产权共同使用",
            "占地面积非学校产权绿化用地",
            "总建筑面积",
            "建筑面积学校产权",
            "建筑面积非学校产权",
            "建筑面积非学校产权独立使用",
            "建筑面积非学校产权共同使用",
        ],
        &[vec![
            N(650000.0),
            N(600000.0),
            N(180000.0),
            N(45000.0),
            N(50000.0),
            N(40000.0),
            N(10000.0),
            N(8000.0),
            N(320000.0),
            N(300000.0),
            N(20000.0),
            N(15000.0),
            N(5000.0),
        ]],
    )?;
    // MISTAKE: no sheet for 表2-6 固定资产 (the 资产处 never sent it).
    let path = dir.join("资产处.xlsx");
    wb.save(&path)?;
    Ok(path)
}

fn finance(dir: &Path, st: &Styles) -> Result<PathBuf, XlsxError> {
    let mut wb = new_workbook("财务处")?;
    form_sheet(
        &mut wb,
        st,
        "表2-8-1 教育经费概况",
        &[
            ("学校教育经费总额", N(52000.5)),
            ("教学经费总额", N(9800.0)),
            ("教学改革与建设专项经费总额", N(1200.0)),
        ],
    )?;
    list_sheet(
        &mut wb,
        st,
        "表2-8-2 教育经费收支情况",
        None,
        &[
            "教学经费支出总计",
            "教学日常运行支出",
            "教学改革支出",
            "专业建设支出",
            "实践教学支出",
            "实验经费支出",
            "实习经费支出",
            "其他教学专项",
            "思政政治理论课程专项建设经费支出",
            "学生活动经费支出",
            "教师培训进修专项经费支出",
            "经常性预算内事业费拨款",
            "国家本科生生均拨款总额",
            "地方本科生生均拨款总额",
            "专科生生均拨款总额",
            "本科生学费收入",
            "高职高专学费收入",
            "教改专项拨款国家",
            "教改专项拨款地方",
            "社会捐赠金额",
            "校友捐赠金额",
        ],
        &[vec![
            N(9800.0),
            N(5200.0),
            N(600.0),
            N(900.0),
            N(1500.0),
            N(700.0),
            N(500.0),
            N(400.0),
            N(150.0),
            N(300.0),
            N(250.0),
            N(31000.0),
            N(0.0),
            N(18000.0),
            N(0.0),
            N(12500.0),
            N(0.0),
            N(0.0),
            N(320.0),
            N(260.0),
            N(120.0),
        ]],
    )?;
    let path = dir.join("财务处.xlsx");
    wb.save(&path)?;
    Ok(path)
}

/// Writes the five department workbooks into `dir` (created if needed) and returns their paths
/// in the order of `FILES`.
pub fn generate(dir: &Path) -> Result<Vec<PathBuf>, XlsxError> {
    std::fs::create_dir_all(dir)?;
    let st = Styles::new();
    Ok(vec![
        party_office(dir, &st)?,
        personnel(dir, &st)?,
        academic_affairs(dir, &st)?,
        assets(dir, &st)?,
        finance(dir, &st)?,
    ])
}

fn main() {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/school"));
    match generate(&dir) {
        Ok(files) => {
            for f in files {
                println!("{}", f.display());
            }
        }
        Err(e) => {
            eprintln!("make_fixtures: {e}");
            std::process::exit(2);
        }
    }
}
