//! The UCI bank-marketing file of `../shared/realdata`, loaded whole.

use super::*;
use std::path::Path;

#[test]
fn uci_bank_marketing_file() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realdata/bank-full.csv");
    if !path.exists() {
        // Loudly: a missing data set must not pass as a green test.
        assert!(
            std::env::var("LEADLAB_SKIP_REALDATA").as_deref() == Ok("1"),
            "{} is absent: the real-data tests need ../shared/realdata beside the \
             repository (set LEADLAB_SKIP_REALDATA=1 to run without them)",
            path.display()
        );
        return;
    }
    let opts = DataOptions {
        missing: vec!["unknown".into()],
        outcome: Some("y".into()),
        ..Default::default()
    };
    let (t, r) = load(&path, &opts).unwrap();
    assert_eq!(r.delimiter, b';');
    assert_eq!(t.len, 45211);
    assert_eq!(r.skipped, 0);
    let known = t.outcome.iter().flatten().count();
    let converted = t.outcome.iter().filter(|o| **o == Some(true)).count();
    assert_eq!(known, 45211);
    let rate = converted as f64 / known as f64;
    assert!((rate - 0.117).abs() < 0.001, "{rate}");
    assert_eq!(ty(&t, "pdays"), FieldType::Number);
    assert_eq!(ty(&t, "age"), FieldType::Number);
    assert_eq!(ty(&t, "job"), FieldType::Text);
    assert_eq!(ty(&t, "default"), FieldType::Bool);
    assert_eq!(ty(&t, "y"), FieldType::Bool);
    // "unknown" is missing.
    let job = values(&t, "job");
    assert_eq!((0..t.len).filter(|&l| job.is_missing(l)).count(), 288);
    let Values::Text(poutcome) = values(&t, "poutcome") else {
        panic!()
    };
    assert!(!poutcome.dict.iter().any(|d| d == "unknown"));
    assert_eq!(r.bytes, std::fs::metadata(&path).unwrap().len());
}
