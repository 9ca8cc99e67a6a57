//! Reading an edition from the embedded copy or a folder, and validating it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use regex::Regex;
use serde::Deserialize;

use super::{
    table_order, Column, ColumnRef, Edition, Group, Kind, PeriodKind, PeriodRule, Severity, Shape,
    Table, YearMonthFormat,
};
use crate::value::comparable;

static EMBEDDED: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/schemas");

pub const DEFAULT_EDITION: &str = "2025";

/// A schema file that cannot be used: which file, and what is wrong with it.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaError {
    pub file: String,
    pub message: String,
}

impl fmt::Display for SchemaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "schema file {}: {}", self.file, self.message)
    }
}

impl std::error::Error for SchemaError {}

fn err(file: &str, message: impl Into<String>) -> SchemaError {
    SchemaError {
        file: file.to_string(),
        message: message.into(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EditionFile {
    edition: String,
    title: String,
    #[serde(default)]
    groups: Vec<GroupFile>,
    #[serde(default)]
    codelists: BTreeMap<String, CodeListFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupFile {
    id: String,
    title: String,
    #[serde(default)]
    optional: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeListFile {
    file: String,
    columns: Vec<String>,
    #[serde(default)]
    extra: Vec<String>,
    #[serde(default, rename = "where")]
    filter: BTreeMap<String, String>,
    /// Old names (from earlier editions of the list) and what they are called now.
    #[serde(default)]
    renamed: BTreeMap<String, String>,
}

/// A resolved code list.
struct CodeList {
    values: Vec<String>,
    renamed: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    id: String,
    name: String,
    period: PeriodKind,
    shape: Shape,
    #[serde(default)]
    base: bool,
    #[serde(default)]
    required: bool,
    group: Option<String>,
    owner: String,
    #[serde(default)]
    collaborators: Vec<String>,
    #[serde(default)]
    keys: Vec<Vec<String>>,
    source: Option<String>,
    note: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    columns: Vec<ColumnFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColumnFile {
    name: String,
    kind: Kind,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    options: Vec<String>,
    codelist: Option<String>,
    pattern: Option<String>,
    format: Option<YearMonthFormat>,
    #[serde(default)]
    multiple: bool,
    #[serde(default)]
    allow: Vec<String>,
    #[serde(rename = "ref")]
    refs: Option<OneOrMany>,
    period: Option<PeriodRule>,
    period_kind: Option<PeriodKind>,
    period_severity: Option<Severity>,
    min: Option<f64>,
    max: Option<f64>,
    unit: Option<String>,
    note: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

/// The files of one edition: (path relative to the edition folder, text).
struct Files {
    origin: String,
    files: Vec<(String, String)>,
}

/// The editions embedded in the binary.
pub fn edition_names() -> Vec<String> {
    let mut names: Vec<String> = EMBEDDED
        .dirs()
        .filter(|d| d.get_file(d.path().join("edition.toml")).is_some())
        .map(|d| d.path().display().to_string())
        .collect();
    names.sort();
    names
}

/// Loads an embedded edition by name (`2025`).
pub fn load_embedded(edition: &str) -> Result<Edition, SchemaError> {
    let dir = EMBEDDED.get_dir(edition).ok_or_else(|| {
        err(
            &format!("schemas/{edition}"),
            format!(
                "no embedded edition named {edition:?}; embedded editions: {}",
                edition_names().join(", ")
            ),
        )
    })?;
    let mut files = Vec::new();
    collect_embedded(dir, dir.path(), &mut files);
    build(Files {
        origin: format!("schemas/{edition}"),
        files,
    })
}

fn collect_embedded(dir: &Dir<'_>, root: &Path, out: &mut Vec<(String, String)>) {
    for f in dir.files() {
        let rel = f.path().strip_prefix(root).unwrap_or(f.path());
        if let Some(text) = f.contents_utf8() {
            out.push((rel.display().to_string(), text.to_string()));
        }
    }
    for d in dir.dirs() {
        collect_embedded(d, root, out);
    }
}

/// Loads an edition from a folder holding `edition.toml` and the table files.
pub fn load_dir(dir: &Path) -> Result<Edition, SchemaError> {
    let origin = dir.display().to_string();
    if !dir.join("edition.toml").is_file() {
        return Err(err(
            &origin,
            "this folder has no edition.toml: point --schemas at an edition folder such as schemas/2025",
        ));
    }
    let mut files = Vec::new();
    collect_dir(dir, dir, &mut files)?;
    build(Files { origin, files })
}

fn collect_dir(
    dir: &Path,
    root: &Path,
    out: &mut Vec<(String, String)>,
) -> Result<(), SchemaError> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| err(&dir.display().to_string(), e.to_string()))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            collect_dir(&p, root, out)?;
        } else if matches!(p.extension().and_then(|e| e.to_str()), Some("toml" | "csv")) {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| err(&p.display().to_string(), e.to_string()))?;
            let rel = p.strip_prefix(root).unwrap_or(&p).display().to_string();
            out.push((rel, text));
        }
    }
    Ok(())
}

fn parse_toml<T: for<'de> Deserialize<'de>>(path: &str, text: &str) -> Result<T, SchemaError> {
    toml::from_str(text).map_err(|e| err(path, e.to_string().trim_end().to_string()))
}

fn build(files: Files) -> Result<Edition, SchemaError> {
    let origin = &files.origin;
    let path_of = |rel: &str| format!("{origin}/{rel}");
    let by_name: HashMap<&str, &str> = files
        .files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let edition_text = by_name
        .get("edition.toml")
        .ok_or_else(|| err(origin, "missing edition.toml"))?;
    let ed: EditionFile = parse_toml(&path_of("edition.toml"), edition_text)?;

    let mut groups = Vec::new();
    for g in ed.groups {
        groups.push(Group {
            id: g.id,
            title: g.title,
            optional: g.optional,
        });
    }

    let mut codelists: HashMap<String, CodeList> = HashMap::new();
    for (name, cl) in &ed.codelists {
        let key = format!("codelists.{name}");
        let csv = by_name.get(cl.file.as_str()).ok_or_else(|| {
            err(
                &path_of("edition.toml"),
                format!("{key}: file {:?} not found in the edition folder", cl.file),
            )
        })?;
        let values =
            read_codelist(csv, cl).map_err(|m| err(&path_of(&cl.file), format!("{key}: {m}")))?;
        codelists.insert(
            name.clone(),
            CodeList {
                values,
                renamed: cl.renamed.clone(),
            },
        );
    }

    let mut tables = Vec::new();
    let mut seen_ids: HashMap<String, String> = HashMap::new();
    let mut table_files: Vec<&(String, String)> = files
        .files
        .iter()
        .filter(|(p, _)| p.ends_with(".toml") && p != "edition.toml" && !p.contains('/'))
        .collect();
    table_files.sort_by(|a, b| a.0.cmp(&b.0));
    for (rel, text) in table_files {
        let path = path_of(rel);
        let tf: TableFile = parse_toml(&path, text)?;
        let stem = rel.trim_end_matches(".toml");
        if tf.id != stem {
            return Err(err(
                &path,
                format!(
                    "id = {:?} does not match the file name (expected {stem:?})",
                    tf.id
                ),
            ));
        }
        if let Some(first) = seen_ids.insert(tf.id.clone(), path.clone()) {
            return Err(err(
                &path,
                format!("table id {:?} is also defined in {first}", tf.id),
            ));
        }
        tables.push(build_table(tf, &path, &groups, &codelists)?);
    }
    if tables.is_empty() {
        return Err(err(origin, "the edition defines no tables"));
    }
    check_references(&tables)?;
    tables.sort_by_key(|t| table_order(&t.id));
    Ok(Edition {
        id: ed.edition,
        title: ed.title,
        groups,
        tables,
        origin: origin.clone(),
    })
}

/// Reads a CSV code list: the values of the named columns of the rows that pass the filter.
/// The lists shipped are simple CSV (no quoted commas); quotes around a field are removed.
fn read_codelist(csv: &str, cl: &CodeListFile) -> Result<Vec<String>, String> {
    let mut lines = csv.lines().filter(|l| !l.trim().is_empty());
    let header: Vec<String> = lines
        .next()
        .ok_or("the file is empty")?
        .trim_start_matches('\u{FEFF}')
        .split(',')
        .map(|h| h.trim().trim_matches('"').to_string())
        .collect();
    let index = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("no column {name:?} (columns: {})", header.join(", ")))
    };
    let cols: Vec<usize> = cl
        .columns
        .iter()
        .map(|c| index(c))
        .collect::<Result<_, _>>()?;
    let filters: Vec<(usize, &str)> = cl
        .filter
        .iter()
        .map(|(c, v)| Ok((index(c)?, v.as_str())))
        .collect::<Result<_, String>>()?;
    let mut values = Vec::new();
    for line in lines {
        let fields: Vec<&str> = line
            .split(',')
            .map(|f| f.trim().trim_matches('"'))
            .collect();
        if filters.iter().all(|(i, v)| fields.get(*i) == Some(v)) {
            for &c in &cols {
                if let Some(v) = fields.get(c).filter(|v| !v.is_empty()) {
                    if !values.iter().any(|x| x == v) {
                        values.push(v.to_string());
                    }
                }
            }
        }
    }
    for e in &cl.extra {
        if !values.contains(e) {
            values.push(e.clone());
        }
    }
    if values.is_empty() {
        return Err("no values selected".into());
    }
    Ok(values)
}

