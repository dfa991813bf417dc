//! One voice room's player: a dedicated thread that decodes the current track, applies the volume, encodes
//! 20 ms Opus packets and hands them to an [`AudioSink`] in real time (absolute deadlines, so the pace never
//! drifts). It keeps a few packets decoded ahead and switches to the next track the moment the current one
//! ends, inside the same packet stream (gapless). Pause, skip and volume glide through the gain ramp, so
//! nothing clicks.
//!
//! Short effects (soundboard sounds) are mixed over whatever plays, or over silence when nothing does or the
//! music is paused; the music's volume and pauses do not touch them.
//!
//! The DJ drives it with [`Control`] messages and hears back through [`PlayerEvent`]s; the player knows
//! nothing about queues or chat.

use std::collections::VecDeque;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::pipeline::{AudioError, FRAME, Gain, OpusFrames, TrackReader};

/// Packets decoded ahead of the clock.
const AHEAD: usize = 5;
/// One packet's length.
pub const PACKET: Duration = Duration::from_millis(20);
/// Opus bitrate for music.
const BITRATE: i32 = 128_000;

/// Where the packets go (the voice room, or a test).
pub trait AudioSink: Send + 'static {
    /// Sends one 20 ms Opus packet; `false` when the room is gone and the player should stop.
    fn send(&mut self, packet: &[u8]) -> bool;
}

/// Something that opens into a [`TrackReader`] on the player's thread (a file, an upload, a stream).
pub type Opener = Box<dyn FnOnce() -> Result<TrackReader, AudioError> + Send>;

/// A track handed to the player.
pub struct Track {
    /// An id the DJ chose, echoed in events.
    pub id: u64,
    /// How to open it.
    pub open: Opener,
}

/// What the DJ tells the player.
pub enum Control {
    /// Play this now (replacing what plays).
    Play(Track),
    /// Play this when the current track ends (at once if nothing plays), or clear the next one.
    SetNext(Option<Track>),
    /// Pause.
    Pause,
    /// Resume.
    Resume,
    /// End the current track now (the next one, if set, starts).
    Skip,
    /// Volume, 0.0–2.0.
    Volume(f32),
    /// Jump within the current track.
    Seek(Duration),
    /// Mix this (48 kHz stereo, interleaved) over what plays, at this level (0–1), starting now.
    Effect(Vec<f32>, f32),
    /// Stop and end the thread.
    Shutdown,
}

/// What the player tells the DJ. Events follow decoding, which runs up to `AHEAD` packets (100 ms) ahead of
/// what the room hears.
#[derive(Debug, Clone, PartialEq)]
pub enum PlayerEvent {
    /// A track started; its length when known.
    Started(u64, Option<Duration>),
    /// A track ended (played out or skipped).
    Ended(u64),
    /// A track could not be played.
    Failed(u64, String),
    /// A seek failed (the track plays on).
    SeekFailed(u64, String),
    /// The sink is gone; the player stopped.
    SinkClosed,
    /// The last effect finished (decoded: the room hears it within 100 ms).
    EffectsDone,
}

/// The handle the DJ holds.
pub struct Player {
    control: Sender<Control>,
    thread: Option<JoinHandle<()>>,
}

impl Player {
    /// Starts a player thread feeding `sink`; events arrive on the returned receiver.
    pub fn start(sink: impl AudioSink, volume: f32) -> Result<(Self, Receiver<PlayerEvent>), AudioError> {
        let (control, commands) = channel();
        let (events_tx, events) = channel();
        let encoder = OpusFrames::new(BITRATE)?;
        let thread = std::thread::Builder::new()
            .name("spot-player".into())
            .spawn(move || {
                Engine {
                    sink,
                    commands,
                    events: events_tx,
                    gain: Gain::new(volume),
                    encoder,
                    current: None,
                    next: None,
                    paused: false,
                    ahead: VecDeque::new(),
                    effects: Vec::new(),
                }
                .run()
            })
            .map_err(|e| AudioError::Encode(format!("cannot start the player thread: {e}")))?;
        Ok((
            Self {
                control,
                thread: Some(thread),
            },
            events,
        ))
    }

    /// Sends a control message; `false` when the player has stopped.
    pub fn send(&self, control: Control) -> bool {
        self.control.send(control).is_ok()
    }
}

