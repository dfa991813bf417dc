//! Resampling to 48 kHz, the only rate Opus and WebRTC want, with rubato's FFT resampler (the input and output
//! rates are fixed per track, which is what it is built for). Input arrives in runs of any length; a small FIFO
//! feeds the resampler whole chunks. At 48 kHz already, frames pass straight through.

use audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler};

use super::AudioError;

/// The output rate.
pub const RATE: u32 = 48_000;
/// Input frames per resampler call.
const CHUNK: usize = 1024;

/// Stereo frames at any rate in, stereo frames at 48 kHz out.
pub struct To48k {
    inner: Option<Fft<f32>>,
    pending: Vec<f32>,
    out: Vec<f32>,
}

impl To48k {
    /// A resampler from `rate`.
    pub fn new(rate: u32) -> Result<Self, AudioError> {
        let inner = if rate == RATE {
            None
        } else {
            let fft = Fft::<f32>::new(rate as usize, RATE as usize, CHUNK, 1, 2, FixedSync::Input)
                .map_err(|e| AudioError::Unsupported(format!("cannot resample from {rate} Hz ({e})")))?;
            Some(fft)
        };
        Ok(Self {
            inner,
            pending: Vec::new(),
            out: Vec::new(),
        })
    }

    /// Feeds interleaved stereo frames; returns what is ready at 48 kHz (possibly nothing yet).
    pub fn push(&mut self, frames: &[f32]) -> Result<Vec<f32>, AudioError> {
        let Some(fft) = self.inner.as_mut() else {
            return Ok(frames.to_vec());
        };
        self.pending.extend_from_slice(frames);
        let mut ready = Vec::new();
        loop {
            let need = fft.input_frames_next();
            if self.pending.len() < need * 2 {
                break;
            }
            let produced = process(fft, &self.pending[..need * 2], need, &mut self.out)?;
            ready.extend_from_slice(&self.out[..produced * 2]);
            self.pending.drain(..need * 2);
        }
        Ok(ready)
    }

    /// Flushes what is left at the end of a track (padded with silence to a whole chunk).
    pub fn finish(&mut self) -> Result<Vec<f32>, AudioError> {
        let Some(fft) = self.inner.as_mut() else {
            return Ok(Vec::new());
        };
        if self.pending.is_empty() {
            return Ok(Vec::new());
        }
        let need = fft.input_frames_next();
        let real = self.pending.len() / 2;
        self.pending.resize(need * 2, 0.0);
        let produced = process(fft, &self.pending, need, &mut self.out)?;
        self.pending.clear();
        // Keep only the share of output that corresponds to real input.
        let keep =
            ((real as f64) * f64::from(RATE) / (need as f64) * (produced as f64) / f64::from(RATE)).round() as usize;
        Ok(self.out[..keep.min(produced) * 2].to_vec())
    }
}

fn process(fft: &mut Fft<f32>, input: &[f32], frames: usize, out: &mut Vec<f32>) -> Result<usize, AudioError> {
    let out_frames = fft.output_frames_next();
    out.resize(out_frames * 2, 0.0);
    let input = InterleavedSlice::new(input, 2, frames).map_err(|e| AudioError::Corrupt(e.to_string()))?;
    let mut output =
        InterleavedSlice::new_mut(&mut out[..], 2, out_frames).map_err(|e| AudioError::Corrupt(e.to_string()))?;
    let (_, produced) = fft
        .process_into_buffer(&input, &mut output, None)
        .map_err(|e| AudioError::Corrupt(format!("resampling failed ({e})")))?;
    Ok(produced)
}
