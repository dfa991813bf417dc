//! The music library: finding audio files under the configured folders, reading their tags (title, artist,
//! album, track number, duration, cover art: the file's embedded picture, else a `cover.jpg`/`folder.jpg` next
//! to it) with symphonia, and keeping the store in step with the disk. A rescan reads only files that are new or
//! whose size or modification time changed, and forgets files that are gone (so a cover picture added to a
//! folder later is noticed only for files that changed). File reading and tag parsing run on blocking threads.

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
/// Pictures next to a file used as its cover when it has none of its own, in order of preference (compared
/// without case).
const FOLDER_COVERS: &[&str] = &[
    "cover.jpg",
    "cover.jpeg",
    "cover.png",
    "folder.jpg",
    "folder.jpeg",
    "folder.png",
    "front.jpg",
    "front.png",
    "album.jpg",
    "album.png",
];

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

/// What a file's own tags say, with no fallback to its name or folder.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Tags {
    /// Title.
    pub title: Option<String>,
    /// Artist (or album artist).
    pub artist: Option<String>,
    /// Album.
    pub album: Option<String>,
    /// Track number on the album.
    pub track_number: Option<i64>,
    /// Length in milliseconds, when the container says.
    pub duration_ms: Option<i64>,
    /// The embedded picture, if it is a usable cover.
    pub cover: Option<Cover>,
}

/// Reads a library file's tags and cover (size and mtime are left for the caller): untagged files are titled
/// after their name, and a file without a picture of its own takes its folder's.
pub fn read_tags(path: &Path) -> Result<(LibraryTrack, Option<Cover>), String> {
    let tags = read_file_tags(path, path.extension().and_then(|e| e.to_str()))?;
    let cover = tags.cover.or_else(|| path.parent().and_then(folder_cover));
    let title = tags.title.unwrap_or_else(|| {
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
            artist: tags.artist,
            album: tags.album,
            track_number: tags.track_number,
            duration_ms: tags.duration_ms,
            has_cover: cover.is_some(),
        },
        cover,
    ))
}

/// Reads the tags of the audio file at `path`; `extension` helps recognise its format (uploads are stored
/// without one). Blocking: call it on a blocking thread.
pub fn read_file_tags(path: &Path, extension: Option<&str>) -> Result<Tags, String> {
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let stream = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    if let Some(ext) = extension {
        hint.with_extension(ext);
    }
    let mut format = crate::music::pipeline::contained(|| {
        symphonia::default::get_probe()
            .probe(&hint, stream, FormatOptions::default(), MetadataOptions::default())
            .map_err(|e| crate::music::pipeline::AudioError::Unsupported(e.to_string()))
    })
    .map_err(|e| format!("not an audio file spot can read ({e})"))?;
    let track = format
        .default_track(TrackType::Audio)
        .ok_or_else(|| "no audio track".to_owned())?;
    let mut tags = Tags {
        duration_ms: match (track.num_frames, track.time_base) {
            (Some(frames), Some(base)) => symphonia::core::units::Timestamp::try_from(frames)
                .ok()
                .and_then(|ts| base.calc_time(ts))
                .map(|t| (t.as_secs_f64() * 1000.0) as i64),
            _ => None,
        },
        ..Tags::default()
    };
    let mut metadata = format.metadata();
    if let Some(revision) = metadata.skip_to_latest() {
        for tag in &revision.media.tags {
            match &tag.std {
                Some(StandardTag::TrackTitle(v)) => tags.title = tags.title.or_else(|| clean(v)),
                Some(StandardTag::Artist(v) | StandardTag::AlbumArtist(v)) => {
                    tags.artist = tags.artist.or_else(|| clean(v));
                }
                Some(StandardTag::Album(v)) => tags.album = tags.album.or_else(|| clean(v)),
                Some(StandardTag::TrackNumber(n)) => {
                    tags.track_number = tags.track_number.or(i64::try_from(*n).ok());
                }
                _ => {}
            }
        }
        tags.cover = revision.media.visuals.iter().find_map(|v| as_cover(&v.data));
    }
    Ok(tags)
}

