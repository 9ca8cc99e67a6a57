//! Fuzz target `header`: a small sheet built from the fuzz bytes (column names of the 2025
//! edition, perturbed as people type them, table titles, title rows, blanks, numbers, dates,
//! merged areas) run through `locate_sheet` — which names the table (`match_table`), finds the
//! header row (`fit_header`), tries the vertical form (`fit_vertical`) and identifies the table
//! by its header (`identify_by_header`) — with invariants checked on what it returns.
//!
//! Invariants checked, for every input:
//! - no panic (the target is built with overflow checks, see fuzz/README.md);
//! - a hidden sheet gives no table, and one `hidden-sheet` finding exactly when its name names a
//!   table; an unreadable sheet gives no table and one `unreadable-sheet` finding;
//! - a located table is of the edition; a located header row lies inside the grid and in the
//!   first 30 rows searched; data rows lie below it, inside the grid, in order, none blank;
//!   every record has one entry per schema column; the sheet columns found are distinct, inside
//!   the grid and the same for every record; each cell is the grid's cell at its address, with
//!   the merged area `Sheet::merged_into` gives; missing columns are columns of the table,
//!   named once, at most half of them;
//! - a vertical form has at most one record, its values in one column right of the names
//!   (within the first five columns), each item on its own row, starting at the header row.
//!
//! And, when the input plants a table's whole header (or a vertical form) in a sheet named by
//! the table, among cells that name none of its columns (the oracle):
//! - the table is that table, read horizontally (vertically) with the header at the planted
//!   row, no column reported missing and none out of order — even with the header texts
//!   perturbed in ways `comparable` ignores (spaces, line breaks, NBSP, ideographic and
//!   zero-width spaces, half-width brackets and colons).

#![no_main]

use std::collections::HashSet;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use statedata::finding::{CellRef, Code};
use statedata::read::{locate_sheet, match_table, Format, Grid, Located, Sheet, Workbook};
use statedata::schema::{load_embedded, Edition, Shape, Table};
use statedata::value::Raw;

/// Rows searched for the header (`HEADER_SEARCH_ROWS` in src/read/locate.rs).
const SEARCH_ROWS: u32 = 30;
const MAX_ROWS: usize = 40;
const MAX_COLS: usize = 16;

/// Texts found in real sheets besides column names.
const EXTRA: &[&str] = &[
    "项目",
    "内容",
    "序号",
    "合计",
    "总计",
    "小计",
    "注：",
    "注:",
    "说明",
    "填表人：",
    "制表：",
    "审核：",
    "负责人",
    "备注",
    "Sheet1",
    "表",
    "单位：万元",
    "（盖章）",
    "",
    " ",
    "\u{3000}",
    "\u{00A0}",
    "\u{200B}",
    "填表说明：请按平台模板填写，不要改动表头。",
    "值",
];

struct World {
    edition: Edition,
    /// Every column name and alias of every table.
    names: Vec<String>,
    /// Every table title, name, alias and 表号.
    titles: Vec<String>,
}

fn world() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| {
        let edition = load_embedded("2025").expect("embedded 2025 edition");
        let mut names = Vec::new();
        let mut titles = Vec::new();
        for t in &edition.tables {
            titles.push(t.title());
            titles.push(t.name.clone());
            titles.push(t.id.clone());
            titles.extend(t.aliases.iter().cloned());
            for c in &t.columns {
                names.push(c.name.clone());
                names.extend(c.aliases.iter().cloned());
            }
        }
        World {
            edition,
            names,
            titles,
        }
    })
}

/// A change to a header text that `comparable` ignores: the header must still be found.
#[derive(Arbitrary, Debug, Clone, Copy)]
enum Perturb {
    Space(u8),
    Newline(u8),
    Nbsp(u8),
    Ideographic(u8),
    ZeroWidth(u8),
    /// `（` → `(`, `：` → `:` …
    HalfBrackets,
    /// Use the column's n-th alias instead of its name, when it has one.
    Alias(u8),
}

