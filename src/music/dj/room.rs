//! One voice room the DJ plays in: its queue, its player, the track playing and the one prepared to follow it
//! (handed to the player early, so the change is gapless), skip votes, and the text channel to announce in.

use std::collections::HashSet;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use super::super::commands::LoopMode;
use super::super::player::{Control, Opener, Player, PlayerEvent, Track};
use super::super::queue::{Entry, Queue};
use crate::store::Snowflake;

/// A room's state.
pub struct Room {
    /// The voice channel.
    pub id: Snowflake,
    /// Where "now playing" goes: the text channel of the last command.
    pub text_channel: Snowflake,
    /// What comes next, and what played.
    pub queue: Queue,
    /// Playing now: (player track id, entry).
    pub current: Option<(u64, Entry)>,
    /// Handed to the player to follow the current track.
    pub prepared: Option<(u64, Entry)>,
    /// Paused.
    pub paused: bool,
    /// Volume in percent.
    pub volume: u16,
    /// Who voted to skip the current track.
    pub votes: HashSet<Snowflake>,
    /// Where the current track is, for the now-playing bar.
    pub clock: PlayClock,
    /// The player.
    pub player: Player,
    /// When a soundboard sound was last played here.
    pub last_effect: Option<Instant>,
    next_id: u64,
}

/// The position in the current track, kept on the async side from what the DJ told the player and what the
/// player reported (a track starts when it is decoded, up to 100 ms before the room hears it): close enough for a
/// progress bar, which clients move on by themselves while the track is not paused.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlayClock {
    /// Position when `since` was taken (or when paused).
    offset: Duration,
    /// When it last started moving; `None` while paused or idle.
    since: Option<Instant>,
}

impl PlayClock {
    /// The position now.
    pub fn position(&self) -> Duration {
        self.offset + self.since.map_or(Duration::ZERO, |since| since.elapsed())
    }

    /// A track starts from the top (standing still if the room is paused).
    pub fn start(&mut self, paused: bool) {
        self.jump(Duration::ZERO, paused);
    }

    /// Jumps to `position` (standing still if paused).
    pub fn jump(&mut self, position: Duration, paused: bool) {
        self.offset = position;
        self.since = (!paused).then(Instant::now);
    }

    /// Stops moving where it is.
    pub fn pause(&mut self) {
        self.offset = self.position();
        self.since = None;
    }

    /// Moves on from where it stood.
    pub fn resume(&mut self) {
        if self.since.is_none() {
            self.since = Some(Instant::now());
        }
    }
}

/// How to open an entry's audio (files are easy; URLs need the safe client and the runtime).
pub type OpenEntry = dyn Fn(&Entry) -> Opener + Send + Sync;

impl Room {
    /// A room around a started player.
    pub fn new(id: Snowflake, text_channel: Snowflake, player: Player) -> Self {
        Self {
            id,
            text_channel,
            queue: Queue::default(),
            current: None,
            prepared: None,
            paused: false,
            volume: 100,
            votes: HashSet::new(),
            clock: PlayClock::default(),
            player,
            last_effect: None,
            next_id: 1,
        }
    }

    fn track(&mut self, entry: &Entry, open: &OpenEntry) -> (u64, Track) {
        let id = self.next_id;
        self.next_id += 1;
        (id, Track { id, open: open(entry) })
    }

    /// Starts `entry` now, replacing what plays.
    pub fn start(&mut self, entry: Entry, open: &OpenEntry) {
        self.withdraw_prepared();
        let (id, track) = self.track(&entry, open);
        self.player.send(Control::Play(track));
        self.current = Some((id, entry));
        self.votes.clear();
        self.prepare(open);
    }

    /// Hands the player what follows the current track (the same one when looping a track).
    pub fn prepare(&mut self, open: &OpenEntry) {
        self.withdraw_prepared();
        let candidate = match (self.queue.loop_mode, &self.current) {
            (LoopMode::Track, Some((_, entry))) => Some(entry.clone()),
            _ => self.queue.take_next(),
        };
        match candidate {
            Some(entry) => {
                let (id, track) = self.track(&entry, open);
                self.player.send(Control::SetNext(Some(track)));
                self.prepared = Some((id, entry));
            }
            None => {
                self.player.send(Control::SetNext(None));
            }
        }
    }

    /// Edits the queue as people see it (the prepared track first), then prepares what follows again. Positions
    /// people give and are told count the prepared track.
    pub fn edit_queue<R>(&mut self, open: &OpenEntry, edit: impl FnOnce(&mut Queue) -> R) -> R {
        self.withdraw_prepared();
        let result = edit(&mut self.queue);
        self.prepare(open);
        result
    }

    /// Takes the prepared track back into the queue (the queue changed, so it must be chosen again).
    fn withdraw_prepared(&mut self) {
        if let Some((_, entry)) = self.prepared.take()
            && self.queue.loop_mode != LoopMode::Track
        {
            self.queue.put_back(entry);
        }
    }

