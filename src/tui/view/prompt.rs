//! Prompts (a value, a condition, a note, a path), the quit dialog and the
//! offer of a draft of unsaved edits.
//!
//! A condition is checked as it is typed: the offending text is shown in
//! reverse video with the error's column and message below; the rule keeps
//! its old condition until Enter accepts a valid one.

use super::centered;
use super::style;
use crate::tui::app::{App, CondCheck, Prompt, PromptKind};
use crate::tui::draft::DraftOffer;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

fn title(app: &App, p: &Prompt) -> String {
    let kind = &p.kind;
    let rule = |k: &usize| {
        app.ruleset
            .rules
            .get(*k)
            .map_or(String::new(), |r| r.id.clone())
    };
    match kind {
        PromptKind::Points(k) => format!("Points for {}", rule(k)),
        PromptKind::TierMin(k) => format!(
            "Minimum score for tier {}",
            app.ruleset.tiers.get(*k).map_or("", |t| t.name.as_str())
        ),
        PromptKind::Condition(k) if p.adding => format!(
            "New rule in group {}: condition (checked as you type)",
            app.ruleset
                .rules
                .get(*k)
                .map_or(String::new(), |r| r.group.clone())
        ),
        PromptKind::Condition(k) => format!("Condition of {} (checked as you type)", rule(k)),
        PromptKind::Group(k) => format!("Group of {}", rule(k)),
        PromptKind::Reason(k) => format!("Reason for {} (what sales sees)", rule(k)),
        PromptKind::RuleId(k) => format!("Id of {}", rule(k)),
        PromptKind::Lever(l @ crate::tui::levers::Lever::Qualified) => {
            let names: Vec<&str> = app.ruleset.tiers.iter().map(|t| t.name.as_str()).collect();
            format!("{}: one of {}", capitalized(&l.label()), names.join(", "))
        }
        PromptKind::Lever(
            l @ (crate::tui::levers::Lever::GroupCap(_) | crate::tui::levers::Lever::GroupFloor(_)),
        ) => format!(
            "{} (a number, or none) · in the file: {}",
            capitalized(&l.label()),
            l.shown(&app.baseline)
        ),
        PromptKind::Lever(l) => format!(
            "{} · in the file: {}",
            capitalized(&l.label()),
            l.shown(&app.baseline)
        ),
        PromptKind::Note => "Save: a one-line note for the changelog".into(),
        PromptKind::SavePath { .. } => "Save as (a new file)".into(),
    }
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
}

/// The input split into rows of `w` characters, with the error's characters
/// marked; returns the lines and the cursor's row and column.
fn wrapped(p: &Prompt, w: usize) -> (Vec<Line<'static>>, usize, usize) {
    let text = p.text_box.text();
    let chars: Vec<char> = text.chars().collect();
    // The error's span in characters (its position is in bytes).
    let err = match &p.check {
        Some(CondCheck::Invalid(e)) => {
            let start = text.char_indices().take_while(|(b, _)| *b < e.pos).count();
            let end = text
                .char_indices()
                .take_while(|(b, _)| *b < e.pos + e.len.max(1))
                .count()
                .max(start + 1);
            Some((start, end))
        }
        _ => None,
    };
    let mark = Style::new()
        .add_modifier(Modifier::REVERSED)
        .patch(style::ERROR);
    // A prefilled value is shown selected: typing replaces it.
    let selected = p.text_box.all_selected().then_some(chars.len());
    let w = w.max(1);
    // One extra cell for the cursor (or an error) past the end.
    let cells = chars.len() + 1;
    let mut lines = vec![];
    for row_start in (0..cells).step_by(w) {
        let mut spans = vec![];
        for i in row_start..(row_start + w).min(cells) {
            let c = chars.get(i).copied().unwrap_or(' ');
            let marked = err.is_some_and(|(s, e)| i >= s && i < e);
            let style = if marked {
                mark
            } else if selected.is_some_and(|n| i < n) {
                style::SELECTED
            } else {
                Style::new()
            };
            spans.push(Span::styled(c.to_string(), style));
        }
        lines.push(Line::from(spans));
    }
    let cur = p.text_box.cursor();
    (lines, cur / w, cur % w)
}

