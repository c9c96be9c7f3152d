//! Temporary files beside the ruleset: where a save writes before it
//! renames, how they are named, and how the ones a killed save left behind
//! are found and removed.

use std::path::{Path, PathBuf};

/// The directory a file is in (`.` for a bare name) and its name.
pub(super) fn dir_and_name(target: &Path) -> (PathBuf, String) {
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "ruleset".to_string());
    (dir, name)
}

/// The suffix of every temporary file a save writes (see [`create_temp`]).
const TEMP_SUFFIX: &str = ".leadlab-tmp";

/// How old a temporary file must be before it counts as left over even
/// when the process in its name is still running (process ids are reused;
/// a save takes well under a second).
pub const LEFTOVER_AGE: std::time::Duration = std::time::Duration::from_secs(60);

/// Remove the temporary files that saves of `path` left behind when they
/// were killed mid-write (`.NAME.PID.N.leadlab-tmp` beside the file, up to
/// the ruleset's size each), and return their paths.
///
/// Only files of exactly that pattern for this file's name are touched, and
/// only when no save can still be writing them: the process whose id is in
/// the name is gone (where that can be told, on Linux), or the file is
/// older than [`LEFTOVER_AGE`]. A file that cannot be removed is skipped.
pub fn remove_leftovers(path: &Path) -> Vec<PathBuf> {
    let target = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let (dir, name) = dir_and_name(&target);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return vec![];
    };
    let prefix = format!(".{name}.");
    let mut removed = vec![];
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(file_name) = file_name.to_str() else {
            continue;
        };
        let Some(pid) = temp_pid(file_name, &prefix) else {
            continue;
        };
        let Ok(meta) = e.path().symlink_metadata() else {
            continue;
        };
        if !meta.is_file() {
            continue;
        }
        let old = meta
            .modified()
            .ok()
            .and_then(|m| m.elapsed().ok())
            .is_some_and(|age| age > LEFTOVER_AGE);
        if (old || process_gone(pid)) && std::fs::remove_file(e.path()).is_ok() {
            removed.push(e.path());
        }
    }
    removed.sort();
    removed
}

/// The process id in `PREFIX.PID.N.leadlab-tmp`, when `file_name` is one.
fn temp_pid(file_name: &str, prefix: &str) -> Option<u32> {
    let rest = file_name.strip_prefix(prefix)?.strip_suffix(TEMP_SUFFIX)?;
    let (pid, n) = rest.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(pid) || !digits(n) {
        return None;
    }
    pid.parse().ok()
}

/// Whether process `pid` is known not to run (Linux: no `/proc/PID`).
/// Elsewhere it cannot be told without more machinery: only age counts.
fn process_gone(pid: u32) -> bool {
    let proc = Path::new("/proc");
    proc.join("self").exists() && !proc.join(pid.to_string()).exists()
}

/// A new, empty temporary file next to `name` in `dir`.
pub(super) fn create_temp(dir: &Path, name: &str) -> std::io::Result<(PathBuf, std::fs::File)> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let pid = std::process::id();
    let mut last_err = None;
    for _ in 0..100 {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{pid}.{n}{TEMP_SUFFIX}"));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last_err = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_err.unwrap_or_else(|| std::io::Error::other("no free temporary file name")))
}

/// Removes the temporary file on every way out of [`write_atomic`](super::write_atomic).
pub(super) struct RemoveOnDrop(pub(super) Option<PathBuf>);

impl Drop for RemoveOnDrop {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            let _ = std::fs::remove_file(p);
        }
    }
}
