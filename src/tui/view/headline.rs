//! The headline figures, baseline → now with the change: AUC, qualified
//! volume, precision, recall, and volume per week against capacity.

use super::style::{self, count, delta};
use crate::fmt::fmt_num;
use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn height(app: &App) -> u16 {
    let per_week = app.figures.review.per_week.is_some() as u16;
    4 + per_week + 2
}

/// One figure: the baseline, and when it moved, `→ now ▲change`.
fn figure(
    name: &str,
    base: Option<f64>,
    now: Option<f64>,
    fmt: &dyn Fn(f64) -> String,
    digits: usize,
    scale: f64,
    unit: &str,
) -> Line<'static> {
    let show = |x: Option<f64>| x.map_or("-".to_string(), fmt);
    let mut spans = vec![Span::styled(format!("{name:<11}"), style::HEADER)];
    let (d, d_style) = delta(now, base, digits, scale);
    if d.is_empty() {
        spans.push(Span::styled(
            show(now),
            Style::new().add_modifier(ratatui::style::Modifier::BOLD),
        ));
    } else {
        spans.push(Span::styled(show(base), style::DIM));
        spans.push(Span::raw(" → "));
        spans.push(Span::styled(show(now), style::CHANGED));
        spans.push(Span::styled(format!("  {d}{unit}"), d_style));
    }
    Line::from(spans)
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let now = &app.figures.review;
    let base = &app.baseline_figures.review;
    let rate = |x: f64| format!("{:.1}%", x * 100.0);
    let auc = |x: f64| format!("{x:.3}");
    let n = |x: f64| count(x as usize);
    let q_name = now.qualified.tier.clone().unwrap_or_else(|| "none".into());
    let mut lines = vec![
        figure("AUC", base.auc, now.auc, &auc, 3, 1.0, ""),
        figure(
            "Qualified",
            Some(base.qualified.leads as f64),
            Some(now.qualified.leads as f64),
            &n,
            0,
            1.0,
            "",
        ),
        figure(
            "Precision",
            base.qualified.precision,
            now.qualified.precision,
            &rate,
            1,
            100.0,
            " pp",
        ),
        figure(
            "Recall",
            base.qualified.recall,
            now.qualified.recall,
            &rate,
            1,
            100.0,
            " pp",
        ),
    ];
    if let Some(pw) = &now.per_week {
        let base_pw = base.per_week.as_ref().map(|p| p.qualified);
        let mut line = figure(
            "Per week",
            base_pw,
            Some(pw.qualified),
            &|x| format!("{x:.1}"),
            1,
            1.0,
            "",
        );
        if let Some(cap) = pw.capacity {
            if pw.qualified > cap {
                line.spans.push(Span::styled(
                    format!("  OVER cap {}", fmt_num(cap)),
                    style::ERROR,
                ));
            } else {
                line.spans
                    .push(Span::styled(format!("  cap {}", fmt_num(cap)), style::DIM));
            }
        }
        lines.push(line);
    }
    let title = format!("Now vs baseline (qualified = {q_name}+)");
    frame.render_widget(Paragraph::new(lines).block(style::pane(title, false)), area);
}

/// Two lines for a narrow screen: AUC and qualified; precision and recall.
pub fn render_compact(app: &App, frame: &mut Frame, area: Rect) {
    let now = &app.figures.review;
    let base = &app.baseline_figures.review;
    let part = |name: &str,
                b: Option<f64>,
                n: Option<f64>,
                fmt: &dyn Fn(f64) -> String,
                digits: usize,
                scale: f64| {
        let show = |x: Option<f64>| x.map_or("-".to_string(), fmt);
        let (d, d_style) = delta(n, b, digits, scale);
        let mut spans = vec![Span::styled(format!("{name} "), style::HEADER)];
        if d.is_empty() {
            spans.push(Span::raw(show(n)));
        } else {
            spans.push(Span::styled(show(n), style::CHANGED));
            spans.push(Span::styled(format!(" {d}"), d_style));
        }
        spans.push(Span::raw("   "));
        spans
    };
    let rate = |x: f64| format!("{:.1}%", x * 100.0);
    let mut l1 = part("AUC", base.auc, now.auc, &|x| format!("{x:.3}"), 3, 1.0);
    l1.extend(part(
        "Qualified",
        Some(base.qualified.leads as f64),
        Some(now.qualified.leads as f64),
        &|x| count(x as usize),
        0,
        1.0,
    ));
    let mut l2 = part(
        "Precision",
        base.qualified.precision,
        now.qualified.precision,
        &rate,
        1,
        100.0,
    );
    l2.extend(part(
        "Recall",
        base.qualified.recall,
        now.qualified.recall,
        &rate,
        1,
        100.0,
    ));
    let p = Paragraph::new(vec![Line::from(l1), Line::from(l2)])
        .block(style::pane("Now vs baseline", false));
    frame.render_widget(p, area);
}
