//! Headers, delimiters and line ends: names normalized, a BOM ignored,
//! the delimiter detected or declared, CRLF and blank lines.

use super::*;

#[test]
fn headers_are_normalized_and_raw_headers_still_resolve() {
    let t = ok("Lead ID,Total Time Spent on Website,  Country \n1,12,FR\n");
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["lead_id", "total_time_spent_on_website", "country"]);
    assert_eq!(t.columns[2].header, "Country");
    assert_eq!(t.resolve("Total Time Spent on Website"), Some(1));
    assert_eq!(t.len, 1);
    assert!(!t.has_outcome());
    assert_eq!(t.lines, [2]);
}

#[test]
fn empty_headers_get_positional_names() {
    let t = ok("a,,???\n1,2,3\n");
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["a", "column_2", "column_3"]);
}

#[test]
fn duplicate_normalized_names_name_both_headers() {
    let e = err("id,Job Title,job_title\n1,a,b\n", &DataOptions::default());
    assert_eq!(
        e,
        "data.csv: columns \"Job Title\" (column 2) and \"job_title\" (column 3) both normalize to \
         \"job_title\"; rename one of them"
    );
}

#[test]
fn bom_is_ignored() {
    let (t, r) = load_str("\u{feff}lead_id,n\nA,1\n", &DataOptions::default()).unwrap();
    assert_eq!(t.columns[0].name, "lead_id");
    assert_eq!(t.columns[0].header, "lead_id");
    assert_eq!(r.bytes, 17);
    assert_eq!(r.delimiter, b',');
}

#[test]
fn delimiters_are_detected() {
    for (d, csv) in [
        (b',', "a,b,c\n1,2,3\n"),
        (b';', "a;b;c\n1;2;3\n"),
        (b'\t', "a\tb\tc\n1\t2\t3\n"),
        (b'|', "a|b|c\n1|2|3\n"),
        // Commas inside quoted headers do not count.
        (b';', "\"a,x\";\"b,y\";c\n1;2;3\n"),
        (b',', "single\n1\n"),
    ] {
        let (t, r) = load_str(csv, &DataOptions::default()).unwrap();
        assert_eq!(r.delimiter, d, "{csv:?}");
        assert_eq!(
            t.columns.len(),
            if csv.starts_with("single") { 1 } else { 3 },
            "{csv:?}"
        );
        assert_eq!(t.columns[0].values.field_type(), FieldType::Number);
    }
}

#[test]
fn quoted_semicolon_file_like_uci_bank() {
    let csv = "\"age\";\"job\";\"marital\";\"y\"\n58;\"management\";\"married\";\"no\"\n44;\"tech; ops\";\"single\";\"yes\"\n";
    let (t, r) = load_str(csv, &DataOptions::default()).unwrap();
    assert_eq!(r.delimiter, b';');
    assert_eq!(t.len, 2);
    assert_eq!(ty(&t, "age"), FieldType::Number);
    assert_eq!(
        shown(&t, "job"),
        s(&[Some("management"), Some("tech; ops")])
    );
    assert_eq!(ty(&t, "y"), FieldType::Bool);
}

#[test]
fn declared_delimiter_wins() {
    let opts = DataOptions {
        delimiter: Some(b';'),
        ..Default::default()
    };
    let (t, r) = load_str("a,b;c\n1,2;3\n", &opts).unwrap();
    assert_eq!(r.delimiter, b';');
    assert_eq!(t.columns[0].header, "a,b");
}

#[test]
fn crlf_blank_lines_and_quoted_newlines() {
    let t = ok("\r\nid,note\r\n1,\"two\r\nlines\"\r\n\r\n2,plain\r\n   \r\n");
    assert_eq!(t.len, 2);
    assert_eq!(t.lines, [3, 6]);
    assert_eq!(shown(&t, "note"), s(&[Some("two\r\nlines"), Some("plain")]));
}
