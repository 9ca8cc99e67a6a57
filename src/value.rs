//! Cell values: what a workbook cell holds (`Raw`), and the one place where raw cells are turned
//! into the normal form of a column kind (`normalise`).
//!
//! Every rule about full-width digits, stray spaces, dates written as text or as serial numbers,
//! and codes that arrived as numbers lives here, so that `check` and `bundle` see the same values.

use chrono::{Datelike, NaiveDate};

use crate::schema::{Column, Kind, YearMonthFormat};

/// A cell as read from a workbook, before any interpretation.
#[derive(Debug, Clone, PartialEq)]
pub enum Raw {
    Empty,
    Text(String),
    Number(f64),
    /// A real date cell (number formatted as a date, xlsx `t="d"`, ODS date), already converted
    /// with the workbook's epoch.
    Date(NaiveDate),
    Bool(bool),
    /// A cached error value such as `#N/A` or `#REF!`.
    Error(String),
}

impl Raw {
    /// True when the cell holds nothing a person would see (empty, or only blanks).
    pub fn is_blank(&self) -> bool {
        match self {
            Raw::Empty => true,
            Raw::Text(s) => clean_text(s).is_empty(),
            _ => false,
        }
    }

    /// The cell as a person sees it, for messages.
    pub fn display(&self) -> String {
        match self {
            Raw::Empty => String::new(),
            Raw::Text(s) => s.clone(),
            Raw::Number(n) => format_number(*n),
            Raw::Date(d) => d.format("%Y-%m-%d").to_string(),
            Raw::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
            Raw::Error(e) => e.clone(),
        }
    }
}

/// A span of days a date-like value stands for: a year is its whole year, a month its whole month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

/// A value in the normal form of its column kind.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    /// The platform's text form: codes with their zeros, `2023-09`, `12`, `3.5`, `是`.
    pub text: String,
    /// For numeric kinds, the number.
    pub number: Option<f64>,
    /// For date-like kinds, the days the value stands for.
    pub span: Option<Span>,
    /// Something the reader should hear about although the value was read.
    pub note: Option<Note>,
}

/// Remarks about a value that was read but deserves a warning or a notice.
#[derive(Debug, Clone, PartialEq)]
pub enum Note {
    /// A code arrived as a number cell: leading zeros or letters may have been lost.
    CodeAsNumber,
    /// The text was changed by normalisation (full-width characters, hidden spaces…).
    Normalised { from: String },
}

/// Why a raw cell could not be read as its column's kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    /// Not readable as the kind; `expected` says in Chinese what was expected.
    Kind { expected: &'static str },
    /// A number cell holding a code whose digits are already lost (beyond 15 significant digits,
    /// or a fraction).
    CodeDigitsLost,
    /// A cached formula error (`#N/A` …).
    CellError(String),
    /// A real date cell whose year cannot be meant (1905, 2454): a number such as `2025.09` or
    /// `202509` typed into a cell formatted as a date.
    ImplausibleDateCell(NaiveDate),
}

/// Years a date cell of this collection can plausibly hold.
const PLAUSIBLE_YEARS: std::ops::RangeInclusive<i32> = 1910..=2100;

/// Removes what people never mean: zero-width characters, BOM, non-breaking and ideographic
/// spaces at the edges, and ASCII whitespace at the edges. Inner spaces are kept.
pub fn clean_text(s: &str) -> String {
    let no_zero_width: String = s
        .chars()
        .filter(|c| {
            !matches!(
                c,
                '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
            )
        })
        .collect();
    no_zero_width
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{00A0}' || c == '\u{3000}')
        .to_string()
}

/// Full-width digits and Latin letters (`０-９`, `Ａ-Ｚ`, `ａ-ｚ`) and the full-width `－ ． ／ ＋`
/// to half-width; the ideographic and non-breaking spaces to a plain space. Used for codes,
/// numbers and dates, never for free text. Full-width punctuation such as `，` `：` is kept: in
/// a certificate number it is part of the text.
pub fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '－' | '．' | '／' | '＋' => {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            }
            '\u{3000}' | '\u{00A0}' => ' ',
            _ => c,
        })
        .collect()
}

