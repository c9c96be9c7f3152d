//! The atomic write of a saved ruleset, and every reason it refuses to
//! write ([`SaveError`]): a file changed on disk, a save-as onto an
//! existing file, a read-only file or directory.

use super::temp::{RemoveOnDrop, create_temp, dir_and_name};
use anyhow::anyhow;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a save did not happen.
#[derive(Debug)]
pub enum SaveError {
    /// The file on disk is not what was loaded: someone else changed it.
    ChangedOnDisk { path: PathBuf },
    /// Save-as to a file that already exists.
    Exists { path: PathBuf },
    /// The file, or the directory it is in (`read_only`), may not be
    /// written: see [`write_atomic`] for what counts as read-only.
    ReadOnly { path: PathBuf, read_only: PathBuf },
    /// Reading, writing or renaming failed.
    Io(anyhow::Error),
}

impl fmt::Display for SaveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SaveError::ChangedOnDisk { path } => write!(
                f,
                "{} was changed on disk since it was opened; save under another name (save-as) \
                 or reload it (reloading discards your unsaved edits). Nothing was written.",
                path.display()
            ),
            SaveError::Exists { path } => write!(
                f,
                "{} already exists; save under another name, or open that file to edit it. \
                 Nothing was written.",
                path.display()
            ),
            SaveError::ReadOnly { path, read_only } if read_only == path => write!(
                f,
                "{} is read-only; save under another name (save-as), or make it writable \
                 (chmod u+w) and save again. Nothing was written.",
                path.display()
            ),
            SaveError::ReadOnly { path, read_only } => write!(
                f,
                "{} is in a read-only directory ({}); save under another name elsewhere \
                 (save-as), or make the directory writable (chmod u+w) and save again. \
                 Nothing was written.",
                path.display(),
                read_only.display()
            ),
            SaveError::Io(e) => write!(f, "could not save: {e:#}"),
        }
    }
}

impl std::error::Error for SaveError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SaveError::Io(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}

/// Write `text` to `path` atomically: a temporary file in the same
/// directory, flushed to disk, then renamed over `path`, so that a crash
/// leaves either the old file or the new one, never half of one.
///
/// `expected_on_disk` is the text loaded when the file was opened: when the
/// file now holds anything else (or is gone), nothing is written
/// ([`SaveError::ChangedOnDisk`]). `None` means save-as to a new file, which
/// must not exist yet ([`SaveError::Exists`]).
///
/// A file the user made read-only is never replaced, though the rename
/// could (it needs only the directory): [`SaveError::ReadOnly`], as an
/// editor would refuse it. Read-only means the file's mode has no write
/// bit for its owner, or this process may not open it for writing; the
/// same for the directory the file is in (whose write bit the rename
/// needs). The mode bits count even for root, who could write anyway:
/// whoever removed the write bit meant the file to stay as it is.
pub fn write_atomic(
    path: &Path,
    text: &str,
    expected_on_disk: Option<&str>,
) -> Result<(), SaveError> {
    // Write through a symlink to the file it points at, not over the link.
    let target = match expected_on_disk {
        Some(_) => std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        None => path.to_path_buf(),
    };
    check_on_disk(path, &target, expected_on_disk)?;

    let (dir, name) = dir_and_name(&target);
    check_writable(path, &target, &dir, expected_on_disk.is_some())?;
    let (tmp, mut file) = create_temp(&dir, &name).map_err(|e| {
        if e.kind() == std::io::ErrorKind::PermissionDenied {
            return SaveError::ReadOnly {
                path: path.to_path_buf(),
                read_only: dir.clone(),
            };
        }
        SaveError::Io(anyhow!(e).context(format!(
            "cannot create a temporary file in {} (is the directory writable?)",
            dir.display()
        )))
    })?;
    let mut guard = RemoveOnDrop(Some(tmp.clone()));
    let io = |e: std::io::Error, what: &str| {
        SaveError::Io(anyhow!(e).context(format!("{what} {}", tmp.display())))
    };
    file.write_all(text.as_bytes())
        .map_err(|e| io(e, "cannot write"))?;
    if expected_on_disk.is_some()
        && let Ok(meta) = std::fs::metadata(&target)
    {
        // Keep the file's permissions; failing to is not worth a lost save.
        let _ = file.set_permissions(meta.permissions());
    }
    file.sync_all().map_err(|e| io(e, "cannot flush"))?;
    drop(file);

    // Once more, as late as possible: the user may have been typing the note
    // while another program saved the file.
    check_on_disk(path, &target, expected_on_disk)?;
    match expected_on_disk {
        Some(_) => {
            std::fs::rename(&tmp, &target).map_err(|e| {
                SaveError::Io(anyhow!(e).context(format!("cannot replace {}", path.display())))
            })?;
            guard.0 = None;
        }
        None => {
            // A hard link fails when the name exists: no window in which
            // another file could be overwritten.
            match std::fs::hard_link(&tmp, &target) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    return Err(SaveError::Exists {
                        path: path.to_path_buf(),
                    });
                }
                Err(_) => {
                    // No hard links on this file system: check, then rename.
                    if std::fs::symlink_metadata(&target).is_ok() {
                        return Err(SaveError::Exists {
                            path: path.to_path_buf(),
                        });
                    }
                    std::fs::rename(&tmp, &target).map_err(|e| {
                        SaveError::Io(
                            anyhow!(e).context(format!("cannot create {}", path.display())),
                        )
                    })?;
                    guard.0 = None;
                }
            }
        }
    }
    drop(guard); // removes the temporary name when it is still there
    sync_dir(&dir);
    Ok(())
}

