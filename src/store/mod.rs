//! The store: every SQL statement in spot lives under this module.
//!
//! [`Store`] owns one writer connection on a dedicated thread (SQLite allows one writer at a time, so
//! queueing writes here is cheaper than retrying on `SQLITE_BUSY`; queued writes share a commit, see `writer`) and a small pool of reader connections used
//! from tokio's blocking pool. Async callers never touch a connection on the runtime. The domain files
//! (`users`, `sessions`, `invites`, `identities`, `guilds`, `channels`, `members`, `messages`, `reactions`, `bots`, `backup`) add typed methods to [`Store`], ordered
//! create / read / update / delete; callers never see SQL or a connection.
//!
//! Times are passed in as milliseconds by the caller (read from [`crate::clock`]); the store never reads a clock.

// The one module allowed to talk to SQLite (see clippy.toml).
#![allow(clippy::disallowed_methods)]

mod admin;
mod backup;
mod bots;
mod channels;
mod commands;
mod dms;
mod error;
mod expressions;
mod guilds;
mod identities;
mod import;
mod invites;
mod link_previews;
mod members;
mod message_rows;
mod messages;
mod migrate;
mod music;
mod notifications;
mod pins;
mod push;
mod reactions;
mod read_states;
mod revocations;
mod sessions;
mod users;
mod webhooks;
mod writer;

use writer::WriteJob;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::oneshot;

pub use crate::ids::{DISCORD_EPOCH_MS, Snowflake, Snowflakes, snowflake_at, timestamp_ms};
pub use admin::AuditEntry;
pub use backup::{backup_file, restore_file, verify_database};
pub use channels::{Channel, ChannelKind, ChannelPatch, NewChannel};
pub use commands::Command;
pub use dms::{Departure, PrivateChannel};
pub use error::StoreError;
pub use expressions::{Emoji, EmojiPatch, Refusal, Sound, SoundPatch, Sticker, StickerPatch};
pub use guilds::Guild;
pub use identities::{Identity, IdentitySignIn};
pub use import::{ImportMessage, ImportPerson, ImportedPerson};
pub use invites::{Invite, InviteStatus};
pub use link_previews::CachedPreview;
pub use members::{Member, Role, RolePatch};
pub use messages::{Anchor, Attachment, Message, MessageExtra, MessagePatch, NewMessage, ReactionCount, StickerItem};
pub use music::{Cover, LibraryTrack};
pub use notifications::{ChannelSettings, Mute, NotificationSettings, ScopeSettings};
pub use push::PushSubscription;
pub use read_states::ReadState;
pub use revocations::Revocation;
pub use sessions::Session;
pub use users::{NewUser, User, UserWithHash};
pub use webhooks::{Webhook, WebhookPatch};

/// Readers kept open between reads (opening one costs a schema parse, so they are reused).
const MAX_IDLE_READERS: usize = 32;

/// Handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    path: PathBuf,
    writer: Mutex<Option<mpsc::Sender<WriteJob>>>,
    writer_thread: Mutex<Option<JoinHandle<()>>>,
    readers: Mutex<Vec<Connection>>,
    ids: Snowflakes,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and applies pending migrations in one transaction.
    ///
    /// Blocking: call it before the runtime starts serving or from a blocking thread.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let mut conn = open_connection(path, true)?;
        migrate::apply(&mut conn)?;
        let (tx, rx) = mpsc::channel::<WriteJob>();
        let thread = std::thread::Builder::new()
            .name("spot-db-writer".into())
            .spawn(move || writer::run(conn, rx))
            .map_err(StoreError::Io)?;
        Ok(Self {
            inner: Arc::new(Inner {
                path: path.to_owned(),
                writer: Mutex::new(Some(tx)),
                writer_thread: Mutex::new(Some(thread)),
                readers: Mutex::new(Vec::new()),
                ids: Snowflakes::new(),
            }),
        })
    }

    /// A fresh snowflake id.
    pub fn next_id(&self) -> Snowflake {
        self.inner.ids.next()
    }

    /// Stops the writer after queued writes finish and closes every connection, so the WAL is checkpointed.
    /// Blocking; later calls to the store fail with [`StoreError::Closed`].
    pub fn close(&self) {
        drop(lock(&self.inner.writer).take());
        if let Some(thread) = lock(&self.inner.writer_thread).take() {
            let _ = thread.join();
        }
        lock(&self.inner.readers).clear();
    }

    /// Runs `f` on the writer thread inside a transaction (shared with other queued writes, in its own
    /// savepoint) and returns its result once that transaction has committed. An `Err` rolls back `f`'s changes.
    async fn write<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (done, result) = oneshot::channel();
        let job: WriteJob = Box::new(move |conn| {
            let outcome = match conn {
                Some(conn) => f(conn),
                None => Err(StoreError::Commit("the write transaction could not start".to_owned())),
            };
            let ok = outcome.is_ok();
            let complete: writer::Completion = Box::new(move |committed| {
                let result = match committed {
                    Ok(()) => outcome,
                    Err(why) => Err(StoreError::Commit(why)),
                };
                let _ = done.send(result);
            });
            (ok, complete)
        });
        let sender = lock(&self.inner.writer).clone().ok_or(StoreError::Closed)?;
        sender.send(job).map_err(|_| StoreError::Closed)?;
        result.await.map_err(|_| StoreError::Closed)?
    }

    /// Runs `f` with a reader connection on tokio's blocking pool.
    async fn read<T, F>(&self, f: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || {
            let conn = match lock(&inner.readers).pop() {
                Some(conn) => conn,
                None => open_connection(&inner.path, false)?,
            };
            let value = f(&conn);
            let mut idle = lock(&inner.readers);
            if idle.len() < MAX_IDLE_READERS {
                idle.push(conn);
            }
            value
        })
        .await
        .map_err(|e| StoreError::Panicked(e.to_string()))?
    }
}

thread_local! {
    /// Set on the writer's thread while an import batch is written: its messages are indexed for search together
    /// at the end of the batch instead of one by one (see `import.rs`).
    pub(crate) static INDEXING_IN_BULK: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Waits for another process's write (an import, a backup) to finish: tries again every quarter millisecond for
/// up to 5 s. SQLite's own busy timeout backs off to 100 ms sleeps, so a writer that commits in quick
/// succession (an import's batches) would hold the server's writes off for seconds; this catches the gap after
/// each of its commits.
fn retry_while_busy(attempt: i32) -> bool {
    if attempt >= 20_000 {
        return false;
    }
    std::thread::sleep(std::time::Duration::from_micros(250));
    true
}

/// Opens one connection with spot's pragmas. Only the writer sets WAL mode (it is persistent in the file).
fn open_connection(path: &Path, writer: bool) -> Result<Connection, StoreError> {
    let flags = if writer {
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX
    } else {
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX
    };
    let conn = Connection::open_with_flags(path, flags)?;
    conn.busy_handler(Some(retry_while_busy))?;
    // The search index's insert trigger asks this (migration 0016): true, except inside an import batch.
    conn.create_scalar_function(
        "spot_index_each",
        0,
        rusqlite::functions::FunctionFlags::SQLITE_UTF8,
        |_| Ok(!INDEXING_IN_BULK.with(std::cell::Cell::get)),
    )?;
    if writer {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    Ok(conn)
}

/// Locks a mutex, recovering the data if a panicking thread poisoned it (the guarded values stay valid).
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests;
