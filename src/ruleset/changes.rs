//! What changed between two rulesets: the one comparison that the
//! workbench (its change list after every edit), the save's changelog and
//! (next) `leadlab diff` share, so that they never disagree about what
//! counts as a change. Rules are matched by id, gates by id, tiers and
//! groups by name; a rule's own fields are compared by [`Rule::same_in`].

use super::{Decay, Rule, Ruleset};
use crate::fmt::exact_num;

/// A part of a rule a user can change, in the order the change list names
/// them (and the save writes them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleField {
    Points,
    Enabled,
    When,
    Group,
    Reason,
    Decay,
}

impl RuleField {
    pub const ALL: [RuleField; 6] = [
        RuleField::Points,
        RuleField::Enabled,
        RuleField::When,
        RuleField::Group,
        RuleField::Reason,
        RuleField::Decay,
    ];
}

impl Rule {
    /// Whether `self` and `other` agree on `field` (numbers compare equal
    /// when both are the same number; a condition by its text as written).
    pub fn same_in(&self, other: &Rule, field: RuleField) -> bool {
        match field {
            RuleField::Points => same_num(self.points, other.points),
            RuleField::Enabled => self.enabled == other.enabled,
            RuleField::When => self.when.text == other.when.text,
            RuleField::Group => self.group == other.group,
            RuleField::Reason => self.reason == other.reason,
            RuleField::Decay => same_decay(&self.decay, &other.decay),
        }
    }

    /// The fields in which `other` differs from `self`, in [`RuleField::ALL`] order.
    pub fn differing_fields<'a>(&'a self, other: &'a Rule) -> impl Iterator<Item = RuleField> + 'a {
        RuleField::ALL
            .into_iter()
            .filter(move |f| !self.same_in(other, *f))
    }

    /// Whether two rules are the same for the user: same id and no field
    /// differs (where they sit in the file does not count).
    pub fn same_as(&self, other: &Rule) -> bool {
        self.id == other.id && self.differing_fields(other).next().is_none()
    }
}

