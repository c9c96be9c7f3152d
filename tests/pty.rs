//! End to end: the real binary in a real pseudo-terminal (portable-pty),
//! its screen read back with a terminal emulator (vt100). Pure Rust, so
//! `cargo test` needs nothing else installed.
//!
//! Every wait polls the screen with a deadline; nothing sleeps for a fixed time.

use leadlab::fmt::fmt_num;
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const DEADLINE: Duration = Duration::from_secs(60);

/// The workbench running in a pseudo-terminal.
struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    master: Box<dyn MasterPty + Send>,
    child: Box<dyn Child + Send + Sync>,
}

impl Screen {
    fn start(args: &[&str], cwd: &Path, cols: u16, rows: u16) -> Screen {
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("cannot open a pseudo-terminal");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_leadlab"));
        cmd.args(args);
        cmd.cwd(cwd);
        cmd.env("TERM", "xterm-256color");
        let child = pty.slave.spawn_command(cmd).expect("cannot start leadlab");
        drop(pty.slave);
        let nz = |x: u16| std::num::NonZeroU16::new(x).unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(nz(rows), nz(cols), 0)));
        let mut reader = pty.master.try_clone_reader().unwrap();
        let sink = parser.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            // Ends when the child has exited and the terminal is closed.
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().process(&buf[..n]);
            }
        });
        let writer = pty.master.take_writer().unwrap();
        Screen {
            parser,
            writer,
            master: pty.master,
            child,
        }
    }

    fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Wait until the screen shows `what`; panic with the screen if it never does.
    fn wait_for(&mut self, what: &str) -> String {
        self.wait_until(what, |s| s.contains(what))
    }

    fn wait_until(&mut self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + DEADLINE;
        loop {
            let s = self.text();
            if ok(&s) {
                return s;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("leadlab exited ({status:?}) while waiting for {what:?}; screen:\n{s}");
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what:?}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn keys(&mut self, s: &str) {
        self.writer.write_all(s.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    fn resize(&mut self, cols: u16, rows: u16) {
        let nz = |x: u16| std::num::NonZeroU16::new(x).unwrap();
        self.parser
            .lock()
            .unwrap()
            .screen_mut()
            .set_size(nz(rows), nz(cols));
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + DEADLINE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "leadlab did not exit; screen:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        // Only if a failed assertion left it running.
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}

/// The line of the screen that contains `what`.
fn line_with<'a>(screen: &'a str, what: &str) -> &'a str {
    screen.lines().find(|l| l.contains(what)).unwrap_or("")
}

#[test]
fn raise_a_rule_see_the_figures_change_save_with_a_note_and_quit() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(root.join("rulesets/cybersecurity.toml")).unwrap();
    let ruleset = dir.path().join("cybersecurity.toml");
    std::fs::write(&ruleset, &original).unwrap();
    let data = root.join("samples/cybersecurity-leads.csv");

    // What the file says now (read at test time: the example may change).
    let before: toml::Table = toml::from_str(&original).unwrap();
    let version = before["model"]["version"].as_integer().unwrap();
    let first = &before["rules"].as_array().unwrap()[0];
    let first_id = first["id"].as_str().unwrap().to_string();
    let points = first["points"]
        .as_integer()
        .map(|i| i as f64)
        .or_else(|| first["points"].as_float())
        .unwrap();
    let (old, new) = (fmt_num(points), fmt_num(points + 5.0));

    let mut s = Screen::start(
        &["review", "cybersecurity.toml", data.to_str().unwrap()],
        dir.path(),
        100,
        30,
    );
    let start = s.wait_for("scored in");
    assert!(start.contains(&first_id), "{start}");
    assert!(start.contains("AUC"), "{start}");
    assert!(!start.contains("→"), "nothing changed yet:\n{start}");

    // The first rule is selected: +5 points.
    s.keys("]");
    let changed = s.wait_until("the rescore of the edit", |t| {
        t.contains("rescored in") && t.contains("1 unsaved change")
    });
    let row = line_with(&changed, &first_id);
    assert!(row.contains(&format!(" {new} ")), "{row}");
    assert!(
        row.contains(&format!(" {old} ")),
        "the baseline points are shown: {row}"
    );
    // The headline shows figures moving against the baseline.
    assert!(changed.contains("→"), "{changed}");

    // A window too small says so, and the workbench comes back.
    s.resize(40, 10);
    s.wait_for("Make the window larger");
    s.resize(100, 30);
    s.wait_for("Conversion by score band");

    // Save with a note.
    s.keys("s");
    s.wait_for("one-line note");
    s.keys("weight regulated industries up\r");
    s.wait_for(&format!("version {}", version + 1));
    s.keys("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    assert!(
        !s.parser.lock().unwrap().screen().alternate_screen(),
        "the terminal was not restored"
    );

    let saved = std::fs::read_to_string(&ruleset).unwrap();
    let after: toml::Table = toml::from_str(&saved).unwrap();
    assert_eq!(after["model"]["version"].as_integer(), Some(version + 1));
    let rule = after["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"].as_str() == Some(&first_id))
        .unwrap();
    let saved_points = rule["points"]
        .as_integer()
        .map(|i| i as f64)
        .or_else(|| rule["points"].as_float());
    assert_eq!(saved_points, Some(points + 5.0));
    let log = after["changelog"].as_array().unwrap();
    let entry = log.last().unwrap();
    assert_eq!(entry["version"].as_integer(), Some(version + 1));
    assert_eq!(
        entry["note"].as_str(),
        Some("weight regulated industries up")
    );
    assert_eq!(
        entry["changes"].as_array().unwrap()[0].as_str(),
        Some(format!("{first_id}: {old} -> {new}").as_str())
    );
    for key in [
        "auc_before",
        "auc_after",
        "precision_before",
        "precision_after",
    ] {
        assert!(entry.get(key).is_some(), "changelog lacks {key}: {entry:?}");
    }
    for line in original.lines().filter(|l| l.trim_start().starts_with('#')) {
        assert!(saved.contains(line), "lost comment {line:?}");
    }
}

