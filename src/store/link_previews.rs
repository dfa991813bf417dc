//! The link-preview cache: what each URL unfurled to (or that it unfurled to nothing), and when.

use rusqlite::params;

use super::error::OptionalRow;
use super::{Store, StoreError};
use crate::clock::Millis;

/// A cached preview.
#[derive(Debug, Clone, PartialEq)]
pub struct CachedPreview {
    /// The embed, or `None` when the URL had no preview (or could not be fetched).
    pub embed: Option<serde_json::Value>,
    /// When it was fetched.
    pub fetched_at: Millis,
}

impl Store {
    /// Records what `url` unfurled to.
    pub async fn link_preview_put(
        &self,
        url: String,
        embed: Option<serde_json::Value>,
        now: Millis,
    ) -> Result<(), StoreError> {
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO link_previews (url, embed, fetched_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (url) DO UPDATE SET embed = excluded.embed, fetched_at = excluded.fetched_at",
                params![url, embed.map(|e| e.to_string()), now],
            )?;
            Ok(())
        })
        .await
    }

    /// What `url` unfurled to last time, if it is cached.
    pub async fn link_preview_get(&self, url: String) -> Result<Option<CachedPreview>, StoreError> {
        self.read(move |conn| {
            let row: Option<(Option<String>, Millis)> = conn
                .query_row(
                    "SELECT embed, fetched_at FROM link_previews WHERE url = ?1",
                    [url],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional_row()?;
            Ok(row.map(|(embed, fetched_at)| CachedPreview {
                embed: embed.and_then(|e| serde_json::from_str(&e).ok()),
                fetched_at,
            }))
        })
        .await
    }

    /// Forgets previews fetched before `cutoff`; returns how many.
    pub async fn link_previews_purge(&self, cutoff: Millis) -> Result<usize, StoreError> {
        self.write(move |tx| Ok(tx.execute("DELETE FROM link_previews WHERE fetched_at < ?1", [cutoff])?))
            .await
    }
}