/// Human-readable list of what differs between the loaded and the edited
/// model, in file order (`demo-request: 25 -> 30`, `webinar: disabled`,
/// `tier SQL min: 70 -> 65`, `added rule x (12 points)`, ...). Rules are
/// matched by id, gates by id, tiers by name, groups by name.
pub fn changes(baseline: &Ruleset, current: &Ruleset) -> Vec<String> {
    // (offset in the baseline file, order of discovery, text)
    let mut out: Vec<(usize, usize, String)> = vec![];
    let mut push = |offset: usize, text: String| {
        let seq = out.len();
        out.push((offset, seq, text));
    };

    for bg in &baseline.groups {
        let cg = current.groups.iter().find(|g| g.name == bg.name);
        let (cap, floor) = cg.map_or((None, None), |g| (g.cap, g.floor));
        let mut any = false;
        for (what, old, new) in [("cap", bg.cap, cap), ("floor", bg.floor, floor)] {
            if !same_opt_num(old, new) {
                push(
                    bg.span.start,
                    format!(
                        "group {} {what}: {} -> {}",
                        bg.name,
                        exact_or_none(old),
                        exact_or_none(new)
                    ),
                );
                any = true;
            }
        }
        if cg.is_none() && !any {
            push(bg.span.start, format!("group {}: removed", bg.name));
        }
    }
    let groups_anchor = baseline.groups.last().map_or(0, |g| g.span.start);
    for cg in &current.groups {
        if baseline.groups.iter().any(|g| g.name == cg.name) {
            continue;
        }
        let mut any = false;
        for (what, new) in [("cap", cg.cap), ("floor", cg.floor)] {
            if new.is_some() {
                push(
                    groups_anchor,
                    format!("group {} {what}: none -> {}", cg.name, exact_or_none(new)),
                );
                any = true;
            }
        }
        if !any {
            push(groups_anchor, format!("group {}: added", cg.name));
        }
    }

    for br in &baseline.rules {
        match current.rules.iter().find(|r| r.id == br.id) {
            None => push(br.span.start, format!("deleted rule {}", br.id)),
            Some(cr) => {
                for c in rule_changes(br, cr) {
                    push(br.span.start, c);
                }
            }
        }
    }
    let rules_anchor = match baseline.rules.last() {
        Some(r) => r.span.start,
        None => baseline
            .gates
            .first()
            .map(|g| g.span.start)
            .into_iter()
            .chain(baseline.tiers.first().map(|t| t.span.start))
            .min()
            .unwrap_or(usize::MAX),
    };
    for cr in &current.rules {
        if !baseline.rules.iter().any(|r| r.id == cr.id) {
            let off = if cr.enabled { "" } else { ", disabled" };
            push(
                rules_anchor,
                format!("added rule {} ({}{off})", cr.id, points_phrase(cr.points)),
            );
        }
    }

    for bg in &baseline.gates {
        match current.gates.iter().find(|g| g.id == bg.id) {
            None => push(bg.span.start, format!("deleted gate {}", bg.id)),
            Some(cg) if !same_num(cg.cap, bg.cap) => push(
                bg.span.start,
                format!(
                    "gate {} cap: {} -> {}",
                    bg.id,
                    exact_num(bg.cap),
                    exact_num(cg.cap)
                ),
            ),
            Some(_) => {}
        }
    }
    let gates_anchor = baseline.gates.last().map_or(rules_anchor, |g| g.span.start);
    for cg in &current.gates {
        if !baseline.gates.iter().any(|g| g.id == cg.id) {
            push(gates_anchor, format!("added gate {}", cg.id));
        }
    }

    for bt in &baseline.tiers {
        match current.tiers.iter().find(|t| t.name == bt.name) {
            None => push(bt.span.start, format!("deleted tier {}", bt.name)),
            Some(ct) if !same_opt_num(ct.min, bt.min) => push(
                bt.span.start,
                format!(
                    "tier {} min: {} -> {}",
                    bt.name,
                    exact_or_none(bt.min),
                    exact_or_none(ct.min)
                ),
            ),
            Some(_) => {}
        }
    }
    let tiers_anchor = baseline.tiers.last().map_or(gates_anchor, |t| t.span.start);
    for ct in &current.tiers {
        if !baseline.tiers.iter().any(|t| t.name == ct.name) {
            push(tiers_anchor, format!("added tier {}", ct.name));
        }
    }

    // The score range sits in `[model]`, at the top of the file; bands and
    // the qualified tier in `[review]`, after the tiers.
    let (b, c) = (baseline.model.score_range, current.model.score_range);
    if !same_num(b.0, c.0) || !same_num(b.1, c.1) {
        push(
            0,
            format!(
                "score range: {} -> {}",
                num_list(&[b.0, b.1]),
                num_list(&[c.0, c.1])
            ),
        );
    }
    let review_anchor = usize::MAX;
    let (bb, cb) = (&baseline.review.bands, &current.review.bands);
    if bb.len() != cb.len() || bb.iter().zip(cb).any(|(x, y)| !same_num(*x, *y)) {
        push(
            review_anchor,
            format!("bands: {} -> {}", num_list(bb), num_list(cb)),
        );
    }
    let (bq, cq) = (qualified_name(baseline), qualified_name(current));
    if bq != cq {
        push(review_anchor, format!("qualified: {bq} -> {cq}"));
    }

    out.sort_by_key(|(offset, seq, _)| (*offset, *seq));
    out.into_iter().map(|(_, _, text)| text).collect()
}

