//! Bounds for xls files (BIFF8, and BIFF5 of Excel 95, in an OLE2 compound file). calamine
//! reads every sheet of an xls into a dense range as soon as the file is opened: it reserves
//! the area the sheet's DIMENSIONS record claims, and holds every cell from the first to the
//! last value. A stray value in the last cell of a sheet (IV65536) makes it allocate 16.7
//! million cells, twice, over 1 GB; a crafted DIMENSIONS record of 2³² rows aborts the
//! process.
//!
//! This pass walks the records of each sheet once before calamine sees the file, with the
//! same rule as every other format: the first value that makes the sheet's used area larger
//! than `MAX_SHEET_CELLS` refuses the sheet, naming that cell. That record and every later
//! value of the sheet are blanked out (given a record type no reader knows), as is a
//! DIMENSIONS record claiming more, so that calamine reads the other sheets within bounds.
//! The sheets together are held to `MAX_WORKBOOK_CELLS` the same way: a sheet whose used area
//! would pass what is left of it is refused whole (every value blanked out), as later reading
//! refuses it for the other formats, but before calamine has allocated anything.

use std::io::{Cursor, Read, Write};

use super::workbook::{
    over_budget_error, too_big_error, SheetError, MAX_SHEET_CELLS, MAX_WORKBOOK_CELLS,
};
use crate::finding::CellRef;

/// The type given to a record that must not be read: no record has it, so readers skip it.
const BLANKED: u16 = 0x0000;

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const BOUNDSHEET: u16 = 0x0085;
const DIMENSIONS: u16 = 0x0200;
const FORMULA: u16 = 0x0006;
/// The text result of the formula just before it.
const STRING: u16 = 0x0207;
const MULRK: u16 = 0x00BD;
/// The records with one value at (row, column) in their first four bytes, as calamine reads
/// them: NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST.
const ONE_VALUE: [u16; 6] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD];

/// What the pass found: the sheets refused, by their position in the workbook's sheet list
/// (the BOUNDSHEET records, as the reader lists them), with the reason and far cell.
pub type Refused = Vec<(usize, SheetError)>;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// One record: its offset in the stream, type and data.
struct Record<'a> {
    at: usize,
    typ: u16,
    data: &'a [u8],
}

/// The records from `at` on, until the stream ends or a record is cut.
fn records(stream: &[u8], mut at: usize) -> impl Iterator<Item = Record<'_>> {
    std::iter::from_fn(move || {
        let typ = u16_at(stream, at)?;
        let len = u16_at(stream, at + 2)? as usize;
        let data = stream.get(at + 4..at + 4 + len)?;
        let r = Record { at, typ, data };
        at += 4 + len;
        Some(r)
    })
}

/// The used area of the values seen so far, as the reader will hold it.
#[derive(Default)]
struct Extent {
    area: Option<((u32, u32), (u32, u32))>,
}

impl Extent {
    /// Adds the cells of a record (a row and a run of columns); false when the area would
    /// then be too big (and it is left as it was).
    fn fits(&mut self, row: u32, first: u32, last: u32) -> bool {
        let (min, max) = match self.area {
            None => ((row, first), (row, last)),
            Some((min, max)) => (
                (min.0.min(row), min.1.min(first)),
                (max.0.max(row), max.1.max(last)),
            ),
        };
        let span = (max.0 - min.0) as u64 + 1;
        let span = span * ((max.1 - min.1) as u64 + 1);
        if span > MAX_SHEET_CELLS {
            return false;
        }
        self.area = Some((min, max));
        true
    }

    /// How many cells the reader holds for the area.
    fn cells(&self) -> u64 {
        self.area.map_or(0, |(min, max)| {
            (max.0 - min.0 + 1) as u64 * (max.1 - min.1 + 1) as u64
        })
    }
}

/// The cells of a value record: its row and first and last column.
fn cells_of(r: &Record) -> Option<(u32, u32, u32)> {
    let row = u16_at(r.data, 0)? as u32;
    let col = u16_at(r.data, 2)? as u32;
    if ONE_VALUE.contains(&r.typ) || r.typ == FORMULA {
        return Some((row, col, col));
    }
    if r.typ == MULRK {
        let last = u16_at(r.data, r.data.len().checked_sub(2)?)? as u32;
        return Some((row, col, last.max(col)));
    }
    None
}

