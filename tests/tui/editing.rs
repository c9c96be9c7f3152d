//! Editing weights and thresholds: points, thresholds, toggles, undo and redo, resets.

use super::common::*;
use crossterm::event::KeyCode;
use leadlab::tui::{Action, Overlay, Pane};

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
