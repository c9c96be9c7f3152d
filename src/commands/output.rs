//! Where a command's data goes: stdout, or the file named by `-o`. A file is
//! written to a temporary name beside it and renamed over it at the end, so
//! a failure leaves the old file whole and no temporary behind; and it is
//! never one of the command's own inputs.

use anyhow::{Context, bail};
use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Data output. Write errors say where the output was going (`cannot write
/// to standard output: ...`) and keep their kind, so a closed pipe is still
/// recognised as one.
pub struct Output {
    sink: Sink,
    /// `standard output` or the path as the user gave it.
    name: String,
}

enum Sink {
    Stdout(BufWriter<io::StdoutLock<'static>>),
    /// A regular file, written under a temporary name.
    Replace(Replacement),
    /// A device or pipe given as `-o` (`/dev/null`, a FIFO): written in place.
    InPlace(BufWriter<File>),
}

/// A temporary file that becomes `target` on [`Output::finish`] and is
/// removed on every other way out.
struct Replacement {
    file: BufWriter<File>,
    temp: PathBuf,
    target: PathBuf,
    done: bool,
}

impl Drop for Replacement {
    fn drop(&mut self) {
        if !self.done {
            let _ = fs::remove_file(&self.temp);
        }
    }
}

pub fn stdout() -> Output {
    Output {
        sink: Sink::Stdout(BufWriter::new(io::stdout().lock())),
        name: "standard output".into(),
    }
}

/// Refuses an output path that is one of the inputs: the same file by its
/// canonical path, or by device and inode (a hard link). `inputs` pairs
/// each input with what it is to the user ("the lead data").
pub fn refuse_inputs(out: &Path, inputs: &[(&Path, &str)]) -> anyhow::Result<()> {
    for (input, what) in inputs {
        if same_file(out, input) {
            let same = if out == *input {
                String::new()
            } else {
                format!(" (the same file as {})", input.display())
            };
            bail!(
                "refusing to write to {}{same}: it is {what} this command reads, and writing would replace it; name another output file",
                out.display()
            );
        }
    }
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(ma), Ok(mb)) = (fs::metadata(a), fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if (ma.dev(), ma.ino()) == (mb.dev(), mb.ino()) {
            return true;
        }
    }
    #[cfg(not(unix))]
    let _ = (ma, mb);
    matches!((fs::canonicalize(a), fs::canonicalize(b)), (Ok(x), Ok(y)) if x == y)
}

/// Opens `path` for writing: through a symlink to the file it names, which
/// is replaced whole on [`Output::finish`] and keeps its permissions.
pub fn file(path: &Path) -> anyhow::Result<Output> {
    let name = path.display().to_string();
    let cannot = || format!("cannot write {name}");
    let sink = match fs::metadata(path) {
        Ok(m) if m.is_dir() => bail!("cannot write {name}: it is a directory"),
        Ok(m) if !m.is_file() => Sink::InPlace(BufWriter::new(
            fs::OpenOptions::new()
                .write(true)
                .open(path)
                .with_context(cannot)?,
        )),
        Ok(m) => {
            let target = fs::canonicalize(path).with_context(cannot)?;
            let r = replacement(target).with_context(cannot)?;
            // The new file takes the old one's permissions; not worth failing over.
            let _ = r.file.get_ref().set_permissions(m.permissions());
            Sink::Replace(r)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            Sink::Replace(replacement(path.to_path_buf()).with_context(cannot)?)
        }
        Err(e) => return Err(e).with_context(cannot),
    };
    Ok(Output { sink, name })
}

fn replacement(target: PathBuf) -> io::Result<Replacement> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let base = target
        .file_name()
        .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".{base}.{}.{n}.leadlab-tmp", std::process::id()));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(f) => {
                return Ok(Replacement {
                    file: BufWriter::with_capacity(1 << 16, f),
                    temp,
                    target,
                    done: false,
                });
            }
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && n < 1000 => continue,
            Err(e) => {
                return Err(io::Error::new(
                    e.kind(),
                    format!("cannot create a file in {}: {e}", dir.display()),
                ));
            }
        }
    }
}

impl Output {
    fn described(&self, e: io::Error) -> io::Error {
        io::Error::new(e.kind(), format!("cannot write to {}: {e}", self.name))
    }

    /// Flushes everything; for a file, makes it durable and puts it in place
    /// of the old one.
    pub fn finish(mut self) -> io::Result<()> {
        self.flush()?;
        if let Sink::Replace(r) = &mut self.sink {
            r.file.get_ref().sync_all().map_err(|e| {
                io::Error::new(e.kind(), format!("cannot write to {}: {e}", self.name))
            })?;
            fs::rename(&r.temp, &r.target).map_err(|e| {
                io::Error::new(e.kind(), format!("cannot replace {}: {e}", self.name))
            })?;
            r.done = true;
            // Make the rename itself durable where directories can be synced.
            #[cfg(unix)]
            if let Some(dir) = r.target.parent()
                && let Ok(d) = File::open(if dir.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    dir
                })
            {
                let _ = d.sync_all();
            }
        }
        Ok(())
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = match &mut self.sink {
            Sink::Stdout(w) => w.write(buf),
            Sink::Replace(r) => r.file.write(buf),
            Sink::InPlace(w) => w.write(buf),
        };
        r.map_err(|e| self.described(e))
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        let r = match &mut self.sink {
            Sink::Stdout(w) => w.write_all(buf),
            Sink::Replace(r) => r.file.write_all(buf),
            Sink::InPlace(w) => w.write_all(buf),
        };
        r.map_err(|e| self.described(e))
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = match &mut self.sink {
            Sink::Stdout(w) => w.flush(),
            Sink::Replace(r) => r.file.flush(),
            Sink::InPlace(w) => w.flush(),
        };
        r.map_err(|e| self.described(e))
    }
}
