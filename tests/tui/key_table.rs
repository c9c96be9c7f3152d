//! Keys and help: one key table for the dispatcher, the help screen and the README.

use super::common::*;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind};
use leadlab::tui::{Action, App, Overlay, Pane, keys};

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
