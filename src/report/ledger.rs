//! `leadlab explain`: a lead's ledger as text or JSON (SPEC §5.1).

use super::grid::Grid;
use crate::engine::{Ledger, NextTier};
use crate::fmt::{escape, fmt_num};

/// What a lead lacks for the next tier, one line each (shared by `explain`
/// and the workbench's ledger).
pub fn next_tier_lines(n: &NextTier) -> Vec<String> {
    let mut out = vec![];
    if n.points_short > 0.0 {
        out.push(format!(
            "{} points short of {}",
            fmt_num(n.points_short),
            fmt_num(n.min.unwrap_or(0.0))
        ));
    }
    if let Some(req) = &n.requirement_unmet {
        out.push(format!("requirement not met: {req}"));
    }
    let reach = n.min.unwrap_or(f64::NEG_INFINITY);
    for (rule, new) in &n.would_close {
        let verdict = if *new >= reach {
            "reaches it"
        } else {
            "not enough alone"
        };
        out.push(format!(
            "if {rule} fired: score {} ({verdict})",
            fmt_num(*new)
        ));
    }
    if n.would_close.is_empty() && n.points_short > 0.0 {
        out.push("no single unfired rule would raise the score (caps or gates hold it)".into());
    }
    out
}

pub fn ledger_json(l: &Ledger) -> String {
    let mut s = serde_json::to_string_pretty(l).unwrap_or_default();
    s.push('\n');
    s
}

/// Signed points: `+15`, `-20`, `0`.
fn signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", fmt_num(x))
    } else {
        fmt_num(x)
    }
}

/// The ledger for a terminal: names and values from the user's files are
/// escaped (tables escape their own cells, see [`Grid`]).
pub fn ledger_text(l: &Ledger) -> String {
    let esc = |s: &str| escape::terminal(s).into_owned();
    let mut out = format!(
        "lead {} · score {} · tier {} · as of {}\n",
        esc(&l.id),
        fmt_num(l.score),
        esc(&l.tier),
        esc(&l.as_of)
    );
    if !l.reasons.is_empty() {
        out.push_str(&format!("reasons: {}\n", esc(&l.reasons.join("; "))));
    }
    out.push_str("\nFields read\n");
    let mut g = Grid::new(&["field", "value"], &[false, false]);
    for (name, v) in &l.fields {
        g.row(vec![
            name.clone(),
            v.clone().unwrap_or_else(|| "(missing)".into()),
        ]);
    }
    out.push_str(&g.to_text());

    out.push_str("\nRules\n");
    let mut g = Grid::new(
        &[
            "rule",
            "group",
            "condition",
            "points",
            "decay",
            "contribution",
        ],
        &[false, false, false, true, false, true],
    );
    for r in &l.rules {
        let cond = if r.enabled {
            r.condition.to_string()
        } else {
            format!("{} (disabled)", r.condition)
        };
        let decay = match (r.decay_factor, r.decay_age) {
            (Some(f), Some(a)) => format!("{a}d ×{f:.3}"),
            (Some(_), None) if r.fired => "date missing ×0".into(),
            (Some(_), None) => "date missing".into(),
            _ => String::new(),
        };
        let contrib = if r.fired {
            signed(r.contribution)
        } else {
            "·".into()
        };
        g.row(vec![
            r.id.clone(),
            r.group.clone(),
            cond,
            fmt_num(r.points),
            decay,
            contrib,
        ]);
    }
    out.push_str(&g.to_text());

    out.push_str("\nHow it adds up\n");
    let mut g = Grid::new(&["step", "points", "running total"], &[false, true, true]);
    let mut running = 0.0;
    for grp in &l.groups {
        running += grp.sum;
        g.row(vec![
            format!("group {} (sum of its rules)", grp.name),
            signed(grp.sum),
            fmt_num(running),
        ]);
        if grp.subtotal != grp.sum {
            let what = if grp.cap.is_some_and(|c| grp.sum > c) {
                format!("  cap {} on {}", fmt_num(grp.cap.unwrap_or(0.0)), grp.name)
            } else {
                format!(
                    "  floor {} on {}",
                    fmt_num(grp.floor.unwrap_or(0.0)),
                    grp.name
                )
            };
            running += grp.subtotal - grp.sum;
            g.row(vec![what, signed(grp.subtotal - grp.sum), fmt_num(running)]);
        }
    }
    g.row(vec![
        "raw total".into(),
        String::new(),
        fmt_num(l.raw_total),
    ]);
    for gate in &l.gates {
        let label = gate.reason.clone().unwrap_or_else(|| gate.id.clone());
        g.row(vec![
            format!("gate {} (cap {}): {label}", gate.id, fmt_num(gate.cap)),
            signed(gate.after - gate.before),
            fmt_num(gate.after),
        ]);
    }
    if l.score != l.gated_total {
        g.row(vec![
            format!(
                "clamped to {}..{}",
                fmt_num(l.score_range.0),
                fmt_num(l.score_range.1)
            ),
            signed(l.score - l.gated_total),
            fmt_num(l.score),
        ]);
    }
    g.row(vec!["score".into(), String::new(), fmt_num(l.score)]);
    out.push_str(&g.to_text());

    out.push_str(&format!("\nTier: {}\n", esc(&l.tier)));
    for m in &l.tiers_above {
        out.push_str(&format!("  not {}: {}\n", esc(&m.name), esc(&m.why)));
    }
    if let Some(n) = &l.next_tier {
        out.push_str(&format!("\nTo reach {}:\n", esc(&n.name)));
        for line in next_tier_lines(n) {
            out.push_str(&format!("  {}\n", esc(&line)));
        }
    }
    out
}
