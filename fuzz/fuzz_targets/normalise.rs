//! Fuzz target `normalise`: one raw cell, built from the fuzz bytes, normalised as every column
//! kind (and both year-month formats, both date systems), with the invariants that the code and
//! `schemas/FORMAT.md` promise checked on each outcome.
//!
//! Invariants checked (all follow from `src/value.rs` and FORMAT.md's "normal form" column):
//! - no panic;
//! - an error cell is `Err(CellError)` for every kind; a blank cell is `Ok(None)`, and only a
//!   blank cell is;
//! - a value's text is non-empty and clean (`clean_text(text) == text`);
//! - per kind: the text is the documented normal form (`2023`, `2023-09` / `202309`,
//!   `2023-09-01`, `123`), the span is the days the text stands for, numbers are finite and the
//!   text reads back as the number; a code keeps its text (`half_width(clean_text(s))`, and
//!   exactly `s` when `s` is already clean and half-width), a code number cell is flagged;
//! - idempotence on the text: normalising the normal form (as a text cell, as `bundle` writes
//!   it) gives the same text and span, with no note;
//! - zero-width characters anywhere, and full-width digits in non-text kinds, change nothing;
//! - `split_items`, `clean_text`, `half_width`, `comparable`, `parse_date_text` keep their
//!   documented shapes.
//!
//! Two deviations this target found were fixed in `src/value.rs`: a NaN or infinite number
//! cell was accepted as a decimal, and a number cell read as a serial day could give any date
//! from 1899 to 9999 (now, as for date cells, only years 1910–2100 are read).

#![no_main]

use std::sync::OnceLock;

use arbitrary::Arbitrary;
use chrono::{Datelike, NaiveDate};
use libfuzzer_sys::fuzz_target;
use statedata::schema::{Column, Kind, YearMonthFormat};
use statedata::value::{
    clean_text, comparable, format_number, half_width, normalise, parse_date_text, split_items,
    Note, Problem, Raw, Value,
};

/// Pieces people (and their tools) put into cells: invisible characters, full-width forms,
/// date separators, number words.
const TOKENS: &[&str] = &[
    " ",
    "\t",
    "\n",
    "\r",
    "\u{00A0}",
    "\u{3000}",
    "\u{200B}",
    "\u{200C}",
    "\u{200D}",
    "\u{2060}",
    "\u{FEFF}",
    "\u{2028}",
    "\u{0085}",
    "-",
    ".",
    "/",
    "年",
    "月",
    "日",
    "号",
    "T",
    ":",
    "+",
    "－",
    "．",
    "／",
    "＋",
    "；",
    ";",
    "、",
    "，",
    ",",
    "(",
    ")",
    "（",
    "）",
    "2023",
    "２０２３",
    "1900",
    "2200",
    "2201",
    "1899",
    "1910",
    "2100",
    "09",
    "9",
    "13",
    "00",
    "31",
    "29",
    "02",
    "0",
    "000123",
    "e",
    "E",
    "inf",
    "NaN",
    "infinity",
    "1e5",
    "00:00:00",
    "#N/A",
    "是",
    "否",
    "男",
    "TRUE",
    "Ａ",
    "ｚ",
    "０",
    "９",
    "Ｔ",
    "１２",
    "123456789012345678",
    "9007199254740993",
];

/// Numbers worth trying: the edges of every branch of `value.rs`.
const SPECIAL: &[f64] = &[
    f64::NAN,
    f64::INFINITY,
    f64::NEG_INFINITY,
    0.0,
    -0.0,
    1.0,
    0.5,
    -1.0,
    1e15,
    1e15 - 1.0,
    9_007_199_254_740_992.0,
    9_007_199_254_740_991.0,
    -9_007_199_254_740_992.0,
    110_101_199_001_011_000.0,
    45170.0,
    2023.09,
    2023.1,
    1985.3,
    2200.5,
    202309.0,
    20230901.0,
    2958465.0,
    2958465.9,
    2958466.0,
    1900.0,
    2200.0,
    2201.0,
    1899.0,
    1e-12,
    -1e-12,
    0.30000000000000004,
    1e300,
    f64::MAX,
    f64::MIN,
    f64::MIN_POSITIVE,
    5e-324,
    14074.23,
];

