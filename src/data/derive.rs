//! `[derive.NAME]`: text fields computed from another text field by keyword (SPEC §3).

use super::{Column, LeadTable, TEXT_MISSING, TextColumn, Values};
use anyhow::bail;

/// One `[derive.NAME]` table.
#[derive(Debug, Clone)]
pub struct DeriveSpec {
    pub name: String,
    /// The text field it reads (a field name or column name).
    pub from: String,
    /// `(match strings, value)`: the first entry one of whose strings occurs
    /// in the source (case-insensitive substring) gives the value.
    pub map: Vec<(Vec<String>, String)>,
    pub default: Option<String>,
}

impl DeriveSpec {
    /// The value for one source value: the first map entry with a match
    /// string inside it (ignoring case), else the default.
    pub fn value_for(&self, source: &str) -> Option<&str> {
        self.pick(&self.lowered(), source)
    }

    /// The match strings, lowercased once.
    fn lowered(&self) -> Vec<Vec<String>> {
        self.map
            .iter()
            .map(|(matches, _)| matches.iter().map(|m| m.to_lowercase()).collect())
            .collect()
    }

    fn pick(&self, lowered: &[Vec<String>], source: &str) -> Option<&str> {
        let source = source.to_lowercase();
        lowered
            .iter()
            .position(|ms| ms.iter().any(|m| source.contains(m.as_str())))
            .map(|i| self.map[i].1.as_str())
            .or(self.default.as_deref())
    }
}

/// Adds every derived field to `table`, in order, so that a later one may
/// read an earlier one. `file` names the data file in messages.
pub(crate) fn apply_all(
    table: &mut LeadTable,
    specs: &[DeriveSpec],
    file: &str,
) -> anyhow::Result<()> {
    for spec in specs {
        apply(table, spec, file)?;
    }
    Ok(())
}

