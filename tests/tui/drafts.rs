//! The draft of unsaved edits: written beside the file, offered on reopening, removed when nothing is unsaved.

use super::common::*;
use crossterm::event::KeyCode;
use leadlab::session::Session;
use leadlab::tui::app::StatusKind;
use leadlab::tui::{Action, App, Overlay, Pane};

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
    let Overlay::DraftOffer(offer) = &app.overlay else {
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
    assert!(matches!(app.overlay, Overlay::DraftOffer(_)));
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
    let Overlay::DraftOffer(offer) = &app.overlay else {
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
    assert!(matches!(app.overlay, Overlay::DraftOffer(_)));
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
    assert!(matches!(reopen(dir.path()).overlay, Overlay::DraftOffer(_)));
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
    let mut app = Workbench::new(App::new(Session::example(None).unwrap(), None));
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
    let mut app = Workbench::new(App::new(Session::example(None).unwrap(), None));
    app.keep_drafts(at.clone());
    let Overlay::DraftOffer(offer) = &app.overlay else {
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