/// Picture bytes as a cover: a PNG, JPEG, GIF or WebP (checked by content, not by name) no larger than
/// [`MAX_COVER`].
fn as_cover(data: &[u8]) -> Option<Cover> {
    if data.len() > MAX_COVER {
        return None;
    }
    crate::media::image_kind(data).map(|(_, mime)| (mime.to_owned(), data.to_vec()))
}

/// The folder's `cover.jpg` (or `folder.jpg`, … see [`FOLDER_COVERS`]), if there is a usable one.
fn folder_cover(dir: &Path) -> Option<Cover> {
    let names: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().to_lowercase(), e.path()))
        .collect();
    FOLDER_COVERS.iter().find_map(|wanted| {
        let (_, path) = names.iter().find(|(name, _)| name == wanted)?;
        let size = std::fs::metadata(path).ok()?.len();
        if size > MAX_COVER as u64 {
            return None;
        }
        as_cover(&std::fs::read(path).ok()?)
    })
}

fn clean(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.chars().take(300).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-second tone written by sox (installed by `make test`) in the format of `path`'s extension.
    fn tone(path: &Path) {
        let status = std::process::Command::new("sox")
            .args(["-n", "-r", "44100", "-c", "1"])
            .arg(path)
            .args(["synth", "1", "sine", "440"])
            .status()
            .expect("sox is needed for this test (make test installs it)");
        assert!(status.success());
    }

    /// An ID3v2.3 tag holding one front-cover picture (an APIC frame), as taggers write it before MP3 audio.
    fn id3_with_picture(mime: &str, picture: &[u8]) -> Vec<u8> {
        let mut frame = vec![0];
        frame.extend_from_slice(mime.as_bytes());
        frame.extend_from_slice(&[0, 3, 0]);
        frame.extend_from_slice(picture);
        let mut body = b"APIC".to_vec();
        body.extend_from_slice(&u32::try_from(frame.len()).unwrap().to_be_bytes());
        body.extend_from_slice(&[0, 0]);
        body.extend(frame);
        let size = u32::try_from(body.len()).unwrap();
        let mut tag = b"ID3\x03\x00\x00".to_vec();
        tag.extend([size >> 21, size >> 14, size >> 7, size].map(|b| (b & 0x7f) as u8));
        tag.extend(body);
        tag
    }

    #[test]
    fn covers_come_from_the_file_or_its_folder() {
        let png = b"\x89PNG\r\n\x1a\n not really the rest of a png".to_vec();
        let jpeg = b"\xff\xd8\xff\xe0 and then a jpeg".to_vec();
        let dir = tempfile::tempdir().unwrap();
        for folder in ["embedded", "folder", "neither"] {
            std::fs::create_dir(dir.path().join(folder)).unwrap();
        }

        // A picture in the file wins over one in its folder.
        let mp3 = dir.path().join("embedded/song.mp3");
        tone(&mp3);
        let mut tagged = id3_with_picture("image/png", &png);
        tagged.extend(std::fs::read(&mp3).unwrap());
        std::fs::write(&mp3, tagged).unwrap();
        std::fs::write(dir.path().join("embedded/cover.jpg"), &jpeg).unwrap();
        let (track, cover) = read_tags(&mp3).unwrap();
        assert_eq!(cover, Some(("image/png".to_owned(), png.clone())));
        assert!(track.has_cover);

        // Else the folder's picture, whatever the case of its name.
        let flac = dir.path().join("folder/song.flac");
        tone(&flac);
        std::fs::write(dir.path().join("folder/Folder.JPG"), &jpeg).unwrap();
        assert_eq!(read_tags(&flac).unwrap().1, Some(("image/jpeg".to_owned(), jpeg)));

        // A "cover" that is not an image is no cover.
        let wav = dir.path().join("neither/song.wav");
        tone(&wav);
        std::fs::write(dir.path().join("neither/cover.jpg"), b"<html>not a picture</html>").unwrap();
        let (track, cover) = read_tags(&wav).unwrap();
        assert_eq!((cover, track.has_cover), (None, false));
    }
}