#[derive(Arbitrary, Debug)]
enum Piece {
    Token(u8),
    /// An ASCII digit, or (true) the full-width one.
    Digit(u8, bool),
    Ascii(u8),
    Char(char),
}

#[derive(Arbitrary, Debug)]
struct FText(Vec<Piece>);

impl FText {
    fn build(&self) -> String {
        let mut s = String::new();
        for p in self.0.iter().take(64) {
            match p {
                Piece::Token(i) => s.push_str(TOKENS[*i as usize % TOKENS.len()]),
                Piece::Digit(d, full) => {
                    let d = (d % 10) as u32;
                    let base = if *full { '０' as u32 } else { '0' as u32 };
                    s.push(char::from_u32(base + d).unwrap());
                }
                Piece::Ascii(b) => s.push((b % 128) as char),
                Piece::Char(c) => s.push(*c),
            }
        }
        s
    }
}

#[derive(Arbitrary, Debug)]
enum FNum {
    Special(u8),
    Bits(u64),
    Int(i64),
    /// Whole part and hundredths (`2023.09`).
    Hundredths(i32, u16),
    Small(i32),
}

impl FNum {
    fn build(&self) -> f64 {
        match self {
            FNum::Special(i) => SPECIAL[*i as usize % SPECIAL.len()],
            FNum::Bits(b) => f64::from_bits(*b),
            FNum::Int(i) => *i as f64,
            FNum::Hundredths(i, h) => *i as f64 + (*h % 100) as f64 / 100.0,
            FNum::Small(i) => *i as f64,
        }
    }
}

#[derive(Arbitrary, Debug)]
enum FRaw {
    Empty,
    Text(FText),
    Number(FNum),
    /// Days from 0001-01-01 (any date chrono can hold).
    DateDays(i32),
    /// A date near the collection's years.
    DateYmd(u16, u8, u8),
    Bool(bool),
    Error(FText),
}

