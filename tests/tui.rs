//! Workbench tests: state driven by actions (as the key table would send
//! them), and rendering on ratatui's TestBackend.
//!
//! Most tests use a small model and generated leads written here, so their
//! figures are stable; the few on the bundled example read its figures at
//! test time.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use leadlab::engine;
use leadlab::session::Session;
use leadlab::tui::app::{CondCheck, PromptKind, StatusKind};
use leadlab::tui::compute::{self, ComputeFn, Figures, Job};
use leadlab::tui::{Action, App, Overlay, Pane, keys, update, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(20);

const RULESET: &str = r#"# A small model for the workbench tests.
# Its comments must survive every save.

[model]
name = "Tiny inbound"
version = 3            # raised by one on every save
as_of = "2026-10-31"

[data]
id = "id"
outcome = "won"
created = "created"

[groups]
fit = { cap = 30 }     # fit alone never makes a lead hot

# Size: bigger companies buy more.
[[rules]]
id = "big"
group = "fit"
when = "employees >= 100"
points = 20
reason = "Big company"

# Asking for a demo is the strongest signal we have.
[[rules]]
id = "demo"
group = "intent"
when = "demo"
points = 30
reason = "Requested a demo"

[[rules]]
id = "webinar"
group = "intent"
when = "webinar"
points = 10

# Students do not buy.
[[rules]]
id = "student"
group = "negative"
when = 'title contains "student"'
points = -10

[[tiers]]
name = "Hot"
min = 50
require = "fit >= 10"

[[tiers]]
name = "Warm"
min = 20

[[tiers]]
name = "Cold"
min = 0

[review]
bands = [0, 25, 50, 75, 100]
qualified = "Warm"
capacity_per_week = 10
"#;

/// 120 leads whose outcomes follow demo and size, with some noise.
fn leads_csv() -> String {
    let mut s = String::from("id,created,employees,demo,webinar,title,won\n");
    for i in 0..120u32 {
        let employees = [5, 40, 150, 900, 3000][(i % 5) as usize];
        let demo = i % 3 == 0;
        let webinar = i % 4 == 1;
        let title = if i % 11 == 0 { "Student" } else { "IT Manager" };
        let won = (demo && employees >= 100) || i % 13 == 0 || (webinar && i % 7 == 0);
        let day = 1 + (i % 28);
        s.push_str(&format!(
            "L{i:03},2026-0{}-{day:02},{employees},{},{},{title},{}\n",
            4 + (i % 6),
            if demo { "yes" } else { "no" },
            if webinar { "true" } else { "false" },
            if won { "1" } else { "0" }
        ));
    }
    s
}

fn session() -> Session {
    Session::from_text(
        "tiny.toml",
        RULESET,
        "tiny.csv",
        leads_csv().as_bytes(),
        None,
        false,
    )
    .unwrap_or_else(|e| panic!("{e:#}"))
}

fn app() -> App {
    let mut a = App::new(session(), None);
    a.today = date("2026-11-02");
    a
}

/// The workbench on a copy of the model in a temporary directory.
fn app_on_disk() -> (tempfile::TempDir, PathBuf, App) {
    let dir = tempfile::tempdir().unwrap();
    let rs = dir.path().join("tiny.toml");
    let data = dir.path().join("tiny.csv");
    std::fs::write(&rs, RULESET).unwrap();
    std::fs::write(&data, leads_csv()).unwrap();
    let s = Session::open(&rs, &data, None, false).unwrap_or_else(|e| panic!("{e:#}"));
    let mut a = App::new(s, Some(rs.clone()));
    a.today = date("2026-11-02");
    (dir, rs, a)
}

fn date(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn act(app: &mut App, actions: &[Action]) {
    for a in actions {
        update(app, a.clone());
    }
}

fn key(c: KeyCode) -> KeyEvent {
    KeyEvent {
        code: c,
        modifiers: KeyModifiers::NONE,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    }
}

fn ctrl(c: char) -> KeyEvent {
    KeyEvent {
        modifiers: KeyModifiers::CONTROL,
        ..key(KeyCode::Char(c))
    }
}

/// Press keys through the key table, as the event loop does.
fn press(app: &mut App, keys_: &[KeyEvent]) {
    for k in keys_ {
        if let Some(a) = keys::dispatch(app, k) {
            update(app, a);
        }
    }
}

fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, &[key(KeyCode::Char(c))]);
    }
}

fn idle(app: &mut App) {
    assert!(app.wait_idle(WAIT), "the rescore did not finish");
}

fn rule<'a>(app: &'a App, id: &str) -> &'a leadlab::ruleset::Rule {
    app.ruleset.rules.iter().find(|r| r.id == id).unwrap()
}

fn select_rule(app: &mut App, id: &str) {
    app.pane = Pane::Rules;
    let k = app.ruleset.rules.iter().position(|r| r.id == id).unwrap();
    act(app, &[Action::First]);
    for _ in 0..k {
        act(app, &[Action::Down]);
    }
}

/// What a full compile and score of the working ruleset gives: the figures
/// on screen must always equal it once the rescore is done.
fn assert_consistent(app: &App) {
    assert!(!app.busy());
    assert_eq!(app.compiled.rules.len(), app.ruleset.rules.len());
    assert_eq!(app.compiled.rule_group.len(), app.ruleset.rules.len());
    let c = engine::compile(&app.ruleset, &app.table, app.compiled.as_of).unwrap();
    let s = engine::score(&c, &app.ruleset);
    let mut fresh = leadlab::metrics::review(&c, &app.ruleset, &app.table, &s, 50);
    fresh.segments.clear();
    assert_eq!(
        format!("{fresh:?}"),
        format!("{:?}", app.figures.review),
        "figures differ from a fresh compile"
    );
    for (&lead, &(score, tier)) in &app.figures.listed {
        assert_eq!((score, tier), (s.score[lead], s.tier[lead]));
    }
    for (cr, fresh) in app.compiled.rules.iter().zip(&c.rules) {
        assert_eq!(cr.fires, fresh.fires);
    }
}

/// The screen as text, with the timing (which varies) blanked.
fn render(app: &App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view(app, f)).unwrap();
    let buf = t.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Fix what changes from run to run (timings) before a snapshot.
fn steady(app: &mut App) {
    app.figures.elapsed = Duration::from_millis(7);
    app.baseline_figures.elapsed = Duration::from_millis(7);
    app.status = None;
}

// ---------------------------------------------------------------------------
// Editing weights and thresholds
// ---------------------------------------------------------------------------

#[test]
fn plus_minus_and_brackets_change_points_and_every_figure_follows() {
    let mut app = app();
    select_rule(&mut app, "webinar");
    let before = app.figures.review.clone();
    press(&mut app, &[key(KeyCode::Char('+'))]);
    assert_eq!(rule(&app, "webinar").points, 11.0);
    press(
        &mut app,
        &[key(KeyCode::Char(']')), key(KeyCode::Char(']'))],
    );
    assert_eq!(rule(&app, "webinar").points, 21.0);
    press(
        &mut app,
        &[key(KeyCode::Char('-')), key(KeyCode::Char('['))],
    );
    assert_eq!(rule(&app, "webinar").points, 15.0);
    press(&mut app, &[key(KeyCode::Char('='))]);
    for _ in 0..4 {
        press(&mut app, &[key(KeyCode::Char('+'))]);
    }
    assert_eq!(rule(&app, "webinar").points, 20.0);
    idle(&mut app);
    assert_consistent(&app);
    // A webinar at 20 points makes webinar-only leads Warm: qualified volume moves.
    assert!(app.figures.review.qualified.leads > before.qualified.leads);
    assert_eq!(app.changes, vec!["webinar: 10 -> 20".to_string()]);
    assert!(app.dirty());
}