impl Perturb {
    fn apply(self, s: &str, aliases: &[String]) -> String {
        let chars: Vec<char> = s.chars().collect();
        let insert = |at: u8, what: char| {
            let i = at as usize % (chars.len() + 1);
            let mut out: String = chars[..i].iter().collect();
            out.push(what);
            out.extend(&chars[i..]);
            out
        };
        match self {
            Perturb::Space(at) => insert(at, ' '),
            Perturb::Newline(at) => insert(at, '\n'),
            Perturb::Nbsp(at) => insert(at, '\u{00A0}'),
            Perturb::Ideographic(at) => insert(at, '\u{3000}'),
            Perturb::ZeroWidth(at) => insert(at, '\u{200B}'),
            Perturb::HalfBrackets => s
                .chars()
                .map(|c| match c {
                    '（' => '(',
                    '）' => ')',
                    '：' => ':',
                    '，' => ',',
                    '；' => ';',
                    _ => c,
                })
                .collect(),
            Perturb::Alias(i) => {
                if aliases.is_empty() {
                    s.to_string()
                } else {
                    aliases[i as usize % aliases.len()].clone()
                }
            }
        }
    }
}

#[derive(Arbitrary, Debug)]
enum FCell {
    Blank,
    Empty,
    Name(u16, Option<Perturb>),
    Title(u16),
    Extra(u8),
    Text(String),
    Number(f64),
    Int(i16),
    Date(i32),
    Bool(bool),
    Error,
}

impl FCell {
    fn build(&self, w: &World) -> Raw {
        match self {
            FCell::Blank => Raw::Text(String::new()),
            FCell::Empty => Raw::Empty,
            FCell::Name(i, p) => {
                let n = &w.names[*i as usize % w.names.len()];
                Raw::Text(p.map_or_else(|| n.clone(), |p| p.apply(n, &[])))
            }
            FCell::Title(i) => Raw::Text(w.titles[*i as usize % w.titles.len()].clone()),
            FCell::Extra(i) => Raw::Text(EXTRA[*i as usize % EXTRA.len()].to_string()),
            FCell::Text(s) => Raw::Text(s.chars().take(40).collect()),
            FCell::Number(n) => Raw::Number(*n),
            FCell::Int(n) => Raw::Number(*n as f64),
            FCell::Date(d) => NaiveDate::from_num_days_from_ce_opt(730_000 + d % 100_000)
                .map(Raw::Date)
                .unwrap_or(Raw::Empty),
            FCell::Bool(b) => Raw::Bool(*b),
            FCell::Error => Raw::Error("#N/A".into()),
        }
    }
}

#[derive(Arbitrary, Debug)]
enum FName {
    /// `表1-5-1 教职工基本信息`
    Title(u16),
    /// `1-5-1`
    Id(u16),
    /// `教职工基本信息`
    Name(u16),
    /// The title cut at 31 characters, as Excel cuts sheet names.
    Cut31(u16),
    Sheet1,
    Text(String),
}

impl FName {
    fn build(&self, ed: &Edition) -> String {
        let t = |i: &u16| &ed.tables[*i as usize % ed.tables.len()];
        match self {
            FName::Title(i) => t(i).title(),
            FName::Id(i) => t(i).id.clone(),
            FName::Name(i) => t(i).name.clone(),
            FName::Cut31(i) => t(i).name.chars().take(31).collect(),
            FName::Sheet1 => "Sheet1".into(),
            FName::Text(s) => s.chars().take(40).collect(),
        }
    }
}

/// A table's header (or vertical form) planted in the sheet. Fields are laid out so that
/// short or zero fuzz data plants a whole header in a sheet named by its table.
#[derive(Arbitrary, Debug)]
struct Plant {
    off: bool,
    table: u16,
    /// Row of the header (or of the first item of a vertical form), from the grid's top.
    row: u8,
    /// Column of the header's first cell (or of the vertical names), from the grid's left.
    col: u8,
    /// A vertical 项目 | 内容 form, when the table is a single-record one.
    vertical: bool,
    /// Name the sheet by `Input::sheet_name` instead of the table's title.
    anonymous: bool,
    /// Data rows under a horizontal header (at most 5); bit i of `blanks` leaves column i
    /// blank in them.
    data_rows: u8,
    blanks: u32,
    /// Columns left out (bit i: column i).
    drop: Option<u32>,
    /// One header text damaged (a character dropped): it names no column any more.
    damage: Option<(u8, u8)>,
    /// Perturbations of the header texts, applied in turn to the columns.
    perturb: Vec<Option<Perturb>>,
}

