//! The rules pane turned to the model's levers (`m`): each gate's cap, each
//! group's cap and floor, the qualified tier, the band edges and the score
//! range, with the value in the file (`was`) where it differs.

use super::style;
use crate::fmt::escape::terminal;
use crate::tui::app::{App, Pane};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.pane == Pane::Rules;
    let levers = app.levers();
    let changed_n = levers
        .iter()
        .filter(|l| l.shown(&app.ruleset) != l.shown(&app.baseline))
        .count();
    let title = if changed_n > 0 {
        format!(
            "Model levers ({}, {changed_n} changed) · m: rules",
            levers.len()
        )
    } else {
        format!("Model levers ({}) · m: rules", levers.len())
    };
    let header = Row::new(vec![
        Cell::from(""),
        Cell::from("lever"),
        Cell::from(Line::from("now").right_aligned()),
        Cell::from(Line::from("was").right_aligned()),
    ])
    .style(style::HEADER);
    let mut value_w = 4;
    let rows: Vec<Row> = levers
        .iter()
        .map(|l| {
            let now = l.shown(&app.ruleset);
            let was = l.shown(&app.baseline);
            let changed = now != was;
            value_w = value_w.max(now.chars().count()).max(was.chars().count());
            Row::new(vec![
                Cell::from(if changed { "*" } else { " " }).style(style::CHANGED),
                Cell::from(terminal(&l.label()).into_owned()),
                Cell::from(Line::from(terminal(&now).into_owned()).right_aligned()).style(
                    if changed {
                        style::CHANGED
                    } else {
                        Style::new()
                    },
                ),
                Cell::from(
                    Line::from(if changed {
                        terminal(&was).into_owned()
                    } else {
                        String::new()
                    })
                    .right_aligned(),
                )
                .style(style::DIM),
            ])
        })
        .collect();
    let value_w = value_w.min(12) as u16;
    let widths = [
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(value_w),
        Constraint::Length(value_w),
    ];
    let table = Table::new(rows, widths).header(header);
    let selection = (app.lever_selected, levers.len());
    style::render_pane_table(frame, area, table, title, focused, selection);
}
