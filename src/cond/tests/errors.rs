//! The errors a condition gives: type errors that name the types and a fix,
//! unknown names with a suggestion, syntax errors with what was expected, and
//! their positions; `check` finds the same ones as `compile`.

use super::*;

// ---- type errors --------------------------------------------------------

#[test]
fn type_errors_name_the_types_and_a_fix() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "employees == \"500\"",
            "`employees` is a number but \"500\" is a string: write the number without quotes, 500",
            "employees == \"500\"",
        ),
        (
            "industry == 12",
            "`industry` is text but 12 is a number: put the text in quotes, \"12\"",
            "industry == 12",
        ),
        (
            "created > \"2026-01-31\"",
            "`created` is a date but \"2026-01-31\" is a string: dates are written bare, without quotes: 2026-01-31",
            "created > \"2026-01-31\"",
        ),
        (
            "created > \"last week\"",
            "`created` is a date but \"last week\" is a string: dates are written bare, e.g. 2026-01-31",
            "created > \"last week\"",
        ),
        (
            "created > 30",
            "`created` is a date but 30 is a number: for an age in days, compare `days_since(created)`",
            "created > 30",
        ),
        (
            "customer == 1",
            "`customer` is true/false but 1 is a number: compare it with true or false",
            "customer == 1",
        ),
        (
            "customer == \"true\"",
            "`customer` is true/false but \"true\" is a string: write true or false, without quotes",
            "customer == \"true\"",
        ),
        (
            "employees == industry",
            "`employees` is a number but `industry` is text: only values of the same type can be compared",
            "employees == industry",
        ),
        (
            "12 == industry",
            "12 is a number but `industry` is text: put the text in quotes, \"12\"",
            "12 == industry",
        ),
        (
            "days_since(created) > 2026-01-01",
            "`days_since(created)` is a number but 2026-01-01 is a date: compare it with a number of days, e.g. `<= 30`",
            "days_since(created) > 2026-01-01",
        ),
        (
            "industry < \"m\"",
            "`<` does not apply to text: use `==`, `!=`, `in`, `contains`, `starts_with`, `ends_with` or `matches`",
            "<",
        ),
        (
            "customer >= false",
            "`>=` does not apply to true/false values: use `==` or `!=`",
            ">=",
        ),
        (
            "industry in [\"a\", 3]",
            "`industry` is text but 3 is a number: put the text in quotes, \"3\"",
            "3",
        ),
        (
            "employees in [1, \"2\"]",
            "`employees` is a number but \"2\" is a string: write the number without quotes, 2",
            "\"2\"",
        ),
        (
            "employees contains \"5\"",
            "`contains` needs text, but `employees` is a number: compare it with `==`, `<`, `>=`, ...",
            "employees",
        ),
        (
            "created matches \"2026\"",
            "`matches` needs text, but `created` is a date: compare it with a date such as 2026-01-31, or use `days_since`",
            "created",
        ),
        (
            "days_since(employees) > 3",
            "`days_since` needs a date field, but `employees` is a number",
            "employees",
        ),
        (
            "industry",
            "`industry` is text: compare it, e.g. `industry == \"...\"`",
            "industry",
        ),
        (
            "customer and created",
            "`created` is a date: compare it, e.g. `created >= 2026-01-01` or `days_since(created) <= 30`",
            "created",
        ),
        (
            "\"software\"",
            "\"software\" is a string, not a test: compare a field with it, e.g. `industry == \"software\"`",
            "\"software\"",
        ),
        (
            "true == 1",
            "true is a true/false value but 1 is a number: compare it with true or false",
            "true == 1",
        ),
        (
            "(customer) > 1",
            "a condition in parentheses is true/false but 1 is a number: compare it with true or false",
            "(customer) > 1",
        ),
    ];
    for (src, msg, at) in cases {
        let (m, a) = fail_at(src);
        assert_eq!(&m, msg, "{src}");
        assert_eq!(&a, at, "{src}");
    }
}