#[derive(Arbitrary, Debug)]
struct Input {
    plant: Plant,
    sheet_name: FName,
    file_stem: FName,
    single_sheet: bool,
    hidden: bool,
    unreadable: bool,
    epoch_1904: bool,
    /// The grid's top-left cell: small, or (far) anywhere in Excel's limits.
    origin: (u8, u8),
    far: Option<(u32, u16)>,
    rows: Vec<Vec<FCell>>,
    merges: Vec<(u8, u8, u8, u8)>,
}

/// What the oracle expects of a planted header.
struct Expect {
    table: String,
    row: u32,
    vertical: bool,
    /// Planted rows of a vertical form, per schema column.
    item_rows: Vec<u32>,
    /// Planted data rows under a horizontal header: (row, value per schema column).
    data: Vec<(u32, Vec<Raw>)>,
    /// Header found in the rows searched.
    searched: bool,
}

fn build(input: &Input, w: &World) -> (Sheet, Workbook, Option<Expect>) {
    let ed = &w.edition;
    let origin = match input.far {
        Some((r, c)) => (
            r % (1_048_576 - MAX_ROWS as u32 * 3),
            (c % (16_384 - 64)) as u32,
        ),
        None => ((input.origin.0 % 8) as u32, (input.origin.1 % 4) as u32),
    };
    let mut rows: Vec<Vec<Raw>> = input
        .rows
        .iter()
        .take(MAX_ROWS)
        .map(|r| r.iter().take(MAX_COLS).map(|c| c.build(w)).collect())
        .collect();
    let mut name = input.sheet_name.build(ed);
    let mut expect = None;

    let p = &input.plant;
    if !p.off {
        let table: &Table = &ed.tables[p.table as usize % ed.tables.len()];
        let total = table.columns.len();
        let vertical = p.vertical && table.shape == Shape::Single;
        let r0 = (p.row as usize) % (MAX_ROWS + 4);
        let c0 = if vertical {
            (p.col as usize) % 4
        } else {
            (p.col as usize) % 6
        };
        // Noise must not name any column of the table: else the oracle cannot say which row
        // is the header.
        for row in rows.iter_mut() {
            for cell in row.iter_mut() {
                if !cell.is_blank()
                    && table
                        .columns
                        .iter()
                        .any(|c| c.matches_header(&cell.display()))
                {
                    *cell = Raw::Empty;
                }
            }
        }
        let mut put = |r: usize, c: usize, v: Raw| {
            if rows.len() <= r {
                rows.resize_with(r + 1, Vec::new);
            }
            if rows[r].len() <= c {
                rows[r].resize(c + 1, Raw::Empty);
            }
            rows[r][c] = v;
        };
        let dropped = |i: usize| i < 32 && p.drop.is_some_and(|d| d & (1 << i) != 0);
        let damaged = p.damage.map(|(c, _)| c as usize % total);
        let mut item_rows = Vec::new();
        let mut next = r0;
        for (i, col) in table.columns.iter().enumerate() {
            if dropped(i) {
                continue;
            }
            let perturb = p.perturb.get(i % p.perturb.len().max(1)).copied().flatten();
            let mut text =
                perturb.map_or_else(|| col.name.clone(), |x| x.apply(&col.name, &col.aliases));
            if damaged == Some(i) {
                let chars: Vec<char> = text.chars().collect();
                let at = p.damage.unwrap().1 as usize % chars.len().max(1);
                text = chars
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != at)
                    .map(|(_, c)| *c)
                    .collect();
            }
            if vertical {
                put(next, c0, Raw::Text(text));
                put(next, c0 + 1, Raw::Text(format!("值{i}")));
                item_rows.push(next as u32 + origin.0);
                next += 1;
            } else {
                put(r0, c0 + i, Raw::Text(text));
            }
        }
        let mut data = Vec::new();
        if !vertical {
            for d in 1..=(p.data_rows as usize % 6) {
                let mut values = Vec::new();
                for i in 0..total {
                    let v = if dropped(i) {
                        Raw::Empty
                    } else if i < 32 && p.blanks & (1 << i) != 0 {
                        put(r0 + d, c0 + i, Raw::Empty);
                        Raw::Empty
                    } else {
                        let v = Raw::Text(format!("v{d}.{i}"));
                        put(r0 + d, c0 + i, v.clone());
                        v
                    };
                    values.push(v);
                }
                data.push(((r0 + d) as u32 + origin.0, values));
            }
        }
        if !p.anonymous {
            name = table.title();
        }
        let all_kept = p.drop.is_none_or(|d| d == 0) && damaged.is_none();
        if all_kept && !p.anonymous && total >= 2 {
            expect = Some(Expect {
                table: table.id.clone(),
                row: r0 as u32 + origin.0,
                vertical,
                item_rows,
                data,
                searched: vertical || (r0 as u32) < SEARCH_ROWS,
            });
        }
    }

    let grid = Grid::new(origin, rows);
    let merges = input
        .merges
        .iter()
        .take(8)
        .map(|&(a, b, c, d)| {
            let at =
                |r: u8, c: u8| CellRef::new(origin.0 + (r % 48) as u32, origin.1 + (c % 24) as u32);
            (at(a, b), at(c, d))
        })
        .collect();
    let sheet = Sheet::new(
        name,
        !input.hidden,
        grid,
        input.unreadable.then(|| "fuzz".to_string()),
        merges,
    );
    let wb = Workbook {
        format: Format::Xlsx,
        epoch_1904: input.epoch_1904,
        sheets: Vec::new(),
        file_stem: input.file_stem.build(ed),
        path: "fuzz.xlsx".into(),
    };
    (sheet, wb, expect)
}

