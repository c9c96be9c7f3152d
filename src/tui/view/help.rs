//! The help screen, generated from the key table the dispatcher uses.

use super::centered;
use super::style;
use crate::tui::keys::in_help_order;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;

/// The help text: the key table by context.
pub fn lines() -> Vec<Line<'static>> {
    let mut out = vec![];
    let mut last = None;
    for b in in_help_order() {
        if last != Some(b.context) {
            if last.is_some() {
                out.push(Line::from(""));
            }
            out.push(Line::from(Span::styled(
                format!("In {}", b.context.name()),
                style::HEADER,
            )));
            last = Some(b.context);
        }
        let keys: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
        out.push(Line::from(format!("  {:<22} {}", keys.join(" "), b.help)));
    }
    out.push(Line::from(format!(
        "  {:<22} {}",
        "any character", "typed at the cursor"
    )));
    out
}

pub fn render(frame: &mut Frame, area: Rect, scroll: usize) {
    let rect = centered(area, 76, area.height.saturating_sub(2).max(1));
    let lines = lines();
    let inner_h = rect.height.saturating_sub(2) as usize;
    let scroll = scroll.min(lines.len().saturating_sub(inner_h));
    let block = Block::bordered()
        .title(Span::styled(" Keys ", style::HEADER))
        .title_bottom(" ↑↓ scroll · Esc close ");
    style::render_overlay(frame, rect, lines, block, scroll);
}
