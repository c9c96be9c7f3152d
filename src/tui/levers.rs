//! The model's levers besides points and tier minimums: each gate's cap,
//! each group's cap and floor, the qualified tier, the band edges and the
//! score range. `m` turns the rules pane into their list; they move with
//! the keys of points and thresholds (`+ - ] [`, Enter types a value, `0`
//! puts one back as it is in the file), each edit undoable and rescored.

use super::app::{App, Pane};
use super::edit::Done;
use super::effect::Effect;
use crate::fmt::fmt_num;
use crate::ruleset::{Group, NUMBER_RULE, Ruleset, number_problem};

/// One lever, named by what it belongs to (a gate by id, a group by name),
/// so that it stays the same lever whatever else changes.
#[derive(Debug, Clone, PartialEq)]
pub enum Lever {
    GateCap(String),
    GroupCap(String),
    GroupFloor(String),
    Qualified,
    /// The band edge at this index of `[review].bands`.
    Band(usize),
    RangeLow,
    RangeHigh,
}

impl Lever {
    /// Every lever of `rs`, in the order the list shows them.
    pub fn all(rs: &Ruleset) -> Vec<Lever> {
        let mut out: Vec<Lever> = rs
            .gates
            .iter()
            .map(|g| Lever::GateCap(g.id.clone()))
            .collect();
        for g in rs.group_names() {
            out.push(Lever::GroupCap(g.clone()));
            out.push(Lever::GroupFloor(g));
        }
        out.push(Lever::Qualified);
        out.extend((0..rs.review.bands.len()).map(Lever::Band));
        out.push(Lever::RangeLow);
        out.push(Lever::RangeHigh);
        out
    }

    /// What the list and the prompt call it: `gate no-email: cap`.
    pub fn label(&self) -> String {
        match self {
            Lever::GateCap(id) => format!("gate {id}: cap"),
            Lever::GroupCap(g) => format!("group {g}: cap"),
            Lever::GroupFloor(g) => format!("group {g}: floor"),
            Lever::Qualified => "qualified tier (and above)".into(),
            Lever::Band(i) => format!("band edge {}", i + 1),
            Lever::RangeLow => "score range: low".into(),
            Lever::RangeHigh => "score range: high".into(),
        }
    }

    /// Its value in `rs`, as shown and as the prompt opens on it (`none`
    /// for a cap or floor that is not set; `-` when `rs` lacks the lever).
    pub fn shown(&self, rs: &Ruleset) -> String {
        let opt = |x: Option<f64>| x.map_or("none".to_string(), fmt_num);
        match self {
            Lever::GateCap(id) => rs
                .gates
                .iter()
                .find(|g| &g.id == id)
                .map_or("-".into(), |g| fmt_num(g.cap)),
            Lever::GroupCap(name) => opt(group(rs, name).and_then(|g| g.cap)),
            Lever::GroupFloor(name) => opt(group(rs, name).and_then(|g| g.floor)),
            Lever::Qualified => rs
                .qualified_index()
                .and_then(|q| rs.tiers.get(q))
                .map_or("none".into(), |t| t.name.clone()),
            Lever::Band(i) => rs.review.bands.get(*i).map_or("-".into(), |x| fmt_num(*x)),
            Lever::RangeLow => fmt_num(rs.model.score_range.0),
            Lever::RangeHigh => fmt_num(rs.model.score_range.1),
        }
    }
}

fn group<'a>(rs: &'a Ruleset, name: &str) -> Option<&'a Group> {
    rs.groups.iter().find(|g| g.name == name)
}

/// A lever's new value.
enum NewValue {
    Number(f64),
    /// A cap or floor taken away.
    NoLimit,
    Tier(String),
}

impl App {
    /// The levers of the working copy.
    pub fn levers(&self) -> Vec<Lever> {
        Lever::all(&self.ruleset)
    }

    /// The lever under the cursor.
    pub fn selected_lever(&self) -> Option<Lever> {
        self.levers().into_iter().nth(self.lever_selected)
    }

    /// `m`: the rules pane shows the levers instead of the rules (and back).
    pub(crate) fn toggle_levers(&mut self) {
        self.pane = Pane::Rules;
        self.show_levers = !self.show_levers;
        self.clamp_selection();
    }

