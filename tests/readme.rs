//! The README's examples are claims: every ```console block is run here
//! exactly as worded and must print exactly what the README shows.
//!
//! A block is a list of `$ COMMAND` lines, each followed by the output it
//! prints (stdout and stderr together, as a terminal shows them).
//! `$ cat FILE` followed by text defines FILE for the commands after it;
//! `$ echo $?` prints the exit code of the command before it. Commands run
//! through `sh` in a scratch directory where `rulesets/` and `samples/` are
//! the repository's, with the built `leadlab` first on PATH.

use std::path::{Path, PathBuf};
use std::process::Command;

/// One `$ ...` line and the output the README shows for it.
struct Step {
    line: usize,
    command: String,
    expected: String,
}

fn console_blocks(readme: &str) -> Vec<Vec<Step>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<Step>> = None;
    for (i, text) in readme.lines().enumerate() {
        match &mut current {
            None => {
                if text.trim_end() == "```console" {
                    current = Some(Vec::new());
                }
            }
            Some(steps) => {
                if text.trim_end() == "```" {
                    blocks.push(current.take().unwrap());
                } else if let Some(cmd) = text.strip_prefix("$ ") {
                    steps.push(Step {
                        line: i + 1,
                        command: cmd.to_string(),
                        expected: String::new(),
                    });
                } else if let Some(step) = steps.last_mut() {
                    step.expected.push_str(text);
                    step.expected.push('\n');
                }
            }
        }
    }
    blocks
}

fn scratch_dir(repo: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["rulesets", "samples"] {
        std::os::unix::fs::symlink(repo.join(sub), dir.path().join(sub)).unwrap();
    }
    dir
}

#[test]
fn every_console_example_in_the_readme_prints_what_it_shows() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_leadlab")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let blocks = console_blocks(&readme);
    assert!(
        blocks.len() >= 3,
        "expected the README's console examples, found {}",
        blocks.len()
    );
    let mut failures = Vec::new();
    for steps in &blocks {
        let dir = scratch_dir(&repo);
        let mut last_code = 0;
        for step in steps {
            if let Some(file) = step.command.strip_prefix("cat ") {
                std::fs::write(dir.path().join(file.trim()), &step.expected).unwrap();
                continue;
            }
            let actual = if step.command.trim() == "echo $?" {
                format!("{last_code}\n")
            } else {
                let out = Command::new("sh")
                    .arg("-c")
                    .arg(format!("( {} ) 2>&1", step.command))
                    .current_dir(dir.path())
                    .env("PATH", &path)
                    .env("NO_COLOR", "1")
                    .output()
                    .unwrap();
                last_code = out.status.code().unwrap_or(-1);
                String::from_utf8_lossy(&out.stdout).into_owned()
            };
            if actual != step.expected {
                failures.push(format!(
                    "README.md:{}: `{}` printed\n{actual}\nbut the README shows\n{}",
                    step.line, step.command, step.expected
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_readme_key_table_is_the_one_the_workbench_dispatches_from() {
    let repo = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(repo.join("README.md")).unwrap();
    let table = leadlab::tui::keys::markdown();
    assert!(
        readme.contains(table.trim_end()),
        "README.md's key table differs from the key table of the code; paste this in:\n{table}"
    );
}
