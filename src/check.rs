//! `leadlab check`: validation plus lints, the problems a ruleset can have
//! that are not errors but usually mistakes.

use crate::engine::{Compiled, NO_TIER, Scores};
use crate::fmt::fmt_num;
use crate::metrics::Review;
use crate::ruleset::{Diagnostic, Diagnostics, Ruleset};

/// A rule firing on at least this share of leads hardly separates them.
pub const NEARLY_ALL: f64 = 0.95;

/// Syntax of every condition, without data (for `check RULESET`).
pub fn check_syntax(rs: &Ruleset, diags: &mut Diagnostics) {
    let rules = rs
        .rules
        .iter()
        .map(|r| (format!("rule `{}`", r.id), &r.when));
    let gates = rs
        .gates
        .iter()
        .map(|g| (format!("gate `{}`", g.id), &g.when));
    let tiers = rs.tiers.iter().filter_map(|t| {
        t.require
            .as_ref()
            .map(|c| (format!("tier `{}` require", t.name), c))
    });
    let segments = rs
        .segments
        .iter()
        .map(|s| (format!("segment `{}`", s.id), &s.when));
    for (subject, src) in rules.chain(gates).chain(tiers).chain(segments) {
        if let Err(e) = crate::cond::parse(&src.text) {
            diags.push(crate::engine::cond_diagnostic(rs, src, &e, subject));
        }
    }
}

/// Give rules, gates and segments whose condition is missing or empty (an
/// error already reported) the condition `false`, so the rest of the ruleset
/// can still be compiled and checked.
pub fn stand_in_missing_conditions(rs: &mut Ruleset) {
    let conds = rs
        .rules
        .iter_mut()
        .map(|r| &mut r.when)
        .chain(rs.gates.iter_mut().map(|g| &mut g.when))
        .chain(rs.segments.iter_mut().map(|s| &mut s.when));
    for c in conds {
        if c.text.trim().is_empty() {
            c.text = "false".into();
            c.exact = false;
        }
    }
}

/// Lints that need only the ruleset.
pub fn lint_ruleset(rs: &Ruleset, diags: &mut Diagnostics) {
    // One pass over the rules, not one per group: a ruleset may have thousands of each.
    let groups: std::collections::HashMap<&str, &crate::ruleset::Group> =
        rs.groups.iter().map(|g| (g.name.as_str(), g)).collect();
    for r in rs.rules.iter().filter(|r| r.enabled) {
        if let Some(g) = groups.get(r.group.as_str()) {
            if let Some(cap) = g.cap
                && r.points > cap
            {
                diags.push(
                    Diagnostic::warning(rs.location(r.span.start), format!("{} points but group `{}` is capped at {}: the rule can never count in full", fmt_num(r.points), g.name, fmt_num(cap)))
                        .subject(format!("rule `{}`", r.id)),
                );
            }
            if let Some(floor) = g.floor
                && r.points < floor
            {
                diags.push(
                    Diagnostic::warning(rs.location(r.span.start), format!("{} points but group `{}` has a floor of {}: the rule can never count in full", fmt_num(r.points), g.name, fmt_num(floor)))
                        .subject(format!("rule `{}`", r.id)),
                );
            }
        }
    }
    let lo = rs.model.score_range.0;
    let catch_all = rs
        .tiers
        .iter()
        .any(|t| t.require.is_none() && t.min.is_none_or(|m| m <= lo));
    if !catch_all {
        let msg = if rs.tiers.is_empty() {
            "no [[tiers]]: every lead gets the tier `none`".to_string()
        } else {
            format!(
                "some leads can match no tier and get `none`: no tier without `require` has `min` at or below the lowest score ({}); add a last tier such as {{ name = \"Nurture\", min = {} }}",
                fmt_num(lo),
                fmt_num(lo)
            )
        };
        diags.push(Diagnostic::warning(rs.path.clone(), msg));
    }
}

