//! The DJ: a bot member of the home space that listens to chat for `!` commands, keeps one [`room::Room`]
//! (queue + player) per voice room, and answers in the channel where it was asked, as itself.
//!
//! It has no back doors: it reads messages from the hub like any gateway session, and answers through
//! [`Chat::send`] as its own bot user, so permissions, rate limits and events apply to it too. What it needs
//! from voice comes through [`VoiceLink`]. The web client reaches the same rooms through [`DjHandle`], and every
//! change of a room's player is published as `SPOT_MUSIC_UPDATE`.

mod actions;
mod commands;
pub mod error;
pub mod room;
mod slash;
mod sounds;
mod state;
mod text;

pub use error::MusicError;
pub use state::{DjHandle, state_json};

use std::collections::{HashMap, VecDeque};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::{Mutex, mpsc};

use super::player::PlayerEvent;
use super::sources::{Found, Resolver};
use super::voice_link::VoiceLink;
use crate::accounts::{AccountError, Accounts};
use crate::chat::mentions::AllowedMentions;
use crate::chat::{Chat, MessageInput, MessageReference};
use crate::fetch::SafeClient;
use crate::hub::{Audience, Hub};
use crate::store::{Snowflake, Store, User};

/// Commands one member may give per [`RATE_WINDOW`].
const RATE_LIMIT: usize = 6;
/// The window of the per-member command limit.
const RATE_WINDOW: Duration = Duration::from_secs(10);

/// The DJ's settings.
#[derive(Debug, Clone)]
pub struct DjSettings {
    /// Command prefix, e.g. `!`.
    pub prefix: String,
    /// The DJ's username.
    pub name: String,
    /// Members with a role of this name (and admins) may use the DJ-only commands.
    pub dj_role: String,
    /// Largest audio file fetched by URL.
    pub max_url_bytes: u64,
    /// Longest track accepted (live streams have no length and are exempt).
    pub max_track: Duration,
    /// The base of absolute URLs (`server.public_url`, else the address spot listens on), for cover links in embeds.
    pub public_url: String,
    /// The DJ's picture (`music.dj_avatar`, checked to be an image when the config loaded), set at start.
    pub avatar: Option<std::path::PathBuf>,
    /// How long a member waits between two soundboard sounds.
    pub sound_cooldown: Duration,
}

/// What the DJ works with.
pub struct DjParts {
    /// Chat rules (to answer).
    pub chat: Chat,
    /// The store (library, members, attachments).
    pub store: Store,
    /// Accounts (to create the DJ's bot user).
    pub accounts: Accounts,
    /// Where messages are published.
    pub hub: Hub,
    /// Voice rooms.
    pub voice: Arc<dyn VoiceLink>,
    /// Sources of tracks, asked in order.
    pub resolvers: Vec<Arc<dyn Resolver>>,
    /// The safe client for URLs.
    pub client: SafeClient,
    /// The data directory (uploads).
    pub data_dir: std::path::PathBuf,
    /// Called once with the DJ's user id when its account is found or made (the server shows it online).
    pub on_account: Arc<dyn Fn(Snowflake) + Send + Sync>,
}

pub(crate) struct Dj {
    parts: DjParts,
    settings: DjSettings,
    user: tokio::sync::OnceCell<User>,
    guild: Snowflake,
    rooms: Mutex<HashMap<Snowflake, room::Room>>,
    searches: Mutex<HashMap<Snowflake, Vec<Found>>>,
    recent: Mutex<HashMap<Snowflake, VecDeque<Instant>>>,
    /// When each member last played a soundboard sound.
    sounded: Mutex<HashMap<Snowflake, Instant>>,
    /// The slash commands were registered.
    registered: std::sync::atomic::AtomicBool,
    events: mpsc::UnboundedSender<(Snowflake, PlayerEvent)>,
}

