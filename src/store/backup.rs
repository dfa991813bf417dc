//! Backups with SQLite's online backup API, and restoring them.
//!
//! A backup copies every page in one step while holding a read transaction, so it is a consistent snapshot
//! even while the server keeps writing (WAL readers do not block the writer). It is written to a temporary file
//! beside the destination and renamed into place only after an integrity check, so a failed backup leaves no
//! partial file behind.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};

use super::{StoreError, migrate};

/// Copies the live database at `db` to `dest`; returns the number of accounts in the copy. Blocking; safe
/// while a server is writing.
pub fn backup_file(db: &Path, dest: &Path) -> Result<i64, StoreError> {
    let source = Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    source.busy_timeout(Duration::from_secs(10))?;
    let dir = parent_dir(dest);
    let staging = tempfile::Builder::new().prefix(".spot-backup-").tempfile_in(dir)?;
    {
        let mut target = Connection::open(staging.path())?;
        let backup = Backup::new(&source, &mut target)?;
        copy_all_pages(&backup)?;
        drop(backup);
        target.pragma_update(None, "journal_mode", "DELETE")?;
    }
    let users = verify_database(staging.path())?;
    staging.persist(dest).map_err(|e| StoreError::Io(e.error))?;
    Ok(users)
}

/// Copies every page in one step (-1): one read transaction, so one consistent snapshot. Retries while the
/// source is momentarily locked.
fn copy_all_pages(backup: &Backup<'_, '_>) -> Result<(), StoreError> {
    use rusqlite::backup::StepResult;
    for _ in 0..200 {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            // More, Busy or Locked: wait and step again.
            _ => std::thread::sleep(Duration::from_millis(50)),
        }
    }
    Err(StoreError::Io(std::io::Error::new(
        std::io::ErrorKind::TimedOut,
        "the database stayed locked for 10 s",
    )))
}

/// Replaces the database at `db` with the backup at `backup` after checking it. Blocking. The caller must make
/// sure no server is running on `db`.
pub fn restore_file(backup: &Path, db: &Path) -> Result<(), StoreError> {
    verify_database(backup)?;
    let staging = tempfile::Builder::new()
        .prefix(".spot-restore-")
        .tempfile_in(parent_dir(db))?;
    std::fs::copy(backup, staging.path())?;
    staging.as_file().sync_all()?;
    // A WAL left from the old database would be replayed onto the restored one; it must go first.
    for suffix in ["-wal", "-shm"] {
        let mut side = db.as_os_str().to_owned();
        side.push(suffix);
        match std::fs::remove_file(PathBuf::from(side)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    staging.persist(db).map_err(|e| StoreError::Io(e.error))?;
    Ok(())
}

/// Checks that `path` is an intact spot database this binary can open: SQLite's integrity and foreign-key
/// checks pass and its schema is not newer than this binary. Returns the number of user accounts in it.
pub fn verify_database(path: &Path) -> Result<i64, StoreError> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |row| row.get(0))?;
    if integrity != "ok" {
        return Err(invalid(path, &format!("integrity check failed: {integrity}")));
    }
    let broken_keys: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |row| row.get(0))?;
    if broken_keys != 0 {
        return Err(invalid(path, &format!("{broken_keys} broken foreign keys")));
    }
    let version: i64 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if version == 0 {
        return Err(invalid(path, "not a spot database"));
    }
    if version > migrate::latest_version() {
        return Err(invalid(path, "made by a newer spot; upgrade spot first"));
    }
    Ok(conn.query_row("SELECT count(*) FROM users", [], |row| row.get(0))?)
}

fn invalid(path: &Path, why: &str) -> StoreError {
    StoreError::Io(std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        format!("{}: {why}", path.display()),
    ))
}

fn parent_dir(path: &Path) -> &Path {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}
