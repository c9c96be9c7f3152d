//! Leads and their ledger.

use super::common::*;
use crossterm::event::KeyCode;
use leadlab::engine;
use leadlab::tui::{Action, Overlay, Pane};

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