#[test]
fn tier_thresholds_move_with_the_same_keys() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Tab)]);
    assert_eq!(app.pane, Pane::Tiers);
    press(
        &mut app,
        &[key(KeyCode::Char('j')), key(KeyCode::Char('['))],
    );
    assert_eq!(app.ruleset.tiers[1].min, Some(15.0));
    press(&mut app, &[key(KeyCode::Char('+'))]);
    assert_eq!(app.ruleset.tiers[1].min, Some(16.0));
    idle(&mut app);
    assert_consistent(&app);
    assert_eq!(app.changes, vec!["tier Warm min: 20 -> 16".to_string()]);
    press(&mut app, &[key(KeyCode::Char('0'))]);
    assert_eq!(app.ruleset.tiers[1].min, Some(20.0));
    assert!(!app.dirty());
}

#[test]
fn enter_types_an_exact_value_and_rejects_what_is_not_a_number() {
    let mut app = app();
    select_rule(&mut app, "big");
    press(&mut app, &[key(KeyCode::Enter), ctrl('u')]);
    type_text(&mut app, "abc");
    press(&mut app, &[key(KeyCode::Enter)]);
    let Overlay::Prompt(p) = &app.overlay else {
        panic!("the prompt should stay open")
    };
    assert!(p.error.as_deref().unwrap().contains("number"));
    assert_eq!(rule(&app, "big").points, 20.0);
    // Numbers that would break the sums are refused as the loader refuses them.
    press(&mut app, &[ctrl('u')]);
    type_text(&mut app, "1e12");
    press(&mut app, &[key(KeyCode::Enter)]);
    let Overlay::Prompt(p) = &app.overlay else {
        panic!("the prompt should stay open")
    };
    assert!(
        p.error
            .as_deref()
            .unwrap()
            .contains("is out of range: write a finite number from -1e9 to 1e9")
    );
    assert_eq!(rule(&app, "big").points, 20.0);
    press(&mut app, &[ctrl('u')]);
    type_text(&mut app, "12.5");
    press(&mut app, &[key(KeyCode::Enter)]);
    assert!(matches!(app.overlay, Overlay::None));
    assert_eq!(rule(&app, "big").points, 12.5);
    // Esc cancels without a change.
    press(&mut app, &[key(KeyCode::Enter), ctrl('u')]);
    type_text(&mut app, "99");
    press(&mut app, &[key(KeyCode::Esc)]);
    assert_eq!(rule(&app, "big").points, 12.5);
}

#[test]
fn space_turns_a_rule_off_and_on() {
    let mut app = app();
    select_rule(&mut app, "demo");
    press(&mut app, &[key(KeyCode::Char(' '))]);
    assert!(!rule(&app, "demo").enabled);
    idle(&mut app);
    assert_consistent(&app);
    assert_eq!(app.changes, vec!["demo: disabled".to_string()]);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("[off] demo"), "{screen}");
    press(&mut app, &[key(KeyCode::Char(' '))]);
    assert!(rule(&app, "demo").enabled);
    assert!(!app.dirty());
}

#[test]
fn undo_and_redo_walk_an_unbounded_history() {
    let mut app = app();
    select_rule(&mut app, "big");
    for _ in 0..200 {
        act(&mut app, &[Action::Nudge(1.0)]);
    }
    act(&mut app, &[Action::ToggleRule]);
    assert_eq!(rule(&app, "big").points, 220.0);
    for _ in 0..201 {
        press(&mut app, &[key(KeyCode::Char('u'))]);
    }
    assert_eq!(rule(&app, "big").points, 20.0);
    assert!(rule(&app, "big").enabled);
    assert!(!app.dirty());
    press(&mut app, &[key(KeyCode::Char('u'))]);
    assert_eq!(app.status.as_ref().unwrap().0, "nothing to undo");
    for _ in 0..201 {
        press(&mut app, &[ctrl('r')]);
    }
    assert_eq!(rule(&app, "big").points, 220.0);
    assert!(!rule(&app, "big").enabled);
    idle(&mut app);
    assert_consistent(&app);
    // A new edit after undo drops the redo branch.
    press(
        &mut app,
        &[key(KeyCode::Char('u')), key(KeyCode::Char('+'))],
    );
    press(&mut app, &[ctrl('r')]);
    assert_eq!(app.status.as_ref().unwrap().0, "nothing to redo");
}

#[test]
fn reset_one_and_reset_all_go_back_to_the_baseline_and_can_be_undone() {
    let mut app = app();
    select_rule(&mut app, "big");
    act(
        &mut app,
        &[
            Action::Nudge(5.0),
            Action::Down,
            Action::Nudge(-5.0),
            Action::ToggleRule,
        ],
    );
    assert_eq!(app.changes.len(), 3);
    press(&mut app, &[key(KeyCode::Char('0'))]);
    assert_eq!(rule(&app, "demo").points, 30.0);
    assert!(rule(&app, "demo").enabled);
    assert_eq!(app.changes, vec!["big: 20 -> 25".to_string()]);
    press(&mut app, &[key(KeyCode::Char('R'))]);
    assert!(!app.dirty());
    assert_eq!(rule(&app, "big").points, 20.0);
    press(&mut app, &[key(KeyCode::Char('u'))]);
    assert_eq!(rule(&app, "big").points, 25.0);
    idle(&mut app);
    assert_consistent(&app);
}

// ---------------------------------------------------------------------------
// Authoring
// ---------------------------------------------------------------------------

#[test]
fn adding_a_rule_opens_its_condition_and_keeps_compiled_rules_aligned() {
    let mut app = app();
    select_rule(&mut app, "demo");
    press(&mut app, &[key(KeyCode::Char('a'))]);
    assert_eq!(app.ruleset.rules.len(), 5);
    assert_eq!(app.ruleset.rules[2].id, "new-rule");
    assert_eq!(app.ruleset.rules[2].group, "intent");
    assert!(matches!(&app.overlay, Overlay::Prompt(p) if p.kind == PromptKind::Condition(2)));
    type_text(&mut app, "employees >= 1000");
    press(&mut app, &[key(KeyCode::Enter)]);
    assert!(matches!(app.overlay, Overlay::None));
    assert_eq!(app.ruleset.rules[2].when.text, "employees >= 1000");
    // A new rule can be renamed.
    press(&mut app, &[key(KeyCode::Char('i')), ctrl('u')]);
    type_text(&mut app, "enterprise");
    press(&mut app, &[key(KeyCode::Enter)]);
    assert_eq!(app.ruleset.rules[2].id, "enterprise");
    idle(&mut app);
    assert_consistent(&app);
    assert_eq!(app.figures.evidence_of("enterprise").unwrap().fires, 24);
    assert!(
        app.changes
            .contains(&"added rule enterprise (5 points)".to_string())
    );
    let screen = render(&app, 100, 30);
    assert!(screen.contains("+ enterprise"), "{screen}");
}

