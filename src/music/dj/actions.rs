//! Commands about a room's player (pause, skip, volume, queue edits, …), carried out the same way whether they
//! came from chat or from the web client's now-playing bar ([`super::DjHandle::act`]): the same rate limit,
//! DJ-role rule, "be in the room" rule and replies. Every change is published as `SPOT_MUSIC_UPDATE`.

use super::error::MusicError;
use super::text::describe;
use super::{Dj, Snowflake};
use crate::music::commands::{Command, LoopMode, format_time};

/// Queue entries per page.
const PAGE: usize = 10;

impl Dj {
    /// Carries out `command` in `voice_room` for `author`, who is in that room; `text_channel` is where a chat
    /// command was given (later announcements go there). Returns the reply.
    pub(super) async fn run(
        &self,
        author: Snowflake,
        voice_room: Snowflake,
        text_channel: Option<Snowflake>,
        command: Command,
    ) -> Result<String, MusicError> {
        let changes = !matches!(command, Command::Queue(_) | Command::History);
        let reply = self.apply(author, voice_room, text_channel, command).await;
        if changes && reply.is_ok() {
            self.publish(voice_room).await;
        }
        reply
    }

    async fn apply(
        &self,
        author: Snowflake,
        voice_room: Snowflake,
        text_channel: Option<Snowflake>,
        command: Command,
    ) -> Result<String, MusicError> {
        let open = self.opener();
        let mut rooms = self.rooms.lock().await;
        let nothing = || MusicError::NothingPlaying(self.settings.prefix.clone());
        let room = rooms.get_mut(&voice_room).ok_or_else(nothing)?;
        if let Some(channel) = text_channel {
            room.text_channel = channel;
        }
        Ok(match command {
            Command::Pause => {
                room.pause();
                "Paused.".into()
            }
            Command::Resume => {
                room.resume(&open);
                "Playing.".into()
            }
            Command::Skip => {
                let mine = room.current.as_ref().is_some_and(|(_, e)| e.requested_by.id == author);
                drop(rooms);
                if !mine && !self.is_dj(author).await {
                    return Err(MusicError::NotYours(self.settings.prefix.clone()));
                }
                self.rooms.lock().await.get_mut(&voice_room).ok_or_else(nothing)?.skip();
                "Skipped.".into()
            }
            Command::ForceSkip => {
                room.skip();
                "Skipped.".into()
            }
            Command::VoteSkip => {
                room.votes.insert(author);
                let listeners = self.parts.voice.listeners(voice_room, self.my_id()).max(1);
                let needed = listeners / 2 + 1;
                if room.votes.len() >= needed {
                    room.skip();
                    "The room voted: skipped.".into()
                } else {
                    format!("Vote to skip: {} of {needed}.", room.votes.len())
                }
            }
            Command::SkipTo(n) => {
                room.edit_queue(&open, |queue| queue.skip_to(n))?;
                room.skip();
                format!("Skipping to position {n}.")
            }
            Command::Stop => {
                room.stop();
                if let Some(room) = rooms.remove(&voice_room) {
                    room.retire();
                }
                if let Some(me) = self.user.get() {
                    self.parts.voice.leave(me, voice_room);
                }
                "Stopped, queue cleared. Bye!".into()
            }
            Command::Leave => {
                if let Some(room) = rooms.remove(&voice_room) {
                    room.retire();
                }
                if let Some(me) = self.user.get() {
                    self.parts.voice.leave(me, voice_room);
                }
                "Bye!".into()
            }
            Command::Queue(page) => {
                let upcoming: Vec<_> = room.upcoming().collect();
                let pages = upcoming.len().div_ceil(PAGE).max(1);
                let page = page.clamp(1, pages);
                let items: Vec<_> = upcoming.iter().enumerate().skip((page - 1) * PAGE).take(PAGE).collect();
                let now = room
                    .current
                    .as_ref()
                    .map(|(_, e)| format!("Now: {}\n", describe(e)))
                    .unwrap_or_default();
                if items.is_empty() {
                    return Ok(format!("{now}The queue is empty."));
                }
                let lines: Vec<String> = items
                    .iter()
                    .map(|(i, e)| format!("`{}` {}", i + 1, describe(e)))
                    .collect();
                format!("{now}{}\nPage {page} of {pages}.", lines.join("\n"))
            }
            Command::Volume(percent) => {
                room.set_volume(percent);
                format!("Volume {percent}%.")
            }
            Command::Seek(position) => {
                let past_end = room
                    .current
                    .as_ref()
                    .is_some_and(|(_, e)| e.duration.is_some_and(|d| position >= d));
                if past_end {
                    return Err(MusicError::PastTheEnd);
                }
                room.seek(position);
                format!("Jumped to {}.", format_time(position))
            }
            Command::Shuffle => {
                let mut state = getrandom::u64().unwrap_or(0x9e37_79b9_7f4a_7c15) | 1;
                room.edit_queue(&open, |queue| {
                    queue.shuffle(move || {
                        state ^= state << 13;
                        state ^= state >> 7;
                        state ^= state << 17;
                        state
                    });
                });
                "Shuffled.".into()
            }
            Command::Loop(mode) => {
                room.edit_queue(&open, |queue| queue.loop_mode = mode);
                match mode {
                    LoopMode::Off => "Looping off.".into(),
                    LoopMode::Track => "Looping this track.".into(),
                    LoopMode::Queue => "Looping the queue.".into(),
                }
            }
            Command::Remove(n) => {
                let entry = room.edit_queue(&open, |queue| queue.remove(n))?;
                format!("Removed {}.", describe(&entry))
            }
            Command::Move(a, b) => {
                room.edit_queue(&open, |queue| queue.move_entry(a, b))?;
                format!("Moved position {a} to {b}.")
            }
            Command::Clear => {
                let n = room.edit_queue(&open, |queue| queue.clear());
                format!("Cleared {n} tracks.")
            }
            Command::History => {
                let lines: Vec<String> = room.queue.history().take(10).map(describe).collect();
                if lines.is_empty() {
                    "Nothing played yet.".into()
                } else {
                    lines.join("\n")
                }
            }
            Command::Help | Command::Search(_) | Command::Play(_) | Command::PlayNext(_) | Command::NowPlaying => {
                String::new()
            }
        })
    }
}