#[test]
fn quitting_with_unsaved_changes_asks_and_discard_leaves_the_file_alone() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(root.join("rulesets/cybersecurity.toml")).unwrap();
    let ruleset = dir.path().join("model.toml");
    std::fs::write(&ruleset, &original).unwrap();
    let data = root.join("samples/cybersecurity-leads.csv");
    let mut s = Screen::start(
        &["review", "model.toml", data.to_str().unwrap()],
        dir.path(),
        100,
        30,
    );
    s.wait_for("scored in");
    s.keys(" ");
    s.wait_for("1 unsaved change");
    s.keys("q");
    s.wait_for("(s)ave   (d)iscard   (c)ancel");
    s.keys("d");
    assert!(s.wait_exit().success());
    assert_eq!(std::fs::read_to_string(&ruleset).unwrap(), original);
}

#[test]
fn bare_leadlab_opens_the_bundled_example_from_any_directory() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = Screen::start(&[], dir.path(), 100, 30);
    let screen = s.wait_for("bundled example");
    assert!(screen.contains("AUC"), "{screen}");
    s.keys("?");
    s.wait_for("Keys");
    s.keys("q");
    s.wait_until("help closed", |t| !t.contains(" Keys "));
    s.keys("q");
    assert!(s.wait_exit().success());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

/// The screen without what differs between two runs showing the same
/// figures: timings and the status line.
fn figures_on(screen: &str) -> Vec<&str> {
    let lines: Vec<&str> = screen.lines().collect();
    let n = lines.len().saturating_sub(1);
    lines[..n]
        .iter()
        .copied()
        .filter(|l| !l.contains(" ms"))
        .collect()
}

#[test]
fn a_hang_up_keeps_the_unsaved_edits_and_the_next_open_restores_them() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(root.join("rulesets/cybersecurity.toml")).unwrap();
    let ruleset = dir.path().join("model.toml");
    std::fs::write(&ruleset, &original).unwrap();
    let data = dir.path().join("leads.csv");
    std::fs::copy(root.join("samples/cybersecurity-leads.csv"), &data).unwrap();
    let before: toml::Table = toml::from_str(&original).unwrap();
    let first = &before["rules"].as_array().unwrap()[0];
    let first_id = first["id"].as_str().unwrap().to_string();
    let points = first["points"]
        .as_integer()
        .map(|i| i as f64)
        .or_else(|| first["points"].as_float())
        .unwrap();
    let change = format!(
        "{first_id}: {} -> {}",
        fmt_num(points),
        fmt_num(points + 5.0)
    );
    let args = ["review", "model.toml", "leads.csv"];

    let mut s = Screen::start(&args, dir.path(), 100, 30);
    s.wait_for("scored in");
    s.keys("]");
    let edited = s.wait_until("the rescore of the edit", |t| {
        t.contains("rescored in") && t.contains("1 unsaved change")
    });
    // The terminal goes away: SIGHUP, as when the window closes or SSH drops.
    let pid = s.child.process_id().unwrap();
    let kill = std::process::Command::new("kill")
        .args(["-HUP", &pid.to_string()])
        .status()
        .unwrap();
    assert!(kill.success());
    let status = s.wait_exit();
    assert!(!status.success(), "{status:?}");
    assert!(
        !s.parser.lock().unwrap().screen().alternate_screen(),
        "the terminal was not restored"
    );
    drop(s);
    assert_eq!(std::fs::read_to_string(&ruleset).unwrap(), original);
    assert!(dir.path().join(".model.toml.draft").exists());

    let mut s = Screen::start(&args, dir.path(), 100, 30);
    let offer = s.wait_for("Unsaved edits found");
    assert!(offer.contains(&change), "{offer}");
    assert!(offer.contains("(y) restore them"), "{offer}");
    s.keys("y");
    let restored = s.wait_until("the restored figures", |t| {
        t.contains("rescored in")
            && t.contains("1 unsaved change")
            && !t.contains("Unsaved edits found")
    });
    assert_eq!(
        figures_on(&restored),
        figures_on(&edited),
        "\n{edited}\n{restored}"
    );
    assert!(
        restored.contains("restored 1 unsaved change from the draft"),
        "{restored}"
    );
    // Still unsaved: quitting asks, and discarding removes the draft.
    s.keys("q");
    s.wait_for("(s)ave   (d)iscard   (c)ancel");
    s.keys("d");
    assert!(s.wait_exit().success());
    assert!(!dir.path().join(".model.toml.draft").exists());
    assert_eq!(std::fs::read_to_string(&ruleset).unwrap(), original);
}