#[test]
fn rules_in_the_file_cannot_be_renamed() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Char('i'))]);
    assert!(matches!(app.overlay, Overlay::None));
    assert_eq!(app.status.as_ref().unwrap().1, StatusKind::Error);
}

#[test]
fn duplicate_and_delete_keep_compiled_rules_aligned() {
    let mut app = app();
    select_rule(&mut app, "big");
    press(&mut app, &[key(KeyCode::Char('D'))]);
    assert_eq!(app.ruleset.rules[1].id, "big-copy");
    assert_eq!(app.selected(Pane::Rules), 1);
    press(&mut app, &[key(KeyCode::Char('D'))]);
    assert_eq!(app.ruleset.rules[2].id, "big-copy-2");
    idle(&mut app);
    assert_consistent(&app);
    // Delete the original `big` and the second copy.
    select_rule(&mut app, "big");
    press(&mut app, &[key(KeyCode::Char('x'))]);
    select_rule(&mut app, "big-copy-2");
    press(&mut app, &[key(KeyCode::Delete)]);
    let ids: Vec<&str> = app.ruleset.rules.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["big-copy", "demo", "webinar", "student"]);
    idle(&mut app);
    assert_consistent(&app);
    assert!(app.changes.contains(&"deleted rule big".to_string()));
    // Undo brings both back, compiled rules too.
    press(
        &mut app,
        &[key(KeyCode::Char('u')), key(KeyCode::Char('u'))],
    );
    assert_eq!(app.ruleset.rules.len(), 6);
    idle(&mut app);
    assert_consistent(&app);
}

#[test]
fn a_condition_is_checked_as_typed_and_the_old_one_stays_until_it_is_valid() {
    let mut app = app();
    select_rule(&mut app, "big");
    let old_fires = app.compiled.rules[0].fires.clone();
    press(&mut app, &[key(KeyCode::Char('e'))]);
    let Overlay::Prompt(p) = &app.overlay else {
        panic!()
    };
    assert_eq!(p.text_box.text(), "employees >= 100");
    assert!(matches!(
        p.check,
        Some(CondCheck::Valid { fires: Some(72) })
    ));
    press(&mut app, &[ctrl('u')]);
    type_text(&mut app, "employes >= 500");
    let Overlay::Prompt(p) = &app.overlay else {
        panic!()
    };
    let Some(CondCheck::Invalid(e)) = &p.check else {
        panic!("an unknown field must be an error")
    };
    assert_eq!(e.pos, 0);
    assert!(e.message.contains("employees"), "{}", e.message);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("✗ column 1:"), "{screen}");
    // Enter does not accept it; the rule keeps its condition.
    press(&mut app, &[key(KeyCode::Enter)]);
    assert!(matches!(app.overlay, Overlay::Prompt(_)));
    assert_eq!(rule(&app, "big").when.text, "employees >= 100");
    assert_eq!(app.compiled.rules[0].fires, old_fires);
    // An error further in: its position is reported.
    press(&mut app, &[ctrl('u')]);
    type_text(&mut app, "employees >= ");
    let Overlay::Prompt(p) = &app.overlay else {
        panic!()
    };
    assert!(matches!(&p.check, Some(CondCheck::Invalid(e)) if e.pos >= 10));
    type_text(&mut app, "500");
    press(&mut app, &[key(KeyCode::Enter)]);
    assert!(matches!(app.overlay, Overlay::None));
    assert_eq!(rule(&app, "big").when.text, "employees >= 500");
    idle(&mut app);
    assert_consistent(&app);
    assert_eq!(
        app.changes,
        vec!["big when: `employees >= 100` -> `employees >= 500`"]
    );
}

#[test]
fn esc_in_the_condition_editor_changes_nothing() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Char('e'))]);
    type_text(&mut app, " and demo");
    press(&mut app, &[key(KeyCode::Esc)]);
    assert_eq!(rule(&app, "big").when.text, "employees >= 100");
    assert!(!app.dirty());
}

#[test]
fn group_edits_refresh_the_groups_and_bad_names_are_refused() {
    let mut app = app();
    select_rule(&mut app, "webinar");
    press(&mut app, &[key(KeyCode::Char('g')), ctrl('u')]);
    type_text(&mut app, "score");
    press(&mut app, &[key(KeyCode::Enter)]);
    let Overlay::Prompt(p) = &app.overlay else {
        panic!("a bad group name keeps the prompt open")
    };
    assert!(p.error.as_deref().unwrap().contains("score"));
    // Every name of a `score` output column is refused, as `check` refuses it.
    for name in ["tier", "reasons", "id"] {
        press(&mut app, &[ctrl('u')]);
        type_text(&mut app, name);
        press(&mut app, &[key(KeyCode::Enter)]);
        let Overlay::Prompt(p) = &app.overlay else {
            panic!("group `{name}` should be refused")
        };
        let err = p.error.as_deref().unwrap();
        assert!(
            err.contains(&format!("may not be called `{name}`")),
            "{err}"
        );
    }
    press(&mut app, &[ctrl('u')]);
    // A group named like a field is refused by the engine.
    type_text(&mut app, "employees");
    press(&mut app, &[key(KeyCode::Enter)]);
    assert!(matches!(app.overlay, Overlay::Prompt(_)));
    press(&mut app, &[ctrl('u')]);
    type_text(&mut app, "fit");
    press(&mut app, &[key(KeyCode::Enter)]);
    assert!(matches!(app.overlay, Overlay::None));
    assert_eq!(rule(&app, "webinar").group, "fit");
    let fit = app.compiled.groups.iter().position(|g| g == "fit").unwrap();
    assert_eq!(app.compiled.rule_group[2], fit);
    idle(&mut app);
    assert_consistent(&app);
    assert_eq!(app.changes, vec!["webinar group: intent -> fit"]);
}

#[test]
fn reason_edits_in_place() {
    let mut app = app();
    select_rule(&mut app, "student");
    press(&mut app, &[key(KeyCode::Char('r'))]);
    type_text(&mut app, "Student: not a buyer");
    press(&mut app, &[key(KeyCode::Enter)]);
    assert_eq!(
        rule(&app, "student").reason.as_deref(),
        Some("Student: not a buyer")
    );
    press(&mut app, &[key(KeyCode::Char('v'))]);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("Student: not a"), "{screen}");
    assert!(screen.contains("Requested a demo"), "{screen}");
}

// ---------------------------------------------------------------------------
// Off the UI thread: the newest edit wins
// ---------------------------------------------------------------------------

