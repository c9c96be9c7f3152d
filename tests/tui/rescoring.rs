//! Rescoring off the UI thread: the newest edit wins, a broken worker is reported, and the figures on screen always equal a fresh scoring.

use super::common::*;
use crossterm::event::{KeyCode, KeyEvent};
use leadlab::engine;
use leadlab::tui::compute::{self, ComputeFn, Figures, Job};
use leadlab::tui::{Action, App};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

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
    let mut app = Workbench::with_compute(App::new(session(), None), slow);
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
    act(&mut app, &[Action::Computed(Box::new(stale))]);
    assert_eq!(app.figures.generation, current.generation);
    assert_eq!(
        format!("{:?}", app.figures.review),
        format!("{:?}", current.review)
    );
}

#[test]
fn a_rescore_that_panics_is_reported_not_waited_for_forever() {
    let broken: ComputeFn = Box::new(|_job: Job| panic!("engine bug (expected by this test)"));
    let mut app = Workbench::with_compute(App::new(session(), None), broken);
    act(&mut app, &[Action::Nudge(1.0)]);
    assert!(!app.wait_idle(WAIT));
    assert!(app.runtime.poll_worker().is_err());
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
