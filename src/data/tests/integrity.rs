//! Issue 15: nothing lost, nothing misleading. A quote left open must not
//! swallow rows silently, the lines of a file must add up to its leads,
//! skipped rows and blank lines, and a column that is text because of a
//! few values must name them.

use super::*;

fn load_str(csv: &str, skip_bad_rows: bool) -> anyhow::Result<(LeadTable, LoadReport)> {
    let opts = DataOptions {
        id: Some("id".into()),
        skip_bad_rows,
        ..Default::default()
    };
    load_reader("leads.csv", csv.as_bytes(), &opts)
}

fn err(csv: &str) -> String {
    match load_str(csv, false) {
        Ok((t, _)) => panic!("expected an error, loaded {} leads", t.len),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_quote_left_open_to_the_end_of_the_file_is_an_error_naming_its_line() {
    // Lead 150 (line 152) has a note that starts with a quote never closed.
    let csv = leads(200, |i| {
        if i == 150 {
            "\"Great call, wants a demo".into()
        } else {
            plain(i)
        }
    });
    assert_eq!(
        err(&csv),
        "leads.csv:152: a quoted cell opens on this line and is never closed: it runs to the end \
         of the file, swallowing the 49 lines after it; close the quote (a quote inside a cell is written \"\") \
         or pass --skip-bad-rows to skip this row and read on from line 153"
    );
    let (t, r) = load_str(&csv, true).unwrap();
    assert_eq!(t.len, 199);
    assert_eq!(r.skipped, 1);
    assert_eq!(r.skipped_lines, [152]);
    assert_eq!(t.lead_id(150), "L151");
    assert_eq!(t.lines[150], 153);
    assert_eq!(r.lines, 201);
    assert_eq!(
        r.header_lines + r.blank_lines + r.leads as u64 + r.skipped as u64,
        r.lines
    );
}

#[test]
fn a_quote_that_closes_at_another_cells_quote_is_an_error() {
    // The open quote of line 12 is closed by the quote that opens the note
    // of line 20: the ten rows between would be one note.
    let csv = leads(50, |i| match i {
        10 => "\"Great call".into(),
        18 => "\"asked for \"\"pricing\"\"\"".into(),
        _ => plain(i),
    });
    let e = err(&csv);
    assert!(
        e.starts_with(
            "leads.csv:12: a quoted cell opens on this line and runs to line 20, where its closing \
             quote is followed by text: is the quote left open?"
        ),
        "{e}"
    );
    assert!(
        e.ends_with("or pass --skip-bad-rows to skip this row and read on from line 13"),
        "{e}"
    );
    let (t, r) = load_str(&csv, true).unwrap();
    assert_eq!(t.len, 49);
    assert_eq!(r.skipped_lines, [12]);
    assert_eq!(t.lead_id(10), "L11");
    let notes = &t.columns[4].values;
    assert_eq!(notes.display(17).as_deref(), Some("asked for \"pricing\""));
}

#[test]
fn a_quote_that_swallows_whole_rows_is_an_error_even_when_the_fields_add_up() {
    // A stray inch mark closes the quote cleanly in the same column: the
    // row has the header's six fields, but rows 13..=19 are inside it.
    let csv = leads(50, |i| match i {
        10 => "\"Great call".into(),
        18 => "screen 27\"".into(),
        _ => plain(i),
    });
    let e = err(&csv);
    assert!(
        e.starts_with(
            "leads.csv:12: a quoted cell opens on this line and runs to line 20, swallowing line \
             13, which reads as a whole row (6 fields, as the header): is the quote left open?"
        ),
        "{e}"
    );
    let (t, r) = load_str(&csv, true).unwrap();
    // Line 20 is read again as a row: its stray quote is kept as written.
    assert_eq!(t.len, 49);
    assert_eq!(r.skipped, 1);
    assert_eq!(
        t.columns[4].values.display(17).as_deref(),
        Some("screen 27\"")
    );
}

#[test]
fn legitimate_multi_line_notes_still_load() {
    let csv = leads(200, |i| {
        if i % 10 == 0 {
            format!("\"first line, with a comma\nsecond line {i}\n\nthird, \"\"quoted\"\" line\"")
        } else {
            plain(i)
        }
    });
    let (t, r) = load_str(&csv, false).unwrap();
    assert_eq!(t.len, 200);
    assert_eq!(
        t.columns[4].values.display(10).as_deref(),
        Some("first line, with a comma\nsecond line 10\n\nthird, \"quoted\" line")
    );
    assert_eq!(r.multiline_rows, 20);
    assert_eq!(r.continued_lines, 60);
    assert_eq!(r.lines, 1 + 200 + 60);
}

#[test]
fn lines_leads_skipped_and_blank_lines_reconcile() {
    let mut csv = String::from("\nid,n,note\r\n");
    csv.push_str("1,1,a\r\n\r\n2,2,\"x\r\ny\"\r\n   \r\n3,3\r\n4,4,b\n\n\n5,5,c");
    let (t, r) = load_str(&csv, true).unwrap();
    assert_eq!(t.len, 4);
    assert_eq!(r.leads, 4);
    assert_eq!(r.skipped, 1);
    assert_eq!(r.header_lines, 1);
    // Line 1, line 4, the spaces of line 7 and lines 10 and 11.
    assert_eq!(r.blank_lines, 5);
    assert_eq!(r.continued_lines, 1);
    assert_eq!(r.multiline_rows, 1);
    assert_eq!(r.lines, 12);
    assert_eq!(
        r.lines,
        r.header_lines + r.blank_lines + r.continued_lines + r.leads as u64 + r.skipped as u64
    );
    assert_eq!(
        r.line_accounting().as_deref(),
        Some(
            "12 lines: 1 header, 4 leads, 1 skipped, 5 blank, 1 inside quoted cells (1 row \
             spans several lines)"
        )
    );
    // A plain file needs no accounting.
    let (_, r) = load_str("id,n\n1,2\n3,4\n", false).unwrap();
    assert_eq!(r.line_accounting(), None);
    assert_eq!((r.lines, r.leads, r.blank_lines), (3, 2, 0));
}

#[test]
fn the_accounting_uses_thousands_separators() {
    let mut csv = leads(1195, |i| if i < 2 { "\"a\nb\"".into() } else { plain(i) });
    csv.push_str("x,y\n\n\nz\n");
    let (_, r) = load_str(&csv, true).unwrap();
    assert_eq!(
        r.line_accounting().as_deref(),
        Some(
            "1,202 lines: 1 header, 1,195 leads, 2 skipped, 2 blank, 2 inside quoted cells (2 \
             rows span several lines)"
        )
    );
}

/// `lines == header + blank + leads + skipped + continued` for any file
/// that loads (line breaks are `\n` or `\r\n`: a `\r` alone breaks a
/// record but not a line an editor counts by `\n`).
#[test]
fn lines_always_add_up() {
    let alphabet: &[&[u8]] = &[
        b",", b",", b"\"", b"\n", b"\r\n", b" ", b"a", b"1", b"\"\"", b"x,y", b"\n\n",
    ];
    let mut next = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15);
    for round in 0..4000 {
        let mut bytes = b"id,b,c,d\n".to_vec();
        bytes.extend(crate::testing::concat_tokens(&mut next, alphabet, 60));
        for skip in [true, false] {
            let opts = DataOptions {
                skip_bad_rows: skip,
                ..Default::default()
            };
            if let Ok((t, r)) = load_reader("x.csv", &bytes[..], &opts) {
                assert_eq!(r.leads, t.len);
                assert_eq!(
                    r.lines,
                    r.header_lines
                        + r.blank_lines
                        + r.continued_lines
                        + r.leads as u64
                        + r.skipped as u64,
                    "round {round} {:?} {r:?}",
                    String::from_utf8_lossy(&bytes)
                );
            }
        }
    }
}

#[test]
fn a_quote_left_open_in_a_big_file_is_skipped_and_the_rest_read() {
    let n = 150_000;
    let csv = leads(n, |i| {
        if i == 1000 {
            "\"never closed".into()
        } else {
            plain(i)
        }
    });
    assert!(csv.len() > 8 << 20, "several blocks");
    assert!(
        err(&csv)
            .starts_with("leads.csv:1002: a quoted cell opens on this line and is never closed")
    );
    let (t, r) = load_str(&csv, true).unwrap();
    assert_eq!(t.len, n - 1);
    assert_eq!(r.skipped_lines, [1002]);
    assert_eq!(t.lines[1000], 1003);
    assert_eq!(r.lines, n as u64 + 1);
    assert_eq!(r.header_lines + r.leads as u64 + r.skipped as u64, r.lines);
}

#[test]
fn raw_rows_after_a_skipped_open_quote_are_found_by_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("leads.csv");
    let csv = leads(30, |i| if i == 5 { "\"open".into() } else { plain(i) });
    std::fs::write(&path, &csv).unwrap();
    let opts = DataOptions {
        id: Some("id".into()),
        skip_bad_rows: true,
        ..Default::default()
    };
    let (t, r) = load(&path, &opts).unwrap();
    assert_eq!(t.len, 29);
    let (_, mut rows) = RawRecords::open(&path, r.delimiter).unwrap();
    for (lead, &line) in t.lines.iter().enumerate() {
        let row = rows.row_at(line).unwrap().expect("row");
        assert_eq!(row[0], t.lead_id(lead), "line {line}");
    }
}
