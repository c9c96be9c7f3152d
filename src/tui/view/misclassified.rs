//! The misclassified leads, side by side: false positives (qualified but did
//! not convert, highest score first) and false negatives (converted but not
//! qualified, lowest score first). Enter opens a lead's ledger.

use super::style::{self, count};
use crate::engine::NO_TIER;
use crate::tui::app::{App, Pane};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table};

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let [fp, fn_] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    list(app, frame, fp, Pane::FalsePositives);
    list(app, frame, fn_, Pane::FalseNegatives);
}

fn list(app: &App, frame: &mut Frame, area: Rect, pane: Pane) {
    let focused = app.pane == pane;
    let f = &app.figures;
    let (name, total) = match pane {
        Pane::FalsePositives => ("False pos.", f.false_positive_count()),
        _ => ("False neg.", f.false_negative_count()),
    };
    // Lead ids first; the tier only where there is room for it.
    let id_w = app
        .leads(pane)
        .iter()
        .map(|&l| app.table.lead_id(l).chars().count())
        .max()
        .unwrap_or(4)
        .clamp(4, 16) as u16;
    let show_tier = area.width.saturating_sub(2) >= id_w + 1 + 5 + 1 + 7;
    let rows = app.leads(pane).iter().map(|&lead| {
        let (score, t) = f.listed.get(&lead).copied().unwrap_or((f64::NAN, NO_TIER));
        let tier = if t == NO_TIER {
            "none".to_string()
        } else {
            f.ruleset
                .tiers
                .get(t as usize)
                .map_or(String::new(), |t| t.name.clone())
        };
        let mut cells = vec![
            Cell::from(app.table.lead_id(lead)),
            Cell::from(Line::from(score_text(score)).right_aligned()),
        ];
        if show_tier {
            cells.push(Cell::from(tier).style(style::DIM));
        }
        Row::new(cells)
    });
    let mut head = vec![
        Cell::from("lead"),
        Cell::from(Line::from("score").right_aligned()),
    ];
    let mut widths = vec![Constraint::Length(id_w), Constraint::Length(5)];
    if show_tier {
        head.push(Cell::from("tier"));
        widths.push(Constraint::Fill(1));
    }
    let header = Row::new(head).style(style::HEADER);
    let table = Table::new(rows, widths).header(header);
    let selection = (app.selected(pane), app.leads(pane).len());
    style::render_pane_table(
        frame,
        area,
        table,
        format!("{name} {}", count(total)),
        focused,
        selection,
    );
}

/// A score with at most one decimal: `100`, `99.6`.
fn score_text(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}