/// Shows the characters a person cannot see, for messages: `"男\u{200B}"` → `男[零宽字符]`.
pub fn visible(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' => {
                out.push_str("[零宽字符]")
            }
            '\u{00A0}' => out.push_str("[不换行空格]"),
            '\u{3000}' => out.push_str("[全角空格]"),
            '\t' => out.push_str("[制表符]"),
            '\n' | '\r' => out.push_str("[换行]"),
            _ => out.push(c),
        }
    }
    out
}

/// Brackets and spaces treated alike when comparing names and options: `外校(境内)` equals
/// `外校（境内）`, `本科生（境外） 情况` equals `本科生（境外）情况`.
pub fn comparable(s: &str) -> String {
    clean_text(s)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{3000}' && *c != '\u{00A0}')
        .map(|c| match c {
            '(' => '（',
            ')' => '）',
            ':' => '：',
            ',' => '，',
            ';' => '；',
            _ => c,
        })
        .collect()
}

/// Formats a number the way the platform stores it: integers without `.0`, decimals without
/// float noise (`0.1 + 0.2` → `0.3`).
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        return format!("{}", n as i64);
    }
    let s = format!("{:.10}", n);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".to_string()
    } else {
        s.to_string()
    }
}

/// Turns a raw cell into the normal form of the column. Blank cells are `Ok(None)`: whether
/// that is allowed is the checker's business.
pub fn normalise(column: &Column, raw: &Raw, epoch_1904: bool) -> Result<Option<Value>, Problem> {
    if let Raw::Error(e) = raw {
        return Err(Problem::CellError(e.clone()));
    }
    if raw.is_blank() {
        return Ok(None);
    }
    if let (Raw::Date(d), Kind::Year | Kind::YearMonth | Kind::Date) = (raw, column.kind) {
        if !PLAUSIBLE_YEARS.contains(&d.year()) {
            return Err(Problem::ImplausibleDateCell(*d));
        }
    }
    let v = match column.kind {
        Kind::Text => text_value(raw),
        Kind::Code => code_value(raw)?,
        Kind::Integer => integer_value(raw)?,
        Kind::Decimal => decimal_value(raw)?,
        Kind::Year => year_value(raw, epoch_1904)?,
        Kind::YearMonth => {
            let fmt = column.format.unwrap_or(YearMonthFormat::Dash);
            year_month_value(raw, fmt, epoch_1904)?
        }
        Kind::Date => date_value(raw, epoch_1904)?,
        Kind::Enum | Kind::YesNo => text_value(raw),
    };
    Ok(Some(v))
}

fn plain(text: String) -> Value {
    Value {
        text,
        number: None,
        span: None,
        note: None,
    }
}

fn text_value(raw: &Raw) -> Value {
    match raw {
        Raw::Text(s) => {
            let cleaned = clean_text(s);
            let mut v = plain(cleaned.clone());
            if cleaned != s.trim_matches([' ', '\t', '\r', '\n']) {
                v.note = Some(Note::Normalised { from: s.clone() });
            }
            v
        }
        Raw::Number(n) => plain(format_number(*n)),
        Raw::Date(d) => plain(d.format("%Y-%m-%d").to_string()),
        other => plain(other.display()),
    }
}