/// Starts listening. The DJ's bot user is found, or created the first time someone gives a command (so a space
/// that never uses the DJ never sees it). Errors only when there is no home space.
pub async fn start(parts: DjParts, settings: DjSettings) -> Result<DjHandle, String> {
    let user = tokio::sync::OnceCell::new();
    let guild = parts
        .store
        .guild_home()
        .await
        .map_err(|e| e.to_string())?
        .ok_or("no home space")?
        .id;
    let mut hub = parts.hub.subscribe();
    let (events, mut player_events) = mpsc::unbounded_channel();
    let dj = Arc::new(Dj {
        parts,
        settings,
        user,
        guild,
        rooms: Mutex::new(HashMap::new()),
        searches: Mutex::new(HashMap::new()),
        recent: Mutex::new(HashMap::new()),
        sounded: Mutex::new(HashMap::new()),
        registered: std::sync::atomic::AtomicBool::new(false),
        events,
    });
    let handle = DjHandle(dj.clone());
    let exists = dj
        .parts
        .accounts
        .find_user(&dj.settings.name)
        .await
        .is_ok_and(|u| u.is_bot);
    if exists || dj.settings.avatar.is_some() {
        // An existing DJ shows online from the start; with a picture configured, the DJ's account exists (and
        // shows it) before anyone asks it anything.
        let dj = dj.clone();
        tokio::spawn(async move {
            dj.me().await;
            dj.ensure_commands().await;
        });
    }
    tokio::spawn(async move {
        loop {
            tokio::select! {
                event = hub.recv() => match event {
                    Ok(event) if event.name == "MESSAGE_CREATE" => {
                        let Ok(data) = serde_json::from_str::<Value>(&event.data) else { continue };
                        let dj = dj.clone();
                        tokio::spawn(async move { dj.on_message(data).await });
                    }
                    Ok(event) if event.name == "INTERACTION_CREATE" && event.audience == Audience::User(dj.my_id()) => {
                        let Ok(data) = serde_json::from_str::<Value>(&event.data) else { continue };
                        let dj = dj.clone();
                        tokio::spawn(async move { dj.on_interaction(data).await });
                    }
                    Ok(_) => {}
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(n)) => {
                        tracing::warn!(missed = n, "the DJ fell behind the chat and missed messages");
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return,
                },
                Some((room, event)) = player_events.recv() => dj.on_player_event(room, event).await,
            }
        }
    });
    Ok(handle)
}

/// A message the DJ was asked something in.
pub(crate) struct Asked {
    pub(crate) message: Snowflake,
    pub(crate) channel: Snowflake,
    pub(crate) author: Snowflake,
    pub(crate) author_username: String,
    pub(crate) author_name: String,
    pub(crate) attachments: Vec<(Snowflake, String, String)>,
    pub(crate) replied_attachments: Vec<(Snowflake, String, String)>,
    /// Asked through a slash command or a button: the interaction's token, to answer through.
    pub(crate) interaction: Option<String>,
}

fn attachments_of(message: &Value) -> Vec<(Snowflake, String, String)> {
    message["attachments"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|a| {
            let id = a["id"].as_str()?.parse().ok()?;
            let name = a["filename"].as_str().unwrap_or("file").to_owned();
            let kind = a["content_type"].as_str().unwrap_or("").to_owned();
            Some((id, name, kind))
        })
        .collect()
}

impl Dj {
    /// The DJ's bot user, created on first use. `None` when its name belongs to a person (logged).
    async fn me(&self) -> Option<&User> {
        let made = self
            .user
            .get_or_try_init(|| async {
                let user = match self.parts.accounts.find_user(&self.settings.name).await {
                    Ok(user) if user.is_bot => Ok(user),
                    Ok(_) => Err(format!(
                        "the DJ's name {} belongs to a person; set music.dj_name",
                        self.settings.name
                    )),
                    Err(AccountError::UnknownUser(_)) => {
                        let permissions = crate::perms::bits::DEFAULT_BOT;
                        let (user, _) = self
                            .parts
                            .accounts
                            .create_bot(&self.settings.name, permissions)
                            .await
                            .map_err(|e| format!("cannot create the DJ's account: {e}"))?;
                        Ok(user)
                    }
                    Err(e) => Err(e.to_string()),
                }?;
                let user = self.with_avatar(user).await;
                (self.parts.on_account)(user.id);
                Ok::<User, String>(user)
            })
            .await;
        match made {
            Ok(user) => Some(user),
            Err(e) => {
                tracing::warn!(error = %e, "the DJ cannot answer");
                None
            }
        }
    }

