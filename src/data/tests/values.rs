//! Typed values: missing values, inferred and declared types, text
//! trimmed and dictionary-encoded, derived fields.

use super::*;

#[test]
fn missing_values_default_and_custom() {
    let opts = DataOptions {
        missing: vec![
            "Select".into(),
            " N/A ".into(),
            "unknown".into(),
            "Ünbekannt".into(),
        ],
        ..Default::default()
    };
    let csv = "city,n\nParis,1\n  ,2\nselect,N/a\nUNKNOWN,3\n\"  Lyon \",\nünbekannt,4\n";
    let (t, _) = load_str(csv, &opts).unwrap();
    assert_eq!(
        shown(&t, "city"),
        s(&[Some("Paris"), None, None, None, Some("Lyon"), None])
    );
    assert_eq!(ty(&t, "n"), FieldType::Number);
    assert_eq!(
        shown(&t, "n"),
        s(&[Some("1"), Some("2"), None, Some("3"), None, Some("4")])
    );
    // Without the custom list, "select" is an ordinary value.
    let t = ok(csv);
    assert_eq!(shown(&t, "city")[2], Some("select".to_string()));
    assert_eq!(ty(&t, "n"), FieldType::Text);
}

#[test]
fn inferred_types() {
    let csv = "b,n,d,t,z,e,mixed,nums_and_bools\n\
               yes,0,2024-01-05,hello,1,,1,1\n\
               N,1,2024-02-29T10:00:00Z,World,0,,2024-01-01,yes\n\
               TRUE,-3.5,2024-03-01 08:30,hello,1,,x,0\n\
               f,1e3,,,0,,y,no\n";
    let t = ok(csv);
    assert_eq!(ty(&t, "b"), FieldType::Bool);
    assert_eq!(
        shown(&t, "b"),
        s(&[Some("true"), Some("false"), Some("true"), Some("false")])
    );
    assert_eq!(ty(&t, "n"), FieldType::Number);
    let Values::Number(n) = values(&t, "n") else {
        panic!()
    };
    assert_eq!(n, &[0.0, 1.0, -3.5, 1000.0]);
    assert_eq!(ty(&t, "d"), FieldType::Date);
    assert_eq!(
        shown(&t, "d"),
        s(&[
            Some("2024-01-05"),
            Some("2024-02-29"),
            Some("2024-03-01"),
            None
        ])
    );
    assert_eq!(ty(&t, "t"), FieldType::Text);
    let Values::Text(tc) = values(&t, "t") else {
        panic!()
    };
    assert_eq!(tc.dict, ["hello", "World"]);
    assert_eq!(tc.codes, [0, 1, 0, TEXT_MISSING]);
    // A 0/1 column is a number, not a bool.
    assert_eq!(ty(&t, "z"), FieldType::Number);
    // A column with no value at all is text.
    assert_eq!(ty(&t, "e"), FieldType::Text);
    assert_eq!(shown(&t, "e"), [None, None, None, None]);
    assert_eq!(ty(&t, "mixed"), FieldType::Text);
    assert_eq!(
        shown(&t, "mixed"),
        s(&[Some("1"), Some("2024-01-01"), Some("x"), Some("y")])
    );
    assert_eq!(ty(&t, "nums_and_bools"), FieldType::Text);
}

#[test]
fn invalid_dates_and_odd_numbers_are_text() {
    let t = ok("d,n,big\n2024-02-30,inf,1e400\n2024-01-05,NaN,1\n");
    assert_eq!(ty(&t, "d"), FieldType::Text);
    assert_eq!(shown(&t, "d"), s(&[Some("2024-02-30"), Some("2024-01-05")]));
    assert_eq!(ty(&t, "n"), FieldType::Text);
    assert_eq!(ty(&t, "big"), FieldType::Text);
    assert_eq!(shown(&t, "big"), s(&[Some("1e400"), Some("1")]));
    let t = ok("d\n2024-01-05\n05/01/2024\n");
    assert_eq!(ty(&t, "d"), FieldType::Text);
}

#[test]
fn text_values_are_trimmed_and_dictionary_encoded() {
    let t = ok("c\n  Acme \nAcme\n\" Acme\"\nacme\n");
    let Values::Text(tc) = values(&t, "c") else {
        panic!()
    };
    assert_eq!(tc.dict, ["Acme", "acme"]);
    assert_eq!(tc.codes, [0, 0, 0, 1]);
}

