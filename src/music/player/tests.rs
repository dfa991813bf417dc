//! The player against a sink that records when each packet arrives and decodes it back: real-time pace,
//! gapless track changes, pause and resume, skip, volume, and tracks that fail to open.

use std::io::Cursor;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::*;
use crate::music::pipeline::FRAME;
use crate::music::pipeline::tests::{frequency, level_db, wav_tone};

/// Packets with the time each arrived.
type Received = Vec<(Instant, Vec<u8>)>;

#[derive(Clone, Default)]
struct Recorder {
    packets: Arc<Mutex<Received>>,
}

impl AudioSink for Recorder {
    fn send(&mut self, packet: &[u8]) -> bool {
        self.packets.lock().unwrap().push((Instant::now(), packet.to_vec()));
        true
    }
}

impl Recorder {
    fn count(&self) -> usize {
        self.packets.lock().unwrap().len()
    }

    /// Everything received so far, decoded to 48 kHz stereo (left channel).
    fn decoded_left(&self, from: usize) -> Vec<f32> {
        let mut decoder =
            audiopus::coder::Decoder::new(audiopus::SampleRate::Hz48000, audiopus::Channels::Stereo).unwrap();
        let mut left = Vec::new();
        for (_, packet) in self.packets.lock().unwrap().iter().skip(from) {
            let mut out = vec![0f32; FRAME * 2];
            let input = audiopus::packet::Packet::try_from(&packet[..]).unwrap();
            let signals = audiopus::MutSignals::try_from(&mut out[..]).unwrap();
            let n = decoder.decode_float(Some(input), signals, false).unwrap();
            left.extend(out[..n * 2].iter().step_by(2));
        }
        left
    }
}

fn tone(id: u64, seconds: f64) -> Track {
    Track {
        id,
        open: Box::new(move || TrackReader::open(Box::new(Cursor::new(wav_tone(48_000, 2, seconds))), Some("wav"))),
    }
}

fn wait_for(events: &Receiver<PlayerEvent>, wanted: &PlayerEvent) {
    let end = Instant::now() + Duration::from_secs(5);
    while Instant::now() < end {
        if let Ok(event) = events.recv_timeout(Duration::from_millis(100))
            && &event == wanted
        {
            return;
        }
    }
    panic!("no {wanted:?}");
}

#[test]
fn plays_in_real_time_and_gapless() {
    let sink = Recorder::default();
    let (player, events) = Player::start(sink.clone(), 1.0).unwrap();
    let started = Instant::now();
    player.send(Control::Play(tone(1, 0.5)));
    player.send(Control::SetNext(Some(tone(2, 0.5))));
    wait_for(&events, &PlayerEvent::Started(1, Some(Duration::from_millis(500))));
    wait_for(&events, &PlayerEvent::Ended(1));
    wait_for(&events, &PlayerEvent::Started(2, Some(Duration::from_millis(500))));
    wait_for(&events, &PlayerEvent::Ended(2));
    std::thread::sleep(Duration::from_millis(150));
    let elapsed = started.elapsed();
    let packets = sink.packets.lock().unwrap().clone();
    assert!(
        (50..=52).contains(&packets.len()),
        "{} packets for 1 s of audio",
        packets.len()
    );
    let span = packets.last().unwrap().0 - packets.first().unwrap().0;
    assert!(
        span >= Duration::from_millis(900),
        "paced over {span:?}, not all at once"
    );
    assert!(elapsed < Duration::from_secs(3), "took {elapsed:?}");
    let left = sink.decoded_left(0);
    let hz = frequency(&left, 48_000.0);
    assert!((hz - 440.0).abs() < 2.0, "{hz} Hz across the track change");
}

#[test]
fn pause_resume_volume_and_skip() {
    let sink = Recorder::default();
    let (player, events) = Player::start(sink.clone(), 1.0).unwrap();
    player.send(Control::Play(tone(1, 3.0)));
    wait_for(&events, &PlayerEvent::Started(1, Some(Duration::from_secs(3))));
    std::thread::sleep(Duration::from_millis(300));
    player.send(Control::Pause);
    std::thread::sleep(Duration::from_millis(200));
    let at_pause = sink.count();
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(sink.count(), at_pause, "nothing is sent while paused");

    player.send(Control::Volume(0.1));
    player.send(Control::Resume);
    std::thread::sleep(Duration::from_millis(500));
    let quiet_from = at_pause + 3;
    let quiet = level_db(&sink.decoded_left(quiet_from));
    let loud = level_db(&sink.decoded_left(0)[..48_000 / 5]);
    assert!(
        (loud - quiet - 20.0).abs() < 2.0,
        "volume 10% is 20 dB down: {loud:.1} → {quiet:.1}"
    );

    player.send(Control::SetNext(Some(tone(2, 0.3))));
    player.send(Control::Skip);
    wait_for(&events, &PlayerEvent::Ended(1));
    wait_for(&events, &PlayerEvent::Started(2, Some(Duration::from_millis(300))));
    wait_for(&events, &PlayerEvent::Ended(2));
}

