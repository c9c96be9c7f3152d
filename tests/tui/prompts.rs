//! Prompts that open on a value (issue 17): typing replaces the value shown
//! (select-all on open), arrows keep it for editing; Esc on a rule just
//! added takes it away; undo and redo say the state they reach.

use super::common::*;
use crossterm::event::KeyCode;
use leadlab::tui::Overlay;
use leadlab::tui::app::PromptKind;

fn prompt_text(app: &Workbench) -> String {
    match &app.overlay {
        Overlay::Prompt(p) => p.text_box.text().to_string(),
        _ => panic!("no prompt open"),
    }
}

#[test]
fn typing_into_a_value_replaces_it() {
    let mut app = app();
    select_rule(&mut app, "webinar");
    press(&mut app, &[key(KeyCode::Enter)]);
    type_text(&mut app, "0");
    assert_eq!(prompt_text(&app), "0");
    press(&mut app, &[key(KeyCode::Enter)]);
    assert_eq!(rule(&app, "webinar").points, 0.0);
    assert_eq!(app.changes, vec!["webinar: 10 -> 0".to_string()]);

    // A tier's minimum too.
    press(&mut app, &[key(KeyCode::Tab), key(KeyCode::Char('j'))]);
    press(&mut app, &[key(KeyCode::Enter)]);
    type_text(&mut app, "25");
    press(&mut app, &[key(KeyCode::Enter)]);
    assert_eq!(app.ruleset.tiers[1].min, Some(25.0));
}

#[test]
fn arrows_home_end_and_backspace_keep_the_value_for_editing() {
    let mut app = app();
    select_rule(&mut app, "webinar");
    press(&mut app, &[key(KeyCode::Enter), key(KeyCode::End)]);
    type_text(&mut app, "5");
    assert_eq!(prompt_text(&app), "105");
    press(&mut app, &[key(KeyCode::Esc), key(KeyCode::Enter)]);
    press(&mut app, &[key(KeyCode::Home)]);
    type_text(&mut app, "-");
    assert_eq!(prompt_text(&app), "-10");
    press(&mut app, &[key(KeyCode::Esc), key(KeyCode::Enter)]);
    press(&mut app, &[key(KeyCode::Left)]);
    type_text(&mut app, "2");
    assert_eq!(prompt_text(&app), "120");
    press(&mut app, &[key(KeyCode::Esc), key(KeyCode::Enter)]);
    press(&mut app, &[key(KeyCode::Backspace)]);
    assert_eq!(prompt_text(&app), "1");
    press(&mut app, &[key(KeyCode::Esc), key(KeyCode::Enter)]);
    press(&mut app, &[key(KeyCode::Right)]);
    type_text(&mut app, "0");
    assert_eq!(prompt_text(&app), "100");
}

#[test]
fn condition_group_and_reason_editors_replace_on_typing_too() {
    let mut app = app();
    select_rule(&mut app, "big");
    press(&mut app, &[key(KeyCode::Char('e'))]);
    type_text(&mut app, "employees >= 500");
    assert_eq!(prompt_text(&app), "employees >= 500");
    press(&mut app, &[key(KeyCode::Esc), key(KeyCode::Char('e'))]);
    press(&mut app, &[key(KeyCode::End)]);
    type_text(&mut app, " and demo");
    assert_eq!(prompt_text(&app), "employees >= 100 and demo");
    press(&mut app, &[key(KeyCode::Esc), key(KeyCode::Char('g'))]);
    type_text(&mut app, "size");
    assert_eq!(prompt_text(&app), "size");
    press(&mut app, &[key(KeyCode::Esc), key(KeyCode::Char('r'))]);
    type_text(&mut app, "Large");
    assert_eq!(prompt_text(&app), "Large");
}

