//! Opening a workbook with calamine (by the format its bytes show) and turning each sheet into a
//! grid of `Raw` cells that knows its absolute position.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use calamine::{Data, Ods, Reader, SheetVisible, Xls, Xlsb, XlsbError, Xlsx, XlsxError};
use chrono::NaiveDate;

use super::sniff::{sniff, Format};
use super::{guard, xls_scan, xlsx_scan};
use crate::finding::CellRef;
use crate::value::Raw;

/// A sheet's cells. calamine's ranges start at the first non-empty cell, not at A1: `origin`
/// is that cell's absolute (row, col), so addresses are always absolute.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    pub origin: (u32, u32),
    pub rows: Vec<Vec<Raw>>,
    /// Number of columns of the widest row (kept, since it is asked for every row).
    width: u32,
}

static EMPTY: Raw = Raw::Empty;

impl Grid {
    /// The cell at an absolute position (Empty outside the used area).
    pub fn get(&self, row: u32, col: u32) -> &Raw {
        if row < self.origin.0 || col < self.origin.1 {
            return &EMPTY;
        }
        self.rows
            .get((row - self.origin.0) as usize)
            .and_then(|r| r.get((col - self.origin.1) as usize))
            .unwrap_or(&EMPTY)
    }

    /// First absolute row after the used area.
    pub fn end_row(&self) -> u32 {
        self.origin.0 + self.rows.len() as u32
    }

    /// First absolute column after the used area.
    pub fn end_col(&self) -> u32 {
        self.origin.1 + self.width
    }

    /// A grid from rows of cells whose top-left cell is at `origin`.
    pub fn new(origin: (u32, u32), rows: Vec<Vec<Raw>>) -> Grid {
        let width = rows.iter().map(Vec::len).max().unwrap_or(0) as u32;
        Grid {
            origin,
            rows,
            width,
        }
    }

    /// How many cells the grid holds (rows hold cells up to their last non-blank one).
    pub fn cells(&self) -> u64 {
        self.rows.iter().map(|r| r.len() as u64).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.iter().all(|r| r.iter().all(Raw::is_blank))
    }
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub visible: bool,
    pub grid: Grid,
    /// Why the sheet could not be read, if it could not.
    pub error: Option<String>,
    /// The cell to blame, when one is (a stray value far away).
    pub error_cell: Option<CellRef>,
    /// Merged areas (top-left, bottom-right), where the reader knows them (xlsx, xls).
    pub merges: Vec<(CellRef, CellRef)>,
    /// Row → the merged areas covering it, built on first use (a sheet may have one merged
    /// area per row: looking each cell up in all of them would take rows × areas steps).
    merge_rows: std::sync::OnceLock<std::collections::HashMap<u32, Vec<usize>>>,
}

impl Sheet {
    /// The merged area a cell lies in, when it is not that area's top-left cell (which alone
    /// holds the value).
    pub fn merged_into(&self, at: CellRef) -> Option<(CellRef, CellRef)> {
        let index = self.merge_rows.get_or_init(|| {
            let mut m: std::collections::HashMap<u32, Vec<usize>> = Default::default();
            let mut entries = 0u64;
            for (i, (a, b)) in self.merges.iter().enumerate() {
                // An area over many rows is listed per row up to a bound; a sheet merged over
                // a million rows holds no data there anyway.
                for r in a.row..=b.row.min(a.row.saturating_add(100_000)) {
                    entries += 1;
                    if entries > MAX_SHEET_CELLS {
                        break;
                    }
                    m.entry(r).or_default().push(i);
                }
            }
            m
        });
        index
            .get(&at.row)?
            .iter()
            .map(|&i| self.merges[i])
            .find(|(a, b)| {
                (a.row..=b.row).contains(&at.row) && (a.col..=b.col).contains(&at.col) && *a != at
            })
    }

