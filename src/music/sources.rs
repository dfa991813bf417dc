//! Where the DJ's tracks come from, and how each one opens into a [`TrackReader`] on the player's thread:
//! library files, uploaded attachments (files under the data directory), and URLs to audio files or internet
//! radio streams fetched through the [`SafeClient`] (private addresses refused, redirects checked).
//!
//! A URL's body is pumped by a task on the async runtime into a small bounded buffer that the decoder reads on
//! the player's thread, so a slow station never blocks the runtime and a fast one never fills memory. A file
//! must fit `max_bytes`; a live stream (no length) plays until it is skipped. An HTML page at an "audio" URL is
//! refused before any decoding.
//!
//! [`Resolver`] is the seam for more sources later (a Jellyfin or Plex server, a video-site helper): each turns
//! what someone typed after `!play` into tracks, or says it is not theirs.

use std::io::Read;
use std::sync::Mutex;

use bytes::Bytes;
use reqwest::Url;
use symphonia::core::io::ReadOnlySource;

use super::pipeline::{AudioError, TrackReader};
use super::player::Opener;
use crate::fetch::{FetchError, SafeClient};

/// Chunks buffered between the network and the decoder.
const BUFFERED_CHUNKS: usize = 64;
/// What an audio URL is asked for with.
const ACCEPT_AUDIO: &str = "audio/*, application/ogg;q=0.9, */*;q=0.1";

/// Opens a file (a library track or an upload).
pub fn file(path: std::path::PathBuf) -> Opener {
    Box::new(move || {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let gone = |e: std::io::Error| {
            // The path is for the log only: chat hears that the file is gone, not where it was.
            tracing::warn!(path = %path.display(), error = %e, "a track's file cannot be opened");
            AudioError::Unsupported("the file is gone or unreadable".into())
        };
        let file = std::fs::File::open(&path).map_err(gone)?;
        if file.metadata().map_err(gone)?.len() == 0 {
            return Err(AudioError::Unsupported("the file is empty".into()));
        }
        TrackReader::open(Box::new(file), ext.as_deref())
    })
}

/// Opens an audio URL or radio stream through the safe client; `runtime` runs the network side. At most
/// `max_bytes` are read of a file with a length; a stream without one plays on.
pub fn url(client: SafeClient, runtime: tokio::runtime::Handle, url: String, max_bytes: u64) -> Opener {
    Box::new(move || {
        let parsed = Url::parse(&url).map_err(|_| AudioError::Unsupported("that is not a URL".into()))?;
        let response = runtime
            .block_on(client.open(parsed.clone(), ACCEPT_AUDIO))
            .map_err(fetch_error)?;
        let kind = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").trim().to_ascii_lowercase())
            .unwrap_or_default();
        if kind.starts_with("text/") || kind.contains("html") || kind.contains("json") {
            return Err(AudioError::Unsupported(format!(
                "that URL is a web page ({kind}), not audio"
            )));
        }
        let length = response.content_length();
        if length.is_some_and(|len| len > max_bytes) {
            return Err(AudioError::Unsupported(format!(
                "that file is larger than {} MB",
                max_bytes / 1024 / 1024
            )));
        }
        let (tx, rx) = tokio::sync::mpsc::channel(BUFFERED_CHUNKS);
        runtime.spawn(pump(response, tx, length.map(|_| max_bytes)));
        let ext = extension_hint(&kind, &parsed);
        let reader = TrackReader::open(Box::new(ReadOnlySource::new(Stream::new(rx))), ext.as_deref())?;
        // Without a length it is a stream that plays until skipped, whatever its header claims.
        Ok(if length.is_none() { reader.into_live() } else { reader })
    })
}

fn fetch_error(error: FetchError) -> AudioError {
    match error {
        FetchError::Refused(why) => AudioError::Unsupported(format!("that address is not allowed ({why})")),
        FetchError::Status(code) => AudioError::Unsupported(format!("the server answered {code}")),
        FetchError::Timeout => AudioError::Unsupported("the server did not answer in time".into()),
        other => AudioError::Unsupported(other.to_string()),
    }
}

/// A format hint from the content type, else the URL's extension.
fn extension_hint(kind: &str, url: &Url) -> Option<String> {
    let from_type = match kind {
        "audio/mpeg" | "audio/mp3" => Some("mp3"),
        "audio/flac" | "audio/x-flac" => Some("flac"),
        "audio/ogg" | "application/ogg" | "audio/vorbis" => Some("ogg"),
        "audio/opus" => Some("opus"),
        "audio/wav" | "audio/x-wav" | "audio/wave" => Some("wav"),
        "audio/aac" | "audio/aacp" => Some("aac"),
        "audio/mp4" | "audio/x-m4a" => Some("m4a"),
        _ => None,
    };
    from_type.map(str::to_owned).or_else(|| {
        url.path_segments()
            .and_then(|mut s| s.next_back().map(str::to_owned))
            .and_then(|name| name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase()))
    })
}