fn parse_ref(s: &str) -> Option<ColumnRef> {
    let (t, c) = s.split_once('.')?;
    let t = t.trim().trim_start_matches('表');
    if t.is_empty() || c.trim().is_empty() {
        return None;
    }
    Some(ColumnRef {
        table: t.to_string(),
        column: c.trim().to_string(),
    })
}

fn build_table(
    tf: TableFile,
    path: &str,
    groups: &[Group],
    codelists: &HashMap<String, CodeList>,
) -> Result<Table, SchemaError> {
    if let Some(g) = &tf.group {
        if !groups.iter().any(|x| &x.id == g) {
            return Err(err(
                path,
                format!("group = {g:?} is not a group of edition.toml"),
            ));
        }
    }
    if tf.columns.is_empty() {
        return Err(err(path, "the table has no [[columns]]"));
    }
    let mut columns = Vec::new();
    let mut names = HashSet::new();
    for (i, cf) in tf.columns.into_iter().enumerate() {
        let key = format!("columns[{i}] ({:?})", cf.name);
        if !names.insert(comparable(&cf.name)) {
            return Err(err(path, format!("{key}: duplicate column name")));
        }
        columns.push(build_column(cf, path, &key, codelists)?);
    }
    for (k, key) in tf.keys.iter().enumerate() {
        if key.is_empty() {
            return Err(err(path, format!("keys[{k}] is empty")));
        }
        for c in key {
            if !columns.iter().any(|x| &x.name == c) {
                return Err(err(path, format!("keys[{k}]: no column named {c:?}")));
            }
        }
    }
    Ok(Table {
        id: tf.id,
        name: tf.name,
        period: tf.period,
        shape: tf.shape,
        base: tf.base,
        required: tf.required,
        group: tf.group,
        owner: tf.owner,
        collaborators: tf.collaborators,
        keys: tf.keys,
        source: tf.source,
        note: tf.note,
        aliases: tf.aliases,
        columns,
        file: path.to_string(),
    })
}

