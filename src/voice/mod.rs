//! Voice and video rooms: who is in which voice channel (Discord's voice states, in memory: a room is
//! ephemeral), the permissions to join, speak and share video, server mute/deafen/move, and the backend that
//! carries the media — the SFU inside spot ([`sfu`], the default) or a LiveKit server ([`livekit`], tokens
//! only).
//!
//! [`Voice`] is the one entry point: the gateway calls it for opcode 4 and when a session ends, REST for
//! moderation, GUILD_CREATE for the current states, the signaling socket ([`signaling`]) to admit a peer. It
//! publishes VOICE_STATE_UPDATE to the hub itself. It never knows opcodes or HTTP; the media loop never knows
//! voice states (it hears "remove this user", and says "this peer is gone").
//!
//! - [`rules`] — joining, moving, leaving, rate limit; `moderation` — server mute, deafen, move, disconnect.
//! - [`state`] — the Voice State object and the table of them.
//! - [`token`] — the embedded backend's signed voice tokens; [`livekit`] — LiveKit access tokens.
//! - [`signaling`] — `GET /voice`, the embedded backend's signaling WebSocket.
//! - `watch` — rooms follow permission changes (disconnect without CONNECT, grants follow SPEAK/STREAM).

mod calls;
mod error;
pub mod livekit;
mod moderation;
mod rules;
pub mod sfu;
pub mod signaling;
mod state;
pub mod token;
mod watch;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use self::livekit::LivekitTokens;
use self::sfu::{Sfu, SfuEvent};
use self::state::StateTable;
use self::token::VoiceTokens;
use crate::chat::Chat;
use crate::clock::SharedClock;
use crate::config::{VoiceBackend, VoiceConfig};
use crate::hub::Hub;
use crate::store::{Snowflake, Store};

pub use error::VoiceError;
pub use rules::{Moderation, StateRequest};
pub use state::VoiceState;

/// Which backend carries media.
enum Backend {
    Embedded { sfu: Sfu, tokens: VoiceTokens },
    Livekit(LivekitTokens),
}

struct Inner {
    config: VoiceConfig,
    store: Store,
    chat: Chat,
    hub: Hub,
    clock: SharedClock,
    backend: Backend,
    table: Mutex<StateTable>,
    /// Server mute and deafen by user; kept after leaving, so rejoining does not lift them.
    moderation: Mutex<HashMap<Snowflake, (bool, bool)>>,
    /// Voice state updates per user in the current minute.
    limiter: Mutex<HashMap<Snowflake, (Instant, u32)>>,
    /// Joins whose token has not been used yet (embedded backend): user → join number. A join still here when
    /// its token expires can never get media, and leaves.
    awaiting_media: Mutex<HashMap<Snowflake, u64>>,
    /// Numbers joins for `awaiting_media`.
    joins: std::sync::atomic::AtomicU64,
    /// Calls in DMs and group DMs.
    calls: Mutex<calls::Calls>,
}

/// Voice rooms. Cheap to clone.
#[derive(Clone)]
pub struct Voice {
    inner: Arc<Inner>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Voice {
    /// Voice rooms with the configured backend; the embedded one binds its UDP port and starts the media loop
    /// (call from within the runtime: a task listens to the loop's events).
    pub fn start(
        config: &VoiceConfig,
        secret: &str,
        store: Store,
        chat: Chat,
        hub: Hub,
        clock: SharedClock,
    ) -> Result<Self, VoiceError> {
        let (backend, events) = match config.backend {
            VoiceBackend::Embedded => {
                let (sfu, events) = Sfu::start(config).map_err(VoiceError::Bind)?;
                let tokens = VoiceTokens::new(secret);
                (Backend::Embedded { sfu, tokens }, Some(events))
            }
            VoiceBackend::Livekit => (
                Backend::Livekit(LivekitTokens::new(
                    &config.livekit_api_key,
                    &config.livekit_api_secret,
                    config.token_ttl.0,
                )),
                None,
            ),
        };
        let voice = Self {
            inner: Arc::new(Inner {
                config: config.clone(),
                store,
                chat,
                hub,
                clock,
                backend,
                table: Mutex::default(),
                moderation: Mutex::default(),
                limiter: Mutex::default(),
                awaiting_media: Mutex::default(),
                joins: std::sync::atomic::AtomicU64::new(0),
                calls: Mutex::new(calls::Calls::new()),
            }),
        };
        voice.watch_permissions();
        if let Some(mut events) = events {
            // Holds only a weak handle, so the task (and with it the media loop) ends with the server.
            let weak = Arc::downgrade(&voice.inner);
            tokio::spawn(async move {
                while let Some(SfuEvent::PeerGone {
                    user_id, channel_id, ..
                }) = events.recv().await
                {
                    let Some(inner) = weak.upgrade() else { break };
                    Voice { inner }.peer_gone(user_id, channel_id);
                }
            });
        }
        Ok(voice)
    }

    /// The embedded SFU, when that is the backend.
    pub fn sfu(&self) -> Option<&Sfu> {
        match &self.inner.backend {
            Backend::Embedded { sfu, .. } => Some(sfu),
            Backend::Livekit(_) => None,
        }
    }

    /// The embedded backend's token checker.
    pub(crate) fn tokens(&self) -> Option<&VoiceTokens> {
        match &self.inner.backend {
            Backend::Embedded { tokens, .. } => Some(tokens),
            Backend::Livekit(_) => None,
        }
    }

    /// The `[voice]` config.
    pub fn config(&self) -> &VoiceConfig {
        &self.inner.config
    }

    /// The voice states of the channels in `visible` (for GUILD_CREATE).
    pub fn states(&self, visible: &[Snowflake]) -> Vec<crate::wire::VoiceState> {
        lock(&self.inner.table)
            .all()
            .filter(|s| visible.contains(&s.channel_id))
            .map(VoiceState::to_wire)
            .collect()
    }

    /// Admits a signaling connection with a voice token: checks it and that the user is still in its room,
    /// then adds the peer to the media loop (under the table lock, so a leave cannot slip in between).
    pub fn connect_peer(
        &self,
        token: &str,
        outbox: tokio::sync::mpsc::Sender<sfu::protocol::ServerMessage>,
    ) -> Result<(sfu::peer::PeerId, sfu::PeerSpec), token::TokenError> {
        let (Some(sfu), Some(tokens)) = (self.sfu(), self.tokens()) else {
            return Err(token::TokenError::Invalid);
        };
        let claims = tokens.verify(token, self.inner.clock.now_ms())?;
        let table = lock(&self.inner.table);
        let state = table
            .get(claims.user_id)
            .filter(|s| s.channel_id == claims.channel_id)
            .ok_or(token::TokenError::Invalid)?;
        let spec = sfu::PeerSpec {
            user_id: claims.user_id,
            channel_id: claims.channel_id,
            grants: claims.grants,
            mute: state.mute,
            deaf: state.deaf || state.self_deaf,
        };
        let id = sfu.join(spec.clone(), outbox);
        lock(&self.inner.awaiting_media).remove(&claims.user_id);
        drop(table);
        Ok((id, spec))
    }

    /// The user's current voice state.
    pub fn state_of(&self, user_id: Snowflake) -> Option<VoiceState> {
        lock(&self.inner.table).get(user_id).cloned()
    }

    /// How many are in a voice channel.
    pub fn occupancy(&self, channel_id: Snowflake) -> usize {
        lock(&self.inner.table).occupancy(channel_id)
    }
}
