//! Without a terminal: the binary says what to run instead.

use std::path::Path;

#[test]
fn review_without_a_terminal_says_what_to_run_instead() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_leadlab"))
        .args([
            "review",
            "rulesets/cybersecurity.toml",
            "samples/cybersecurity-leads.csv",
        ])
        .current_dir(root)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty(), "no screen output into a pipe");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(
        err.contains("leadlab report rulesets/cybersecurity.toml samples/cybersecurity-leads.csv"),
        "{err}"
    );
}
