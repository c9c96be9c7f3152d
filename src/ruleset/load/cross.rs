//! Checks across sections, once everything is read: unique ids, id syntax,
//! group names that clash with output columns, names that refer to others.

use super::Walker;
use crate::ruleset::{Ruleset, group_name_clash, suggestion};
use std::ops::Range;

impl Walker<'_> {
    /// Groups named like a column of `leadlab score` output (see
    /// [`group_name_clash`]). Each name is reported once, where it is
    /// declared in `[groups]` or else where a rule first names it.
    pub(super) fn output_column_clashes(&mut self, rs: &Ruleset) {
        let declared = rs.groups.iter().map(|g| (&g.name, &g.span));
        let used = self.group_uses.iter().map(|(n, s)| (n, s));
        let mut seen = std::collections::HashSet::new();
        let mut clashes = vec![];
        for (name, span) in declared.chain(used) {
            if seen.insert(name.as_str())
                && let Some(why) = group_name_clash(name, rs.data.id.as_deref())
            {
                clashes.push((span.clone(), format!("group `{name}`"), why));
            }
        }
        for (span, subject, why) in clashes {
            self.err(
                Some(span),
                Some(&subject),
                format!("{why}; rename the group"),
            );
        }
    }

    /// Checks across sections: unique ids, id syntax, names that refer to others.
    pub(super) fn cross_checks(&mut self, rs: &Ruleset) {
        let mut seen = std::collections::HashSet::new();
        let mut dup = |w: &mut Self, kind: &'static str, id: &str, span: &Range<usize>| {
            if !id.is_empty() && !seen.insert((kind, id.to_string())) {
                w.err(
                    Some(span.clone()),
                    None,
                    format!("duplicate {kind} id `{id}`; ids must be unique"),
                );
            }
        };
        for r in &rs.rules {
            dup(self, "rule", &r.id, &r.span);
            if !r.id.is_empty()
                && !r
                    .id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
            {
                self.err(
                    Some(r.span.clone()),
                    Some(&format!("rule `{}`", r.id)),
                    "ids may use only a-z, 0-9, `-` and `_`",
                );
            }
        }
        for g in &rs.gates {
            dup(self, "gate", &g.id, &g.span);
        }
        for t in &rs.tiers {
            dup(self, "tier", &t.name, &t.span);
        }
        for s in &rs.segments {
            dup(self, "segment", &s.id, &s.span);
        }
        self.output_column_clashes(rs);
        if let Some(q) = &rs.review.qualified
            && !rs.tiers.iter().any(|t| &t.name == q)
        {
            let names: Vec<&str> = rs.tiers.iter().map(|t| t.name.as_str()).collect();
            let hint = suggestion(q, names.iter().copied());
            self.err(
                None,
                None,
                format!(
                    "[review] `qualified` names tier `{q}`, which does not exist{hint}; tiers: {}",
                    names.join(", ")
                ),
            );
        }
    }
}
