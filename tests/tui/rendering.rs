//! Rendering on ratatui's TestBackend: snapshots, small windows, numbers never cut.

use super::common::*;
use crossterm::event::KeyCode;
use leadlab::session::Session;
use leadlab::tui::{Action, App, Pane, keys};

/// The screen against its snapshot, `snapshots/tui__NAME.snap`: named as
/// when these tests were one file (insta would otherwise prefix the module,
/// `tui__rendering__`).
macro_rules! assert_screen {
    ($name:literal, $screen:expr) => {
        insta::with_settings!({ prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(concat!("tui__", $name), $screen)
        })
    };
}

#[test]
fn the_workbench_at_100x30() {
    let mut app = app();
    steady(&mut app);
    assert_screen!("tiny_100x30", render(&app, 100, 30));
}

#[test]
fn changes_are_marked_without_relying_on_colour() {
    let mut app = app();
    select_rule(&mut app, "webinar");
    act(&mut app, &[Action::Nudge(5.0)]);
    app.pane = Pane::Tiers;
    act(&mut app, &[Action::Down, Action::Nudge(-5.0)]);
    app.pane = Pane::Rules;
    idle(&mut app);
    steady(&mut app);
    assert_screen!("tiny_100x30_edited", render(&app, 100, 30));
    let screen = render(&app, 100, 30);
    // The rule and the tier carry `*` and their baseline value; the header counts changes.
    assert!(screen.contains("* webinar"), "{screen}");
    assert!(screen.contains("● 2 unsaved changes"), "{screen}");
    assert!(screen.contains(" → "), "{screen}");
}

#[test]
fn the_bundled_example_at_100x30_shows_every_pane() {
    let app = App::new(Session::example(None).unwrap(), None);
    let screen = render(&app, 100, 30);
    for needle in [
        "Rules (",
        "regulated-industry",
        "Tiers",
        "AUC",
        "Precision",
        "Recall",
        "Conversion by score band",
        "95% CI",
        "False pos.",
        "False neg.",
        "bundled example",
    ] {
        assert!(screen.contains(needle), "missing {needle:?}:\n{screen}");
    }
    let auc = format!("{:.3}", app.figures.review.auc.unwrap());
    assert!(screen.contains(&auc), "{screen}");
    assert_eq!(screen.lines().count(), 30);
}

#[test]
fn a_small_window_asks_to_be_made_larger() {
    let app = app();
    let screen = render(&app, 59, 15);
    assert!(screen.contains("Make the window larger"), "{screen}");
    // The smallest usable size shows the panes.
    let screen = render(&app, 60, 16);
    assert!(screen.contains("Rules"), "{screen}");
    assert_screen!("tiny_60x16", {
        let mut a = app;
        steady(&mut a);
        render(&a, 60, 16)
    });
}

#[test]
fn no_size_panics_whatever_is_open() {
    type Setup = Box<dyn Fn(&mut Workbench)>;
    let mut states: Vec<Setup> = vec![
        Box::new(|_| {}),
        Box::new(|a| act(a, &[Action::Help])),
        Box::new(|a| act(a, &[Action::OpenLedger])),
        Box::new(|a| {
            a.pane = Pane::Rules;
            act(a, &[Action::EditCondition]);
            type_text(a, " and bogus_field == 3 or");
        }),
        Box::new(|a| {
            a.pane = Pane::Rules;
            act(a, &[Action::Nudge(1.0), Action::Quit]);
        }),
    ];
    for setup in states.drain(..) {
        let mut a = Workbench::new(App::new(session(), None));
        a.pane = Pane::FalsePositives;
        setup(&mut a);
        for w in (0..=130)
            .step_by(9)
            .chain([1, 2, 59, 60, 61, 95, 96, 99, 100, 101])
        {
            for h in (0..=45).step_by(6).chain([1, 2, 15, 16, 17, 29, 30, 31]) {
                render(&a, w, h);
            }
        }
    }
}

#[test]
fn the_ledger_and_the_condition_editor_render_at_100x30() {
    let mut app = app();
    app.pane = Pane::FalsePositives;
    act(&mut app, &[Action::OpenLedger]);
    steady(&mut app);
    assert_screen!("tiny_ledger_100x30", render(&app, 100, 30));
    act(&mut app, &[Action::Close]);
    app.pane = Pane::Rules;
    act(&mut app, &[Action::EditCondition, Action::CursorHome]);
    type_text(&mut app, "x");
    steady(&mut app);
    assert_screen!("tiny_condition_error_100x30", render(&app, 100, 30));
}

#[test]
fn large_counts_and_fractional_points_are_never_cut_to_fit() {
    // 100,000 leads in one band and one tier, a rule worth -12.25 points.
    let mut csv = String::from("id,a,won\n");
    for i in 0..100_000 {
        csv.push_str(&format!(
            "{i},{},{}\n",
            i % 2 == 0,
            if i % 3 == 0 { "yes" } else { "no" }
        ));
    }
    let rs = "[data]\nid = \"id\"\noutcome = \"won\"\n[[rules]]\nid = \"a\"\nwhen = \"a\"\npoints = -12.25\n[[tiers]]\nname = \"Hot\"\nmin = 50\n[[tiers]]\nname = \"Rest\"\nmin = 0\n";
    let s = Session::from_text("r.toml", rs, "d.csv", csv.as_bytes(), None, false).unwrap();
    let mut app = App::new(s, None);
    steady(&mut app);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("100,000"), "{screen}");
    assert!(screen.contains("-12.25"), "{screen}");
}

/// Prints README material: the workbench on the bundled example at 100×30
/// and the key table as markdown, both generated from the code. Run it on
/// purpose: `cargo test --test tui readme_material -- --ignored --nocapture`.
#[test]
#[ignore]
fn readme_material() {
    let (opened, calibrated) = readme_screens();
    println!("```text\n{opened}```\n");
    println!("```text\n{calibrated}```\n");
    println!("{}", keys::markdown());
}

/// The README's two screens at 100×30: the bundled example as it opens, and
/// after the calibration story's steps 2–4 typed as the README words them.
fn readme_screens() -> (String, String) {
    let mut app = Workbench::new(App::new(Session::example(None).unwrap(), None));
    steady(&mut app);
    let opened = render(&app, 100, 30);
    select_rule(&mut app, "webinar-attended");
    press(&mut app, &[key(KeyCode::Enter)]);
    type_text(&mut app, "0");
    press(&mut app, &[key(KeyCode::Enter)]);
    select_rule(&mut app, "recent-incident");
    press(&mut app, &[key(KeyCode::Enter)]);
    type_text(&mut app, "12");
    press(&mut app, &[key(KeyCode::Enter)]);
    select_rule(&mut app, "size-smb");
    press(&mut app, &[key(KeyCode::Char('['))]);
    idle(&mut app);
    steady(&mut app);
    (opened, render(&app, 100, 30))
}

/// The screens the README shows are the ones a newcomer sees (all but the
/// status line, whose timing varies from run to run).
#[test]
fn the_readme_screens_are_what_a_newcomer_sees() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let (opened, calibrated) = readme_screens();
    for (what, screen) in [
        ("as it opens", opened),
        ("after the calibration story", calibrated),
    ] {
        let lines: Vec<&str> = screen.lines().collect();
        let body = lines[..lines.len() - 1].join("\n");
        assert!(
            readme.contains(&body),
            "README.md does not show the workbench {what}; regenerate it with \
             `cargo test --test tui readme_material -- --ignored --nocapture`:\n{screen}"
        );
    }
}
