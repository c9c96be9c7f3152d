//! What a condition means: three-valued logic and precedence, every operator
//! on every type, names and virtuals, the AST's spans and literals.

use super::*;

// ---- three-valued logic -------------------------------------------------

/// Nine leads with every pair of a, b in {true, false, missing}.
fn logic_table() -> LeadTable {
    let vals = [Some(true), Some(false), None];
    let a: Vec<_> = (0..9).map(|i| vals[i % 3]).collect();
    let b: Vec<_> = (0..9).map(|i| vals[i / 3]).collect();
    LeadTable {
        columns: vec![boolean("a", &a), boolean("b", &b)],
        len: 9,
        ..Default::default()
    }
}

#[test]
fn three_valued_truth_tables() {
    let t = logic_table();
    // a = T F ? T F ? T F ?   b = T T T F F F ? ? ?
    assert_eq!(run_on(&t, "a"), "TF?TF?TF?");
    assert_eq!(run_on(&t, "not a"), "FT?FT?FT?");
    assert_eq!(run_on(&t, "a and b"), "TF?FFF?F?");
    assert_eq!(run_on(&t, "a or b"), "TTTTF?T??");
    assert_eq!(run_on(&t, "not (a and b)"), "FT?TTT?T?");
    assert_eq!(run_on(&t, "not a or not b"), "FT?TTT?T?");
    // is missing / is present are never unknown.
    assert_eq!(run_on(&t, "a is missing"), "FFTFFTFFT");
    assert_eq!(run_on(&t, "a is present"), "TTFTTFTTF");
    assert_eq!(run_on(&t, "(a and b) is missing"), "FFTFFFTFT");
    assert_eq!(run_on(&t, "(a or b) is present").len(), 9);
    // bool comparisons are unknown when either side is.
    assert_eq!(run_on(&t, "a == b"), "TF?FT????");
    assert_eq!(run_on(&t, "a != b"), "FT?TF????");
    assert_eq!(run_on(&t, "a == true"), "TF?TF?TF?");
    assert_eq!(run_on(&t, "a == false"), "FT?FT?FT?");
    assert_eq!(run_on(&t, "a in [true]"), "TF?TF?TF?");
    assert_eq!(run_on(&t, "a in [true, false]"), "TT?TT?TT?");
    assert_eq!(run_on(&t, "a not in [false]"), "TF?TF?TF?");
    assert_eq!(run_on(&t, "a in []"), "FF?FF?FF?");
    assert_eq!(run_on(&t, "a not in []"), "TT?TT?TT?");
    assert_eq!(run_on(&t, "(a and b) == (a or b)"), "TF?FT????");
}

#[test]
fn truth_tables_on_the_per_lead_path() {
    // `v` is a virtual, so these are evaluated per lead, not as sets.
    let t = logic_table();
    let virt = vec!["v".to_string()];
    let eval = |src: &str, v: f64| {
        let c = compile_in(&t, &virt, src).unwrap();
        assert!(c.set().is_none(), "{src}");
        letters((0..9).map(|i| c.eval_lead(i, &[v])))
    };
    assert_eq!(eval("a and v > 0", 1.0), "TF?TF?TF?");
    assert_eq!(eval("a and v > 0", -1.0), "FFFFFFFFF");
    assert_eq!(eval("a or v > 0", -1.0), "TF?TF?TF?");
    assert_eq!(eval("a or v > 0", 1.0), "TTTTTTTTT");
    assert_eq!(eval("not (a and v > 0)", 1.0), "FT?FT?FT?");
    assert_eq!(eval("(a and v > 0) == b", 1.0), "TF?FT????");
    assert_eq!(eval("(a and v > 0) != (b or v < 0)", 1.0), "FT?TF????");
    assert_eq!(eval("(a and v > 0) in [false]", 1.0), "FT?FT?FT?");
    assert_eq!(eval("(a and v > 0) not in [false]", 1.0), "TF?TF?TF?");
    assert_eq!(eval("(a and v > 0) is missing", 1.0), "FFTFFTFFT");
    assert_eq!(eval("(a and v > 0) is present", 1.0), "TTFTTFTTF");
    assert_eq!(eval("v", 0.0), "FFFFFFFFF");
    assert_eq!(eval("v", 2.0), "TTTTTTTTT");
    assert_eq!(eval("v in [1, 2]", 2.0), "TTTTTTTTT");
    assert_eq!(eval("v not in [1, 2]", 2.0), "FFFFFFFFF");
    // A virtual is never missing.
    let c = compile_in(&t, &virt, "v is missing").unwrap();
    assert_eq!(c.set().unwrap().count_false(), 9);
    // A missing virtual value (a caller bug) is unknown, not a panic.
    let c = compile_in(&t, &virt, "v > 0").unwrap();
    assert_eq!(c.eval_lead(0, &[]), Tri::Unknown);
    assert_eq!(c.eval_lead(100, &[1.0]), Tri::True);
}

