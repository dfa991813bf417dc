//! IDENTIFY and RESUME: who the connection is, which session it starts or takes back.

use serde_json::{Value, json};

use super::connection::{Connection, Flow};
use std::collections::HashSet;
use std::sync::Arc;

use super::filter::Filter;
use super::payload::{self, Close, Identify, Resume, op};
use super::session::{Owner, Session};
use crate::chat::{ChatError, GuildView};
use crate::hub::intents;
use crate::store::User;
use crate::wire;

impl Connection {
    /// The user a token (or, for an empty token, the browser's session cookie) belongs to. Takes `&mut self`
    /// only so the future stays `Send` (the socket is not `Sync`).
    async fn authenticate(&mut self, token: &str) -> Option<User> {
        let token = token.strip_prefix("Bot ").unwrap_or(token).trim();
        if token.is_empty() {
            return self.upgrade.cookie_user.clone();
        }
        let accounts = self.state.accounts.clone();
        accounts.authenticate_bot(token).await.ok().flatten()
    }

    pub(super) async fn identify(&mut self, d: Value) -> Flow {
        let Ok(identify) = serde_json::from_value::<Identify>(d) else {
            return self.close(Close::DecodeError).await;
        };
        let Some(user) = self.authenticate(&identify.token).await else {
            return self.close(Close::AuthenticationFailed).await;
        };
        if identify.shard.is_some_and(|shard| shard != [0, 1]) {
            return self.close(Close::InvalidShard).await;
        }
        let wanted = match identify.intents {
            Some(bits) => bits,
            None if user.is_bot => return self.close(Close::InvalidIntents).await,
            None => intents::ALL,
        };
        if wanted & !intents::ALL != 0 {
            return self.close(Close::InvalidIntents).await;
        }
        if user.is_bot && wanted & intents::PRIVILEGED != 0 && !self.state.config.gateway.privileged_intents {
            return self.close(Close::DisallowedIntents).await;
        }
        if !self.state.session_starts.start(user.id, user.is_bot) {
            // Over the account's session-start limits: Discord answers INVALID_SESSION, and the client retries later.
            return self.invalid_session().await;
        }
        // The session joins the fan-out before the snapshot is read, so nothing published in between is
        // missed; it is held (events wait) until READY and GUILD_CREATE are out.
        let session_id = crate::crypto::random_token();
        let owner = Owner::new(Arc::clone(&self.wake), Some(Arc::clone(&self.outbox)));
        let me = owner.id();
        let through_cookie = identify
            .token
            .strip_prefix("Bot ")
            .unwrap_or(&identify.token)
            .trim()
            .is_empty();
        let credential = if through_cookie {
            self.upgrade.cookie_session
        } else {
            None
        };
        let session = Arc::new(
            Session::new(
                session_id.clone(),
                user.clone(),
                wanted,
                owner,
                self.state.fanout.pick_shard(),
                self.state.sessions.replay_buffer,
            )
            .with_credential(credential),
        );
        self.state.fanout.add(&session);
        self.state.sessions.insert(&session);
        self.session = Some((Arc::clone(&session), me));
        if let Some(admission) = &mut self.upgrade.admission {
            admission.identified();
        }
        let view = match self.state.chat.guild_view(&user, None).await {
            Ok(view) => view,
            Err(e) => {
                self.end_session();
                if matches!(e, ChatError::UnknownGuild) {
                    return self.close(Close::AuthenticationFailed).await;
                }
                tracing::error!(error = %e, "gateway identify failed");
                return self.close(Close::UnknownError).await;
            }
        };
        let status = identify
            .presence
            .as_ref()
            .and_then(|p| p.status.clone())
            .unwrap_or_else(|| "online".to_owned());
        self.looking = !identify.presence.as_ref().and_then(|p| p.afk).unwrap_or(false);
        self.state
            .presences
            .connected(&self.state.hub, view.guild.id, user.id, &status, self.looking);
        self.online = Some((view.guild.id, user.id));
        let visible: Vec<_> = view.guild.channels.iter().map(|c| c.id).collect();
        let guild_create = view.guild_create(
            self.state.presences.snapshot(view.guild.id),
            self.state.voice.states(&visible),
        );
        let dedupe = identify.capabilities.unwrap_or(0) & payload::DEDUPE_USER_OBJECTS != 0;
        let ready = self.ready(&user, &view, &session_id, dedupe).await;
        let visible = Filter::fetch_visible(&self.state.chat, &user, view.guild.id)
            .await
            .unwrap_or_default();
        session.set_scope(view.guild.id, visible);
        tracing::info!(user = %user.username, bot = user.is_bot, intents = wanted, "gateway identify");
        self.dispatch("READY", wire::to_json(&ready));
        self.dispatch("GUILD_CREATE", wire::to_json(&guild_create));
        // Calls ringing or running in the user's DMs, as Discord announces them after READY.
        for call in self.state.voice.calls_of(user.id) {
            self.dispatch("CALL_CREATE", wire::to_json(&call));
        }
        session.release();
        Flow::Continue
    }

