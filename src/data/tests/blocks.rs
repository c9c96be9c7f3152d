//! A file read a block at a time, each block's two halves at once, reads as
//! if row by row: same leads, lines, values and first bad row.

use super::*;

/// A file of `n` leads over several blocks, CRLF, with quoted line
/// breaks, doubled quotes and blank lines here and there; and each
/// lead's line and note.
fn many_rows(n: usize) -> (String, Vec<u64>, Vec<String>) {
    let mut csv = String::from("id,note,n,when,flag\r\n");
    let (mut lines, mut notes) = (Vec::new(), Vec::new());
    let mut line = 2;
    for i in 0..n {
        let note = if i % 7 == 0 {
            format!("x\r\ny \"q\" {i}")
        } else {
            format!("plain {i}")
        };
        let quoted = format!("\"{}\"", note.replace('"', "\"\""));
        let flag = if i % 3 == 0 { "yes" } else { "no" };
        csv.push_str(&format!(
            "L{i},{quoted}, {i} ,2024-01-{:02},{flag}\r\n",
            i % 28 + 1
        ));
        lines.push(line);
        notes.push(note.clone());
        line += 1 + note.matches('\n').count() as u64;
        if i % 1000 == 999 {
            csv.push_str("\r\n");
            line += 1;
        }
    }
    (csv, lines, notes)
}

#[test]
fn blocks_read_as_row_by_row() {
    let n = 150_000;
    let (csv, lines, notes) = many_rows(n);
    assert!(csv.len() > 6 << 20, "more than one block");
    let t = ok(&csv);
    assert_eq!(t.len, n);
    assert_eq!(t.lines, lines);
    let Values::Text(note) = values(&t, "note") else {
        panic!()
    };
    for (lead, want) in notes.iter().enumerate() {
        assert_eq!(note.get(lead), Some(want.as_str()), "lead {lead}");
    }
    assert_eq!(ty(&t, "n"), FieldType::Number);
    assert_eq!(ty(&t, "when"), FieldType::Date);
    assert_eq!(ty(&t, "flag"), FieldType::Bool);
    assert_eq!(shown(&t, "id")[n - 1], Some(format!("L{}", n - 1)));
}

#[test]
fn the_first_bad_row_is_the_one_reported_whichever_half_it_is_in() {
    let n = 150_000;
    let (csv, lines, _) = many_rows(n);
    // Ragged rows early and late in the second block (past 4 MiB).
    let (early, late) = (100_000, 140_000);
    let ragged = |csv: &str, i: usize| csv.replacen(&format!("L{i},"), &format!("L{i},extra,"), 1);
    let csv = ragged(&ragged(&csv, early), late);
    let e = err(&csv, &DataOptions::default());
    assert!(
        e.starts_with(&format!("data.csv:{}: row has 6 fields", lines[early])),
        "{e}"
    );
    let opts = DataOptions {
        skip_bad_rows: true,
        ..Default::default()
    };
    let (t, r) = load_str(&csv, &opts).unwrap();
    assert_eq!(t.len, n - 2);
    assert_eq!(r.skipped, 2);
    assert_eq!(r.skipped_lines, [lines[early], lines[late]]);
}

#[test]
fn a_quoted_field_across_the_middle_of_a_block() {
    // The first block's middle falls inside a long quoted field, so the
    // guess of where its second half starts is wrong.
    let mut csv = String::from("id,note\n");
    let mut i = 0;
    while csv.len() < (2 << 20) - 1000 {
        csv.push_str(&format!("{i},plain\n"));
        i += 1;
    }
    let long = "line\n".repeat(2000);
    csv.push_str(&format!("{i},\"{long}\"\n"));
    let first = i;
    while csv.len() < 5 << 20 {
        i += 1;
        csv.push_str(&format!("{i},plain\n"));
    }
    let t = ok(&csv);
    assert_eq!(t.len, i + 1);
    assert_eq!(shown(&t, "note")[first], Some(long.trim().to_string()));
    assert_eq!(shown(&t, "note")[first + 1], Some("plain".to_string()));
    assert_eq!(t.lines[first + 1], first as u64 + 2 + 2001);
    assert_eq!(t.lines[i], i as u64 + 2 + 2000);
}

#[test]
fn a_row_longer_than_a_block() {
    let long = "x".repeat(9 << 20);
    let csv = format!("id,note\n1,{long}\n2,\"{long}\"\n3,short\n");
    let t = ok(&csv);
    assert_eq!(t.len, 3);
    assert_eq!(t.lines, [2, 3, 4]);
    let Values::Text(note) = values(&t, "note") else {
        panic!()
    };
    assert_eq!(note.dict.len(), 2);
    assert_eq!(note.get(1).map(str::len), Some(long.len()));
}

#[test]
fn raw_rows_are_found_by_their_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("leads.csv");
    let csv = "\u{feff}\r\nid;note\r\n1;\" a \"\r\n\r\n2;\"x\r\ny\"\r\nbad\r\n3;=z\r\n";
    std::fs::write(&path, csv).unwrap();
    let opts = DataOptions {
        skip_bad_rows: true,
        ..Default::default()
    };
    let (t, r) = load(&path, &opts).unwrap();
    assert_eq!(t.lines, [3, 5, 8]);
    let (header, mut rows) = crate::data::RawRecords::open(&path, r.delimiter).unwrap();
    assert_eq!(header, ["id", "note"]);
    let got: Vec<_> = t.lines.iter().map(|&l| rows.row_at(l).unwrap()).collect();
    assert_eq!(
        got,
        [
            Some(vec!["1".to_string(), " a ".to_string()]),
            Some(vec!["2".to_string(), "x\r\ny".to_string()]),
            Some(vec!["3".to_string(), "=z".to_string()]),
        ]
    );
    assert_eq!(rows.row_at(99).unwrap(), None);
}