#[test]
fn precedence_not_over_and_over_or() {
    let t = logic_table();
    // `a or b and false` is `a or (b and false)`.
    assert_eq!(
        run_on(&t, "a or b and false"),
        run_on(&t, "a or (b and false)")
    );
    assert_ne!(
        run_on(&t, "a or b and false"),
        run_on(&t, "(a or b) and false")
    );
    // `not a and b` is `(not a) and b`.
    assert_eq!(run_on(&t, "not a and b"), run_on(&t, "(not a) and b"));
    assert_ne!(run_on(&t, "not a and b"), run_on(&t, "not (a and b)"));
    assert_eq!(run_on(&t, "not not a"), run_on(&t, "a"));
    // `not x in [...]` negates the whole test.
    assert_eq!(run("not industry in [\"software\"]"), "FT?TF");
    let e = parse("a or b and not c").unwrap();
    let ExprKind::Or(items) = &e.kind else {
        panic!("{e:?}")
    };
    assert_eq!(items.len(), 2);
    let ExprKind::And(ands) = &items[1].kind else {
        panic!("{e:?}")
    };
    assert!(matches!(ands[1].kind, ExprKind::Not(_)));
}

// ---- operators on each type -------------------------------------------

#[test]
fn numbers() {
    assert_eq!(run("employees == 500"), "FT?FF");
    assert_eq!(run("employees != 500"), "TF?TT");
    assert_eq!(run("employees < 500"), "TF?TF");
    assert_eq!(run("employees <= 500"), "TT?TF");
    assert_eq!(run("employees > 50"), "FT?FT");
    assert_eq!(run("employees >= 50"), "TT?FT");
    assert_eq!(run("500 > employees"), "TF?TF");
    assert_eq!(run("employees >= 1e3"), "FF?FT");
    assert_eq!(run("employees > -3.5"), "TT?TT");
    assert_eq!(run("employees in [0, 50]"), "TF?TF");
    assert_eq!(run("employees not in [0, 50]"), "FT?FT");
    assert_eq!(run("employees == employees"), "TT?TT");
    assert_eq!(run("number_of_employees == employees"), "TT?TT");
    // A bare number is `!= 0`.
    assert_eq!(run("employees"), "TT?FT");
    assert_eq!(run("not employees"), "FF?TF");
    assert_eq!(run("0"), "FFFFF");
    assert_eq!(run("2"), "TTTTT");
    assert_eq!(run("1 < 2"), "TTTTT");
}

#[test]
fn dates_and_days_since() {
    assert_eq!(run("created >= 2026-01-01"), "TT?FT");
    assert_eq!(run("created < 2026-01-01"), "FF?TF");
    assert_eq!(run("created == 2025-12-31"), "FF?TF");
    assert_eq!(run("created != 2025-12-31"), "TT?FT");
    assert_eq!(run("created <= 2026-06-15"), "TT?TF");
    assert_eq!(run("created > last_visit"), "FF?FT");
    assert_eq!(run("created in [2026-01-01, 2026-10-31]"), "TF?FT");
    assert_eq!(run("2026-01-01 < created"), "FT?FT");
    // days_since: as_of 2026-10-31; a future date gives a negative age.
    assert_eq!(run("days_since(last_visit) == 30"), "TF?FF");
    assert_eq!(run("days_since(last_visit) == 0"), "FT?FF");
    assert_eq!(run("days_since(last_visit) == -10"), "FF?TF");
    assert_eq!(run("days_since(last_visit) < 0"), "FF?TF");
    assert_eq!(run("days_since(last_visit) <= 30"), "TT?TF");
    assert_eq!(run("days_since(created) > 303"), "FF?TF");
    assert_eq!(run("days_since(last_visit) in [30, 60]"), "TF?FT");
    assert_eq!(run("days_since(last_visit)"), "TF?TT");
    assert_eq!(run("days_since(last_visit) is missing"), "FFTFF");
    assert_eq!(run("days_since(created) > days_since(last_visit)"), "TT?TF");
}

