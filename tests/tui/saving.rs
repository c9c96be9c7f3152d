//! Saving and quitting: the note, the changelog, changed-on-disk and read-only files, save-as, leftovers of an interrupted save.

use super::common::*;
use crossterm::event::KeyCode;
use leadlab::session::Session;
use leadlab::tui::app::{PromptKind, StatusKind};
use leadlab::tui::{Action, App, Overlay};

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
    let mut app = Workbench::new(App::new(Session::example(None).unwrap(), None));
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
