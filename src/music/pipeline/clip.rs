//! Short sounds decoded whole: the soundboard's clips. An upload is recognised by its bytes (MP3, Ogg or WAV,
//! whatever its name says), decoded through the same pipeline as tracks to 48 kHz stereo, and refused as soon
//! as it runs past the limit, so a hostile "5-second" file cannot make the server decode an hour.

use std::io::Cursor;
use std::time::Duration;

use super::{AudioError, RATE, TrackReader};

/// A decoded clip.
#[derive(Debug, Clone)]
pub struct Clip {
    /// 48 kHz stereo, interleaved.
    pub pcm: Vec<f32>,
    /// Its length.
    pub duration: Duration,
    /// Its type, from its bytes.
    pub content_type: &'static str,
}

/// The type of an MP3, Ogg or WAV file, by its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    match bytes {
        [b'O', b'g', b'g', b'S', ..] => Some("audio/ogg"),
        [b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'A', b'V', b'E', ..] => Some("audio/wav"),
        [b'I', b'D', b'3', ..] => Some("audio/mpeg"),
        // An MPEG audio frame sync (11 set bits) with layer III.
        [0xFF, second, ..] if second & 0xE0 == 0xE0 && second & 0x06 == 0x02 => Some("audio/mpeg"),
        _ => None,
    }
}

/// Decodes `bytes` whole; refuses anything that is not MP3, Ogg or WAV, or that lasts longer than `max`.
pub fn decode(bytes: Vec<u8>, max: Duration) -> Result<Clip, AudioError> {
    let content_type = sniff(&bytes).ok_or_else(|| AudioError::Unsupported("not an MP3, Ogg or WAV file".into()))?;
    let extension = match content_type {
        "audio/ogg" => "ogg",
        "audio/wav" => "wav",
        _ => "mp3",
    };
    let mut reader = TrackReader::open(Box::new(Cursor::new(bytes)), Some(extension))?;
    let limit = (max.as_secs_f64() * f64::from(RATE)) as usize * 2;
    let mut pcm = Vec::new();
    while let Some(chunk) = super::contained(|| reader.next_pcm())? {
        pcm.extend_from_slice(&chunk);
        if pcm.len() > limit {
            return Err(AudioError::Unsupported(format!(
                "longer than {:.1} seconds",
                max.as_secs_f64()
            )));
        }
    }
    if pcm.is_empty() {
        return Err(AudioError::Corrupt("it holds no sound".into()));
    }
    let duration = Duration::from_secs_f64(pcm.len() as f64 / 2.0 / f64::from(RATE));
    Ok(Clip {
        pcm,
        duration,
        content_type,
    })
}

/// [`decode`] on a blocking thread (never on the async runtime's).
pub async fn decode_off_thread(bytes: Vec<u8>, max: Duration) -> Result<Clip, AudioError> {
    tokio::task::spawn_blocking(move || decode(bytes, max))
        .await
        .unwrap_or_else(|e| Err(AudioError::Corrupt(format!("the decoder stopped: {e}"))))
}
