//! The rules of voice rooms: joining, moving and leaving (gateway opcode 4), server mute/deafen/move/disconnect
//! (REST "modify member"), what happens when a session or a peer ends, and the per-user rate limit. Every change
//! to the table is published as VOICE_STATE_UPDATE to those who can see the channel, while the table is locked,
//! so events go out in the order the changes happened.

use std::time::{Duration, Instant};

use serde::Deserialize;

use super::sfu::protocol::RemoveReason;
use super::state::VoiceState;
use super::token::{Grants, VoiceClaims};
use super::{Backend, Voice, VoiceError, lock};
use crate::hub::{Audience, Event, intents};
use crate::perms::{self, bits};
use crate::store::{ChannelKind, Member, Snowflake, User};
use crate::wire;

/// The `d` of gateway opcode 4 (VOICE_STATE_UPDATE sent by a client).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StateRequest {
    /// The guild (optional; only the home space exists).
    #[serde(default, deserialize_with = "crate::chat::ids::deserialize_opt")]
    pub guild_id: Option<Snowflake>,
    /// The voice channel to be in; `null` leaves.
    #[serde(default, deserialize_with = "crate::chat::ids::deserialize_opt")]
    pub channel_id: Option<Snowflake>,
    /// Muted themselves.
    #[serde(default)]
    pub self_mute: bool,
    /// Deafened themselves.
    #[serde(default)]
    pub self_deaf: bool,
    /// Camera on.
    #[serde(default)]
    pub self_video: bool,
    /// Sharing their screen.
    #[serde(default)]
    pub self_stream: bool,
}

