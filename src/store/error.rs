//! [`StoreError`]: what can go wrong in the store, typed so callers can tell "taken" and "missing" from faults.

use thiserror::Error;

/// An error from the store.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The row asked for does not exist.
    #[error("not found")]
    NotFound,
    /// A UNIQUE constraint refused the write; the field that must be unique.
    #[error("{0} is already taken")]
    Conflict(&'static str),
    /// SQLite failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A migration failed; nothing from it was applied.
    #[error("database migration failed: {0}")]
    Migration(#[from] rusqlite_migration::Error),
    /// File-system work around the database failed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The transaction holding a write could not commit; the write did not happen.
    #[error("the database write failed: {0}")]
    Commit(String),
    /// A store task panicked.
    #[error("database task failed: {0}")]
    Panicked(String),
    /// A stored value cannot be used (a key that does not parse).
    #[error("{0}")]
    Corrupt(String),
    /// The store was closed.
    #[error("the database is closed")]
    Closed,
}

impl StoreError {
    /// Maps a UNIQUE-constraint failure to [`StoreError::Conflict`] naming `field`; other errors pass through.
    pub(super) fn on_unique(field: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
        move |error| match error.sqlite_error_code() {
            Some(rusqlite::ErrorCode::ConstraintViolation)
                if error.to_string().contains("UNIQUE") || error.to_string().contains("PRIMARY KEY") =>
            {
                StoreError::Conflict(field)
            }
            _ => StoreError::Sqlite(error),
        }
    }
}

/// Turns "no rows" into [`StoreError::NotFound`].
pub(super) trait OptionalRow<T> {
    /// `Ok(None)` for no rows, the value otherwise.
    fn optional_row(self) -> Result<Option<T>, StoreError>;
}

impl<T> OptionalRow<T> for Result<T, rusqlite::Error> {
    fn optional_row(self) -> Result<Option<T>, StoreError> {
        match self {
            Ok(value) => Ok(Some(value)),
            Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
            Err(error) => Err(error.into()),
        }
    }
}

/// `query_row` through the connection's statement cache: hot lookups skip re-parsing their SQL.
pub(super) trait CachedRow {
    /// Like `Connection::query_row`, with a cached prepared statement.
    fn cached_row<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>;
}

impl CachedRow for rusqlite::Connection {
    fn cached_row<T, P, F>(&self, sql: &str, params: P, f: F) -> rusqlite::Result<T>
    where
        P: rusqlite::Params,
        F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
    {
        self.prepare_cached(sql)?.query_row(params, f)
    }
}
