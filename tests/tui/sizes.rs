//! The workbench at the sizes people use (80×24 to 220×60) on a model with
//! long names: UUID lead ids, long rule ids, groups, reasons and tier
//! actions, and counts in the thousands. Nothing may be cut without an
//! ellipsis, no title may run into its border, wide windows show ids and
//! actions in full, and every count reads with thousands separators.

use super::common::*;
use crossterm::event::KeyCode;
use leadlab::session::Session;
use leadlab::tui::{Action, App, Overlay, Pane};

macro_rules! assert_screen {
    ($name:expr, $screen:expr) => {
        insta::with_settings!({ prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("tui__{}", $name), $screen)
        })
    };
}

const LONG_RULESET: &str = r#"[model]
name = "Enterprise inbound, EMEA and North America, every product line"
version = 7
as_of = "2026-10-31"

[data]
id = "id"
outcome = "won"
created = "created"

[groups]
firmographics = { cap = 40 }
engagement-intent = { cap = 60 }

[[rules]]
id = "company-size-enterprise-over-5000-employees"
group = "firmographics"
when = "employees >= 5000"
points = 20
reason = "Company has more than 5,000 employees according to the enrichment provider"

[[rules]]
id = "requested-a-product-demo-through-the-website"
group = "engagement-intent"
when = "demo"
points = 35
reason = "Requested a product demo through the website form in the last 30 days"

[[rules]]
id = "attended-two-or-more-webinars-in-ninety-days"
group = "engagement-intent"
when = "webinars >= 2"
points = 10
reason = "Attended two or more product webinars within ninety days of signing up"

[[rules]]
id = "student-or-personal-email-address"
group = "negative-signals"
when = 'email contains "student"'
points = -25
reason = "Student or personal e-mail address: not a buyer for an enterprise licence"

[[tiers]]
name = "Sales-qualified"
min = 50
action = "Route to the named account executive; book a discovery call within a day"
sla_hours = 4

[[tiers]]
name = "Marketing-qualified"
min = 30
action = "SDR outreach with the product-line sequence, then scored again after 14 days"
sla_hours = 24

[[tiers]]
name = "Nurture"
min = 0
action = "Quarterly newsletter and marketing nurture by product line"

[review]
bands = [0, 20, 40, 60, 80, 100]
qualified = "Marketing-qualified"
capacity_per_week = 50
"#;

const ROWS: u64 = 6000;

