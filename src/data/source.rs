//! The CSV byte stream: BOM, delimiter detection, and the line each record
//! starts on.
//!
//! The csv crate reports a record's position from where it *started looking*
//! for it, which is before any blank lines and, in CRLF files, before the
//! `\n` that ends the previous line, so its line numbers drift. Messages must
//! name the line a user sees in an editor, so the stream is watched as it
//! passes: every `\r` and `\n` offset is noted, and a record's line is
//! counted from its first byte that is not a line break.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Chain, Cursor, Read};
use std::rc::Rc;

const BOM: &[u8] = b"\xEF\xBB\xBF";

type Stream<R> = Watched<Chain<Cursor<Vec<u8>>, BufReader<R>>>;

/// A CSV reader that knows each record's line.
pub(crate) struct Source<R: Read> {
    csv: csv::Reader<Stream<R>>,
    lines: Rc<RefCell<LineIndex>>,
    bom: u64,
    pub(crate) delimiter: u8,
}

impl<R: Read> Source<R> {
    /// Reads up to the header line to pick the delimiter (`delimiter` when
    /// given). `None` when the input holds nothing but whitespace.
    pub(crate) fn open(reader: R, delimiter: Option<u8>) -> std::io::Result<Option<Source<R>>> {
        let mut input = BufReader::with_capacity(1 << 16, reader);
        let mut prefix = read_header_line(&mut input)?;
        let mut bom = 0;
        if prefix.starts_with(BOM) {
            prefix.drain(..BOM.len());
            bom = BOM.len() as u64;
        }
        if prefix.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        let delimiter = delimiter.unwrap_or_else(|| detect_delimiter(&prefix));
        let lines = Rc::new(RefCell::new(LineIndex::default()));
        let stream = Watched {
            inner: Cursor::new(prefix).chain(input),
            lines: Rc::clone(&lines),
        };
        let csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .buffer_capacity(1 << 16)
            .from_reader(stream);
        Ok(Some(Source {
            csv,
            lines,
            bom,
            delimiter,
        }))
    }

    /// The next record and the 1-based line it starts on; `None` at the end.
    pub(crate) fn read(&mut self, rec: &mut csv::ByteRecord) -> csv::Result<Option<u64>> {
        if !self.csv.read_byte_record(rec)? {
            return Ok(None);
        }
        let start = rec.position().map_or(0, |p| p.byte());
        Ok(Some(self.lines.borrow_mut().line_at(start)))
    }

    /// Bytes read so far, the BOM included.
    pub(crate) fn bytes(&self) -> u64 {
        self.lines.borrow().passed + self.bom
    }
}

/// Notes where line breaks pass by, so that offsets can be turned into lines.
#[derive(Default)]
struct LineIndex {
    /// Bytes passed to the CSV reader so far.
    passed: u64,
    /// `\r` and `\n` bytes not yet behind the last queried offset. The CSV
    /// reader buffers ahead, so this holds at most a buffer's worth.
    breaks: VecDeque<(u64, u8)>,
    /// `\n` bytes dropped from `breaks`.
    newlines: u64,
}

impl LineIndex {
    fn see(&mut self, bytes: &[u8]) {
        // Eight bytes at a time: most words hold no line break.
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGHS: u64 = 0x8080_8080_8080_8080;
        let has_zero = |w: u64| w.wrapping_sub(ONES) & !w & HIGHS;
        let mut chunks = bytes.chunks_exact(8);
        let mut at = self.passed;
        for chunk in &mut chunks {
            let mut w = [0u8; 8];
            w.copy_from_slice(chunk);
            let w = u64::from_le_bytes(w);
            if has_zero(w ^ (ONES * u64::from(b'\n'))) | has_zero(w ^ (ONES * u64::from(b'\r')))
                != 0
            {
                self.note(chunk, at);
            }
            at += 8;
        }
        self.note(chunks.remainder(), at);
        self.passed += bytes.len() as u64;
    }

    fn note(&mut self, bytes: &[u8], at: u64) {
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\n' || b == b'\r' {
                self.breaks.push_back((at + i as u64, b));
            }
        }
    }

    /// The line of the first byte at or after `offset` that is not a line
    /// break. Offsets must be queried in increasing order.
    fn line_at(&mut self, offset: u64) -> u64 {
        let mut at = offset;
        while let Some(&(o, b)) = self.breaks.front() {
            if o > at {
                break;
            }
            if o == at {
                at += 1;
            }
            if b == b'\n' {
                self.newlines += 1;
            }
            self.breaks.pop_front();
        }
        self.newlines + 1
    }
}

/// A reader that shows every byte it passes to a [`LineIndex`].
struct Watched<R> {
    inner: R,
    lines: Rc<RefCell<LineIndex>>,
}

