//! The DJ's music library: tracks found under the configured folders, their tags and covers, and search.

use std::collections::HashMap;

use rusqlite::{Row, params};

use super::error::OptionalRow;
use super::reactions::fts_query;
use super::{Store, StoreError};
use crate::clock::Millis;

/// A track of the library.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LibraryTrack {
    /// Row id (0 before it is stored).
    pub id: i64,
    /// Absolute path of the file.
    pub path: String,
    /// File size in bytes.
    pub size: i64,
    /// Modification time, Unix milliseconds.
    pub mtime: Millis,
    /// Title (the file name when untagged).
    pub title: String,
    /// Artist.
    pub artist: Option<String>,
    /// Album.
    pub album: Option<String>,
    /// Track number on the album.
    pub track_number: Option<i64>,
    /// Length in milliseconds.
    pub duration_ms: Option<i64>,
    /// Whether cover art is stored for it (read only; [`Store::music_upsert`] takes the cover separately).
    pub has_cover: bool,
}

/// Cover art: MIME type and bytes.
pub type Cover = (String, Vec<u8>);

/// The columns [`from_row`] reads, from `music_tracks t`.
const COLUMNS: &str = "t.id, t.path, t.size, t.mtime, t.title, t.artist, t.album, t.track_number, t.duration_ms,
    EXISTS (SELECT 1 FROM music_covers c WHERE c.track_id = t.id)";

fn from_row(row: &Row<'_>) -> rusqlite::Result<LibraryTrack> {
    Ok(LibraryTrack {
        id: row.get(0)?,
        path: row.get(1)?,
        size: row.get(2)?,
        mtime: row.get(3)?,
        title: row.get(4)?,
        artist: row.get(5)?,
        album: row.get(6)?,
        track_number: row.get(7)?,
        duration_ms: row.get(8)?,
        has_cover: row.get(9)?,
    })
}

impl Store {
    /// Adds or replaces tracks (matched by path), with their covers, in one transaction.
    pub async fn music_upsert(&self, tracks: Vec<(LibraryTrack, Option<Cover>)>) -> Result<(), StoreError> {
        self.write(move |tx| {
            for (track, cover) in &tracks {
                tx.execute(
                    "INSERT INTO music_tracks (path, size, mtime, title, artist, album, track_number, duration_ms)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                     ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime,
                         title = excluded.title, artist = excluded.artist, album = excluded.album,
                         track_number = excluded.track_number, duration_ms = excluded.duration_ms",
                    params![
                        track.path,
                        track.size,
                        track.mtime,
                        track.title,
                        track.artist,
                        track.album,
                        track.track_number,
                        track.duration_ms
                    ],
                )?;
                let id: i64 = tx.query_row("SELECT id FROM music_tracks WHERE path = ?1", [&track.path], |r| {
                    r.get(0)
                })?;
                tx.execute("DELETE FROM music_covers WHERE track_id = ?1", [id])?;
                if let Some((mime, data)) = cover {
                    tx.execute(
                        "INSERT INTO music_covers (track_id, mime, data) VALUES (?1, ?2, ?3)",
                        params![id, mime, data],
                    )?;
                }
            }
            Ok(())
        })
        .await
    }

    /// Every known file: path → (size, mtime), for a rescan to compare with the disk.
    pub async fn music_index(&self) -> Result<HashMap<String, (i64, Millis)>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached("SELECT path, size, mtime FROM music_tracks")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Forgets tracks whose files are gone.
    pub async fn music_remove(&self, paths: Vec<String>) -> Result<usize, StoreError> {
        self.write(move |tx| {
            let mut removed = 0;
            for path in &paths {
                removed += tx.execute("DELETE FROM music_tracks WHERE path = ?1", [path])?;
            }
            Ok(removed)
        })
        .await
    }

    /// Tracks matching `query` (title, artist, album; prefix match on the last word), best first.
    pub async fn music_search(&self, query: String, limit: i64) -> Result<Vec<LibraryTrack>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM music_search s JOIN music_tracks t ON t.id = s.rowid
                 WHERE music_search MATCH ?1 ORDER BY rank, t.artist, t.album, t.track_number LIMIT ?2"
            ))?;
            let rows = stmt.query_map(params![fts_query(&query), limit], from_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// One track.
    pub async fn music_track(&self, id: i64) -> Result<Option<LibraryTrack>, StoreError> {
        self.read(move |conn| {
            conn.query_row(
                &format!("SELECT {COLUMNS} FROM music_tracks t WHERE t.id = ?1"),
                [id],
                from_row,
            )
            .optional_row()
        })
        .await
    }

    /// A track's cover art.
    pub async fn music_cover(&self, id: i64) -> Result<Option<Cover>, StoreError> {
        self.read(move |conn| {
            conn.query_row("SELECT mime, data FROM music_covers WHERE track_id = ?1", [id], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional_row()
        })
        .await
    }

    /// How many tracks the library has.
    pub async fn music_count(&self) -> Result<i64, StoreError> {
        self.read(|conn| Ok(conn.query_row("SELECT count(*) FROM music_tracks", [], |r| r.get(0))?))
            .await
    }
}
