//! Opus encoding in 20 ms frames (960 stereo frames at 48 kHz), the packet size WebRTC voice uses.

use audiopus::coder::Encoder;
use audiopus::{Application, Bitrate, Channels, SampleRate};

use super::AudioError;

/// Stereo frames per Opus packet.
pub const FRAME: usize = 960;
/// Largest encoded packet we accept from libopus.
const MAX_PACKET: usize = 4000;

/// Buffers 48 kHz stereo frames and encodes them 20 ms at a time.
pub struct OpusFrames {
    encoder: Encoder,
    pending: Vec<f32>,
    out: Vec<u8>,
}

impl OpusFrames {
    /// An encoder for music at `bitrate` bits per second, at libopus's default complexity (10).
    pub fn new(bitrate: i32) -> Result<Self, AudioError> {
        Self::with_complexity(bitrate, 10)
    }

    /// An encoder with a chosen complexity (0–10: lower is faster; at music bitrates the difference is hard
    /// to hear).
    pub fn with_complexity(bitrate: i32, complexity: u8) -> Result<Self, AudioError> {
        let mut encoder = Encoder::new(SampleRate::Hz48000, Channels::Stereo, Application::Audio)
            .map_err(|e| AudioError::Encode(e.to_string()))?;
        encoder
            .set_bitrate(Bitrate::BitsPerSecond(bitrate))
            .map_err(|e| AudioError::Encode(e.to_string()))?;
        encoder
            .set_complexity(complexity.min(10))
            .map_err(|e| AudioError::Encode(e.to_string()))?;
        Ok(Self {
            encoder,
            pending: Vec::with_capacity(FRAME * 4),
            out: vec![0; MAX_PACKET],
        })
    }

    /// Adds frames; returns every whole 20 ms packet now ready.
    pub fn push(&mut self, frames: &[f32]) -> Result<Vec<Vec<u8>>, AudioError> {
        self.pending.extend_from_slice(frames);
        let mut packets = Vec::new();
        while self.pending.len() >= FRAME * 2 {
            packets.push(self.encode_one()?);
        }
        Ok(packets)
    }

    /// Pads the last partial frame with silence and encodes it.
    pub fn finish(&mut self) -> Result<Option<Vec<u8>>, AudioError> {
        if self.pending.is_empty() {
            return Ok(None);
        }
        self.pending.resize(FRAME * 2, 0.0);
        self.encode_one().map(Some)
    }

    fn encode_one(&mut self) -> Result<Vec<u8>, AudioError> {
        let len = self
            .encoder
            .encode_float(&self.pending[..FRAME * 2], &mut self.out)
            .map_err(|e| AudioError::Encode(e.to_string()))?;
        self.pending.drain(..FRAME * 2);
        Ok(self.out[..len].to_vec())
    }
}