fn code_value(raw: &Raw) -> Result<Value, Problem> {
    match raw {
        Raw::Number(n) => {
            // 2^53: beyond it (an 18-digit ID) the digits are already gone.
            if n.fract() != 0.0 || n.abs() >= 9_007_199_254_740_992.0 {
                return Err(Problem::CodeDigitsLost);
            }
            let mut v = plain(format!("{}", *n as i64));
            v.note = Some(Note::CodeAsNumber);
            Ok(v)
        }
        Raw::Text(s) => {
            let cleaned = clean_text(s);
            let hw = half_width(&cleaned);
            let mut v = plain(hw.clone());
            if hw != s.as_str() && hw != s.trim_matches([' ', '\t', '\r', '\n']) {
                v.note = Some(Note::Normalised { from: s.clone() });
            }
            Ok(v)
        }
        Raw::Date(_) | Raw::Bool(_) => Err(Problem::Kind {
            expected: "文本格式的代码",
        }),
        Raw::Empty | Raw::Error(_) => unreachable!("handled by normalise"),
    }
}

/// Text of a number as written by a person: full-width digits, thousands separators are not
/// accepted (they are too often a different number), a trailing `.0` is.
fn number_from_text(s: &str) -> Option<f64> {
    let t = half_width(&clean_text(s));
    let t = t.trim();
    if t.is_empty() {
        return None;
    }
    let ok = t
        .chars()
        .enumerate()
        .all(|(i, c)| c.is_ascii_digit() || c == '.' || (i == 0 && (c == '-' || c == '+')));
    if !ok || t.chars().filter(|c| *c == '.').count() > 1 {
        return None;
    }
    t.parse::<f64>().ok().filter(|n| n.is_finite())
}

fn number_of(raw: &Raw, expected: &'static str) -> Result<f64, Problem> {
    match raw {
        // NaN or infinity, which a crafted file can hold, is no number anyone typed.
        Raw::Number(n) if n.is_finite() => Ok(*n),
        Raw::Text(s) => number_from_text(s).ok_or(Problem::Kind { expected }),
        _ => Err(Problem::Kind { expected }),
    }
}

fn integer_value(raw: &Raw) -> Result<Value, Problem> {
    const EXPECTED: &str = "整数（只填数字，不带单位）";
    let n = number_of(raw, EXPECTED)?;
    if n.fract() != 0.0 {
        return Err(Problem::Kind { expected: EXPECTED });
    }
    let mut v = plain(format_number(n));
    v.number = Some(n);
    Ok(v)
}

fn decimal_value(raw: &Raw) -> Result<Value, Problem> {
    let n = number_of(raw, "数值（只填数字，不带单位）")?;
    let mut v = plain(format_number(n));
    v.number = Some(n);
    Ok(v)
}

/// Converts an Excel serial day number to a date.
pub fn serial_to_date(serial: f64, epoch_1904: bool) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let base = if epoch_1904 {
        NaiveDate::from_ymd_opt(1904, 1, 1)?
    } else {
        // 1899-12-30 makes serials after 1900-02-28 right (Excel's 1900 leap-year bug).
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    };
    base.checked_add_signed(chrono::Duration::days(days))
}

/// A date read from text: parts year, month and day (month and day optional).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateParts {
    pub year: i32,
    pub month: Option<u32>,
    pub day: Option<u32>,
}

