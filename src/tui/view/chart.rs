//! A small chart of conversion rate by band, now beside the baseline, shown
//! when the screen has the height for it.

use super::style;
use crate::fmt::fmt_num;
use crate::tui::app::App;
use ratatui::Frame;
use ratatui::layout::{Direction, Rect};
use ratatui::style::{Color, Style};
use ratatui::widgets::{Bar, BarChart, BarGroup};

pub const HEIGHT: u16 = 12;

pub fn render(app: &App, frame: &mut Frame, area: Rect) {
    let now = &app.figures.review.bands;
    let base = &app.baseline_figures.review.bands;
    let per_mille = |r: Option<f64>| (r.unwrap_or(0.0) * 1000.0).round() as u64;
    let groups: Vec<BarGroup> = now
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let was = base.get(i).and_then(|x| x.stats.rate);
            BarGroup::default()
                .label(format!("{}-{}", fmt_num(b.from), fmt_num(b.to)))
                .bars(&[
                    Bar::default()
                        .value(per_mille(was))
                        .text_value(String::new())
                        .style(Style::new().fg(Color::DarkGray)),
                    Bar::default()
                        .value(per_mille(b.stats.rate))
                        .text_value(format!("{:.0}", b.stats.rate.unwrap_or(0.0) * 100.0))
                        .style(style::BAR),
                ])
        })
        .collect();
    let n = now.len().max(1) as u16;
    // Two bars and a gap per band, as wide as the pane allows.
    let inner = area.width.saturating_sub(2);
    let bar_w = (inner.saturating_sub(n) / (2 * n)).clamp(1, 6);
    let mut chart = BarChart::default()
        .block(style::pane(
            "Conversion % by band (grey: baseline)",
            false,
            area.width,
        ))
        .direction(Direction::Vertical)
        .bar_width(bar_w)
        .bar_gap(0)
        .group_gap(1);
    for g in groups {
        chart = chart.data(g);
    }
    frame.render_widget(chart, area);
}