fn build_column(
    cf: ColumnFile,
    path: &str,
    key: &str,
    codelists: &HashMap<String, CodeList>,
) -> Result<Column, SchemaError> {
    let mut col = Column::bare(&cf.name, cf.kind);
    let fail = |m: String| err(path, format!("{key}: {m}"));
    match cf.kind {
        Kind::Enum => {
            if cf.options.is_empty() && cf.codelist.is_none() {
                return Err(fail("an enum needs `options` or `codelist`".into()));
            }
        }
        _ => {
            if !cf.options.is_empty() || cf.codelist.is_some() {
                return Err(fail(
                    "`options` and `codelist` are only for kind = \"enum\"".into(),
                ));
            }
        }
    }
    let mut options = cf.options;
    if let Some(cl) = &cf.codelist {
        let list = codelists
            .get(cl)
            .ok_or_else(|| fail(format!("codelist = {cl:?} is not defined in edition.toml")))?;
        for (old, new) in &list.renamed {
            col.renamed.insert(comparable(old), new.clone());
        }
        for v in &list.values {
            if !options.contains(v) {
                options.push(v.clone());
            }
        }
    }
    for o in &options {
        col.allowed
            .entry(comparable(o))
            .or_insert_with(|| o.clone());
    }
    if cf.format.is_some() && cf.kind != Kind::YearMonth {
        return Err(fail("`format` is only for kind = \"year-month\"".into()));
    }
    if (cf.period.is_some() || cf.period_kind.is_some())
        && !matches!(cf.kind, Kind::Year | Kind::YearMonth | Kind::Date)
    {
        return Err(fail(
            "`period` is only for year, year-month and date columns".into(),
        ));
    }
    if (cf.min.is_some() || cf.max.is_some()) && !matches!(cf.kind, Kind::Integer | Kind::Decimal) {
        return Err(fail(
            "`min`/`max` are only for integer and decimal columns".into(),
        ));
    }
    if let Some(p) = &cf.pattern {
        col.pattern = Some(Regex::new(p).map_err(|e| fail(format!("pattern: {e}")))?);
    }
    if let Some(r) = cf.refs {
        let list = match r {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        };
        for s in list {
            col.refs.push(
                parse_ref(&s)
                    .ok_or_else(|| fail(format!("ref {s:?} is not of the form \"表号.列名\"")))?,
            );
        }
    }
    col.required = cf.required;
    col.options = options;
    col.codelist = cf.codelist;
    col.format = cf.format;
    col.multiple = cf.multiple;
    col.allow = cf.allow;
    col.period = cf.period;
    col.period_kind = cf.period_kind;
    col.period_severity = cf.period_severity.unwrap_or(Severity::Error);
    col.min = cf.min;
    col.max = cf.max;
    col.unit = cf.unit;
    col.note = cf.note;
    col.aliases = cf.aliases;
    Ok(col)
}