/// `1,234`, written here so that the test does not trust the code it checks.
fn sep(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Deterministic pseudo-random numbers (no dependency, same on every run).
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn uuid(i: u64) -> String {
    let (a, b) = (mix(i), mix(i + 1_000_003));
    format!(
        "{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        b >> 52,
        b & 0xffff_ffff_ffff
    )
}

fn long_csv() -> String {
    let mut s = String::from("id,created,employees,demo,webinars,email,won\n");
    for i in 0..ROWS {
        let r = mix(i * 7 + 3);
        let employees = [12, 300, 2500, 8000, 40000][(r % 5) as usize];
        let demo = (r >> 8).is_multiple_of(4);
        let webinars = (r >> 12) % 4;
        let student = (r >> 16).is_multiple_of(10);
        let won = (demo && employees >= 5000)
            || (r >> 20).is_multiple_of(9)
            || (webinars >= 2 && (r >> 24).is_multiple_of(3));
        let won = won && !(student && (r >> 28).is_multiple_of(2));
        s.push_str(&format!(
            "{},2026-{:02}-{:02},{employees},{},{webinars},{},{}\n",
            uuid(i),
            4 + (r >> 32) % 6,
            1 + (r >> 40) % 28,
            if demo { "yes" } else { "no" },
            if student {
                "jo@student.example.edu"
            } else {
                "it@corp.example.com"
            },
            if won { 1 } else { 0 }
        ));
    }
    s
}

fn long_app() -> Workbench {
    let s = Session::from_text(
        "enterprise-inbound.toml",
        LONG_RULESET,
        "crm-export.csv",
        long_csv().as_bytes(),
        None,
        false,
    )
    .unwrap_or_else(|e| panic!("{e:#}"));
    let mut a = App::new(s, None);
    a.today = date("2026-11-02");
    steady(&mut a);
    Workbench::new(a)
}

/// Every text from the model and the data that the screen may show.
fn known_texts(app: &App) -> Vec<String> {
    let mut out = vec![app.ruleset.model.name.clone().unwrap_or_default()];
    for r in &app.ruleset.rules {
        out.push(r.id.clone());
        out.push(r.group.clone());
        out.push(r.label().to_string());
    }
    for t in &app.ruleset.tiers {
        out.extend(t.action.clone());
        out.push(t.name.clone());
    }
    for p in [Pane::FalsePositives, Pane::FalseNegatives] {
        out.extend(app.leads(p).iter().map(|&l| app.table.lead_id(l)));
    }
    out.retain(|t| t.chars().count() >= 6);
    out
}

const BORDERS: &str = "│┃║┌┐└┘┏┓┗┛╔╗╚╝─━═";
const HEADER_WORDS: [&str; 13] = [
    "lift", "Δconv", "Δleads", "conv", "score", "leads", "SLA", "reasons", "tier", "was", "fires",
    "pts", "min",
];

/// What runs into a border or is cut without `…`; empty when nothing.
fn cut_text(screen: &str, known: &[String]) -> Vec<String> {
    let mut problems = vec![];
    for (y, line) in screen.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        // A title that reaches the corner ran into the border.
        for (x, &c) in chars.iter().enumerate() {
            if matches!(c, '┐' | '┓' | '┘' | '┛') && x > 0 && !"─━═".contains(chars[x - 1])
            {
                problems.push(format!("line {y}: title runs into the corner: {line}"));
            }
        }
        // Text touching a right border must be whole or end in `…`.
        for (x, &c) in chars.iter().enumerate() {
            let right_border = matches!(c, '│' | '┃')
                && x > 0
                && chars.get(x + 1).is_none_or(|n| BORDERS.contains(*n));
            if !right_border {
                continue;
            }
            let start = chars[..x]
                .iter()
                .rposition(|c| *c == ' ' || BORDERS.contains(*c))
                .map_or(0, |p| p + 1);
            let token: String = chars[start..x].iter().collect();
            let ok = token.is_empty()
                || token.ends_with('…')
                || token.chars().all(|c| "0123456789,.%▲▼+-–!".contains(c))
                || HEADER_WORDS.contains(&token.as_str())
                || known.iter().any(|t| t.ends_with(&token));
            if !ok {
                problems.push(format!("line {y}: {token:?} runs into the border: {line}"));
            }
        }
        // A known text shown in part ends in `…`.
        for t in known {
            let t: Vec<char> = t.chars().collect();
            let probe = t.len().min(10);
            for x in 0..chars.len() {
                if chars[x..].len() < probe || chars[x..x + probe] != t[..probe] {
                    continue;
                }
                let same = chars[x..]
                    .iter()
                    .zip(&t)
                    .take_while(|(a, b)| a == b)
                    .count();
                if same < t.len() && chars.get(x + same) != Some(&'…') {
                    let shown: String = chars[x..x + same].iter().collect();
                    problems.push(format!("line {y}: {shown:?} cut without `…`: {line}"));
                }
            }
        }
    }
    problems
}

fn assert_nothing_cut(app: &App, w: u16, h: u16) -> String {
    let screen = render(app, w, h);
    let problems = cut_text(&screen, &known_texts(app));
    assert!(
        problems.is_empty(),
        "{w}×{h}:\n{}\n{screen}",
        problems.join("\n")
    );
    screen
}

