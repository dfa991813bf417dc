//! `spot import discord PATH...` (with `--dry-run`), `spot import people` and `spot import claim PERSON USER`.
//!
//! The import writes straight into the database in batches, one transaction each, so it is safe while the
//! server runs (SQLite serialises the writers, and the server keeps answering between batches); people
//! connected at that moment see the new channels after they reload. On a terminal it draws a progress bar per
//! file and overall (messages per second, time left); otherwise it prints a line per file.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Subcommand;

use crate::import::{Importer, Options, Progress};

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Bring a Discord server's history in from DiscordChatExporter JSON exports (files, folders or a .zip).
    Discord {
        /// Export files, folders of them, or .zip archives.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Read and check everything; write nothing; report what would be created.
        #[arg(long)]
        dry_run: bool,
    },
    /// List the imported people (and whose account their history moved to).
    People,
    /// Move an imported person's history to an account: PERSON is their Discord name (name#1234), display name
    /// or Discord id.
    Claim {
        /// The imported person.
        person: String,
        /// The spot account that takes their history.
        username: String,
    },
}

/// Runs `spot import …`.
pub async fn run(config_path: &Path, command: ImportCommand) -> anyhow::Result<()> {
    let config = super::load_config(config_path)?;
    let store = super::open_store(&config).await?;
    let result = match command {
        ImportCommand::Discord { paths, dry_run } => discord(&config, &store, paths, dry_run).await,
        ImportCommand::People => people(&store).await,
        ImportCommand::Claim { person, username } => claim(&store, &person, &username).await,
    };
    super::close_store(store).await;
    result
}

async fn discord(
    config: &crate::config::Config,
    store: &crate::store::Store,
    paths: Vec<PathBuf>,
    dry_run: bool,
) -> anyhow::Result<()> {
    let importer = Importer {
        store: store.clone(),
        data_dir: config.server.data_dir.clone(),
        runtime: tokio::runtime::Handle::current(),
    };
    let options = Options { dry_run };
    let report = tokio::task::spawn_blocking(move || {
        let mut progress = Bars::new(std::io::stderr().is_terminal());
        let report = importer.run(&paths, &options, &mut progress);
        progress.finish();
        report
    })
    .await?
    .map_err(|e| anyhow::anyhow!(e))?;
    println!("{}", report.summary(dry_run));
    if !dry_run {
        let detail = format!(
            "{} messages, {} channels",
            report.messages_imported, report.channels_created
        );
        super::audit(store, "import.discord", "Discord export", &detail).await;
    }
    if !report.failures.is_empty() {
        bail!(
            "{} of {} files could not be read to the end (what came before is imported; fix the file and run the import again)",
            report.failures.len(),
            report.files + report.failures.len()
        );
    }
    Ok(())
}

async fn people(store: &crate::store::Store) -> anyhow::Result<()> {
    let people = store.imported_people().await?;
    if people.is_empty() {
        println!("no imported people");
    }
    for p in people {
        let claimed = match p.claimed_by {
            Some(id) => match store.user_by_id(id).await? {
                Some(user) => format!(" → {}", user.username),
                None => String::new(),
            },
            None => String::new(),
        };
        let bot = if p.is_bot { " (bot)" } else { "" };
        println!(
            "{}  {} ({}){bot}: {} messages{claimed}",
            p.source_id, p.tag, p.display_name, p.messages
        );
    }
    Ok(())
}

async fn claim(store: &crate::store::Store, person: &str, username: &str) -> anyhow::Result<()> {
    let people = store.imported_people().await?;
    let found: Vec<_> = people
        .iter()
        .filter(|p| p.tag == person || p.display_name == person || p.source_id.to_string() == person)
        .collect();
    let target = match found.as_slice() {
        [one] => *one,
        [] => bail!("no imported person is called {person}: `spot import people` lists them"),
        _ => bail!("{person} names more than one imported person: use their Discord id (`spot import people`)"),
    };
    let account = store
        .user_by_name(username)
        .await?
        .with_context(|| format!("no account is called {username}"))?
        .user;
    if account.imported || account.is_bot {
        bail!("{username} is not a person's account");
    }
    let moved = store.import_claim(target.user_id, account.id).await?;
    super::audit(
        store,
        "import.claim",
        &target.tag,
        &format!("→ {username} ({moved} messages)"),
    )
    .await;
    println!("{moved} messages of {} are now {username}'s", target.tag);
    Ok(())
}

/// Progress bars on a terminal (redrawn at most ten times a second), plain lines elsewhere.
struct Bars {
    terminal: bool,
    started: Instant,
    file_started: Instant,
    drawn: Instant,
    index: usize,
    of: usize,
    name: String,
    bytes: u64,
    messages_before: u64,
    messages: u64,
}

impl Bars {
    fn new(terminal: bool) -> Self {
        let now = Instant::now();
        Self {
            terminal,
            started: now,
            file_started: now,
            drawn: now,
            index: 0,
            of: 0,
            name: String::new(),
            bytes: 0,
            messages_before: 0,
            messages: 0,
        }
    }

    fn bar(fraction: f64) -> String {
        let filled = (fraction.clamp(0.0, 1.0) * 20.0).round() as usize;
        format!("[{}{}]", "#".repeat(filled), ".".repeat(20 - filled))
    }

    fn draw(&mut self, read: u64) {
        let file = if self.bytes > 0 {
            read as f64 / self.bytes as f64
        } else {
            1.0
        };
        let overall = (self.index as f64 + file) / self.of.max(1) as f64;
        let elapsed = self.started.elapsed().as_secs_f64().max(0.001);
        let total = self.messages_before + self.messages;
        let rate = total as f64 / elapsed;
        let left = if overall > 0.0 {
            elapsed / overall - elapsed
        } else {
            0.0
        };
        let mut err = std::io::stderr();
        let _ = write!(
            err,
            "\r\x1b[2K#{} {} {} msgs | all {} {:.0} msg/s, ~{:.0}s left",
            self.name,
            Self::bar(file),
            self.messages,
            Self::bar(overall),
            rate,
            left.max(0.0)
        );
        let _ = err.flush();
    }

    fn finish(&mut self) {
        if self.terminal {
            eprintln!();
        }
        let elapsed = self.started.elapsed().as_secs_f64();
        eprintln!(
            "{} messages read in {elapsed:.1} s",
            self.messages_before + self.messages
        );
    }
}

impl Progress for Bars {
    fn file(&mut self, index: usize, of: usize, name: &str, channel: &str, bytes: u64) {
        self.messages_before += self.messages;
        self.messages = 0;
        self.index = index;
        self.of = of;
        self.bytes = bytes;
        self.name = channel.to_owned();
        self.file_started = Instant::now();
        if !self.terminal {
            eprintln!("[{}/{of}] #{channel} ({name})", index + 1);
        }
    }

    fn advance(&mut self, bytes: u64, messages: u64) {
        self.messages = messages;
        if self.terminal && self.drawn.elapsed().as_millis() >= 100 {
            self.drawn = Instant::now();
            self.draw(bytes);
        }
    }

    fn done(&mut self) {
        if self.terminal {
            self.draw(self.bytes);
        } else {
            let seconds = self.file_started.elapsed().as_secs_f64();
            eprintln!("  {} messages in {seconds:.1} s", self.messages);
        }
    }
}