impl Drop for Player {
    fn drop(&mut self) {
        let _ = self.control.send(Control::Shutdown);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

struct Playing {
    id: u64,
    reader: TrackReader,
}

struct Engine<S: AudioSink> {
    sink: S,
    commands: Receiver<Control>,
    events: Sender<PlayerEvent>,
    gain: Gain,
    encoder: OpusFrames,
    current: Option<Playing>,
    next: Option<Track>,
    paused: bool,
    ahead: VecDeque<Vec<u8>>,
    /// Effects being mixed in: samples, position, level.
    effects: Vec<(Vec<f32>, usize, f32)>,
}

impl<S: AudioSink> Engine<S> {
    fn run(mut self) {
        let mut deadline = Instant::now();
        loop {
            // Idle (nothing to play, or paused with nothing left to send): block until told something.
            if self.ahead.is_empty() && (self.paused || self.current.is_none()) && self.effects.is_empty() {
                match self.commands.recv() {
                    Ok(control) => {
                        if !self.apply(control) {
                            return;
                        }
                    }
                    Err(_) => return,
                }
                deadline = Instant::now();
                continue;
            }
            self.fill();
            if let Some(packet) = self.ahead.pop_front() {
                if !self.sink.send(&packet) {
                    let _ = self.events.send(PlayerEvent::SinkClosed);
                    return;
                }
                deadline += PACKET;
            }
            // Wait for the next packet's time, answering commands meanwhile.
            loop {
                let now = Instant::now();
                if now >= deadline {
                    break;
                }
                match self.commands.recv_timeout(deadline - now) {
                    Ok(control) => {
                        if !self.apply(control) {
                            return;
                        }
                    }
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
        }
    }

    /// Handles one command; `false` to stop.
    fn apply(&mut self, control: Control) -> bool {
        match control {
            Control::Play(track) => {
                self.end_current();
                self.ahead.clear();
                self.open(track);
            }
            Control::SetNext(track) => {
                self.next = track;
                // Nothing to follow (the current track failed or ended before this arrived): start it now.
                if self.current.is_none()
                    && let Some(next) = self.next.take()
                {
                    self.open(next);
                }
            }
            Control::Pause => {
                if !self.paused {
                    self.paused = true;
                    // Fade out within the packets already decoded ahead.
                    self.fade_out();
                }
            }
            Control::Resume => {
                if self.paused {
                    self.paused = false;
                    self.gain.restore();
                }
            }
            Control::Skip => {
                self.fade_out();
                self.end_current();
                if let Some(next) = self.next.take() {
                    self.open(next);
                }
            }
            Control::Volume(level) => {
                if self.paused {
                    self.gain.remember(level);
                } else {
                    self.gain.set(level);
                }
            }
            Control::Seek(position) => {
                if let Some(playing) = self.current.as_mut()
                    && let Err(e) = playing.reader.seek(position)
                {
                    let _ = self.events.send(PlayerEvent::SeekFailed(playing.id, e.to_string()));
                }
                self.ahead.clear();
            }
            Control::Effect(samples, level) => {
                if !samples.is_empty() {
                    self.effects.push((samples, 0, level.clamp(0.0, 1.0)));
                }
            }
            Control::Shutdown => return false,
        }
        true
    }

    /// Adds the effects' next samples to `pcm` (clipped to full scale); tells the DJ when the last one ends.
    fn mix_effects(&mut self, pcm: &mut [f32]) {
        if self.effects.is_empty() {
            return;
        }
        for (samples, position, level) in &mut self.effects {
            let take = (samples.len() - *position).min(pcm.len());
            for (out, sample) in pcm.iter_mut().zip(&samples[*position..*position + take]) {
                *out = (*out + sample * *level).clamp(-1.0, 1.0);
            }
            *position += take;
        }
        self.effects.retain(|(samples, position, _)| *position < samples.len());
        if self.effects.is_empty() {
            let _ = self.events.send(PlayerEvent::EffectsDone);
        }
    }

    /// Drops the packets decoded ahead (at full level) and decodes one more that glides to silence, so a pause
    /// or a skip ends softly.
    fn fade_out(&mut self) {
        self.ahead.clear();
        self.gain.fade();
        self.fill_to(1);
    }

    fn open(&mut self, track: Track) {
        match (track.open)() {
            Ok(reader) => {
                let _ = self.events.send(PlayerEvent::Started(track.id, reader.duration()));
                self.current = Some(Playing { id: track.id, reader });
                if !self.paused {
                    self.gain.restore();
                }
            }
            Err(e) => {
                let _ = self.events.send(PlayerEvent::Failed(track.id, e.to_string()));
                if let Some(next) = self.next.take() {
                    self.open(next);
                }
            }
        }
    }

    fn end_current(&mut self) {
        if let Some(playing) = self.current.take() {
            let _ = self.events.send(PlayerEvent::Ended(playing.id));
        }
    }

    /// Decodes until `AHEAD` packets are ready (unless paused); effects with no music under them (nothing
    /// plays, or it is paused) are mixed over silence.
    fn fill(&mut self) {
        if !self.paused && self.current.is_some() {
            self.fill_to(AHEAD);
        }
        while self.ahead.len() < AHEAD && !self.effects.is_empty() && (self.paused || self.current.is_none()) {
            let mut pcm = vec![0.0; FRAME * 2];
            self.mix_effects(&mut pcm);
            match self.encoder.push(&pcm) {
                Ok(packets) => self.ahead.extend(packets),
                Err(_) => self.effects.clear(),
            }
        }
    }

    /// Decodes until `n` packets are ready, moving on to the next track at the end of one.
    fn fill_to(&mut self, n: usize) {
        while self.ahead.len() < n {
            let Some(playing) = self.current.as_mut() else {
                // Nothing more to play: flush the encoder's last partial packet (unless effects go on).
                if self.effects.is_empty()
                    && let Ok(Some(last)) = self.encoder.finish()
                {
                    self.ahead.push_back(last);
                }
                return;
            };
            let id = playing.id;
            match playing.reader.next_pcm() {
                Ok(Some(mut pcm)) => {
                    self.gain.apply(&mut pcm);
                    self.mix_effects(&mut pcm);
                    match self.encoder.push(&pcm) {
                        Ok(packets) => self.ahead.extend(packets),
                        Err(e) => {
                            let _ = self.events.send(PlayerEvent::Failed(id, e.to_string()));
                            self.current = None;
                        }
                    }
                }
                Ok(None) => {
                    self.end_current();
                    if let Some(next) = self.next.take() {
                        self.open(next);
                    }
                }
                Err(e) => {
                    let _ = self.events.send(PlayerEvent::Failed(id, e.to_string()));
                    self.current = None;
                    if let Some(next) = self.next.take() {
                        self.open(next);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