#[test]
fn the_checker_finds_text_cut_without_an_ellipsis_and_titles_in_the_corner() {
    let known = vec!["requested-a-product-demo".to_string()];
    assert!(cut_text("│requested-a-product-demo│\n", &known).is_empty());
    assert!(cut_text("│requested-a-prod…│\n", &known).is_empty());
    assert_eq!(cut_text("│requested-a-produ│\n", &known).len(), 2);
    assert_eq!(cut_text("┌ False pos. 1,058,000┐\n", &known).len(), 1);
    assert!(cut_text("┌ False pos. 1,058 ─┐\n", &known).is_empty());
}

#[test]
fn every_size_shows_long_names_whole_or_with_an_ellipsis() {
    let mut app = long_app();
    for (w, h) in [(80, 24), (100, 30), (160, 45), (220, 60)] {
        let screen = assert_nothing_cut(&app, w, h);
        assert_screen!(format!("sizes_{w}x{h}"), screen);
    }
    // The reasons instead of the ids, and the lead lists focused.
    act(&mut app, &[Action::ToggleLabels]);
    app.pane = Pane::FalseNegatives;
    for (w, h) in [
        (60, 16),
        (80, 24),
        (100, 30),
        (130, 40),
        (160, 45),
        (220, 60),
    ] {
        assert_nothing_cut(&app, w, h);
    }
}

#[test]
fn wide_windows_show_ids_actions_and_reasons_in_full() {
    let app = long_app();
    let screen = render(&app, 220, 60);
    for t in &app.ruleset.tiers {
        assert!(screen.contains(t.action.as_deref().unwrap()), "{screen}");
    }
    for r in &app.ruleset.rules {
        assert!(screen.contains(&r.id), "{}: {screen}", r.id);
        assert!(screen.contains(&r.group), "{}: {screen}", r.group);
    }
    let first = app.leads(Pane::FalsePositives)[0];
    let id = app.table.lead_id(first);
    assert_eq!(id.len(), 36);
    assert!(screen.contains(&id), "{id}: {screen}");
    assert!(screen.contains("reasons"), "{screen}");
    // The lead's reasons beside it.
    let line = screen.lines().find(|l| l.contains(&id)).unwrap();
    assert!(
        line.contains("Requested a product demo") || line.contains("Company has"),
        "{line}"
    );
    // Narrow, the same id is cut with an ellipsis, never to a bare prefix.
    let screen = render(&app, 100, 30);
    assert!(
        screen.contains(&format!("{}…", &id[..10])) || screen.contains(&id[..4]),
        "{screen}"
    );
}

#[test]
fn counts_and_changes_have_thousands_separators() {
    let mut app = long_app();
    let screen = render(&app, 160, 45);
    let q = app.figures.review.qualified.leads;
    assert!(q >= 1000, "{q}");
    assert!(screen.contains(&sep(q)), "{screen}");
    // A change of over a thousand leads reads `▼1,234`.
    app.pane = Pane::Tiers;
    act(&mut app, &[Action::Down]);
    act(&mut app, &[Action::Nudge(40.0)]);
    idle(&mut app);
    steady(&mut app);
    let now = app.figures.review.qualified.leads;
    assert!(q - now >= 1000, "{q} → {now}");
    let screen = render(&app, 160, 45);
    let d = format!("▼{}", sep(q - now));
    assert!(d.contains(','));
    assert!(screen.contains(&d), "{d}: {screen}");
    assert_nothing_cut(&app, 160, 45);
}

#[test]
fn the_bundled_example_formats_every_count_alike_and_keeps_the_capacity() {
    let mut app = Workbench::new(App::new(Session::example(None).unwrap(), None));
    steady(&mut app);
    let screen = render(&app, 100, 30);
    // Fires with separators, as every other count.
    assert!(screen.contains("1,576"), "{screen}");
    // The capacity whole, and groups whole at 100 columns.
    assert!(screen.contains("OVER cap 50"), "{screen}");
    assert!(screen.contains(" intent "), "{screen}");
    // No interval collapses to one figure (`5–5%`).
    for w in screen.split_whitespace() {
        if let Some((lo, hi)) = w.trim_end_matches('%').split_once('–') {
            assert_ne!(lo, hi, "{w}: {screen}");
        }
    }
    // At 80×24 the headline keeps the volume per week and the capacity.
    let screen = render(&app, 80, 24);
    assert!(screen.contains("Per week"), "{screen}");
    assert!(screen.contains("cap 50"), "{screen}");
    // Small, the bands stay and say which are shown.
    let screen = render(&app, 60, 16);
    assert!(screen.contains("Conversion by score band"), "{screen}");
    assert!(screen.contains("more ↓"), "{screen}");
}