    /// Follows the player: what started, ended or failed. Returns a line to announce, if any.
    pub fn on_event(&mut self, event: &PlayerEvent, open: &OpenEntry) -> Option<Announcement> {
        match event {
            PlayerEvent::Started(id, duration) => {
                if self.prepared.as_ref().is_some_and(|(p, _)| p == id) {
                    self.current = self.prepared.take();
                    self.votes.clear();
                    self.prepare(open);
                }
                let (_, entry) = self.current.as_mut().filter(|(c, _)| c == id)?;
                self.clock.start(self.paused);
                if entry.duration.is_none() {
                    entry.duration = *duration;
                }
                Some(Announcement::NowPlaying(entry.clone()))
            }
            PlayerEvent::Ended(id) => {
                if let Some((_, entry)) = self.current.take_if(|(c, _)| c == id) {
                    self.clock = PlayClock::default();
                    if self.queue.loop_mode == LoopMode::Queue {
                        self.queue.requeue(entry.clone());
                    }
                    self.queue.remember(entry);
                }
                None
            }
            PlayerEvent::Failed(id, why) => {
                let failed = if self.current.as_ref().is_some_and(|(c, _)| c == id) {
                    self.current.take()
                } else if self.prepared.as_ref().is_some_and(|(p, _)| p == id) {
                    self.prepared.take()
                } else {
                    None
                };
                failed.map(|(_, entry)| Announcement::Failed(entry, why.clone()))
            }
            PlayerEvent::SeekFailed(_, why) => Some(Announcement::Text(format!("Cannot seek in this track: {why}"))),
            PlayerEvent::SinkClosed => Some(Announcement::Text("I lost the voice room; stopping.".into())),
            PlayerEvent::EffectsDone => None,
        }
    }

    /// When nothing plays and nothing is prepared but the queue has more: start it (after a failure or a skip
    /// with nothing prepared).
    pub fn keep_going(&mut self, open: &OpenEntry) -> bool {
        if self.current.is_none()
            && self.prepared.is_none()
            && !self.paused
            && let Some(entry) = self.queue.take_next()
        {
            self.start(entry, open);
            return true;
        }
        false
    }

    /// Pauses (the player fades out).
    pub fn pause(&mut self) {
        self.paused = true;
        self.clock.pause();
        self.player.send(Control::Pause);
    }

    /// Resumes, or starts the queue if nothing was playing.
    pub fn resume(&mut self, open: &OpenEntry) {
        self.paused = false;
        self.clock.resume();
        self.player.send(Control::Resume);
        self.keep_going(open);
    }

    /// Jumps within the current track.
    pub fn seek(&mut self, position: Duration) {
        self.clock.jump(position, self.paused);
        self.player.send(Control::Seek(position));
    }

    /// Sets the volume in percent (0–200).
    pub fn set_volume(&mut self, percent: u16) {
        self.volume = percent;
        self.player.send(Control::Volume(f32::from(percent) / 100.0));
    }

    /// What comes after the current track, in order: the prepared track (unless it is the current one again,
    /// looping), then the queue.
    pub fn upcoming(&self) -> impl Iterator<Item = &Entry> {
        let prepared = self
            .prepared
            .as_ref()
            .filter(|_| self.queue.loop_mode != LoopMode::Track)
            .map(|(_, entry)| entry);
        prepared.into_iter().chain(self.queue.upcoming())
    }

    /// Skips the current track (the prepared one starts).
    pub fn skip(&mut self) {
        self.votes.clear();
        self.player.send(Control::Skip);
    }

    /// Lets the room go. Dropping it stops the player and joins its thread, which may be finishing a network read
    /// or a decode: that wait happens on a blocking thread, not on the runtime.
    pub fn retire(self) {
        tokio::task::spawn_blocking(move || drop(self));
    }

    /// Clears the queue and stops playing.
    pub fn stop(&mut self) {
        self.queue.clear();
        self.prepared = None;
        self.player.send(Control::SetNext(None));
        self.player.send(Control::Skip);
    }
}

/// What the DJ says in the room's text channel after a player event.
#[derive(Debug, Clone)]
pub enum Announcement {
    /// A track started.
    NowPlaying(Entry),
    /// A track could not be played.
    Failed(Entry, String),
    /// Anything else.
    Text(String),
}

/// Forwards a player's events to the async side, tagged with the room.
pub fn forward_events(
    room: Snowflake,
    events: Receiver<PlayerEvent>,
    to: tokio::sync::mpsc::UnboundedSender<(Snowflake, PlayerEvent)>,
) {
    std::thread::Builder::new()
        .name("spot-player-events".into())
        .spawn(move || {
            while let Ok(event) = events.recv() {
                if to.send((room, event)).is_err() {
                    return;
                }
            }
        })
        .ok();
}