#[test]
fn bools() {
    assert_eq!(run("customer"), "TF?TF");
    assert_eq!(run("customer == true"), "TF?TF");
    assert_eq!(run("customer != true"), "FT?FT");
    assert_eq!(run("false == customer"), "FT?FT");
    assert_eq!(run("not customer"), "FT?FT");
    assert_eq!(run("true"), "TTTTT");
    assert_eq!(run("false or customer"), "TF?TF");
    assert_eq!(run("(employees > 100) == customer"), "FF?FF");
}

#[test]
fn text_ignores_case_and_surrounding_whitespace() {
    assert_eq!(run("industry == \"software\""), "TF?FT");
    assert_eq!(run("industry == \"  SoftWare \""), "TF?FT");
    assert_eq!(run("\"software\" == industry"), "TF?FT");
    assert_eq!(run("industry != 'software'"), "FT?TF");
    assert_eq!(
        run("industry in [\"Healthcare\", \" financial services\"]"),
        "FT?TF"
    );
    assert_eq!(
        run("industry not in [\"Healthcare\", \"financial services\"]"),
        "TF?FT"
    );
    assert_eq!(run("industry in []"), "FF?FF");
    assert_eq!(run("region == \"emea\""), "TT?FF");
    // Two text fields compare the same way.
    assert_eq!(run("industry == region"), "FF?FT");
    assert_eq!(run("industry != region"), "TT?TF");
    assert_eq!(run("title contains \"CHIEF\""), "FT?FF");
    assert_eq!(run("title contains \" of \""), "FT?TF");
    assert_eq!(run("title starts_with \"vp\""), "TF?FF");
    assert_eq!(run("title ends_with \"it  \""), "FF?TF");
    assert_eq!(run("title contains \"\""), "TT?TT");
    assert_eq!(run("\"ABC\" contains \"b\""), "TTTTT");
    assert_eq!(run("'ab' == \"AB \""), "TTTTT");
}

#[test]
fn matches_is_an_unanchored_case_insensitive_regex() {
    assert_eq!(run("title matches \"chief|vp\""), "TT?FF");
    assert_eq!(run("title matches \"^VP\""), "TF?FF");
    assert_eq!(run("title matches \"of\""), "FT?TF");
    assert_eq!(run("title matches \"\\bit$\""), "FF?TF");
    assert_eq!(run("title matches 'sec.*off'"), "FT?FF");
    let src = "title matches \"(vp\"";
    let (msg, at) = fail_at(src);
    assert!(msg.starts_with("invalid regular expression: "), "{msg}");
    assert!(msg.contains("unclosed group"), "{msg}");
    assert_eq!(at, "\"(vp\"");
}

#[test]
fn missing_and_present() {
    assert_eq!(run("industry is missing"), "FFTFF");
    assert_eq!(run("industry is present"), "TTFTT");
    assert_eq!(run("employees is missing"), "FFTFF");
    assert_eq!(run("customer is present"), "TTFTT");
    assert_eq!(run("created is missing"), "FFTFF");
    assert_eq!(run("not industry is missing"), "TTFTT");
    assert_eq!(run("5 is missing"), "FFFFF");
    // Unknown propagates through comparisons with missing values ...
    assert_eq!(run("industry == \"x\" or employees > 0"), "TT?FT");
    // ... but `true or unknown` is true and `false and unknown` false.
    assert_eq!(run("industry is missing or employees > 0"), "TTTFT");
    assert_eq!(run("industry is present and employees > 0"), "TTFFT");
}

