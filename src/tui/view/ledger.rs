//! A lead's ledger (SPEC §5.1) over the main screen: score, tier, reasons,
//! what it lacks for the next tier, the rules that fired and how their
//! points add up to the score, the rules that did not fire, and the fields read.

use super::centered;
use super::style;
use crate::engine::Ledger;
use crate::fmt::fmt_num;
use crate::tui::app::{App, LedgerView, Pane};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

fn signed(x: f64) -> String {
    if x > 0.0 {
        format!("+{}", fmt_num(x))
    } else {
        fmt_num(x)
    }
}

fn section(title: &str) -> Line<'static> {
    Line::from(Span::styled(title.to_string(), style::HEADER))
}

/// The ledger as lines of text (also what the tests read).
pub fn lines(l: &Ledger, outcome: Option<bool>) -> Vec<Line<'static>> {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let outcome = match outcome {
        Some(true) => "converted",
        Some(false) => "did not convert",
        None => "outcome unknown",
    };
    let mut out = vec![Line::from(vec![
        Span::styled(format!("Score {}", fmt_num(l.score)), bold),
        Span::raw(" · tier "),
        Span::styled(l.tier.clone(), bold),
        Span::raw(format!(" · {outcome} · as of {}", l.as_of)),
    ])];
    if !l.reasons.is_empty() {
        out.push(Line::from(format!("Reasons: {}", l.reasons.join("; "))));
    }
    out.push(Line::from(""));
    match &l.next_tier {
        Some(n) => {
            out.push(section(&format!("What it lacks for {}", n.name)));
            for line in crate::report::next_tier_lines(n) {
                out.push(Line::from(format!("  {line}")));
            }
        }
        None => out.push(Line::from("Top tier: nothing above it.")),
    }
    for m in &l.tiers_above {
        out.push(Line::from(format!("  not {}: {}", m.name, m.why)));
    }

    out.push(Line::from(""));
    out.push(section(&format!(
        "{:<35} {:<10} {:>6}  {:<14} {:>7}",
        "Rules that fired", "group", "points", "decay", "adds"
    )));
    for r in l.rules.iter().filter(|r| r.fired) {
        let decay = match (r.decay_factor, r.decay_age) {
            (Some(f), Some(a)) => format!("{a}d ×{f:.3}"),
            (Some(_), None) => "date missing ×0".into(),
            _ => String::new(),
        };
        out.push(Line::from(format!(
            "  {:<33} {:<10} {:>6}  {:<14} {:>7}",
            r.id,
            r.group,
            fmt_num(r.points),
            decay,
            signed(r.contribution)
        )));
    }

    out.push(Line::from(""));
    out.push(section("How it adds up"));
    for g in &l.groups {
        let limit = if g.subtotal != g.sum {
            if g.cap.is_some_and(|c| g.sum > c) {
                format!("capped at {}", fmt_num(g.cap.unwrap_or(0.0)))
            } else {
                format!("floored at {}", fmt_num(g.floor.unwrap_or(0.0)))
            }
        } else {
            String::new()
        };
        out.push(Line::from(format!(
            "  {:<12} sum {:>7}  {:<16} → {:>7}",
            g.name,
            fmt_num(g.sum),
            limit,
            fmt_num(g.subtotal)
        )));
    }
    out.push(Line::from(format!(
        "  {:<44} {:>7}",
        "raw total",
        fmt_num(l.raw_total)
    )));
    for g in &l.gates {
        let label = g.reason.clone().unwrap_or_else(|| g.id.clone());
        out.push(Line::from(format!(
            "  {:<44} {:>7}",
            format!("gate {} (cap {}): {label}", g.id, fmt_num(g.cap)),
            fmt_num(g.after)
        )));
    }
    if l.score != l.gated_total {
        out.push(Line::from(format!(
            "  {:<44} {:>7}",
            format!(
                "clamped to {}..{}",
                fmt_num(l.score_range.0),
                fmt_num(l.score_range.1)
            ),
            fmt_num(l.score)
        )));
    }
    out.push(Line::from(Span::styled(
        format!("  {:<44} {:>7}", "score", fmt_num(l.score)),
        bold,
    )));

    out.push(Line::from(""));
    out.push(section(&format!(
        "{:<35} {:<10} {:>6}  {}",
        "Rules that did not fire", "group", "points", "condition"
    )));
    for r in l.rules.iter().filter(|r| !r.fired) {
        let why = if r.enabled {
            r.condition.to_string()
        } else {
            format!("{} (rule off)", r.condition)
        };
        out.push(Line::from(format!(
            "  {:<33} {:<10} {:>6}  {why}",
            r.id,
            r.group,
            fmt_num(r.points)
        )));
    }

    out.push(Line::from(""));
    out.push(section("Fields read"));
    for (name, v) in &l.fields {
        out.push(Line::from(format!(
            "  {:<33} {}",
            name,
            v.clone().unwrap_or_else(|| "(missing)".into())
        )));
    }
    out
}

pub fn render(app: &App, v: &LedgerView, frame: &mut Frame, area: Rect) {
    let rect = centered(
        area,
        area.width.saturating_sub(4).max(1),
        area.height.saturating_sub(2).max(1),
    );
    let inner_w = rect.width.saturating_sub(2) as usize;
    let lines: Vec<Line<'static>> = lines(&v.ledger, v.outcome)
        .into_iter()
        .map(|l| style::fit_line(l, inner_w))
        .collect();
    let inner_h = rect.height.saturating_sub(2) as usize;
    let scroll = v.scroll.min(lines.len().saturating_sub(inner_h));
    let list = match v.list {
        Pane::FalsePositives => "false positive",
        _ => "false negative",
    };
    let pos = app.selected(v.list) + 1;
    let of = app.leads(v.list).len();
    let title = format!(
        "Lead {} — ledger ({list} {} of {})",
        v.ledger.id,
        style::count(pos),
        style::count(of)
    );
    let room = inner_w.saturating_sub(2);
    let block = Block::bordered()
        .title(Span::styled(
            format!(" {} ", crate::fmt::text::fit(&title, room)),
            style::HEADER,
        ))
        .title_bottom(format!(
            " {} ",
            crate::fmt::text::fit("↑↓ scroll · n/p next/previous lead · Esc close", room)
        ));
    style::render_overlay(frame, rect, lines, block, scroll);
}
