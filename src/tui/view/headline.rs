//! The headline figures, baseline → now with the change: AUC, qualified
//! volume, precision, recall, and volume per week against capacity.
//!
//! A figure that does not fit its line drops first the change, then the
//! baseline; the capacity stays (it is what the meeting compares against).

use super::style::{self, count, delta, fit_line};
use crate::fmt::num::{fixed_thousands, thousands};
use crate::fmt::text::width;
use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn height(app: &App) -> u16 {
    let per_week = app.figures.review.per_week.is_some() as u16;
    4 + per_week + 2
}

/// Rows of the compact headline: AUC and qualified; precision and recall;
/// per week and capacity when set.
pub fn compact_height(app: &App) -> u16 {
    2 + 2 + app.figures.review.per_week.is_some() as u16
}

/// How one figure is written: its name, how a value reads, and how its
/// change reads (`digits` decimals, `scale` 100 for rates in points).
struct Figure<'a> {
    name: &'a str,
    base: Option<f64>,
    now: Option<f64>,
    fmt: &'a dyn Fn(f64) -> String,
    digits: usize,
    scale: f64,
    unit: &'a str,
}

impl Figure<'_> {
    /// `name  base → now  ▲change`, with fewer parts when `detail` is lower:
    /// 2 all, 1 without the change, 0 only the value now.
    fn spans(&self, name_w: usize, detail: u8) -> Vec<Span<'static>> {
        let show = |x: Option<f64>| x.map_or("-".to_string(), self.fmt);
        let mut spans = vec![Span::styled(
            format!("{:<name_w$}", self.name),
            style::HEADER,
        )];
        let (d, d_style) = delta(self.now, self.base, self.digits, self.scale);
        if d.is_empty() || detail == 0 {
            let st = if d.is_empty() {
                Style::new().add_modifier(Modifier::BOLD)
            } else {
                style::CHANGED
            };
            spans.push(Span::styled(show(self.now), st));
        } else {
            spans.push(Span::styled(show(self.base), style::DIM));
            spans.push(Span::raw(" → "));
            spans.push(Span::styled(show(self.now), style::CHANGED));
            if detail == 2 {
                spans.push(Span::styled(format!("  {d}{}", self.unit), d_style));
            }
        }
        spans
    }
}

/// The most detailed form of a figure (with `tail` after it) that fits in
/// `w` columns, cut with `…` when even the shortest does not.
fn fitted(f: &Figure, name_w: usize, tail: &[Span<'static>], w: usize) -> Line<'static> {
    let tail_w: usize = tail.iter().map(|s| width(&s.content)).sum();
    let mut spans = f.spans(name_w, 0);
    for detail in [2, 1] {
        let s = f.spans(name_w, detail);
        if s.iter().map(|s| width(&s.content)).sum::<usize>() + tail_w <= w {
            spans = s;
            break;
        }
    }
    spans.extend_from_slice(tail);
    fit_line(Line::from(spans), w)
}

fn rate(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn auc(x: f64) -> String {
    format!("{x:.3}")
}

fn leads(x: f64) -> String {
    count(x as usize)
}

fn per_week(x: f64) -> String {
    fixed_thousands(x, 1)
}

/// The figures in the order they are shown; per week last (when set).
fn figures(app: &App) -> Vec<Figure<'static>> {
    let now = &app.figures.review;
    let base = &app.baseline_figures.review;
    let mut out = vec![
        Figure {
            name: "AUC",
            base: base.auc,
            now: now.auc,
            fmt: &auc,
            digits: 3,
            scale: 1.0,
            unit: "",
        },
        Figure {
            name: "Qualified",
            base: Some(base.qualified.leads as f64),
            now: Some(now.qualified.leads as f64),
            fmt: &leads,
            digits: 0,
            scale: 1.0,
            unit: "",
        },
        Figure {
            name: "Precision",
            base: base.qualified.precision,
            now: now.qualified.precision,
            fmt: &rate,
            digits: 1,
            scale: 100.0,
            unit: " pp",
        },
        Figure {
            name: "Recall",
            base: base.qualified.recall,
            now: now.qualified.recall,
            fmt: &rate,
            digits: 1,
            scale: 100.0,
            unit: " pp",
        },
    ];
    if let Some(pw) = &now.per_week {
        out.push(Figure {
            name: "Per week",
            base: base.per_week.as_ref().map(|p| p.qualified),
            now: Some(pw.qualified),
            fmt: &per_week,
            digits: 1,
            scale: 1.0,
            unit: "",
        });
    }
    out
}

/// `OVER cap 50` or `cap 50` after the volume per week, when a capacity is set.
fn capacity(app: &App) -> Vec<Span<'static>> {
    let Some(pw) = &app.figures.review.per_week else {
        return vec![];
    };
    let Some(cap) = pw.capacity else {
        return vec![];
    };
    let cap_text = if cap == cap.trunc() && cap.abs() < 1e15 {
        thousands(cap as i64)
    } else {
        fixed_thousands(cap, 1)
    };
    if pw.qualified > cap {
        vec![Span::styled(format!("  OVER cap {cap_text}"), style::ERROR)]
    } else {
        vec![Span::styled(format!("  cap {cap_text}"), style::DIM)]
    }
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let w = (area.width as usize).saturating_sub(2);
    let q_name = app
        .figures
        .review
        .qualified
        .tier
        .clone()
        .unwrap_or_else(|| "none".into());
    let figs = figures(app);
    let cap = capacity(app);
    let lines: Vec<Line> = figs
        .iter()
        .map(|f| {
            let tail: &[Span] = if f.name == "Per week" { &cap } else { &[] };
            fitted(f, 11, tail, w)
        })
        .collect();
    let title = format!("Now vs baseline (qualified = {q_name}+)");
    frame.render_widget(
        Paragraph::new(lines).block(style::pane(title, false, area.width)),
        area,
    );
}

/// For a narrow screen: AUC and qualified; precision and recall; per week
/// and capacity. Each pair on one line, the second dropped when it does not fit.
pub fn render_compact(app: &App, frame: &mut Frame, area: Rect) {
    let w = (area.width as usize).saturating_sub(2);
    let figs = figures(app);
    let cap = capacity(app);
    let pair = |a: &Figure, b: Option<&Figure>| -> Line<'static> {
        let first = a.spans(a.name.len() + 1, 1);
        let first_w: usize = first.iter().map(|s| width(&s.content)).sum::<usize>() + 3;
        match b {
            Some(b) if first_w < w => {
                let mut spans = first;
                spans.push(Span::raw("   "));
                spans.extend(fitted(b, b.name.len() + 1, &[], w - first_w).spans);
                Line::from(spans)
            }
            _ => fitted(a, a.name.len() + 1, &[], w),
        }
    };
    let mut lines = vec![pair(&figs[0], figs.get(1)), pair(&figs[2], figs.get(3))];
    if let Some(pw) = figs.get(4) {
        lines.push(fitted(pw, pw.name.len() + 1, &cap, w));
    }
    let p = Paragraph::new(lines).block(style::pane("Now vs baseline", false, area.width));
    frame.render_widget(p, area);
}
