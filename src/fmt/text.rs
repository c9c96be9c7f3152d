//! Text fitted to the room it has on a screen: escaped for the terminal
//! (see [`escape`](super::escape)), measured by display width (a CJK
//! character takes two columns, a combining accent none), and cut with `…`
//! so that a reader always sees where something was left out. Every pane of
//! the workbench fits its text through [`fit`].

use super::escape;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// How many terminal columns `s` takes.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` escaped for the terminal, in at most `w` columns: whole when it
/// fits, else cut with `…` in the last column.
pub fn fit(s: &str, w: usize) -> String {
    let s = escape::terminal(s);
    if width(&s) <= w {
        return s.into_owned();
    }
    if w == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if used + cw > w - 1 {
            break;
        }
        used += cw;
        out.push(c);
    }
    // `Route to a…`, not `Route to a …`: the cut shows against the word.
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_by_display_width_with_an_ellipsis_where_cut() {
        assert_eq!(fit("demo-request", 20), "demo-request");
        assert_eq!(fit("demo-request", 12), "demo-request");
        assert_eq!(fit("demo-request", 11), "demo-reque…");
        assert_eq!(fit("demo", 1), "…");
        assert_eq!(fit("demo", 0), "");
        assert_eq!(fit("Route to a specialist", 12), "Route to a…");
        // Two columns per character: never half of one.
        assert_eq!(fit("日本語テキスト", 6), "日本…");
        assert_eq!(width(&fit("日本語テキスト", 6)), 5);
        assert_eq!(width("日本"), 4);
    }

    #[test]
    fn what_would_act_on_the_terminal_is_shown_escaped() {
        assert_eq!(fit("a\x1b[31mb", 40), "a\\x1b[31mb");
        assert_eq!(fit("line\nbreak", 40), "line\\nbreak");
    }
}
