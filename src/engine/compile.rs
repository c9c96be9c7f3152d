//! Compiling a ruleset against a lead table: every condition type-checked and
//! evaluated once into a match set, decay factors computed once per lead.
//!
//! Compiled parts sit behind `Arc`s so that a [`Compiled`] is cheap to clone
//! (the workbench hands copies to a background thread) and one edited rule
//! can be recompiled and swapped in without touching the others.

use crate::cond::{CondError, Condition, Env};
use crate::data::{DATE_MISSING, LeadTable, Values};
use crate::ruleset::{CondSource, Diagnostic, Diagnostics, Ruleset, suggestion};
use std::sync::Arc;

/// A rule's match set and, for a decaying rule, its factor per lead.
#[derive(Debug)]
pub struct CompiledRule {
    pub when: Condition,
    /// Leads for which `when` is true, ascending (enabled or not).
    pub fires: Vec<u32>,
    /// Per lead, `0.5 ^ (max(age, 0) / half_life)`; 0 where the decay date is missing.
    pub factor: Option<Factors>,
    /// The decay date column.
    pub decay_column: Option<usize>,
}

impl CompiledRule {
    /// The factor that multiplies this rule's points for `lead`.
    pub fn factor(&self, lead: usize) -> f64 {
        self.factor.as_ref().map_or(1.0, |f| f.get(lead))
    }

    /// Whether the rule's condition is true for `lead` (enabled or not).
    pub fn holds(&self, lead: usize) -> bool {
        self.when.set().is_some_and(|s| s.t.get(lead))
    }
}

/// A decaying rule's factor per lead. Leads' ages usually span a few years
/// of days, so each lead holds a 2-byte index into the factors of the ages
/// in that span rather than its own 8-byte factor: re-summing a group after
/// an edit then reads a quarter of the memory.
#[derive(Debug)]
pub enum Factors {
    /// `values[index[lead]]`; the last value is the missing date's 0.
    ByAge { index: Vec<u16>, values: Vec<f64> },
    /// Ages spanning more than 65,535 days: one factor per lead.
    Plain(Vec<f64>),
}

impl Factors {
    /// The factors of leads decayed from `days` (days since 1970,
    /// [`DATE_MISSING`] where missing) as of day `as_of`.
    fn new(days: &[i32], as_of: i32, half_life: f64) -> Factors {
        let age = |day: i32| (as_of as i64 - day as i64).max(0);
        let present = days.iter().filter(|&&d| d != DATE_MISSING);
        let (lo, hi) = present.fold((i64::MAX, i64::MIN), |(lo, hi), &d| {
            (lo.min(age(d)), hi.max(age(d)))
        });
        let span = if lo <= hi { hi - lo + 1 } else { 0 };
        if span >= u16::MAX as i64 {
            let f = |&day: &i32| match day {
                DATE_MISSING => 0.0,
                d => decay_factor(age(d), half_life),
            };
            return Factors::Plain(days.iter().map(f).collect());
        }
        let mut values: Vec<f64> = (0..span).map(|k| decay_factor(lo + k, half_life)).collect();
        values.push(0.0);
        let missing = span as u16;
        let index = days
            .iter()
            .map(|&d| match d {
                DATE_MISSING => missing,
                d => (age(d) - lo) as u16,
            })
            .collect();
        Factors::ByAge { index, values }
    }

    #[inline]
    pub fn get(&self, lead: usize) -> f64 {
        match self {
            Factors::ByAge { index, values } => values[index[lead] as usize],
            Factors::Plain(f) => f[lead],
        }
    }
}

#[derive(Debug)]
pub struct CompiledGate {
    pub when: Condition,
}

#[derive(Debug)]
pub struct CompiledTier {
    pub require: Option<Condition>,
}

