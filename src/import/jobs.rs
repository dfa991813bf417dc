//! The admin panel's import: one at a time, in the background, its progress kept where the page can read it,
//! and its report kept after it ends. The uploaded export is deleted when the import is done.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use super::{Importer, Options, Progress, Report};

/// The current or last import.
#[derive(Clone, Default)]
pub struct Jobs(Arc<Mutex<Option<Job>>>);

/// One import, as the page shows it.
#[derive(Debug, Clone)]
pub struct Job {
    /// The uploaded file's name.
    pub name: String,
    /// When it started.
    pub started: Instant,
    /// The channel being read now.
    pub channel: String,
    /// Files done and in all.
    pub files: (usize, usize),
    /// Bytes of the current file read, and its size.
    pub bytes: (u64, u64),
    /// Messages read so far (all files).
    pub messages: u64,
    /// The outcome, once it ended.
    pub outcome: Option<Result<Report, String>>,
}

impl Job {
    /// Messages per second so far.
    pub fn rate(&self) -> f64 {
        self.messages as f64 / self.started.elapsed().as_secs_f64().max(0.001)
    }

    /// How far, 0–100, by files and the current file's bytes.
    pub fn percent(&self) -> u32 {
        let file = if self.bytes.1 > 0 {
            self.bytes.0 as f64 / self.bytes.1 as f64
        } else {
            0.0
        };
        let done = (self.files.0 as f64 + file) / self.files.1.max(1) as f64;
        (done * 100.0).clamp(0.0, 100.0) as u32
    }
}

struct Tracker {
    jobs: Jobs,
    before: u64,
    current: u64,
}

impl Tracker {
    fn update(&self, change: impl FnOnce(&mut Job)) {
        if let Some(job) = self.jobs.0.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
            change(job);
        }
    }
}

impl Progress for Tracker {
    fn file(&mut self, index: usize, of: usize, _: &str, channel: &str, bytes: u64) {
        self.before += self.current;
        self.current = 0;
        self.update(|job| {
            job.files = (index, of);
            job.channel = channel.to_owned();
            job.bytes = (0, bytes);
        });
    }

    fn advance(&mut self, bytes: u64, messages: u64) {
        self.current = messages;
        let total = self.before + messages;
        self.update(|job| {
            job.bytes.0 = bytes;
            job.messages = total;
        });
    }

    fn done(&mut self) {
        self.update(|job| job.files.0 += 1);
    }
}

impl Jobs {
    /// The current or last import.
    pub fn snapshot(&self) -> Option<Job> {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Whether an import is running.
    pub fn running(&self) -> bool {
        self.snapshot().is_some_and(|job| job.outcome.is_none())
    }

    /// Starts importing `file` (removed afterwards); `false` if one is running already.
    pub fn start(&self, importer: Importer, file: PathBuf, name: String) -> bool {
        {
            let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
            if slot.as_ref().is_some_and(|job| job.outcome.is_none()) {
                return false;
            }
            *slot = Some(Job {
                name,
                started: Instant::now(),
                channel: String::new(),
                files: (0, 0),
                bytes: (0, 0),
                messages: 0,
                outcome: None,
            });
        }
        let jobs = self.clone();
        std::thread::Builder::new()
            .name("spot-import".into())
            .spawn(move || {
                let mut tracker = Tracker {
                    jobs: jobs.clone(),
                    before: 0,
                    current: 0,
                };
                let outcome = importer.run(std::slice::from_ref(&file), &Options::default(), &mut tracker);
                let _ = std::fs::remove_file(&file);
                if let Some(job) = jobs.0.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
                    job.outcome = Some(outcome);
                }
            })
            .is_ok()
    }
}