#[test]
fn the_prefilled_value_is_shown_selected() {
    let mut app = app();
    select_rule(&mut app, "webinar");
    press(&mut app, &[key(KeyCode::Enter)]);
    let Overlay::Prompt(p) = &app.overlay else {
        panic!()
    };
    assert!(p.text_box.all_selected());
    press(&mut app, &[key(KeyCode::End)]);
    let Overlay::Prompt(p) = &app.overlay else {
        panic!()
    };
    assert!(!p.text_box.all_selected());
}

#[test]
fn esc_on_a_rule_just_added_takes_it_away() {
    let mut app = app();
    select_rule(&mut app, "demo");
    press(&mut app, &[key(KeyCode::Char('a'))]);
    assert_eq!(app.ruleset.rules.len(), 5);
    press(&mut app, &[key(KeyCode::Esc)]);
    assert_eq!(app.ruleset.rules.len(), 4);
    assert!(app.ruleset.rules.iter().all(|r| r.id != "new-rule"));
    assert!(!app.dirty(), "{:?}", app.changes);
    assert!(app.changes.is_empty());
    // Nothing left to undo, and the cursor is back on the rule it was on.
    assert_eq!(
        app.ruleset.rules[app.selected(leadlab::tui::Pane::Rules)].id,
        "demo"
    );
    press(&mut app, &[key(KeyCode::Char('u'))]);
    assert_eq!(app.status.as_ref().unwrap().0, "nothing to undo");
    idle(&mut app);
    assert_consistent(&app);
}

#[test]
fn esc_on_a_rule_added_earlier_keeps_it() {
    let mut app = app();
    select_rule(&mut app, "demo");
    press(&mut app, &[key(KeyCode::Char('a'))]);
    type_text(&mut app, "employees >= 1000");
    press(&mut app, &[key(KeyCode::Enter)]);
    press(&mut app, &[key(KeyCode::Char('e')), key(KeyCode::Esc)]);
    assert_eq!(app.ruleset.rules.len(), 5);
    assert_eq!(rule(&app, "new-rule").when.text, "employees >= 1000");
}

#[test]
fn a_new_rule_goes_into_the_group_under_the_cursor_and_says_so() {
    let mut app = app();
    // `big` ends group fit; `demo` below it starts intent.
    select_rule(&mut app, "big");
    press(&mut app, &[key(KeyCode::Char('a'))]);
    assert_eq!(rule(&app, "new-rule").group, "fit");
    assert!(matches!(&app.overlay, Overlay::Prompt(p) if p.kind == PromptKind::Condition(1)));
    let screen = render(&app, 100, 30);
    assert!(
        screen.contains("New rule in group fit: condition"),
        "{screen}"
    );
}

#[test]
fn undo_and_redo_say_the_state_they_reach() {
    let mut app = app();
    select_rule(&mut app, "webinar");
    press(&mut app, &[key(KeyCode::Char('x'))]);
    assert_eq!(
        app.status.as_ref().unwrap().0,
        "deleted rule webinar (u undoes)"
    );
    press(&mut app, &[key(KeyCode::Char('u'))]);
    assert_eq!(app.status.as_ref().unwrap().0, "restored rule webinar");
    press(&mut app, &[ctrl('r')]);
    assert_eq!(app.status.as_ref().unwrap().0, "deleted rule webinar again");

    select_rule(&mut app, "demo");
    press(&mut app, &[key(KeyCode::Char('+'))]);
    press(&mut app, &[key(KeyCode::Char('u'))]);
    assert_eq!(app.status.as_ref().unwrap().0, "demo: back to 30 points");
    press(&mut app, &[ctrl('r')]);
    assert_eq!(app.status.as_ref().unwrap().0, "demo: 30 → 31 points again");

    press(
        &mut app,
        &[key(KeyCode::Char(' ')), key(KeyCode::Char('u'))],
    );
    assert_eq!(app.status.as_ref().unwrap().0, "demo: back on");
    select_rule(&mut app, "big");
    press(
        &mut app,
        &[key(KeyCode::Char('D')), key(KeyCode::Char('u'))],
    );
    assert_eq!(app.status.as_ref().unwrap().0, "removed the copy big-copy");
}
