//! The misclassified leads: false positives (qualified but did not
//! convert, highest score first) and false negatives (converted but not
//! qualified, lowest score first). Enter opens a lead's ledger.
//!
//! Lead ids are shown in full when the window has the room (a UUID takes
//! 36 columns), then the tier, then the reasons the lead scored as it did;
//! side by side when both lists fit so, else one above the other.

use super::style::{self, count};
use crate::engine::NO_TIER;
use crate::fmt::text::{fit, width};
use crate::tui::app::{App, Pane};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Cell, Row, Table};

/// Width of the score column (`100`, `99.6`).
const SCORE_W: usize = 5;
/// Reasons are shown only with at least this many columns for them.
const MIN_REASONS_W: usize = 20;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let id_full = [Pane::FalsePositives, Pane::FalseNegatives]
        .iter()
        .flat_map(|&p| app.leads(p).iter())
        .map(|&l| width(&app.table.lead_id(l)))
        .max()
        .unwrap_or(4)
        .max(4);
    let tier_full = tier_width(app);
    // Everything a row can show: id, score, tier and reasons.
    let full = 2 + id_full + 1 + SCORE_W + 1 + tier_full + 1 + MIN_REASONS_W;
    // Ids whole.
    let ids = 2 + id_full + 1 + SCORE_W;
    let half = (area.width / 2) as usize;
    let width = area.width as usize;
    // Side by side (more leads in view) unless stacking is what shows the
    // reasons, or the ids whole, and there is the height for it.
    let stack = if half >= full {
        false
    } else if width >= full && area.height >= 16 {
        true
    } else {
        half < ids && area.height >= 12
    };
    let [a, b] = if stack {
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area)
    } else {
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area)
    };
    list(app, frame, a, Pane::FalsePositives, id_full);
    list(app, frame, b, Pane::FalseNegatives, id_full);
}

fn list(app: &App, frame: &mut Frame, area: Rect, pane: Pane, id_full: usize) {
    let focused = app.pane == pane;
    let f = &app.figures;
    let (name, total) = match pane {
        Pane::FalsePositives => ("False pos.", f.false_positive_count()),
        _ => ("False neg.", f.false_negative_count()),
    };
    let tier_name = |t: u32| {
        if t == NO_TIER {
            "none".to_string()
        } else {
            f.ruleset
                .tiers
                .get(t as usize)
                .map_or(String::new(), |t| t.name.clone())
        }
    };
    let tier_full = tier_width(app);
    // Lead ids first (whole when they fit), then the tier, then reasons.
    let inner = (area.width as usize).saturating_sub(2);
    let id_w = id_full.min(inner.saturating_sub(1 + SCORE_W)).max(4);
    let after_id = inner.saturating_sub(id_w + 1 + SCORE_W);
    let show_tier = after_id > tier_full;
    let reasons_w = after_id.saturating_sub(if show_tier { tier_full + 1 } else { 0 } + 1);
    let show_reasons = show_tier && reasons_w >= MIN_REASONS_W;

    let leads = app.leads(pane);
    let state = style::table_state(app.selected(pane), leads.len(), area.height, 3);
    let visible = state.offset()..state.offset() + area.height as usize;
    let rows = leads.iter().enumerate().map(|(i, &lead)| {
        let (score, t) = f.listed.get(&lead).copied().unwrap_or((f64::NAN, NO_TIER));
        let mut cells = vec![
            Cell::from(fit(&app.table.lead_id(lead), id_w)),
            Cell::from(Line::from(score_text(score)).right_aligned()),
        ];
        if show_tier {
            cells.push(Cell::from(fit(&tier_name(t), tier_full)).style(style::DIM));
        }
        // Reasons only for the rows on screen: each is a look at one lead.
        if show_reasons && visible.contains(&i) {
            let reasons = crate::engine::reasons(&f.compiled, &f.ruleset, lead).join("; ");
            cells.push(Cell::from(fit(&reasons, reasons_w)));
        }
        Row::new(cells)
    });
    let mut head = vec![
        Cell::from("lead"),
        Cell::from(Line::from("score").right_aligned()),
    ];
    let mut widths = vec![
        Constraint::Length(id_w as u16),
        Constraint::Length(SCORE_W as u16),
    ];
    if show_tier {
        head.push(Cell::from("tier"));
        widths.push(Constraint::Length(tier_full as u16));
    }
    if show_reasons {
        head.push(Cell::from("reasons"));
        widths.push(Constraint::Length(reasons_w as u16));
    }
    let header = Row::new(head).style(style::HEADER);
    let table = Table::new(rows, widths).header(header);
    let selection = (app.selected(pane), leads.len());
    style::render_pane_table(
        frame,
        area,
        table,
        format!("{name} {}", count(total)),
        focused,
        selection,
    );
}

/// The tier column: as wide as the longest tier name (or `none`).
fn tier_width(app: &App) -> usize {
    app.figures
        .ruleset
        .tiers
        .iter()
        .map(|t| width(&t.name))
        .max()
        .unwrap_or(0)
        .max(4)
}

/// A score with at most one decimal: `100`, `99.6`.
fn score_text(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}