#[test]
fn backticks_and_names() {
    assert_eq!(run("`Job Title` contains \"vp\""), "TF?FF");
    assert_eq!(run("job_title contains \"vp\""), "TF?FF");
    assert_eq!(run("`Number of Employees` > 100"), "FT?FT");
    assert_eq!(run("`employees` > 100"), "FT?FT");
    // A field named like a keyword needs backticks.
    assert_eq!(run("`missing` == 1"), "T????");
    let (msg, at) = fail_at("missing == 1");
    assert_eq!(
        msg,
        "expected a value, found `missing` (for a field named missing, write it in backticks)"
    );
    assert_eq!(at, "missing");
}

#[test]
fn columns_and_virtuals_read() {
    let t = table();
    let virt = vec!["fit".to_string(), "score".to_string()];
    let c = compile_in(
        &t,
        &virt,
        "score > 10 and (employees > 5 or `Industry` == \"x\") and days_since(created) < 3 and number_of_employees > 0 and fit > 1 and score < 100",
    )
    .unwrap();
    assert_eq!(c.columns(), vec![1, 0, 3]);
    assert_eq!(c.virtuals(), &[1, 0]);
    let c = compile_in(&t, &virt, "true").unwrap();
    assert!(c.columns().is_empty());
    assert!(c.virtuals().is_empty());
}

#[test]
fn virtuals_in_eval_lead() {
    let t = table();
    let virt = vec!["fit".to_string(), "score".to_string()];
    let c = compile_in(&t, &virt, "fit >= 20 and industry == \"software\"").unwrap();
    assert!(c.set().is_none());
    let at = |fit: f64| letters((0..5).map(|i| c.eval_lead(i, &[fit, 0.0])));
    assert_eq!(at(25.0), "TF?FT");
    assert_eq!(at(10.0), "FFFFF");
    // Per lead virtual values.
    let fits = [30.0, 30.0, 30.0, 0.0, 0.0];
    assert_eq!(
        letters((0..5).map(|i| c.eval_lead(i, &[fits[i], 0.0]))),
        "TF?FF"
    );
    // Virtuals against columns, either way round, and field vs virtual.
    let c = compile_in(&t, &virt, "employees < score").unwrap();
    assert_eq!(
        letters((0..5).map(|i| c.eval_lead(i, &[0.0, 100.0]))),
        "TF?TF"
    );
    let c = compile_in(&t, &virt, "score > days_since(last_visit)").unwrap();
    assert_eq!(
        letters((0..5).map(|i| c.eval_lead(i, &[0.0, 5.0]))),
        "FT?TF"
    );
    let c = compile_in(&t, &virt, "score >= 70 or fit in [1, 2]").unwrap();
    assert_eq!(c.eval_lead(0, &[2.0, 0.0]), Tri::True);
    assert_eq!(c.eval_lead(0, &[3.0, 0.0]), Tri::False);
    assert_eq!(c.eval_lead(0, &[3.0, 70.0]), Tri::True);
    // A virtual shadows nothing it should not: other names still resolve.
    let c = compile_in(&t, &virt, "score is present and customer").unwrap();
    assert_eq!(
        letters((0..5).map(|i| c.eval_lead(i, &[0.0, 0.0]))),
        "TF?TF"
    );
    // Virtual-free conditions work through eval_lead as well.
    let c = compile_in(&t, &virt, "customer").unwrap();
    assert!(c.set().is_some());
    assert_eq!(c.eval_lead(3, &[]), Tri::True);
    assert_eq!(c.eval_lead(99, &[]), Tri::Unknown);
    // A virtual is a number.
    assert_eq!(
        fail("score == \"high\"").message,
        "`score` is a number but \"high\" is a string: compare it with a number"
    );
    assert!(
        fail("days_since(fit) > 1")
            .message
            .contains("`fit` is a number")
    );
}

// ---- the AST ------------------------------------------------------------