    /// Gives the DJ the configured picture if it does not have it yet (a failure is logged; the DJ keeps going).
    async fn with_avatar(&self, user: User) -> User {
        use base64::Engine;
        use sha2::Digest;
        let Some(path) = &self.settings.avatar else { return user };
        let bytes = match tokio::fs::read(path).await {
            Ok(bytes) => bytes,
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "the DJ's picture cannot be read");
                return user;
            }
        };
        let hash = hex::encode(&sha2::Sha256::digest(&bytes)[..16]);
        if user.avatar.as_deref() == Some(hash.as_str()) {
            return user;
        }
        let Some((_, mime)) = crate::media::image_kind(&bytes) else {
            tracing::warn!(path = %path.display(), "the DJ's picture is not an image");
            return user;
        };
        let uri = format!(
            "data:{mime};base64,{}",
            base64::engine::general_purpose::STANDARD.encode(&bytes)
        );
        let input = crate::chat::profile::ProfileInput {
            global_name: None,
            avatar: Some(Some(uri)),
        };
        let avatars = self.parts.data_dir.join("avatars");
        match self.parts.chat.update_profile(&user, input, &avatars).await {
            Ok(updated) => updated,
            Err(e) => {
                tracing::warn!(error = %e, "the DJ's picture was refused");
                user
            }
        }
    }

    /// Registers the slash commands once the DJ's account exists (at most once per start).
    async fn ensure_commands(&self) {
        if !self.registered.swap(true, std::sync::atomic::Ordering::SeqCst) {
            self.register_commands().await;
        }
    }

    fn my_id(&self) -> Snowflake {
        self.user.get().map_or(0, |u| u.id)
    }

    async fn on_message(self: Arc<Self>, data: Value) {
        let Some(content) = data["content"].as_str() else {
            return;
        };
        let Some(author) = data["author"]["id"].as_str().and_then(|s| s.parse::<Snowflake>().ok()) else {
            return;
        };
        if author == self.my_id() || data["author"]["bot"].as_bool() == Some(true) {
            return;
        }
        let Some(parsed) = super::commands::Command::parse(content, &self.settings.prefix) else {
            return;
        };
        if self.me().await.is_none() {
            return;
        }
        self.ensure_commands().await;
        let (Some(message), Some(channel)) = (
            data["id"].as_str().and_then(|s| s.parse().ok()),
            data["channel_id"].as_str().and_then(|s| s.parse().ok()),
        ) else {
            return;
        };
        let asks_to_play = matches!(
            parsed,
            Ok(super::commands::Command::Play(_) | super::commands::Command::PlayNext(_))
        );
        if data["guild_id"].is_null() && !self.may_act_in(channel, author, asks_to_play).await {
            return;
        }
        let asked = Asked {
            message,
            channel,
            author,
            author_username: data["author"]["username"].as_str().unwrap_or("someone").to_owned(),
            author_name: data["member"]["nick"]
                .as_str()
                .or(data["author"]["global_name"].as_str())
                .or(data["author"]["username"].as_str())
                .unwrap_or("someone")
                .to_owned(),
            attachments: attachments_of(&data),
            replied_attachments: attachments_of(&data["referenced_message"]),
            interaction: None,
        };
        if let Err(slow_down) = self.within_limit(author).await {
            self.reply(&asked, &slow_down.to_string(), None).await;
            return;
        }
        match parsed {
            Ok(command) => self.handle(&asked, command).await,
            Err(e) => self.reply(&asked, &e.to_string(), None).await,
        }
    }

    /// In a DM or group DM the DJ acts only where it is one of the people, or when someone in the group's call
    /// asks it to play from the group's chat: then it joins the group (everyone there sees it added), as a
    /// friend would. A two-person DM cannot take a third, so there it stays out.
    async fn may_act_in(&self, channel: Snowflake, author: Snowflake, asks_to_play: bool) -> bool {
        let Ok(people) = self.parts.store.dm_recipient_ids(channel).await else {
            return false;
        };
        if people.contains(&self.my_id()) {
            return true;
        }
        if !asks_to_play || self.parts.voice.room_of(author) != Some(channel) {
            return false;
        }
        let Ok(Some(asker)) = self.parts.store.user_by_id(author).await else {
            return false;
        };
        match self.parts.chat.add_recipient(&asker, channel, self.my_id()).await {
            Ok(()) => true,
            Err(e) => {
                tracing::info!(error = %e, "the DJ could not join a DM's call");
                false
            }
        }
    }

    /// Counts a command of `user` against the per-member limit (chat and the now-playing bar alike); refuses
    /// with the wait when they gave [`RATE_LIMIT`] in the last [`RATE_WINDOW`].
    async fn within_limit(&self, user: Snowflake) -> Result<(), MusicError> {
        let mut recent = self.recent.lock().await;
        let times = recent.entry(user).or_default();
        let now = Instant::now();
        while times.front().is_some_and(|t| now.duration_since(*t) > RATE_WINDOW) {
            times.pop_front();
        }
        if times.len() >= RATE_LIMIT {
            let oldest = times.front().copied().unwrap_or(now);
            return Err(MusicError::SlowDown(
                RATE_WINDOW.saturating_sub(now.duration_since(oldest)),
            ));
        }
        times.push_back(now);
        Ok(())
    }

    /// Answers in the channel, replying to the command, mentioning nobody.
    pub(crate) async fn reply(&self, asked: &Asked, text: &str, embed: Option<Value>) {
        if let Some(token) = &asked.interaction {
            return self.answer_interaction(token, text, embed).await;
        }
        self.say(asked.channel, text, embed, Some(asked.message)).await;
    }

    pub(crate) async fn say(&self, channel: Snowflake, text: &str, embed: Option<Value>, reply_to: Option<Snowflake>) {
        self.say_with(channel, text, embed, reply_to, None).await;
    }

    /// [`Dj::say`] with buttons.
    pub(crate) async fn say_with(
        &self,
        channel: Snowflake,
        text: &str,
        embed: Option<Value>,
        reply_to: Option<Snowflake>,
        components: Option<Value>,
    ) {
        let input = MessageInput {
            components,
            content: Some(text.chars().take(1900).collect()),
            made_embeds: embed
                .and_then(|e| serde_json::from_value::<crate::wire::Embed>(e).ok())
                .into_iter()
                .collect(),
            allowed_mentions: Some(AllowedMentions {
                parse: Some(Vec::new()),
                users: Vec::new(),
                roles: Vec::new(),
                replied_user: Some(false),
            }),
            message_reference: reply_to.map(|id| MessageReference {
                message_id: Some(id),
                channel_id: Some(channel),
                fail_if_not_exists: Some(false),
            }),
            ..MessageInput::default()
        };
        let Some(me) = self.me().await else { return };
        if let Err(e) = self.parts.chat.send(me, channel, input).await {
            tracing::debug!(error = %e, "the DJ could not answer");
        }
    }

    async fn on_player_event(self: &Arc<Self>, room_id: Snowflake, event: PlayerEvent) {
        let open = self.opener();
        let (announcement, channel, changed) = {
            let mut rooms = self.rooms.lock().await;
            let Some(room) = rooms.get_mut(&room_id) else { return };
            let announcement = room.on_event(&event, &open);
            room.keep_going(&open);
            let channel = room.text_channel;
            // A track that ends with the next one prepared is followed at once by that one's start: one update
            // (for the start) is enough, and the bar does not blink empty in between.
            let changed = match event {
                PlayerEvent::SeekFailed(..) | PlayerEvent::EffectsDone => false,
                PlayerEvent::Ended(_) => room.prepared.is_none(),
                _ => true,
            };
            if matches!(event, PlayerEvent::SinkClosed)
                && let Some(room) = rooms.remove(&room_id)
            {
                room.retire();
            }
            (announcement, channel, changed)
        };
        if changed {
            self.publish(room_id).await;
        }
        if matches!(event, PlayerEvent::EffectsDone) {
            self.leave_if_idle_later(room_id);
        }
        match announcement {
            Some(room::Announcement::NowPlaying(entry)) => {
                let embed = text::now_playing_embed(&entry, None, &self.settings.public_url);
                self.say_with(channel, "", Some(embed), None, Some(slash::player_buttons()))
                    .await;
            }
            Some(room::Announcement::Failed(entry, why)) => {
                self.say(
                    channel,
                    &format!("Could not play **{}**: {why}. Moving on.", entry.title),
                    None,
                    None,
                )
                .await;
            }
            Some(room::Announcement::Text(text)) => self.say(channel, &text, None, None).await,
            None => {}
        }
    }
}
