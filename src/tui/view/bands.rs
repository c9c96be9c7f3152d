//! The band conversion table: per score band, known leads, conversion rate
//! with a bar, the 95% Wilson interval, and the change against the baseline.

use super::style::{self, count, delta};
use crate::fmt::{fmt_num, pct};
use crate::metrics::Band;
use crate::report::bar;
use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, Table};

pub fn height(app: &App) -> u16 {
    app.figures.review.bands.len() as u16 + 3
}

fn ci(b: &Band) -> String {
    match (b.stats.ci_low, b.stats.ci_high) {
        (Some(l), Some(h)) => format!("{:.0}–{:.0}%", l * 100.0, h * 100.0),
        _ => "-".into(),
    }
}

fn band_label(b: &crate::metrics::Band) -> String {
    format!("{}-{}", fmt_num(b.from), fmt_num(b.to))
}

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let now = &app.figures.review.bands;
    let base = &app.baseline_figures.review.bands;
    let wide = area.width >= 56;
    let max = now
        .iter()
        .chain(base.iter())
        .filter_map(|b| b.stats.rate)
        .fold(0.0f64, f64::max);
    // Band labels and lead counts are as wide as they need to be (a count
    // cut to fit would read as a different number).
    let label_w = now
        .iter()
        .map(|b| band_label(b).chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    let leads_w = now
        .iter()
        .map(|b| count(b.stats.leads).chars().count())
        .max()
        .unwrap_or(0);
    let leads_w = leads_w.max(if wide { 6 } else { 5 });
    // The bar gets what the other columns leave: borders, the columns in
    // `widths` below, and one space between columns.
    let fixed = if wide {
        2 + label_w + leads_w + 6 + 9 + 6 + 6 + 6
    } else {
        2 + label_w + leads_w + 6 + 8 + 5 + 5
    };
    let bar_w = (area.width as usize).saturating_sub(fixed).max(1);
    let mut head = vec!["band", "leads", "conv", "", "95% CI", "Δconv"];
    if wide {
        head.push("Δleads");
    }
    let header =
        Row::new(head.into_iter().map(Cell::from).collect::<Vec<_>>()).style(style::HEADER);
    let rows = now.iter().enumerate().map(|(i, b)| {
        let bb = base.get(i);
        let (d, d_style) = delta(b.stats.rate, bb.and_then(|x| x.stats.rate), 1, 100.0);
        let mut cells = vec![
            Cell::from(band_label(b)),
            Cell::from(Line::from(count(b.stats.leads)).right_aligned()),
            Cell::from(Line::from(pct(b.stats.rate)).right_aligned()),
            Cell::from(Span::styled(bar(b.stats.rate, max, bar_w), style::BAR)),
            Cell::from(Line::from(ci(b)).right_aligned()),
            Cell::from(Line::from(d).right_aligned()).style(d_style),
        ];
        if wide {
            let dl = bb.map_or(0, |x| b.stats.leads as i64 - x.stats.leads as i64);
            let text = match dl {
                0 => String::new(),
                d if d > 0 => format!("+{d}"),
                d => d.to_string(),
            };
            cells.push(Cell::from(Line::from(text).right_aligned()).style(style::DIM));
        }
        Row::new(cells)
    });
    let mut widths = vec![
        Constraint::Length(label_w as u16),
        Constraint::Length(leads_w as u16),
        Constraint::Length(6),
        Constraint::Fill(1),
        Constraint::Length(8),
        Constraint::Length(5),
    ];
    if wide {
        widths[4] = Constraint::Length(9);
        widths[5] = Constraint::Length(6);
        widths.push(Constraint::Length(6));
    }
    let mut block = style::pane("Conversion by score band", false);
    if let Some(w) = app.figures.review.warnings.first() {
        block = block.title_bottom(Span::styled(format!(" ⚠ {w} "), style::ERROR));
    }
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .block(block);
    frame.render_widget(table, area);
}
