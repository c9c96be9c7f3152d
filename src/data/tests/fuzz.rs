//! No input makes loading panic: odd hand-picked bytes, then random ones.

use super::*;

#[test]
fn odd_inputs_do_not_panic() {
    let opts = DataOptions {
        id: Some("a".into()),
        outcome: Some("b".into()),
        skip_bad_rows: true,
        missing: vec!["".into(), "  ".into()],
        ..Default::default()
    };
    for csv in [
        "a,b\n\"unterminated,1\n",
        "a,b\n\"\"\"\",1\n",
        "\"a\nb\",b\n",
        "a,b\n,,,,,,\n",
        "a,b,,\n1,1,,\n",
        "a;b\n1;1\n",
        "a,b\n\u{0}\u{1},1\n",
        "a,b\n1,1",
        "a,b\r1,1\r",
    ] {
        let _ = load_str(csv, &opts);
        let _ = load_str(csv, &DataOptions::default());
    }
    for bytes in [
        &b"\xff\xfe"[..],
        b"a,b\n\xff,1\n",
        b"\xEF\xBB",
        b"a\n\xEF\xBB\xBF1\n",
    ] {
        let _ = load_reader("x", bytes, &opts);
        let _ = load_reader("x", bytes, &DataOptions::default());
    }
}

#[test]
fn random_inputs_do_not_panic() {
    let alphabet: &[&[u8]] = &[
        b",",
        b";",
        b"\"",
        b"\n",
        b"\r",
        b"\t",
        b"|",
        b" ",
        b"a",
        b"1",
        b"0",
        b"-",
        b".",
        b"e",
        b"T",
        b"yes",
        b"2024-02-29",
        b"2023-02-29",
        b"\xC3\xA9",
        b"\xFF",
        b"\xEF\xBB\xBF",
        b"\xC3",
    ];
    let all_opts = [
        DataOptions::default(),
        DataOptions {
            id: Some("a".into()),
            outcome: Some("column_2".into()),
            skip_bad_rows: true,
            missing: vec!["-".into(), "é".into()],
            fields: vec![field("n", "a", Some(FieldType::Number), None)],
            derive: vec![DeriveSpec {
                name: "d".into(),
                from: "a".into(),
                map: vec![(vec!["1".into()], "one".into())],
                default: None,
            }],
            ..Default::default()
        },
    ];
    let mut next = crate::testing::xorshift(0x2545_f491_4f6c_dd1d);
    for _ in 0..3000 {
        let len = next() % 40;
        let mut bytes = b"a,b\n".to_vec();
        if next().is_multiple_of(4) {
            bytes.clear();
        }
        for _ in 0..len {
            bytes.extend_from_slice(alphabet[(next() % alphabet.len() as u64) as usize]);
        }
        for opts in &all_opts {
            if let Ok((t, _)) = load_reader("x.csv", &bytes[..], opts) {
                for c in &t.columns {
                    assert_eq!(
                        match &c.values {
                            Values::Bool(v) => v.len(),
                            Values::Number(v) => v.len(),
                            Values::Date(v) => v.len(),
                            Values::Text(v) => v.codes.len(),
                        },
                        t.len
                    );
                }
                assert_eq!(t.lines.len(), t.len);
            }
        }
    }
}