/// Adds one derived field: a text column (`derived = true`) plus an alias.
pub(crate) fn apply(table: &mut LeadTable, spec: &DeriveSpec, file: &str) -> anyhow::Result<()> {
    let name = &spec.name;
    if table.aliases.iter().any(|(n, _)| n == name) {
        bail!("[derive.{name}]: \"{name}\" is already a field name; choose another name");
    }
    if table
        .columns
        .iter()
        .any(|c| !c.derived && (c.name == *name || c.header == *name))
    {
        bail!("[derive.{name}]: \"{name}\" is already a column of {file}; choose another name");
    }
    let Some(from) = table.resolve(&spec.from) else {
        let hint = super::names::did_you_mean(&spec.from, table.names());
        bail!(
            "[derive.{name}].from: no field \"{}\" in {file}{hint}",
            spec.from
        );
    };
    let source = match &table.columns[from].values {
        Values::Text(t) => t,
        other => bail!(
            "[derive.{name}].from: field \"{}\" is {}, not text; a derived field reads a text field",
            spec.from,
            other.field_type().name()
        ),
    };

    // Evaluate once per distinct source value, not once per lead.
    let lowered = spec.lowered();
    let mut outputs: Vec<&str> = Vec::new();
    let per_entry: Vec<u32> = source
        .dict
        .iter()
        .map(|value| {
            let hit = spec.pick(&lowered, value);
            match hit {
                None => TEXT_MISSING,
                Some(out) => match outputs.iter().position(|o| *o == out) {
                    Some(i) => i as u32,
                    None => {
                        outputs.push(out);
                        (outputs.len() - 1) as u32
                    }
                },
            }
        })
        .collect();

    // Renumber outputs in the order leads first show them ("as first seen").
    let mut renumber = vec![TEXT_MISSING; outputs.len()];
    let mut dict = Vec::new();
    let codes: Vec<u32> = source
        .codes
        .iter()
        .map(|&c| {
            let out = per_entry.get(c as usize).copied().unwrap_or(TEXT_MISSING);
            if out == TEXT_MISSING {
                return TEXT_MISSING;
            }
            let slot = &mut renumber[out as usize];
            if *slot == TEXT_MISSING {
                *slot = dict.len() as u32;
                dict.push(outputs[out as usize].to_string());
            }
            *slot
        })
        .collect();

    table.columns.push(Column {
        header: name.clone(),
        name: name.clone(),
        values: Values::Text(TextColumn { codes, dict }),
        derived: true,
    });
    table.aliases.push((name.clone(), table.columns.len() - 1));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_table(values: &[Option<&str>]) -> LeadTable {
        let mut dict: Vec<String> = Vec::new();
        let codes = values
            .iter()
            .map(|v| match v {
                None => TEXT_MISSING,
                Some(s) => match dict.iter().position(|d| d == s) {
                    Some(i) => i as u32,
                    None => {
                        dict.push(s.to_string());
                        (dict.len() - 1) as u32
                    }
                },
            })
            .collect();
        LeadTable {
            columns: vec![
                Column {
                    header: "Job Title".into(),
                    name: "job_title".into(),
                    values: Values::Text(TextColumn { codes, dict }),
                    derived: false,
                },
                Column {
                    header: "n".into(),
                    name: "n".into(),
                    values: Values::Number(vec![1.0; values.len()]),
                    derived: false,
                },
            ],
            len: values.len(),
            aliases: vec![("title".into(), 0)],
            ..Default::default()
        }
    }

    fn seniority(default: Option<&str>) -> DeriveSpec {
        DeriveSpec {
            name: "seniority".into(),
            from: "title".into(),
            map: vec![
                (vec!["ciso".into(), "chief".into()], "c-level".into()),
                (
                    vec!["vp".into(), "vice president".into(), "head of".into()],
                    "vp".into(),
                ),
                (vec!["director".into()], "director".into()),
            ],
            default: default.map(str::to_string),
        }
    }

    fn derived_values(t: &LeadTable, name: &str) -> Vec<Option<String>> {
        let i = t.resolve(name).unwrap();
        (0..t.len).map(|l| t.columns[i].values.display(l)).collect()
    }

    #[test]
    fn first_match_wins_and_default() {
        let mut t = text_table(&[
            Some("Chief Information Security Officer"),
            Some("VP, Security"),
            Some("Director of IT"),
            Some("Engineer"),
            None,
            Some("Vice President and Director"),
            Some("CISO"),
        ]);
        apply(&mut t, &seniority(Some("other")), "data.csv").unwrap();
        let got = derived_values(&t, "seniority");
        let want = [
            Some("c-level"),
            Some("vp"),
            Some("director"),
            Some("other"),
            None,
            Some("vp"),
            Some("c-level"),
        ];
        assert_eq!(got, want.map(|w| w.map(str::to_string)));
        let col = t.columns.last().unwrap();
        assert!(col.derived);
        assert_eq!(col.header, "seniority");
        let Values::Text(tc) = &col.values else {
            panic!()
        };
        assert_eq!(tc.dict, ["c-level", "vp", "director", "other"]);
    }

    #[test]
    fn no_default_means_missing() {
        let mut t = text_table(&[Some("Engineer"), Some("Head of Security")]);
        apply(&mut t, &seniority(None), "data.csv").unwrap();
        assert_eq!(
            derived_values(&t, "seniority"),
            [None, Some("vp".to_string())]
        );
    }

    #[test]
    fn case_insensitive_match_strings() {
        let mut t = text_table(&[Some("head OF it")]);
        let mut spec = seniority(None);
        spec.map[1].0 = vec!["HEAD of".into()];
        apply(&mut t, &spec, "data.csv").unwrap();
        assert_eq!(derived_values(&t, "seniority"), [Some("vp".to_string())]);
        assert_eq!(spec.value_for("Head Of Sales"), Some("vp"));
        assert_eq!(spec.value_for("nobody"), None);
    }

    #[test]
    fn chained_derive_reads_earlier_one() {
        let mut t = text_table(&[Some("CISO"), Some("Engineer")]);
        let second = DeriveSpec {
            name: "exec".into(),
            from: "seniority".into(),
            map: vec![(vec!["c-level".into(), "vp".into()], "yes".into())],
            default: Some("no".into()),
        };
        apply_all(&mut t, &[seniority(Some("other")), second], "data.csv").unwrap();
        assert_eq!(
            derived_values(&t, "exec"),
            [Some("yes".to_string()), Some("no".to_string())]
        );
    }

    #[test]
    fn errors() {
        let mut t = text_table(&[Some("CISO")]);
        let mut spec = seniority(None);
        spec.from = "titel".into();
        let e = apply(&mut t, &spec, "data.csv").unwrap_err().to_string();
        assert_eq!(
            e,
            "[derive.seniority].from: no field \"titel\" in data.csv (did you mean \"title\"?)"
        );

        spec.from = "n".into();
        let e = apply(&mut t, &spec, "data.csv").unwrap_err().to_string();
        assert!(e.contains("field \"n\" is number, not text"), "{e}");

        spec.from = "title".into();
        spec.name = "job_title".into();
        let e = apply(&mut t, &spec, "data.csv").unwrap_err().to_string();
        assert!(e.contains("already a column of data.csv"), "{e}");

        spec.name = "title".into();
        let e = apply(&mut t, &spec, "data.csv").unwrap_err().to_string();
        assert!(e.contains("already a field name"), "{e}");
    }
}
