//! Pipeline tests on audio made here: a tone written as WAV by the test, and as MP3, FLAC, Ogg Vorbis and Ogg
//! Opus by `sox` / `opusenc` (installed by `make test`). Each must come out at 48 kHz with the tone's frequency
//! within ±2 Hz and its level within 1 dB; Opus encoding must survive a decode by libopus the same way; damaged
//! input must fail cleanly.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::*;

const TONE_HZ: f64 = 440.0;
const AMPLITUDE: f32 = 0.5;

/// A 16-bit PCM WAV file of a sine tone.
pub(crate) fn wav_tone(rate: u32, channels: u16, seconds: f64) -> Vec<u8> {
    let frames = (f64::from(rate) * seconds) as u32;
    let data_len = frames * u32::from(channels) * 2;
    let mut out = Vec::new();
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&channels.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * u32::from(channels) * 2).to_le_bytes());
    out.extend_from_slice(&(channels * 2).to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..frames {
        let t = f64::from(i) / f64::from(rate);
        let v = (f64::from(AMPLITUDE) * (2.0 * std::f64::consts::PI * TONE_HZ * t).sin() * 32767.0) as i16;
        for _ in 0..channels {
            out.extend_from_slice(&v.to_le_bytes());
        }
    }
    out
}

/// Everything a reader yields, 48 kHz stereo.
fn read_all(mut reader: TrackReader) -> Vec<f32> {
    let mut all = Vec::new();
    while let Some(frames) = reader.next_pcm().expect("decodes") {
        all.extend(frames);
    }
    all
}

fn left(frames: &[f32]) -> Vec<f32> {
    frames.iter().step_by(2).copied().collect()
}

/// The tone's frequency from interpolated upward zero crossings, skipping the first and last 100 ms.
pub(crate) fn frequency(samples: &[f32], rate: f64) -> f64 {
    let skip = (rate * 0.1) as usize;
    let body = &samples[skip..samples.len() - skip];
    let crossings: Vec<f64> = body
        .windows(2)
        .enumerate()
        .filter(|(_, w)| w[0] < 0.0 && w[1] >= 0.0)
        .map(|(i, w)| i as f64 + f64::from(w[0] / (w[0] - w[1])))
        .collect();
    let periods = (crossings.len() - 1) as f64;
    rate * periods / (crossings[crossings.len() - 1] - crossings[0])
}

pub(crate) fn level_db(samples: &[f32]) -> f64 {
    let skip = samples.len() / 10;
    let body = &samples[skip..samples.len() - skip];
    let rms = (body.iter().map(|s| f64::from(*s).powi(2)).sum::<f64>() / body.len() as f64).sqrt();
    20.0 * rms.log10()
}

/// The level of the test tone: a sine's RMS is its amplitude over √2.
fn expected_db() -> f64 {
    20.0 * (f64::from(AMPLITUDE) / 2f64.sqrt()).log10()
}

fn check_tone(name: &str, pcm: &[f32], seconds: f64) {
    let left = left(pcm);
    let expected_frames = seconds * 48_000.0;
    assert!(
        (left.len() as f64 - expected_frames).abs() < 48_000.0 * 0.08,
        "{name}: {} frames at 48 kHz, expected about {expected_frames}",
        left.len()
    );
    let hz = frequency(&left, 48_000.0);
    assert!((hz - TONE_HZ).abs() <= 2.0, "{name}: {hz} Hz");
    let db = level_db(&left);
    assert!(
        (db - expected_db()).abs() <= 1.0,
        "{name}: {db:.2} dB, expected {:.2}",
        expected_db()
    );
}

#[test]
fn wav_at_44_1_khz_is_resampled_to_48_khz() {
    let wav = wav_tone(44_100, 2, 2.0);
    let reader = TrackReader::open(Box::new(Cursor::new(wav)), Some("wav")).expect("opens");
    check_tone("wav 44.1k", &read_all(reader), 2.0);
    let mono = wav_tone(22_050, 1, 1.0);
    let reader = TrackReader::open(Box::new(Cursor::new(mono)), Some("wav")).expect("opens");
    let pcm = read_all(reader);
    check_tone("mono wav 22.05k", &pcm, 1.0);
    assert_eq!(pcm[1000], pcm[1001], "mono plays on both sides");
}

/// Writes the tone with sox (or opusenc) in `format` and returns the file.
fn encoded(dir: &Path, format: &str) -> PathBuf {
    let wav = dir.join("tone.wav");
    std::fs::write(&wav, wav_tone(44_100, 2, 2.0)).unwrap();
    let out = dir.join(format!("tone.{format}"));
    let status = if format == "opus" {
        Command::new("opusenc").args(["--quiet"]).arg(&wav).arg(&out).status()
    } else {
        Command::new("sox").arg(&wav).arg(&out).status()
    };
    let status =
        status.unwrap_or_else(|e| panic!("sox/opusenc are needed for this test (make test installs them): {e}"));
    assert!(status.success(), "encoding {format} failed");
    out
}

