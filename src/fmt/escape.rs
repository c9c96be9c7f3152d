//! Text from the user's files made safe for where a person reads it: a
//! terminal, or a markdown table. A cell holding an escape sequence must not
//! recolour or rewrite the screen, and a reason holding a line break or a
//! `|` must not break the row it sits in. JSON and CSV keep the text as it
//! is (their own quoting makes it safe), so nothing here is used for them.
//! One function per destination: a new one (an SQL literal, HTML) goes
//! beside these.

use std::borrow::Cow;

/// Characters that would act on the screen or hide what is around them
/// rather than show: C0 and C1 controls, DEL, and the bidirectional
/// overrides that reorder what follows them.
fn acts(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// `c` written as a visible escape: `\n`, `\t`, `\x1b`, `\u{202e}`.
fn push_visible(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        c if (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
        c => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
    }
}

/// Rewrites the characters of `s` for which `rewrite` returns true, by
/// `write`; borrows when there are none (the common case).
fn rewrite<'a>(
    s: &'a str,
    needs: impl Fn(char) -> bool,
    write: impl Fn(&mut String, char, &mut std::iter::Peekable<std::str::Chars>),
) -> Cow<'a, str> {
    if !s.chars().any(&needs) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if needs(c) {
            write(&mut out, c, &mut chars);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// One line for a terminal (a table cell, a name in a heading): every
/// control character, line breaks included, shown as an escape (`\x1b`,
/// `\n`), so the text can neither drive the terminal nor break the layout.
pub fn terminal(s: &str) -> Cow<'_, str> {
    rewrite(s, acts, |out, c, _| push_visible(out, c))
}

/// Lines for a terminal (a diagnostic with detail lines): as [`terminal`],
/// but line breaks are kept.
pub fn terminal_lines(s: &str) -> Cow<'_, str> {
    rewrite(
        s,
        |c| c != '\n' && acts(c),
        |out, c, _| push_visible(out, c),
    )
}

/// Text for a markdown document, in a table cell or running text: a line
/// break (LF, CR or CRLF) becomes `<br>`, `|` becomes `\|` (so a row keeps
/// its cells), `<` becomes `&lt;` (so no HTML reaches a renderer), and
/// other control characters are shown as escapes.
pub fn markdown(s: &str) -> Cow<'_, str> {
    rewrite(
        s,
        |c| acts(c) || c == '|' || c == '<',
        |out, c, chars| match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '\n' => out.push_str("<br>"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("<br>");
            }
            c => push_visible(out, c),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_shows_controls_instead_of_obeying_them() {
        assert_eq!(terminal("plain é ✓"), "plain é ✓");
        assert!(matches!(terminal("plain"), Cow::Borrowed(_)));
        assert_eq!(terminal("\u{1b}[31mred\u{1b}[0m"), "\\x1b[31mred\\x1b[0m");
        assert_eq!(terminal("a\r\nb\tc\u{7f}"), "a\\r\\nb\\tc\\x7f");
        assert_eq!(terminal("\u{9b}2J"), "\\u{9b}2J");
        assert_eq!(terminal("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(terminal_lines("a\nb\u{1b}c\r"), "a\nb\\x1bc\\r");
    }

    #[test]
    fn markdown_keeps_a_row_on_one_line_with_its_cells() {
        assert_eq!(markdown("a|b"), "a\\|b");
        assert_eq!(
            markdown("one\r\ntwo\nthree\rfour"),
            "one<br>two<br>three<br>four"
        );
        assert_eq!(markdown("<script>x</script>"), "&lt;script>x&lt;/script>");
        assert_eq!(markdown("\u{1b}[2J"), "\\x1b[2J");
        assert!(matches!(markdown("Hot & ready"), Cow::Borrowed(_)));
    }

    #[test]
    fn nothing_escaped_holds_a_control_character() {
        let pieces = [
            "\u{1b}", "\r", "\n", "|", "<", "a", "é", "\u{0}", "\u{85}", "\u{2067}",
        ];
        let mut s = String::new();
        for (i, p) in pieces.iter().cycle().take(200).enumerate() {
            s.push_str(p);
            if i % 7 == 0 {
                s.push_str(pieces[i % 3]);
            }
        }
        assert!(!terminal(&s).chars().any(acts));
        assert!(!terminal_lines(&s).chars().any(|c| c != '\n' && acts(c)));
        let md = markdown(&s);
        assert!(!md.chars().any(acts));
        assert!(!md.replace("\\|", "").contains('|'));
    }
}
