//! Decoding any supported file or stream into stereo `f32` frames at its own sample rate: symphonia demuxes and
//! decodes MP3, FLAC, Ogg Vorbis, WAV, AAC/M4A and ALAC; Ogg Opus packets are decoded with libopus (symphonia
//! has no Opus decoder). Mono is duplicated to both sides, more than two channels are folded down to stereo.
//!
//! Corrupt packets are skipped (a glitch, not the end of the track); a file that yields nothing decodable is
//! an error. This runs on a blocking thread: it reads and decodes synchronously.

use std::time::Duration;

use audiopus::coder::GenericCtl;
use symphonia::core::codecs::audio::well_known::CODEC_ID_OPUS;
use symphonia::core::codecs::audio::{AudioDecoder, AudioDecoderOptions};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, FormatReader, SeekMode, SeekTo, TrackType};
use symphonia::core::io::{MediaSource, MediaSourceStream};
use symphonia::core::meta::MetadataOptions;
use symphonia::core::units::Time;

use super::AudioError;

/// Longest run of undecodable packets before a source is given up as corrupt.
const MAX_BAD_PACKETS: usize = 64;

/// A source being decoded.
pub struct Decoder {
    format: Box<dyn FormatReader>,
    codec: Codec,
    track_id: u32,
    rate: u32,
    channels: usize,
    duration: Option<Duration>,
    scratch: Vec<f32>,
    decoded_any: bool,
}

enum Codec {
    Symphonia(Box<dyn AudioDecoder>),
    Opus(audiopus::coder::Decoder),
}

impl Decoder {
    /// Opens `source`; `extension` (e.g. `mp3`) helps the probe when the bytes are ambiguous.
    pub fn open(source: Box<dyn MediaSource>, extension: Option<&str>) -> Result<Self, AudioError> {
        super::contained(|| Self::open_unguarded(source, extension))
    }

    fn open_unguarded(source: Box<dyn MediaSource>, extension: Option<&str>) -> Result<Self, AudioError> {
        let stream = MediaSourceStream::new(source, Default::default());
        let mut hint = Hint::new();
        if let Some(ext) = extension {
            hint.with_extension(ext);
        }
        let format = symphonia::default::get_probe()
            .probe(&hint, stream, FormatOptions::default(), MetadataOptions::default())
            .map_err(|e| {
                tracing::debug!(error = %e, "no format reader for a track");
                AudioError::Unsupported("not an audio file spot can read".into())
            })?;
        let track = format
            .default_track(TrackType::Audio)
            .ok_or_else(|| AudioError::Unsupported("the file has no audio track".into()))?;
        let params = track
            .codec_params
            .as_ref()
            .and_then(|p| p.audio())
            .ok_or_else(|| AudioError::Unsupported("the audio track has no codec parameters".into()))?
            .clone();
        let track_id = track.id;
        let duration = match (track.num_frames, track.time_base) {
            (Some(frames), Some(base)) => symphonia::core::units::Timestamp::try_from(frames)
                .ok()
                .and_then(|ts| base.calc_time(ts))
                .map(|t| t.as_secs_f64())
                .filter(|secs| secs.is_finite() && *secs >= 0.0)
                .map(Duration::from_secs_f64),
            _ => None,
        };
        let channels = params.channels.as_ref().map_or(2, |c| c.count()).max(1);
        let (codec, rate) = if params.codec == CODEC_ID_OPUS {
            // Opus always decodes at 48 kHz; stereo output covers mono and stereo streams alike.
            let decoder = audiopus::coder::Decoder::new(audiopus::SampleRate::Hz48000, audiopus::Channels::Stereo)
                .map_err(|e| AudioError::Unsupported(format!("cannot decode Opus ({e})")))?;
            (Codec::Opus(decoder), 48_000)
        } else {
            let decoder = symphonia::default::get_codecs()
                .make_audio_decoder(&params, &AudioDecoderOptions::default())
                .map_err(|e| {
                    tracing::debug!(error = %e, codec = ?params.codec, "no decoder for a track");
                    AudioError::Unsupported("its audio codec is not one spot can play".into())
                })?;
            let rate = params
                .sample_rate
                .ok_or_else(|| AudioError::Unsupported("the track has no sample rate".into()))?;
            (Codec::Symphonia(decoder), rate)
        };
        if !(8_000..=384_000).contains(&rate) {
            return Err(AudioError::Unsupported(format!("a sample rate of {rate} Hz")));
        }
        let channels = if matches!(codec, Codec::Opus(_)) { 2 } else { channels };
        Ok(Self {
            format,
            codec,
            track_id,
            rate,
            channels,
            duration,
            scratch: Vec::new(),
            decoded_any: false,
        })
    }

