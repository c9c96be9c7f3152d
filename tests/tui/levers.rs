//! The model's levers (issue 17): `m` turns the rules pane into the list of
//! gate caps, group caps and floors, the qualified tier, band edges and the
//! score range; the keys of points and thresholds move them, each edit
//! undoable, rescored, worded in the change list and saved in place.

use super::common::*;
use crossterm::event::KeyCode;
use leadlab::session::Session;
use leadlab::tui::levers::Lever;
use leadlab::tui::{App, Overlay, Pane};

/// The tiny model with a gate: leads without a demo score at most 40.
fn gated_ruleset() -> String {
    RULESET.replace(
        "[[tiers]]\nname = \"Hot\"",
        "[[gates]]\nid = \"no-demo\"\nwhen = \"not demo\"\ncap = 40\nreason = \"No demo yet\"\n\n[[tiers]]\nname = \"Hot\"",
    )
}

fn gated_app() -> Workbench {
    let s = Session::from_text(
        "tiny.toml",
        &gated_ruleset(),
        "tiny.csv",
        leads_csv().as_bytes(),
        None,
        false,
    )
    .unwrap_or_else(|e| panic!("{e:#}"));
    let mut a = App::new(s, None);
    a.today = date("2026-11-02");
    Workbench::new(a)
}

/// Open the levers and put the cursor on `lever`.
fn select_lever(app: &mut Workbench, lever: &Lever) {
    if !app.show_levers {
        press(app, &[key(KeyCode::Char('m'))]);
    }
    let k = app.levers().iter().position(|l| l == lever).expect("lever");
    press(app, &[key(KeyCode::Home)]);
    for _ in 0..k {
        press(app, &[key(KeyCode::Char('j'))]);
    }
    assert_eq!(app.selected_lever().as_ref(), Some(lever));
}

fn status(app: &App) -> String {
    app.status.as_ref().map(|s| s.0.clone()).unwrap_or_default()
}

#[test]
fn m_lists_every_lever_and_goes_back_to_the_rules() {
    let mut app = gated_app();
    press(&mut app, &[key(KeyCode::Char('m'))]);
    assert!(app.show_levers);
    let labels: Vec<String> = app.levers().iter().map(Lever::label).collect();
    assert_eq!(
        labels,
        [
            "gate no-demo: cap",
            "group fit: cap",
            "group fit: floor",
            "group intent: cap",
            "group intent: floor",
            "group negative: cap",
            "group negative: floor",
            "qualified tier (and above)",
            "band edge 1",
            "band edge 2",
            "band edge 3",
            "band edge 4",
            "band edge 5",
            "score range: low",
            "score range: high",
        ]
    );
    let screen = render(&app, 100, 30);
    assert!(screen.contains("Model levers (15) · m: rules"), "{screen}");
    assert!(screen.contains("gate no-demo: cap"), "{screen}");
    assert!(screen.contains("qualified tier (and above)"), "{screen}");
    // Rule keys do nothing here: there is no rule under the cursor.
    press(
        &mut app,
        &[key(KeyCode::Char(' ')), key(KeyCode::Char('x'))],
    );
    assert!(!app.dirty());
    assert_eq!(app.ruleset.rules.len(), 4);
    press(&mut app, &[key(KeyCode::Char('m'))]);
    assert!(!app.show_levers);
    assert!(render(&app, 100, 30).contains("Rules (4)"));
}

