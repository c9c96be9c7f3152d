//! Files and rows that cannot be read: empty or absent files, ragged rows,
//! invalid UTF-8, values that do not fit a declared type, `[fields]`
//! mistakes; each named by file and line, or skipped with `--skip-bad-rows`.

use super::*;
use std::path::Path;

#[test]
fn crlf_file_errors_name_the_line_an_editor_shows() {
    let csv = "a,b\r\n1,2\r\n\r\n\"x\r\ny\",3\r\n4\r\n";
    assert!(
        err(csv, &DataOptions::default()).starts_with("data.csv:6: row has 1 fields"),
        "{}",
        err(csv, &DataOptions::default())
    );
}

#[test]
fn header_only_file_has_no_leads() {
    let t = ok("a,b\n");
    assert_eq!(t.len, 0);
    assert_eq!(ty(&t, "a"), FieldType::Text);
}

#[test]
fn empty_file_is_an_error() {
    for csv in ["", "\u{feff}", "\n\n  \n"] {
        let e = err(csv, &DataOptions::default());
        assert!(
            e.starts_with("data.csv is empty: expected a header row"),
            "{e}"
        );
    }
}

#[test]
fn missing_file_is_an_error() {
    let e = load(Path::new("/nonexistent/data.csv"), &DataOptions::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "cannot read /nonexistent/data.csv: No such file or directory (os error 2)"
    );
}

#[test]
fn load_reads_a_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("leads.csv");
    std::fs::write(&path, "id,n\na,1\nb,2\n").unwrap();
    let (t, r) = load(&path, &DataOptions::default()).unwrap();
    assert_eq!(t.len, 2);
    assert_eq!(r.bytes, 13);
}

#[test]
fn ragged_row_is_an_error_naming_the_line() {
    let csv = "a,b,c\n1,2,3\n4,5\n6,7,8\n";
    assert_eq!(
        err(csv, &DataOptions::default()),
        "data.csv:3: row has 2 fields, the header has 3; fix the row or pass --skip-bad-rows"
    );
    // The line counts physical lines, including quoted newlines before it.
    let csv = "a,b\n\"x\ny\",1\n1,2,3\n";
    assert!(err(csv, &DataOptions::default()).starts_with("data.csv:4: row has 3 fields"));
}

#[test]
fn ragged_rows_are_skipped_and_reported() {
    let opts = DataOptions {
        skip_bad_rows: true,
        ..Default::default()
    };
    let mut csv = String::from("a,b,c\n1,2,3\n");
    for i in 0..7 {
        csv.push_str(&format!("{i},x\n1,2,3\n"));
    }
    let (t, r) = load_str(&csv, &opts).unwrap();
    assert_eq!(t.len, 8);
    assert_eq!(r.skipped, 7);
    assert_eq!(r.skipped_lines, [3, 5, 7, 9, 11]);
    assert_eq!(r.skipped_reasons.len(), 5);
    assert_eq!(
        r.skipped_reasons[0],
        "data.csv:3: row has 2 fields, the header has 3"
    );
    assert_eq!(t.lines[..3], [2, 4, 6]);
    assert_eq!(ty(&t, "b"), FieldType::Number);
}

#[test]
fn invalid_utf8_names_the_line_and_column() {
    let mut bytes = b"id,title\n1,ok\n2,caf".to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(b"\n");
    let e = load_reader("data.csv", &bytes[..], &DataOptions::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "data.csv:3: invalid UTF-8 in column \"title\" (byte 0xE9); re-save the file as UTF-8"
    );
    let e = load_reader("data.csv", &b"id,t\xE9\n1,2\n"[..], &DataOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("data.csv:1: invalid UTF-8 in the header (byte 0xE9)"),
        "{e}"
    );
}

#[test]
fn declared_type_mismatch_is_an_error_or_a_skipped_row() {
    let mut opts = DataOptions {
        fields: vec![field(
            "employees",
            "Number of Employees",
            Some(FieldType::Number),
            None,
        )],
        ..Default::default()
    };
    let csv = "id,Number of Employees\na,10\nb,ten\nc,30\n";
    let e = err(csv, &opts);
    assert!(
        e.starts_with(
            "data.csv:3: column \"Number of Employees\" is declared number but has \"ten\""
        ),
        "{e}"
    );
    opts.skip_bad_rows = true;
    let (t, r) = load_str(csv, &opts).unwrap();
    assert_eq!(t.len, 2);
    assert_eq!(shown(&t, "id"), s(&[Some("a"), Some("c")]));
    assert_eq!(shown(&t, "employees"), s(&[Some("10"), Some("30")]));
    assert_eq!(t.lines, [2, 4]);
    assert_eq!(r.skipped, 1);
    assert_eq!(r.skipped_lines, [3]);
    assert!(r.skipped_reasons[0].contains("declared number but has \"ten\""));

    let opts = DataOptions {
        fields: vec![field("d", "d", Some(FieldType::Date), Some("%m/%d/%Y"))],
        ..Default::default()
    };
    let e = err("d\n2024-01-05\n", &opts);
    assert!(
        e.starts_with(
            "data.csv:2: column \"d\" is declared date (format %m/%d/%Y) but has \"2024-01-05\""
        ),
        "{e}"
    );
    let opts = DataOptions {
        fields: vec![field("b", "b", Some(FieldType::Bool), None)],
        ..Default::default()
    };
    assert!(err("b\nyes\nmaybe\n", &opts).starts_with("data.csv:3: column \"b\" is declared bool"));
}

#[test]
fn unknown_field_column_suggests_a_header() {
    let opts = DataOptions {
        fields: vec![field("employees", "Number of Employes", None, None)],
        ..Default::default()
    };
    let e = err("id,Number of Employees\n1,2\n", &opts);
    assert_eq!(
        e,
        "[fields].employees: no column \"Number of Employes\" in data.csv (did you mean \"Number of Employees\"?)"
    );
}

#[test]
fn conflicting_field_declarations() {
    let opts = DataOptions {
        fields: vec![
            field("a", "n", Some(FieldType::Number), None),
            field("b", "N", Some(FieldType::Text), None),
        ],
        ..Default::default()
    };
    let e = err("N\n1\n", &opts);
    assert!(
        e.starts_with("[fields].b: column \"N\" is already declared number by [fields].a"),
        "{e}"
    );
    // The same type twice is fine: two names for one column.
    let opts = DataOptions {
        fields: vec![
            field("a", "n", Some(FieldType::Number), None),
            field("b", "N", Some(FieldType::Number), None),
        ],
        ..Default::default()
    };
    let (t, _) = load_str("N\n1\n", &opts).unwrap();
    assert_eq!(t.resolve("a"), t.resolve("b"));
    let opts = DataOptions {
        fields: vec![field("a", "n", Some(FieldType::Number), Some("%Y"))],
        ..Default::default()
    };
    assert!(err("n\n1\n", &opts).starts_with("[fields].a: a format applies to dates only"));
}
