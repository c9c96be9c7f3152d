//! The CSV byte stream: BOM, delimiter detection, blocks of whole records,
//! and the records of a block, each with the line it starts on.
//! Over 600 lines on purpose: the byte stream and the record scanner follow one set of
//! csv_core rules, and the tests below hold both to the csv crate together.
//!
//! Records are cut here rather than by the csv crate so that a block can be
//! cut in two and both halves read at once, and so that a cell can be
//! handed on as a range of the block instead of a copy. The rules are
//! csv_core's, as the csv crate's reader is configured by default (plus the
//! delimiter): a field that starts with `"` is quoted, `""` inside it is one
//! quote, and bytes after its closing quote are kept as they are; `\r`,
//! `\n` or `\r\n` end a record, and blank lines are no record at all. A test
//! holds the two to the same records on random input.
//!
//! Messages must name the line a user sees in an editor: a record's line is
//! one more than the number of `\n` bytes before its first byte.

use std::io::{self, Read};
use std::ops::Range;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Bytes read at a time: big enough that sharing a block between two
/// threads costs little, small enough that a block and its cells stay in
/// the shared cache while its columns are filled.
pub(crate) const BLOCK: usize = 4 << 20;

/// The longest stretch read as one block (a record that does not fit is
/// read by doubling the block): cells are `u32` offsets into a block and
/// the copies of its unescaped quoted cells, never longer than the block.
pub(crate) const MAX_BLOCK: usize = 1 << 31;

/// Bytes read at a time by [`Records`].
const RECORDS_BLOCK: usize = 1 << 16;

/// The input, read a block at a time.
pub(crate) struct Input<R> {
    reader: R,
    /// Zeroed once as it grows, then reused: the bytes read are
    /// `buf[start..end]`, those before `start` consumed.
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    /// Bytes read so far, the BOM included.
    read: u64,
    /// `\n` bytes consumed so far.
    newlines: u64,
    /// The last byte consumed: whether the file ends with a line break.
    last: Option<u8>,
    pub(crate) delimiter: u8,
}

impl<R: Read> Input<R> {
    /// Reads up to the header line to pick the delimiter (`delimiter` when
    /// given) and skips a BOM. `None` when the input holds nothing but
    /// whitespace.
    pub(crate) fn open(reader: R, delimiter: Option<u8>) -> io::Result<Option<Input<R>>> {
        let mut input = Input {
            reader,
            buf: Vec::new(),
            start: 0,
            end: 0,
            eof: false,
            read: 0,
            newlines: 0,
            last: None,
            delimiter: b',',
        };
        let mut want = RECORDS_BLOCK;
        let (bom, end) = loop {
            input.fill(want)?;
            let data = input.data();
            let bom = if data.starts_with(BOM) { BOM.len() } else { 0 };
            match header_line_end(&data[bom..]) {
                Some(end) => break (bom, end),
                None if input.eof => break (bom, data.len() - bom),
                None if want >= MAX_BLOCK => return Err(too_long()),
                None => want *= 2,
            }
        };
        let prefix = &input.data()[bom..bom + end];
        if prefix.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        input.delimiter = delimiter.unwrap_or_else(|| detect_delimiter(prefix));
        input.start += bom;
        Ok(Some(input))
    }

