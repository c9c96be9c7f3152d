//! A table of text cells rendered as aligned plain text or as markdown.
//! Cells are escaped for the destination here, so no caller can forget:
//! a cell is one line and never acts on the terminal or breaks a row.

use crate::fmt::escape;

pub struct Grid {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Per column: right-align (numbers).
    pub right: Vec<bool>,
}

impl Grid {
    pub fn new(header: &[&str], right: &[bool]) -> Grid {
        Grid {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: vec![],
            right: right.to_vec(),
        }
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    fn widths(header: &[String], rows: &[Vec<String>]) -> Vec<usize> {
        let mut w: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
        for r in rows {
            for (i, c) in r.iter().enumerate() {
                if i < w.len() {
                    w[i] = w[i].max(c.chars().count());
                }
            }
        }
        w
    }

    /// Aligned columns, two spaces apart, indented by two.
    pub fn to_text(&self) -> String {
        let cells = |r: &[String]| -> Vec<String> {
            r.iter().map(|c| escape::terminal(c).into_owned()).collect()
        };
        let header = cells(&self.header);
        let rows: Vec<Vec<String>> = self.rows.iter().map(|r| cells(r)).collect();
        let w = Self::widths(&header, &rows);
        let mut out = String::new();
        let line = |cells: &[String], out: &mut String| {
            let mut s = String::from(" ");
            for (i, c) in cells.iter().enumerate() {
                let width = w.get(i).copied().unwrap_or(0);
                let pad = width.saturating_sub(c.chars().count());
                s.push(' ');
                if self.right.get(i).copied().unwrap_or(false) {
                    s.push_str(&" ".repeat(pad));
                    s.push_str(c);
                } else {
                    s.push_str(c);
                    s.push_str(&" ".repeat(pad));
                }
                s.push(' ');
            }
            out.push_str(s.trim_end());
            out.push('\n');
        };
        line(&header, &mut out);
        for r in &rows {
            line(r, &mut out);
        }
        out
    }

    pub fn to_markdown(&self) -> String {
        let esc = |s: &str| escape::markdown(s).into_owned();
        let mut out = format!(
            "| {} |\n|",
            self.header
                .iter()
                .map(|h| esc(h))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        for i in 0..self.header.len() {
            out.push_str(if self.right.get(i).copied().unwrap_or(false) {
                " ---: |"
            } else {
                " --- |"
            });
        }
        out.push('\n');
        for r in &self.rows {
            out.push_str(&format!(
                "| {} |\n",
                r.iter().map(|c| esc(c)).collect::<Vec<_>>().join(" | ")
            ));
        }
        out
    }
}
