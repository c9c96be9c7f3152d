//! The title bar: model, file, data, reference date, unsaved changes.

use super::style::{self, count};
use crate::fmt::pct;
use crate::fmt::text::{fit, width};
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
    let right = if app.dirty() {
        let n = app.changes.len();
        format!(" ● {n} unsaved change{} ", if n == 1 { "" } else { "s" })
    } else {
        " no changes ".to_string()
    };
    // As many parts as fit, most important first.
    let parts = [
        format!("{name} v{}", app.baseline.model.version),
        app.ruleset_name(),
        format!("{} leads, {} converted", count(r.leads), pct(r.base_rate)),
        format!("as of {}", app.as_of),
    ];
    let w = area.width as usize;
    let right_w = right.chars().count();
    let room = w.saturating_sub(right_w + 1);
    let mut left = String::new();
    for p in &parts {
        let next = if left.is_empty() {
            format!(" {p}")
        } else {
            format!("{left} · {p}")
        };
        if width(&next) > room && !left.is_empty() {
            break;
        }
        left = next;
    }
    let left = fit(&left, room);
    let pad = w.saturating_sub(width(&left) + right_w);
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
