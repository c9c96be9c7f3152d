//! Compiling a ruleset against a lead table: every condition type-checked and
//! evaluated once into a match set, decay factors computed once per lead.

use crate::cond::{Condition, CondError, Env};
use crate::data::{LeadTable, Values, DATE_MISSING};
use crate::ruleset::{suggestion, CondSource, Diagnostic, Diagnostics, Ruleset};

/// A rule's match set and, for a decaying rule, its factor per lead.
pub struct CompiledRule {
    pub when: Condition,
    /// Leads for which `when` is true, ascending (enabled or not).
    pub fires: Vec<u32>,
    /// Per lead, `0.5 ^ (max(age, 0) / half_life)`; 0 where the decay date is missing.
    pub factor: Option<Vec<f64>>,
    /// The decay date column.
    pub decay_column: Option<usize>,
    /// Index into [`Compiled::groups`].
    pub group: usize,
}

impl CompiledRule {
    /// The factor that multiplies this rule's points for `lead`.
    pub fn factor(&self, lead: usize) -> f64 {
        self.factor.as_ref().map_or(1.0, |f| f[lead])
    }
}

pub struct CompiledGate {
    pub when: Condition,
}

pub struct CompiledTier {
    pub require: Option<Condition>,
}

/// A ruleset compiled against one lead table.
pub struct Compiled {
    pub rules: Vec<CompiledRule>,
    pub gates: Vec<CompiledGate>,
    pub tiers: Vec<CompiledTier>,
    pub segments: Vec<Condition>,
    /// Group names in output order (SPEC §7.1).
    pub groups: Vec<String>,
    /// The reference date (day number).
    pub as_of: i32,
    pub leads: usize,
}

/// Compile `rs` against `table`: every error of every condition at once.
pub fn compile(rs: &Ruleset, table: &LeadTable, as_of: i32) -> Result<Compiled, Diagnostics> {
    let mut diags = Diagnostics::default();
    let groups = rs.group_names();
    for g in &groups {
        if table.resolve(g).is_some() {
            let span = rs.groups.iter().find(|x| &x.name == g).map(|x| x.span.start);
            let loc = span.map_or(rs.path.clone(), |s| rs.location(s));
            diags.push(
                Diagnostic::error(loc, format!("group `{g}` has the name of a field; rename the group (tier requirements could not tell them apart)"))
                    .subject(format!("group `{g}`")),
            );
        }
    }
    let plain = Env {
        table,
        as_of,
        virtuals: &[],
    };
    let mut virtuals = groups.clone();
    virtuals.push("score".to_string());
    let with_virtuals = Env {
        table,
        as_of,
        virtuals: &virtuals,
    };
    let cond = |src: &CondSource, env: &Env, subject: String, diags: &mut Diagnostics| -> Option<Condition> {
        match Condition::compile(&src.text, env) {
            Ok(c) => Some(c),
            Err(e) => {
                diags.push(cond_diagnostic(rs, src, &e, subject));
                None
            }
        }
    };

    let mut rules = vec![];
    for r in &rs.rules {
        let subject = format!("rule `{}`", r.id);
        let when = cond(&r.when, &plain, subject.clone(), &mut diags);
        let mut factor = None;
        let mut decay_column = None;
        if let Some(d) = &r.decay {
            match table.resolve(&d.date).map(|c| (c, &table.columns[c].values)) {
                Some((c, Values::Date(days))) => {
                    decay_column = Some(c);
                    let hl = d.half_life_days;
                    factor = Some(
                        days.iter()
                            .map(|&day| {
                                if day == DATE_MISSING {
                                    0.0
                                } else {
                                    decay_factor(as_of as i64 - day as i64, hl)
                                }
                            })
                            .collect(),
                    );
                }
                Some((c, v)) => diags.push(
                    Diagnostic::error(rs.location(r.span.start), format!("decay date `{}` is a {} field, not a date (column \"{}\")", d.date, v.field_type().name(), table.columns[c].header))
                        .subject(subject.clone()),
                ),
                None => diags.push(
                    Diagnostic::error(rs.location(r.span.start), format!("decay date: unknown field `{}`{}", d.date, suggestion(&d.date, table.names())))
                        .subject(subject.clone()),
                ),
            }
        }
        if let Some(when) = when {
            let set = when.set().expect("rule conditions read no virtuals");
            let fires = set.t.iter_ones().map(|i| i as u32).collect();
            let group = groups.iter().position(|g| g == &r.group).unwrap_or(0);
            rules.push(CompiledRule {
                when,
                fires,
                factor,
                decay_column,
                group,
            });
        }
    }
    let mut gates = vec![];
    for g in &rs.gates {
        if let Some(when) = cond(&g.when, &plain, format!("gate `{}`", g.id), &mut diags) {
            gates.push(CompiledGate { when });
        }
    }
    let mut tiers = vec![];
    for t in &rs.tiers {
        let require = match &t.require {
            None => None,
            Some(src) => match cond(src, &with_virtuals, format!("tier `{}` require", t.name), &mut diags) {
                Some(c) => Some(c),
                None => continue,
            },
        };
        tiers.push(CompiledTier { require });
    }
    let mut segments = vec![];
    for s in &rs.segments {
        if let Some(c) = cond(&s.when, &plain, format!("segment `{}`", s.id), &mut diags) {
            segments.push(c);
        }
    }
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(Compiled {
        rules,
        gates,
        tiers,
        segments,
        groups,
        as_of,
        leads: table.len,
    })
}

/// `0.5 ^ (max(age, 0) / half_life)` (SPEC §5 step 1).
pub fn decay_factor(age_days: i64, half_life_days: f64) -> f64 {
    0.5f64.powf(age_days.max(0) as f64 / half_life_days)
}

/// A condition error as a diagnostic at its exact place in the ruleset file.
pub fn cond_diagnostic(rs: &Ruleset, src: &CondSource, e: &CondError, subject: String) -> Diagnostic {
    let at = if src.exact { src.offset + e.pos } else { src.offset };
    Diagnostic::error(rs.location(at), e.message.clone())
        .subject(subject)
        .detail(e.render(&src.text))
}
