//! statedata: checks, bundles and assigns the 本科教学基本状态数据 workbooks of a Chinese
//! university for the national 高等教育质量监测国家数据平台.
//!
//! Data flows one way: `schema` (what tables should be) → `read` (what departments handed in)
//! → `value` (normal forms) → `check` (findings) → `report` (terminal, JSON) and `bundle`
//! (the upload workbook) and `annotate` (copies of the inputs marked with their findings);
//! `xlsx` holds what every writing command shares.

pub mod annotate;
pub mod assign;
pub mod bundle;
pub mod check;
pub mod cmd;
pub mod finding;
pub mod period;
pub mod plan;
pub mod read;
pub mod report;
pub mod rules;
pub mod schema;
pub mod value;
pub mod xlsx;