#[test]
fn keys_are_handled_while_a_slow_rescore_runs_and_only_the_newest_result_is_shown() {
    let calls = Arc::new(Mutex::new(Vec::<u64>::new()));
    let (release, gate) = mpsc::channel::<()>();
    let gate = Mutex::new(gate);
    let seen = calls.clone();
    let slow: ComputeFn = Box::new(move |job: Job| {
        seen.lock().unwrap().push(job.generation);
        // Hold the worker until the test lets it go.
        let _ = gate.lock().unwrap().recv_timeout(WAIT);
        compute::compute(job)
    });
    let mut app = App::with_compute(session(), None, slow);
    let shown = app.figures.review.qualified.leads;

    select_rule(&mut app, "webinar");
    press(&mut app, &[key(KeyCode::Char(']'))]); // generation 1: the worker takes it and waits
    let deadline = std::time::Instant::now() + WAIT;
    while calls.lock().unwrap().is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the worker never started"
        );
        std::thread::sleep(Duration::from_millis(1));
    }
    // While it waits, keys keep working: move, type a value, edit again.
    assert!(app.busy());
    press(
        &mut app,
        &[key(KeyCode::Char('k')), key(KeyCode::Char('j'))],
    );
    press(&mut app, &[key(KeyCode::Enter), ctrl('u')]);
    type_text(&mut app, "17");
    press(&mut app, &[key(KeyCode::Enter)]); // generation 2
    press(&mut app, &[key(KeyCode::Char('+'))]); // generation 3
    assert_eq!(rule(&app, "webinar").points, 18.0);
    assert_eq!(app.generation, 3);
    // Nothing rescored on this thread, and the screen still shows the old
    // figures with the indicator.
    assert_eq!(*calls.lock().unwrap(), vec![1]);
    assert_eq!(app.figures.generation, 0);
    assert_eq!(app.figures.review.qualified.leads, shown);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("rescoring…"), "{screen}");

    // Let the worker go: it finishes generation 1, skips 2, runs 3.
    release.send(()).unwrap();
    release.send(()).unwrap();
    idle(&mut app);
    assert_eq!(*calls.lock().unwrap(), vec![1, 3]);
    assert_eq!(app.figures.generation, 3);
    assert_consistent(&app);
    let screen = render(&app, 100, 30);
    assert!(screen.contains("rescored in"), "{screen}");
}

#[test]
fn a_result_for_an_older_edit_is_never_shown() {
    let mut app = app();
    act(&mut app, &[Action::Nudge(5.0)]);
    idle(&mut app);
    let current = app.figures.clone();
    let stale: Figures = compute::compute(Job {
        generation: app.generation - 1,
        table: app.table.clone(),
        compiled: app.baseline_compiled.clone(),
        ruleset: app.baseline.clone(),
    });
    update(&mut app, Action::Computed(Box::new(stale)));
    assert_eq!(app.figures.generation, current.generation);
    assert_eq!(
        format!("{:?}", app.figures.review),
        format!("{:?}", current.review)
    );
}

// ---------------------------------------------------------------------------
// Leads and their ledger
// ---------------------------------------------------------------------------

#[test]
fn enter_on_a_misclassified_lead_opens_its_ledger() {
    let mut app = app();
    press(
        &mut app,
        &[key(KeyCode::Tab), key(KeyCode::Tab), key(KeyCode::Tab)],
    );
    assert_eq!(app.pane, Pane::FalseNegatives);
    assert!(!app.figures.review.false_negatives.is_empty());
    press(&mut app, &[key(KeyCode::Enter)]);
    let Overlay::Ledger(v) = &app.overlay else {
        panic!("no ledger")
    };
    let lead = app.figures.review.false_negatives[0];
    assert_eq!(v.lead, lead);
    assert_eq!(v.outcome, Some(true));
    let screen = render(&app, 100, 30);
    assert!(
        screen.contains(&format!("Lead {}", app.table.lead_id(lead))),
        "{screen}"
    );
    assert!(screen.contains("What it lacks for Warm"), "{screen}");
    assert!(screen.contains("points short of 20"), "{screen}");
    // n moves to the next lead; Esc closes.
    press(&mut app, &[key(KeyCode::Char('n'))]);
    let Overlay::Ledger(v) = &app.overlay else {
        panic!()
    };
    assert_eq!(v.lead, app.figures.review.false_negatives[1]);
    press(&mut app, &[key(KeyCode::Esc)]);
    assert!(matches!(app.overlay, Overlay::None));
}

#[test]
fn an_open_ledger_follows_the_newest_figures() {
    let mut app = app();
    app.pane = Pane::FalseNegatives;
    act(&mut app, &[Action::OpenLedger]);
    let Overlay::Ledger(v) = &app.overlay else {
        panic!()
    };
    let lead = v.lead;
    let before = v.ledger.score;
    // Edits are not possible from the ledger, but a rescore still arriving is applied to it.
    app.overlay = Overlay::None;
    app.pane = Pane::Rules;
    select_rule(&mut app, "webinar");
    act(&mut app, &[Action::Nudge(50.0)]);
    app.pane = Pane::FalseNegatives;
    let v = leadlab::tui::app::LedgerView {
        list: Pane::FalseNegatives,
        lead,
        ledger: engine::explain(
            &app.figures.compiled,
            &app.figures.ruleset,
            &app.table,
            lead,
        ),
        outcome: Some(true),
        scroll: 0,
    };
    app.overlay = Overlay::Ledger(Box::new(v));
    idle(&mut app);
    let Overlay::Ledger(v) = &app.overlay else {
        panic!()
    };
    let now = engine::score(&app.figures.compiled, &app.figures.ruleset).score[lead];
    assert_eq!(v.ledger.score, now);
    let webinar = v.ledger.rules.iter().find(|r| r.id == "webinar").unwrap();
    assert_eq!(webinar.points, 60.0);
    let _ = before;
}

// ---------------------------------------------------------------------------
// Saving and quitting
// ---------------------------------------------------------------------------

#[test]
fn save_changes_only_the_value_the_version_and_appends_the_changelog() {
    let (_dir, path, mut app) = app_on_disk();
    select_rule(&mut app, "demo");
    let before = leadlab::tui::headline(&app.baseline_figures);
    press(&mut app, &[key(KeyCode::Char(']'))]);
    idle(&mut app);
    let after = leadlab::tui::headline(&app.figures);
    press(&mut app, &[key(KeyCode::Char('s'))]);
    assert!(matches!(&app.overlay, Overlay::Prompt(p) if p.kind == PromptKind::Note));
    // An empty note is refused.
    press(&mut app, &[key(KeyCode::Enter)]);
    assert!(matches!(&app.overlay, Overlay::Prompt(p) if p.error.is_some()));
    type_text(&mut app, "demo requests convert at 3x: +5");
    press(&mut app, &[key(KeyCode::Enter)]);
    assert!(matches!(app.overlay, Overlay::None), "{:?}", app.status);
    assert!(!app.dirty());

    let saved = std::fs::read_to_string(&path).unwrap();
    // Exactly two lines changed, then the changelog appended at the end.
    let expected_head = RULESET
        .replace("version = 3            #", "version = 4            #")
        .replace(
            "when = \"demo\"\npoints = 30",
            "when = \"demo\"\npoints = 35",
        );
    assert_ne!(expected_head, RULESET);
    assert!(saved.starts_with(&expected_head), "{saved}");
    let tail = &saved[expected_head.len()..];
    assert!(tail.trim_start().starts_with("[[changelog]]"), "{tail}");
    assert!(!tail.contains("[[rules]]"));
    let parsed: toml::Table = toml::from_str(&saved).unwrap();
    let entry = &parsed["changelog"].as_array().unwrap()[0];
    assert_eq!(entry["version"].as_integer(), Some(4));
    assert_eq!(entry["date"].as_str(), Some("2026-11-02"));
    assert_eq!(
        entry["note"].as_str(),
        Some("demo requests convert at 3x: +5")
    );
    assert_eq!(
        entry["changes"].as_array().unwrap()[0].as_str(),
        Some("demo: 30 -> 35")
    );
    let close = |k: &str, v: Option<f64>| {
        let got = entry.get(k).and_then(|x| x.as_float());
        assert!(
            (got.unwrap() - v.unwrap()).abs() < 1e-3,
            "{k}: {got:?} vs {v:?}"
        );
    };
    close("auc_before", before.auc);
    close("auc_after", after.auc);
    close("precision_before", before.precision);
    close("precision_after", after.precision);
    close("recall_before", before.recall);
    close("recall_after", after.recall);

    // The saved file is the new baseline: a second save appends a second entry.
    assert_eq!(app.baseline.model.version, 4);
    press(
        &mut app,
        &[key(KeyCode::Char('-')), key(KeyCode::Char('s'))],
    );
    type_text(&mut app, "back one");
    press(&mut app, &[key(KeyCode::Enter)]);
    let saved = std::fs::read_to_string(&path).unwrap();
    let parsed: toml::Table = toml::from_str(&saved).unwrap();
    let log = parsed["changelog"].as_array().unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(
        log[1]["changes"].as_array().unwrap()[0].as_str(),
        Some("demo: 35 -> 34")
    );
    assert_eq!(parsed["model"]["version"].as_integer(), Some(5));
    for line in RULESET.lines().filter(|l| l.trim_start().starts_with('#')) {
        assert!(saved.contains(line), "lost comment {line:?}");
    }
}