/// The area a DIMENSIONS record claims (BIFF8: rows as u32; BIFF5: u16), in cells.
fn claimed_cells(data: &[u8]) -> u64 {
    let (rows, cols) = if data.len() >= 14 {
        (
            u32_at(data, 4)
                .unwrap_or(0)
                .saturating_sub(u32_at(data, 0).unwrap_or(0)),
            u16_at(data, 10)
                .unwrap_or(0)
                .saturating_sub(u16_at(data, 8).unwrap_or(0)),
        )
    } else {
        (
            u16_at(data, 2)
                .unwrap_or(0)
                .saturating_sub(u16_at(data, 0).unwrap_or(0)) as u32,
            u16_at(data, 6)
                .unwrap_or(0)
                .saturating_sub(u16_at(data, 4).unwrap_or(0)),
        )
    };
    (rows as u64 + 1) * (cols as u64 + 1)
}

/// What a walk over one sheet found.
#[derive(Debug, PartialEq)]
struct Scan {
    /// The offsets of records to blank out.
    blank: Vec<usize>,
    /// The first cell beyond the limit.
    far: Option<CellRef>,
    /// The cells of the used area kept.
    cells: u64,
}

/// Walks one sheet's records from its BOF at `at`. With `keep_none`, every value is blanked
/// (the sheet is refused whole).
fn scan_sheet(stream: &[u8], at: usize, keep_none: bool) -> Scan {
    let mut blank = Vec::new();
    let mut far = None;
    let mut extent = Extent::default();
    let mut seen_bof = false;
    let mut depth = 0usize;
    // Whether the last FORMULA was blanked: its STRING record goes with it.
    let mut formula_blanked = false;
    for r in records(stream, at) {
        if depth > 0 {
            match r.typ {
                BOF => depth += 1,
                EOF => depth -= 1,
                _ => {}
            }
            continue;
        }
        match r.typ {
            BOF if seen_bof => depth += 1,
            BOF => seen_bof = true,
            EOF => break,
            DIMENSIONS if keep_none || claimed_cells(r.data) > MAX_SHEET_CELLS => blank.push(r.at),
            STRING if formula_blanked => blank.push(r.at),
            _ => {
                let Some((row, first, last)) = cells_of(&r) else {
                    continue;
                };
                let keep = !keep_none && far.is_none() && extent.fits(row, first, last);
                if !keep {
                    if far.is_none() {
                        far = Some(CellRef::new(row, last));
                    }
                    blank.push(r.at);
                }
                if r.typ == FORMULA {
                    formula_blanked = !keep;
                }
            }
        }
    }
    Scan {
        blank,
        far,
        cells: extent.cells(),
    }
}

/// The name of the workbook stream of an xls compound file (`Workbook`; `Book` in BIFF5).
fn stream_name<F: Read + std::io::Seek>(cfb: &cfb::CompoundFile<F>) -> Option<&'static str> {
    ["/Workbook", "/Book"]
        .into_iter()
        .find(|n| cfb.is_stream(n))
}

