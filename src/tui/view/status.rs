//! The status line: the last message (or the main keys), and on the right
//! how long the last rescore took or that one is running.
//!
//! A message longer than the window wraps onto more lines (up to
//! [`MAX_LINES`]; beyond, the last ends in `…`), so a saved file's path or
//! an error is never cut silently. The key hints are never cut inside a
//! hint: the timing shortens, then the last hints give way.

use super::style;
use crate::fmt::text::{fit, width};
use crate::tui::app::{App, StatusKind};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

/// A message takes at most this many lines.
pub const MAX_LINES: u16 = 3;

/// What a newcomer needs first, in order of need.
const HINTS: [&str; 8] = [
    "Tab:pane",
    "+-][:change",
    "Enter:value",
    "Space:on/off",
    "u:undo",
    "s:save",
    "?:keys",
    "q:quit",
];

fn message(app: &App) -> Option<(String, Style)> {
    match &app.status {
        Some((m, StatusKind::Error)) => Some((format!("error: {m}"), style::ERROR)),
        Some((m, StatusKind::Info)) => Some((m.clone(), Style::new())),
        None => None,
    }
}

/// The right-hand part: the timing in full, and a shorter form.
fn timing(app: &App) -> (String, String) {
    if app.busy() {
        let s = format!(" {} rescoring… ", SPINNER[app.ticks % SPINNER.len()]);
        (s.clone(), s)
    } else {
        let ms = app.figures.elapsed.as_millis();
        let verb = if app.figures.generation == 0 {
            "scored"
        } else {
            "rescored"
        };
        (format!(" {verb} in {ms} ms "), format!(" {ms} ms "))
    }
}

/// Words of `text` on lines of `first` columns, then `rest` columns; a word
/// longer than a line is split. At most `max` lines, the last cut with `…`.
fn wrap(text: &str, first: usize, rest: usize, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = vec![String::new()];
    let room = |i: usize| if i == 0 { first } else { rest }.max(1);
    for word in text.split(' ') {
        let i = lines.len() - 1;
        let cur = lines.last_mut().expect("one line at least");
        let sep = usize::from(!cur.is_empty());
        if width(cur) + sep + width(word) <= room(i) {
            if sep == 1 {
                cur.push(' ');
            }
            cur.push_str(word);
            continue;
        }
        // A new line, splitting a word too long for one.
        if cur.is_empty() {
            lines.pop();
        }
        let mut w = word.to_string();
        loop {
            let i = lines.len();
            let r = room(i);
            if width(&w) <= r {
                lines.push(w);
                break;
            }
            let head: String = {
                let mut out = String::new();
                for c in w.chars() {
                    if width(&out) + width(c.encode_utf8(&mut [0; 4])) > r {
                        break;
                    }
                    out.push(c);
                }
                out
            };
            w = w[head.len()..].to_string();
            lines.push(head);
        }
    }
    if lines.len() > max {
        lines.truncate(max);
        let last = lines.pop().unwrap_or_default();
        lines.push(fit(&format!("{last} …"), room(max - 1)));
    }
    lines
}

/// The lines of a message in a window `w` wide, the timing beside the first.
fn message_lines(msg: &str, w: usize, right_w: usize) -> Vec<String> {
    let text = crate::fmt::escape::terminal(msg).into_owned();
    wrap(
        &text,
        w.saturating_sub(right_w + 1),
        w.saturating_sub(1),
        MAX_LINES as usize,
    )
}

/// How many lines the status needs in a window `width` wide.
pub fn height(app: &App, width: u16) -> u16 {
    match message(app) {
        Some((m, _)) => {
            message_lines(&m, width as usize, timing(app).0.chars().count()).len() as u16
        }
        None => 1,
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let w = area.width as usize;
    let (full, short) = timing(app);
    let right_style = if app.busy() {
        style::CHANGED
    } else {
        Style::new().add_modifier(Modifier::DIM)
    };
    let lines = match message(app) {
        Some((m, msg_style)) => {
            let right_w = width(&full);
            message_lines(&m, w, right_w)
                .into_iter()
                .enumerate()
                .map(|(i, text)| {
                    let text = format!(" {text}");
                    if i == 0 {
                        let pad = w.saturating_sub(width(&text) + right_w);
                        Line::from(vec![
                            Span::styled(text, msg_style),
                            Span::raw(" ".repeat(pad)),
                            Span::styled(full.clone(), right_style),
                        ])
                    } else {
                        Line::from(Span::styled(text, msg_style))
                    }
                })
                .collect()
        }
        None => vec![hints_line(app, w, full, short, right_style)],
    };
    frame.render_widget(Paragraph::new(lines), area);
}

/// The key hints and the timing in `w` columns: all hints with the timing
/// in full if they fit, else the short timing, else (when no rescore runs)
/// none; then the hints a newcomer needs least give way (`?:keys` last).
fn hints_line(
    app: &App,
    w: usize,
    full: String,
    short: String,
    right_style: Style,
) -> Line<'static> {
    let mut rights = vec![full, short];
    if !app.busy() {
        rights.push(String::new());
    }
    let mut kept: Vec<&str> = HINTS.to_vec();
    let text = |kept: &[&str]| format!(" {}", kept.join(" "));
    let mut choice = None;
    'outer: loop {
        for r in &rights {
            if width(&text(&kept)) + width(r) <= w {
                choice = Some((text(&kept), r.clone()));
                break 'outer;
            }
        }
        match DROP_ORDER.iter().find(|h| kept.contains(h)) {
            Some(h) => kept.retain(|k| k != h),
            None => break,
        }
    }
    let (left, right) = choice.unwrap_or_else(|| (String::new(), fit(&rights[0], w)));
    let pad = w.saturating_sub(width(&left) + width(&right));
    Line::from(vec![
        Span::styled(left, style::DIM),
        Span::raw(" ".repeat(pad)),
        Span::styled(right, right_style),
    ])
}

/// Which hints give way first when the window is narrow.
const DROP_ORDER: [&str; 8] = [
    "Space:on/off",
    "u:undo",
    "Enter:value",
    "s:save",
    "+-][:change",
    "Tab:pane",
    "q:quit",
    "?:keys",
];

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn long_messages_wrap_by_words() {
        assert_eq!(
            wrap("saved a.toml · version 2", 40, 40, 3),
            ["saved a.toml · version 2"]
        );
        assert_eq!(
            wrap("saved a.toml · version 2", 12, 20, 3),
            ["saved a.toml", "· version 2"]
        );
        assert_eq!(wrap("abcdefghij", 4, 4, 3), ["abcd", "efgh", "ij"]);
        assert_eq!(wrap("one two three four five", 4, 5, 2), ["one", "two …"]);
    }
}