    /// `+ - ] [` on a lever: a number moves by `delta`; a cap or floor
    /// that is not set starts from where it changes nothing (the most or
    /// least the group's rules can add up to); the qualified tier moves
    /// one tier up (`+`, stricter) or down (`-`), round the list.
    pub(crate) fn nudge_lever(&mut self, delta: f64) -> Vec<Effect> {
        let Some(lever) = self.selected_lever() else {
            return vec![];
        };
        let rs = &self.ruleset;
        let new = match &lever {
            Lever::Qualified => {
                let n = rs.tiers.len();
                if n == 0 {
                    return vec![];
                }
                let q = rs.qualified_index().unwrap_or(n - 1);
                let to = if delta > 0.0 {
                    (q + n - 1) % n
                } else {
                    (q + 1) % n
                };
                NewValue::Tier(rs.tiers[to].name.clone())
            }
            Lever::GroupCap(g) | Lever::GroupFloor(g) => {
                let cap = matches!(lever, Lever::GroupCap(_));
                let now = group(rs, g).and_then(|x| if cap { x.cap } else { x.floor });
                let start = now.unwrap_or_else(|| {
                    let points = rs
                        .rules
                        .iter()
                        .filter(|r| &r.group == g && r.enabled)
                        .map(|r| r.points);
                    if cap {
                        points.filter(|p| *p > 0.0).sum()
                    } else {
                        points.filter(|p| *p < 0.0).sum()
                    }
                });
                NewValue::Number(start + delta)
            }
            other => match other.shown(rs).parse::<f64>() {
                Ok(x) => NewValue::Number(x + delta),
                Err(_) => return vec![],
            },
        };
        self.set_lever(&lever, new)
    }

    /// Enter on a lever: type its value.
    pub(crate) fn enter_lever(&mut self) {
        if let Some(lever) = self.selected_lever() {
            let v = lever.shown(&self.ruleset);
            self.open_prompt(super::app::PromptKind::Lever(lever), &v);
        }
    }

    /// A typed value for `lever`: applied, or why not (the prompt stays open).
    pub(crate) fn submit_lever(
        &mut self,
        lever: &Lever,
        text: &str,
    ) -> Result<Vec<Effect>, String> {
        let t = text.trim();
        let new = match lever {
            Lever::Qualified => {
                let names: Vec<&str> = self.ruleset.tiers.iter().map(|t| t.name.as_str()).collect();
                match names.iter().find(|n| n.eq_ignore_ascii_case(t)) {
                    Some(n) => NewValue::Tier(n.to_string()),
                    None => return Err(format!("type the name of a tier: {}", names.join(", "))),
                }
            }
            Lever::GroupCap(_) | Lever::GroupFloor(_)
                if t.is_empty() || t.eq_ignore_ascii_case("none") =>
            {
                NewValue::NoLimit
            }
            _ => match t.trim_start_matches('+').parse::<f64>() {
                Ok(x) => NewValue::Number(x),
                Err(_) => {
                    let none = if matches!(lever, Lever::GroupCap(_) | Lever::GroupFloor(_)) {
                        " (or none)"
                    } else {
                        ""
                    };
                    return Err(format!("type a number, like 40{none}"));
                }
            },
        };
        let before = self.undo.len();
        let effects = self.set_lever(lever, new);
        if self.undo.len() == before
            && let Some((msg, super::app::StatusKind::Error)) = &self.status
        {
            return Err(msg.clone());
        }
        Ok(effects)
    }

    /// `0` on a lever: back to its value in the file.
    pub(crate) fn reset_lever(&mut self) -> Vec<Effect> {
        let Some(lever) = self.selected_lever() else {
            return vec![];
        };
        let b = &self.baseline;
        let new = match &lever {
            Lever::GateCap(id) => match b.gates.iter().find(|g| &g.id == id) {
                Some(g) => NewValue::Number(g.cap),
                None => return vec![],
            },
            Lever::GroupCap(g) => group(b, g)
                .and_then(|x| x.cap)
                .map_or(NewValue::NoLimit, NewValue::Number),
            Lever::GroupFloor(g) => group(b, g)
                .and_then(|x| x.floor)
                .map_or(NewValue::NoLimit, NewValue::Number),
            Lever::Qualified => NewValue::Tier(lever.shown(b)),
            Lever::Band(i) => match b.review.bands.get(*i) {
                Some(x) => NewValue::Number(*x),
                None => return vec![],
            },
            Lever::RangeLow => NewValue::Number(b.model.score_range.0),
            Lever::RangeHigh => NewValue::Number(b.model.score_range.1),
        };
        self.set_lever(&lever, new)
    }