#[test]
fn unknown_fields_suggest_the_nearest_name() {
    let (msg, at) = fail_at("industy == \"x\"");
    assert_eq!(msg, "unknown field `industy` (did you mean `industry`?)");
    assert_eq!(at, "industy");
    let (msg, at) = fail_at("customer and `Job Titel` contains \"vp\"");
    assert_eq!(msg, "unknown field `Job Titel` (did you mean `job_title`?)");
    assert_eq!(at, "`Job Titel`");
    let (msg, _) = fail_at("scor > 3");
    assert_eq!(msg, "unknown field `scor` (did you mean `score`?)");
    let (msg, _) = fail_at("days_since(lastvisit) > 3");
    assert_eq!(
        msg,
        "unknown field `lastvisit` (did you mean `last_visit`?)"
    );
    let (msg, _) = fail_at("zzzzzz > 3");
    assert!(
        msg.starts_with("unknown field `zzzzzz` (known fields: `employees`, `title`, `industry`"),
        "{msg}"
    );
    assert!(msg.contains("and 4 more"), "{msg}");
    // Errors come in source order: the first problem is reported.
    let (msg, _) = fail_at("foo_bar > 1 and industy == 2");
    assert!(msg.starts_with("unknown field `foo_bar`"), "{msg}");
}

// ---- syntax errors ------------------------------------------------------

#[test]
fn syntax_errors_say_what_was_expected_and_found() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "",
            "the condition is empty: write a test such as `industry == \"software\"`",
            "",
        ),
        ("x == )", "expected a value after `==`, found `)`", ")"),
        ("(x == 1", "unclosed `(`: expected `)`", "("),
        ("x == 1)", "unmatched `)`: there is no `(` before it", ")"),
        ("x = 1", "unknown operator `=`; did you mean `==`?", "="),
        (
            "x == 1 AND y",
            "`AND`: keywords are lowercase, write `and`",
            "AND",
        ),
        (
            "x == \"abc",
            "unterminated string: add a closing `\"`",
            "\"",
        ),
        (
            "x == 1 y == 2",
            "expected `and`, `or` or the end of the condition, found `y`",
            "y",
        ),
        (
            "1 < x < 5",
            "expected `and`, `or` or the end of the condition, found `<` (comparisons cannot be chained: join them with `and`)",
            "<",
        ),
        (
            "industry \"x\"",
            "expected an operator such as `==` between `industry` and `\"x\"`",
            "\"x\"",
        ),
        (
            "x in (1, 2)",
            "expected `[` after `in`, found `(`: lists are written in square brackets, e.g. `in [\"a\", \"b\"]`",
            "(",
        ),
        ("x in [1, 2", "unclosed `[`: expected `]`", "["),
        (
            "x in [1 2]",
            "expected `,` or `]` in the list, found `2`",
            "2",
        ),
        (
            "x in [y]",
            "a list holds only literals (numbers, strings in quotes, dates, true, false), found the field `y`",
            "y",
        ),
        (
            "x not 1",
            "expected `in` after `not`, found `1` (to negate a test, put `not` before it)",
            "1",
        ),
        (
            "x is nothing",
            "expected `missing` or `present` after `is`, found `nothing`",
            "nothing",
        ),
        (
            "x is not missing",
            "`is not`: write `is present` (or `is missing`)",
            "is not",
        ),
        (
            "x contains y",
            "`contains` needs a string in quotes, e.g. `title contains \"vp\"`; found `y`",
            "y",
        ),
        (
            "days_since created",
            "expected `(` after `days_since`, found `created`: write `days_since(date_field)`",
            "created",
        ),
        (
            "days_since(3) > 1",
            "`days_since` takes a date field, e.g. `days_since(last_visit)`; found `3`",
            "3",
        ),
        (
            "days_since(x > 1",
            "expected `)` after `days_since(x`, found `>`",
            ">",
        ),
        (
            "not",
            "expected a value, found the end of the condition",
            "",
        ),
        (
            "x and",
            "expected a value, found the end of the condition",
            "",
        ),
        ("and x", "expected a value, found `and`", "and"),
        (
            "x == 2026-02-30",
            "`2026-02-30` is not a valid date",
            "2026-02-30",
        ),
        ("x && y", "unknown operator `&&`; write `and`", "&&"),
        ("(x == 1 y)", "expected `and`, `or` or `)`, found `y`", "y"),
        ("x ; y", "unexpected character `;`", ";"),
    ];
    for (src, msg, at) in cases {
        let e = parse(src).unwrap_err();
        assert_eq!(&e.message, msg, "{src}");
        assert_eq!(&src[e.pos..e.pos + e.len], *at, "{src}");
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = format!("{}x{}", "(".repeat(10_000), ")".repeat(10_000));
    let e = parse(&deep).unwrap_err();
    assert!(e.message.contains("nested too deeply"), "{}", e.message);
    let nots = format!("{}x", "not ".repeat(10_000));
    assert!(
        parse(&nots)
            .unwrap_err()
            .message
            .contains("nested too deeply")
    );
    // The limit itself compiles and evaluates, within 1 MiB of stack.
    let at_limit = std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(|| {
            let d = parser::MAX_DEPTH;
            let limit = format!("{}customer{}", "(".repeat(d), ")".repeat(d));
            assert!(compile_in(&table(), &[], &limit).is_ok());
            // `run` wraps the condition in one more level.
            let d = d - 1;
            let parens = format!("{}customer{}", "(".repeat(d), ")".repeat(d));
            assert_eq!(run(&parens), "TF?TF");
            let rhs = format!("customer == {}true{}", "(".repeat(d), ")".repeat(d));
            assert_eq!(run(&rhs), "TF?TF");
            // An odd number of `not`s negates.
            let nots = format!("{}customer", "not ".repeat(d));
            assert_eq!(run(&nots), "FT?FT");
            let mixed = format!("{}customer{}", "(not ".repeat(d / 2), ")".repeat(d / 2));
            assert_eq!(run(&mixed), "FT?FT");
            let over = format!("{}customer{}", "(".repeat(d + 2), ")".repeat(d + 2));
            assert!(
                parse(&over)
                    .unwrap_err()
                    .message
                    .contains("nested too deeply")
            );
        })
        .unwrap();
    assert!(at_limit.join().is_ok());
    // Long flat chains are not nesting.
    let chain = vec!["employees > 1"; 5000].join(" or ");
    assert_eq!(run(&chain), "TT?FT");
}