    /// Reads until `want` bytes are waiting or the input ends.
    pub(crate) fn fill(&mut self, want: usize) -> io::Result<()> {
        if self.eof || self.end - self.start >= want {
            return Ok(());
        }
        self.buf.copy_within(self.start..self.end, 0);
        self.end -= self.start;
        self.start = 0;
        if self.buf.len() < want {
            self.buf.resize(want, 0);
        }
        while !self.eof && self.end < want {
            match self.reader.read(&mut self.buf[self.end..want]) {
                Ok(0) => self.eof = true,
                Ok(n) => {
                    self.end += n;
                    self.read += n as u64;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// The bytes read and not yet consumed.
    pub(crate) fn data(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// No bytes will follow [`Input::data`].
    pub(crate) fn eof(&self) -> bool {
        self.eof
    }

    pub(crate) fn consume(&mut self, n: usize) {
        let data = &self.buf[self.start..self.start + n];
        let (newlines, last) = (count_newlines(data), data.last().copied());
        self.newlines += newlines;
        self.last = last.or(self.last);
        self.start += n;
    }

    /// Lines consumed so far, as an editor counts them: one per `\n`,
    /// and one more for text after the last.
    pub(crate) fn lines(&self) -> u64 {
        self.newlines + u64::from(self.last.is_some_and(|b| b != b'\n'))
    }

    /// `\n` bytes before [`Input::data`].
    pub(crate) fn newlines(&self) -> u64 {
        self.newlines
    }

    /// Bytes read so far, the BOM included.
    pub(crate) fn bytes(&self) -> u64 {
        self.read
    }
}

/// A sequential record reader over an [`Input`], for the header and for
/// reading a file's rows again.
pub(crate) struct Records<R> {
    input: Input<R>,
    /// Bytes of `input.data()` the last record used.
    used: usize,
    /// The last record: its line, and its fields end to end.
    pub(crate) line: u64,
    /// Line breaks inside the last record's quoted cells.
    pub(crate) continued: u64,
    /// The header's number of fields, for [`Scanner::width`]; 0 before
    /// the header is read.
    pub(crate) width: usize,
    text: Vec<u8>,
    ends: Vec<usize>,
    /// Kept between records to save allocations.
    spans: Vec<Span>,
}

impl<R: Read> Records<R> {
    pub(crate) fn new(input: Input<R>) -> Records<R> {
        Records {
            input,
            used: 0,
            line: 0,
            continued: 0,
            width: 0,
            text: Vec::new(),
            ends: Vec::new(),
            spans: Vec::new(),
        }
    }

    /// Reads the next record; false at the end.
    pub(crate) fn next(&mut self) -> io::Result<bool> {
        self.input.consume(std::mem::take(&mut self.used));
        let mut want = RECORDS_BLOCK;
        loop {
            let more = !self.input.eof();
            let mut scanner = Scanner::new(
                self.input.data(),
                self.input.delimiter,
                more,
                self.input.newlines(),
            );
            scanner.fields = std::mem::take(&mut self.spans);
            scanner.width = self.width;
            let mut found = scanner.next();
            // After the header, a quote left open is skipped as the loader
            // skips it, so that rows are found on the lines it gave them.
            let resume = match found {
                Some(line) if self.width > 0 => scanner.runaway(line).map(|r| r.resume),
                _ => None,
            };
            if resume.is_some() {
                found = None;
            }
            if let Some(line) = found {
                self.continued = scanner.continued;
                self.line = line;
                self.text.clear();
                self.ends.clear();
                for &f in &scanner.fields {
                    self.text.extend_from_slice(scanner.field(f));
                    self.ends.push(self.text.len());
                }
            }
            let rest = scanner.pos();
            self.spans = scanner.fields;
            if let Some(resume) = resume {
                self.input.consume(resume);
                continue;
            }
            if found.is_some() || !more {
                self.used = rest;
                return Ok(found.is_some());
            }
            // Only line breaks, or a record that goes on past the bytes read.
            self.input.consume(rest);
            if self.input.data().len() >= want {
                if want >= MAX_BLOCK {
                    return Err(too_long());
                }
                want *= 2;
            }
            self.input.fill(want)?;
        }
    }

    /// The fields of the last record.
    pub(crate) fn fields(&self) -> impl ExactSizeIterator<Item = &[u8]> + '_ {
        (0..self.ends.len()).map(|i| {
            let start = if i == 0 { 0 } else { self.ends[i - 1] };
            &self.text[start..self.ends[i]]
        })
    }

    /// The fields of the last record as text.
    fn cells(&self) -> Vec<String> {
        self.fields()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect()
    }

    /// The input, after the last record read.
    pub(crate) fn into_input(mut self) -> Input<R> {
        self.input.consume(self.used);
        self.input
    }
}

/// A CSV file read again row by row, its cells as written (not trimmed):
/// what `--keep-columns` appends. Rows are found by the line the loader
/// gave them ([`super::LeadTable::lines`]), so blank lines, quoted line
/// breaks and skipped rows need no special care.
pub struct RawRecords {
    records: Records<std::fs::File>,
}

impl RawRecords {
    /// Opens `path` and reads its header: the first record that is not
    /// blank, as for loading. Returns the header cells and the reader.
    pub fn open(path: &std::path::Path, delimiter: u8) -> io::Result<(Vec<String>, RawRecords)> {
        let file = std::fs::File::open(path)?;
        let empty = || io::Error::new(io::ErrorKind::UnexpectedEof, "no header row");
        let input = Input::open(file, Some(delimiter))?.ok_or_else(empty)?;
        let mut records = Records::new(input);
        loop {
            if !records.next()? {
                return Err(empty());
            }
            if !is_blank(records.fields()) {
                break;
            }
        }
        let header = records.cells();
        records.width = header.len();
        Ok((header, RawRecords { records }))
    }

    /// The cells of the record that starts on `line`, or `None` when no
    /// record after the last one read does. Lines must be asked in
    /// increasing order.
    pub fn row_at(&mut self, line: u64) -> io::Result<Option<Vec<String>>> {
        while self.records.next()? {
            if self.records.line == line {
                return Ok(Some(self.records.cells()));
            }
            if self.records.line > line {
                return Ok(None);
            }
        }
        Ok(None)
    }
}

/// A cell: a range of the bytes being read or, for a quoted cell that had
/// to be unescaped, of [`Scanner::extra`] (offset by the bytes' length).
pub(crate) type Span = (u32, u32);

/// Cuts records out of a stretch of bytes that starts at a record boundary.
pub(crate) struct Scanner<'b> {
    bytes: &'b [u8],
    delimiter: u8,
    /// More bytes follow `bytes`: a record that reaches their end is not
    /// complete, and is left for the next stretch.
    more: bool,
    pos: usize,
    /// `\n` bytes before `counted`, from the start of the input.
    newlines: u64,
    counted: usize,
    /// The bytes of the last record, its terminator included.
    raw: Range<usize>,
    /// The fields of the last record.
    pub(crate) fields: Vec<Span>,
    /// Quoted cells with `""` inside or bytes after the closing quote,
    /// unescaped. Kept across records, so that their spans stay valid.
    pub(crate) extra: Vec<u8>,
    /// The header's number of fields (0 when unknown): a quoted cell that
    /// swallows a line of that many fields is a quote left open.
    pub(crate) width: usize,
    /// Lines that hold no record (line breaks between records beyond the
    /// one ending each).
    pub(crate) blank_lines: u64,
    /// `\n` bytes inside the last record's quoted cells.
    pub(crate) continued: u64,
    /// A quoted cell of the last record that looks like a quote left open.
    runaway: Option<Open>,
}

/// A quoted cell that spans line breaks and looks like a quote left open
/// (the rule is [`Scanner::check_open`]'s). Byte positions in the bytes.
#[derive(Debug, Clone, Copy)]
struct Open {
    quote: usize,
    why: OpenWhy,
}

#[derive(Debug, Clone, Copy)]
enum OpenWhy {
    /// The cell runs to the end of the input.
    ToTheEnd,
    /// Text follows the closing quote at `close`.
    TextAfter { close: usize },
    /// The line starting at `line` has `fields` fields, as the header.
    SwallowsRow { close: usize, line: usize },
}

/// A quote left open, as the loader reports it.
pub(crate) struct Runaway {
    /// Where the quote opens.
    pub(crate) line: u64,
    /// Where reading goes on when the row is skipped: the start of the
    /// line after the quote's.
    pub(crate) resume: usize,
    /// What happened, after "a quoted cell opens on this line and ".
    pub(crate) what: String,
}

/// Headers narrower than this do not use the "swallows a whole row" test:
/// a line of a note with one or two commas is too common.
const ROW_TEST_WIDTH: usize = 4;

/// How a record's last field ended.
enum End {
    Delimiter,
    Record,
    /// At the end of the bytes: the record is complete only if none follow.
    Bytes,
}

impl<'b> Scanner<'b> {
    /// `newlines`: the `\n` bytes in the input before `bytes`.
    pub(crate) fn new(bytes: &'b [u8], delimiter: u8, more: bool, newlines: u64) -> Scanner<'b> {
        Scanner {
            bytes,
            delimiter,
            more,
            pos: 0,
            newlines,
            counted: 0,
            raw: 0..0,
            fields: Vec::new(),
            extra: Vec::new(),
            width: 0,
            blank_lines: 0,
            continued: 0,
            runaway: None,
        }
    }

    /// Reads on from `pos` (a [`Runaway::resume`]) instead of after the
    /// last record.
    pub(crate) fn resume_at(&mut self, pos: usize) {
        self.pos = pos.clamp(self.raw.start, self.bytes.len());
    }

    /// The last record's quote left open, if it has one; `line` is the
    /// record's.
    pub(crate) fn runaway(&self, line: u64) -> Option<Runaway> {
        let open = self.runaway?;
        let bytes = self.bytes;
        let line_of = |at: usize| line + count_newlines(&bytes[self.raw.start..at]);
        let quote_line = line_of(open.quote);
        // The start of the next line (a `\r\n` is one line break).
        let mut resume = find(bytes, open.quote, [b'\r', b'\n']);
        if bytes.get(resume) == Some(&b'\r') && bytes.get(resume + 1) == Some(&b'\n') {
            resume += 1;
        }
        let resume = (resume + 1).min(bytes.len());
        let what = match open.why {
            OpenWhy::ToTheEnd => {
                let rest = &bytes[open.quote..];
                let after =
                    count_newlines(rest) + u64::from(rest.last().is_some_and(|&b| b != b'\n')) - 1;
                format!(
                    "is never closed: it runs to the end of the file, swallowing the {after} line{} after it",
                    if after == 1 { "" } else { "s" }
                )
            }
            OpenWhy::TextAfter { close } => format!(
                "runs to line {}, where its closing quote is followed by text: is the quote left open?",
                line_of(close)
            ),
            OpenWhy::SwallowsRow { close, line } => format!(
                "runs to line {}, swallowing line {}, which reads as a whole row ({} fields, as the header): is the quote left open?",
                line_of(close),
                line_of(line),
                self.width
            ),
        };
        Some(Runaway {
            line: quote_line,
            resume,
            what,
        })
    }

    /// The end of a record at the line break `bytes[i]`: a `\r\n` is one
    /// line break, so a `\r` last in the bytes waits for what follows.
    fn line_break(&self, i: usize) -> (End, usize) {
        let bytes = self.bytes;
        if bytes[i] == b'\r' {
            match bytes.get(i + 1) {
                Some(b'\n') => return (End::Record, i + 2),
                None if self.more => return (End::Bytes, i + 1),
                _ => {}
            }
        }
        (End::Record, i + 1)
    }

    /// Whether the quoted cell from the quote at `quote` to `close` (its
    /// closing quote, or the end of the bytes when `closed` is false)
    /// spans line breaks, and if so whether it is a quote left open: one
    /// that runs to the end of the input, is followed by text after its
    /// closing quote (`text_after`), or swallows a line that has, by
    /// itself, the header's number of fields (headers of
    /// [`ROW_TEST_WIDTH`] fields or more). Counts the cell's `\n` bytes.
    fn check_open(&mut self, quote: usize, close: usize, closed: bool, text_after: bool) {
        let inner = &self.bytes[quote + 1..close];
        if find(inner, 0, [b'\r', b'\n']) == inner.len() {
            return;
        }
        self.continued += count_newlines(inner);
        if self.runaway.is_some() {
            return;
        }
        let why = if !closed {
            (!self.more).then_some(OpenWhy::ToTheEnd)
        } else if text_after {
            Some(OpenWhy::TextAfter { close })
        } else if self.width >= ROW_TEST_WIDTH {
            self.swallowed_row(quote + 1, close)
                .map(|line| OpenWhy::SwallowsRow { close, line })
        } else {
            None
        };
        self.runaway = why.map(|why| Open { quote, why });
    }

    /// The first whole line inside `bytes[start..end]` (neither the first
    /// nor the last piece) with the header's number of fields.
    fn swallowed_row(&self, start: usize, end: usize) -> Option<usize> {
        let bytes = &self.bytes[..end];
        let mut line = find(bytes, start, [b'\r', b'\n']);
        loop {
            while line < end && matches!(bytes[line], b'\r' | b'\n') {
                line += 1;
            }
            let line_end = find(bytes, line, [b'\r', b'\n']);
            if line_end >= end {
                return None;
            }
            let mut fields = 1;
            let mut quoted = false;
            for &b in &bytes[line..line_end] {
                if b == b'"' {
                    quoted = !quoted;
                } else if b == self.delimiter && !quoted {
                    fields += 1;
                }
            }
            if fields == self.width && !quoted {
                return Some(line);
            }
            line = line_end;
        }
    }

    /// Where the next record starts: everything before is read.
    pub(crate) fn pos(&self) -> usize {
        self.pos
    }

    /// The bytes of a field.
    pub(crate) fn field(&self, span: Span) -> &[u8] {
        let (buf, range) = self.field_at(span);
        buf.get(range).unwrap_or_default()
    }

    /// Where a field's bytes are: the buffer holding them and their range.
    pub(crate) fn field_at(&self, (start, end): Span) -> (&[u8], Range<usize>) {
        let (start, end) = (start as usize, end as usize);
        let n = self.bytes.len();
        if start < n {
            (self.bytes, start..end)
        } else {
            (&self.extra, start - n..end - n)
        }
    }

    /// Whether the last record is all ASCII (then so is every field).
    pub(crate) fn is_ascii(&self) -> bool {
        self.bytes[self.raw.clone()].is_ascii()
    }

    /// Reads the next complete record into `fields` and returns its line;
    /// `None` when no complete record is left ([`Scanner::pos`] then is
    /// where the rest starts).
    pub(crate) fn next(&mut self) -> Option<u64> {
        let bytes = self.bytes;
        let mut i = self.pos;
        while i < bytes.len() && matches!(bytes[i], b'\r' | b'\n') {
            if bytes[i] == b'\r' {
                match bytes.get(i + 1) {
                    Some(b'\n') => i += 1,
                    // The `\n` of this `\r\n` may follow.
                    None if self.more => break,
                    _ => {}
                }
            }
            self.blank_lines += 1;
            i += 1;
        }
        if i == bytes.len() || matches!(bytes[i], b'\r' | b'\n') {
            self.pos = i;
            return None;
        }
        let start = i;
        let extra = self.extra.len();
        self.fields.clear();
        self.continued = 0;
        self.runaway = None;
        loop {
            let (span, end, next) = self.read_field(i);
            i = next;
            match end {
                End::Delimiter => self.fields.push(span),
                End::Record => {
                    self.fields.push(span);
                    break;
                }
                End::Bytes if self.more => {
                    self.extra.truncate(extra);
                    self.pos = start;
                    return None;
                }
                End::Bytes => {
                    self.fields.push(span);
                    break;
                }
            }
        }
        self.pos = i;
        self.raw = start..i;
        self.newlines += count_newlines(&bytes[self.counted..start]);
        self.counted = start;
        Some(self.newlines + 1)
    }

    /// Reads the field that starts at `i`: its span, how it ended, and
    /// where the next one starts. The order of the tests is csv_core's.
    fn read_field(&mut self, mut i: usize) -> (Span, End, usize) {
        let bytes = self.bytes;
        let d = self.delimiter;
        let to_end = |i: usize| find(bytes, i, [d, b'\r', b'\n']);
        // What ends an unquoted stretch at `j`.
        let ending = |j: usize| match bytes.get(j) {
            None => End::Bytes,
            Some(&b) if b == d => End::Delimiter,
            Some(_) => End::Record,
        };
        let span = |a: usize, b: usize| (a as u32, b as u32);
        if bytes.get(i) != Some(&b'"') {
            let start = i;
            i = to_end(i);
            let (end, next) = match ending(i) {
                End::Record => self.line_break(i),
                end => (end, if i < bytes.len() { i + 1 } else { i }),
            };
            return (span(start, i), end, next);
        }
        // A quoted field: one piece is a range of `bytes`; more are joined
        // in `extra`.
        let n = bytes.len();
        let mut first: Option<(usize, usize)> = None;
        let mut joined: Option<usize> = None;
        let mut add = |extra: &mut Vec<u8>, a: usize, b: usize| match (first, joined) {
            (None, _) => first = Some((a, b)),
            (Some((fa, fb)), None) => {
                joined = Some(extra.len());
                extra.extend_from_slice(&bytes[fa..fb]);
                extra.extend_from_slice(&bytes[a..b]);
            }
            (Some(_), Some(_)) => extra.extend_from_slice(&bytes[a..b]),
        };
        let quote = i;
        i += 1;
        // Where the closing quote is, and whether text follows it.
        let mut close = (n, false, false);
        let (end, next) = loop {
            let piece = i;
            i = find(bytes, i, [b'"']);
            add(&mut self.extra, piece, i);
            if i == n {
                break (End::Bytes, i);
            }
            // After a quote inside quotes: another quote is a quote.
            close = (i, true, false);
            i += 1;
            match bytes.get(i) {
                None => break (End::Bytes, i),
                Some(b'"') => {
                    add(&mut self.extra, i, i + 1);
                    i += 1;
                    close = (n, false, false);
                }
                Some(&b) if b == d => break (End::Delimiter, i + 1),
                Some(b'\r' | b'\n') => break self.line_break(i),
                Some(_) => {
                    // The rest, up to a delimiter or line break, as written.
                    close.2 = true;
                    let rest = i;
                    i = to_end(i);
                    add(&mut self.extra, rest, i);
                    break match ending(i) {
                        End::Record => self.line_break(i),
                        end => (end, if i < n { i + 1 } else { i }),
                    };
                }
            }
        };
        self.check_open(quote, close.0, close.1, close.2);
        let field = match (first, joined) {
            (_, Some(at)) => span(n + at, n + self.extra.len()),
            (Some((a, b)), None) => span(a, b),
            (None, None) => span(i, i),
        };
        (field, end, next)
    }
}

/// Where the first of `targets` occurs in `bytes` at or after `i`, else
/// `bytes.len()`. Eight bytes at a time: most fields end within the first
/// eight, so the search is one step instead of a loop the processor cannot
/// predict the end of.
#[inline]
pub(crate) fn find<const N: usize>(bytes: &[u8], mut i: usize, targets: [u8; N]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    // The high bit of each zero byte of `v`. A borrow can also mark bytes
    // after a zero byte, but the lowest mark, the one used, is exact.
    let zeros = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS;
    let splat = targets.map(|t| u64::from(t) * ONES);
    while let Some(chunk) = bytes.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        let word = u64::from_le_bytes(*chunk);
        let hits = splat.iter().fold(0, |m, &t| m | zeros(word ^ t));
        if hits != 0 {
            return i + (hits.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while i < bytes.len() && !targets.contains(&bytes[i]) {
        i += 1;
    }
    i
}

/// The end of the header line in `data` (after any BOM): through the first
/// line that is not blank, continuing while a quoted field spans lines.
/// `None` when `data` ends first.
fn header_line_end(data: &[u8]) -> Option<usize> {
    let mut in_quotes = false;
    let mut blank = true;
    let mut start = 0;
    while let Some(nl) = data[start..].iter().position(|&b| b == b'\n') {
        let line = &data[start..=start + nl];
        in_quotes ^= line.iter().filter(|&&b| b == b'"').count() % 2 == 1;
        blank &= line.iter().all(u8::is_ascii_whitespace);
        start += nl + 1;
        if !in_quotes && !blank {
            return Some(start);
        }
    }
    None
}

/// A record holding nothing but whitespace: no header, no lead.
pub(crate) fn is_blank<'f>(mut fields: impl ExactSizeIterator<Item = &'f [u8]>) -> bool {
    fields.len() <= 1 && fields.all(|f| f.iter().all(u8::is_ascii_whitespace))
}

/// Why a record cannot be read: cells are `u32` offsets into a block.
pub(crate) fn too_long() -> io::Error {
    io::Error::new(
        io::ErrorKind::InvalidData,
        "a row is longer than 2 GiB (is a quote left open?)",
    )
}

/// `\n` bytes in `bytes`.
pub(crate) fn count_newlines(bytes: &[u8]) -> u64 {
    // Byte-wide counts over short chunks: the compiler turns this into
    // vector compares and adds, several times faster than `filter().count()`.
    bytes
        .chunks(255)
        .map(|c| u64::from(c.iter().fold(0u8, |n, &b| n + u8::from(b == b'\n'))))
        .sum()
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

    /// Every record of `input`: its line and fields, read in blocks of
    /// `block` bytes (each block's records found by a fresh scanner, as the
    /// loader does).
    fn records_in_blocks(input: &[u8], delimiter: u8, block: usize) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut out = Vec::new();
        let (mut start, mut newlines) = (0, 0);
        let mut end = block.min(input.len());
        loop {
            let more = end < input.len();
            let mut scanner = Scanner::new(&input[start..end], delimiter, more, newlines);
            while let Some(line) = scanner.next() {
                let fields = scanner
                    .fields
                    .iter()
                    .map(|&f| scanner.field(f).to_vec())
                    .collect();
                out.push((line, fields));
            }
            newlines += count_newlines(&input[start..start + scanner.pos()]);
            start += scanner.pos();
            if !more {
                assert_eq!(start, input.len());
                return out;
            }
            end = (end + block).min(input.len());
        }
    }

    /// What the csv crate reads, with each record's line as an editor
    /// shows it: one more than the `\n` bytes before its first byte.
    fn csv_crate_records(input: &[u8], delimiter: u8) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(input);
        let mut out = Vec::new();
        let mut rec = csv::ByteRecord::new();
        let (mut counted, mut newlines) = (0, 0);
        while rdr.read_byte_record(&mut rec).unwrap() {
            let mut first = rec.position().unwrap().byte() as usize;
            while matches!(input.get(first), Some(b'\r' | b'\n')) {
                first += 1;
            }
            newlines += count_newlines(&input[counted..first]);
            counted = first;
            out.push((1 + newlines, rec.iter().map(<[u8]>::to_vec).collect()));
        }
        out
    }

    fn lines(input: &str) -> Vec<u64> {
        let mut records = Records::new(Input::open(input.as_bytes(), None).unwrap().unwrap());
        let mut out = Vec::new();
        while records.next().unwrap() {
            out.push(records.line);
        }
        assert_eq!(records.into_input().bytes(), input.len() as u64);
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
    fn long_files_keep_counting() {
        let mut s = String::from("id,a\r\n");
        for i in 0..50_000 {
            s.push_str(&format!("{i},\"x\ny\"\r\n"));
        }
        let got = lines(&s);
        assert_eq!(got.len(), 50_001);
        assert_eq!(got[50_000], 2 + 2 * 49_999);
        assert_eq!(
            records_in_blocks(s.as_bytes(), b',', 1000),
            csv_crate_records(s.as_bytes(), b',')
        );
    }

    #[test]
    fn same_records_as_the_csv_crate() {
        let alphabet: &[&[u8]] = &[
            b",",
            b";",
            b"\"",
            b"\"\"",
            b"\n",
            b"\r",
            b"\r\n",
            b"\t",
            b" ",
            b"a",
            b"bc",
            b"1",
            b"\xC3\xA9",
            b"\xFF",
        ];
        let mut next = crate::testing::xorshift(0x2545_f491_4f6c_dd1d);
        for round in 0..20_000 {
            let input = crate::testing::concat_tokens(&mut next, alphabet, 30);
            let delimiter = [b',', b';', b'\t', b'"', b'\n', b'\r', b'a'][round % 7];
            let want = csv_crate_records(&input, delimiter);
            for block in [1, 2, 3, 7, 64] {
                assert_eq!(
                    records_in_blocks(&input, delimiter, block),
                    want,
                    "{:?} delimiter {:?} block {block}",
                    String::from_utf8_lossy(&input),
                    delimiter as char
                );
            }
        }
    }

    #[test]
    fn find_every_position() {
        for len in 0..40 {
            for pos in 0..len {
                for b in [b'\n', b'\r', b';', b'\x80', b'\xff'] {
                    let mut bytes = vec![b'x'; len];
                    bytes[pos] = b;
                    for from in 0..=len {
                        let want = if from <= pos { pos } else { len };
                        assert_eq!(find(&bytes, from, [b';', b, b'\n']), want);
                        assert_eq!(find(&bytes, from, [b'y']), len);
                    }
                    // Matches after the first do not disturb it.
                    for later in pos + 1..len {
                        let mut more = bytes.clone();
                        more[later] = b;
                        assert_eq!(find(&more, 0, [b]), pos);
                    }
                }
            }
        }
    }

    #[test]
    fn empty_input() {
        for input in ["", "\n \n", "\u{feff}", "\u{feff}\r\n"] {
            assert!(
                Input::open(input.as_bytes(), None).unwrap().is_none(),
                "{input:?}"
            );
        }
    }

    #[test]
    fn header_line_decides_the_delimiter() {
        let delimiter = |s: &str| Input::open(s.as_bytes(), None).unwrap().unwrap().delimiter;
        assert_eq!(delimiter("\n\na;b;c\n1,2,3,4,5\n"), b';');
        assert_eq!(delimiter("\"x\ny,z\";b;c\n1,2,3,4,5\n"), b';');
        assert_eq!(delimiter("\u{feff}a|b\n"), b'|');
        assert_eq!(
            Input::open(&b"a,b"[..], Some(b';'))
                .unwrap()
                .unwrap()
                .delimiter,
            b';'
        );
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