#[test]
fn a_track_that_cannot_open_is_reported_and_the_next_plays() {
    let sink = Recorder::default();
    let (player, events) = Player::start(sink.clone(), 1.0).unwrap();
    let broken = Track {
        id: 7,
        open: Box::new(|| TrackReader::open(Box::new(Cursor::new(b"<html>nope</html>".to_vec())), None)),
    };
    // The DJ sends the next track just after the one to play; this one fails before it arrives, so the next
    // one must start as soon as it does (nothing else would end to make room for it).
    player.send(Control::Play(broken));
    player.send(Control::SetNext(Some(tone(8, 0.2))));
    let end = Instant::now() + Duration::from_secs(5);
    let mut failed = false;
    while Instant::now() < end {
        match events.recv_timeout(Duration::from_millis(100)) {
            Ok(PlayerEvent::Failed(7, why)) => {
                assert!(why.contains("not an audio file"), "{why}");
                failed = true;
            }
            Ok(PlayerEvent::Started(8, _)) => break,
            _ => {}
        }
    }
    assert!(failed, "the broken track was reported");
    wait_for(&events, &PlayerEvent::Ended(8));
    // Events run up to 100 ms ahead of the sound (the packets decoded ahead); let those play out.
    std::thread::sleep(Duration::from_millis(250));
    drop(player);
    assert!(sink.count() >= 10);
}

/// A clip as the soundboard hands it over: 48 kHz stereo samples of a tone.
fn clip(seconds: f64, hz: f64, amplitude: f32) -> Vec<f32> {
    (0..(48_000.0 * seconds) as usize)
        .flat_map(|i| {
            let v = amplitude * (2.0 * std::f64::consts::PI * hz * i as f64 / 48_000.0).sin() as f32;
            [v, v]
        })
        .collect()
}

#[test]
fn effects_play_over_silence_and_over_music() {
    // Nothing plays: the effect alone, in real time, then EffectsDone.
    let sink = Recorder::default();
    let (player, events) = Player::start(sink.clone(), 1.0).unwrap();
    player.send(Control::Effect(clip(0.5, 440.0, 0.5), 1.0));
    wait_for(&events, &PlayerEvent::EffectsDone);
    std::thread::sleep(Duration::from_millis(200));
    let packets = sink.count();
    assert!((24..=27).contains(&packets), "{packets} packets for a 0.5 s effect");
    let hz = frequency(&sink.decoded_left(0), 48_000.0);
    assert!((hz - 440.0).abs() < 2.0, "{hz} Hz");
    // The effect's level is its own: half volume is 6 dB down.
    let quiet_sink = Recorder::default();
    let (quiet, quiet_events) = Player::start(quiet_sink.clone(), 1.0).unwrap();
    quiet.send(Control::Effect(clip(0.5, 440.0, 0.5), 0.5));
    wait_for(&quiet_events, &PlayerEvent::EffectsDone);
    std::thread::sleep(Duration::from_millis(200));
    let drop = level_db(&sink.decoded_left(0)) - level_db(&quiet_sink.decoded_left(0));
    assert!((drop - 6.0).abs() < 1.0, "{drop:.1} dB");

    // Over music that plays on: the packets carry both, and the track is not slowed.
    let sink = Recorder::default();
    let (player, events) = Player::start(sink.clone(), 1.0).unwrap();
    player.send(Control::Play(tone(1, 1.0)));
    wait_for(&events, &PlayerEvent::Started(1, Some(Duration::from_secs(1))));
    player.send(Control::Effect(clip(0.3, 1000.0, 0.3), 1.0));
    wait_for(&events, &PlayerEvent::EffectsDone);
    wait_for(&events, &PlayerEvent::Ended(1));
    std::thread::sleep(Duration::from_millis(150));
    let packets = sink.count();
    assert!((50..=52).contains(&packets), "{packets} packets: the effect added none");
    let left = sink.decoded_left(0);
    let music_only = level_db(&left[left.len() - 48_000 / 5..]);
    let peak_with_effect = (0..left.len() / 960)
        .map(|i| level_db(&left[i * 960..(i + 1) * 960]))
        .fold(f64::MIN, f64::max);
    assert!(
        peak_with_effect > music_only + 1.0,
        "mixed: {peak_with_effect:.1} vs {music_only:.1} dB"
    );
}