#[test]
fn ast_spans_and_values() {
    let src = "`Job Title` contains 'vp' or days_since(created) <= 30 and x not in [1, \"a\", 2026-01-31, true]";
    let e = parse(src).unwrap();
    assert_eq!(e.span, Span::new(0, src.len()));
    let ExprKind::Or(items) = &e.kind else {
        panic!()
    };
    let ExprKind::StrTest {
        op,
        value,
        pattern,
        pattern_span,
    } = &items[0].kind
    else {
        panic!()
    };
    assert_eq!(*op, StrOp::Contains);
    assert_eq!(pattern, "vp");
    assert_eq!(pattern_span.text(src), "'vp'");
    let ValueKind::Field(f) = &value.kind else {
        panic!()
    };
    assert_eq!((f.name.as_str(), f.backticked), ("Job Title", true));
    assert_eq!(f.span.text(src), "`Job Title`");
    let ExprKind::And(ands) = &items[1].kind else {
        panic!()
    };
    let ExprKind::Compare {
        op,
        op_span,
        left,
        right,
    } = &ands[0].kind
    else {
        panic!()
    };
    assert_eq!((*op, op_span.text(src)), (CmpOp::Le, "<="));
    assert_eq!(left.span.text(src), "days_since(created)");
    assert!(matches!(&left.kind, ValueKind::DaysSince(f) if f.name == "created" && !f.backticked));
    assert_eq!(right.kind, ValueKind::Number(30.0));
    assert_eq!(ands[0].span.text(src), "days_since(created) <= 30");
    let ExprKind::In {
        value,
        list,
        negated,
        list_span,
    } = &ands[1].kind
    else {
        panic!()
    };
    assert!(*negated);
    assert_eq!(value.span.text(src), "x");
    assert_eq!(list_span.text(src), "[1, \"a\", 2026-01-31, true]");
    assert_eq!(list[0].kind, ValueKind::Number(1.0));
    assert_eq!(list[1].kind, ValueKind::Str("a".into()));
    assert_eq!(
        list[2].kind,
        ValueKind::Date {
            day: day("2026-01-31"),
            text: "2026-01-31".into()
        }
    );
    assert_eq!(list[3].kind, ValueKind::Bool(true));
    let names: Vec<&str> = e.fields().iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, vec!["Job Title", "created", "x"]);

    let src = "not (a is missing) and b is present and c and [].len";
    assert!(parse(src).is_err());
    let src = "not (a is missing) and b is present and c";
    let e = parse(src).unwrap();
    let ExprKind::And(xs) = &e.kind else { panic!() };
    let ExprKind::Not(inner) = &xs[0].kind else {
        panic!()
    };
    assert_eq!(xs[0].span.text(src), "not (a is missing)");
    let ExprKind::Test(v) = &inner.kind else {
        panic!()
    };
    assert_eq!(v.span.text(src), "(a is missing)");
    let ValueKind::Paren(p) = &v.kind else {
        panic!()
    };
    assert!(matches!(&p.kind, ExprKind::IsMissing(_)));
    assert_eq!(p.span.text(src), "a is missing");
    assert!(matches!(&xs[1].kind, ExprKind::IsPresent(_)));
    assert_eq!(xs[1].span.text(src), "b is present");
    assert!(matches!(&xs[2].kind, ExprKind::Test(_)));
}

#[test]
fn literals_and_escapes() {
    let e = parse(r#"x == "say \"hi\"\\" or y == 'it\'s' or z == -1.5e2"#).unwrap();
    let ExprKind::Or(xs) = &e.kind else { panic!() };
    let right = |i: usize| match &xs[i].kind {
        ExprKind::Compare { right, .. } => right.kind.clone(),
        _ => panic!(),
    };
    assert_eq!(right(0), ValueKind::Str("say \"hi\"\\".into()));
    assert_eq!(right(1), ValueKind::Str("it's".into()));
    assert_eq!(right(2), ValueKind::Number(-150.0));
    // A trailing comma in a list is accepted.
    assert!(parse("x in [1, 2,]").is_ok());
}

// ---- an empty table ---------------------------------------------------

#[test]
fn empty_table() {
    let t = LeadTable::default();
    let c = compile_in(&t, &[], "true").unwrap();
    assert_eq!(c.set().unwrap().len(), 0);
    assert!(
        compile_in(&t, &[], "x")
            .unwrap_err()
            .message
            .contains("no fields")
    );
}