impl FRaw {
    fn build(&self) -> Raw {
        match self {
            FRaw::Empty => Raw::Empty,
            FRaw::Text(t) => Raw::Text(t.build()),
            FRaw::Number(n) => Raw::Number(n.build()),
            FRaw::DateDays(d) => NaiveDate::from_num_days_from_ce_opt(*d)
                .or_else(|| NaiveDate::from_num_days_from_ce_opt(d % 3_000_000))
                .map(Raw::Date)
                .unwrap_or(Raw::Empty),
            FRaw::DateYmd(y, m, d) => NaiveDate::from_ymd_opt(
                1890 + (*y % 330) as i32,
                1 + (*m % 12) as u32,
                1 + (*d % 31) as u32,
            )
            .map(Raw::Date)
            .unwrap_or(Raw::Empty),
            FRaw::Bool(b) => Raw::Bool(*b),
            FRaw::Error(t) => Raw::Error(t.build()),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Input {
    raw: FRaw,
    epoch_1904: bool,
    /// Where to insert a zero-width space, and which digits to make full-width.
    at: u8,
    /// Text for `split_items`.
    multi: FText,
}

fn columns() -> Vec<Column> {
    let mut out: Vec<Column> = [
        Kind::Text,
        Kind::Code,
        Kind::Integer,
        Kind::Decimal,
        Kind::Year,
        Kind::YearMonth,
        Kind::Date,
        Kind::Enum,
        Kind::YesNo,
    ]
    .into_iter()
    .map(|k| Column::bare("列", k))
    .collect();
    let mut compact = Column::bare("列", Kind::YearMonth);
    compact.format = Some(YearMonthFormat::Compact);
    out.push(compact);
    let mut dash = Column::bare("列", Kind::YearMonth);
    dash.format = Some(YearMonthFormat::Dash);
    out.push(dash);
    out
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// The documented normal form of a date-like kind, and the days it stands for.
fn check_date_like(col: &Column, v: &Value, raw: &Raw) {
    let t = v.text.as_str();
    let span = v.span.expect("date-like values have a span");
    let (year, first, last) = match col.kind {
        Kind::Year => {
            assert!(t.len() == 4 && digits(t), "year text {t:?}");
            let y: i32 = t.parse().unwrap();
            (y, date(y, 1, 1), date(y, 12, 31))
        }
        Kind::YearMonth => {
            let (y, m) = match col.format.unwrap_or(YearMonthFormat::Dash) {
                YearMonthFormat::Dash => {
                    assert!(t.len() == 7 && &t[4..5] == "-", "year-month text {t:?}");
                    assert!(digits(&t[..4]) && digits(&t[5..]), "year-month text {t:?}");
                    (t[..4].parse().unwrap(), t[5..].parse().unwrap())
                }
                YearMonthFormat::Compact => {
                    assert!(t.len() == 6 && digits(t), "compact year-month text {t:?}");
                    (t[..4].parse().unwrap(), t[4..].parse().unwrap())
                }
            };
            assert!((1..=12).contains(&m), "month of {t:?}");
            let first = date(y, m, 1);
            let next = if m == 12 {
                date(y + 1, 1, 1)
            } else {
                date(y, m + 1, 1)
            };
            (y, first, next.pred_opt().unwrap())
        }
        Kind::Date => {
            assert!(t.len() == 10, "date text {t:?}");
            let d = NaiveDate::parse_from_str(t, "%Y-%m-%d").expect("date text parses");
            assert_eq!(d.format("%Y-%m-%d").to_string(), t);
            (d.year(), d, d)
        }
        _ => unreachable!(),
    };
    assert_eq!(span.first, first, "span of {t:?}");
    assert_eq!(span.last, last, "span of {t:?}");
    assert!(
        (1900..=2200).contains(&year),
        "{:?} gave year {year} ({t:?})",
        raw
    );
    if let Raw::Number(_) = raw {
        assert!(
            (1910..=2100).contains(&year) || digits(&raw.display()),
            "serial {raw:?} gave {t:?}"
        );
    }
}

fn check_one(col: &Column, raw: &Raw, epoch_1904: bool) -> Result<Option<Value>, Problem> {
    let kind = col.kind;
    let out = normalise(col, raw, epoch_1904);
    if let Raw::Error(e) = raw {
        assert_eq!(out, Err(Problem::CellError(e.clone())));
        return out;
    }
    if raw.is_blank() {
        assert_eq!(out, Ok(None), "blank {raw:?} as {kind:?}");
        return out;
    }
    if let (Raw::Date(d), Kind::Year | Kind::YearMonth | Kind::Date) = (raw, kind) {
        if !(1910..=2100).contains(&d.year()) {
            assert_eq!(out, Err(Problem::ImplausibleDateCell(*d)));
            return out;
        }
    }
    let v = match &out {
        Ok(Some(v)) => v.clone(),
        Ok(None) => panic!("non-blank {raw:?} as {kind:?} gave no value"),
        Err(p) => {
            // What may be refused, and how.
            match (kind, raw, p) {
                (Kind::Text | Kind::Enum | Kind::YesNo, _, _) => {
                    panic!("text kinds refuse nothing: {raw:?} gave {p:?}")
                }
                (Kind::Code, Raw::Number(n), Problem::CodeDigitsLost) => {
                    assert!(n.fract() != 0.0 || n.abs() >= 9_007_199_254_740_992.0 || n.is_nan())
                }
                (Kind::Code, Raw::Date(_) | Raw::Bool(_), Problem::Kind { .. }) => {}
                (Kind::Code, _, _) => panic!("code refused {raw:?}: {p:?}"),
                (Kind::Integer, Raw::Number(n), Problem::Kind { .. }) => {
                    assert!(n.fract() != 0.0 || !n.is_finite(), "integer refused {n:?}")
                }
                (_, _, Problem::Kind { .. }) => {}
                _ => panic!("{kind:?} refused {raw:?} with {p:?}"),
            }
            // Positive oracles: what must be accepted.
            if let Raw::Text(s) = raw {
                let t = half_width(&clean_text(s));
                let t = t.trim();
                let sign = t.strip_prefix(['-', '+']).unwrap_or(t);
                if matches!(kind, Kind::Integer | Kind::Decimal) && digits(sign) && sign.len() <= 15
                {
                    panic!("{kind:?} refused the plain number {s:?}");
                }
            }
            return out;
        }
    };

    assert!(!v.text.is_empty(), "{raw:?} as {kind:?} gave an empty text");
    assert_eq!(
        clean_text(&v.text),
        v.text,
        "text of {raw:?} as {kind:?} not clean"
    );

    match kind {
        Kind::Text | Kind::Enum | Kind::YesNo => {
            let expected = match raw {
                Raw::Text(s) => clean_text(s),
                Raw::Number(n) => format_number(*n),
                Raw::Date(d) => d.format("%Y-%m-%d").to_string(),
                Raw::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
                _ => unreachable!(),
            };
            assert_eq!(v.text, expected);
            assert!(v.number.is_none() && v.span.is_none());
            assert!(!matches!(v.note, Some(Note::CodeAsNumber)));
        }
        Kind::Code => {
            match raw {
                Raw::Text(s) => {
                    let expected = half_width(&clean_text(s));
                    assert_eq!(v.text, expected, "code text of {s:?}");
                    // A code in its normal form keeps its text, zeros and all, unremarked.
                    if *s == expected {
                        assert_eq!(v.text, *s);
                        assert_eq!(v.note, None, "note on the clean code {s:?}");
                    }
                    assert!(!matches!(v.note, Some(Note::CodeAsNumber)));
                }
                Raw::Number(n) => {
                    assert!(n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0);
                    assert_eq!(v.text, format!("{}", *n as i64));
                    assert_eq!(v.text.parse::<f64>().unwrap(), *n);
                    assert_eq!(v.note, Some(Note::CodeAsNumber));
                }
                _ => panic!("code accepted {raw:?}"),
            }
            assert!(v.number.is_none() && v.span.is_none());
        }
        Kind::Integer | Kind::Decimal => {
            let n = v.number.expect("numeric kinds carry the number");
            assert_eq!(v.text, format_number(n));
            assert!(v.span.is_none() && v.note.is_none());
            assert!(n.is_finite(), "{raw:?} as {kind:?} gave the number {n}");
            let back: f64 = v.text.parse().expect("number text parses");
            if kind == Kind::Integer {
                assert_eq!(n.fract(), 0.0);
                assert_eq!(back, n, "integer text {:?} reads back", v.text);
            } else {
                assert!(
                    (back - n).abs() <= 1e-10 + n.abs() * 1e-15,
                    "decimal text {:?} of {n:e}",
                    v.text
                );
            }
            if let Raw::Number(x) = raw {
                assert_eq!(n.to_bits(), x.to_bits(), "number cells keep their number");
            }
        }
        Kind::Year | Kind::YearMonth | Kind::Date => {
            assert!(v.number.is_none() && v.note.is_none());
            check_date_like(col, &v, raw);
            if let Raw::Date(d) = raw {
                let expected = match (kind, col.format.unwrap_or(YearMonthFormat::Dash)) {
                    (Kind::Year, _) => d.format("%Y").to_string(),
                    (Kind::YearMonth, YearMonthFormat::Dash) => d.format("%Y-%m").to_string(),
                    (Kind::YearMonth, YearMonthFormat::Compact) => d.format("%Y%m").to_string(),
                    _ => d.format("%Y-%m-%d").to_string(),
                };
                assert_eq!(v.text, expected, "date cell {d} as {kind:?}");
            }
        }
    }

    // Idempotence: the normal form, read back as a text cell (as `bundle` writes it), is
    // itself.
    let again = normalise(col, &Raw::Text(v.text.clone()), epoch_1904);
    let Ok(Some(w)) = &again else {
        panic!(
            "normal form {:?} of {raw:?} as {kind:?} ({:?}) does not read again: {again:?}",
            v.text, col.format
        );
    };
    assert_eq!(w.text, v.text, "normalising {:?} again", v.text);
    assert_eq!(w.span, v.span, "span of {:?} again", v.text);
    assert_eq!(w.note, None, "note on the normal form {:?}", v.text);
    if kind == Kind::Integer {
        assert_eq!(w.number, v.number);
    }
    out
}

/// Text results of a normalisation, for comparing two cells that must read alike.
fn outcome_text(r: &Result<Option<Value>, Problem>) -> Result<Option<String>, Problem> {
    r.clone().map(|v| v.map(|v| v.text))
}

fn check_helpers(s: &str) {
    let c = clean_text(s);
    assert_eq!(clean_text(&c), c, "clean_text idempotent");
    let h = half_width(s);
    assert_eq!(half_width(&h), h, "half_width idempotent");
    let k = comparable(s);
    assert_eq!(comparable(&k), k, "comparable idempotent");
    assert!(!k.chars().any(char::is_whitespace));
    if let Some(p) = parse_date_text(s) {
        assert!((1900..=2200).contains(&p.year), "{s:?} → {p:?}");
        if let Some(m) = p.month {
            assert!((1..=12).contains(&m), "{s:?} → {p:?}");
            if let Some(d) = p.day {
                assert!(
                    NaiveDate::from_ymd_opt(p.year, m, d).is_some(),
                    "{s:?} → {p:?}"
                );
            }
        } else {
            assert!(p.day.is_none(), "{s:?} → {p:?}");
        }
    }
}

fn check_split(text: &str) {
    const OTHER: [char; 5] = ['；', '、', '，', ',', '\n'];
    let (items, odd) = split_items(text);
    assert_eq!(odd, text.contains(OTHER));
    for it in &items {
        assert!(!it.is_empty());
        assert_eq!(clean_text(it), *it);
        assert!(!it.contains(';') && !it.contains(OTHER), "item {it:?}");
    }
    // The checker joins the items with `;`: splitting that again gives the same items.
    let joined = items.join(";");
    assert_eq!(split_items(&joined), (items.clone(), false));
    if !text.contains(';') && !text.contains(OTHER) {
        let c = clean_text(text);
        let expected: Vec<String> = if c.is_empty() { vec![] } else { vec![c] };
        assert_eq!(items, expected);
    }
}

fuzz_target!(|input: Input| {
    static COLUMNS: OnceLock<Vec<Column>> = OnceLock::new();
    let cols = COLUMNS.get_or_init(columns);
    let raw = input.raw.build();

    for col in cols {
        let out = check_one(col, &raw, input.epoch_1904);
        if let Raw::Text(s) = &raw {
            // A zero-width space anywhere changes nothing.
            let chars: Vec<char> = s.chars().collect();
            let at = input.at as usize % (chars.len() + 1);
            let mut zw: String = chars[..at].iter().collect();
            zw.push('\u{200B}');
            zw.extend(&chars[at..]);
            let out_zw = check_one(col, &Raw::Text(zw.clone()), input.epoch_1904);
            assert_eq!(outcome_text(&out), outcome_text(&out_zw), "{s:?} vs {zw:?}");
            // Full-width digits read as digits wherever the kind is not free text.
            if !matches!(col.kind, Kind::Text | Kind::Enum | Kind::YesNo) {
                let full: String = s
                    .chars()
                    .map(|c| match c {
                        '0'..='9' => char::from_u32(c as u32 + 0xFEE0).unwrap(),
                        _ => c,
                    })
                    .collect();
                let out_full = check_one(col, &Raw::Text(full.clone()), input.epoch_1904);
                assert_eq!(
                    outcome_text(&out),
                    outcome_text(&out_full),
                    "{s:?} vs {full:?}"
                );
            }
        }
    }

    if let Raw::Text(s) | Raw::Error(s) = &raw {
        check_helpers(s);
    }
    let multi = input.multi.build();
    check_helpers(&multi);
    check_split(&multi);
});