fn check_references(tables: &[Table]) -> Result<(), SchemaError> {
    for t in tables {
        for c in &t.columns {
            for r in &c.refs {
                let Some(target) = tables.iter().find(|x| x.id == r.table) else {
                    return Err(err(
                        &t.file,
                        format!(
                            "column {:?}: ref {r} names a table this edition does not define",
                            c.name
                        ),
                    ));
                };
                if target.column(&r.column).is_none() {
                    return Err(err(
                        &t.file,
                        format!(
                            "column {:?}: ref {r}: table {} has no column {:?}",
                            c.name, r.table, r.column
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(table: &str) -> Files {
        Files {
            origin: "test".into(),
            files: vec![
                (
                    "edition.toml".into(),
                    "edition = \"t\"\ntitle = \"t\"\n".into(),
                ),
                ("1-2.toml".into(), table.into()),
            ],
        }
    }

    const GOOD: &str = r#"
id = "1-2"
name = "学校相关党政单位"
period = "时点"
shape = "list"
owner = "党政办公室"
keys = [["单位号"]]
[[columns]]
name = "单位号"
kind = "code"
ref = "1-2.单位号"
"#;

    #[test]
    fn a_good_table_loads() {
        let ed = build(files(GOOD)).unwrap();
        assert_eq!(ed.tables.len(), 1);
        assert_eq!(ed.tables[0].columns[0].refs[0].table, "1-2");
    }

    #[test]
    fn unknown_key_names_file_and_key() {
        let e = build(files(&GOOD.replace("owner =", "ownr = \"x\"\nowner ="))).unwrap_err();
        assert_eq!(e.file, "test/1-2.toml");
        assert!(e.message.contains("ownr"), "{}", e.message);
    }

    #[test]
    fn duplicate_column_is_an_error() {
        let t = format!("{GOOD}\n[[columns]]\nname = \"单位号\"\nkind = \"text\"\n");
        let e = build(files(&t)).unwrap_err();
        assert!(e.message.contains("duplicate column"), "{}", e.message);
    }

    #[test]
    fn reference_to_missing_table_or_column_is_an_error() {
        let e = build(files(&GOOD.replace("1-2.单位号", "1-3.单位号"))).unwrap_err();
        assert!(e.message.contains("表1-3.单位号"), "{}", e.message);
        let e = build(files(&GOOD.replace("1-2.单位号", "1-2.单位"))).unwrap_err();
        assert!(e.message.contains("no column \"单位\""), "{}", e.message);
    }

    #[test]
    fn notes_shown_to_clerks_carry_no_developer_references() {
        let ed = load_embedded(DEFAULT_EDITION).unwrap();
        let notes = ed.tables.iter().flat_map(|t| {
            t.note
                .iter()
                .chain(t.columns.iter().filter_map(|c| c.note.as_ref()))
        });
        for n in notes {
            assert!(!n.contains("rules.md") && !n.contains("catalogue"), "{n}");
        }
    }

    #[test]
    fn embedded_default_edition_loads() {
        let ed = load_embedded(DEFAULT_EDITION).unwrap();
        assert!(ed.table("1-5-1").is_some());
    }
}
