//! The soundboard through the DJ: a member's sound is mixed into the room by the DJ's player (over the music if
//! it plays; no second bot joins). The DJ joins a room it is not in to play a sound, and leaves again once it
//! has been quiet for [`IDLE_LEAVE`] if nobody asked it for music there. Each member waits
//! [`DjSettings::sound_cooldown`](super::DjSettings) between sounds.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::error::MusicError;
use super::state::DjHandle;
use super::{Dj, Snowflake};
use crate::music::player::Control;

/// How long a room the DJ joined only for sounds stays joined after the last one.
const IDLE_LEAVE: Duration = Duration::from_secs(60);

impl DjHandle {
    /// Takes `user`'s turn to play a sound in `voice_room`, where they must be: refused with
    /// [`MusicError::SlowDown`] within their cooldown (checked before the sound is decoded, so a flood of
    /// presses costs nothing).
    pub async fn sound_turn(&self, user: Snowflake, voice_room: Snowflake) -> Result<(), MusicError> {
        let dj = &self.0;
        if dj.parts.voice.room_of(user) != Some(voice_room) {
            return Err(MusicError::NotInRoom);
        }
        {
            let mut sounded = dj.sounded.lock().await;
            let now = Instant::now();
            if let Some(last) = sounded.get(&user) {
                let since = now.duration_since(*last);
                if since < dj.settings.sound_cooldown {
                    return Err(MusicError::SlowDown(dj.settings.sound_cooldown - since));
                }
            }
            sounded.insert(user, now);
            sounded.retain(|_, at| now.duration_since(*at) < Duration::from_secs(3600));
        }
        Ok(())
    }

    /// Plays a decoded clip (48 kHz stereo) at `volume` (0–1) in `voice_room`, joining it if the DJ is not there.
    pub async fn play_sound(&self, voice_room: Snowflake, pcm: Vec<f32>, volume: f32) -> Result<(), MusicError> {
        let dj = &self.0;
        let mut rooms = dj.rooms.lock().await;
        let room = dj
            .room_in(&mut rooms, voice_room, voice_room)
            .await
            .map_err(MusicError::Unavailable)?;
        room.last_effect = Some(Instant::now());
        room.player.send(Control::Effect(pcm, volume));
        Ok(())
    }
}

impl Dj {
    /// After the sounds in a room end: if the DJ is there only for sounds (no music playing, queued or played
    /// there), it leaves once nothing else has been played for [`IDLE_LEAVE`].
    pub(super) fn leave_if_idle_later(self: &Arc<Self>, room_id: Snowflake) {
        let dj = self.clone();
        tokio::spawn(async move {
            tokio::time::sleep(IDLE_LEAVE).await;
            let mut rooms = dj.rooms.lock().await;
            let Some(room) = rooms.get(&room_id) else { return };
            let quiet = room.last_effect.is_none_or(|at| at.elapsed() >= IDLE_LEAVE);
            let no_music = room.current.is_none()
                && room.prepared.is_none()
                && room.upcoming().next().is_none()
                && room.queue.history().next().is_none();
            if quiet
                && no_music
                && let Some(room) = rooms.remove(&room_id)
            {
                room.retire();
                drop(rooms);
                if let Some(me) = dj.user.get() {
                    dj.parts.voice.leave(me, room_id);
                }
            }
        });
    }
}