/// A ruleset compiled against one lead table.
#[derive(Debug, Clone)]
pub struct Compiled {
    pub rules: Vec<Arc<CompiledRule>>,
    /// Per rule, its index into `groups`.
    pub rule_group: Vec<usize>,
    pub gates: Vec<Arc<CompiledGate>>,
    pub tiers: Vec<Arc<CompiledTier>>,
    pub segments: Vec<Arc<Condition>>,
    /// Group names in output order (SPEC §7.1).
    pub groups: Vec<String>,
    /// The reference date (day number).
    pub as_of: i32,
    pub leads: usize,
}

/// Compile `rs` against `table`: every error of every condition at once.
pub fn compile(rs: &Ruleset, table: &LeadTable, as_of: i32) -> Result<Compiled, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut rules = vec![];
    for k in 0..rs.rules.len() {
        match compile_rule(rs, k, table, as_of) {
            Ok(r) => rules.push(Arc::new(r)),
            Err(d) => diags.0.extend(d.0),
        }
    }
    let plain = Env {
        table,
        as_of,
        virtuals: &[],
    };
    let mut gates = vec![];
    for g in &rs.gates {
        match Condition::compile(&g.when.text, &plain) {
            Ok(when) => gates.push(Arc::new(CompiledGate { when })),
            Err(e) => diags.push(cond_diagnostic(rs, &g.when, &e, format!("gate `{}`", g.id))),
        }
    }
    let mut segments = vec![];
    for s in &rs.segments {
        match Condition::compile(&s.when.text, &plain) {
            Ok(c) => segments.push(Arc::new(c)),
            Err(e) => diags.push(cond_diagnostic(
                rs,
                &s.when,
                &e,
                format!("segment `{}`", s.id),
            )),
        }
    }
    let mut compiled = Compiled {
        rules,
        rule_group: vec![],
        gates,
        tiers: vec![],
        segments,
        groups: vec![],
        as_of,
        leads: table.len,
    };
    if let Err(d) = compiled.refresh_groups(rs, table) {
        diags.0.extend(d.0);
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(compiled)
}

/// Compile rule `k` of `rs`: its condition and its decay factors.
pub fn compile_rule(
    rs: &Ruleset,
    k: usize,
    table: &LeadTable,
    as_of: i32,
) -> Result<CompiledRule, Diagnostics> {
    let r = &rs.rules[k];
    let subject = format!("rule `{}`", r.id);
    let mut diags = Diagnostics::default();
    let env = Env {
        table,
        as_of,
        virtuals: &[],
    };
    let when = match Condition::compile(&r.when.text, &env) {
        Ok(c) => Some(c),
        Err(e) => {
            diags.push(cond_diagnostic(rs, &r.when, &e, subject.clone()));
            None
        }
    };
    let mut factor = None;
    let mut decay_column = None;
    if let Some(d) = &r.decay {
        match table
            .resolve(&d.date)
            .map(|c| (c, &table.columns[c].values))
        {
            Some((c, Values::Date(days))) => {
                decay_column = Some(c);
                let hl = d.half_life_days;
                factor = Some(Factors::new(days, as_of, hl));
            }
            Some((c, v)) => diags.push(
                Diagnostic::error(
                    rs.location(r.span.start),
                    format!(
                        "decay date `{}` is a {} field, not a date (column \"{}\"){}",
                        d.date,
                        v.field_type().name(),
                        table.columns[c].header,
                        table
                            .type_outliers(c)
                            .map(|o| format!(": {}", o.explain(&d.date)))
                            .unwrap_or_default()
                    ),
                )
                .subject(subject.clone()),
            ),
            None => diags.push(
                Diagnostic::error(
                    rs.location(r.span.start),
                    format!(
                        "decay date: unknown field `{}`{}",
                        d.date,
                        suggestion(&d.date, table.names())
                    ),
                )
                .subject(subject.clone()),
            ),
        }
    }
    match when {
        Some(when) if !diags.has_errors() => {
            let fires = match when.set() {
                Some(set) => set.t.iter_ones().map(|i| i as u32).collect(),
                None => vec![],
            };
            Ok(CompiledRule {
                when,
                fires,
                factor,
                decay_column,
            })
        }
        _ => Err(diags),
    }
}

