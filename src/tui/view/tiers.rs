//! The tiers pane: thresholds (and the baseline's where changed),
//! requirements, how many known leads land in each tier and how they
//! convert, and what sales does with them.

use super::style::{self, count};
use crate::fmt::text::{fit, width};
use crate::fmt::{fmt_num, pct};
use crate::tui::app::{App, Pane};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.pane == Pane::Tiers;
    let q = app.ruleset.qualified_index();
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
        .max(3);
    let leads_w = app
        .figures
        .review
        .tiers
        .iter()
        .map(|t| count(t.stats.leads).chars().count())
        .max()
        .unwrap_or(0)
        .max(5);
    let name_full = app
        .ruleset
        .tiers
        .iter()
        .map(|t| width(&t.name) + 2)
        .max()
        .unwrap_or(4)
        .max(4);
    let req_full = app
        .ruleset
        .tiers
        .iter()
        .filter_map(|t| t.require.as_ref())
        .map(|r| width(&r.text))
        .max()
        .unwrap_or(0)
        .max(8);
    // Names, requirements and actions share what the figures leave; the
    // action (what sales does) keeps at least 16 columns when it can.
    // `was` only while some tier's minimum differs from the file's.
    let show_was = (0..app.ruleset.tiers.len())
        .any(|k| app.baseline_tier(k).map(|b| b.min) != Some(app.ruleset.tiers[k].min));
    let inner = (area.width as usize).saturating_sub(2);
    let fixed = 1 + min_w + if show_was { min_w + 1 } else { 0 } + leads_w + 6 + 5;
    let flexible = inner.saturating_sub(fixed);
    let name_w = name_full
        .min(flexible.saturating_sub(8 + 16).max(6))
        .min(name_full);
    // No column for requirements when no tier has one.
    let show_req = app.ruleset.tiers.iter().any(|t| t.require.is_some());
    let req_w = if show_req {
        req_full.min(flexible.saturating_sub(name_w + 16).max(8)) + 1
    } else {
        0
    };
    let action_w = flexible.saturating_sub(name_w + req_w);
    let mut header = vec![
        Cell::from(""),
        Cell::from("tier"),
        Cell::from(Line::from("min").right_aligned()),
        Cell::from(Line::from("was").right_aligned()),
        Cell::from(fit("requires", req_w.saturating_sub(1))),
        Cell::from(Line::from("leads").right_aligned()),
        Cell::from(Line::from("conv").right_aligned()),
        Cell::from(fit("action / SLA", action_w)),
    ];
    if !show_req {
        header.remove(4);
    }
    if !show_was {
        header.remove(3);
    }
    let header = Row::new(header).style(style::HEADER);
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
            format!("{} ✓", fit(&t.name, name_w.saturating_sub(2)))
        } else {
            fit(&t.name, name_w)
        };
        let mut cells = vec![
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
            Cell::from(
                t.require
                    .as_ref()
                    .map_or(String::new(), |r| fit(&r.text, req_w.saturating_sub(1))),
            ),
            Cell::from(Line::from(stats.map_or("-".into(), |s| count(s.leads))).right_aligned()),
            Cell::from(Line::from(pct(stats.and_then(|s| s.rate))).right_aligned()),
            Cell::from(fit(&action, action_w)).style(style::DIM),
        ];
        if !show_req {
            cells.remove(4);
        }
        if !show_was {
            cells.remove(3);
        }
        Row::new(cells)
    });
    let mut widths = vec![
        Constraint::Length(1),
        Constraint::Length(name_w as u16),
        Constraint::Length(min_w as u16),
        Constraint::Length(min_w as u16),
        Constraint::Length(req_w.saturating_sub(1) as u16),
        Constraint::Length(leads_w as u16),
        Constraint::Length(6),
        Constraint::Length(action_w as u16),
    ];
    if !show_req {
        widths.remove(4);
    }
    if !show_was {
        widths.remove(3);
    }
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