#[test]
fn render_points_at_the_error() {
    let src = "industy == \"x\"";
    let e = fail(src);
    assert_eq!(e.render(src), "  industy == \"x\"\n  ^^^^^^^");
    let src = "customer and\n  industy == \"x\"";
    let e = fail(src);
    assert_eq!(e.render(src), "    industy == \"x\"\n    ^^^^^^^");
    assert_eq!(e.line_col(src), (2, 3));
    let src = "\"é\" == industy";
    let e = fail(src);
    assert_eq!(e.render(src), "  \"é\" == industy\n         ^^^^^^^");
    assert_eq!(e.line_col(src), (1, 8));
    let src = "x and";
    let e = parse(src).unwrap_err();
    assert_eq!(e.render(src), "  x and\n       ^");
    let src = "\tx = 1";
    let e = parse(src).unwrap_err();
    assert_eq!(e.render(src), "  \tx = 1\n  \t  ^");
    // Out-of-range positions (a stale error on an edited source) do not panic.
    let e = CondError {
        pos: 99,
        len: 5,
        message: String::new(),
    };
    assert_eq!(e.render("ab"), "  ab\n    ^");
    let e = CondError {
        pos: 1,
        len: 1,
        message: String::new(),
    };
    e.render("é");
    e.line_col("é");
}

// ---- check without compiling -------------------------------------------

#[test]
fn check_alone_finds_the_same_errors_as_compile() {
    let t = table();
    let env = Env {
        table: &t,
        as_of: as_of(),
        virtuals: &[],
    };
    for src in [
        "industy == \"x\"",
        "(a",
        "employees > \"x\"",
        "title matches \"(\"",
    ] {
        let compiled = Condition::compile(src, &env).err();
        assert_eq!(Condition::check(src, &env).err(), compiled, "{src}");
    }
    assert!(Condition::check("employees > 3", &env).is_ok());
}