fn check_on_disk(path: &Path, target: &Path, expected: Option<&str>) -> Result<(), SaveError> {
    match expected {
        Some(expected) => match std::fs::read(target) {
            Ok(bytes) if bytes == expected.as_bytes() => Ok(()),
            Ok(_) => Err(SaveError::ChangedOnDisk {
                path: path.to_path_buf(),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(SaveError::ChangedOnDisk {
                path: path.to_path_buf(),
            }),
            Err(e) => Err(SaveError::Io(anyhow!(e).context(format!(
                "cannot read {} to check that nobody else changed it",
                path.display()
            )))),
        },
        None => match std::fs::symlink_metadata(target) {
            Ok(_) => Err(SaveError::Exists {
                path: path.to_path_buf(),
            }),
            Err(_) => Ok(()),
        },
    }
}

/// Refuse a read-only file (`existing`: it is to be replaced) or directory
/// before anything is written (see [`write_atomic`]).
fn check_writable(path: &Path, target: &Path, dir: &Path, existing: bool) -> Result<(), SaveError> {
    let read_only = |p: &Path| SaveError::ReadOnly {
        path: path.to_path_buf(),
        read_only: p.to_path_buf(),
    };
    if existing {
        if let Ok(meta) = std::fs::metadata(target)
            && owner_cannot_write(&meta)
        {
            return Err(read_only(path));
        }
        // Opening for writing (without truncating) changes nothing, and
        // asks the system whether this user may write the file.
        if let Err(e) = std::fs::OpenOptions::new().write(true).open(target)
            && e.kind() == std::io::ErrorKind::PermissionDenied
        {
            return Err(read_only(path));
        }
    }
    if let Ok(meta) = std::fs::metadata(dir)
        && owner_cannot_write(&meta)
    {
        return Err(read_only(dir));
    }
    Ok(())
}

#[cfg(unix)]
fn owner_cannot_write(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::PermissionsExt;
    meta.permissions().mode() & 0o200 == 0
}

#[cfg(not(unix))]
fn owner_cannot_write(meta: &std::fs::Metadata) -> bool {
    meta.permissions().readonly()
}

/// Write `text` to `path` atomically, replacing whatever is there, without
/// the checks of [`write_atomic`] and without waiting for the disk: for the
/// workbench's draft of unsaved edits, written after every edit, which must
/// survive the process being killed (the system's cache does), not a power
/// cut.
pub fn replace_atomic(path: &Path, text: &str) -> std::io::Result<()> {
    let (dir, name) = dir_and_name(path);
    let (tmp, mut file) = create_temp(&dir, &name)?;
    let mut guard = RemoveOnDrop(Some(tmp.clone()));
    file.write_all(text.as_bytes())?;
    drop(file);
    std::fs::rename(&tmp, path)?;
    guard.0 = None;
    Ok(())
}

/// Make the rename itself durable (a no-op where directories cannot be synced).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}