#[test]
fn save_refuses_a_file_changed_on_disk_and_offers_save_as() {
    let (dir, path, mut app) = app_on_disk();
    act(&mut app, &[Action::Nudge(1.0)]);
    let theirs = format!("{RULESET}\n# someone else's edit\n");
    std::fs::write(&path, &theirs).unwrap();
    press(&mut app, &[key(KeyCode::Char('s'))]);
    type_text(&mut app, "mine");
    press(&mut app, &[key(KeyCode::Enter)]);
    let Overlay::Prompt(p) = &app.overlay else {
        panic!("expected save-as")
    };
    assert!(matches!(&p.kind, PromptKind::SavePath { note } if note == "mine"));
    assert!(p.error.as_deref().unwrap().contains("changed on disk"));
    assert_eq!(
        p.text_box.text(),
        dir.path().join("tiny-v4.toml").display().to_string()
    );
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        theirs,
        "their file was overwritten"
    );
    // Save-as never overwrites either.
    press(&mut app, &[ctrl('u')]);
    type_text(&mut app, &path.display().to_string());
    press(&mut app, &[key(KeyCode::Enter)]);
    let Overlay::Prompt(p) = &app.overlay else {
        panic!("expected save-as again")
    };
    assert!(p.error.as_deref().unwrap().contains("already exists"));
    press(&mut app, &[ctrl('u')]);
    let other = dir.path().join("mine.toml");
    type_text(&mut app, &other.display().to_string());
    press(&mut app, &[key(KeyCode::Enter)]);
    assert!(matches!(app.overlay, Overlay::None));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
    let mine = std::fs::read_to_string(&other).unwrap();
    assert!(mine.contains("points = 21"));
    assert_eq!(app.path.as_deref(), Some(other.as_path()));
    assert!(!app.dirty());
}

#[test]
fn the_bundled_example_saves_as_a_new_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = App::new(Session::example(None).unwrap(), None);
    assert!(app.path.is_none());
    act(&mut app, &[Action::Nudge(1.0), Action::Save]);
    type_text(&mut app, "first calibration");
    press(&mut app, &[key(KeyCode::Enter)]);
    let Overlay::Prompt(p) = &app.overlay else {
        panic!("expected a path prompt")
    };
    assert!(matches!(p.kind, PromptKind::SavePath { .. }));
    // The default is the example's own name, in the current directory.
    assert!(
        p.text_box.text().starts_with("cybersecurity"),
        "{}",
        p.text_box.text()
    );
    press(&mut app, &[ctrl('u')]);
    let target = dir.path().join("cyber.toml");
    type_text(&mut app, &target.display().to_string());
    press(&mut app, &[key(KeyCode::Enter)]);
    assert!(matches!(app.overlay, Overlay::None), "{:?}", app.status);
    let text = std::fs::read_to_string(&target).unwrap();
    let example = leadlab::session::EXAMPLE_RULESET;
    let v0: toml::Table = toml::from_str(example).unwrap();
    let v1: toml::Table = toml::from_str(&text).unwrap();
    assert_eq!(
        v1["model"]["version"].as_integer(),
        v0["model"]["version"].as_integer().map(|v| v + 1)
    );
    assert!(v1.contains_key("changelog"));
    for line in example.lines().filter(|l| l.trim_start().starts_with('#')) {
        assert!(text.contains(line), "lost comment {line:?}");
    }
}

#[test]
fn quit_asks_first_when_there_are_unsaved_changes() {
    // No changes: q quits at once.
    let mut app = app();
    press(&mut app, &[key(KeyCode::Char('q'))]);
    assert!(app.quit);

    // Changes: q asks; c cancels; d discards and quits.
    let mut app = self::app();
    act(&mut app, &[Action::Nudge(1.0)]);
    press(&mut app, &[key(KeyCode::Char('q'))]);
    assert!(!app.quit);
    assert!(matches!(app.overlay, Overlay::QuitDialog));
    let screen = render(&app, 100, 30);
    assert!(screen.contains("(s)ave   (d)iscard   (c)ancel"), "{screen}");
    press(&mut app, &[key(KeyCode::Char('c'))]);
    assert!(matches!(app.overlay, Overlay::None));
    assert!(!app.quit);
    press(&mut app, &[ctrl('c')]);
    assert!(matches!(app.overlay, Overlay::QuitDialog));
    press(&mut app, &[key(KeyCode::Char('d'))]);
    assert!(app.quit);

    // s saves, then quits; Esc on the note stays in the workbench.
    let (_dir, path, mut app) = app_on_disk();
    act(&mut app, &[Action::Nudge(1.0)]);
    press(
        &mut app,
        &[key(KeyCode::Char('q')), key(KeyCode::Char('s'))],
    );
    press(&mut app, &[key(KeyCode::Esc)]);
    assert!(!app.quit);
    assert!(app.dirty());
    press(
        &mut app,
        &[key(KeyCode::Char('q')), key(KeyCode::Char('s'))],
    );
    type_text(&mut app, "before lunch");
    press(&mut app, &[key(KeyCode::Enter)]);
    assert!(app.quit);
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("points = 21")
    );
}

// ---------------------------------------------------------------------------
// Keys and help
// ---------------------------------------------------------------------------

#[test]
fn keys_mean_different_things_in_different_places_all_from_the_one_table() {
    let mut app = app();
    let d = |app: &App, k: KeyEvent| format!("{:?}", keys::dispatch(app, &k));
    assert_eq!(d(&app, key(KeyCode::Char('+'))), "Some(Nudge(1.0))");
    assert_eq!(d(&app, key(KeyCode::Char('['))), "Some(Nudge(-5.0))");
    assert_eq!(d(&app, key(KeyCode::Down)), "Some(Down)");
    assert_eq!(d(&app, key(KeyCode::Char('j'))), "Some(Down)");
    assert_eq!(d(&app, ctrl('r')), "Some(Redo)");
    assert_eq!(d(&app, key(KeyCode::Char(' '))), "Some(ToggleRule)");
    app.pane = Pane::Tiers;
    assert_eq!(d(&app, key(KeyCode::Char(' '))), "None");
    app.pane = Pane::FalsePositives;
    assert_eq!(d(&app, key(KeyCode::Enter)), "Some(OpenLedger)");
    assert_eq!(d(&app, key(KeyCode::Char('+'))), "None");
    // In a prompt, letters are typed, not commands.
    app.pane = Pane::Rules;
    act(&mut app, &[Action::EnterValue]);
    assert_eq!(d(&app, key(KeyCode::Char('q'))), "Some(Insert('q'))");
    assert_eq!(d(&app, key(KeyCode::Char('u'))), "Some(Insert('u'))");
    assert_eq!(d(&app, key(KeyCode::Enter)), "Some(Submit)");
    // A key release (reported on some terminals) does nothing.
    let mut release = key(KeyCode::Char('x'));
    release.kind = KeyEventKind::Release;
    assert_eq!(d(&app, release), "None");
}

