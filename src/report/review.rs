//! `leadlab report`: the review as a text table, markdown or JSON (SPEC §7.2).

use super::grid::Grid;
use crate::data::LeadTable;
use crate::engine::{Compiled, NO_TIER, Scores, reasons};
use crate::fmt::{escape, fmt_num, opt_fixed, pct};
use crate::metrics::{Band, Review, RuleEvidence, SegmentStats, Stats, TierStats};
use crate::ruleset::Ruleset;
use serde::Serialize;

/// What a report is about: the files, the date, and the computed figures.
pub struct ReportInput<'a> {
    pub ruleset: &'a Ruleset,
    pub data_name: &'a str,
    pub as_of: chrono::NaiveDate,
    pub table: &'a LeadTable,
    pub compiled: &'a Compiled,
    pub scores: &'a Scores,
    pub review: &'a Review,
    /// Per-rule fire counts and conversion.
    pub rules: &'a [RuleEvidence],
    /// Data warnings (skipped rows, duplicate ids) shown with the metric warnings.
    pub data_warnings: &'a [String],
}

impl ReportInput<'_> {
    fn warnings(&self) -> Vec<String> {
        self.data_warnings
            .iter()
            .chain(&self.review.warnings)
            .cloned()
            .collect()
    }

    fn tier_name(&self, lead: usize) -> String {
        match self.scores.tier[lead] {
            NO_TIER => "none".to_string(),
            t => self.ruleset.tiers[t as usize].name.clone(),
        }
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    ruleset: &'a str,
    data: &'a str,
    as_of: String,
    leads: usize,
    labelled: usize,
    converted: usize,
    base_rate: Option<f64>,
    auc: Option<f64>,
    bands: &'a [Band],
    tiers: &'a [TierStats],
    qualified: &'a crate::metrics::Qualified,
    misclassified: Misclassified,
    segments: &'a [SegmentStats],
    rules: Vec<JsonRule<'a>>,
    per_week: Option<JsonPerWeek>,
    warnings: Vec<String>,
}

#[derive(Serialize)]
struct JsonRule<'a> {
    group: &'a str,
    points: f64,
    enabled: bool,
    #[serde(flatten)]
    evidence: &'a RuleEvidence,
}

#[derive(Serialize)]
struct JsonPerWeek {
    qualified: f64,
    capacity: Option<f64>,
}

#[derive(Serialize)]
struct Misclassified {
    false_positives: Vec<JsonLead>,
    false_negatives: Vec<JsonLead>,
}

#[derive(Serialize)]
struct JsonLead {
    id: String,
    score: f64,
    tier: String,
    reasons: Vec<String>,
}