pub fn render(app: &App, p: &Prompt, frame: &mut Frame, area: Rect) {
    let width = area.width.saturating_sub(4).clamp(1, 100);
    let inner_w = width.saturating_sub(2) as usize;
    let (input, cur_row, cur_col) = wrapped(p, inner_w);
    let mut lines = input;
    let input_rows = lines.len();
    lines.push(Line::from(""));
    match &p.check {
        Some(CondCheck::Valid { fires }) => lines.push(Line::from(Span::styled(
            match fires {
                Some(n) => format!(
                    "✓ valid · holds for {} leads · Enter applies it",
                    style::count(*n)
                ),
                None => "✓ valid · Enter applies it".to_string(),
            },
            style::UP,
        ))),
        Some(CondCheck::Invalid(e)) => {
            let col = p
                .text_box
                .text()
                .char_indices()
                .take_while(|(b, _)| *b < e.pos)
                .count()
                + 1;
            lines.push(Line::from(Span::styled(
                format!("✗ column {col}: {}", e.message),
                style::ERROR,
            )));
            lines.push(Line::from(Span::styled(
                "the rule keeps its old condition until this one is valid",
                style::DIM,
            )));
        }
        None => {}
    }
    if let Some(e) = &p.error {
        lines.push(Line::from(Span::styled(e.clone(), style::ERROR)));
    }
    let height = (lines.len() as u16 + 2).min(area.height);
    let rect = centered(area, width, height);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .title(Span::styled(
            format!(" {} ", crate::fmt::escape::terminal(&title(app, p))),
            style::HEADER,
        ))
        .title_bottom(" Enter accept · Esc cancel ");
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
    let inner = Rect {
        x: rect.x + 1,
        y: rect.y + 1,
        width: rect.width.saturating_sub(2),
        height: rect.height.saturating_sub(2),
    };
    if cur_row < input_rows && (cur_row as u16) < inner.height && (cur_col as u16) < inner.width {
        frame.set_cursor_position(Position {
            x: inner.x + cur_col as u16,
            y: inner.y + cur_row as u16,
        });
    }
}

pub fn quit_dialog(app: &App, frame: &mut Frame, area: Rect) {
    let n = app.changes.len();
    let lines = vec![
        Line::from(format!(
            "{n} unsaved change{}. Save changes?",
            if n == 1 { "" } else { "s" }
        )),
        Line::from(""),
        Line::from(vec![
            Span::styled("(s)", style::HEADER),
            Span::raw("ave   "),
            Span::styled("(d)", style::HEADER),
            Span::raw("iscard   "),
            Span::styled("(c)", style::HEADER),
            Span::raw("ancel"),
        ]),
    ];
    let rect = centered(area, 46, 5);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .title(Span::styled(" Quit ", style::HEADER));
    frame.render_widget(Clear, rect);
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

/// A draft of unsaved edits found on opening: what it holds, and y / n.
pub fn draft_dialog(app: &App, d: &DraftOffer, frame: &mut Frame, area: Rect) {
    let n = d.changes.len();
    let name = app.ruleset_name();
    let mut lines = vec![Line::from(format!(
        "{name} has {n} unsaved change{} from a workbench that closed before saving:",
        if n == 1 { "" } else { "s" }
    ))];
    let mut tail = vec![];
    if d.changed_on_disk {
        tail.push(Line::from(Span::styled(
            format!(
                "{name} has changed on disk since: restoring puts the draft's rules and tiers over the file as it is now."
            ),
            style::ERROR,
        )));
    }
    tail.push(Line::from(""));
    tail.push(Line::from(vec![
        Span::styled("(y)", style::HEADER),
        Span::raw(" restore them   "),
        Span::styled("(n)", style::HEADER),
        Span::raw(" discard the draft   "),
        Span::styled("(q)", style::HEADER),
        Span::raw(" quit, decide later"),
    ]));
    let w = area.width.saturating_sub(4).clamp(20, 90);
    let inner_w = usize::from(w.saturating_sub(2)).max(1);
    // Wrapped height of the fixed lines (the question and the tail).
    let rows = |l: &Line| l.width().div_ceil(inner_w).max(1);
    let fixed: usize = rows(&lines[0]) + tail.iter().map(rows).sum::<usize>();
    let room = usize::from(area.height.saturating_sub(4)).saturating_sub(fixed + 2);
    let shown = if n > room { room.saturating_sub(1) } else { n };
    for c in d.changes.iter().take(shown) {
        lines.push(Line::from(format!("  {c}")));
    }
    if shown < n {
        lines.push(Line::from(format!("  … and {} more", n - shown)));
    }
    lines.extend(tail);
    // Word wrapping may take a row more than the count of characters says.
    let h: usize = lines
        .iter()
        .map(|l| rows(l) + usize::from(rows(l) > 1))
        .sum::<usize>()
        + 2;
    let rect = centered(area, w, u16::try_from(h).unwrap_or(u16::MAX));
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .title(Span::styled(" Unsaved edits found ", style::HEADER));
    frame.render_widget(Clear, rect);
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}
