//! The tiers pane: thresholds (and the baseline's where changed),
//! requirements, how many known leads land in each tier and how they
//! convert, and what sales does with them.

use super::style::{self, count};
use crate::fmt::{fmt_num, pct};
use crate::tui::app::{App, Pane};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.pane == Pane::Tiers;
    let header = Row::new(vec![
        Cell::from(""),
        Cell::from("tier"),
        Cell::from(Line::from("min").right_aligned()),
        Cell::from(Line::from("was").right_aligned()),
        Cell::from("requires"),
        Cell::from(Line::from("leads").right_aligned()),
        Cell::from(Line::from("conv").right_aligned()),
        Cell::from("action / SLA"),
    ])
    .style(style::HEADER);
    let q = app.ruleset.qualified_index();
    let rows = app.ruleset.tiers.iter().enumerate().map(|(k, t)| {
        let base = app.baseline_tier(k).map(|b| b.min);
        let changed = base != Some(t.min);
        let stats = app
            .figures
            .review
            .tiers
            .iter()
            .find(|s| s.name == t.name)
            .map(|s| s.stats);
        let mut action = t.action.clone().unwrap_or_default();
        if let Some(h) = t.sla_hours {
            action = if action.is_empty() {
                format!("{}h", fmt_num(h))
            } else {
                format!("{}h · {action}", fmt_num(h))
            };
        }
        let name = if q.is_some_and(|q| k <= q) {
            format!("{} ✓", t.name)
        } else {
            t.name.clone()
        };
        Row::new(vec![
            Cell::from(if changed { "*" } else { " " }).style(style::CHANGED),
            Cell::from(name),
            Cell::from(Line::from(t.min.map_or("-".into(), fmt_num)).right_aligned()).style(
                if changed {
                    style::CHANGED
                } else {
                    Style::new()
                },
            ),
            Cell::from(
                Line::from(match base {
                    Some(b) if changed => b.map_or("-".into(), fmt_num),
                    _ => String::new(),
                })
                .right_aligned(),
            )
            .style(style::DIM),
            Cell::from(t.require.as_ref().map_or(String::new(), |r| r.text.clone())),
            Cell::from(Line::from(stats.map_or("-".into(), |s| count(s.leads))).right_aligned()),
            Cell::from(Line::from(pct(stats.and_then(|s| s.rate))).right_aligned()),
            Cell::from(action).style(style::DIM),
        ])
    });
    // Thresholds and counts as wide as they need to be: a value cut to fit
    // would read as a different number.
    let min_w = app
        .ruleset
        .tiers
        .iter()
        .chain(&app.baseline.tiers)
        .map(|t| t.min.map_or(1, |m| fmt_num(m).chars().count()))
        .max()
        .unwrap_or(0)
        .max(4) as u16;
    let leads_w = app
        .figures
        .review
        .tiers
        .iter()
        .map(|t| count(t.stats.leads).chars().count())
        .max()
        .unwrap_or(0)
        .max(6) as u16;
    let widths = [
        Constraint::Length(1),
        Constraint::Length(
            app.ruleset
                .tiers
                .iter()
                .map(|t| t.name.chars().count() + 2)
                .max()
                .unwrap_or(4)
                .clamp(4, 12) as u16,
        ),
        Constraint::Length(min_w),
        Constraint::Length(min_w),
        Constraint::Length(
            app.ruleset
                .tiers
                .iter()
                .filter_map(|t| t.require.as_ref())
                .map(|r| r.text.chars().count())
                .max()
                .unwrap_or(0)
                .clamp(8, 20) as u16,
        ),
        Constraint::Length(leads_w),
        Constraint::Length(6),
        Constraint::Fill(1),
    ];
    let title = match q {
        Some(k) => format!(
            "Tiers (✓ qualified: {} and above)",
            app.ruleset.tiers[k].name
        ),
        None => "Tiers".to_string(),
    };
    let table = Table::new(rows, widths).header(header);
    let selection = (app.selected(Pane::Tiers), app.ruleset.tiers.len());
    style::render_pane_table(frame, area, table, title, focused, selection);
}