#[test]
fn help_shows_every_binding_of_the_key_table() {
    let mut app = app();
    press(&mut app, &[key(KeyCode::Char('?'))]);
    assert!(matches!(app.overlay, Overlay::Help { .. }));
    let screen = render(&app, 100, 90);
    for b in keys::KEYS {
        assert!(screen.contains(b.help), "help lacks {:?}", b.help);
        let labels: Vec<String> = b.keys.iter().map(|k| k.label()).collect();
        assert!(screen.contains(&labels.join(" ")), "help lacks {labels:?}");
    }
    press(&mut app, &[key(KeyCode::Esc)]);
    assert!(matches!(app.overlay, Overlay::None));
}

#[test]
fn the_key_table_has_no_key_twice_in_one_place() {
    use keys::Context::*;
    // Contexts that are active together.
    let groups = [
        vec![Rules, RulesTiers, Main],
        vec![RulesTiers, Main],
        vec![Leads, Main],
        vec![Ledger],
        vec![Help],
        vec![Prompt],
        vec![QuitDialog],
    ];
    for g in groups {
        let mut seen = std::collections::HashSet::new();
        for b in keys::KEYS.iter().filter(|b| g.contains(&b.context)) {
            for k in b.keys {
                assert!(
                    seen.insert(k.label()),
                    "{} is bound twice in {g:?}",
                    k.label()
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------

#[test]
fn the_workbench_at_100x30() {
    let mut app = app();
    steady(&mut app);
    insta::assert_snapshot!("tiny_100x30", render(&app, 100, 30));
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
    insta::assert_snapshot!("tiny_100x30_edited", render(&app, 100, 30));
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
    insta::assert_snapshot!("tiny_60x16", {
        let mut a = app;
        steady(&mut a);
        render(&a, 60, 16)
    });
}

#[test]
fn no_size_panics_whatever_is_open() {
    type Setup = Box<dyn Fn(&mut App)>;
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
        let mut a = App::new(session(), None);
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
    insta::assert_snapshot!("tiny_ledger_100x30", render(&app, 100, 30));
    act(&mut app, &[Action::Close]);
    app.pane = Pane::Rules;
    act(&mut app, &[Action::EditCondition, Action::CursorHome]);
    type_text(&mut app, "x");
    steady(&mut app);
    insta::assert_snapshot!("tiny_condition_error_100x30", render(&app, 100, 30));
}

// ---------------------------------------------------------------------------
// Without a terminal
// ---------------------------------------------------------------------------

#[test]
fn review_without_a_terminal_says_what_to_run_instead() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_leadlab"))
        .args([
            "review",
            "rulesets/cybersecurity.toml",
            "samples/cybersecurity-leads.csv",
        ])
        .current_dir(root)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no screen output into a pipe");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(
        err.contains("leadlab report rulesets/cybersecurity.toml samples/cybersecurity-leads.csv"),
        "{err}"
    );
}

/// Prints README material: the workbench on the bundled example at 100×30
/// and the key table as markdown, both generated from the code. Run it on
/// purpose: `cargo test --test tui readme_material -- --ignored --nocapture`.
#[test]
#[ignore]
fn readme_material() {
    let mut app = App::new(Session::example(None).unwrap(), None);
    steady(&mut app);
    println!("```text\n{}```\n", render(&app, 100, 30));
    println!("{}", keys::markdown());
}

#[test]
fn a_rescore_that_panics_is_reported_not_waited_for_forever() {
    let broken: ComputeFn = Box::new(|_job: Job| panic!("engine bug (expected by this test)"));
    let mut app = App::with_compute(session(), None, broken);
    act(&mut app, &[Action::Nudge(1.0)]);
    assert!(!app.wait_idle(WAIT));
    assert!(app.poll_worker().is_err());
    // The edit itself is kept; only the figures are stale.
    assert_eq!(app.ruleset.rules[0].points, 21.0);
}

#[test]
fn a_long_mixed_session_always_shows_what_a_fresh_scoring_gives() {
    let mut app = app();
    let fresh_review = |app: &App| {
        let c = engine::compile(&app.ruleset, &app.table, app.compiled.as_of).unwrap();
        let s = engine::score(&c, &app.ruleset);
        leadlab::metrics::review(&c, &app.ruleset, &app.table, &s, 50)
    };
    let steps: Vec<Vec<KeyEvent>> = vec![
        vec![key(KeyCode::Char(']'))],
        vec![key(KeyCode::Char('j')), key(KeyCode::Char(' '))],
        vec![key(KeyCode::Char('a'))],
        "demo and employees >= 150\r"
            .chars()
            .map(|c| key(KeyCode::Char(c)))
            .collect(),
        vec![key(KeyCode::Char('e')), ctrl('u')],
        "webinar\r".chars().map(|c| key(KeyCode::Char(c))).collect(),
        vec![key(KeyCode::Char('u'))],
        vec![key(KeyCode::Char('u'))],
        vec![ctrl('r')],
        vec![key(KeyCode::Char('['))],
        vec![key(KeyCode::Char('D')), key(KeyCode::Char('x'))],
        vec![key(KeyCode::Char('g')), ctrl('u')],
        "fit\r".chars().map(|c| key(KeyCode::Char(c))).collect(),
        vec![
            key(KeyCode::Tab),
            key(KeyCode::Char('+')),
            key(KeyCode::Char('j')),
        ],
        vec![key(KeyCode::Char('[')), key(KeyCode::BackTab)],
        vec![
            key(KeyCode::Char('u')),
            key(KeyCode::Char('u')),
            key(KeyCode::Char('u')),
        ],
        vec![key(KeyCode::Char('a'))],
        "title contains \"manager\"\r"
            .chars()
            .map(|c| key(KeyCode::Char(c)))
            .collect(),
        vec![key(KeyCode::Char('R'))],
        vec![key(KeyCode::Char('u')), key(KeyCode::Char('x'))],
    ];
    for (i, keys_) in steps.iter().enumerate() {
        press(&mut app, keys_);
        idle(&mut app);
        assert_consistent(&app);
        let want = fresh_review(&app);
        let got = &app.figures.review;
        assert_eq!(got.auc, want.auc, "step {i}");
        assert_eq!(got.qualified.leads, want.qualified.leads, "step {i}");
        assert_eq!(got.false_positives, want.false_positives, "step {i}");
        assert_eq!(got.false_negatives, want.false_negatives, "step {i}");
        for (a, b) in got.bands.iter().zip(&want.bands) {
            assert_eq!(a.stats, b.stats, "step {i}");
        }
        let fresh_ev = leadlab::metrics::rule_evidence(
            &engine::compile(&app.ruleset, &app.table, app.compiled.as_of).unwrap(),
            &app.ruleset,
            &app.table,
        );
        for (a, b) in app.figures.evidence.iter().zip(&fresh_ev) {
            assert_eq!(
                (&a.id, a.fires, a.converted),
                (&b.id, b.fires, b.converted),
                "step {i}"
            );
        }
    }
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

// ---------------------------------------------------------------------------
// Read-only files, leftovers, and the draft of unsaved edits
// ---------------------------------------------------------------------------

/// The workbench on the files of `app_on_disk` again, as a second run would.
fn reopen(dir: &Path) -> App {
    let s = Session::open(&dir.join("tiny.toml"), &dir.join("tiny.csv"), None, false)
        .unwrap_or_else(|e| panic!("{e:#}"));
    let mut a = App::new(s, Some(dir.join("tiny.toml")));
    a.today = date("2026-11-02");
    a
}

fn draft_of(dir: &Path) -> PathBuf {
    dir.join(".tiny.toml.draft")
}

/// Figures a user compares: everything on screen but the rules pane's order.
fn shown_figures(app: &App) -> String {
    let r = &app.figures.review;
    format!(
        "{:?} {:?} {:?} {:?} {:?} {:?}",
        r.auc, r.qualified, r.bands, r.tiers, r.false_positives, r.false_negatives
    )
}

#[cfg(unix)]
#[test]
fn save_refuses_a_read_only_file_and_offers_save_as() {
    use std::os::unix::fs::PermissionsExt;
    let (dir, path, mut app) = app_on_disk();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    act(&mut app, &[Action::Nudge(1.0), Action::Save]);
    type_text(&mut app, "mine");
    press(&mut app, &[key(KeyCode::Enter)]);
    let Overlay::Prompt(p) = &app.overlay else {
        panic!("expected save-as, got {:?}", app.status)
    };
    assert!(matches!(&p.kind, PromptKind::SavePath { note } if note == "mine"));
    assert_eq!(
        p.error.as_deref(),
        Some(format!("{} is read-only: not overwritten. Save as:", path.display()).as_str())
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), RULESET);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o444, "the file is as the user left it");
    press(&mut app, &[key(KeyCode::Enter)]);
    assert!(matches!(app.overlay, Overlay::None), "{:?}", app.status);
    let saved = std::fs::read_to_string(dir.path().join("tiny-v4.toml")).unwrap();
    assert!(saved.contains("points = 21"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), RULESET);
}

#[test]
fn opening_removes_leftovers_of_an_interrupted_save_and_says_so() {
    let (dir, _path, app) = app_on_disk();
    drop(app);
    // A save killed mid-write (pid 4294967 cannot run), and a stranger's file.
    let leftover = dir.path().join(".tiny.toml.4294967.0.leadlab-tmp");
    let other = dir.path().join(".other.toml.4294967.0.leadlab-tmp");
    std::fs::write(&leftover, &RULESET[..100]).unwrap();
    std::fs::write(&other, "x").unwrap();
    let app = reopen(dir.path());
    assert!(!leftover.exists());
    assert!(other.exists());
    let (msg, kind) = app.status.clone().unwrap();
    assert_eq!(kind, StatusKind::Info);
    assert!(
        msg.starts_with("removed 1 temporary file left by an interrupted save of tiny.toml"),
        "{msg}"
    );
    let screen = render(&app, 100, 30);
    assert!(screen.contains("removed 1 temporary file"), "{screen}");
}

#[test]
fn an_edit_writes_a_draft_beside_the_file_and_undo_to_the_file_removes_it() {
    let (dir, path, mut app) = app_on_disk();
    let draft = draft_of(dir.path());
    assert_eq!(app.draft_path(), Some(draft.as_path()));
    assert!(!draft.exists(), "no edits, no draft");
    select_rule(&mut app, "demo");
    press(&mut app, &[key(KeyCode::Char(']'))]);
    idle(&mut app);
    let text = std::fs::read_to_string(&draft).expect("the edit left no draft");
    assert!(
        text.starts_with("# leadlab draft of unsaved edits"),
        "{text}"
    );
    // The draft is the edited model, readable as a ruleset; the file is untouched.
    let rs = leadlab::ruleset::Ruleset::parse("draft", text.clone()).unwrap();
    assert_eq!(
        rs.rules.iter().find(|r| r.id == "demo").unwrap().points,
        35.0
    );
    assert_eq!(rs.model.version, 3);
    assert!(!text.contains("[[changelog]]"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), RULESET);
    press(&mut app, &[key(KeyCode::Char('u'))]);
    idle(&mut app);
    assert!(!draft.exists(), "nothing unsaved, no draft");
}

#[test]
fn reopening_offers_the_draft_and_restoring_gives_the_same_figures() {
    let (dir, path, mut app) = app_on_disk();
    // Weights, a toggle, a threshold, a deleted rule, a new rule with a condition.
    select_rule(&mut app, "demo");
    press(&mut app, &[key(KeyCode::Char(']'))]);
    select_rule(&mut app, "webinar");
    press(&mut app, &[key(KeyCode::Char(' '))]);
    select_rule(&mut app, "big");
    press(&mut app, &[key(KeyCode::Char('e')), ctrl('u')]);
    type_text(&mut app, "employees >= 40");
    press(&mut app, &[key(KeyCode::Enter)]);
    select_rule(&mut app, "student");
    press(&mut app, &[key(KeyCode::Char('a'))]);
    type_text(&mut app, "title contains \"manager\"");
    press(&mut app, &[key(KeyCode::Enter)]);
    select_rule(&mut app, "student");
    press(&mut app, &[key(KeyCode::Char('x'))]);
    app.pane = Pane::Tiers;
    press(&mut app, &[key(KeyCode::Char('-'))]);
    idle(&mut app);
    let changes = app.changes.clone();
    assert_eq!(changes.len(), 6, "{changes:?}");
    let figures = shown_figures(&app);
    assert_ne!(figures, shown_figures_of_baseline(&app));
    // The workbench goes away without saving (as when its terminal closes).
    drop(app);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), RULESET);

    let mut app = reopen(dir.path());
    let Overlay::Draft(offer) = &app.overlay else {
        panic!("no draft offered: {:?}", app.status)
    };
    assert_eq!(offer.changes, changes);
    assert!(!offer.changed_on_disk);
    assert!(
        offer.changes.contains(&"demo: 30 -> 35".to_string()),
        "{:?}",
        offer.changes
    );
    let screen = render(&app, 100, 30);
    assert!(screen.contains("Unsaved edits found"), "{screen}");
    assert!(
        screen.contains("tiny.toml has 6 unsaved changes"),
        "{screen}"
    );
    assert!(screen.contains("demo: 30 -> 35"), "{screen}");
    assert!(screen.contains("(y) restore them"), "{screen}");
    assert!(!screen.contains("changed on disk"), "{screen}");
    // Keys other than the answers do nothing meanwhile.
    press(
        &mut app,
        &[key(KeyCode::Char(']')), key(KeyCode::Char('s'))],
    );
    assert!(matches!(app.overlay, Overlay::Draft(_)));
    assert!(!app.dirty());

    press(&mut app, &[key(KeyCode::Char('y'))]);
    idle(&mut app);
    assert!(matches!(app.overlay, Overlay::None));
    assert!(app.dirty(), "restored edits are unsaved against the file");
    assert_eq!(app.changes, changes);
    assert_eq!(shown_figures(&app), figures);
    assert_consistent(&app);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), RULESET);
    assert!(
        draft_of(dir.path()).exists(),
        "still unsaved: the draft stays"
    );
    // One undo takes the restore back.
    press(&mut app, &[key(KeyCode::Char('u'))]);
    idle(&mut app);
    assert!(!app.dirty());
    assert!(!draft_of(dir.path()).exists());
}