fn check(ed: &Edition, sheet: &Sheet, wb: &Workbook, single: bool, out: &Located) {
    let grid = &sheet.grid;
    let count = |code: Code| out.findings.iter().filter(|f| f.code == code).count();

    if !sheet.visible {
        assert!(out.part.is_none(), "a hidden sheet gives no table");
        let named = match_table(ed, &sheet.name)
            .or_else(|| single.then(|| match_table(ed, &wb.file_stem)).flatten());
        assert_eq!(out.findings.len(), usize::from(named.is_some()));
        assert_eq!(count(Code::HiddenSheet), out.findings.len());
        return;
    }
    if sheet.error.is_some() {
        assert!(out.part.is_none(), "an unreadable sheet gives no table");
        assert_eq!(out.findings.len(), 1);
        assert_eq!(count(Code::UnreadableSheet), 1);
        return;
    }
    for f in &out.findings {
        if let Some(t) = &f.table {
            assert!(ed.table(t).is_some(), "finding names table {t}");
        }
    }
    let Some(part) = &out.part else {
        assert!(count(Code::MissingColumn) == 0 && count(Code::UnknownColumn) == 0);
        return;
    };
    let table = ed
        .table(&part.table)
        .expect("located table is of the edition");
    let total = table.columns.len();
    assert_eq!(part.sheet, sheet.name);
    assert_eq!(part.epoch_1904, wb.epoch_1904);
    assert!(count(Code::UnmatchedSheet) == 0 && count(Code::HeaderNotFound) == 0);

    if grid.is_empty() {
        assert!(part.records.is_empty());
        assert_eq!(part.header_row, grid.origin.0);
        return;
    }
    assert!(
        (grid.origin.0..grid.end_row()).contains(&part.header_row),
        "header row {} outside the grid rows {}..{}",
        part.header_row,
        grid.origin.0,
        grid.end_row()
    );

    // Missing columns: of the table, each once, at most half of them.
    let missing: Vec<&str> = out
        .findings
        .iter()
        .filter(|f| f.code == Code::MissingColumn)
        .map(|f| {
            f.column
                .as_deref()
                .expect("missing-column names its column")
        })
        .collect();
    let distinct: HashSet<&str> = missing.iter().copied().collect();
    assert_eq!(
        distinct.len(),
        missing.len(),
        "a column reported missing twice"
    );
    for m in &missing {
        assert!(
            table.column(m).is_some(),
            "missing column {m} not of {}",
            table.id
        );
    }
    assert!(
        missing.len() * 2 <= total,
        "{} of {total} missing",
        missing.len()
    );

    for rec in &part.records {
        assert_eq!(rec.cells.len(), total, "one entry per schema column");
        for (i, c) in rec.cells.iter().enumerate() {
            let present = c.is_some();
            assert_eq!(
                present,
                !distinct.contains(table.columns[i].name.as_str()),
                "column {} present iff not reported missing",
                table.columns[i].name
            );
            if let Some(c) = c {
                assert_eq!(
                    &c.raw,
                    grid.get(c.at.row, c.at.col),
                    "cell raw at {:?}",
                    c.at
                );
                assert_eq!(c.merged, sheet.merged_into(c.at));
            }
        }
    }

    if part.vertical {
        assert_eq!(
            table.shape,
            Shape::Single,
            "only single-record tables are vertical"
        );
        assert!(part.records.len() <= 1);
        assert_eq!(count(Code::UnknownColumn), 0);
        if let Some(rec) = part.records.first() {
            let cells: Vec<_> = rec.cells.iter().flatten().collect();
            assert!(
                cells.iter().any(|c| !c.raw.is_blank()),
                "a record has a value"
            );
            let col = cells[0].at.col;
            assert!(
                cells.iter().all(|c| c.at.col == col),
                "values in one column"
            );
            assert!(
                col > grid.origin.1 && col <= grid.origin.1 + 4,
                "value column {col}, grid from {}",
                grid.origin.1
            );
            let rows: HashSet<u32> = cells.iter().map(|c| c.at.row).collect();
            assert_eq!(rows.len(), cells.len(), "each item on its own row");
            let lo = *rows.iter().min().unwrap();
            let hi = *rows.iter().max().unwrap();
            assert_eq!(rec.rows, (lo, hi));
            assert_eq!(lo, part.header_row);
            assert!(hi < grid.end_row());
        }
        return;
    }

    assert!(
        part.header_row < grid.origin.0 + SEARCH_ROWS,
        "header row {} beyond the rows searched from {}",
        part.header_row,
        grid.origin.0
    );
    let mut mapping: Option<Vec<Option<u32>>> = None;
    let mut last_row = part.header_row;
    for rec in &part.records {
        assert_eq!(rec.rows.0, rec.rows.1);
        assert!(rec.rows.0 > last_row, "records below the header, in order");
        assert!(rec.rows.0 < grid.end_row());
        last_row = rec.rows.0;
        assert!(
            (grid.origin.1..grid.end_col()).any(|c| !grid.get(rec.rows.0, c).is_blank()),
            "blank row {} read as a record",
            rec.rows.0
        );
        let cols: Vec<Option<u32>> = rec
            .cells
            .iter()
            .map(|c| c.as_ref().map(|c| c.at.col))
            .collect();
        for c in rec.cells.iter().flatten() {
            assert_eq!(c.at.row, rec.rows.0);
            assert!((grid.origin.1..grid.end_col()).contains(&c.at.col));
        }
        let found: Vec<u32> = cols.iter().flatten().copied().collect();
        let set: HashSet<u32> = found.iter().copied().collect();
        assert_eq!(
            set.len(),
            found.len(),
            "two schema columns read from one sheet column"
        );
        match &mapping {
            Some(m) => assert_eq!(m, &cols, "the same columns for every record"),
            None => mapping = Some(cols),
        }
    }
    for f in out
        .findings
        .iter()
        .filter(|f| f.code == Code::UnknownColumn)
    {
        let at = f.location.cell.expect("unknown column has a cell");
        assert_eq!(at.row, part.header_row);
        assert!(!grid.get(at.row, at.col).is_blank());
    }
}

