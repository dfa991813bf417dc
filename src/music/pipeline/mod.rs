//! The DJ's audio pipeline: [`decode::Decoder`] (symphonia; libopus for Ogg Opus) → stereo → [`resample::To48k`]
//! (rubato) → [`gain::Gain`] (volume with a ramp) → [`encode::OpusFrames`] (20 ms Opus packets, libopus linked
//! statically).
//!
//! [`TrackReader`] is one track as 48 kHz stereo; the player keeps one gain stage and one encoder across tracks,
//! so one track's tail and the next one's head share a packet (gapless). Everything here is synchronous and
//! runs on a blocking thread.

pub mod clip;
pub mod decode;
pub mod encode;
pub mod gain;
pub mod resample;

use std::time::Duration;

use symphonia::core::io::MediaSource;

pub use decode::Decoder;
pub use encode::{FRAME, OpusFrames};
pub use gain::Gain;
pub use resample::{RATE, To48k};

/// Why audio could not be played.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AudioError {
    /// Not a format or codec spot reads.
    #[error("{0}")]
    Unsupported(String),
    /// The data is damaged.
    #[error("the file is damaged: {0}")]
    Corrupt(String),
    /// Seeking failed.
    #[error("cannot seek here: {0}")]
    Seek(String),
    /// The encoder failed.
    #[error("encoding failed: {0}")]
    Encode(String),
}

/// Runs a decoding step so that a panic inside a decoder becomes an error for this one track. symphonia's
/// parsers have panicked on hostile files (a WAV format chunk whose sizes overflow a multiplication, found by
/// `make fuzz`); the DJ must say the file is damaged and go on playing, not lose its thread.
pub fn contained<T>(step: impl FnOnce() -> Result<T, AudioError>) -> Result<T, AudioError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(step)).unwrap_or_else(|_| {
        tracing::warn!("an audio decoder panicked on a damaged file");
        Err(AudioError::Corrupt("the decoder could not read it".into()))
    })
}

/// One track, decoded and resampled to 48 kHz stereo.
pub struct TrackReader {
    decoder: Decoder,
    resampler: To48k,
    finished: bool,
    live: bool,
}

impl TrackReader {
    /// Opens a track; `extension` helps recognise its format.
    pub fn open(source: Box<dyn MediaSource>, extension: Option<&str>) -> Result<Self, AudioError> {
        let decoder = Decoder::open(source, extension)?;
        let resampler = To48k::new(decoder.rate())?;
        Ok(Self {
            decoder,
            resampler,
            finished: false,
            live: false,
        })
    }

    /// Marks the track as a live stream: whatever length its header claims (a radio station's WAV or Ogg
    /// header often claims the most it can), it has none.
    pub fn into_live(mut self) -> Self {
        self.live = true;
        self
    }

    /// The track's length, when known (never for a live stream).
    pub fn duration(&self) -> Option<Duration> {
        if self.live { None } else { self.decoder.duration() }
    }

    /// The next 48 kHz stereo frames (interleaved), or `None` once the track is over.
    pub fn next_pcm(&mut self) -> Result<Option<Vec<f32>>, AudioError> {
        loop {
            if self.finished {
                return Ok(None);
            }
            match self.decoder.next_frames()? {
                Some(frames) => {
                    let ready = self.resampler.push(&frames)?;
                    if !ready.is_empty() {
                        return Ok(Some(ready));
                    }
                }
                None => {
                    self.finished = true;
                    let tail = self.resampler.finish()?;
                    return Ok((!tail.is_empty()).then_some(tail));
                }
            }
        }
    }

    /// Jumps to `position` (the resampler starts afresh).
    pub fn seek(&mut self, position: Duration) -> Result<(), AudioError> {
        self.decoder.seek(position)?;
        self.resampler = To48k::new(self.decoder.rate())?;
        self.finished = false;
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests;