impl<R: Read> Read for Watched<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.lines.borrow_mut().see(&buf[..n]);
        Ok(n)
    }
}

/// The bytes up to the end of the header line: through the first line that
/// is not blank, continuing while a quoted field spans lines.
fn read_header_line(input: &mut impl BufRead) -> std::io::Result<Vec<u8>> {
    let mut prefix = Vec::new();
    let mut in_quotes = false;
    loop {
        let start = prefix.len();
        if input.read_until(b'\n', &mut prefix)? == 0 {
            return Ok(prefix);
        }
        let new = &prefix[start..];
        in_quotes ^= new.iter().filter(|&&b| b == b'"').count() % 2 == 1;
        let content = prefix.strip_prefix(BOM).unwrap_or(&prefix);
        if !in_quotes && !content.iter().all(u8::is_ascii_whitespace) {
            return Ok(prefix);
        }
    }
}

/// The most frequent of `,` `;` tab `|` outside quotes in the header line
/// (ties go to the earlier one in that list); `,` when none occurs.
pub(crate) fn detect_delimiter(header: &[u8]) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let mut counts = [0usize; 4];
    let mut in_quotes = false;
    for &b in header {
        if b == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes && let Some(i) = CANDIDATES.iter().position(|&c| c == b) {
            counts[i] += 1;
        }
    }
    let mut best = 0;
    for i in 1..CANDIDATES.len() {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    if counts[best] == 0 {
        b','
    } else {
        CANDIDATES[best]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &str) -> Vec<u64> {
        let mut src = Source::open(input.as_bytes(), None).unwrap().unwrap();
        let mut rec = csv::ByteRecord::new();
        let mut out = Vec::new();
        while let Some(line) = src.read(&mut rec).unwrap() {
            out.push(line);
        }
        assert_eq!(src.bytes(), input.len() as u64);
        out
    }

    #[test]
    fn record_lines() {
        assert_eq!(lines("id,a\n1,2\n3,4\n"), [1, 2, 3]);
        assert_eq!(lines("id,a\r\n1,2\r\n3,4"), [1, 2, 3]);
        assert_eq!(lines("\nid,a\n1,2\n"), [2, 3]);
        assert_eq!(lines("\r\nid,a\r\n1,2\r\n"), [2, 3]);
        assert_eq!(lines("id,a\n\n1,2\n\n\n3,4\n"), [1, 3, 6]);
        assert_eq!(lines("id,a\r\n\r\n1,2\r\n"), [1, 3]);
        assert_eq!(lines("id,a\n\"x\ny\",2\n3,4\n"), [1, 2, 4]);
        assert_eq!(lines("id,a\r\n\"x\r\n\r\ny\",2\r\n3,4\r\n"), [1, 2, 5]);
        assert_eq!(lines("\u{feff}id,a\n1,2\n"), [1, 2]);
        assert_eq!(lines("\"a\nb\",c\n1,2\n"), [1, 3]);
    }

    #[test]
    fn line_breaks_found_in_every_position() {
        for len in 0..40 {
            for pos in 0..len {
                for b in [b'\n', b'\r'] {
                    let mut bytes = vec![b'x'; len];
                    bytes[pos] = b;
                    let mut index = LineIndex::default();
                    index.see(&bytes[..len / 2]);
                    index.see(&bytes[len / 2..]);
                    assert_eq!(index.breaks, [(pos as u64, b)]);
                    assert_eq!(index.passed, len as u64);
                }
            }
        }
    }

    #[test]
    fn long_files_keep_counting() {
        let mut s = String::from("id,a\r\n");
        for i in 0..50_000 {
            s.push_str(&format!("{i},\"x\ny\"\r\n"));
        }
        let got = lines(&s);
        assert_eq!(got.len(), 50_001);
        assert_eq!(got[50_000], 2 + 2 * 49_999);
    }

    #[test]
    fn empty_input() {
        for input in ["", "\n \n", "\u{feff}", "\u{feff}\r\n"] {
            assert!(
                Source::open(input.as_bytes(), None).unwrap().is_none(),
                "{input:?}"
            );
        }
    }

    #[test]
    fn delimiter_detection() {
        assert_eq!(detect_delimiter(b"a,b,c"), b',');
        assert_eq!(detect_delimiter(b"a;b;c"), b';');
        assert_eq!(detect_delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(detect_delimiter(b"a|b|c"), b'|');
        assert_eq!(detect_delimiter(b"\"a,b\";\"c,d\";e"), b';');
        assert_eq!(detect_delimiter(b"a;b,c"), b',');
        assert_eq!(detect_delimiter(b"abc"), b',');
        assert_eq!(detect_delimiter(b""), b',');
    }
}