/// Reads the date forms people type: `2023`, `2023-09`, `2023.09`, `2023/9`, `2023年9月`,
/// `2023年9月1日`, `202309`, `20230901`, `2023-09-01`, `2023/9/1`, `2023.9.1`, with full-width
/// digits too. Returns None for anything else.
pub fn parse_date_text(s: &str) -> Option<DateParts> {
    let t = half_width(&clean_text(s));
    let t = t.trim();
    if t.chars().all(|c| c.is_ascii_digit()) {
        return match t.len() {
            4 => valid(t[..4].parse().ok()?, None, None),
            6 => valid(t[..4].parse().ok()?, Some(t[4..6].parse().ok()?), None),
            8 => valid(
                t[..4].parse().ok()?,
                Some(t[4..6].parse().ok()?),
                Some(t[6..8].parse().ok()?),
            ),
            _ => None,
        };
    }
    // Cut a trailing time ("2023-09-01 00:00:00") and a trailing 日.
    let t = t.split([' ', 'T']).next()?;
    let t = t.trim_end_matches('日').trim_end_matches('号');
    let parts: Vec<&str> = t
        .split(['-', '.', '/', '年', '月'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() || parts.len() > 3 || parts[0].len() != 4 {
        return None;
    }
    if !parts
        .iter()
        .all(|p| !p.is_empty() && p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    // `2023年9月` must really say 年 before the month: "2023-9月" is odd but harmless.
    let year: i32 = parts[0].parse().ok()?;
    let month = match parts.get(1) {
        Some(p) if p.len() <= 2 => Some(p.parse().ok()?),
        Some(_) => return None,
        None => None,
    };
    let day = match parts.get(2) {
        Some(p) if p.len() <= 2 => Some(p.parse().ok()?),
        Some(_) => return None,
        None => None,
    };
    valid(year, month, day)
}

fn valid(year: i32, month: Option<u32>, day: Option<u32>) -> Option<DateParts> {
    if !(1900..=2200).contains(&year) {
        return None;
    }
    if let Some(m) = month {
        if !(1..=12).contains(&m) {
            return None;
        }
        if let Some(d) = day {
            NaiveDate::from_ymd_opt(year, m, d)?;
        }
    }
    Some(DateParts { year, month, day })
}

/// The date parts a raw cell gives, from date cells, serial numbers, numbers that spell a date
/// (`2023`, `202309`, `20230901`) and text.
fn date_parts(raw: &Raw, epoch_1904: bool) -> Option<DateParts> {
    match raw {
        Raw::Date(d) => Some(DateParts {
            year: d.year(),
            month: Some(d.month()),
            day: Some(d.day()),
        }),
        Raw::Number(n) => {
            if n.fract() == 0.0 {
                let digits = format!("{}", *n as i64);
                if matches!(digits.len(), 4 | 6 | 8) {
                    if let Some(p) = parse_date_text(&digits) {
                        return Some(p);
                    }
                }
            } else if (1900.0..2201.0).contains(n) {
                // `2023.09` typed into a General cell: a year and a month, not a day of 1905.
                // Only in the years a table speaks of, as for serial days.
                return year_dot_month(*n);
            }
            // A serial day far from any year a table speaks of is not a date someone typed.
            let d =
                serial_to_date(*n, epoch_1904).filter(|d| PLAUSIBLE_YEARS.contains(&d.year()))?;
            Some(DateParts {
                year: d.year(),
                month: Some(d.month()),
                day: Some(d.day()),
            })
        }
        Raw::Text(s) => parse_date_text(s),
        _ => None,
    }
}

/// The number a General cell keeps of `2023.09` (→ 2023-09), `2023.3` (→ 2023-03) or `2023.11`.
/// `2023.1` is what is left of both `2023.1` and `2023.10`: not readable.
fn year_dot_month(n: f64) -> Option<DateParts> {
    let hundredths = n.fract() * 100.0;
    if (hundredths - hundredths.round()).abs() > 1e-6 {
        return None;
    }
    let h = hundredths.round() as u32;
    let month = match h {
        10 => return None,
        1..=12 => h,
        20 | 30 | 40 | 50 | 60 | 70 | 80 | 90 => h / 10,
        _ => return None,
    };
    let year = n.trunc() as i32;
    if !PLAUSIBLE_YEARS.contains(&year) {
        return None;
    }
    valid(year, Some(month), None)
}

fn last_day_of_month(year: i32, month: u32) -> NaiveDate {
    let (ny, nm) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(ny, nm, 1)
        .and_then(|d| d.pred_opt())
        .expect("valid month")
}

fn year_value(raw: &Raw, epoch_1904: bool) -> Result<Value, Problem> {
    const EXPECTED: &str = "年份（四位数字，如 2023）";
    // A plain number is a year only when it has four digits; a date cell gives its year.
    let year = match raw {
        Raw::Number(n) if n.fract() == 0.0 && (1900.0..=2200.0).contains(n) => *n as i32,
        Raw::Number(_) => return Err(Problem::Kind { expected: EXPECTED }),
        _ => match date_parts(raw, epoch_1904) {
            Some(p) if p.month.is_none() || matches!(raw, Raw::Date(_)) => p.year,
            _ => {
                // "2023年" is a year too.
                let t = half_width(&clean_text(&raw.display()));
                let t = t.trim_end_matches('年');
                match parse_date_text(t) {
                    Some(p) if p.month.is_none() => p.year,
                    _ => return Err(Problem::Kind { expected: EXPECTED }),
                }
            }
        },
    };
    let mut v = plain(format!("{year:04}"));
    v.span = Some(Span {
        first: NaiveDate::from_ymd_opt(year, 1, 1).expect("year in range"),
        last: NaiveDate::from_ymd_opt(year, 12, 31).expect("year in range"),
    });
    Ok(v)
}

fn year_month_value(raw: &Raw, fmt: YearMonthFormat, epoch_1904: bool) -> Result<Value, Problem> {
    let expected = match fmt {
        YearMonthFormat::Dash => "年月（如 2023-09）",
        YearMonthFormat::Compact => "年月（六位数字，如 202309）",
    };
    let p = date_parts(raw, epoch_1904).ok_or(Problem::Kind { expected })?;
    let month = p.month.ok_or(Problem::Kind { expected })?;
    let text = match fmt {
        YearMonthFormat::Dash => format!("{:04}-{:02}", p.year, month),
        YearMonthFormat::Compact => format!("{:04}{:02}", p.year, month),
    };
    let mut v = plain(text);
    v.span = Some(Span {
        first: NaiveDate::from_ymd_opt(p.year, month, 1).expect("valid month"),
        last: last_day_of_month(p.year, month),
    });
    Ok(v)
}

fn date_value(raw: &Raw, epoch_1904: bool) -> Result<Value, Problem> {
    const EXPECTED: &str = "日期（如 2023-09-01）";
    let p = date_parts(raw, epoch_1904).ok_or(Problem::Kind { expected: EXPECTED })?;
    let (Some(m), Some(d)) = (p.month, p.day) else {
        return Err(Problem::Kind { expected: EXPECTED });
    };
    let date = NaiveDate::from_ymd_opt(p.year, m, d).ok_or(Problem::Kind { expected: EXPECTED })?;
    let mut v = plain(date.format("%Y-%m-%d").to_string());
    v.span = Some(Span {
        first: date,
        last: date,
    });
    Ok(v)
}

/// Splits a multi-valued cell on the English semicolon, trimming items and dropping a single
/// trailing separator (rules.md FM-12). Returns the items and whether another separator
/// (`；`, `、`, `,`, `，`, line break) was seen instead.
pub fn split_items(text: &str) -> (Vec<String>, bool) {
    const OTHER: [char; 5] = ['；', '、', '，', ',', '\n'];
    let odd = text.contains(OTHER);
    // The wrong separators are reported, and still separate: the items are checked as meant.
    let items: Vec<String> = text
        .split(|c| c == ';' || OTHER.contains(&c))
        .map(clean_text)
        .filter(|s| !s.is_empty())
        .collect();
    (items, odd)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn col(kind: Kind) -> Column {
        Column::bare("列", kind)
    }

    #[test]
    fn date_texts_of_every_common_form() {
        let ym = |y, m| DateParts {
            year: y,
            month: Some(m),
            day: None,
        };
        assert_eq!(parse_date_text("2023-09"), Some(ym(2023, 9)));
        assert_eq!(parse_date_text("2023.09"), Some(ym(2023, 9)));
        assert_eq!(parse_date_text("2023/9"), Some(ym(2023, 9)));
        assert_eq!(parse_date_text("2023年9月"), Some(ym(2023, 9)));
        assert_eq!(parse_date_text("202309"), Some(ym(2023, 9)));
        assert_eq!(parse_date_text("２０２３年９月"), Some(ym(2023, 9)));
        let full = Some(DateParts {
            year: 2023,
            month: Some(9),
            day: Some(1),
        });
        assert_eq!(parse_date_text("2023/9/1"), full);
        assert_eq!(parse_date_text("2023.9.1"), full);
        assert_eq!(parse_date_text("2023年9月1日"), full);
        assert_eq!(parse_date_text("20230901"), full);
        assert_eq!(parse_date_text("2023-09-01 00:00:00"), full);
        assert_eq!(parse_date_text("2023-13"), None);
        assert_eq!(parse_date_text("2023-02-30"), None);
        assert_eq!(parse_date_text("九月"), None);
        assert_eq!(parse_date_text("23-09"), None);
    }

    #[test]
    fn year_month_from_cells_serials_and_text() {
        let c = col(Kind::YearMonth);
        let norm = |r: Raw| normalise(&c, &r, false).unwrap().unwrap().text;
        assert_eq!(norm(Raw::Date(d(1972, 3, 1))), "1972-03");
        // 45170 is 2023-09-01 in the 1900 system.
        assert_eq!(norm(Raw::Number(45170.0)), "2023-09");
        assert_eq!(norm(Raw::Number(202309.0)), "2023-09");
        assert_eq!(norm(Raw::Text("2023.09".into())), "2023-09");
        assert_eq!(norm(Raw::Text(" 2023年9月 ".into())), "2023-09");
        // `2023.09` typed into a General cell, not the serial 2023.09 (a day of 1905).
        assert_eq!(norm(Raw::Number(2023.09)), "2023-09");
        assert_eq!(norm(Raw::Number(1985.3)), "1985-03");
        assert!(normalise(&c, &Raw::Number(2023.1), false).is_err());
        // Serial 1 is 1899-12-31 and 2958465 is 9999-12-31: days no table speaks of.
        assert!(normalise(&c, &Raw::Number(1.0), false).is_err());
        assert!(normalise(&c, &Raw::Number(2_958_465.0), false).is_err());
        // 2200.5 is no month anybody typed (found by the fuzz target).
        assert!(normalise(&c, &Raw::Number(2200.5), false).is_err());
        assert!(normalise(&c, &Raw::Number(1905.09), false).is_err());
        assert!(normalise(&col(Kind::Date), &Raw::Number(2_958_465.0), false).is_err());
        // A year alone is not a month.
        assert!(normalise(&c, &Raw::Text("2023".into()), false).is_err());
        // 2025.09 typed into a date-formatted cell is the serial day 1905-07-17.
        assert_eq!(
            normalise(&c, &Raw::Date(d(1905, 7, 17)), false),
            Err(Problem::ImplausibleDateCell(d(1905, 7, 17)))
        );
        let mut compact = col(Kind::YearMonth);
        compact.format = Some(YearMonthFormat::Compact);
        assert_eq!(
            normalise(&compact, &Raw::Text("2010-04".into()), false)
                .unwrap()
                .unwrap()
                .text,
            "201004"
        );
    }

    #[test]
    fn serials_respect_the_1904_epoch() {
        assert_eq!(serial_to_date(45170.0, false), Some(d(2023, 9, 1)));
        assert_eq!(serial_to_date(100.0, true), Some(d(1904, 4, 10)));
        assert_eq!(serial_to_date(0.0, false), None);
    }

    #[test]
    fn years_from_numbers_text_and_dates() {
        let c = col(Kind::Year);
        let norm = |r: Raw| normalise(&c, &r, false).map(|v| v.unwrap().text);
        assert_eq!(norm(Raw::Number(2017.0)).unwrap(), "2017");
        assert_eq!(norm(Raw::Text("２０１７".into())).unwrap(), "2017");
        assert_eq!(norm(Raw::Text("2017年".into())).unwrap(), "2017");
        assert_eq!(norm(Raw::Date(d(2017, 5, 3))).unwrap(), "2017");
        assert!(norm(Raw::Number(17.0)).is_err());
        assert!(norm(Raw::Text("2017-05".into())).is_err());
    }

    #[test]
    fn codes_keep_text_and_flag_numbers() {
        let c = col(Kind::Code);
        let v = normalise(&c, &Raw::Text("080901".into()), false)
            .unwrap()
            .unwrap();
        assert_eq!(v.text, "080901");
        assert_eq!(v.note, None);
        let v = normalise(&c, &Raw::Number(80901.0), false)
            .unwrap()
            .unwrap();
        assert_eq!(v.text, "80901");
        assert_eq!(v.note, Some(Note::CodeAsNumber));
        let v = normalise(&c, &Raw::Text("０８０９０１".into()), false)
            .unwrap()
            .unwrap();
        assert_eq!(v.text, "080901");
        assert!(matches!(v.note, Some(Note::Normalised { .. })));
        // An 18-digit ID stored as a number has lost its last digits.
        assert_eq!(
            normalise(&c, &Raw::Number(110101199001011000.0), false),
            Err(Problem::CodeDigitsLost)
        );
    }

    #[test]
    fn numbers_from_text_and_full_width() {
        let i = col(Kind::Integer);
        let norm = |r: Raw| normalise(&i, &r, false).map(|v| v.unwrap().text);
        assert_eq!(norm(Raw::Text("１２".into())).unwrap(), "12");
        assert_eq!(norm(Raw::Number(12.0)).unwrap(), "12");
        assert!(norm(Raw::Text("12人".into())).is_err());
        assert!(norm(Raw::Number(1.5)).is_err());
        // NaN and infinity, which a crafted file can hold, are not numbers anyone typed.
        let dec = col(Kind::Decimal);
        for n in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(normalise(&dec, &Raw::Number(n), false).is_err(), "{n}");
            assert!(normalise(&i, &Raw::Number(n), false).is_err(), "{n}");
        }
        let v = normalise(&dec, &Raw::Number(0.1 + 0.2), false)
            .unwrap()
            .unwrap();
        assert_eq!(v.text, "0.3");
        assert_eq!(format_number(14074.23), "14074.23");
        assert_eq!(format_number(-0.0), "0");
    }

    #[test]
    fn text_loses_hidden_spaces_and_says_so() {
        let c = col(Kind::Text);
        let v = normalise(&c, &Raw::Text("\u{00A0}男\u{200B}".into()), false)
            .unwrap()
            .unwrap();
        assert_eq!(v.text, "男");
        assert!(matches!(v.note, Some(Note::Normalised { .. })));
        let v = normalise(&c, &Raw::Text(" 男 ".into()), false)
            .unwrap()
            .unwrap();
        assert_eq!(v.text, "男");
        assert_eq!(v.note, None);
        assert_eq!(
            normalise(&c, &Raw::Text("\u{3000}".into()), false),
            Ok(None)
        );
    }

    #[test]
    fn comparable_ignores_bracket_width_and_spaces() {
        assert_eq!(comparable("外校(境内)"), comparable("外校（境内）"));
        assert_eq!(
            comparable("本科生（境外） 情况"),
            comparable("本科生（境外）情况")
        );
        assert_ne!(comparable("本校"), comparable("外校"));
    }

    #[test]
    fn items_split_on_english_semicolons() {
        assert_eq!(
            split_items("a; b;"),
            (vec!["a".to_string(), "b".to_string()], false)
        );
        assert_eq!(
            split_items("a；b"),
            (vec!["a".to_string(), "b".to_string()], true)
        );
    }

    #[test]
    fn invisible_characters_are_named() {
        assert_eq!(visible("男\u{200B}"), "男[零宽字符]");
        assert_eq!(visible("\u{00A0}张三"), "[不换行空格]张三");
        assert_eq!(
            half_width("粤府证，证书号：２０１７"),
            "粤府证，证书号：2017"
        );
    }
}
