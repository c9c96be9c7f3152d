//! What every workbench test shares: the small model and its leads, the
//! workbench as the event loop runs it ([`Workbench`]: the model and the
//! runtime performing its effects), keys, and the screen as text.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use leadlab::engine;
use leadlab::session::Session;
use leadlab::tui::compute::{self, ComputeFn};
use leadlab::tui::{Action, App, Pane, Runtime, keys, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

pub const WAIT: Duration = Duration::from_secs(20);

pub const RULESET: &str = r#"# A small model for the workbench tests.
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
pub fn leads_csv() -> String {
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

pub fn session() -> Session {
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

pub fn app() -> Workbench {
    let mut a = App::new(session(), None);
    a.today = date("2026-11-02");
    Workbench::new(a)
}

/// The workbench on a copy of the model in a temporary directory.
pub fn app_on_disk() -> (tempfile::TempDir, PathBuf, Workbench) {
    let dir = tempfile::tempdir().unwrap();
    let rs = dir.path().join("tiny.toml");
    let data = dir.path().join("tiny.csv");
    std::fs::write(&rs, RULESET).unwrap();
    std::fs::write(&data, leads_csv()).unwrap();
    let s = Session::open(&rs, &data, None, false).unwrap_or_else(|e| panic!("{e:#}"));
    let mut a = App::new(s, Some(rs.clone()));
    a.today = date("2026-11-02");
    (dir, rs, Workbench::new(a))
}

pub fn date(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Apply actions as the event loop does: each one's effects performed.
pub fn act(app: &mut Workbench, actions: &[Action]) {
    for a in actions {
        app.handle(a.clone());
    }
}

pub fn key(c: KeyCode) -> KeyEvent {
    KeyEvent {
        code: c,
        modifiers: KeyModifiers::NONE,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    }
}

pub fn ctrl(c: char) -> KeyEvent {
    KeyEvent {
        modifiers: KeyModifiers::CONTROL,
        ..key(KeyCode::Char(c))
    }
}

/// Press keys through the key table, as the event loop does.
pub fn press(app: &mut Workbench, keys_: &[KeyEvent]) {
    for k in keys_ {
        if let Some(a) = keys::dispatch(app, k) {
            app.handle(a);
        }
    }
}

pub fn type_text(app: &mut Workbench, s: &str) {
    for c in s.chars() {
        press(app, &[key(KeyCode::Char(c))]);
    }
}

pub fn idle(app: &mut Workbench) {
    assert!(app.wait_idle(WAIT), "the rescore did not finish");
}

pub fn rule<'a>(app: &'a App, id: &str) -> &'a leadlab::ruleset::Rule {
    app.ruleset.rules.iter().find(|r| r.id == id).unwrap()
}

pub fn select_rule(app: &mut Workbench, id: &str) {
    app.pane = Pane::Rules;
    let k = app.ruleset.rules.iter().position(|r| r.id == id).unwrap();
    act(app, &[Action::First]);
    for _ in 0..k {
        act(app, &[Action::Down]);
    }
}

/// What a full compile and score of the working ruleset gives: the figures
/// on screen must always equal it once the rescore is done.
pub fn assert_consistent(app: &App) {
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
pub fn render(app: &App, w: u16, h: u16) -> String {
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
pub fn steady(app: &mut App) {
    app.figures.elapsed = Duration::from_millis(7);
    app.baseline_figures.elapsed = Duration::from_millis(7);
    app.status = None;
}

/// The workbench on the files of `app_on_disk` again, as a second run would.
pub fn reopen(dir: &Path) -> Workbench {
    let s = Session::open(&dir.join("tiny.toml"), &dir.join("tiny.csv"), None, false)
        .unwrap_or_else(|e| panic!("{e:#}"));
    let mut a = App::new(s, Some(dir.join("tiny.toml")));
    a.today = date("2026-11-02");
    Workbench::new(a)
}

pub fn draft_of(dir: &Path) -> PathBuf {
    dir.join(".tiny.toml.draft")
}

/// Figures a user compares: everything on screen but the rules pane's order.
pub fn shown_figures(app: &App) -> String {
    let r = &app.figures.review;
    format!(
        "{:?} {:?} {:?} {:?} {:?} {:?}",
        r.auc, r.qualified, r.bands, r.tiers, r.false_positives, r.false_negatives
    )
}

/// The workbench as the event loop runs it, without a terminal: the model,
/// and the runtime that performs the effects `update` returns. It derefs to
/// the model, so tests read and set the model's fields directly.
pub struct Workbench {
    pub app: App,
    pub runtime: Runtime,
    /// An effect asked the workbench to quit.
    pub quit: bool,
}

impl Workbench {
    /// The workbench with the real, incremental rescoring.
    pub fn new(app: App) -> Workbench {
        Workbench::with_compute(app, compute::incremental())
    }

    /// The same, with the rescoring replaced (a slow or failing stand-in).
    pub fn with_compute(app: App, f: ComputeFn) -> Workbench {
        Workbench {
            app,
            runtime: Runtime::new(f),
            quit: false,
        }
    }

    /// Apply one action and perform its effects, as the event loop does.
    pub fn handle(&mut self, action: Action) {
        self.quit |= self.runtime.handle(&mut self.app, action);
    }

    /// Wait for the worker to deliver the figures of the newest edit and
    /// apply them, then for the draft to be written. False on timeout or
    /// when the worker stopped.
    pub fn wait_idle(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while self.app.busy() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            match self.runtime.wait_worker(left) {
                Ok(Some(f)) => self.handle(Action::Computed(Box::new(f))),
                Ok(None) => {}
                Err(_) => return false,
            }
        }
        self.flush_draft()
    }

    /// Wait until the draft of the newest edit is written. False on timeout.
    pub fn flush_draft(&self) -> bool {
        self.runtime.flush_drafts(Duration::from_secs(5))
    }
}

impl Deref for Workbench {
    type Target = App;
    fn deref(&self) -> &App {
        &self.app
    }
}

impl DerefMut for Workbench {
    fn deref_mut(&mut self) -> &mut App {
        &mut self.app
    }
}