#[test]
fn a_gate_cap_moves_with_the_keys_of_points_and_every_figure_follows() {
    let mut app = gated_app();
    let gate = Lever::GateCap("no-demo".into());
    select_lever(&mut app, &gate);
    press(
        &mut app,
        &[key(KeyCode::Char('[')), key(KeyCode::Char('-'))],
    );
    assert_eq!(app.ruleset.gates[0].cap, 34.0);
    idle(&mut app);
    assert_consistent(&app);
    assert_eq!(app.changes, ["gate no-demo cap: 40 -> 34"]);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("* gate no-demo: cap"), "{screen}");
    let row = screen.lines().find(|l| l.contains("gate no-demo")).unwrap();
    assert!(
        row.contains("34") && row.contains("40"),
        "now and was: {row}"
    );
    // Enter types a value: it replaces the one shown.
    press(&mut app, &[key(KeyCode::Enter)]);
    let shown = render(&app, 100, 30);
    assert!(
        shown.contains("Gate no-demo: cap · in the file: 40"),
        "{shown}"
    );
    type_text(&mut app, "25");
    press(&mut app, &[key(KeyCode::Enter)]);
    assert_eq!(app.ruleset.gates[0].cap, 25.0);
    assert_eq!(status(&app), "gate no-demo: cap 34 → 25");
    press(&mut app, &[key(KeyCode::Char('u'))]);
    assert_eq!(status(&app), "gate no-demo: cap back to 34");
    assert_eq!(app.ruleset.gates[0].cap, 34.0);
    press(&mut app, &[ctrl('r')]);
    assert_eq!(app.ruleset.gates[0].cap, 25.0);
    // 0: back to the file's value.
    press(&mut app, &[key(KeyCode::Char('0'))]);
    assert_eq!(app.ruleset.gates[0].cap, 40.0);
    assert!(!app.dirty());
    idle(&mut app);
    assert_consistent(&app);
}

#[test]
fn numbers_a_ruleset_may_not_hold_are_refused() {
    let mut app = gated_app();
    select_lever(&mut app, &Lever::GateCap("no-demo".into()));
    press(&mut app, &[key(KeyCode::Enter)]);
    type_text(&mut app, "1e12");
    press(&mut app, &[key(KeyCode::Enter)]);
    let Overlay::Prompt(p) = &app.overlay else {
        panic!("the prompt stays open")
    };
    assert_eq!(
        p.error.as_deref(),
        Some(
            "gate no-demo: cap is out of range: write a finite number from -1e9 to 1e9 (beyond that, sums of points lose exactness or overflow)"
        )
    );
    press(&mut app, &[ctrl('u')]);
    type_text(&mut app, "lots");
    press(&mut app, &[key(KeyCode::Enter)]);
    let Overlay::Prompt(p) = &app.overlay else {
        panic!("the prompt stays open")
    };
    assert_eq!(p.error.as_deref(), Some("type a number, like 40"));
    press(&mut app, &[key(KeyCode::Esc)]);
    assert!(!app.dirty());
}

#[test]
fn group_caps_and_floors_also_of_groups_the_file_does_not_list() {
    let mut app = app();
    select_lever(&mut app, &Lever::GroupCap("fit".into()));
    press(&mut app, &[key(KeyCode::Char('-'))]);
    assert_eq!(app.ruleset.groups[0].cap, Some(29.0));
    // `intent` has no cap: `-` starts from the most its rules add up to (40).
    select_lever(&mut app, &Lever::GroupCap("intent".into()));
    press(&mut app, &[key(KeyCode::Char('['))]);
    idle(&mut app);
    assert_consistent(&app);
    assert_eq!(
        app.changes,
        ["group fit cap: 30 -> 29", "group intent cap: none -> 35"]
    );
    // A floor above the cap is refused, as the loader refuses it.
    select_lever(&mut app, &Lever::GroupFloor("intent".into()));
    press(&mut app, &[key(KeyCode::Enter)]);
    type_text(&mut app, "36");
    press(&mut app, &[key(KeyCode::Enter)]);
    let Overlay::Prompt(p) = &app.overlay else {
        panic!("the prompt stays open")
    };
    assert_eq!(
        p.error.as_deref(),
        Some("group intent: a cap of 35 would be below the floor of 36")
    );
    press(&mut app, &[key(KeyCode::Esc)]);
    // `none` takes a cap away; the group the file does not list goes again.
    select_lever(&mut app, &Lever::GroupCap("intent".into()));
    press(&mut app, &[key(KeyCode::Enter)]);
    type_text(&mut app, "none");
    press(&mut app, &[key(KeyCode::Enter)]);
    assert_eq!(app.changes, ["group fit cap: 30 -> 29"]);
    assert!(app.ruleset.groups.iter().all(|g| g.name != "intent"));
    idle(&mut app);
    assert_consistent(&app);
}

