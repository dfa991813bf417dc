//! [`AppState`]: the handles every request shares, behind one `Arc` (axum clones the state for every extractor
//! and middleware of every request: one reference count, not twenty). Nothing here is a global.

use std::collections::HashMap;
use std::ops::Deref;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, OnceLock};

use crate::accounts::Accounts;
use crate::admin::{Admin, InstanceSettings, Settings};
use crate::chat::{Chat, ChatLimits};
use crate::clock::SharedClock;
use crate::config::Config;
use crate::fetch::{FetchError, SafeClient};
use crate::gateway::fanout::Fanout;
use crate::gateway::limits::ConnectionLimits;
use crate::gateway::presence::Presences;
use crate::gateway::sessions::Sessions;
use crate::gateway::starts::SessionStarts;
use crate::gateway::{Gateway, Parts};
use crate::http::ratelimit::RateLimits;
use crate::hub::Hub;
use crate::oidc::{Oidc, OidcError};
use crate::shutdown::Shutdown;
use crate::store::Store;
use crate::unfurl::{MediaProxy, Unfurler};
use crate::voice::{Voice, VoiceError};

/// Shared state of a running server. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// What [`AppState`] shares.
pub struct Shared {
    /// The loaded configuration.
    pub config: Arc<Config>,
    /// The database.
    pub store: Store,
    /// Account rules (login, sessions, invites, bots).
    pub accounts: Accounts,
    /// Chat rules (messages, channels, threads, reactions).
    pub chat: Chat,
    /// Where dispatches are published.
    pub hub: Hub,
    /// The gateway's handles and registries (sessions, presences, limits).
    pub gateway: Gateway,
    /// REST rate-limit buckets.
    pub rate_limits: Arc<RateLimits>,
    /// The clock rules read.
    pub clock: SharedClock,
    /// Counter behind request ids in the logs.
    pub request_ids: Arc<AtomicU64>,
    /// Stops gateway connections when the server stops.
    pub shutdown: Shutdown,
    /// Serves preview images from spot itself.
    pub media_proxy: MediaProxy,
    /// Instance settings the admin panel changes at run time.
    pub settings: Settings,
    /// The admin panel's actions.
    pub admin: Admin,
    /// Single sign-on: the identity providers and sign-ins in progress.
    pub oidc: Oidc,
    /// Voice rooms and their media backend.
    pub voice: Voice,
    /// Web Push delivery (started by `spot serve`).
    pub push: crate::push::Push,
    /// The DJ, once `spot serve` started it (unset when `music.enabled` is off or it could not start).
    pub dj: OnceLock<crate::music::dj::DjHandle>,
    /// The admin panel's import (one at a time, in the background).
    pub imports: crate::import::jobs::Jobs,
}

/// Why the server's state could not be built.
#[derive(Debug, thiserror::Error)]
pub enum StateError {
    /// The safe HTTP client could not be built.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The identity providers' client.
    #[error(transparent)]
    Oidc(#[from] OidcError),
    /// The voice backend could not start (the UDP port is taken, …).
    #[error(transparent)]
    Voice(#[from] VoiceError),
}

// The WebSocket endpoints outside the HTTP face take only the handles they need.
impl axum::extract::FromRef<AppState> for Voice {
    fn from_ref(state: &AppState) -> Self {
        state.voice.clone()
    }
}

impl axum::extract::FromRef<AppState> for Shutdown {
    fn from_ref(state: &AppState) -> Self {
        state.shutdown.clone()
    }
}

impl AppState {
    /// State over an opened store, with the link-preview task and the voice media loop started.
    /// `test_fetch_port` is the test suite's fixture port ([`crate::config::TEST_ALLOWANCE_VAR`]).
    pub fn new(
        config: Config,
        store: Store,
        clock: SharedClock,
        test_fetch_port: Option<u16>,
        stored_settings: &HashMap<String, String>,
        base_url: &str,
    ) -> Result<Self, StateError> {
        let settings = Settings::new(InstanceSettings::resolve(&config, stored_settings));
        let oidc = Oidc::new(&config.oidc, clock.clone())?;
        let accounts = Accounts::new(store.clone(), clock.clone(), config.security.clone());
        let fanout = Arc::new(Fanout::default());
        let hub = Hub::new(fanout.clone());
        let limits = ChatLimits {
            max_message_length: config.chat.max_message_length,
            max_emojis: config.chat.max_emojis,
            max_stickers: config.chat.max_stickers,
            max_sounds: config.chat.max_sounds,
        };
        let client = SafeClient::new(&config.fetch, test_fetch_port)?;
        let presences = Presences::default();
        let media_proxy = MediaProxy::new(
            &config.security.secret,
            &config.server.public_url,
            &config.server.data_dir,
            client.clone(),
            config.previews.max_image_bytes,
            config.previews.cache_ttl.0,
        );
        let (links, jobs) = crate::chat::previews::queue(&config.previews);
        let urls = crate::wire::Urls::new(base_url, &config.security.secret, clock.clone());
        let chat = Chat::new(store.clone(), hub.clone(), clock.clone(), limits, links, urls);
        let push = crate::push::Push::new(
            store.clone(),
            chat.clone(),
            client.clone(),
            Arc::new(presences.clone()),
            base_url,
        );
        Unfurler::start(
            jobs,
            client,
            media_proxy.clone(),
            store.clone(),
            chat.clone(),
            clock.clone(),
            config.previews.clone(),
        );
        let rate_limits = Arc::new(RateLimits::new(&config.api, clock.clone()));
        let admin = Admin::new(
            store.clone(),
            accounts.clone(),
            chat.clone(),
            hub.clone(),
            settings.clone(),
            config.server.data_dir.clone(),
        );
        let voice = Voice::start(
            &config.voice,
            &config.security.secret,
            store.clone(),
            chat.clone(),
            hub.clone(),
            clock.clone(),
        )?;
        let config = Arc::new(config);
        let shutdown = Shutdown::default();
        let gateway = Gateway::new(Parts {
            config: config.clone(),
            store: store.clone(),
            accounts: accounts.clone(),
            chat: chat.clone(),
            hub: hub.clone(),
            voice: voice.clone(),
            fanout,
            sessions: Sessions::new(&config.gateway),
            session_starts: Arc::new(SessionStarts::new(&config.gateway)),
            gateway_limits: ConnectionLimits::new(&config.gateway),
            presences,
            shutdown: shutdown.clone(),
        });
        Ok(Self(Arc::new(Shared {
            config,
            store,
            accounts,
            chat,
            hub,
            gateway,
            rate_limits,
            clock,
            request_ids: Arc::default(),
            shutdown,
            media_proxy,
            settings,
            admin,
            oidc,
            voice,
            push,
            dj: OnceLock::new(),
            imports: crate::import::jobs::Jobs::default(),
        })))
    }
}
