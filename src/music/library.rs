//! The music library: finding audio files under the configured folders, reading their tags (title, artist,
//! album, track number, duration, cover art) with symphonia, and keeping the store in step with the disk. A
//! rescan reads only files that are new or whose size or modification time changed, and forgets files that
//! are gone. File reading and tag parsing run on blocking threads.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, TrackType};
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::{MetadataOptions, StandardTag};

use crate::store::{Cover, LibraryTrack, Store, StoreError};

/// File extensions treated as music.
const EXTENSIONS: &[&str] = &["mp3", "flac", "ogg", "oga", "opus", "wav", "m4a", "aac", "mp4", "alac"];
/// Largest cover kept, in bytes.
const MAX_COVER: usize = 2 * 1024 * 1024;
/// Tracks written to the store per transaction during a scan.
const BATCH: usize = 200;

/// What a scan did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ScanReport {
    /// Files seen on disk.
    pub seen: usize,
    /// New tracks.
    pub added: usize,
    /// Changed files read again.
    pub updated: usize,
    /// Tracks whose files are gone.
    pub removed: usize,
    /// Files that could not be read (with why).
    pub failed: Vec<(PathBuf, String)>,
}

/// Scans `folders` into the store; `progress(done, total)` is called as files are read.
pub async fn scan(
    store: &Store,
    folders: &[PathBuf],
    mut progress: impl FnMut(usize, usize),
) -> Result<ScanReport, StoreError> {
    let roots = folders.to_vec();
    let files = tokio::task::spawn_blocking(move || list_files(&roots))
        .await
        .unwrap_or_default();
    let known = store.music_index().await?;
    let mut report = ScanReport {
        seen: files.len(),
        ..ScanReport::default()
    };
    let on_disk: std::collections::HashSet<String> =
        files.iter().map(|(p, _, _)| p.to_string_lossy().into_owned()).collect();
    let to_read: Vec<(PathBuf, i64, i64, bool)> = files
        .into_iter()
        .filter_map(|(path, size, mtime)| {
            let key = path.to_string_lossy().into_owned();
            match known.get(&key) {
                Some(&(s, m)) if s == size && m == mtime => None,
                Some(_) => Some((path, size, mtime, false)),
                None => Some((path, size, mtime, true)),
            }
        })
        .collect();
    let total = to_read.len();
    let mut batch = Vec::new();
    for (done, (path, size, mtime, new)) in to_read.into_iter().enumerate() {
        let read_path = path.clone();
        let read = tokio::task::spawn_blocking(move || read_tags(&read_path)).await;
        match read {
            Ok(Ok((mut track, cover))) => {
                track.size = size;
                track.mtime = mtime;
                batch.push((track, cover));
                if new {
                    report.added += 1;
                } else {
                    report.updated += 1;
                }
            }
            Ok(Err(why)) => report.failed.push((path, why)),
            Err(_) => report.failed.push((path, "reading the file crashed".to_owned())),
        }
        if batch.len() >= BATCH {
            store.music_upsert(std::mem::take(&mut batch)).await?;
        }
        progress(done + 1, total);
    }
    if !batch.is_empty() {
        store.music_upsert(batch).await?;
    }
    let gone: Vec<String> = known.into_keys().filter(|p| !on_disk.contains(p)).collect();
    report.removed = store.music_remove(gone).await?;
    Ok(report)
}

/// Every music file under `roots`: (path, size, mtime in ms). Unreadable folders are skipped.
fn list_files(roots: &[PathBuf]) -> Vec<(PathBuf, i64, i64)> {
    let mut found = Vec::new();
    let mut stack: Vec<PathBuf> = roots.to_vec();
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_dir() {
                stack.push(path);
            } else if meta.is_file() && is_music(&path) {
                let mtime = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
                found.push((path, i64::try_from(meta.len()).unwrap_or(i64::MAX), mtime));
            }
        }
    }
    found.sort();
    found
}

fn is_music(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Reads a file's tags and cover (size and mtime are left for the caller).
pub fn read_tags(path: &Path) -> Result<(LibraryTrack, Option<Cover>), String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let stream = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(ext);
    }
    let mut format = symphonia::default::get_probe()
        .probe(&hint, stream, FormatOptions::default(), MetadataOptions::default())
        .map_err(|e| format!("not an audio file spot can read ({e})"))?;
    let track = format
        .default_track(TrackType::Audio)
        .ok_or_else(|| "no audio track".to_owned())?;
    let duration_ms = match (track.num_frames, track.time_base) {
        (Some(frames), Some(base)) => symphonia::core::units::Timestamp::try_from(frames)
            .ok()
            .and_then(|ts| base.calc_time(ts))
            .map(|t| (t.as_secs_f64() * 1000.0) as i64),
        _ => None,
    };
    let mut title = None;
    let mut artist = None;
    let mut album = None;
    let mut track_number = None;
    let mut cover = None;
    let mut metadata = format.metadata();
    if let Some(revision) = metadata.skip_to_latest() {
        for tag in &revision.media.tags {
            match &tag.std {
                Some(StandardTag::TrackTitle(v)) => title = title.or_else(|| clean(v)),
                Some(StandardTag::Artist(v)) => artist = artist.or_else(|| clean(v)),
                Some(StandardTag::AlbumArtist(v)) => artist = artist.or_else(|| clean(v)),
                Some(StandardTag::Album(v)) => album = album.or_else(|| clean(v)),
                Some(StandardTag::TrackNumber(n)) => track_number = track_number.or(i64::try_from(*n).ok()),
                _ => {}
            }
        }
        cover = revision
            .media
            .visuals
            .iter()
            .find(|v| v.data.len() <= MAX_COVER && crate::chat::profile::image_kind(&v.data).is_some())
            .and_then(|v| {
                crate::chat::profile::image_kind(&v.data).map(|(_, mime)| (mime.to_owned(), v.data.to_vec()))
            });
    }
    let title = title.unwrap_or_else(|| {
        path.file_stem()
            .map(|s| s.to_string_lossy().replace('_', " "))
            .unwrap_or_default()
    });
    Ok((
        LibraryTrack {
            id: 0,
            path: path.to_string_lossy().into_owned(),
            size: 0,
            mtime: 0,
            title,
            artist,
            album,
            track_number,
            duration_ms,
        },
        cover,
    ))
}

fn clean(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.chars().take(300).collect())
}