#[test]
fn the_qualified_tier_cycles_through_the_tiers() {
    let mut app = app();
    let before = app.figures.review.qualified.leads;
    select_lever(&mut app, &Lever::Qualified);
    press(&mut app, &[key(KeyCode::Char('+'))]);
    assert_eq!(app.ruleset.review.qualified.as_deref(), Some("Hot"));
    idle(&mut app);
    assert_consistent(&app);
    assert!(app.figures.review.qualified.leads < before);
    assert_eq!(app.changes, ["qualified: Warm -> Hot"]);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("qualified = Hot"), "{screen}");
    // Round the list: Hot, then Cold (every lead), then Warm.
    press(&mut app, &[key(KeyCode::Char('+'))]);
    assert_eq!(app.ruleset.review.qualified.as_deref(), Some("Cold"));
    press(&mut app, &[key(KeyCode::Char('-'))]);
    assert_eq!(app.ruleset.review.qualified.as_deref(), Some("Hot"));
    // Enter takes a tier's name.
    press(&mut app, &[key(KeyCode::Enter)]);
    type_text(&mut app, "Lukewarm");
    press(&mut app, &[key(KeyCode::Enter)]);
    let Overlay::Prompt(p) = &app.overlay else {
        panic!("the prompt stays open")
    };
    assert_eq!(
        p.error.as_deref(),
        Some("type the name of a tier: Hot, Warm, Cold")
    );
    press(&mut app, &[ctrl('u')]);
    type_text(&mut app, "warm");
    press(&mut app, &[key(KeyCode::Enter)]);
    assert_eq!(app.ruleset.review.qualified.as_deref(), Some("Warm"));
    assert!(!app.dirty());
}

#[test]
fn band_edges_must_increase_and_the_score_range_must_be_low_below_high() {
    let mut app = app();
    select_lever(&mut app, &Lever::Band(1));
    press(&mut app, &[key(KeyCode::Enter)]);
    type_text(&mut app, "60");
    press(&mut app, &[key(KeyCode::Enter)]);
    let Overlay::Prompt(p) = &app.overlay else {
        panic!("the prompt stays open")
    };
    assert_eq!(
        p.error.as_deref(),
        Some("band edges must increase: [0, 60, 50, 75, 100] does not")
    );
    press(&mut app, &[ctrl('u')]);
    type_text(&mut app, "30");
    press(&mut app, &[key(KeyCode::Enter)]);
    assert_eq!(app.ruleset.review.bands, [0.0, 30.0, 50.0, 75.0, 100.0]);
    idle(&mut app);
    assert_consistent(&app);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("30-50"), "{screen}");

    select_lever(&mut app, &Lever::RangeHigh);
    press(&mut app, &[key(KeyCode::Char(']'))]);
    assert_eq!(app.ruleset.model.score_range, (0.0, 105.0));
    select_lever(&mut app, &Lever::RangeLow);
    press(&mut app, &[key(KeyCode::Enter)]);
    type_text(&mut app, "105");
    press(&mut app, &[key(KeyCode::Enter)]);
    let Overlay::Prompt(p) = &app.overlay else {
        panic!("the prompt stays open")
    };
    assert_eq!(
        p.error.as_deref(),
        Some("the score range's low must be below its high: [105, 105] is not")
    );
    press(&mut app, &[key(KeyCode::Esc)]);
    idle(&mut app);
    assert_consistent(&app);
    assert_eq!(
        app.changes,
        [
            "score range: [0, 100] -> [0, 105]",
            "bands: [0, 25, 50, 75, 100] -> [0, 30, 50, 75, 100]",
        ]
    );
    // R puts every lever back too.
    press(&mut app, &[key(KeyCode::Char('R'))]);
    assert!(!app.dirty());
    assert_eq!(app.ruleset.model.score_range, (0.0, 100.0));
}