/// Moves the body into the buffer until it ends, the reader goes away, or `cap` bytes have passed. A full
/// buffer means the decoder is ahead of the clock: the send waits for room without blocking the runtime.
async fn pump(mut response: reqwest::Response, tx: tokio::sync::mpsc::Sender<Result<Bytes, String>>, cap: Option<u64>) {
    let mut total: u64 = 0;
    loop {
        let next = match response.chunk().await {
            Ok(Some(chunk)) => {
                total += chunk.len() as u64;
                if cap.is_some_and(|cap| total > cap) {
                    Err("the file is larger than allowed".to_owned())
                } else {
                    Ok(chunk)
                }
            }
            Ok(None) => return,
            Err(e) => Err(format!("the connection failed ({e})")),
        };
        let stop = next.is_err();
        if tx.send(next).await.is_err() || stop {
            return;
        }
    }
}

/// The decoder's side of the buffer: a blocking reader.
struct Stream {
    rx: Mutex<tokio::sync::mpsc::Receiver<Result<Bytes, String>>>,
    current: Bytes,
}

impl Stream {
    fn new(rx: tokio::sync::mpsc::Receiver<Result<Bytes, String>>) -> Self {
        Self {
            rx: Mutex::new(rx),
            current: Bytes::new(),
        }
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            // The player's thread, never a runtime thread, reads here.
            let next = self.rx.get_mut().unwrap_or_else(|e| e.into_inner()).blocking_recv();
            match next {
                Some(Ok(chunk)) => self.current = chunk,
                Some(Err(why)) => return Err(std::io::Error::other(why)),
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current[..n]);
        self.current = self.current.slice(n..);
        Ok(n)
    }
}

/// What a resolver answers, later: tracks, `None` when the query is not its to answer, or why it failed.
pub type Resolving<'a> = std::pin::Pin<Box<dyn Future<Output = Result<Option<Vec<Found>>, String>> + Send + 'a>>;

/// A source of tracks for `!play`: what was typed → tracks, `Ok(None)` when it is not this source's to answer.
pub trait Resolver: Send + Sync {
    /// Tracks for `query` (at most `limit`).
    fn resolve<'a>(&'a self, query: &'a str, limit: usize) -> Resolving<'a>;
}

/// A track a resolver found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Where it plays from.
    pub source: super::queue::Source,
    /// Title.
    pub title: String,
    /// Artist.
    pub artist: Option<String>,
    /// Album.
    pub album: Option<String>,
    /// Length, when known.
    pub duration: Option<std::time::Duration>,
    /// Where its cover art is, if it has one.
    pub cover: Option<super::queue::CoverArt>,
}

/// `http(s)://` URLs: played as they are.
pub struct UrlResolver;

impl Resolver for UrlResolver {
    fn resolve<'a>(&'a self, query: &'a str, _limit: usize) -> Resolving<'a> {
        Box::pin(async move {
            let Ok(url) = Url::parse(query.trim()) else {
                return Ok(None);
            };
            if !matches!(url.scheme(), "http" | "https") {
                return Ok(None);
            }
            let title = url
                .path_segments()
                .and_then(|mut s| s.next_back().map(str::to_owned))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| url.host_str().unwrap_or("stream").to_owned());
            Ok(Some(vec![Found {
                source: super::queue::Source::Url(url.to_string()),
                title,
                artist: None,
                album: None,
                duration: None,
                cover: None,
            }]))
        })
    }
}

/// The music library, searched by title, artist and album.
pub struct LibraryResolver {
    /// The store holding the library.
    pub store: crate::store::Store,
}

impl Resolver for LibraryResolver {
    fn resolve<'a>(&'a self, query: &'a str, limit: usize) -> Resolving<'a> {
        Box::pin(async move {
            let tracks = self
                .store
                .music_search(query.to_owned(), limit as i64)
                .await
                .map_err(|e| e.to_string())?;
            Ok(Some(
                tracks
                    .into_iter()
                    .map(|t| Found {
                        source: super::queue::Source::Library(t.path.into()),
                        title: t.title,
                        artist: t.artist,
                        album: t.album,
                        duration: t
                            .duration_ms
                            .map(|ms| std::time::Duration::from_millis(ms.max(0) as u64)),
                        cover: t.has_cover.then_some(super::queue::CoverArt::Library(t.id)),
                    })
                    .collect(),
            ))
        })
    }
}
