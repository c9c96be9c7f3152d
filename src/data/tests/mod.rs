//! Tests of the data module as a whole: a CSV, as text or as a file, in;
//! a [`LeadTable`] and a [`LoadReport`], or the message a user reads, out.
//! One file per topic; the helpers below read a CSV given as text.

mod blocks;
mod errors;
mod fuzz;
mod headers;
mod id_outcome_created;
mod integrity;
mod realdata;
mod values;

use super::*;

/// A file of `n` leads with a free-text notes column, one line each; the
/// note of lead `i` is `note(i)` written as given (quote it yourself).
pub(in crate::data) fn leads(n: usize, note: impl Fn(usize) -> String) -> String {
    let mut csv = String::from("id,company,employees,signup,notes,converted\n");
    for i in 0..n {
        csv.push_str(&format!(
            "L{i},Acme {i},{},2026-01-{:02},{},{}\n",
            10 + i,
            i % 28 + 1,
            note(i),
            i % 2
        ));
    }
    csv
}

pub(in crate::data) fn plain(i: usize) -> String {
    format!("called {i} times")
}

fn load_str(csv: &str, opts: &DataOptions) -> anyhow::Result<(LeadTable, LoadReport)> {
    load_reader("data.csv", csv.as_bytes(), opts)
}

fn ok(csv: &str) -> LeadTable {
    load_str(csv, &DataOptions::default()).unwrap().0
}

fn err(csv: &str, opts: &DataOptions) -> String {
    match load_str(csv, opts) {
        Ok(_) => panic!("expected an error for {csv:?}"),
        Err(e) => e.to_string(),
    }
}

fn values<'a>(t: &'a LeadTable, name: &str) -> &'a Values {
    let i = t.resolve(name).unwrap_or_else(|| panic!("no field {name}"));
    &t.columns[i].values
}

fn shown(t: &LeadTable, name: &str) -> Vec<Option<String>> {
    let v = values(t, name);
    (0..t.len).map(|l| v.display(l)).collect()
}

fn ty(t: &LeadTable, name: &str) -> FieldType {
    values(t, name).field_type()
}

fn s(v: &[Option<&str>]) -> Vec<Option<String>> {
    v.iter().map(|x| x.map(str::to_string)).collect()
}

fn field(name: &str, column: &str, ty: Option<FieldType>, format: Option<&str>) -> FieldDecl {
    FieldDecl {
        name: name.into(),
        column: column.into(),
        ty,
        format: format.map(str::to_string),
    }
}
