//! The rules pane: every rule with its group, points (and the baseline's
//! where they differ), how many leads it fires on, their conversion rate and
//! lift. A `!` after the lift flags a rule whose points point the other way
//! from its evidence (positive points, converts below average; or the reverse).

use super::style::{self, lift, short_count};
use crate::fmt::{fmt_num, pct};
use crate::tui::app::{App, Pane};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

/// Evidence from fewer labelled leads than this is not flagged.
const MIN_EVIDENCE: usize = 30;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    if app.show_levers {
        return super::levers::render(app, frame, area);
    }
    let focused = app.pane == Pane::Rules;
    let n = app.ruleset.rules.len();
    let off = app.ruleset.rules.iter().filter(|r| !r.enabled).count();
    let title = if off > 0 {
        format!("Rules ({n}, {off} off)")
    } else {
        format!("Rules ({n})")
    };
    let label_head = if app.show_reasons { "reason" } else { "rule" };
    let header = Row::new(vec![
        Cell::from(""),
        Cell::from(label_head),
        Cell::from("group"),
        Cell::from(Line::from("pts").right_aligned()),
        Cell::from(Line::from("was").right_aligned()),
        Cell::from(Line::from("fires").right_aligned()),
        Cell::from(Line::from("conv").right_aligned()),
        Cell::from(Line::from("lift").right_aligned()),
    ])
    .style(style::HEADER);
    let group_w = app
        .ruleset
        .rules
        .iter()
        .map(|r| r.group.chars().count())
        .max()
        .unwrap_or(5)
        .clamp(5, if area.width >= 70 { 8 } else { 5 }) as u16;
    let rows = app.ruleset.rules.iter().enumerate().map(|(k, r)| {
        let base = app.baseline_rule(k).map(|(_, b)| b);
        let (mark, mark_style) = match base {
            None => ("+", style::CHANGED),
            Some(b) if !r.same_as(b) => ("*", style::CHANGED),
            _ => (" ", Style::new()),
        };
        let mut label = if app.show_reasons {
            r.label().to_string()
        } else {
            r.id.clone()
        };
        if !r.enabled {
            label = format!("[off] {label}");
        }
        let label_style = if r.enabled {
            Style::new()
        } else {
            style::DISABLED
        };
        let was = match base {
            None => Cell::from(Line::from("new").right_aligned()).style(style::CHANGED),
            Some(b) if b.points != r.points => {
                Cell::from(Line::from(fmt_num(b.points)).right_aligned()).style(style::DIM)
            }
            _ => Cell::from(""),
        };
        let pts_style = if base.is_some_and(|b| b.points == r.points) {
            Style::new()
        } else {
            style::CHANGED
        };
        let ev = app.figures.evidence_of(&r.id);
        let (fires, conv, lift_text, flag) = match ev {
            Some(e) => {
                let against = e.labelled >= MIN_EVIDENCE
                    && e.lift.is_some_and(|l| {
                        (r.points > 0.0 && l < 1.0) || (r.points < 0.0 && l > 1.0)
                    });
                (short_count(e.fires), pct(e.rate), lift(e.lift), against)
            }
            None => ("…".into(), "…".into(), "…".into(), false),
        };
        let lift_cell = if flag {
            Cell::from(
                Line::from(vec![Span::raw(lift_text), Span::styled("!", style::ERROR)])
                    .right_aligned(),
            )
        } else {
            Cell::from(Line::from(format!("{lift_text} ")).right_aligned())
        };
        Row::new(vec![
            Cell::from(mark).style(mark_style),
            Cell::from(label).style(label_style),
            Cell::from(r.group.clone()).style(style::DIM),
            Cell::from(Line::from(fmt_num(r.points)).right_aligned()).style(pts_style),
            was,
            Cell::from(Line::from(fires).right_aligned()),
            Cell::from(Line::from(conv).right_aligned()),
            lift_cell,
        ])
    });
    // Points as wide as the widest value (now or at baseline): a value cut
    // to fit would read as a different number.
    let pts_w = app
        .ruleset
        .rules
        .iter()
        .map(|r| r.points)
        .chain(app.baseline.rules.iter().map(|r| r.points))
        .map(|p| fmt_num(p).chars().count())
        .max()
        .unwrap_or(0)
        .max(4) as u16;
    let widths = [
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(group_w),
        Constraint::Length(pts_w),
        Constraint::Length(pts_w),
        Constraint::Length(5),
        Constraint::Length(6),
        Constraint::Length(5),
    ];
    let table = Table::new(rows, widths).header(header);
    let selection = (app.selected(Pane::Rules), app.ruleset.rules.len());
    style::render_pane_table(frame, area, table, title, focused, selection);
}