#[test]
fn levers_are_saved_in_place_keeping_comments() {
    let (dir, path, mut app) = app_on_disk();
    select_lever(&mut app, &Lever::GroupCap("fit".into()));
    press(&mut app, &[key(KeyCode::Char('['))]);
    select_lever(&mut app, &Lever::Qualified);
    press(&mut app, &[key(KeyCode::Char('+'))]);
    select_lever(&mut app, &Lever::Band(1));
    press(&mut app, &[key(KeyCode::Char('+'))]);
    select_lever(&mut app, &Lever::RangeHigh);
    press(&mut app, &[key(KeyCode::Char(']'))]);
    idle(&mut app);
    press(&mut app, &[key(KeyCode::Char('s'))]);
    type_text(&mut app, "stricter");
    press(&mut app, &[key(KeyCode::Enter)]);
    assert!(!app.dirty(), "{:?}", app.status);
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        saved.contains("fit = { cap = 25 }     # fit alone never makes a lead hot"),
        "{saved}"
    );
    assert!(saved.contains("qualified = \"Hot\"\n"), "{saved}");
    assert!(saved.contains("bands = [0, 26, 50, 75, 100]\n"), "{saved}");
    assert!(saved.contains("score_range = [0, 105]\n"), "{saved}");
    for line in RULESET.lines().filter(|l| l.starts_with('#')) {
        assert!(saved.contains(line), "lost {line:?}\n{saved}");
    }
    let again = reopen(dir.path());
    assert_eq!(again.ruleset.review.qualified.as_deref(), Some("Hot"));
    assert_eq!(again.ruleset.model.score_range, (0.0, 105.0));
    assert!(!again.dirty());
}

#[test]
fn a_draft_keeps_lever_edits_and_restores_them() {
    let (dir, _path, mut app) = app_on_disk();
    select_lever(&mut app, &Lever::GroupFloor("negative".into()));
    press(&mut app, &[key(KeyCode::Enter)]);
    type_text(&mut app, "-5");
    press(&mut app, &[key(KeyCode::Enter)]);
    select_lever(&mut app, &Lever::Qualified);
    press(&mut app, &[key(KeyCode::Char('+'))]);
    idle(&mut app);
    let changes = app.changes.clone();
    assert_eq!(
        changes,
        ["group negative floor: none -> -5", "qualified: Warm -> Hot"]
    );
    let figures = shown_figures(&app);
    drop(app);
    let mut again = reopen(dir.path());
    let Overlay::DraftOffer(offer) = &again.overlay else {
        panic!("the draft is offered")
    };
    assert_eq!(offer.changes, changes);
    press(&mut again, &[key(KeyCode::Char('y'))]);
    idle(&mut again);
    assert_eq!(again.changes, changes);
    assert_eq!(shown_figures(&again), figures);
    assert_consistent(&again);
}

#[test]
fn the_levers_draw_at_every_size() {
    let mut app = gated_app();
    select_lever(&mut app, &Lever::GateCap("no-demo".into()));
    press(&mut app, &[key(KeyCode::Char('-'))]);
    idle(&mut app);
    for (w, h) in [
        (1, 1),
        (20, 5),
        (60, 16),
        (80, 24),
        (100, 30),
        (160, 45),
        (220, 60),
    ] {
        let screen = render(&app, w, h);
        if w >= 60 {
            assert!(screen.contains("Model levers"), "{w}x{h}\n{screen}");
        }
    }
    press(&mut app, &[key(KeyCode::Enter)]);
    for (w, h) in [(1, 1), (20, 5), (60, 16), (100, 30)] {
        let _ = render(&app, w, h);
    }
    assert_eq!(app.pane, Pane::Rules);
}