/// Bounds an xls file: gives the bytes to hand to the reader (the file's own, or a copy with
/// records blanked out) and the sheets refused. A file that is not a readable compound file
/// is given back as it is, for the reader to report.
pub fn bound(bytes: Vec<u8>) -> (Vec<u8>, Refused) {
    let mut stream = Vec::new();
    let name = {
        let Ok(mut cfb) = cfb::CompoundFile::open(Cursor::new(bytes.as_slice())) else {
            return (bytes, Vec::new());
        };
        let Some(name) = stream_name(&cfb) else {
            return (bytes, Vec::new());
        };
        let read = cfb
            .open_stream(name)
            .and_then(|mut s| s.read_to_end(&mut stream));
        if read.is_err() {
            return (bytes, Vec::new());
        }
        name
    };
    // The sheets, in the order the reader lists them, from the workbook globals.
    let mut sheets = Vec::new();
    for r in records(&stream, 0) {
        match r.typ {
            BOUNDSHEET => sheets.push(u32_at(r.data, 0).unwrap_or(u32::MAX) as usize),
            EOF => break,
            _ => {}
        }
    }
    let mut blank = Vec::new();
    let mut refused = Vec::new();
    // The cells the sheets kept so far hold together.
    let mut held = 0u64;
    for (i, at) in sheets.into_iter().enumerate() {
        if at >= stream.len() {
            continue;
        }
        let scan = scan_sheet(&stream, at, false);
        if held + scan.cells > MAX_WORKBOOK_CELLS {
            blank.extend(scan_sheet(&stream, at, true).blank);
            refused.push((i, (over_budget_error(scan.cells), None)));
            continue;
        }
        held += scan.cells;
        blank.extend(scan.blank);
        if let Some(far) = scan.far {
            refused.push((i, too_big_error(far)));
        }
    }
    if blank.is_empty() {
        return (bytes, refused);
    }
    for at in blank {
        stream[at..at + 2].copy_from_slice(&BLANKED.to_le_bytes());
    }
    // The stream keeps its length: written over in place.
    let mut cfb = match cfb::CompoundFile::open(Cursor::new(bytes.clone())) {
        Ok(c) => c,
        Err(_) => return (bytes, refused),
    };
    let written = cfb
        .open_stream(name)
        .and_then(|mut s| s.write_all(&stream).and_then(|_| s.flush()));
    if written.is_err() {
        return (bytes, refused);
    }
    match cfb.flush() {
        Ok(()) => (cfb.into_inner().into_inner(), refused),
        Err(_) => (bytes, refused),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut out = typ.to_le_bytes().to_vec();
        out.extend((data.len() as u16).to_le_bytes());
        out.extend(data);
        out
    }

    fn number(row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend([0u8; 2 + 8]);
        record(0x0203, &d)
    }

    fn dimensions(rows: u32, cols: u16) -> Vec<u8> {
        let mut d = 0u32.to_le_bytes().to_vec();
        d.extend(rows.to_le_bytes());
        d.extend(0u16.to_le_bytes());
        d.extend(cols.to_le_bytes());
        d.extend([0u8; 2]);
        record(DIMENSIONS, &d)
    }

    fn sheet(body: &[Vec<u8>]) -> Vec<u8> {
        let mut s = record(BOF, &[0; 16]);
        for r in body {
            s.extend(r);
        }
        s.extend(record(EOF, &[]));
        s
    }

    #[test]
    fn a_far_value_and_all_after_it_are_blanked_and_named() {
        let s = sheet(&[
            dimensions(65_536, 256),
            number(0, 0),
            number(3, 3),
            number(65_535, 255),
            number(4, 0),
        ]);
        let Scan { blank, far, cells } = scan_sheet(&s, 0, false);
        assert_eq!(far.map(|c| c.a1()), Some("IV65536".to_string()));
        // A1 and D4 are kept (every value after the far one is blanked): 4 rows × 4 columns.
        assert_eq!(cells, 16);
        // DIMENSIONS (65,537 × 257 claimed), the far value and the one after it.
        let offsets: Vec<u16> = blank.iter().map(|&at| u16_at(&s, at).unwrap()).collect();
        assert_eq!(offsets, vec![DIMENSIONS, 0x0203, 0x0203]);
    }

    #[test]
    fn a_sheet_within_bounds_is_left_alone() {
        let s = sheet(&[dimensions(5, 4), number(0, 0), number(4, 3)]);
        let none = |cells| Scan {
            blank: vec![],
            far: None,
            cells,
        };
        assert_eq!(scan_sheet(&s, 0, false), none(20));
        // A chart substream's records are not the sheet's.
        let mut nested = record(BOF, &[0; 16]);
        nested.extend(number(65_535, 255));
        nested.extend(record(EOF, &[]));
        let s = sheet(&[number(0, 0), nested, number(2, 2)]);
        assert_eq!(scan_sheet(&s, 0, false), none(9));
    }

    #[test]
    fn a_cut_record_ends_the_walk() {
        let mut s = sheet(&[number(0, 0)]);
        s.truncate(s.len() - 2);
        s.extend([0x03, 0x02, 0xFF, 0xFF]);
        let scan = scan_sheet(&s, 0, false);
        assert_eq!((scan.blank, scan.far, scan.cells), (vec![], None, 1));
    }

    #[test]
    fn a_sheet_refused_whole_has_every_value_and_its_dimensions_blanked() {
        let s = sheet(&[dimensions(5, 4), number(0, 0), number(4, 3)]);
        let scan = scan_sheet(&s, 0, true);
        let types: Vec<u16> = scan
            .blank
            .iter()
            .map(|&at| u16_at(&s, at).unwrap())
            .collect();
        assert_eq!(types, vec![DIMENSIONS, 0x0203, 0x0203]);
        assert_eq!(scan.cells, 0);
    }
}
