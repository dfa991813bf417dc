//! `spot music scan` (read the library folders into the store, with a progress bar on a terminal) and
//! `spot music search WORDS` (what `!play WORDS` would find).

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::time::Duration;

use clap::Subcommand;

use crate::music::commands::format_time;
use crate::music::library;

/// `spot music …` subcommands.
#[derive(Debug, Subcommand)]
pub enum MusicCommand {
    /// Read the folders in `music.library` (again): new and changed files are read, removed ones forgotten.
    Scan,
    /// Search the library by title, artist or album.
    Search {
        /// Words to look for.
        words: Vec<String>,
    },
}

/// Runs a `spot music` subcommand.
pub async fn run(config_path: &Path, command: MusicCommand) -> anyhow::Result<()> {
    let config = super::load_config(config_path)?;
    let store = super::open_store(&config).await?;
    let result = async {
        match command {
            MusicCommand::Scan => {
                if config.music.library.is_empty() {
                    anyhow::bail!("no music folders: set music.library in {}", config_path.display());
                }
                let terminal = std::io::stderr().is_terminal();
                let report = library::scan(&store, &config.music.library, |done, total| {
                    progress(terminal, done, total)
                })
                .await?;
                if terminal {
                    eprintln!();
                }
                println!(
                    "{} files: {} added, {} updated, {} removed, {} unreadable; {} tracks in the library",
                    report.seen,
                    report.added,
                    report.updated,
                    report.removed,
                    report.failed.len(),
                    store.music_count().await?
                );
                for (path, why) in &report.failed {
                    println!("  skipped {}: {why}", path.display());
                }
            }
            MusicCommand::Search { words } => {
                for track in store.music_search(words.join(" "), 20).await? {
                    let length = track
                        .duration_ms
                        .map(|ms| format_time(Duration::from_millis(ms.max(0) as u64)))
                        .unwrap_or_default();
                    println!(
                        "{} — {}{} {}",
                        track.title,
                        track.artist.as_deref().unwrap_or("unknown artist"),
                        track.album.map(|a| format!(" ({a})")).unwrap_or_default(),
                        length
                    );
                }
            }
        }
        anyhow::Ok(())
    }
    .await;
    super::close_store(store).await;
    result
}

/// A progress bar on a terminal; every 100 files otherwise.
fn progress(terminal: bool, done: usize, total: usize) {
    if terminal {
        let width = 30;
        let filled = (done * width).checked_div(total).unwrap_or(width);
        eprint!(
            "\r[{}{}] {done}/{total}",
            "=".repeat(filled),
            " ".repeat(width - filled)
        );
        let _ = std::io::stderr().flush();
    } else if done.is_multiple_of(100) || done == total {
        eprintln!("read {done} of {total} files");
    }
}