fn shown_figures_of_baseline(app: &App) -> String {
    let r = &app.baseline_figures.review;
    format!(
        "{:?} {:?} {:?} {:?} {:?} {:?}",
        r.auc, r.qualified, r.bands, r.tiers, r.false_positives, r.false_negatives
    )
}

#[test]
fn the_offer_says_when_the_file_changed_on_disk_since_the_draft() {
    let (dir, path, mut app) = app_on_disk();
    select_rule(&mut app, "demo");
    act(&mut app, &[Action::Nudge(5.0)]);
    idle(&mut app);
    drop(app);
    let theirs = RULESET.replace("points = 10\n", "points = 12\n");
    assert_ne!(theirs, RULESET);
    std::fs::write(&path, &theirs).unwrap();
    let mut app = reopen(dir.path());
    let Overlay::Draft(offer) = &app.overlay else {
        panic!("no draft offered")
    };
    assert!(offer.changed_on_disk);
    // Against the file as it is now: their webinar change would be undone too.
    assert_eq!(offer.changes, ["demo: 30 -> 35", "webinar: 12 -> 10"]);
    let screen = render(&app, 100, 30);
    assert!(
        screen.contains("tiny.toml has changed on disk since"),
        "{screen}"
    );
    press(&mut app, &[key(KeyCode::Char('y'))]);
    idle(&mut app);
    assert_eq!(app.changes, ["demo: 30 -> 35", "webinar: 12 -> 10"]);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);
}

