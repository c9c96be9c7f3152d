//! The status line: the last message (or the main keys), and on the right
//! how long the last rescore took or that one is running.

use super::style;
use crate::tui::app::{App, StatusKind};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let right = if app.busy() {
        format!(" {} rescoring… ", SPINNER[app.ticks % SPINNER.len()])
    } else if app.figures.generation == 0 {
        format!(" scored in {} ms ", app.figures.elapsed.as_millis())
    } else {
        format!(" rescored in {} ms ", app.figures.elapsed.as_millis())
    };
    let (msg, msg_style) = match &app.status {
        Some((m, StatusKind::Error)) => (format!(" error: {m}"), style::ERROR),
        Some((m, StatusKind::Info)) => (format!(" {m}"), Style::new()),
        None => (
            " Tab:pane  +-][:change  Enter:value  Space:on/off  u:undo  s:save  ?:keys  q:quit"
                .into(),
            style::DIM,
        ),
    };
    let w = area.width as usize;
    let right_w = right.chars().count();
    let msg: String = msg.chars().take(w.saturating_sub(right_w)).collect();
    let pad = w.saturating_sub(msg.chars().count() + right_w);
    let right_style = if app.busy() {
        style::CHANGED
    } else {
        Style::new().add_modifier(Modifier::DIM)
    };
    let line = Line::from(vec![
        Span::styled(msg, msg_style),
        Span::raw(" ".repeat(pad)),
        Span::styled(right, right_style),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}
