//! The columns `[data]` names: the outcome (open leads included), the id
//! (duplicates reported) and the created date (which must be a date).

use super::*;

#[test]
fn outcomes_including_open_leads() {
    let opts = DataOptions {
        outcome: Some("Converted?".into()),
        missing: vec!["n/a".into()],
        ..Default::default()
    };
    let csv = "id,Converted?\n1,1\n2,0\n3,\n4,Won\n5,lost\n6,YES\n7,n\n8,N/A\n9,converted\n";
    let (t, _) = load_str(csv, &opts).unwrap();
    assert!(t.has_outcome());
    assert_eq!(
        t.outcome,
        [
            Some(true),
            Some(false),
            None,
            Some(true),
            Some(false),
            Some(true),
            Some(false),
            None,
            Some(true)
        ]
    );
    // The outcome column stays an ordinary column too.
    assert_eq!(ty(&t, "converted"), FieldType::Text);
    // Normalized names work for [data].outcome.
    let opts = DataOptions {
        outcome: Some("converted".into()),
        ..Default::default()
    };
    let (t, _) = load_str("Converted?\n1\n0\n", &opts).unwrap();
    assert_eq!(t.outcome, [Some(true), Some(false)]);
}

#[test]
fn bad_outcome_is_an_error_or_a_skipped_row() {
    let mut opts = DataOptions {
        outcome: Some("y".into()),
        ..Default::default()
    };
    let csv = "id,y\n1,yes\n2,maybe\n3,no\n";
    assert_eq!(
        err(csv, &opts),
        "data.csv:3: outcome column \"y\" has \"maybe\"; expected one of 1/true/yes/y/t/won/converted or \
         0/false/no/n/f/lost, or blank for an open lead; fix the value or pass --skip-bad-rows"
    );
    opts.skip_bad_rows = true;
    let (t, r) = load_str(csv, &opts).unwrap();
    assert_eq!(t.outcome, [Some(true), Some(false)]);
    assert_eq!(t.len, 2);
    assert_eq!(r.skipped_lines, [3]);
}

#[test]
fn unknown_data_columns_suggest() {
    let opts = DataOptions {
        outcome: Some("convertd".into()),
        ..Default::default()
    };
    assert_eq!(
        err("id,converted\n1,1\n", &opts),
        "[data].outcome: no column \"convertd\" in data.csv (did you mean \"converted\"?)"
    );
    let opts = DataOptions {
        id: Some("nothing_like_it".into()),
        ..Default::default()
    };
    assert_eq!(
        err("id,converted\n1,1\n", &opts),
        "[data].id: no column \"nothing_like_it\" in data.csv"
    );
}

#[test]
fn id_column_is_text_and_duplicates_are_reported() {
    let opts = DataOptions {
        id: Some("Lead ID".into()),
        ..Default::default()
    };
    let csv = "Lead ID,n\n00123,1\n7,2\n00123,3\n8,4\n7,5\n00123,6\n,7\n,8\n";
    let (t, r) = load_str(csv, &opts).unwrap();
    assert_eq!(t.id_column, Some(0));
    assert_eq!(ty(&t, "lead_id"), FieldType::Text);
    assert_eq!(t.lead_id(0), "00123");
    assert_eq!(r.duplicate_ids, 3);
    assert_eq!(r.duplicate_examples, ["00123", "7"]);
    // An id given as a [fields] name, declared number, stays a number.
    let opts = DataOptions {
        id: Some("lead".into()),
        fields: vec![field("lead", "Lead ID", Some(FieldType::Number), None)],
        ..Default::default()
    };
    let (t, r) = load_str(csv, &opts).unwrap();
    assert_eq!(ty(&t, "lead"), FieldType::Number);
    assert_eq!(t.lead_id(0), "123");
    assert_eq!(r.duplicate_ids, 3);
}

#[test]
fn created_column_must_be_a_date() {
    let opts = DataOptions {
        created: Some("Created At".into()),
        ..Default::default()
    };
    let (t, _) = load_str("id,Created At\n1,2024-01-05 10:00\n2,\n", &opts).unwrap();
    assert_eq!(t.created_column, Some(1));
    let e = err("id,Created At\n1,05/01/2024\n2,06/01/2024\n", &opts);
    assert!(
        e.starts_with(
            "[data].created: column \"Created At\" is text, not a date (values like \"05/01/2024\", \"06/01/2024\")"
        ),
        "{e}"
    );
    // A declared layout makes it a date.
    let opts = DataOptions {
        created: Some("created".into()),
        fields: vec![field(
            "created",
            "Created At",
            Some(FieldType::Date),
            Some("%d/%m/%Y"),
        )],
        ..Default::default()
    };
    let (t, _) = load_str("id,Created At\n1,05/01/2024\n", &opts).unwrap();
    assert_eq!(shown(&t, "created"), s(&[Some("2024-01-05")]));
}
