//! `view`: draws the workbench from its state. It takes `&App`, so drawing
//! can never change what it draws. One file per pane.
//!
//! At 100×30 and up every pane is on screen: rules and tiers on the left,
//! headline figures, bands and misclassified leads on the right (and a chart
//! of conversion by band when there is height for it). Narrower, the focused
//! pane stands alone between the headline and the bands. Below
//! [`MIN_WIDTH`]×[`MIN_HEIGHT`] it asks for a larger window.

mod bands;
mod chart;
mod header;
mod headline;
mod help;
mod ledger;
mod levers;
mod misclassified;
mod prompt;
mod rules;
mod status;
pub mod style;
mod tiers;

use super::app::{App, Overlay, Pane};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
/// From this width on, all panes are side by side.
const WIDE: u16 = 96;

/// Draw the whole workbench.
pub fn view(app: &App, frame: &mut Frame) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small(frame, area);
        return;
    }
    // A long message takes more status lines, never more than a quarter
    // of the window.
    let status_h = status::height(app, area.width).min((area.height / 4).max(1));
    let [title, body, status_line] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(status_h),
    ])
    .areas(area);
    header::render(app, frame, title);
    status::render(app, frame, status_line);
    if area.width >= WIDE {
        wide(app, frame, body);
    } else {
        narrow(app, frame, body);
    }
    match &app.overlay {
        Overlay::None => {}
        Overlay::Help { scroll } => help::render(frame, area, *scroll),
        Overlay::Ledger(v) => ledger::render(app, v, frame, area),
        Overlay::Prompt(p) => prompt::render(app, p, frame, area),
        Overlay::QuitDialog => prompt::quit_dialog(app, frame, area),
        Overlay::DraftOffer(d) => prompt::draft_dialog(app, d, frame, area),
    }
}

fn wide(app: &App, frame: &mut Frame, body: Rect) {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)]).areas(body);
    let tiers_h = (app.ruleset.tiers.len() as u16 + 3).min(left.height / 3);
    let [rules_area, tiers_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(tiers_h)]).areas(left);
    rules::render(app, frame, rules_area);
    tiers::render(app, frame, tiers_area);

    // Right: headline, bands, misclassified, and the chart when there is room.
    let head_h = headline::height(app);
    let bands_h = bands::height(app);
    let rest = right.height.saturating_sub(head_h + bands_h);
    let chart_h = if rest >= 12 + chart::HEIGHT {
        chart::HEIGHT
    } else {
        0
    };
    let [h, b, c, m] = Layout::vertical([
        Constraint::Length(head_h),
        Constraint::Length(bands_h),
        Constraint::Length(chart_h),
        Constraint::Fill(1),
    ])
    .areas(right);
    headline::render(app, frame, h);
    bands::render(app, frame, b);
    if chart_h > 0 {
        chart::render(app, frame, c);
    }
    misclassified::render(app, frame, m);
}

/// One column: headline, the focused pane, bands.
fn narrow(app: &App, frame: &mut Frame, body: Rect) {
    let head_h = headline::compact_height(app);
    // The focused pane keeps at least five rows (a header and three rows);
    // the bands at least one row, scrolling (their title says which are shown).
    let bands_h = bands::height(app)
        .min(body.height.saturating_sub(head_h + 5))
        .max(bands::MIN_HEIGHT)
        .min(body.height.saturating_sub(head_h));
    let [h, pane, b] = Layout::vertical([
        Constraint::Length(head_h),
        Constraint::Fill(1),
        Constraint::Length(bands_h),
    ])
    .areas(body);
    headline::render_compact(app, frame, h);
    match app.pane {
        Pane::Rules => rules::render(app, frame, pane),
        Pane::Tiers => tiers::render(app, frame, pane),
        Pane::FalsePositives | Pane::FalseNegatives => misclassified::render(app, frame, pane),
    }
    bands::render(app, frame, b);
}

fn too_small(frame: &mut Frame, area: Rect) {
    let msg = format!(
        "Make the window larger: the workbench needs at least {MIN_WIDTH}×{MIN_HEIGHT} (now {}×{}). q quits.",
        area.width, area.height
    );
    let p = Paragraph::new(Line::from(msg)).wrap(Wrap { trim: true });
    frame.render_widget(p, area);
}

/// A centred rectangle of at most `w`×`h` inside `area`.
pub(crate) fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}
