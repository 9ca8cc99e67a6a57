//! `statedata schemas`: list the tables of an edition.

use super::{terminal_width, SchemaSource, EXIT_FAILED, EXIT_OK};
use crate::report::render_schemas;

pub fn run(source: &SchemaSource) -> i32 {
    match source.load() {
        Ok(ed) => {
            out!("{}", render_schemas(&ed, terminal_width()));
            EXIT_OK
        }
        Err(e) => {
            eprintln!("statedata: {e}");
            EXIT_FAILED
        }
    }
}