#[test]
fn many_distinct_values_keep_first_seen_order() {
    // Enough distinct values that text columns queue their cells, and a
    // numeric-looking column that turns to text late.
    let n = 10_000;
    let mut csv = String::from("id,email,late\n");
    for i in 0..n {
        let email = if i % 7 == 0 {
            String::new()
        } else {
            format!("u{}@x.com", i % 3000)
        };
        let late = if i == n - 1 {
            "oops".to_string()
        } else {
            i.to_string()
        };
        csv.push_str(&format!("L{i},{email},{late}\n"));
    }
    let opts = DataOptions {
        id: Some("id".into()),
        ..Default::default()
    };
    let (t, r) = load_str(&csv, &opts).unwrap();
    assert_eq!(t.len, n);
    assert_eq!(r.duplicate_ids, 0);
    let Values::Text(email) = values(&t, "email") else {
        panic!()
    };
    assert_eq!(email.dict.len(), 3000);
    assert_eq!(email.dict[0], "u1@x.com");
    for lead in 0..n {
        let want = (lead % 7 != 0).then(|| format!("u{}@x.com", lead % 3000));
        assert_eq!(email.get(lead).map(str::to_string), want, "lead {lead}");
    }
    let Values::Text(late) = values(&t, "late") else {
        panic!()
    };
    assert_eq!(late.dict.len(), n);
    assert_eq!(late.get(1234), Some("1234"));
    assert_eq!(late.get(n - 1), Some("oops"));
    assert_eq!(t.lead_id(n - 1), format!("L{}", n - 1));
}

#[test]
fn declared_types_and_formats() {
    let opts = DataOptions {
        fields: vec![
            field(
                "employees",
                "Number of Employees",
                Some(FieldType::Number),
                None,
            ),
            field("zip", "zip", Some(FieldType::Text), None),
            field("active", "Active", Some(FieldType::Bool), None),
            field(
                "signup",
                "Signup Date",
                Some(FieldType::Date),
                Some("%m/%d/%Y"),
            ),
            field("seen", "seen_at", None, Some("%d.%m.%Y %H:%M")),
            field("title", "Job Title", None, None),
        ],
        ..Default::default()
    };
    let csv = "Number of Employees,zip,Active,Signup Date,seen_at,Job Title\n\
               10,00123,1,03/15/2024,15.03.2024 14:30,CISO\n\
               ,75001,no,,,VP\n";
    let (t, _) = load_str(csv, &opts).unwrap();
    assert_eq!(ty(&t, "employees"), FieldType::Number);
    assert_eq!(shown(&t, "employees"), s(&[Some("10"), None]));
    assert_eq!(ty(&t, "zip"), FieldType::Text);
    assert_eq!(shown(&t, "zip"), s(&[Some("00123"), Some("75001")]));
    assert_eq!(shown(&t, "active"), s(&[Some("true"), Some("false")]));
    assert_eq!(shown(&t, "signup"), s(&[Some("2024-03-15"), None]));
    assert_eq!(shown(&t, "seen"), s(&[Some("2024-03-15"), None]));
    assert_eq!(ty(&t, "title"), FieldType::Text);
    assert!(t.aliases.contains(&("title".to_string(), 5)));
    // Fields resolve by alias, normalized name and header alike.
    assert_eq!(t.resolve("number_of_employees"), t.resolve("employees"));
    assert_eq!(t.resolve("Number of Employees"), t.resolve("employees"));
}

#[test]
fn derived_fields_are_added() {
    let opts = DataOptions {
        fields: vec![field("title", "Job Title", None, None)],
        derive: vec![DeriveSpec {
            name: "seniority".into(),
            from: "title".into(),
            map: vec![
                (vec!["ciso".into(), "chief".into()], "c-level".into()),
                (vec!["vp".into(), "head of".into()], "vp".into()),
            ],
            default: Some("other".into()),
        }],
        missing: vec!["Select".into()],
        ..Default::default()
    };
    let csv = "Job Title\nCISO\nHead of IT\nChief VP\nEngineer\nSelect\n";
    let (t, _) = load_str(csv, &opts).unwrap();
    assert_eq!(
        shown(&t, "seniority"),
        s(&[
            Some("c-level"),
            Some("vp"),
            Some("c-level"),
            Some("other"),
            None
        ])
    );
    assert!(t.columns.last().unwrap().derived);
    assert_eq!(
        t.aliases.last(),
        Some(&("seniority".to_string(), t.columns.len() - 1))
    );
}
