//! A one-line text box: the text typed into a prompt and its cursor (in characters).
//!
//! A prompt opens on the value it edits with all of it selected, as a
//! spreadsheet cell does: typing replaces it (Enter, `0`, Enter sets 0, not
//! 150), while an arrow, Home, End or Backspace first drops the selection
//! and then edits the value as it is.

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextBox {
    text: String,
    /// Cursor position in characters, 0..=len.
    cursor: usize,
    /// The whole text is selected: the next character typed replaces it.
    all_selected: bool,
}

impl TextBox {
    /// A text box holding `text`, cursor at the end.
    pub fn new(text: &str) -> TextBox {
        TextBox {
            text: text.to_string(),
            cursor: text.chars().count(),
            all_selected: false,
        }
    }

    /// A text box holding `text`, all of it selected (cursor at the end):
    /// how a prompt opens on the value it edits.
    pub fn selected(text: &str) -> TextBox {
        TextBox {
            all_selected: !text.is_empty(),
            ..TextBox::new(text)
        }
    }

    /// Whether the whole text is selected (typing replaces it).
    pub fn all_selected(&self) -> bool {
        self.all_selected
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
        if std::mem::take(&mut self.all_selected) {
            self.clear();
        }
        // One line: a pasted newline or tab becomes a space.
        let c = if c.is_control() { ' ' } else { c };
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }

    pub fn backspace(&mut self) {
        self.all_selected = false;
        if self.cursor > 0 {
            self.cursor -= 1;
            let at = self.byte_at(self.cursor);
            self.text.remove(at);
        }
    }

    /// Delete the character at the cursor, or the whole text when it is selected.
    pub fn delete(&mut self) {
        if std::mem::take(&mut self.all_selected) {
            self.clear();
            return;
        }
        if self.cursor < self.text.chars().count() {
            let at = self.byte_at(self.cursor);
            self.text.remove(at);
        }
    }

    pub fn left(&mut self) {
        self.all_selected = false;
        self.cursor = self.cursor.saturating_sub(1);
    }

    pub fn right(&mut self) {
        self.all_selected = false;
        self.cursor = (self.cursor + 1).min(self.text.chars().count());
    }

    pub fn home(&mut self) {
        self.all_selected = false;
        self.cursor = 0;
    }

    pub fn end(&mut self) {
        self.all_selected = false;
        self.cursor = self.text.chars().count();
    }

    /// Clear the whole line (Ctrl-U).
    pub fn clear(&mut self) {
        self.all_selected = false;
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

    #[test]
    fn a_selected_text_is_replaced_by_typing_and_kept_by_moving() {
        let mut t = TextBox::selected("15");
        t.insert('0');
        assert_eq!((t.text(), t.cursor()), ("0", 1));
        let mut t = TextBox::selected("15");
        t.backspace();
        assert_eq!(t.text(), "1");
        let mut t = TextBox::selected("15");
        t.home();
        t.insert('-');
        assert_eq!(t.text(), "-15");
        let mut t = TextBox::selected("15");
        t.delete();
        assert_eq!(t.text(), "");
        assert!(!TextBox::selected("").all_selected());
    }
}
