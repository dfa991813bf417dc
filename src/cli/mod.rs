//! The command line: `spot init`, `spot serve`, `spot user …`, `spot invite create`, `spot bot …`, `spot backup`,
//! `spot restore`. One file per command. This is the program's edge: errors become one `spot: …` line on
//! stderr and a non-zero exit.

mod backup;
mod bot;
mod health;
mod import;
mod init;
mod invite;
mod logging;
mod music;
mod prompt;
mod serve;
mod user;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};

use crate::config::{self, Config};
use crate::store::Store;

/// spot — a self-hosted hangout for a group of friends.
/// `spot --version`: the release and the commit it was built from.
const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (commit ", env!("BUILT_FROM_COMMIT"), ")");

#[derive(Debug, Parser)]
#[command(name = "spot", version = VERSION, about)]
struct Cli {
    /// The config file.
    #[arg(long, global = true, env = "SPOT_CONFIG", default_value = "spot.toml")]
    config: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create spot.toml, the database, the first admin and the home space.
    Init(init::InitArgs),
    /// Run the server.
    Serve,
    /// Manage user accounts.
    #[command(subcommand)]
    User(user::UserCommand),
    /// Manage invite links.
    #[command(subcommand)]
    Invite(invite::InviteCommand),
    /// Manage bot accounts.
    #[command(subcommand)]
    Bot(bot::BotCommand),
    /// The DJ's music library: scan the folders, search.
    #[command(subcommand)]
    Music(music::MusicCommand),
    /// Bring history in: `spot import discord EXPORT...`, and claim imported people for accounts.
    #[command(subcommand)]
    Import(import::ImportCommand),
    /// Ask the server on this machine whether it is healthy (`/healthz`): exit 0 when it is.
    Healthcheck,
    /// Copy the live database to FILE (safe while the server runs).
    Backup {
        /// Where to write the backup.
        file: PathBuf,
    },
    /// Replace the database with the backup in FILE (stop the server first).
    Restore {
        /// The backup to restore.
        file: PathBuf,
    },
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("spot: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async move {
        match cli.command {
            Command::Init(args) => init::run(&cli.config, args).await,
            Command::Serve => serve::run(&cli.config).await,
            Command::User(command) => user::run(&cli.config, command).await,
            Command::Invite(command) => invite::run(&cli.config, command).await,
            Command::Bot(command) => bot::run(&cli.config, command).await,
            Command::Music(command) => music::run(&cli.config, command).await,
            Command::Import(command) => import::run(&cli.config, command).await,
            Command::Healthcheck => health::run(&cli.config).await,
            Command::Backup { file } => backup::backup(&cli.config, &file).await,
            Command::Restore { file } => backup::restore(&cli.config, &file).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("spot: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Loads the config for a command other than `init`.
fn load_config(path: &Path) -> anyhow::Result<Config> {
    Ok(config::load(path)?)
}

/// Opens the database of an initialised instance (without starting a server).
async fn open_store(config: &Config) -> anyhow::Result<Store> {
    let db = config.database_path();
    if !db.exists() {
        anyhow::bail!("no database at {}: run `spot init` first", db.display());
    }
    tokio::task::spawn_blocking(move || Store::open(&db))
        .await?
        .with_context(|| format!("cannot open the database in {}", config.server.data_dir.display()))
}

/// Closes a store from async code (closing joins the writer thread).
async fn close_store(store: Store) {
    let _ = tokio::task::spawn_blocking(move || store.close()).await;
}

/// Records an admin action taken on the command line in the audit log (the actor is "command line"). The
/// action has already happened; a failure to record it is reported, not fatal.
async fn audit(store: &Store, action: &str, target: &str, detail: &str) {
    let entry = (None, action.to_owned(), target.to_owned(), detail.to_owned());
    if let Err(e) = store.audit_record(entry).await {
        eprintln!("warning: could not write the audit log: {e}");
    }
}