#[test]
fn every_format_decodes_to_the_same_tone() {
    let dir = tempfile::tempdir().unwrap();
    for format in ["mp3", "flac", "ogg", "opus"] {
        let path = encoded(dir.path(), format);
        let file = std::fs::File::open(&path).unwrap();
        let reader = TrackReader::open(Box::new(file), Some(format)).unwrap_or_else(|e| panic!("{format}: {e}"));
        check_tone(format, &read_all(reader), 2.0);
    }
}

#[test]
fn opus_encoding_survives_a_decode_by_libopus() {
    let wav = wav_tone(48_000, 2, 2.0);
    let pcm = read_all(TrackReader::open(Box::new(Cursor::new(wav)), Some("wav")).unwrap());
    let mut encoder = OpusFrames::new(128_000).unwrap();
    let mut packets = encoder.push(&pcm).unwrap();
    packets.extend(encoder.finish().unwrap());
    assert_eq!(packets.len(), 100, "2 s in 20 ms packets");
    let mut decoder = audiopus::coder::Decoder::new(audiopus::SampleRate::Hz48000, audiopus::Channels::Stereo).unwrap();
    let mut decoded = Vec::new();
    for packet in &packets {
        let mut out = vec![0f32; FRAME * 2];
        let input = audiopus::packet::Packet::try_from(&packet[..]).unwrap();
        let signals = audiopus::MutSignals::try_from(&mut out[..]).unwrap();
        let n = decoder.decode_float(Some(input), signals, false).unwrap();
        decoded.extend_from_slice(&out[..n * 2]);
    }
    check_tone("opus round trip", &decoded, 2.0);
}

#[test]
fn damaged_input_fails_cleanly() {
    let wav = wav_tone(44_100, 2, 1.0);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("html", b"<!doctype html><html><body>not audio</body></html>".to_vec()),
        (
            "noise",
            (0..50_000u32)
                .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
                .collect(),
        ),
        ("header only", wav[..44].to_vec()),
    ];
    for (name, bytes) in cases {
        let result = TrackReader::open(Box::new(Cursor::new(bytes)), None).and_then(|r| {
            let mut r = r;
            while r.next_pcm()?.is_some() {}
            Ok(())
        });
        assert!(result.is_err(), "{name} must be refused");
    }
    // A truncated file plays what it has.
    let truncated = wav[..wav.len() / 2].to_vec();
    let pcm = read_all(TrackReader::open(Box::new(Cursor::new(truncated)), Some("wav")).unwrap());
    assert!(!pcm.is_empty());
}

#[test]
fn seeking_jumps_without_decoding_from_the_top() {
    let dir = tempfile::tempdir().unwrap();
    let path = encoded(dir.path(), "flac");
    let mut reader = TrackReader::open(Box::new(std::fs::File::open(&path).unwrap()), Some("flac")).unwrap();
    assert!(reader.duration().is_some_and(|d| (d.as_secs_f64() - 2.0).abs() < 0.05));
    reader.seek(std::time::Duration::from_millis(1500)).unwrap();
    let rest = read_all(reader);
    let seconds = rest.len() as f64 / 2.0 / 48_000.0;
    assert!((seconds - 0.5).abs() < 0.1, "{seconds} s left after seeking to 1.5 s");
}

#[test]
fn clips_are_decoded_whole_and_bounded() {
    let clip = clip::decode(wav_tone(44_100, 1, 1.0), std::time::Duration::from_millis(5_200)).unwrap();
    assert_eq!(clip.content_type, "audio/wav");
    assert!((clip.duration.as_secs_f64() - 1.0).abs() < 0.05, "{:?}", clip.duration);
    assert_eq!(clip.pcm.len() % 2, 0);
    // Past the limit: refused while decoding.
    let long = clip::decode(wav_tone(8_000, 1, 6.0), std::time::Duration::from_millis(5_200));
    assert!(matches!(long, Err(AudioError::Unsupported(_))), "{long:?}");
    // Not audio, whatever it is called.
    assert!(clip::decode(b"<html>not a sound</html>".to_vec(), std::time::Duration::from_secs(5)).is_err());
    assert_eq!(clip::sniff(b"ID3\x04\0"), Some("audio/mpeg"));
    assert_eq!(clip::sniff(b"OggS\0\x02"), Some("audio/ogg"));
    assert_eq!(clip::sniff(b"\x89PNG\r\n"), None);
}
