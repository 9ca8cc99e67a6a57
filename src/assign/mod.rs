//! `assign`: handing the tables out to the departments that fill them.

pub mod breakdown;
pub mod template;
