//! Bringing a Discord server's history in from DiscordChatExporter's JSON exports (`spot import discord`):
//! categories, channels, threads (forum posts too) and their messages as they were — original times and edits,
//! replies, pins, reactions, mentions, custom emoji, attachments and avatars copied in when the export has the
//! files (otherwise kept as links), embeds — written under new spot ids whose order is the original order.
//! Every author becomes an imported person (`store::import`), who can later be claimed by an account.
//!
//! Files are read as streams ([`export`]) and written in batches of [`BATCH`] messages, each one transaction:
//! memory stays flat whatever the export's size, the server keeps answering while an import runs, and a file
//! that breaks half-way leaves the messages before the break complete. Every Discord id imported is recorded,
//! so running an import again skips what is there and adds what is new.
//!
//! It runs on a blocking thread (it reads files) and reaches the async store through the runtime's handle.

mod apply;
pub mod export;
pub mod jobs;
pub mod source;

use std::path::PathBuf;

use crate::store::Store;

pub use source::ExportFile;

/// Messages written per transaction (short enough that the server's own writes wait at most a few ms).
pub const BATCH: usize = 500;

/// How an import runs.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Read and check everything, write nothing, and report what would be created.
    pub dry_run: bool,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Export files read.
    pub files: usize,
    /// Channels, categories and threads made.
    pub channels_created: usize,
    /// Messages written.
    pub messages_imported: usize,
    /// Messages already there from an earlier import (or repeated in this one).
    pub messages_skipped: usize,
    /// Imported people made.
    pub people_created: usize,
    /// Files copied in.
    pub attachments_copied: usize,
    /// Files kept as links (not in the export).
    pub attachments_linked: usize,
    /// Custom emoji made from the export's pictures.
    pub emojis_created: usize,
    /// Problems that skipped one thing and let the rest go on: file and message named.
    pub warnings: Vec<String>,
    /// Files that could not be read to the end, with why (what came before the break is kept).
    pub failures: Vec<String>,
}

impl Report {
    /// The summary printed at the end.
    pub fn summary(&self, dry_run: bool) -> String {
        let verb = if dry_run { "would import" } else { "imported" };
        let mut out = format!(
            "{} files: {verb} {} messages ({} already there), {} channels and threads, {} people, {} files copied \
             ({} kept as links), {} custom emoji",
            self.files,
            self.messages_imported,
            self.messages_skipped,
            self.channels_created,
            self.people_created,
            self.attachments_copied,
            self.attachments_linked,
            self.emojis_created
        );
        if !self.warnings.is_empty() {
            out.push_str(&format!("\n{} warnings:", self.warnings.len()));
            for warning in self.warnings.iter().take(50) {
                out.push_str(&format!("\n  {warning}"));
            }
            if self.warnings.len() > 50 {
                out.push_str(&format!("\n  … and {} more", self.warnings.len() - 50));
            }
        }
        for failure in &self.failures {
            out.push_str(&format!("\nFAILED {failure}"));
        }
        out
    }
}

/// Where an import tells how far it is.
pub trait Progress: Send {
    /// A file starts: its name, its channel's name, its size.
    fn file(&mut self, index: usize, of: usize, name: &str, channel: &str, bytes: u64);
    /// Within the current file: bytes read, messages read.
    fn advance(&mut self, bytes: u64, messages: u64);
    /// The current file is done.
    fn done(&mut self);
}

/// A progress sink that says nothing.
pub struct Quiet;

impl Progress for Quiet {
    fn file(&mut self, _: usize, _: usize, _: &str, _: &str, _: u64) {}
    fn advance(&mut self, _: u64, _: u64) {}
    fn done(&mut self) {}
}

/// An import into the store of a data directory.
pub struct Importer {
    /// The store.
    pub store: Store,
    /// The data directory (attachments, avatars, emoji files).
    pub data_dir: PathBuf,
    /// The runtime the store's calls run on.
    pub runtime: tokio::runtime::Handle,
}

impl Importer {
    /// Imports the exports under `paths` (files, folders, zips). Blocking: call it from a blocking thread.
    pub fn run(&self, paths: &[PathBuf], options: &Options, progress: &mut dyn Progress) -> Result<Report, String> {
        let files = source::find(paths)?;
        apply::run(self, files, options, progress)
    }
}