    /// The source's sample rate.
    pub fn rate(&self) -> u32 {
        self.rate
    }

    /// The length, when the container says.
    pub fn duration(&self) -> Option<Duration> {
        self.duration
    }

    /// The next run of stereo frames (interleaved L, R), or `None` at the end.
    pub fn next_frames(&mut self) -> Result<Option<Vec<f32>>, AudioError> {
        super::contained(|| self.next_frames_unguarded())
    }

    fn next_frames_unguarded(&mut self) -> Result<Option<Vec<f32>>, AudioError> {
        let mut bad = 0;
        loop {
            let packet = match self.format.next_packet() {
                Ok(Some(packet)) => packet,
                Ok(None) => return self.finished(),
                Err(SymphoniaError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
                    return self.finished();
                }
                Err(SymphoniaError::ResetRequired) => return self.finished(),
                Err(e) => {
                    bad += 1;
                    if bad > MAX_BAD_PACKETS {
                        return Err(AudioError::Corrupt(format!("unreadable data ({e})")));
                    }
                    continue;
                }
            };
            if packet.track_id != self.track_id {
                continue;
            }
            match self.decode(&packet.data, &packet) {
                Ok(Some(frames)) => {
                    self.decoded_any = true;
                    return Ok(Some(frames));
                }
                Ok(None) => {}
                Err(e) => {
                    bad += 1;
                    if bad > MAX_BAD_PACKETS {
                        return Err(e);
                    }
                }
            }
        }
    }

    fn finished(&self) -> Result<Option<Vec<f32>>, AudioError> {
        if self.decoded_any {
            Ok(None)
        } else {
            Err(AudioError::Corrupt("no audio could be decoded".into()))
        }
    }

    fn decode(
        &mut self,
        data: &[u8],
        packet: &symphonia::core::packet::Packet,
    ) -> Result<Option<Vec<f32>>, AudioError> {
        match &mut self.codec {
            Codec::Opus(decoder) => {
                // 120 ms is the longest Opus packet.
                let mut out = vec![0f32; 5760 * 2];
                let packet = audiopus::packet::Packet::try_from(data)
                    .map_err(|e| AudioError::Corrupt(format!("bad Opus packet ({e})")))?;
                let signals = audiopus::MutSignals::try_from(&mut out[..])
                    .map_err(|e| AudioError::Corrupt(format!("Opus buffer ({e})")))?;
                let frames = decoder
                    .decode_float(Some(packet), signals, false)
                    .map_err(|e| AudioError::Corrupt(format!("bad Opus packet ({e})")))?;
                out.truncate(frames * 2);
                Ok((!out.is_empty()).then_some(out))
            }
            Codec::Symphonia(decoder) => {
                let buffer = decoder
                    .decode(packet)
                    .map_err(|e| AudioError::Corrupt(format!("bad audio packet ({e})")))?;
                let frames = buffer.frames();
                if frames == 0 {
                    return Ok(None);
                }
                let channels = buffer.spec().channels().count().max(1);
                self.channels = channels;
                self.scratch.resize(frames * channels, 0.0);
                buffer.copy_to_slice_interleaved(&mut self.scratch[..]);
                Ok(Some(to_stereo(&self.scratch, channels)))
            }
        }
    }

    /// Jumps to `position` without decoding from the top, where the container allows it.
    pub fn seek(&mut self, position: Duration) -> Result<(), AudioError> {
        let time = Time::try_from_secs_f64(position.as_secs_f64())
            .ok_or_else(|| AudioError::Seek("position out of range".into()))?;
        self.format
            .seek(
                SeekMode::Coarse,
                SeekTo::Time {
                    time,
                    track_id: Some(self.track_id),
                },
            )
            .map_err(|e| AudioError::Seek(e.to_string()))?;
        match &mut self.codec {
            Codec::Symphonia(decoder) => decoder.reset(),
            Codec::Opus(decoder) => {
                let _ = decoder.reset_state();
            }
        }
        Ok(())
    }
}

/// Interleaved frames of `channels` channels as stereo: mono doubled, the first two of more kept with the rest
/// mixed in at half level.
pub fn to_stereo(samples: &[f32], channels: usize) -> Vec<f32> {
    match channels {
        2 => samples.to_vec(),
        1 => samples.iter().flat_map(|s| [*s, *s]).collect(),
        n => samples
            .chunks_exact(n)
            .flat_map(|frame| {
                let rest: f32 = frame[2..].iter().sum::<f32>() * 0.5 / (n - 2) as f32;
                [(frame[0] + rest).clamp(-1.0, 1.0), (frame[1] + rest).clamp(-1.0, 1.0)]
            })
            .collect(),
    }
}