/// The README's calibration story ("A calibration session on the bundled
/// example"), step 2, keys exactly as the README words them: select
/// `webinar-attended`, Enter, type `0`, Enter; then the figures it shows;
/// and steps 3 and 4 after it.
#[test]
fn the_readme_calibration_story_gives_the_readme_figures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read_to_string(root.join("rulesets/cybersecurity.toml")).unwrap();
    std::fs::write(dir.path().join("cybersecurity.toml"), &original).unwrap();
    let data = root.join("samples/cybersecurity-leads.csv");
    let rules: toml::Table = toml::from_str(&original).unwrap();
    let at = rules["rules"]
        .as_array()
        .unwrap()
        .iter()
        .position(|r| r["id"].as_str() == Some("webinar-attended"))
        .unwrap();

    let mut s = Screen::start(
        &["review", "cybersecurity.toml", data.to_str().unwrap()],
        dir.path(),
        100,
        30,
    );
    let start = s.wait_for("scored in");
    for figure in ["0.787", "1,465", "27.8%", "67.2%", "60.5"] {
        assert!(start.contains(figure), "{figure}:\n{start}");
    }
    // Select webinar-attended.
    s.keys(&"j".repeat(at));
    s.wait_until("webinar-attended selected", |t| {
        line_with(t, "webinar-attended").contains("15")
    });
    // Enter, type 0, Enter.
    s.keys("\r");
    s.wait_for("Points for webinar-attended");
    s.keys("0");
    s.keys("\r");
    let after = s.wait_until("the rescore of the edit", |t| {
        t.contains("1 unsaved change") && line_with(t, "AUC").contains("→")
    });
    let row = line_with(&after, "webinar-attended");
    assert!(row.contains(" 0 ") && row.contains(" 15 "), "{row}");
    assert!(
        line_with(&after, "AUC").contains("0.787 → 0.805"),
        "{after}"
    );
    assert!(
        line_with(&after, "Precision").contains("27.8% → 34.5%"),
        "{after}"
    );
    assert!(
        line_with(&after, "Per week").contains("60.5 → 41.8"),
        "{after}"
    );
    assert!(
        line_with(&after, "Recall").contains("67.2% → 58.1%"),
        "{after}"
    );
    assert!(
        line_with(&after, "Per week").contains("cap 50"),
        "under capacity: {after}"
    );

    // Step 3: recent-incident, Enter, `12`, Enter.
    let pos = |id: &str| {
        rules["rules"]
            .as_array()
            .unwrap()
            .iter()
            .position(|r| r["id"].as_str() == Some(id))
            .unwrap()
    };
    let moves = |from: usize, to: usize| {
        if to > from {
            "j".repeat(to - from)
        } else {
            "k".repeat(from - to)
        }
    };
    let incident = pos("recent-incident");
    s.keys(&moves(at, incident));
    s.keys("\r");
    s.wait_for("Points for recent-incident");
    s.keys("12\r");
    let before = line_with(&after, "AUC").to_string();
    let after = s.wait_until("the rescore of step 3", |t| {
        t.contains("2 unsaved changes") && line_with(t, "AUC") != before
    });
    assert!(line_with(&after, "AUC").contains("→ 0.814"), "{after}");
    assert!(line_with(&after, "Recall").contains("→ 62.2%"), "{after}");
    assert!(
        line_with(&after, "Precision").contains("→ 34.1%"),
        "{after}"
    );

    // Step 4: size-smb, `[`.
    s.keys(&moves(incident, pos("size-smb")));
    s.keys("[");
    let before = line_with(&after, "AUC").to_string();
    let after = s.wait_until("the rescore of step 4", |t| {
        t.contains("3 unsaved changes") && line_with(t, "AUC") != before
    });
    assert!(line_with(&after, "AUC").contains("→ 0.817"), "{after}");
    assert!(
        line_with(&after, "Precision").contains("→ 35.2%"),
        "{after}"
    );
    assert!(line_with(&after, "Recall").contains("→ 61.9%"), "{after}");
    assert!(line_with(&after, "Per week").contains("→ 43.6"), "{after}");
    s.keys("q");
    s.wait_for("(s)ave   (d)iscard   (c)ancel");
    s.keys("d");
    assert!(s.wait_exit().success());
}