    /// Set one lever, as one undoable edit, checked as the loader checks
    /// the file (finite numbers within ±1e9, a cap not below its floor,
    /// band edges increasing, the score range's low below its high).
    fn set_lever(&mut self, lever: &Lever, new: NewValue) -> Vec<Effect> {
        let lever = lever.clone();
        self.edit(move |app| {
            let old = lever.shown(&app.ruleset);
            if let NewValue::Number(x) = new
                && let Some(problem) = number_problem(x)
            {
                return Err(format!("{} {problem}: {NUMBER_RULE}", lever.label()));
            }
            let rs = &mut app.ruleset;
            match (&lever, new) {
                (Lever::GateCap(id), NewValue::Number(x)) => {
                    let g = rs
                        .gates
                        .iter_mut()
                        .find(|g| &g.id == id)
                        .ok_or("no such gate")?;
                    g.cap = x;
                }
                (Lever::GroupCap(name) | Lever::GroupFloor(name), v) => {
                    let cap = matches!(lever, Lever::GroupCap(_));
                    let v = match v {
                        NewValue::Number(x) => Some(x),
                        _ => None,
                    };
                    if !rs.groups.iter().any(|g| &g.name == name) {
                        rs.groups.push(Group {
                            name: name.clone(),
                            cap: None,
                            floor: None,
                            span: 0..0,
                        });
                    }
                    let at = rs.groups.iter().position(|g| &g.name == name).unwrap_or(0);
                    let g = &mut rs.groups[at];
                    if cap {
                        g.cap = v;
                    } else {
                        g.floor = v;
                    }
                    if let (Some(c), Some(f)) = (g.cap, g.floor)
                        && c < f
                    {
                        return Err(format!(
                            "group {name}: a cap of {} would be below the floor of {}",
                            fmt_num(c),
                            fmt_num(f)
                        ));
                    }
                    // A group the file does not list, left without a cap or
                    // floor, is not listed either.
                    let in_file = app.baseline.groups.iter().any(|b| &b.name == name);
                    if g.cap.is_none() && g.floor.is_none() && !in_file {
                        rs.groups.remove(at);
                    }
                    app.refresh_groups()?;
                }
                (Lever::Qualified, NewValue::Tier(name)) => {
                    // Named as in the file when it is the tier the file's
                    // setting (or its default) names: no change to save.
                    rs.review.qualified = if lever.shown(&app.baseline) == name {
                        app.baseline.review.qualified.clone()
                    } else {
                        Some(name)
                    };
                }
                (Lever::Band(i), NewValue::Number(x)) => {
                    let bands = &mut rs.review.bands;
                    let slot = bands.get_mut(*i).ok_or("no such band edge")?;
                    *slot = x;
                    if !bands.windows(2).all(|w| w[0] < w[1]) {
                        return Err(format!(
                            "band edges must increase: {} does not",
                            list(bands)
                        ));
                    }
                }
                (Lever::RangeLow | Lever::RangeHigh, NewValue::Number(x)) => {
                    let r = &mut rs.model.score_range;
                    if matches!(lever, Lever::RangeLow) {
                        r.0 = x;
                    } else {
                        r.1 = x;
                    }
                    if r.0 >= r.1 {
                        return Err(format!(
                            "the score range's low must be below its high: [{}, {}] is not",
                            fmt_num(r.0),
                            fmt_num(r.1)
                        ));
                    }
                }
                _ => return Err(format!("{}: not a value it can take", lever.label())),
            }
            let now = lever.shown(&app.ruleset);
            if now == old {
                return Ok(None);
            }
            let label = lever.label();
            Ok(Some(Done::new(
                format!("{label} {old} → {now}"),
                format!("{label} back to {old}"),
            )))
        })
    }
}

/// `[0, 20, 40]`.
pub(crate) fn list(xs: &[f64]) -> String {
    let items: Vec<String> = xs.iter().map(|x| fmt_num(*x)).collect();
    format!("[{}]", items.join(", "))
}
