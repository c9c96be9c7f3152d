//! The last check before a save is handed out for writing: the rendered
//! text must load again and hold exactly the edited model.

use crate::ruleset::Ruleset;
use crate::ruleset::changes::{same_num, same_opt_num};
use anyhow::{anyhow, bail};

/// Load the rendered text again and check that it holds exactly the edited
/// model: this guards the in-place edit against ever writing a file that
/// says something other than what the workbench showed.
pub(super) fn verify(
    text: &str,
    baseline: &Ruleset,
    current: &Ruleset,
    version: i64,
) -> anyhow::Result<()> {
    let parsed = Ruleset::parse(&baseline.path, text.to_string()).map_err(|d| {
        anyhow!("the edited model would not load again, so it was not saved; fix these first:\n{d}")
    })?;
    let mut bad: Vec<String> = vec![];
    if parsed.model.version != version {
        bad.push(format!(
            "version is {} instead of {version}",
            parsed.model.version
        ));
    }
    if parsed.rules.len() != current.rules.len() {
        bad.push(format!(
            "{} rules instead of {}",
            parsed.rules.len(),
            current.rules.len()
        ));
    }
    for c in &current.rules {
        let Some(p) = parsed.rules.iter().find(|p| p.id == c.id) else {
            bad.push(format!("rule {} is missing", c.id));
            continue;
        };
        if !p.same_as(c) {
            bad.push(format!("rule {} differs", c.id));
        }
    }
    if parsed.gates.len() != current.gates.len() {
        bad.push("the gates differ".to_string());
    }
    for c in &current.gates {
        match parsed.gates.iter().find(|p| p.id == c.id) {
            Some(p) if same_num(p.cap, c.cap) => {}
            _ => bad.push(format!("gate {} differs", c.id)),
        }
    }
    if parsed.tiers.len() != current.tiers.len() {
        bad.push("the tiers differ".to_string());
    }
    for c in &current.tiers {
        match parsed.tiers.iter().find(|p| p.name == c.name) {
            Some(p) if same_opt_num(p.min, c.min) => {}
            _ => bad.push(format!("tier {} differs", c.name)),
        }
    }
    if parsed.groups.len() != current.groups.len() {
        bad.push("the groups differ".to_string());
    }
    for c in &current.groups {
        match parsed.groups.iter().find(|p| p.name == c.name) {
            Some(p) if same_opt_num(p.cap, c.cap) && same_opt_num(p.floor, c.floor) => {}
            _ => bad.push(format!("group {} differs", c.name)),
        }
    }
    if parsed.model.score_range != current.model.score_range {
        bad.push("the score range differs".to_string());
    }
    if parsed.review.bands != current.review.bands {
        bad.push("the bands differ".to_string());
    }
    if parsed.review.qualified != current.review.qualified {
        bad.push("the qualified tier differs".to_string());
    }
    // What the workbench does not edit must come back as it was loaded.
    if parsed.model.name != baseline.model.name
        || parsed.model.as_of != baseline.model.as_of
        || parsed.fields.len() != baseline.fields.len()
        || parsed.derive.len() != baseline.derive.len()
        || parsed.segments.len() != baseline.segments.len()
    {
        bad.push("sections that were not edited changed".to_string());
    }
    if !bad.is_empty() {
        bail!(
            "saving {} would write a file that differs from the model in the workbench ({}); \
             nothing was written. Use save-as to another name, and please report this as a bug",
            baseline.path,
            bad.join("; ")
        );
    }
    Ok(())
}
