//! The rules pane: every rule with its group, points (and the baseline's
//! where they differ), how many leads it fires on, their conversion rate and
//! lift. A `!` after the lift flags a rule whose points point the other way
//! from its evidence (positive points, converts below average; or the reverse).

use super::style::{self, lift};
use crate::fmt::num::counts_in;
use crate::fmt::text::{fit, width};
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
    let mut header = vec![
        Cell::from(""),
        Cell::from(label_head),
        Cell::from("group"),
        Cell::from(Line::from("pts").right_aligned()),
        Cell::from(Line::from("was").right_aligned()),
        Cell::from(Line::from("fires").right_aligned()),
        Cell::from(Line::from("conv").right_aligned()),
        Cell::from(Line::from("lift").right_aligned()),
    ];
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
        .max(3);
    // `was` only while some rule's points differ from the file's.
    let show_was = app.ruleset.rules.iter().enumerate().any(|(k, r)| {
        app.baseline_rule(k)
            .is_none_or(|(_, b)| b.points != r.points)
    });
    let inner = (area.width as usize).saturating_sub(2);
    // Fires in full with separators when the column has room, else every
    // one abbreviated alike.
    let evidence: Vec<_> = app
        .ruleset
        .rules
        .iter()
        .map(|r| app.figures.evidence_of(&r.id))
        .collect();
    let fires_full = evidence
        .iter()
        .flatten()
        .map(|e| crate::fmt::num::count(e.fires).len())
        .max()
        .unwrap_or(0)
        .max(5);
    let fires_w = if inner >= 60 {
        fires_full
    } else {
        fires_full.min(5)
    };
    let fires: Vec<u64> = evidence.iter().flatten().map(|e| e.fires as u64).collect();
    let mut fires = counts_in(&fires, fires_w).into_iter();
    let group_full = app
        .ruleset
        .rules
        .iter()
        .map(|r| width(&r.group))
        .max()
        .unwrap_or(0)
        .max(5);
    // What the columns after the label take: mark, group, points, was,
    // fires, conv, lift, and a space between columns.
    let others = |group_w: usize| {
        1 + group_w + pts_w + if show_was { pts_w + 1 } else { 0 } + fires_w + 6 + 5 + 6
    };
    // The label (id or reason) first; the group gets its full width when
    // the labels keep theirs (or at least 20 columns), and no less than 5.
    let label_need = app
        .ruleset
        .rules
        .iter()
        .map(|r| {
            let label = if app.show_reasons { r.label() } else { &r.id };
            width(label) + if r.enabled { 0 } else { 6 }
        })
        .max()
        .unwrap_or(0)
        .min(20);
    let room = inner.saturating_sub(others(group_full));
    let group_w = if room >= label_need {
        group_full
    } else {
        group_full.saturating_sub(label_need - room).max(5)
    };
    let label_w = inner.saturating_sub(others(group_w));
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
        let label = fit(&label, label_w);
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
        let ev = evidence[k];
        let (fires, conv, lift_text, flag) = match ev {
            Some(e) => {
                let against = e.labelled >= MIN_EVIDENCE
                    && e.lift.is_some_and(|l| {
                        (r.points > 0.0 && l < 1.0) || (r.points < 0.0 && l > 1.0)
                    });
                let fires = fires.next().unwrap_or_default();
                (fires, pct(e.rate), lift(e.lift), against)
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
        let mut cells = vec![
            Cell::from(mark).style(mark_style),
            Cell::from(label).style(label_style),
            Cell::from(fit(&r.group, group_w)).style(style::DIM),
            Cell::from(Line::from(fmt_num(r.points)).right_aligned()).style(pts_style),
            was,
            Cell::from(Line::from(fires).right_aligned()),
            Cell::from(Line::from(conv).right_aligned()),
            lift_cell,
        ];
        if !show_was {
            cells.remove(4);
        }
        Row::new(cells)
    });
    let mut widths = vec![
        Constraint::Length(1),
        Constraint::Length(label_w as u16),
        Constraint::Length(group_w as u16),
        Constraint::Length(pts_w as u16),
        Constraint::Length(pts_w as u16),
        Constraint::Length(fires_w as u16),
        Constraint::Length(6),
        Constraint::Length(5),
    ];
    if !show_was {
        widths.remove(4);
    }
    if !show_was {
        header.remove(4);
    }
    let header = Row::new(header).style(style::HEADER);
    let table = Table::new(rows, widths).header(header);
    let selection = (app.selected(Pane::Rules), app.ruleset.rules.len());
    style::render_pane_table(frame, area, table, title, focused, selection);
}