/// The voice fields of "modify guild member".
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Moderation {
    /// Server mute (MUTE_MEMBERS).
    pub mute: Option<bool>,
    /// Server deafen (DEAFEN_MEMBERS).
    pub deaf: Option<bool>,
    /// Move to this voice channel, or `null` to disconnect (MOVE_MEMBERS).
    #[serde(default, deserialize_with = "present")]
    pub channel_id: Option<Option<Snowflake>>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<Snowflake>>, D::Error> {
    crate::chat::ids::deserialize_opt(d).map(Some)
}

impl Moderation {
    /// Whether the body names any voice field.
    pub fn is_empty(&self) -> bool {
        self.mute.is_none() && self.deaf.is_none() && self.channel_id.is_none()
    }
}

/// Where the user may be and what they may publish there.
pub(super) struct Admission {
    /// The guild of a voice room; `None` for a DM call.
    pub(super) guild_id: Option<Snowflake>,
    pub(super) member: Option<Member>,
    /// Who hears about their voice state.
    pub(super) audience: Audience,
    /// A call in a DM or group DM.
    pub(super) private: bool,
    pub(super) grants: Grants,
}

impl Voice {
    /// Counts one voice state update of `user_id`; refuses past `voice.state_updates_per_minute`.
    fn count_update(&self, user_id: Snowflake) -> Result<(), VoiceError> {
        let mut limiter = lock(&self.inner.limiter);
        let now = Instant::now();
        let entry = limiter.entry(user_id).or_insert((now, 0));
        if now.duration_since(entry.0) >= Duration::from_secs(60) {
            *entry = (now, 0);
        }
        entry.1 += 1;
        if entry.1 > self.inner.config.state_updates_per_minute {
            return Err(VoiceError::RateLimited);
        }
        Ok(())
    }

    /// Checks that `user` may connect to `channel_id` (a voice channel with CONNECT, or a DM or group DM they
    /// are in: its call) and what they may publish.
    pub(super) async fn admit(&self, user: &User, channel_id: Snowflake) -> Result<Admission, VoiceError> {
        let access = self.inner.chat.access(user, channel_id).await?;
        let private = access.channel.kind.is_private();
        if access.channel.kind != ChannelKind::Voice && !private {
            return Err(VoiceError::NotVoiceChannel);
        }
        if !perms::has(access.perms, bits::CONNECT) {
            return Err(VoiceError::MissingPermissions);
        }
        Ok(Admission {
            guild_id: access.channel.guild_id,
            audience: access.audience(),
            member: access.member,
            private,
            grants: Grants {
                audio: perms::has(access.perms, bits::SPEAK),
                video: perms::has(access.perms, bits::STREAM),
            },
        })
    }

    /// Gateway opcode 4 from `user`'s session `session_id`: join, move, change self mute/deafen/video/stream,
    /// or leave (`channel_id` null). Returns the VOICE_SERVER_UPDATE `d` for the session when it joined a room
    /// (or rejoined from a new session); `gateway_url` is the URL the session connected to.
    pub async fn update_own(
        &self,
        user: &User,
        session_id: &str,
        request: StateRequest,
        gateway_url: &str,
    ) -> Result<Option<wire::VoiceServerUpdate>, VoiceError> {
        self.count_update(user.id)?;
        let Some(channel_id) = request.channel_id else {
            self.leave(user.id, None, Some(RemoveReason::Left));
            return Ok(None);
        };
        let admission = self.admit(user, channel_id).await?;
        let guild_id = admission.guild_id;
        if request.guild_id.is_some() && request.guild_id != guild_id {
            return Err(VoiceError::NotVoiceChannel);
        }
        // Server mute and deafen are the space's moderation: they do not follow anyone into a DM call.
        let (mute, deaf) = if admission.private {
            (false, false)
        } else {
            self.moderation_of(user.id)
        };
        let state = VoiceState {
            guild_id,
            channel_id,
            user: user.clone(),
            member: admission.member,
            audience: admission.audience,
            session_id: session_id.to_owned(),
            mute,
            deaf,
            self_mute: request.self_mute,
            self_deaf: request.self_deaf,
            self_video: request.self_video,
            self_stream: request.self_stream,
        };
        let (fresh, moved) = {
            let mut table = lock(&self.inner.table);
            let previous = table.get(user.id).cloned();
            let moved = previous.as_ref().is_none_or(|p| p.channel_id != channel_id);
            let max = self.inner.config.max_room_size;
            if moved && max > 0 && table.occupancy(channel_id) >= max {
                return Err(VoiceError::RoomFull);
            }
            if let Some(previous) = previous.as_ref().filter(|_| moved) {
                self.publish_left(previous);
            }
            table.put(state.clone());
            if let Some(previous) = previous.as_ref().filter(|_| moved) {
                self.end_call_if_empty(&table, previous);
            }
            self.publish_state(&state);
            (moved || previous.is_some_and(|p| p.session_id != session_id), moved)
        };
        if admission.private && moved {
            self.joined_call(user, &state).await;
        }
        if let Some(sfu) = self.sfu() {
            // Media of an earlier join (another room, or another session in this room) ends; the new token
            // connects afresh.
            if fresh {
                let reason = if moved {
                    RemoveReason::Moved
                } else {
                    RemoveReason::Replaced
                };
                sfu.remove_user(user.id, reason);
            }
            sfu.moderate(user.id, mute, deaf || request.self_deaf);
        }
        if !fresh {
            return Ok(None);
        }
        let name = state.display_name();
        self.server_update(user.id, &name, guild_id, channel_id, admission.grants, gateway_url)
            .map(Some)
    }

    /// The VOICE_SERVER_UPDATE `d`: a token for the backend, and where to use it.
    pub(super) fn server_update(
        &self,
        user_id: Snowflake,
        name: &str,
        guild_id: Option<Snowflake>,
        channel_id: Snowflake,
        grants: Grants,
        gateway_url: &str,
    ) -> Result<wire::VoiceServerUpdate, VoiceError> {
        let (backend, token, endpoint) = match &self.inner.backend {
            Backend::Embedded { tokens, .. } => {
                let claims = VoiceClaims {
                    user_id,
                    channel_id,
                    grants,
                    expires_ms: self.inner.clock.now_ms() + self.inner.config.token_ttl.as_millis_i64(),
                    nonce: crate::crypto::random_code(12),
                };
                let base = gateway_url.strip_suffix("/gateway").unwrap_or(gateway_url);
                self.expect_media(user_id, channel_id);
                ("embedded", tokens.issue(&claims), format!("{base}/voice"))
            }
            Backend::Livekit(livekit) => (
                "livekit",
                livekit.issue(user_id, name, channel_id, grants)?,
                self.inner.config.livekit_url.clone(),
            ),
        };
        Ok(wire::VoiceServerUpdate {
            token,
            guild_id: guild_id.map(wire::Id),
            channel_id: wire::Id(channel_id),
            endpoint,
            backend,
        })
    }

    /// Remembers that `user_id` was just given a token for `channel_id`; if it is still unused when it expires
    /// (a client that joined with opcode 4 but never connected media), the user leaves the room.
    fn expect_media(&self, user_id: Snowflake, channel_id: Snowflake) {
        let join = self.inner.joins.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        lock(&self.inner.awaiting_media).insert(user_id, join);
        let weak = std::sync::Arc::downgrade(&self.inner);
        let wait = self.inner.config.token_ttl.0 + Duration::from_secs(2);
        tokio::spawn(async move {
            tokio::time::sleep(wait).await;
            let Some(inner) = weak.upgrade() else { return };
            let voice = Voice { inner };
            let unused = {
                let mut awaiting = lock(&voice.inner.awaiting_media);
                let unused = awaiting.get(&user_id) == Some(&join);
                if unused {
                    awaiting.remove(&user_id);
                }
                unused
            };
            if unused {
                tracing::info!(user = user_id, "voice token never used: leaving the room");
                voice.leave_room(user_id, channel_id, RemoveReason::TimedOut);
            }
        });
    }

    /// Takes `user_id` out of voice, if they are in it (and, with `only_session`, only if that session joined).
    /// `reason` tells the media loop why; `None` when the media loop itself reported the peer gone.
    pub(super) fn leave(&self, user_id: Snowflake, only_session: Option<&str>, reason: Option<RemoveReason>) {
        {
            let mut table = lock(&self.inner.table);
            let Some(current) = table.get(user_id) else { return };
            if only_session.is_some_and(|s| s != current.session_id) {
                return;
            }
            if let Some(left) = table.remove(user_id) {
                self.publish_left(&left);
                self.end_call_if_empty(&table, &left);
            }
        }
        if let (Some(sfu), Some(reason)) = (self.sfu(), reason) {
            sfu.remove_user(user_id, reason);
        }
    }

    /// Takes `user_id` out of `channel_id` (only if they are still there).
    pub(super) fn leave_room(&self, user_id: Snowflake, channel_id: Snowflake, reason: RemoveReason) {
        {
            let mut table = lock(&self.inner.table);
            if table.get(user_id).is_none_or(|s| s.channel_id != channel_id) {
                return;
            }
            if let Some(left) = table.remove(user_id) {
                self.publish_left(&left);
                self.end_call_if_empty(&table, &left);
            }
        }
        if let Some(sfu) = self.sfu() {
            sfu.remove_user(user_id, reason);
        }
    }

    /// A gateway session ended for good (not a resumable drop): if it joined voice, the user leaves.
    pub fn session_ended(&self, user_id: Snowflake, session_id: &str) {
        self.leave(user_id, Some(session_id), Some(RemoveReason::Left));
    }

    /// The media loop removed a peer on its own (silence, ICE failure, socket closed, refused input).
    pub(super) fn peer_gone(&self, user_id: Snowflake, channel_id: Snowflake) {
        let in_that_room = lock(&self.inner.table)
            .get(user_id)
            .is_some_and(|s| s.channel_id == channel_id);
        if in_that_room {
            // The media loop already dropped the peer: only the voice state goes.
            self.leave(user_id, None, None);
        }
    }

    pub(super) fn moderation_of(&self, user_id: Snowflake) -> (bool, bool) {
        lock(&self.inner.moderation).get(&user_id).copied().unwrap_or_default()
    }

    pub(super) fn publish_state(&self, state: &VoiceState) {
        self.inner.hub.publish(Event::new(
            "VOICE_STATE_UPDATE",
            &state.to_wire(),
            state.audience.clone(),
            voice_intent(state),
        ));
    }

    pub(super) fn publish_left(&self, state: &VoiceState) {
        self.inner.hub.publish(Event::new(
            "VOICE_STATE_UPDATE",
            &state.left(),
            state.audience.clone(),
            voice_intent(state),
        ));
    }
}

/// Voice states of a guild room need GUILD_VOICE_STATES; a DM call's go to its people whatever their intents.
fn voice_intent(state: &VoiceState) -> u64 {
    if state.guild_id.is_some() {
        intents::GUILD_VOICE_STATES
    } else {
        0
    }
}