    pub fn new(
        name: String,
        visible: bool,
        grid: Grid,
        error: Option<String>,
        merges: Vec<(CellRef, CellRef)>,
    ) -> Sheet {
        Sheet {
            name,
            visible,
            grid,
            error,
            error_cell: None,
            merges,
            merge_rows: Default::default(),
        }
    }
}

fn merges_of(dims: Vec<calamine::Dimensions>) -> Vec<(CellRef, CellRef)> {
    dims.into_iter()
        .map(|d| {
            (
                CellRef::new(d.start.0, d.start.1),
                CellRef::new(d.end.0, d.end.1),
            )
        })
        .collect()
}

#[derive(Debug, Clone)]
pub struct Workbook {
    pub format: Format,
    pub epoch_1904: bool,
    pub sheets: Vec<Sheet>,
    /// The file name, for matching single-sheet files by name.
    pub file_stem: String,
    /// The path as given, for messages.
    pub path: String,
}

/// Why a file could not be read, and what the person who sent it should do.
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub format: String,
    /// The format the bytes showed, when they were read at all.
    pub sniffed: Option<Format>,
    pub reason: String,
    pub advice: String,
}

fn unreadable(format: Format, reason: impl Into<String>, advice: &str) -> Unreadable {
    Unreadable {
        format: format.label().to_string(),
        sniffed: Some(format),
        reason: reason.into(),
        advice: advice.to_string(),
    }
}

const RESAVE: &str = "请用 Excel 或 WPS 打开后“另存为” Excel 工作簿（.xlsx）再提交";

