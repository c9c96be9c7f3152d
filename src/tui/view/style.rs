//! Styles and number formats shared by the panes. Colours help but never
//! carry meaning alone (a projector washes them out): changes also get a
//! `*` or an arrow, the focused pane a thick border, the selection reverse video.

use crate::fmt::text::{self, fit};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

pub use crate::fmt::num::count;
use ratatui::widgets::{Block, BorderType};

pub const HEADER: Style = Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD);
pub const CHANGED: Style = Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD);
pub const UP: Style = Style::new().fg(Color::Green);
pub const DOWN: Style = Style::new().fg(Color::Red);
pub const DIM: Style = Style::new().fg(Color::DarkGray);
pub const ERROR: Style = Style::new().fg(Color::Red).add_modifier(Modifier::BOLD);
pub const SELECTED: Style = Style::new().add_modifier(Modifier::REVERSED);
pub const SELECTED_UNFOCUSED: Style = Style::new().add_modifier(Modifier::UNDERLINED);
pub const DISABLED: Style = Style::new()
    .fg(Color::DarkGray)
    .add_modifier(Modifier::CROSSED_OUT);
pub const BAR: Style = Style::new().fg(Color::Blue);
pub const TITLE_BAR: Style = Style::new()
    .bg(Color::Blue)
    .fg(Color::White)
    .add_modifier(Modifier::BOLD);

/// A pane's frame: thick and marked `▶` when it has the focus. The title
/// is fitted to the frame's `width` (cut with `…`), so that it never runs
/// into the corner however large the counts in it.
pub fn pane<'a>(title: impl Into<String>, focused: bool, width: u16) -> Block<'a> {
    // Two corners, the marker or the spaces around the title, one `─` left.
    let room = (width as usize).saturating_sub(5);
    let title = fit(&title.into(), room);
    if focused {
        Block::bordered()
            .border_type(BorderType::Thick)
            .title(Span::styled(format!("▶ {title} "), HEADER))
    } else {
        Block::bordered().title(Span::styled(
            format!(" {title} "),
            Style::new().add_modifier(Modifier::BOLD),
        ))
    }
}

/// A line cut to `width` columns, its last span ending in `…` where cut.
pub fn fit_line(line: Line<'static>, width: usize) -> Line<'static> {
    let mut left = width;
    let mut spans = Vec::new();
    let total: usize = line.spans.iter().map(|s| text::width(&s.content)).sum();
    if total <= width {
        return line;
    }
    for s in line.spans {
        let w = text::width(&s.content);
        if w < left {
            left -= w;
            spans.push(s);
        } else {
            spans.push(Span::styled(fit(&format!("{}…", s.content), left), s.style));
            break;
        }
    }
    Line::from(spans).style(line.style)
}

/// Lift as `1.25` (two decimals: 0.96 must not read as 1).
pub fn lift(x: Option<f64>) -> String {
    x.map_or("-".into(), |v| format!("{v:.2}"))
}

/// The change from `base` to `now`: an arrow and the signed difference,
/// styled up or down; empty when there is no change. `scale` turns rates
/// into percentage points (100) and leaves other figures alone (1).
pub fn delta(now: Option<f64>, base: Option<f64>, digits: usize, scale: f64) -> (String, Style) {
    match (now, base) {
        (Some(n), Some(b)) => {
            let d = (n - b) * scale;
            let shown = crate::fmt::num::fixed_thousands(d.abs(), digits);
            if shown.trim_start_matches(['0', '.']).is_empty() {
                return (String::new(), Style::new());
            }
            if d > 0.0 {
                (format!("▲{shown}"), UP)
            } else {
                (format!("▼{shown}"), DOWN)
            }
        }
        _ => (String::new(), Style::new()),
    }
}

/// Draw a pane's list: its block and title, the selected row highlighted
/// (dimmer when the pane does not have the focus), scrolled to keep the
/// selection in view. Rules, tiers and the lead lists all look alike.
pub fn render_pane_table(
    frame: &mut ratatui::Frame,
    area: ratatui::layout::Rect,
    table: ratatui::widgets::Table,
    title: String,
    focused: bool,
    (selected, rows): (usize, usize),
) {
    let table = table
        .column_spacing(1)
        .block(pane(title, focused, area.width))
        .row_highlight_style(if focused {
            SELECTED
        } else {
            SELECTED_UNFOCUSED
        });
    let mut state = table_state(selected, rows, area.height, 3);
    frame.render_stateful_widget(table, area, &mut state);
}

/// The table state for a list of `rows` drawn in `area_height` rows, of
/// which `chrome` are borders and the header: the selection stays near the
/// middle once the list scrolls, so the rows around it stay in view.
pub fn table_state(
    selected: usize,
    rows: usize,
    area_height: u16,
    chrome: u16,
) -> ratatui::widgets::TableState {
    let visible = area_height.saturating_sub(chrome).max(1) as usize;
    let max_offset = rows.saturating_sub(visible);
    let offset = selected.saturating_sub(visible / 2).min(max_offset);
    ratatui::widgets::TableState::default()
        .with_offset(offset)
        .with_selected((rows > 0).then_some(selected))
}

/// Draw a scrolling overlay: a double-bordered box over whatever is below.
pub fn render_overlay(
    frame: &mut ratatui::Frame,
    rect: ratatui::layout::Rect,
    lines: Vec<ratatui::text::Line<'static>>,
    block: ratatui::widgets::Block<'_>,
    scroll: usize,
) {
    use ratatui::widgets::{BorderType, Clear, Paragraph};
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block.border_type(BorderType::Double))
            .scroll((scroll.min(u16::MAX as usize) as u16, 0)),
        rect,
    );
}
