//! The band conversion table: per score band, known leads, conversion rate
//! with a bar, the 95% Wilson interval, and the change against the baseline.

use super::style::{self, count, delta};
use crate::fmt::num::{interval_pct, thousands};
use crate::fmt::text::fit;
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

/// The least height that still shows a band: borders, header, one row.
pub const MIN_HEIGHT: u16 = 4;

fn ci(b: &Band) -> String {
    match (b.stats.ci_low, b.stats.ci_high) {
        (Some(l), Some(h)) => interval_pct(l, h),
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
    let ci_w = now
        .iter()
        .map(|b| ci(b).chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    let dleads: Vec<String> = now
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let dl = base
                .get(i)
                .map_or(0, |x| b.stats.leads as i64 - x.stats.leads as i64);
            match dl {
                0 => String::new(),
                d if d > 0 => format!("+{}", thousands(d)),
                d => thousands(d),
            }
        })
        .collect();
    let dleads_w = dleads.iter().map(|d| d.len()).max().unwrap_or(0).max(6);
    let fixed = if wide {
        2 + label_w + leads_w + 6 + ci_w + 6 + dleads_w + 6
    } else {
        2 + label_w + leads_w + 6 + ci_w + 5 + 5
    };
    let bar_w = (area.width as usize).saturating_sub(fixed).max(1);
    // Figures are right-aligned, and so are their headings.
    let mut head = vec!["band", "leads", "conv", "", "95% CI", "Δconv"];
    if wide {
        head.push("Δleads");
    }
    let header = Row::new(
        head.into_iter()
            .enumerate()
            .map(|(i, h)| {
                if i == 0 {
                    Cell::from(h)
                } else {
                    Cell::from(Line::from(h).right_aligned())
                }
            })
            .collect::<Vec<_>>(),
    )
    .style(style::HEADER);
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
            cells.push(Cell::from(Line::from(dleads[i].clone()).right_aligned()).style(style::DIM));
        }
        Row::new(cells)
    });
    let mut widths = vec![
        Constraint::Length(label_w as u16),
        Constraint::Length(leads_w as u16),
        Constraint::Length(6),
        Constraint::Fill(1),
        Constraint::Length(ci_w as u16),
        Constraint::Length(5),
    ];
    if wide {
        widths[5] = Constraint::Length(6);
        widths.push(Constraint::Length(dleads_w as u16));
    }
    // When the window is too low for every band, say which are shown.
    let shown = (area.height as usize).saturating_sub(3);
    let title = if shown < now.len() && area.height > 0 {
        let rows = match shown {
            0 | 1 => "1".to_string(),
            n => format!("1–{n}"),
        };
        format!("Conversion by score band ({rows} of {}, more ↓)", now.len())
    } else {
        "Conversion by score band".to_string()
    };
    let mut block = style::pane(title, false, area.width);
    if let Some(w) = app.figures.review.warnings.first() {
        let room = (area.width as usize).saturating_sub(6);
        block = block.title_bottom(Span::styled(format!(" ⚠ {} ", fit(w, room)), style::ERROR));
    }
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(1)
        .block(block);
    frame.render_widget(table, area);
}