/// Converts a calamine cell. Dates come only from real date cells, never from plain numbers.
fn to_raw(d: &Data) -> Raw {
    match d {
        Data::Empty => Raw::Empty,
        Data::String(s) => Raw::Text(s.clone()),
        Data::Int(i) => Raw::Number(*i as f64),
        Data::Float(f) => Raw::Number(*f),
        Data::Bool(b) => Raw::Bool(*b),
        Data::Error(e) => Raw::Error(e.to_string()),
        Data::DateTime(dt) => {
            if dt.is_datetime() {
                let (y, m, day, ..) = dt.to_ymd_hms_milli();
                NaiveDate::from_ymd_opt(y as i32, m as u32, day as u32)
                    .map(Raw::Date)
                    .unwrap_or(Raw::Number(dt.as_f64()))
            } else {
                // A duration ([h]:mm) is a number to us.
                Raw::Number(dt.as_f64())
            }
        }
        Data::DateTimeIso(s) => s
            .get(..10)
            .and_then(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").ok())
            .map(Raw::Date)
            .unwrap_or_else(|| Raw::Text(s.clone())),
        Data::DurationIso(s) => Raw::Text(s.clone()),
    }
}

/// Reads a workbook file. The file is only read, never written.
pub fn read_workbook(path: &Path) -> Result<Workbook, Unreadable> {
    let bytes = std::fs::read(path).map_err(|e| {
        unreadable(
            Format::Unknown,
            format!("文件打不开（{e}）"),
            "请确认文件没有被其他程序占用，并且有读取权限",
        )
    })?;
    let file_stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("")
        .to_string();
    let format = sniff(&bytes);
    let result = catch_unwind(AssertUnwindSafe(|| open(format, bytes)));
    match result {
        Ok(Ok((epoch_1904, sheets))) => Ok(Workbook {
            format,
            epoch_1904,
            sheets,
            file_stem,
            path: path.display().to_string(),
        }),
        Ok(Err(u)) => Err(u),
        Err(_) => Err(unreadable(format, "文件结构损坏，读取时出错", RESAVE)),
    }
}

/// A sheet refused before it is read: by its name (xlsx), or by its position in the
/// workbook's list of sheets (xls, whose names only the reader decodes).
enum SheetId {
    Name(String),
    Position(usize),
}

/// Cells to put into a sheet's grid at absolute (row, col).
type Extra = [((u32, u32), Raw)];
/// Reads a sheet's grid (with extra cells put in); gives how many cells the reader skipped.
type GridFn<R> = fn(&mut R, &str, &Extra) -> Result<(Grid, usize), SheetError>;

/// Why a sheet could not be read, and the cell to look at when one is to blame.
pub type SheetError = (String, Option<CellRef>);

fn plain(e: impl std::fmt::Display) -> SheetError {
    (e.to_string(), None)
}

/// How one kind of workbook gives its date system, a sheet's grid and a sheet's merged areas.
struct Access<R> {
    epoch: fn(&R) -> bool,
    /// The grid of a sheet with extra cells to put in (found by `xlsx_scan`), and how many
    /// cells the reader had to skip.
    grid: GridFn<R>,
    merges: fn(&mut R, &str) -> Vec<(CellRef, CellRef)>,
}

/// A sheet's grid through calamine's dense range (xls, ods). calamine bounds these
/// itself (an xls sheet has at most 65,536 × 256 cells; ods is checked by `guard` first); the
/// grid keeps only the area of non-blank cells, within `MAX_SHEET_CELLS`.
fn range_grid<R>(
    wb: &mut R,
    name: &str,
    _extra: &[((u32, u32), Raw)],
) -> Result<(Grid, usize), SheetError>
where
    R: Reader<Cursor<Vec<u8>>>,
    R::Error: std::fmt::Display,
{
    let range = wb.worksheet_range(name).map_err(plain)?;
    let mut area = Area::default();
    for (r, c, d) in range.used_cells() {
        let (r0, c0) = range.start().unwrap_or((0, 0));
        area.add((r0 + r as u32, c0 + c as u32), to_raw(d))?;
    }
    Ok((area.into_grid(), 0))
}

fn no_merges<R>(_: &mut R, _: &str) -> Vec<(CellRef, CellRef)> {
    Vec::new()
}

/// Opens a workbook of a known type and reads every worksheet; a sheet that fails (or makes
/// the reader panic) is kept with its error, so one bad sheet never hides the others.
fn open_with<R>(
    format: Format,
    bytes: Vec<u8>,
    access: Access<R>,
    problems: &xlsx_scan::Problems,
    refused: &[(SheetId, SheetError)],
) -> Result<(bool, Vec<Sheet>), Unreadable>
where
    R: Reader<Cursor<Vec<u8>>>,
    R::Error: std::fmt::Display,
{
    let mut wb = R::new(Cursor::new(bytes)).map_err(|e| open_failed(format, e))?;
    let epoch_1904 = (access.epoch)(&wb);
    let meta: Vec<(usize, String, bool)> = wb
        .sheets_metadata()
        .iter()
        .enumerate()
        .filter(|(_, s)| s.typ == calamine::SheetType::WorkSheet)
        .map(|(i, s)| (i, s.name.clone(), s.visible == SheetVisible::Visible))
        .collect();
    let mut sheets = Vec::new();
    // The cells the grids read so far hold, within `MAX_WORKBOOK_CELLS`.
    let mut held: u64 = 0;
    let mut names = std::collections::HashSet::new();
    for (position, name, visible) in meta {
        // Excel never saves two sheets of one name, but other programs may; the reader finds
        // sheets by name, so the second would be the first read again.
        if !names.insert(name.clone()) {
            let why = format!("工作簿中有两个名为「{name}」的工作表（Excel 不允许同名，文件多半被其他程序改过），第二个无法单独读取；请用 Excel 或 WPS 打开，把其中一个改名后保存");
            sheets.push(Sheet::new(
                name,
                visible,
                Grid::default(),
                Some(why),
                Vec::new(),
            ));
            continue;
        }
        let refusal = refused.iter().find(|(id, _)| match id {
            SheetId::Name(n) => *n == name,
            SheetId::Position(p) => *p == position,
        });
        if let Some((_, (error, cell))) = refusal {
            let mut sheet = Sheet::new(
                name,
                visible,
                Grid::default(),
                Some(error.clone()),
                Vec::new(),
            );
            sheet.error_cell = *cell;
            sheets.push(sheet);
            continue;
        }
        let extra = problems.get(&name).map(Vec::as_slice).unwrap_or(&[]);
        let read = catch_unwind(AssertUnwindSafe(|| (access.grid)(&mut wb, &name, extra)));
        let mut error_cell = None;
        let (grid, error) = match read {
            Ok(Ok((g, _))) if held.saturating_add(g.cells()) > MAX_WORKBOOK_CELLS => {
                (Grid::default(), Some(over_budget_error(g.cells())))
            }
            Ok(Ok((g, skipped))) => {
                held += g.cells();
                // Each skipped cell should be one the scan found (formulas without a value
                // are not skipped: the reader gives them empty).
                let located = extra
                    .iter()
                    .filter(|(_, r)| !matches!(r, Raw::Error(e) if e.starts_with('=')))
                    .count();
                if skipped > located {
                    let error =
                        format!("有 {} 个单元格的内容无法识别，位置不明", skipped - located);
                    (g, Some(error))
                } else {
                    (g, None)
                }
            }
            Ok(Err((e, cell))) => {
                error_cell = cell;
                (Grid::default(), Some(e))
            }
            Err(_) => (Grid::default(), Some("读取时出错".to_string())),
        };
        let merges = (access.merges)(&mut wb, &name);
        let mut sheet = Sheet::new(name, visible, grid, error, merges);
        sheet.error_cell = error_cell;
        sheets.push(sheet);
    }
    Ok((epoch_1904, sheets))
}

/// The most cells (rows × columns of the used area) a sheet may span. The largest real sheet
/// of a school is some 40,000 students × 8 columns (320,000 cells); a stray cell far away
/// (`XFD1048576`) would otherwise make the reader allocate hundreds of gigabytes and abort.
pub const MAX_SHEET_CELLS: u64 = 5_000_000;

/// The most cells the grids of one workbook may hold together. Each sheet is bounded by
/// `MAX_SHEET_CELLS`, but two dozen sheets each with one stray far cell would still take
/// gigabytes. A grid holds each row up to its last non-blank cell, so this counts the cells
/// the grids really hold; the sheets read after the budget is spent are refused.
pub const MAX_WORKBOOK_CELLS: u64 = 2 * MAX_SHEET_CELLS;

/// Why a sheet whose used area grew too big at cell `far` is refused.
pub(super) fn too_big_error(far: CellRef) -> SheetError {
    (
        format!(
            "已用区域过大（超过 {MAX_SHEET_CELLS} 个单元格），多半是远处的单元格 {} 误填了内容；请删除该单元格（或其所在的行、列）后保存",
            far.a1()
        ),
        Some(far),
    )
}

/// Why a sheet whose grid of `cells` cells would exceed the workbook's budget is refused.
pub(super) fn over_budget_error(cells: u64) -> String {
    format!(
        "本表有 {cells} 个单元格，加上前面各工作表，整个工作簿超过 {MAX_WORKBOOK_CELLS} 个单元格的上限，本表未读取；多半是有工作表在远处的单元格误填了内容；请删除各工作表中多余的行、列后保存，或把各表分成几个文件提交"
    )
}

/// The used area of the non-blank cells seen so far, refused as soon as it grows too big.
#[derive(Default)]
struct Area {
    cells: Vec<((u32, u32), Raw)>,
    min: (u32, u32),
    max: (u32, u32),
}

impl Area {
    fn add(&mut self, at: (u32, u32), raw: Raw) -> Result<(), SheetError> {
        if raw.is_blank() {
            return Ok(());
        }
        if self.cells.is_empty() {
            self.min = at;
            self.max = at;
        } else {
            self.min = (self.min.0.min(at.0), self.min.1.min(at.1));
            self.max = (self.max.0.max(at.0), self.max.1.max(at.1));
        }
        self.cells.push((at, raw));
        let span = (self.max.0 - self.min.0 + 1) as u64 * (self.max.1 - self.min.1 + 1) as u64;
        if span > MAX_SHEET_CELLS {
            // The cell that made the area too big is the one to delete.
            return Err(too_big_error(CellRef::new(at.0, at.1)));
        }
        Ok(())
    }

    /// Puts cells in, each replacing what the reader gave at its position (and a later one
    /// at the same position an earlier one). One pass over the cells read, whatever their
    /// number: replacing them one by one took cells × extra steps.
    fn put_all(&mut self, extra: &Extra) -> Result<(), SheetError> {
        if extra.is_empty() {
            return Ok(());
        }
        let mut last: std::collections::HashMap<(u32, u32), usize> =
            std::collections::HashMap::with_capacity(extra.len());
        for (i, (at, _)) in extra.iter().enumerate() {
            last.insert(*at, i);
        }
        self.cells.retain(|(p, _)| !last.contains_key(p));
        for (i, (at, raw)) in extra.iter().enumerate() {
            if last.get(at) == Some(&i) {
                self.add(*at, raw.clone())?;
            }
        }
        Ok(())
    }

    /// The grid of the cells: each row holds cells only up to its last non-blank one, so a
    /// sheet with a stray far cell takes room for that row alone, not for the whole used area.
    fn into_grid(self) -> Grid {
        if self.cells.is_empty() {
            return Grid::default();
        }
        let (r0, c0) = self.min;
        let (r1, _) = self.max;
        let mut lens = vec![0usize; (r1 - r0 + 1) as usize];
        for ((r, c), _) in &self.cells {
            let len = &mut lens[(r - r0) as usize];
            *len = (*len).max((c - c0) as usize + 1);
        }
        let mut rows: Vec<Vec<Raw>> = lens.into_iter().map(|n| vec![Raw::Empty; n]).collect();
        for ((r, c), raw) in self.cells {
            rows[(r - r0) as usize][(c - c0) as usize] = raw;
        }
        Grid::new((r0, c0), rows)
    }
}

/// What a streaming cell reader gives next: a cell at (row, column), the end of the sheet, or
/// an error.
type NextCell<E> = Result<Option<((u32, u32), Data)>, E>;

/// Reads cells one by one into a bounded area, so that the used area is known (and bounded)
/// before any grid is allocated; blank cells (empty strings, spaces) do not widen it. An error
/// that `ends` says breaks the sheet's structure ends it; any other spoils only its cell
/// (counted as skipped), and the reader goes on after it.
fn stream_cells<E: std::fmt::Display>(
    mut next: impl FnMut() -> NextCell<E>,
    ends: impl Fn(&E) -> bool,
) -> Result<(Area, usize), SheetError> {
    let mut area = Area::default();
    let mut skipped = 0;
    loop {
        match next() {
            Ok(Some((at, data))) => area.add(at, to_raw(&data))?,
            Ok(None) => break,
            Err(e) if ends(&e) => return Err(plain(e)),
            Err(e) => {
                skipped += 1;
                if skipped > 100_000 {
                    return Err(plain(e));
                }
            }
        }
    }
    Ok((area, skipped))
}

/// An xlsx sheet through calamine's streaming cell reader. Broken XML ends the sheet; a bad
/// value (an unknown error code, a missing shared string) spoils only its cell. The cells the
/// scan found (`extra`) are put in last.
fn stream_sheet(
    wb: &mut Xlsx<Cursor<Vec<u8>>>,
    name: &str,
    extra: &[((u32, u32), Raw)],
) -> Result<(Grid, usize), SheetError> {
    let mut reader = wb.worksheet_cells_reader(name).map_err(plain)?;
    let (mut area, skipped) = stream_cells(
        || {
            let cell = reader.next_cell()?;
            Ok(cell.map(|c| (c.get_position(), Data::from(c.get_value().clone()))))
        },
        |e| {
            matches!(
                e,
                XlsxError::Xml(_) | XlsxError::XmlEof(_) | XlsxError::Io(_)
            )
        },
    )?;
    area.put_all(extra)?;
    Ok((area.into_grid(), skipped))
}

/// An xlsb sheet through calamine's streaming cell reader, bounded like an xlsx sheet: its
/// dense range would allocate every cell up to a stray one at `XFD1048576`. A cut record ends
/// the sheet; an unknown error code spoils only its cell.
fn stream_xlsb(
    wb: &mut Xlsb<Cursor<Vec<u8>>>,
    name: &str,
    _extra: &[((u32, u32), Raw)],
) -> Result<(Grid, usize), SheetError> {
    let mut reader = wb.worksheet_cells_reader(name).map_err(plain)?;
    let (area, skipped) = stream_cells(
        || {
            let cell = reader.next_cell()?;
            Ok(cell.map(|c| (c.get_position(), Data::from(c.get_value().clone()))))
        },
        |e| matches!(e, XlsbError::Io(_)),
    )?;
    Ok((area.into_grid(), skipped))
}

fn open_failed(format: Format, e: impl std::fmt::Display) -> Unreadable {
    let msg = e.to_string();
    if msg.to_lowercase().contains("password") {
        unreadable(format, "文件设置了打开密码", "请去掉打开密码后重新提交")
    } else {
        unreadable(
            format,
            format!(
                "文件不完整或已损坏，可能没有保存完或传输中断（{} 读取错误：{msg}）",
                format.label()
            ),
            "请发送方重新保存后再发一次；如仍不行，请用 Excel 或 WPS 打开后“另存为” .xlsx",
        )
    }
}

/// The error values spreadsheets show (LibreOffice also writes `Err:502` …).
fn is_error_literal(t: &str) -> bool {
    const ERRORS: [&str; 14] = [
        "#DIV/0!",
        "#N/A",
        "#NAME?",
        "#NULL!",
        "#NUM!",
        "#REF!",
        "#VALUE!",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    ];
    ERRORS.contains(&t) || (t.starts_with("Err:5") && t.len() == 7)
}

const SUSPICIOUS: &str =
    "请用 Excel 或 WPS 打开后删除多余的行、列并另存为 .xlsx 再提交；如果文件来源不明，请不要打开它";

fn open(format: Format, bytes: Vec<u8>) -> Result<(bool, Vec<Sheet>), Unreadable> {
    let oversized = if matches!(format, Format::Xlsx | Format::Xlsb | Format::Ods) {
        guard::zip_sizes(&bytes).map_err(|e| unreadable(format, e, SUSPICIOUS))?
    } else {
        Vec::new()
    };
    if !oversized.is_empty() && format != Format::Xlsx {
        let (name, why) = &oversized[0];
        return Err(unreadable(
            format,
            format!("文件中的 {name} {why}"),
            SUSPICIOUS,
        ));
    }
    let ods_merges = if format == Format::Ods {
        guard::ods_extent(&bytes).map_err(|e| unreadable(format, e, SUSPICIOUS))?
    } else {
        Default::default()
    };
    match format {
        Format::Xlsx => {
            let problems = xlsx_scan::problems(&bytes, &oversized);
            let too_big: Vec<(SheetId, SheetError)> = xlsx_scan::sheets_of(&bytes, &oversized)
                .into_iter()
                .map(|(name, why)| {
                    let error = format!(
                        "工作表的内容{why}，多半是大量多余的行或列；请删除多余的行、列后保存"
                    );
                    (SheetId::Name(name), (error, None))
                })
                .collect();
            open_with::<Xlsx<_>>(
            format,
            bytes,
            Access {
                epoch: |wb| wb.has_1904_epoch(),
                grid: stream_sheet,
                merges: |wb, name| {
                    wb.merge_cells_by_sheet_name(name)
                        .map(merges_of)
                        .unwrap_or_default()
                },
            },
            &problems,
            &too_big,
        )
        }
        Format::Xls => {
            // calamine reads every xls sheet densely when it opens the file: far values are
            // taken out first (and their sheets refused).
            let (bytes, refused) = xls_scan::bound(bytes);
            let refused: Vec<(SheetId, SheetError)> = refused
                .into_iter()
                .map(|(i, e)| (SheetId::Position(i), e))
                .collect();
            open_with::<Xls<_>>(
                format,
                bytes,
                Access {
                    epoch: |wb| wb.has_1904_epoch(),
                    grid: range_grid,
                    merges: |wb, name| {
                        wb.merge_cells_by_sheet_name(name)
                            .map(merges_of)
                            .unwrap_or_default()
                    },
                },
                &xlsx_scan::Problems::new(),
                &refused,
            )
        }
        Format::Xlsb => open_with::<Xlsb<_>>(
            format,
            bytes,
            Access {
                epoch: |wb| wb.has_1904_epoch(),
                grid: stream_xlsb,
                merges: no_merges,
            },
            &xlsx_scan::Problems::new(),
            &[],
        ),
        // ODS stores dates as ISO text: no serial epoch. calamine gives neither its merged areas
        // (the guard's scan does) nor its error cells (they come as text such as `#DIV/0!`).
        Format::Ods => {
            let (epoch, mut sheets) = open_with::<Ods<_>>(
                format,
                bytes,
                Access {
                    epoch: |_| false,
                    grid: range_grid,
                    merges: no_merges,
                },
                &xlsx_scan::Problems::new(),
                &[],
            )?;
            for sheet in &mut sheets {
                if let Some(m) = ods_merges.get(&sheet.name) {
                    sheet.merges = m.clone();
                }
                for row in &mut sheet.grid.rows {
                    for cell in row.iter_mut() {
                        if let Raw::Text(t) = cell {
                            if is_error_literal(t) {
                                *cell = Raw::Error(t.clone());
                            }
                        }
                    }
                }
            }
            Ok((epoch, sheets))
        }
        Format::EncryptedOoxml => Err(unreadable(
            format,
            "文件设置了打开密码（已加密）",
            "请在 Excel/WPS 中去掉打开密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后重新提交",
        )),
        Format::Empty => Err(unreadable(
            format,
            "文件是空的（0 字节）",
            "文件可能没有保存完整或传输中断，请重新发送原文件",
        )),
        Format::Html => Err(unreadable(
            format,
            "这是网页（HTML）文件，只是扩展名写成了表格",
            RESAVE,
        )),
        Format::Xml2003 => Err(unreadable(
            format,
            "这是 Excel 2003 XML 表格，不是标准工作簿",
            RESAVE,
        )),
        Format::Text => Err(unreadable(
            format,
            "这是文本文件（如 CSV），不是 Excel 工作簿",
            RESAVE,
        )),
        Format::Docx => Err(unreadable(
            format,
            "这是 Word 文档，不是 Excel 工作簿",
            "请提交 Excel 工作簿（.xlsx）；如果表格在 Word 里，请把它复制到 Excel 中另存为 .xlsx",
        )),
        Format::OtherZip => Err(unreadable(
            format,
            "这是压缩包或其他 Office 文档，不是 Excel 工作簿",
            "请解压或另存为 Excel 工作簿（.xlsx）后再提交",
        )),
        Format::Pdf => Err(unreadable(
            format,
            "这是 PDF 文件，不是 Excel 工作簿",
            "请提交填写好的 Excel 工作簿（.xlsx），而不是打印或导出的 PDF",
        )),
        Format::OtherOle => Err(unreadable(
            format,
            "这是其他 Office 文档（如 Word），不是 Excel 工作簿",
            "请提交 Excel 工作簿（.xlsx）",
        )),
        Format::Unknown => Err(unreadable(
            format,
            "无法识别的文件格式，可能已损坏",
            RESAVE,
        )),
    }
}
