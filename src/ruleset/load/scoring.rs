//! The scoring model's sections: `[model]`, `[groups]`, `[[rules]]`,
//! `[[gates]]`, `[[tiers]]`, `[review]` and `[[segments]]`.

use super::Walker;
use crate::ruleset::{
    DEFAULT_GROUP, Decay, Gate, Group, Model, ReviewSettings, Rule, Segment, Tier,
};
use toml_edit::Item;

const MODEL_KEYS: &[&str] = &["name", "version", "score_range", "as_of"];
const GROUP_KEYS: &[&str] = &["cap", "floor"];
const RULE_KEYS: &[&str] = &[
    "id", "group", "when", "points", "reason", "enabled", "decay",
];
const DECAY_KEYS: &[&str] = &["date", "half_life_days"];
const GATE_KEYS: &[&str] = &["id", "when", "cap", "reason"];
const TIER_KEYS: &[&str] = &["name", "min", "require", "action", "sla_hours"];
const REVIEW_KEYS: &[&str] = &["bands", "qualified", "capacity_per_week"];
const SEGMENT_KEYS: &[&str] = &["id", "when"];

impl Walker<'_> {
    pub(super) fn model(&mut self, item: Option<&Item>) -> Model {
        let mut m = Model {
            name: None,
            version: 0,
            score_range: (0.0, 100.0),
            as_of: None,
        };
        let Some(t) = self.table(item, "model") else {
            return m;
        };
        self.check_keys(t, MODEL_KEYS, "[model]", None);
        m.name = self.string(t, "name", None).map(|s| s.text);
        if let Some(v) = t.get("version") {
            match v.as_integer() {
                // The workbench raises the version by one on every save.
                Some(n) if n == i64::MAX => self.err(
                    v.span(),
                    None,
                    "[model] `version` is too large to be raised on the next save",
                ),
                Some(n) => m.version = n,
                None => self.err(v.span(), None, "[model] `version` must be a whole number"),
            }
        }
        if let Some(v) = t.get("score_range") {
            let pair = match self.numbers(v, "[model] `score_range`") {
                Ok(None) => Ok(None),
                Ok(Some(xs)) if xs.len() == 2 => Ok(Some((xs[0], xs[1]))),
                _ => Err(()),
            };
            match pair {
                // An entry out of range, reported above.
                Ok(None) => {}
                Ok(Some((lo, hi))) if lo < hi => m.score_range = (lo, hi),
                Ok(Some(_)) => self.err(
                    v.span(),
                    None,
                    "[model] `score_range` must be [low, high] with low < high",
                ),
                Err(()) => self.err(
                    v.span(),
                    None,
                    "[model] `score_range` must be two numbers, e.g. [0, 100]",
                ),
            }
        }
        if let Some(v) = t.get("as_of") {
            m.as_of = self.date_value(v, "[model] `as_of`");
        }
        m
    }

    pub(super) fn groups(&mut self, item: Option<&Item>) -> Vec<Group> {
        let Some(t) = self.table(item, "groups") else {
            return vec![];
        };
        let mut out = vec![];
        for (name, v) in t.iter() {
            let span = t.key(name).and_then(|k| k.span()).unwrap_or(0..0);
            let subject = format!("group `{name}`");
            let Some(gt) = v.as_table_like() else {
                self.err(
                    Some(span),
                    Some(&subject),
                    "must be a table such as { cap = 50 }",
                );
                continue;
            };
            self.check_keys(gt, GROUP_KEYS, &format!("[groups].{name}"), Some(&subject));
            let cap = self.number(gt, "cap", Some(&subject));
            let floor = self.number(gt, "floor", Some(&subject));
            if let (Some(c), Some(f)) = (cap, floor)
                && c < f
            {
                self.err(
                    Some(span.clone()),
                    Some(&subject),
                    format!("cap {c} is below floor {f}"),
                );
            }
            out.push(Group {
                name: name.to_string(),
                cap,
                floor,
                span,
            });
        }
        out
    }

    pub(super) fn rules(&mut self, item: Option<&Item>) -> Vec<Rule> {
        let mut out = vec![];
        for (t, span) in self.tables(item, "rules") {
            let id = self.require_id(t, "id", &span, "a [[rules]] entry");
            let subject = format!("rule `{id}`");
            let subj = Some(subject.as_str());
            self.check_keys(t, RULE_KEYS, "[[rules]]", subj);
            let group = match self.string(t, "group", subj) {
                Some(s) => {
                    if let Some(span) = s.span {
                        self.group_uses.push((s.text.clone(), span));
                    }
                    s.text
                }
                None => DEFAULT_GROUP.to_string(),
            };
            let when = self.cond(t, "when", subj);
            if t.get("when").is_none() {
                self.err(
                    Some(span.clone()),
                    subj,
                    "has no `when`; add the condition under which it fires",
                );
            }
            let points = self.number(t, "points", subj);
            if t.get("points").is_none() {
                self.err(Some(span.clone()), subj, "has no `points`");
            }
            let reason = self.string(t, "reason", subj).map(|s| s.text);
            let enabled = self.boolean(t, "enabled", subj).unwrap_or(true);
            let decay = match t.get("decay") {
                None => None,
                Some(d) => match d.as_table_like() {
                    None => {
                        self.err(
                            d.span(),
                            subj,
                            "`decay` must be { date = \"field\", half_life_days = N }",
                        );
                        None
                    }
                    Some(dt) => {
                        self.check_keys(dt, DECAY_KEYS, "`decay`", subj);
                        let date = self.string(dt, "date", subj).map(|s| s.text);
                        let hl = self.number(dt, "half_life_days", subj);
                        match (date, hl) {
                            (Some(date), Some(h)) if h > 0.0 => Some(Decay {
                                date,
                                half_life_days: h,
                            }),
                            (Some(_), Some(_)) => {
                                self.err(d.span(), subj, "`half_life_days` must be above 0");
                                None
                            }
                            // A value of the wrong kind was reported above.
                            _ if dt.contains_key("date") && dt.contains_key("half_life_days") => {
                                None
                            }
                            _ => {
                                self.err(
                                    d.span(),
                                    subj,
                                    "`decay` needs both `date` and `half_life_days`",
                                );
                                None
                            }
                        }
                    }
                },
            };
            out.push(Rule {
                id,
                group,
                when: when.unwrap_or_default(),
                points: points.unwrap_or(0.0),
                reason,
                enabled,
                decay,
                span,
            });
        }
        out
    }

    pub(super) fn gates(&mut self, item: Option<&Item>) -> Vec<Gate> {
        let mut out = vec![];
        for (t, span) in self.tables(item, "gates") {
            let id = self.require_id(t, "id", &span, "a [[gates]] entry");
            let subject = format!("gate `{id}`");
            let subj = Some(subject.as_str());
            self.check_keys(t, GATE_KEYS, "[[gates]]", subj);
            let when = self.cond(t, "when", subj);
            if t.get("when").is_none() {
                self.err(Some(span.clone()), subj, "has no `when`");
            }
            let cap = self.number(t, "cap", subj);
            if t.get("cap").is_none() {
                self.err(
                    Some(span.clone()),
                    subj,
                    "has no `cap`: the most a lead's total may be when the gate holds",
                );
            }
            let reason = self.string(t, "reason", subj).map(|s| s.text);
            out.push(Gate {
                id,
                when: when.unwrap_or_default(),
                cap: cap.unwrap_or(0.0),
                reason,
                span,
            });
        }
        out
    }

    pub(super) fn tiers(&mut self, item: Option<&Item>) -> Vec<Tier> {
        let mut out = vec![];
        for (t, span) in self.tables(item, "tiers") {
            let name = self.require_id(t, "name", &span, "a [[tiers]] entry");
            let subject = format!("tier `{name}`");
            let subj = Some(subject.as_str());
            self.check_keys(t, TIER_KEYS, "[[tiers]]", subj);
            out.push(Tier {
                name,
                min: self.number(t, "min", subj),
                require: self.cond(t, "require", subj),
                action: self.string(t, "action", subj).map(|s| s.text),
                sla_hours: self.number(t, "sla_hours", subj),
                span,
            });
        }
        out
    }

    pub(super) fn review(&mut self, item: Option<&Item>) -> ReviewSettings {
        let mut r = ReviewSettings::default();
        let Some(t) = self.table(item, "review") else {
            return r;
        };
        self.check_keys(t, REVIEW_KEYS, "[review]", None);
        if let Some(v) = t.get("bands") {
            match self.numbers(v, "[review] `bands`") {
                // An entry out of range, reported above.
                Ok(None) => {}
                Ok(Some(e)) if e.len() >= 2 && e.windows(2).all(|w| w[0] < w[1]) => r.bands = e,
                _ => self.err(v.span(), None, "[review] `bands` must be at least two increasing numbers, e.g. [0, 20, 40, 60, 80, 100]"),
            }
        }
        r.qualified = self.string(t, "qualified", None).map(|s| s.text);
        r.capacity_per_week = self.number(t, "capacity_per_week", None);
        r
    }

    pub(super) fn segments(&mut self, item: Option<&Item>) -> Vec<Segment> {
        let mut out = vec![];
        for (t, span) in self.tables(item, "segments") {
            let id = self.require_id(t, "id", &span, "a [[segments]] entry");
            let subject = format!("segment `{id}`");
            let subj = Some(subject.as_str());
            self.check_keys(t, SEGMENT_KEYS, "[[segments]]", subj);
            let when = self.cond(t, "when", subj);
            if t.get("when").is_none() {
                self.err(Some(span.clone()), subj, "has no `when`");
            }
            out.push(Segment {
                id,
                when: when.unwrap_or_default(),
                span,
            });
        }
        out
    }
}
