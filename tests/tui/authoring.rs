//! Authoring rules: add, duplicate, delete, conditions checked as typed, groups, reasons, ids.

use super::common::*;
use crossterm::event::KeyCode;
use leadlab::tui::app::{CondCheck, PromptKind, StatusKind};
use leadlab::tui::{Overlay, Pane};

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
