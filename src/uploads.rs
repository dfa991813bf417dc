//! Uploaded files on disk: `<data_dir>/attachments/<attachment id>` (and the same for the space's expressions,
//! `<data_dir>/expressions/<id>`), written through a temporary file so a
//! half-written upload never appears under its id. File I/O runs on tokio's blocking pool (`tokio::fs`).

use std::path::PathBuf;

use crate::store::Snowflake;

/// MIME types served inline (with their own type); everything else is a download.
const INLINE: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "image/avif",
    "audio/mpeg",
    "audio/ogg",
    "audio/wav",
    "audio/flac",
    "audio/webm",
    "audio/mp4",
    "audio/aac",
    "video/mp4",
    "video/webm",
    "video/ogg",
];

/// The attachment directory.
#[derive(Debug, Clone)]
pub struct Uploads {
    dir: PathBuf,
}

impl Uploads {
    /// Files under `<data_dir>/attachments`.
    pub fn new(data_dir: &std::path::Path) -> Self {
        Self {
            dir: data_dir.join("attachments"),
        }
    }

    /// The space's custom emoji, stickers and sounds, under `<data_dir>/expressions`.
    pub fn expressions(data_dir: &std::path::Path) -> Self {
        Self {
            dir: data_dir.join("expressions"),
        }
    }

    /// Where an attachment's bytes live.
    pub fn path(&self, id: Snowflake) -> PathBuf {
        self.dir.join(id.to_string())
    }

    /// Stores an attachment's bytes.
    pub async fn save(&self, id: Snowflake, bytes: &[u8]) -> std::io::Result<()> {
        tokio::fs::create_dir_all(&self.dir).await?;
        let temp = self.dir.join(format!(".{id}.part"));
        tokio::fs::write(&temp, bytes).await?;
        tokio::fs::rename(&temp, self.path(id)).await
    }

    /// The files in the directory: attachment ids, and the names of half-written temporary files.
    pub async fn list(&self) -> std::io::Result<(Vec<Snowflake>, Vec<PathBuf>)> {
        let (mut ids, mut partial) = (Vec::new(), Vec::new());
        let mut entries = match tokio::fs::read_dir(&self.dir).await {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((ids, partial)),
            Err(e) => return Err(e),
        };
        while let Some(entry) = entries.next_entry().await? {
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Ok(id) = name.parse::<Snowflake>() {
                ids.push(id);
            } else if name.starts_with('.') && name.ends_with(".part") {
                partial.push(entry.path());
            }
        }
        Ok((ids, partial))
    }

    /// Removes a half-written temporary file.
    pub async fn remove_partial(&self, path: &std::path::Path) {
        if let Err(e) = tokio::fs::remove_file(path).await {
            tracing::warn!(error = %e, "could not remove a half-written upload");
        }
    }

    /// Removes attachments' files (missing ones are fine).
    pub async fn remove(&self, ids: &[Snowflake]) {
        for id in ids {
            if let Err(e) = tokio::fs::remove_file(self.path(*id)).await
                && e.kind() != std::io::ErrorKind::NotFound
            {
                tracing::warn!(error = %e, attachment = id, "could not remove attachment file");
            }
        }
    }
}

/// The content type to store for an upload: from the file name when it is known, else a generic binary type.
/// The client's declared type is not trusted.
pub fn content_type_for(filename: &str) -> String {
    mime_guess::from_path(filename)
        .first_or_octet_stream()
        .essence_str()
        .to_owned()
}

/// Whether a stored type may be shown inline (images, audio, video that browsers render without scripts).
pub fn is_inline(content_type: &str) -> bool {
    INLINE.contains(&content_type)
}

/// A safe file name for storage and `Content-Disposition`: no path separators or control characters.
pub fn clean_filename(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or(raw);
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | '|' | ':' | '*' | '?'))
        .take(200)
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').to_owned();
    if cleaned.is_empty() { "file".to_owned() } else { cleaned }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_types() {
        assert_eq!(clean_filename("../../etc/passwd"), "passwd");
        assert_eq!(clean_filename("a\"b<c>.txt"), "abc.txt");
        assert_eq!(clean_filename(".."), "file");
        assert_eq!(content_type_for("x.png"), "image/png");
        assert_eq!(content_type_for("x.html"), "text/html");
        assert!(is_inline("image/png"));
        assert!(!is_inline("text/html"));
        assert!(!is_inline("image/svg+xml"), "SVG can carry script");
    }
}