    /// The READY payload.
    async fn ready(&mut self, user: &User, view: &GuildView, session_id: &str, dedupe: bool) -> wire::Ready {
        let read_state = self.state.store.read_states(user.id).await.unwrap_or_default();
        let private_channels = self.state.chat.private_channels(user).await.unwrap_or_default();
        let members: HashSet<wire::Id> = view.members.iter().map(|m| wire::Id(m.user.id)).collect();
        let (private_channels, users) = wire::ReadyPrivateChannel::list(private_channels, dedupe, &members);
        let relationships = self.state.chat.relationships(user).await.unwrap_or_default();
        let user_settings = self.state.chat.settings(user).await.unwrap_or(wire::UserSettings {
            default_guilds_restricted: false,
        });
        let user_guild_settings =
            self.state
                .chat
                .notification_settings(user)
                .await
                .unwrap_or(wire::UserGuildSettingsList {
                    version: 0,
                    partial: false,
                    entries: Vec::new(),
                });
        wire::Ready {
            v: 10,
            user: wire::CurrentUser::from(user),
            guilds: vec![wire::UnavailableGuild {
                id: wire::Id(view.guild.id),
                unavailable: true,
            }],
            session_id: session_id.to_owned(),
            resume_gateway_url: self.upgrade.resume_url.clone(),
            session_type: "normal",
            shard: [0, 1],
            application: wire::PartialApplication {
                id: wire::Id(user.id),
                flags: intents::application_flags(self.state.config.gateway.privileged_intents),
            },
            private_channels,
            users,
            relationships,
            presences: Vec::new(),
            guild_join_requests: Vec::new(),
            geo_ordered_rtc_regions: Vec::new(),
            user_settings,
            user_guild_settings,
            read_state: wire::ReadStates {
                version: 1,
                partial: false,
                entries: read_state
                    .iter()
                    .map(|r| wire::ReadStateEntry {
                        id: wire::Id(r.channel_id),
                        last_message_id: wire::Id(r.last_message_id),
                        mention_count: r.mention_count,
                        unread: None,
                    })
                    .collect(),
            },
        }
    }

    async fn invalid_session(&mut self) -> Flow {
        match self.send(payload::control(op::INVALID_SESSION, &json!(false))) {
            Ok(()) => Flow::Continue,
            Err(()) => self.close(Close::UnknownError).await,
        }
    }

    pub(super) async fn resume(&mut self, d: Value) -> Flow {
        let Ok(resume) = serde_json::from_value::<Resume>(d) else {
            return self.close(Close::DecodeError).await;
        };
        let Some(user) = self.authenticate(&resume.token).await else {
            return self.close(Close::AuthenticationFailed).await;
        };
        let Some(id) = resume.session_id else {
            return self.invalid_session().await;
        };
        let Some(session) = self.state.sessions.get(&id, user.id) else {
            return self.invalid_session().await;
        };
        // Takes the session from whoever holds it; the missed frames and RESUMED are queued in the same step.
        let owner = Owner::new(Arc::clone(&self.wake), Some(Arc::clone(&self.outbox)));
        let me = owner.id();
        if !session.resume(owner, resume.seq.unwrap_or(0)) {
            session.end(&self.state, None);
            return self.invalid_session().await;
        }
        self.session = Some((session, me));
        if let Some(admission) = &mut self.upgrade.admission {
            admission.identified();
        }
        if let Ok(Some(guild)) = self.state.store.guild_home().await {
            self.state
                .presences
                .connected(&self.state.hub, guild.id, user.id, "online", self.looking);
            self.online = Some((guild.id, user.id));
        }
        Flow::Continue
    }
}