fn rule_changes(b: &Rule, c: &Rule) -> Vec<String> {
    let id = &b.id;
    let show_reason = |r: &Option<String>| match r {
        Some(s) => format!("\"{}\"", one_line(s)),
        None => "none".to_string(),
    };
    let show_decay = |d: &Option<Decay>| match d {
        Some(d) => format!(
            "half-life {} days from {}",
            exact_num(d.half_life_days),
            d.date
        ),
        None => "none".to_string(),
    };
    b.differing_fields(c)
        .map(|field| match field {
            RuleField::Points => {
                format!("{id}: {} -> {}", exact_num(b.points), exact_num(c.points))
            }
            RuleField::Enabled => {
                let state = if c.enabled { "enabled" } else { "disabled" };
                format!("{id}: {state}")
            }
            RuleField::When => format!(
                "{id} when: `{}` -> `{}`",
                one_line(&b.when.text),
                one_line(&c.when.text)
            ),
            RuleField::Group => format!("{id} group: {} -> {}", b.group, c.group),
            RuleField::Reason => format!(
                "{id} reason: {} -> {}",
                show_reason(&b.reason),
                show_reason(&c.reason)
            ),
            RuleField::Decay => format!(
                "{id} decay: {} -> {}",
                show_decay(&b.decay),
                show_decay(&c.decay)
            ),
        })
        .collect()
}

fn points_phrase(p: f64) -> String {
    if p == 1.0 || p == -1.0 {
        format!("{} point", exact_num(p))
    } else {
        format!("{} points", exact_num(p))
    }
}

/// A condition or reason on one line, for the change list.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Two numbers of a ruleset are the same (NaN, which a loaded ruleset never
/// holds, counts as the same as itself).
pub(super) fn same_num(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

pub(super) fn same_opt_num(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => same_num(a, b),
        (None, None) => true,
        _ => false,
    }
}

fn same_decay(a: &Option<Decay>, b: &Option<Decay>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.date == b.date && same_num(a.half_life_days, b.half_life_days),
        (None, None) => true,
        _ => false,
    }
}

/// `[0, 20, 40]`: band edges or a score range in the change list.
fn num_list(xs: &[f64]) -> String {
    let items: Vec<String> = xs.iter().map(|x| exact_num(*x)).collect();
    format!("[{}]", items.join(", "))
}

/// The tier that counts as qualified (`[review].qualified`, or its
/// default), by name; `none` when no tier does.
fn qualified_name(rs: &Ruleset) -> String {
    rs.qualified_index()
        .and_then(|q| rs.tiers.get(q))
        .map_or_else(|| "none".to_string(), |t| t.name.clone())
}

/// A cap, floor or minimum in the change list: the number, or `none`.
fn exact_or_none(x: Option<f64>) -> String {
    x.map_or("none".to_string(), exact_num)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ruleset::CondSource;

    fn rule() -> Rule {
        Rule {
            id: "demo".into(),
            group: "intent".into(),
            when: CondSource {
                text: "demo_requested".into(),
                offset: 10,
                exact: true,
            },
            points: 25.0,
            reason: Some("Asked for a demo".into()),
            enabled: true,
            decay: Some(Decay {
                date: "last_visit".into(),
                half_life_days: 30.0,
            }),
            span: 0..40,
        }
    }

    #[test]
    fn same_as_ignores_the_place_in_the_file_and_nothing_else() {
        let a = rule();
        let mut moved = rule();
        moved.span = 100..140;
        moved.when.offset = 110;
        assert!(a.same_as(&moved));

        type Edit = (RuleField, fn(&mut Rule));
        let edits: [Edit; 6] = [
            (RuleField::Points, |r| r.points = 30.0),
            (RuleField::Enabled, |r| r.enabled = false),
            (RuleField::When, |r| r.when.text = "webinar".into()),
            (RuleField::Group, |r| r.group = "fit".into()),
            (RuleField::Reason, |r| r.reason = None),
            (RuleField::Decay, |r| {
                r.decay.as_mut().unwrap().half_life_days = 60.0
            }),
        ];
        for (field, edit) in edits {
            let mut b = rule();
            edit(&mut b);
            assert!(!a.same_as(&b), "{field:?}");
            assert_eq!(a.differing_fields(&b).collect::<Vec<_>>(), [field]);
        }
        let mut renamed = rule();
        renamed.id = "demo-2".into();
        assert!(!a.same_as(&renamed));
        assert_eq!(a.differing_fields(&renamed).count(), 0);
    }
}