/// Lints against the data: rules that never or nearly always fire, tiers no
/// lead reaches, leads with no tier, non-monotonic bands, empty segments.
pub fn lint_data(
    rs: &Ruleset,
    c: &Compiled,
    scores: &Scores,
    review: &Review,
    diags: &mut Diagnostics,
) {
    let n = c.leads;
    if n == 0 {
        diags.push(Diagnostic::warning(
            rs.path.clone(),
            "the data has no leads",
        ));
        return;
    }
    for (r, cr) in rs.rules.iter().zip(&c.rules) {
        let fires = cr.fires.len();
        let subject = format!("rule `{}`", r.id);
        if fires == 0 {
            diags.push(Diagnostic::warning(rs.location(r.span.start), format!("never fires on the data (0 of {n} leads); check the condition `{}` against the values in the file", r.when.text)).subject(subject));
        } else if fires as f64 >= NEARLY_ALL * n as f64 {
            diags.push(
                Diagnostic::warning(
                    rs.location(r.span.start),
                    format!(
                        "fires on {fires} of {n} leads ({:.0}%): it hardly tells leads apart",
                        100.0 * fires as f64 / n as f64
                    ),
                )
                .subject(subject),
            );
        }
    }
    let mut per_tier = vec![0usize; rs.tiers.len()];
    let mut none = 0;
    for &t in &scores.tier {
        if t == NO_TIER {
            none += 1;
        } else {
            per_tier[t as usize] += 1;
        }
    }
    for (t, &count) in rs.tiers.iter().zip(&per_tier) {
        if count == 0 {
            diags.push(
                Diagnostic::warning(rs.location(t.span.start), "no lead reaches this tier")
                    .subject(format!("tier `{}`", t.name)),
            );
        }
    }
    if none > 0 {
        diags.push(Diagnostic::warning(
            rs.path.clone(),
            format!("{none} leads match no tier and get `none`"),
        ));
    }
    for (s, seg) in rs.segments.iter().zip(&c.segments) {
        if seg.set().is_some_and(|m| m.count_true() == 0) {
            diags.push(
                Diagnostic::warning(rs.location(s.span.start), "matches no lead")
                    .subject(format!("segment `{}`", s.id)),
            );
        }
    }
    for w in &review.warnings {
        diags.push(Diagnostic::warning(rs.path.clone(), w.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ruleset::SCANNED;
    use crate::session::Session;

    /// Positions of messages cost one pass over the ruleset, however many
    /// messages there are: a message per rule (here, a warning that it never
    /// fires, and an error in its condition) must not each read the file
    /// from its start, which made `check` of 20k rules take 15 s.
    #[test]
    fn positions_of_many_messages_read_the_file_once() {
        const N: usize = 3000;
        let mut src = String::new();
        for i in 0..N {
            src.push_str(&format!(
                "[[rules]]\nid = \"r{i}\"\nwhen = \"n > {}\"\npoints = 1\n\n",
                100 + i
            ));
        }
        SCANNED.with(|s| s.set(0));
        let s = Session::from_text("r.toml", &src, "d.csv", b"n\n1\n2\n", None, false).unwrap();
        let scores = s.score();
        let review = crate::metrics::review(&s.compiled, &s.ruleset, &s.table, &scores, 0);
        let mut diags = Diagnostics::default();
        lint_data(&s.ruleset, &s.compiled, &scores, &review, &mut diags);
        let never = diags.0.iter().filter(|d| d.message.contains("never fires"));
        assert_eq!(never.count(), N);

        let broken = src.replace("n > ", "n >> ");
        let (rs, _) = Ruleset::parse_all("r.toml", broken);
        check_syntax(&rs.unwrap(), &mut diags);
        assert_eq!(diags.errors(), N);

        let scanned = SCANNED.with(|s| s.get());
        assert!(
            scanned <= 3 * src.len(),
            "read {scanned} bytes of two files of {} bytes to place {} messages",
            src.len(),
            diags.0.len()
        );
    }
}
