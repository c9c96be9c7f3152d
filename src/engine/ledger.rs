//! The ledger of one lead (SPEC §5.1): why it scored what it did, in lines
//! that add up exactly to the score, and what it lacks for the next tier.

use super::score::{TierPlan, finish, group_bounds, limit, raw_total};
use super::{Compiled, NO_TIER, reasons};
use crate::cond::Tri;
use crate::data::LeadTable;
use crate::ruleset::Ruleset;

#[derive(Debug, Clone, serde::Serialize)]
pub struct RuleLine {
    pub id: String,
    pub group: String,
    pub enabled: bool,
    /// The condition's value for this lead: "true", "false" or "unknown".
    pub condition: &'static str,
    pub fired: bool,
    pub points: f64,
    /// Days since the decay date, for a decaying rule whose date is present.
    pub decay_age: Option<i64>,
    /// The decay factor, for a decaying rule (0 when the date is missing).
    pub decay_factor: Option<f64>,
    pub contribution: f64,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct GroupLine {
    pub name: String,
    /// Sum of the contributions before cap and floor.
    pub sum: f64,
    pub cap: Option<f64>,
    pub floor: Option<f64>,
    /// After cap and floor.
    pub subtotal: f64,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct GateLine {
    pub id: String,
    pub cap: f64,
    /// The total before and after this gate.
    pub before: f64,
    pub after: f64,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct TierMiss {
    pub name: String,
    pub why: String,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct NextTier {
    pub name: String,
    pub min: Option<f64>,
    /// Points short of the tier's minimum (0 when only its requirement fails).
    pub points_short: f64,
    pub requirement_unmet: Option<String>,
    /// Unfired enabled rules and the score the lead would have if each fired
    /// alone: first those that alone reach the tier, then the others by gain.
    pub would_close: Vec<(String, f64)>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Ledger {
    pub id: String,
    pub as_of: String,
    /// Each field the rules, gates and tier requirements read, and its value
    /// (`None` when missing).
    pub fields: Vec<(String, Option<String>)>,
    pub rules: Vec<RuleLine>,
    pub groups: Vec<GroupLine>,
    pub raw_total: f64,
    pub gates: Vec<GateLine>,
    /// Total after gates, before clamping to the score range.
    pub gated_total: f64,
    pub score_range: (f64, f64),
    pub score: f64,
    pub tier: String,
    pub tiers_above: Vec<TierMiss>,
    pub reasons: Vec<String>,
    pub next_tier: Option<NextTier>,
}

fn tri_name(t: Tri) -> &'static str {
    match t {
        Tri::True => "true",
        Tri::False => "false",
        Tri::Unknown => "unknown",
    }
}

/// The ledger of `lead`.
/// It recomputes the lead's figures with the engine's own steps, so it needs
/// no scoring of the other leads and agrees with it to the bit.
pub fn explain(c: &Compiled, rs: &Ruleset, table: &LeadTable, lead: usize) -> Ledger {
    // Fields read, in order of first use.
    let mut cols: Vec<usize> = vec![];
    let conds = c
        .rules
        .iter()
        .map(|r| &r.when)
        .chain(c.gates.iter().map(|g| &g.when))
        .chain(c.tiers.iter().filter_map(|t| t.require.as_ref()));
    for cond in conds {
        for col in cond.columns() {
            if !cols.contains(&col) {
                cols.push(col);
            }
        }
    }
    for r in &c.rules {
        if let Some(col) = r.decay_column
            && !cols.contains(&col)
        {
            cols.push(col);
        }
    }
    let fields = cols
        .iter()
        .map(|&col| {
            let column = &table.columns[col];
            let name = table
                .aliases
                .iter()
                .find(|(_, i)| *i == col)
                .map_or(column.name.clone(), |(n, _)| n.clone());
            (name, column.values.display(lead))
        })
        .collect();

    let mut sums = vec![0.0; c.groups.len()];
    let mut rules = vec![];
    for ((rule, cr), &g) in rs.rules.iter().zip(&c.rules).zip(&c.rule_group) {
        let value = cr.when.set().map_or(Tri::Unknown, |s| s.get(lead));
        let fired = rule.enabled && value == Tri::True;
        let decay_age = cr
            .decay_column
            .and_then(|col| match &table.columns[col].values {
                crate::data::Values::Date(d) if d[lead] != crate::data::DATE_MISSING => {
                    Some(c.as_of as i64 - d[lead] as i64)
                }
                _ => None,
            });
        let factor = cr.factor.as_ref().map(|f| f.get(lead));
        let contribution = if fired {
            rule.points * factor.unwrap_or(1.0)
        } else {
            0.0
        };
        if fired {
            sums[g] += contribution;
        }
        rules.push(RuleLine {
            id: rule.id.clone(),
            group: rule.group.clone(),
            enabled: rule.enabled,
            condition: tri_name(value),
            fired,
            points: rule.points,
            decay_age,
            decay_factor: factor,
            contribution,
            reason: rule.reason.clone(),
        });
    }
    let groups: Vec<GroupLine> = c
        .groups
        .iter()
        .enumerate()
        .map(|(g, name)| {
            let decl = rs.groups.iter().find(|x| &x.name == name);
            let cap = decl.and_then(|d| d.cap);
            let floor = decl.and_then(|d| d.floor);
            GroupLine {
                name: name.clone(),
                sum: sums[g],
                cap,
                floor,
                subtotal: limit(sums[g], cap, floor),
            }
        })
        .collect();
    let raw_total = groups.iter().fold(0.0, |t, g| t + g.subtotal);
    let mut total = raw_total;
    let mut gates = vec![];
    for (gate, cg) in rs.gates.iter().zip(&c.gates) {
        if cg.when.set().is_some_and(|s| s.get(lead) == Tri::True) {
            let after = total.min(gate.cap);
            gates.push(GateLine {
                id: gate.id.clone(),
                cap: gate.cap,
                before: total,
                after,
                reason: gate.reason.clone(),
            });
            total = after;
        }
    }
    let score = finish(raw_total, total, rs.model.score_range);
    let subtotals: Vec<f64> = groups.iter().map(|g| g.subtotal).collect();
    let mut scratch = vec![0.0; subtotals.len() + 1];
    let t = TierPlan::new(c, rs).tier(lead, score, |g| subtotals[g], &mut scratch);
    let tier = if t == NO_TIER {
        "none".to_string()
    } else {
        rs.tiers[t as usize].name.clone()
    };
    let above = if t == NO_TIER {
        rs.tiers.len()
    } else {
        t as usize
    };
    let virtuals: Vec<f64> = groups.iter().map(|g| g.subtotal).chain([score]).collect();
    let mut tiers_above = vec![];
    for (k, rt) in rs.tiers.iter().enumerate().take(above) {
        let mut why = vec![];
        if let Some(m) = rt.min
            && score < m
        {
            why.push(format!(
                "score {} is below {}",
                crate::fmt::fmt_num(score),
                crate::fmt::fmt_num(m)
            ));
        }
        if let (Some(req), Some(cond)) = (&rt.require, &c.tiers[k].require)
            && cond.eval_lead(lead, &virtuals) != Tri::True
        {
            why.push(format!("requires `{}`", req.text));
        }
        tiers_above.push(TierMiss {
            name: rt.name.clone(),
            why: why.join("; "),
        });
    }
    let next_tier = above
        .checked_sub(1)
        .map(|k| next_tier(c, rs, table, lead, k, &rules, score, &virtuals));
    Ledger {
        id: table.lead_id(lead),
        as_of: crate::data::format_date(c.as_of),
        fields,
        rules,
        groups,
        raw_total,
        gates,
        gated_total: total,
        score_range: rs.model.score_range,
        score,
        tier,
        tiers_above,
        reasons: reasons(c, rs, lead)
            .into_iter()
            .map(str::to_string)
            .collect(),
        next_tier,
    }
}

#[allow(clippy::too_many_arguments)]
fn next_tier(
    c: &Compiled,
    rs: &Ruleset,
    _table: &LeadTable,
    lead: usize,
    k: usize,
    rules: &[RuleLine],
    score: f64,
    virtuals: &[f64],
) -> NextTier {
    let rt = &rs.tiers[k];
    let points_short = rt.min.map_or(0.0, |m| (m - score).max(0.0));
    let requirement_unmet = match (&rt.require, &c.tiers[k].require) {
        (Some(req), Some(cond)) if cond.eval_lead(lead, virtuals) != Tri::True => {
            Some(req.text.clone())
        }
        _ => None,
    };
    // What the score would be if one more rule fired: re-run steps 2–5 for this lead.
    let base: Vec<f64> = c
        .groups
        .iter()
        .enumerate()
        .map(|(g, _)| {
            rules
                .iter()
                .zip(&c.rule_group)
                .filter(|(l, rg)| l.fired && **rg == g)
                .map(|(l, _)| l.contribution)
                .sum()
        })
        .collect();
    let mut options: Vec<(String, f64)> = vec![];
    for (k2, (rule, cr)) in rs.rules.iter().zip(&c.rules).enumerate() {
        if rules[k2].fired || !rule.enabled || rule.points <= 0.0 {
            continue;
        }
        let mut sums = base.clone();
        sums[c.rule_group[k2]] += rule.points * cr.factor(lead);
        let new = rescore_one(c, rs, lead, &sums);
        if new > score {
            options.push((rule.id.clone(), new));
        }
    }
    let min = rt.min.unwrap_or(f64::NEG_INFINITY);
    options.sort_by(|a, b| (b.1 >= min).cmp(&(a.1 >= min)).then(b.1.total_cmp(&a.1)));
    options.truncate(5);
    NextTier {
        name: rt.name.clone(),
        min: rt.min,
        points_short,
        requirement_unmet,
        would_close: options,
    }
}

/// Steps 2–5 for one lead given its group sums before cap/floor.
fn rescore_one(c: &Compiled, rs: &Ruleset, lead: usize, sums: &[f64]) -> f64 {
    let limits = group_bounds(c, rs);
    let total = raw_total(sums.iter().copied(), &limits);
    let gate_cap = rs
        .gates
        .iter()
        .zip(&c.gates)
        .filter(|(_, cg)| cg.when.set().is_some_and(|s| s.get(lead) == Tri::True))
        .fold(f64::INFINITY, |m, (g, _)| m.min(g.cap));
    finish(total, gate_cap, rs.model.score_range)
}
