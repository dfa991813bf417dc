//! `spot backup FILE` and `spot restore FILE`.
//!
//! Backup uses SQLite's online backup API and is safe while the server runs. Restore replaces the database and
//! refuses to run while a server holds the instance lock.

use std::fs::File;
use std::path::Path;

use anyhow::{Context, bail};

use crate::store;

/// Runs `spot backup FILE`.
pub async fn backup(config_path: &Path, file: &Path) -> anyhow::Result<()> {
    let config = super::load_config(config_path)?;
    let db = config.database_path();
    if !db.exists() {
        bail!("no database at {}: nothing to back up", db.display());
    }
    let dest = file.to_owned();
    let users = tokio::task::spawn_blocking(move || store::backup_file(&db, &dest))
        .await?
        .with_context(|| format!("backup to {} failed", file.display()))?;
    println!("backed up to {} ({users} users)", file.display());
    Ok(())
}

/// Runs `spot restore FILE`.
pub async fn restore(config_path: &Path, file: &Path) -> anyhow::Result<()> {
    let config = super::load_config(config_path)?;
    if !file.is_file() {
        bail!("{} is not a file", file.display());
    }
    std::fs::create_dir_all(&config.server.data_dir)
        .with_context(|| format!("cannot create data directory {}", config.server.data_dir.display()))?;
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(config.lock_path())?;
    if lock.try_lock().is_err() {
        bail!(
            "a spot server is running on {}; stop it before restoring",
            config.server.data_dir.display()
        );
    }
    let (src, db) = (file.to_owned(), config.database_path());
    tokio::task::spawn_blocking(move || store::restore_file(&src, &db))
        .await?
        .with_context(|| format!("cannot restore {}", file.display()))?;
    println!("restored {} into {}", file.display(), config.database_path().display());
    Ok(())
}