impl Compiled {
    /// Recompute the group list and each rule's group after a rule's group
    /// changed or rules were added or removed; tier requirements name groups,
    /// so they are recompiled too.
    pub fn refresh_groups(&mut self, rs: &Ruleset, table: &LeadTable) -> Result<(), Diagnostics> {
        let mut diags = Diagnostics::default();
        let groups = rs.group_names();
        for g in &groups {
            if table.resolve(g).is_some() {
                let span = rs
                    .groups
                    .iter()
                    .find(|x| &x.name == g)
                    .map(|x| x.span.start);
                let loc = span.map_or(rs.path.clone(), |s| rs.location(s));
                diags.push(
                    Diagnostic::error(
                        loc,
                        format!("group `{g}` has the name of a field; rename the group (tier requirements could not tell them apart)"),
                    )
                    .subject(format!("group `{g}`")),
                );
            }
        }
        let mut virtuals = groups.clone();
        virtuals.push("score".to_string());
        let env = Env {
            table,
            as_of: self.as_of,
            virtuals: &virtuals,
        };
        let mut tiers = vec![];
        for t in &rs.tiers {
            let require = match &t.require {
                None => None,
                Some(src) => match Condition::compile(&src.text, &env) {
                    Ok(c) => Some(c),
                    Err(e) => {
                        diags.push(cond_diagnostic(
                            rs,
                            src,
                            &e,
                            format!("tier `{}` require", t.name),
                        ));
                        continue;
                    }
                },
            };
            tiers.push(Arc::new(CompiledTier { require }));
        }
        if diags.has_errors() {
            return Err(diags);
        }
        // A map, not a search per rule: a ruleset may have thousands of groups.
        let index: std::collections::HashMap<&str, usize> = groups
            .iter()
            .enumerate()
            .map(|(i, g)| (g.as_str(), i))
            .collect();
        self.rule_group = rs
            .rules
            .iter()
            .map(|r| index.get(r.group.as_str()).copied().unwrap_or(0))
            .collect();
        self.groups = groups;
        self.tiers = tiers;
        Ok(())
    }
}

/// `0.5 ^ (max(age, 0) / half_life)` (SPEC §5 step 1).
pub(crate) fn decay_factor(age_days: i64, half_life_days: f64) -> f64 {
    0.5f64.powf(age_days.max(0) as f64 / half_life_days)
}

/// A condition error as a diagnostic at its exact place in the ruleset file.
pub fn cond_diagnostic(
    rs: &Ruleset,
    src: &CondSource,
    e: &CondError,
    subject: String,
) -> Diagnostic {
    let at = if src.exact {
        src.offset + e.pos
    } else {
        src.offset
    };
    Diagnostic::error(rs.location(at), e.message.clone())
        .subject(subject)
        .detail(e.render(&src.text))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Either way of holding the factors gives each lead the factor of its
    /// own age, bit for bit.
    #[test]
    fn factors_by_age_and_plain_agree_with_the_formula() {
        let as_of = 20_000;
        for days in [
            vec![as_of, as_of - 30, DATE_MISSING, as_of + 5, as_of - 3650],
            // Ages spanning more than 65,535 days: one factor per lead.
            vec![as_of, -60_000, DATE_MISSING, as_of - 1],
        ] {
            let f = Factors::new(&days, as_of, 30.0);
            let plain = days[1] < 0;
            assert_eq!(matches!(f, Factors::Plain(_)), plain);
            for (lead, &d) in days.iter().enumerate() {
                let want = match d {
                    DATE_MISSING => 0.0,
                    d => decay_factor(as_of as i64 - d as i64, 30.0),
                };
                assert_eq!(f.get(lead).to_bits(), want.to_bits(), "day {d}");
            }
        }
        // No date at all: every factor is 0.
        let f = Factors::new(&[DATE_MISSING; 3], as_of, 30.0);
        assert_eq!(f.get(2), 0.0);
    }
}
