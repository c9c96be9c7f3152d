//! Rule evidence: what each rule's match set says about outcomes, however
//! many points it carries (so it changes only with the rule's condition).

use super::{lift, ratio};
use crate::data::LeadTable;
use crate::engine::{Compiled, CompiledRule};
use crate::ruleset::Ruleset;

/// What a rule's match set says about outcomes (independent of its points).
#[derive(Debug, Clone, serde::Serialize)]
pub struct RuleEvidence {
    pub id: String,
    /// Leads whose `when` is true (all leads, labelled or not).
    pub fires: usize,
    /// Labelled leads among them, and converted ones.
    pub labelled: usize,
    pub converted: usize,
    pub rate: Option<f64>,
    pub lift: Option<f64>,
}

/// Per-rule evidence: fire counts and conversion among fired leads.
pub fn rule_evidence(c: &Compiled, rs: &Ruleset, table: &LeadTable) -> Vec<RuleEvidence> {
    let base = base_rate(table);
    rs.rules
        .iter()
        .zip(&c.rules)
        .map(|(r, cr)| rule_evidence_of(&r.id, cr, table, base))
        .collect()
}

/// Converted / labelled over the whole table.
pub fn base_rate(table: &LeadTable) -> Option<f64> {
    let (labelled, converted) = table.outcome.iter().fold((0, 0), |(l, cv), o| match o {
        Some(x) => (l + 1, cv + *x as usize),
        None => (l, cv),
    });
    ratio(converted, labelled)
}

/// The evidence of one compiled rule, given the table's base rate.
pub fn rule_evidence_of(
    id: &str,
    cr: &CompiledRule,
    table: &LeadTable,
    base: Option<f64>,
) -> RuleEvidence {
    let outcome = &table.outcome;
    let (mut l, mut cv) = (0, 0);
    for &i in &cr.fires {
        if let Some(Some(x)) = outcome.get(i as usize) {
            l += 1;
            cv += *x as usize;
        }
    }
    let rate = ratio(cv, l);
    RuleEvidence {
        id: id.to_string(),
        fires: cr.fires.len(),
        labelled: l,
        converted: cv,
        rate,
        lift: lift(rate, base),
    }
}