#[test]
fn the_opening_status_shows_the_key_hints_and_the_time_once() {
    let app = Workbench::new(App::new(Session::example(None).unwrap(), None));
    let screen = render(&app, 100, 30);
    let status = screen.lines().last().unwrap();
    assert!(
        status
            .contains("Tab:pane +-][:change Enter:value Space:on/off u:undo s:save ?:keys q:quit"),
        "{status}"
    );
    assert_eq!(status.matches(" ms").count(), 1, "{status}");
    // At 80 columns every hint still shows.
    let screen = render(&app, 80, 24);
    assert!(
        screen.lines().last().unwrap().contains("q:quit"),
        "{screen}"
    );
}

#[test]
fn a_long_status_message_wraps_instead_of_being_cut() {
    let mut app = app();
    steady(&mut app);
    let msg = "saved /home/someone/a/very/long/directory/name/for/models/enterprise-inbound.toml · version 8 · 3 changes · the end";
    app.info(msg);
    let screen = render(&app, 80, 24);
    let joined: String = screen
        .lines()
        .rev()
        .take(3)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .map(|l| l.split("scored in").next().unwrap().trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(joined.contains(msg), "{joined}\n{screen}");
    assert_eq!(screen.lines().count(), 24);
    for (w, h) in [(60, 16), (61, 17), (100, 30)] {
        render(&app, w, h);
    }
}

#[test]
fn saving_the_bundled_example_says_where_and_how_to_reopen_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = Workbench::new(App::new(Session::example(None).unwrap(), None));
    act(&mut app, &[Action::Nudge(1.0), Action::Save]);
    type_text(&mut app, "first calibration");
    press(&mut app, &[key(KeyCode::Enter)]);
    press(&mut app, &[ctrl('u')]);
    let target = dir.path().join("cyber.toml");
    type_text(&mut app, &target.display().to_string());
    press(&mut app, &[key(KeyCode::Enter)]);
    assert!(matches!(app.overlay, Overlay::None), "{:?}", app.status);
    let (msg, _) = app.status.clone().unwrap();
    let t = target.display().to_string();
    assert!(msg.starts_with(&format!("saved {t} · version 2")), "{msg}");
    assert!(
        msg.contains(&format!("leadlab review {t} cybersecurity-leads.csv")),
        "{msg}"
    );
    assert!(
        msg.contains("leadlab sample --seed 1 -o cybersecurity-leads.csv"),
        "{msg}"
    );
    // All of it on screen, wrapped.
    let screen = render(&app, 100, 30);
    assert!(screen.contains("cybersecurity-leads.csv`)"), "{screen}");
    // A file of its own names only the file.
    let (_dir, path, mut app) = app_on_disk();
    act(&mut app, &[Action::Nudge(1.0), Action::Save]);
    type_text(&mut app, "note");
    press(&mut app, &[key(KeyCode::Enter)]);
    let (msg, _) = app.status.clone().unwrap();
    assert_eq!(
        msg,
        format!("saved {} · version 4 · 1 change", path.display())
    );
}

#[test]
fn no_size_panics_with_long_names() {
    let mut app = long_app();
    app.info("x".repeat(500));
    for w in [0, 1, 2, 10, 40, 59, 60, 61, 79, 80, 95, 96, 97, 120, 250] {
        for h in [0, 1, 2, 5, 15, 16, 17, 20, 24, 31, 70] {
            render(&app, w, h);
        }
    }
}