fn check_oracle(out: &Located, e: &Expect) {
    let Some(part) = &out.part else {
        assert!(
            !e.searched,
            "planted header of {} not found: {:?}",
            e.table, out.findings
        );
        return;
    };
    if !e.searched {
        // Beyond the rows searched, the table cannot be read horizontally.
        assert!(
            part.table != e.table || part.vertical,
            "header found below row 30"
        );
        return;
    }
    assert_eq!(
        part.table, e.table,
        "planted table; findings {:?}",
        out.findings
    );
    assert_eq!(
        part.vertical, e.vertical,
        "reading direction of {}",
        e.table
    );
    assert_eq!(part.header_row, e.row, "header row of {}", e.table);
    let bad: Vec<_> = out
        .findings
        .iter()
        .filter(|f| {
            matches!(
                f.code,
                Code::MissingColumn | Code::ColumnOrder | Code::TableByHeader
            )
        })
        .collect();
    assert!(
        bad.is_empty(),
        "planted whole header of {}: {bad:?}",
        e.table
    );
    for rec in &part.records {
        if let Some((_, values)) = e.data.iter().find(|(r, _)| *r == rec.rows.0) {
            for (i, v) in values.iter().enumerate() {
                let c = rec.cells[i]
                    .as_ref()
                    .expect("whole header: every column read");
                assert_eq!(
                    &c.raw, v,
                    "planted value of column {i} in row {}",
                    rec.rows.0
                );
            }
        }
    }
    if e.vertical {
        let rec = part.records.first().expect("the planted values");
        let rows: Vec<u32> = rec
            .cells
            .iter()
            .map(|c| c.as_ref().unwrap().at.row)
            .collect();
        assert_eq!(rows, e.item_rows);
    }
}