pub fn json(r: &ReportInput) -> String {
    let lead = |&i: &usize| JsonLead {
        id: r.table.lead_id(i),
        score: r.scores.score[i],
        tier: r.tier_name(i),
        reasons: reasons(r.compiled, r.ruleset, i)
            .into_iter()
            .map(str::to_string)
            .collect(),
    };
    let rev = r.review;
    let doc = JsonReport {
        ruleset: &r.ruleset.path,
        data: r.data_name,
        as_of: r.as_of.format("%Y-%m-%d").to_string(),
        leads: rev.leads,
        labelled: rev.labelled,
        converted: rev.converted,
        base_rate: rev.base_rate,
        auc: rev.auc,
        bands: &rev.bands,
        tiers: &rev.tiers,
        qualified: &rev.qualified,
        misclassified: Misclassified {
            false_positives: rev.false_positives.iter().map(lead).collect(),
            false_negatives: rev.false_negatives.iter().map(lead).collect(),
        },
        segments: &rev.segments,
        rules: r
            .ruleset
            .rules
            .iter()
            .zip(r.rules)
            .map(|(rule, evidence)| JsonRule {
                group: &rule.group,
                points: rule.points,
                enabled: rule.enabled,
                evidence,
            })
            .collect(),
        per_week: rev.per_week.as_ref().map(|p| JsonPerWeek {
            qualified: p.qualified,
            capacity: p.capacity,
        }),
        warnings: r.warnings(),
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// Plain text (`markdown == false`) or markdown. Every name and value from
/// the user's files is escaped for the destination (tables escape their own
/// cells, see [`Grid`]).
pub fn text(r: &ReportInput, markdown: bool) -> String {
    let rev = r.review;
    let rs = r.ruleset;
    let mut out = String::new();
    let esc = |s: &str| -> String {
        if markdown {
            escape::markdown(s).into_owned()
        } else {
            escape::terminal(s).into_owned()
        }
    };
    let h = |title: &str| {
        if markdown {
            format!("\n## {title}\n\n")
        } else {
            format!("\n{title}\n")
        }
    };
    let grid = |g: &Grid| {
        if markdown {
            g.to_markdown()
        } else {
            g.to_text()
        }
    };
    let name = esc(rs.model.name.as_deref().unwrap_or("(unnamed model)"));
    if markdown {
        out.push_str(&format!("# {name} (version {})\n\n", rs.model.version));
    } else {
        out.push_str(&format!("{name} (version {})\n", rs.model.version));
    }
    out.push_str(&format!(
        "ruleset {} · data {} · as of {}\n",
        esc(&rs.path),
        esc(r.data_name),
        r.as_of.format("%Y-%m-%d")
    ));
    if markdown {
        out.push('\n');
    }
    if !r.table.has_outcome() {
        out.push_str(&format!(
            "{} leads; no outcome column ([data].outcome), so no metrics\n",
            rev.leads
        ));
    } else {
        out.push_str(&format!(
            "{} leads, {} with a known outcome, {} converted (base rate {}) · AUC {}\n",
            rev.leads,
            rev.labelled,
            rev.converted,
            pct(rev.base_rate),
            opt_fixed(rev.auc, 3)
        ));
        let q = &rev.qualified;
        out.push_str(&format!(
            "qualified ({} and above): {} leads · precision {} · recall {}\n",
            esc(q.tier.as_deref().unwrap_or("no tier")),
            q.leads,
            pct(q.precision),
            pct(q.recall)
        ));
    }
    if let Some(p) = &rev.per_week {
        let cap = p.capacity.map_or(String::new(), |c| {
            format!(" against a capacity of {}", fmt_num(c))
        });
        out.push_str(&format!(
            "volume: {} qualified leads per week{cap} (over {} weeks)\n",
            fmt_num(p.qualified),
            fmt_num(p.weeks)
        ));
    }
    if r.table.has_outcome() {
        out.push_str(&h("Score bands"));
        let mut g = stats_grid("band");
        let max_rate = rev
            .bands
            .iter()
            .filter_map(|b| b.stats.rate)
            .fold(0.0, f64::max);
        for b in &rev.bands {
            let label = format!("{}-{}", fmt_num(b.from), fmt_num(b.to));
            let mut row = stats_row(label, &b.stats);
            if !markdown {
                row.push(bar(b.stats.rate, max_rate, 20));
            }
            g.row(row);
        }
        if !markdown {
            g.header.push(String::new());
        }
        out.push_str(&grid(&g));
        out.push_str(&h("Tiers"));
        let mut g = stats_grid("tier");
        g.header.push("action".into());
        for t in &rev.tiers {
            let mut row = stats_row(t.name.clone(), &t.stats);
            let decl = rs.tiers.iter().find(|x| x.name == t.name);
            let action = decl.map_or(String::new(), |d| {
                let mut a = d.action.clone().unwrap_or_default();
                if let Some(s) = d.sla_hours {
                    a = format!("{a} (within {}h)", fmt_num(s)).trim().to_string();
                }
                a
            });
            row.push(action);
            g.row(row);
        }
        out.push_str(&grid(&g));
        if !rev.segments.is_empty() {
            out.push_str(&h("Segments"));
            let mut g = Grid::new(
                &[
                    "segment",
                    "leads",
                    "conv",
                    "rate",
                    "AUC",
                    "qualified",
                    "precision",
                    "recall",
                ],
                &[false, true, true, true, true, true, true, true],
            );
            for s in &rev.segments {
                g.row(vec![
                    s.id.clone(),
                    s.leads.to_string(),
                    s.converted.to_string(),
                    pct(s.rate),
                    opt_fixed(s.auc, 3),
                    s.qualified.to_string(),
                    pct(s.precision),
                    pct(s.recall),
                ]);
            }
            out.push_str(&grid(&g));
        }
        out.push_str(&h("Rules (leads each fires on, and how they convert)"));
        let mut g = Grid::new(
            &["rule", "group", "points", "fires", "conv", "rate", "lift"],
            &[false, false, true, true, true, true, true],
        );
        for (rule, e) in rs.rules.iter().zip(r.rules) {
            let points = if rule.enabled {
                fmt_num(rule.points)
            } else {
                format!("{} (off)", fmt_num(rule.points))
            };
            g.row(vec![
                rule.id.clone(),
                rule.group.clone(),
                points,
                e.fires.to_string(),
                e.converted.to_string(),
                pct(e.rate),
                opt_fixed(e.lift, 2),
            ]);
        }
        out.push_str(&grid(&g));
        for (title, leads) in [
            (
                "False positives (qualified, did not convert; highest score first)",
                &rev.false_positives,
            ),
            (
                "False negatives (not qualified, converted; lowest score first)",
                &rev.false_negatives,
            ),
        ] {
            out.push_str(&h(title));
            if leads.is_empty() {
                out.push_str("  none\n");
                continue;
            }
            let mut g = Grid::new(
                &["id", "score", "tier", "reasons"],
                &[false, true, false, false],
            );
            for &i in leads {
                g.row(vec![
                    r.table.lead_id(i),
                    fmt_num(r.scores.score[i]),
                    r.tier_name(i),
                    reasons(r.compiled, rs, i).join("; "),
                ]);
            }
            out.push_str(&grid(&g));
        }
    }
    let warnings = r.warnings();
    if !warnings.is_empty() {
        out.push_str(&h("Warnings"));
        for w in warnings {
            let bullet = if markdown { "-" } else { "  !" };
            out.push_str(&format!("{bullet} {}\n", esc(&w)));
        }
    }
    out
}

fn stats_grid(first: &str) -> Grid {
    Grid::new(
        &[first, "leads", "conv", "rate", "95% CI", "lift"],
        &[false, true, true, true, true, true],
    )
}

fn stats_row(label: String, s: &Stats) -> Vec<String> {
    let ci = match (s.ci_low, s.ci_high) {
        (Some(l), Some(h)) => format!("{}–{}", pct(Some(l)), pct(Some(h))),
        _ => "-".into(),
    };
    vec![
        label,
        s.leads.to_string(),
        s.converted.to_string(),
        pct(s.rate),
        ci,
        opt_fixed(s.lift, 2),
    ]
}

/// A bar of `width` cells proportional to `rate / max`.
pub fn bar(rate: Option<f64>, max: f64, width: usize) -> String {
    let Some(r) = rate else { return String::new() };
    if max <= 0.0 {
        return String::new();
    }
    let eighths = ((r / max) * (width * 8) as f64).round() as usize;
    let full = eighths / 8;
    let rest = eighths % 8;
    let mut s = "█".repeat(full);
    if rest > 0 {
        s.push(['▏', '▎', '▍', '▌', '▋', '▊', '▉'][rest - 1]);
    }
    s
}