#[test]
fn discarding_the_offered_draft_deletes_it() {
    let (dir, path, mut app) = app_on_disk();
    act(&mut app, &[Action::Nudge(1.0)]);
    idle(&mut app);
    drop(app);
    let mut app = reopen(dir.path());
    assert!(matches!(app.overlay, Overlay::Draft(_)));
    press(&mut app, &[key(KeyCode::Char('n'))]);
    assert!(matches!(app.overlay, Overlay::None));
    assert!(!draft_of(dir.path()).exists());
    assert!(!app.dirty());
    assert!(app.status.clone().unwrap().0.starts_with("draft discarded"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), RULESET);
    // Nothing offered the next time.
    let app = reopen(dir.path());
    assert!(matches!(app.overlay, Overlay::None));
}

#[test]
fn quitting_from_the_offer_keeps_the_draft_for_next_time() {
    let (dir, _path, mut app) = app_on_disk();
    act(&mut app, &[Action::Nudge(1.0)]);
    idle(&mut app);
    drop(app);
    let mut app = reopen(dir.path());
    press(&mut app, &[key(KeyCode::Char('q'))]);
    assert!(app.quit);
    drop(app);
    assert!(matches!(reopen(dir.path()).overlay, Overlay::Draft(_)));
}

#[test]
fn saving_deletes_the_draft_and_so_does_discarding_on_quit() {
    let (dir, path, mut app) = app_on_disk();
    act(&mut app, &[Action::Nudge(1.0)]);
    idle(&mut app);
    assert!(draft_of(dir.path()).exists());
    press(&mut app, &[key(KeyCode::Char('s'))]);
    type_text(&mut app, "kept");
    press(&mut app, &[key(KeyCode::Enter)]);
    assert!(!app.dirty(), "{:?}", app.status);
    assert!(app.flush_draft());
    assert!(!draft_of(dir.path()).exists(), "saved: no draft");
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("points = 21")
    );

    act(&mut app, &[Action::Nudge(1.0)]);
    idle(&mut app);
    assert!(draft_of(dir.path()).exists());
    press(
        &mut app,
        &[key(KeyCode::Char('q')), key(KeyCode::Char('d'))],
    );
    assert!(app.quit);
    assert!(!draft_of(dir.path()).exists(), "discarded: no draft");
    drop(app);
    assert!(matches!(reopen(dir.path()).overlay, Overlay::None));
}

#[test]
fn save_as_moves_the_draft_beside_the_new_file() {
    let (dir, path, mut app) = app_on_disk();
    act(&mut app, &[Action::Nudge(1.0)]);
    std::fs::write(&path, format!("{RULESET}\n# theirs\n")).unwrap();
    press(&mut app, &[key(KeyCode::Char('s'))]);
    type_text(&mut app, "mine");
    press(&mut app, &[key(KeyCode::Enter), key(KeyCode::Enter)]);
    assert!(matches!(app.overlay, Overlay::None), "{:?}", app.status);
    assert!(!draft_of(dir.path()).exists());
    act(&mut app, &[Action::Nudge(1.0)]);
    idle(&mut app);
    assert!(dir.path().join(".tiny-v4.toml.draft").exists());
    assert!(!draft_of(dir.path()).exists());
}

#[test]
fn the_bundled_example_keeps_its_draft_where_it_is_told() {
    let dir = tempfile::tempdir().unwrap();
    let at = dir.path().join("state").join("bundled-example.toml.draft");
    let mut app = App::new(Session::example(None).unwrap(), None);
    assert_eq!(
        app.draft_path(),
        None,
        "tests and libraries write nothing unasked"
    );
    app.keep_drafts(at.clone());
    act(&mut app, &[Action::Nudge(5.0)]);
    idle(&mut app);
    assert!(at.exists(), "the state directory is made when needed");
    let changes = app.changes.clone();
    drop(app);
    let mut app = App::new(Session::example(None).unwrap(), None);
    app.keep_drafts(at.clone());
    let Overlay::Draft(offer) = &app.overlay else {
        panic!("no draft offered")
    };
    assert_eq!(offer.changes, changes);
    press(&mut app, &[key(KeyCode::Char('y'))]);
    idle(&mut app);
    assert_eq!(app.changes, changes);
}

#[test]
fn a_draft_that_is_not_a_ruleset_is_set_aside_never_overwritten() {
    let (dir, _path, app) = app_on_disk();
    drop(app);
    std::fs::write(draft_of(dir.path()), "not [ toml").unwrap();
    let mut app = reopen(dir.path());
    assert!(matches!(app.overlay, Overlay::None));
    let (msg, kind) = app.status.clone().unwrap();
    assert_eq!(kind, StatusKind::Error);
    assert!(
        msg.starts_with("a draft of unsaved edits could not be restored"),
        "{msg}"
    );
    let aside = dir.path().join(".tiny.toml.draft.1");
    assert!(
        msg.ends_with(&format!("it is kept as {}", aside.display())),
        "{msg}"
    );
    assert_eq!(std::fs::read_to_string(&aside).unwrap(), "not [ toml");
    act(&mut app, &[Action::Nudge(1.0)]);
    idle(&mut app);
    assert_eq!(std::fs::read_to_string(&aside).unwrap(), "not [ toml");
}
