//! The title bar: model, file, data, reference date, unsaved changes.

use super::style::{self, count, pct};
use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let m = &app.ruleset.model;
    let name = m.name.clone().unwrap_or_else(|| "ruleset".into());
    let r = &app.figures.review;
    let left = format!(
        " {name} v{} · {} · as of {} · {} leads, {} converted ",
        app.baseline.model.version,
        app.ruleset_name(),
        app.as_of,
        count(r.leads),
        pct(r.base_rate),
    );
    let right = if app.dirty() {
        let n = app.changes.len();
        format!(" ● {n} unsaved change{} ", if n == 1 { "" } else { "s" })
    } else {
        " saved ".to_string()
    };
    let w = area.width as usize;
    let right_w = right.chars().count();
    let left: String = left.chars().take(w.saturating_sub(right_w)).collect();
    let pad = w.saturating_sub(left.chars().count() + right_w);
    let right_style = if app.dirty() {
        Style::new()
            .bg(Color::Yellow)
            .fg(Color::Black)
            .add_modifier(Modifier::BOLD)
    } else {
        style::TITLE_BAR
    };
    let line = Line::from(vec![
        Span::styled(left, style::TITLE_BAR),
        Span::styled(" ".repeat(pad), style::TITLE_BAR),
        Span::styled(right, right_style),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}
