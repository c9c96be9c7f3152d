//! A one-line text box: the text typed into a prompt and its cursor (in characters).

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextBox {
    text: String,
    /// Cursor position in characters, 0..=len.
    cursor: usize,
}

impl TextBox {
    /// A text box holding `text`, cursor at the end.
    pub fn new(text: &str) -> TextBox {
        TextBox {
            text: text.to_string(),
            cursor: text.chars().count(),
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    fn byte_at(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(b, _)| b)
    }

    pub fn insert(&mut self, c: char) {
        // One line: a pasted newline or tab becomes a space.
        let c = if c.is_control() { ' ' } else { c };
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            let at = self.byte_at(self.cursor);
            self.text.remove(at);
        }
    }

    pub fn delete(&mut self) {
        if self.cursor < self.text.chars().count() {
            let at = self.byte_at(self.cursor);
            self.text.remove(at);
        }
    }

    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.text.chars().count());
    }

    pub fn home(&mut self) {
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.cursor = self.text.chars().count();
    }

    /// Clear the whole line (Ctrl-U).
    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_at_the_cursor_with_multibyte_text() {
        let mut t = TextBox::new("a→c");
        t.left();
        t.backspace();
        assert_eq!(t.text(), "ac");
        t.insert('é');
        assert_eq!((t.text(), t.cursor()), ("aéc", 2));
        t.home();
        t.delete();
        t.end();
        t.insert('\n');
        assert_eq!(t.text(), "éc ");
    }
}