/// Counts for `STATEDATA_FUZZ_STATS=1`: how often the oracle and each reading actually ran.
mod stats {
    use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
    pub static RUNS: AtomicU64 = AtomicU64::new(0);
    pub static PARTS: AtomicU64 = AtomicU64::new(0);
    pub static VERTICAL: AtomicU64 = AtomicU64::new(0);
    pub static RECORDS: AtomicU64 = AtomicU64::new(0);
    pub static ORACLE: AtomicU64 = AtomicU64::new(0);
    pub static ORACLE_VERTICAL: AtomicU64 = AtomicU64::new(0);

    pub fn bump(c: &AtomicU64) {
        c.fetch_add(1, Relaxed);
    }

    pub fn report() {
        let n = RUNS.fetch_add(1, Relaxed) + 1;
        if n.is_power_of_two() && std::env::var_os("STATEDATA_FUZZ_STATS").is_some() {
            eprintln!(
                "header stats: runs {n}, tables located {}, vertical {}, with records {}, oracle {} (vertical {})",
                PARTS.load(Relaxed),
                VERTICAL.load(Relaxed),
                RECORDS.load(Relaxed),
                ORACLE.load(Relaxed),
                ORACLE_VERTICAL.load(Relaxed)
            );
        }
    }
}

fuzz_target!(|input: Input| {
    let w = world();
    let (sheet, wb, expect) = build(&input, w);
    let out = locate_sheet(&w.edition, &wb, &sheet, input.single_sheet);
    check(&w.edition, &sheet, &wb, input.single_sheet, &out);
    if let Some(p) = &out.part {
        stats::bump(&stats::PARTS);
        if p.vertical {
            stats::bump(&stats::VERTICAL);
        }
        if !p.records.is_empty() {
            stats::bump(&stats::RECORDS);
        }
    }
    if let Some(e) = expect {
        if sheet.visible && sheet.error.is_none() {
            stats::bump(&stats::ORACLE);
            if e.vertical {
                stats::bump(&stats::ORACLE_VERTICAL);
            }
            check_oracle(&out, &e);
        }
    }
    stats::report();
});
