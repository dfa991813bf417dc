//! One gateway WebSocket connection: HELLO, heartbeats, IDENTIFY or RESUME, client commands, and the frames its
//! session hands it. Protocol errors close the socket with Discord's close codes.

use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot, watch};

use super::compress::ZlibStream;
use super::filter::Filter;
use super::hub::intents;
use super::payload::{self, Close, Identify, Incoming, PresenceUpdate, Resume, op};
use super::session::{self, Attachment, Command, Outbound, SessionConfig, SessionHandle};
use crate::app::AppState;
use crate::chat::ChatError;
use crate::store::User;
use crate::wire;

/// Largest payload a client may send, as on Discord.
const MAX_PAYLOAD: usize = 4096;
/// A write that takes longer than this means the client is gone.
const SEND_TIMEOUT: Duration = Duration::from_secs(15);

/// What the upgrade request established.
pub struct Upgrade {
    /// The user of a same-site browser session cookie, if any.
    pub cookie_user: Option<User>,
    /// `compress=zlib-stream` was asked for.
    pub zlib: bool,
    /// The URL clients should resume at.
    pub resume_url: String,
}

enum Flow {
    Continue,
    Stop,
}

struct Connection {
    socket: WebSocket,
    state: AppState,
    upgrade: Upgrade,
    zlib: Option<ZlibStream>,
    session: Option<SessionHandle>,
    /// (guild, user) this connection counts as online, once identified or resumed.
    online: Option<(crate::store::Snowflake, crate::store::Snowflake)>,
    out_tx: mpsc::Sender<Outbound>,
    kick_tx: watch::Sender<Option<Close>>,
    last_heartbeat: Instant,
    window_start: Instant,
    commands_in_window: u32,
}

/// Runs a connection until it closes.
pub async fn run(socket: WebSocket, state: AppState, upgrade: Upgrade) {
    let queue = state.config.gateway.outbound_queue;
    let (out_tx, mut out_rx) = mpsc::channel(queue);
    let (kick_tx, mut kick_rx) = watch::channel(None);
    let zlib = upgrade.zlib.then(ZlibStream::new);
    let now = Instant::now();
    let mut conn = Connection {
        socket,
        state,
        upgrade,
        zlib,
        session: None,
        online: None,
        out_tx,
        kick_tx,
        last_heartbeat: now,
        window_start: now,
        commands_in_window: 0,
    };
    let interval = conn.state.config.gateway.heartbeat_interval_ms;
    let timeout = Duration::from_millis(interval + interval / 2);
    if conn
        .send(payload::control(op::HELLO, &json!({"heartbeat_interval": interval})))
        .await
        .is_err()
    {
        return;
    }
    loop {
        let deadline = tokio::time::Instant::from_std(conn.last_heartbeat + timeout);
        tokio::select! {
            message = conn.socket.recv() => {
                let flow = match message {
                    Some(Ok(Message::Text(text))) => conn.handle(text.as_str()).await,
                    Some(Ok(Message::Binary(_))) => conn.close(Close::DecodeError).await,
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => Flow::Continue,
                    Some(Ok(Message::Close(_)) | Err(_)) | None => Flow::Stop,
                };
                if matches!(flow, Flow::Stop) {
                    break;
                }
            }
            Some(frame) = out_rx.recv() => {
                let Outbound::Text(text) = frame;
                if conn.send(text).await.is_err() {
                    break;
                }
            }
            Ok(()) = kick_rx.changed() => {
                let code = *kick_rx.borrow();
                if let Some(code) = code {
                    conn.close(code).await;
                    break;
                }
            }
            () = tokio::time::sleep_until(deadline) => {
                conn.close(Close::SessionTimedOut).await;
                break;
            }
        }
    }
    if let Some(session) = conn.session.take() {
        let _ = session.commands.send(Command::Detach).await;
    }
    if let Some((guild, user)) = conn.online.take() {
        conn.state.presences.disconnected(&conn.state.hub, guild, user);
    }
}

impl Connection {
    async fn send(&mut self, text: String) -> Result<(), ()> {
        let message = match &mut self.zlib {
            Some(zlib) => Message::Binary(zlib.compress(text.as_bytes()).into()),
            None => Message::Text(text.into()),
        };
        match tokio::time::timeout(SEND_TIMEOUT, self.socket.send(message)).await {
            Ok(Ok(())) => Ok(()),
            _ => Err(()),
        }
    }

    async fn close(&mut self, code: Close) -> Flow {
        let frame = CloseFrame {
            code: code as u16,
            reason: code.reason().into(),
        };
        let _ = tokio::time::timeout(SEND_TIMEOUT, self.socket.send(Message::Close(Some(frame)))).await;
        Flow::Stop
    }

    async fn handle(&mut self, text: &str) -> Flow {
        if text.len() > MAX_PAYLOAD {
            return self.close(Close::DecodeError).await;
        }
        let Ok(incoming) = serde_json::from_str::<Incoming>(text) else {
            return self.close(Close::DecodeError).await;
        };
        if incoming.op != op::HEARTBEAT {
            let now = Instant::now();
            if now.duration_since(self.window_start) >= Duration::from_secs(60) {
                self.window_start = now;
                self.commands_in_window = 0;
            }
            self.commands_in_window += 1;
            if self.commands_in_window > self.state.config.gateway.commands_per_minute {
                return self.close(Close::RateLimited).await;
            }
        }
        match (incoming.op, self.session.is_some()) {
            (op::HEARTBEAT, _) => {
                self.last_heartbeat = Instant::now();
                if self
                    .send(payload::control(op::HEARTBEAT_ACK, &Value::Null))
                    .await
                    .is_err()
                {
                    return Flow::Stop;
                }
                Flow::Continue
            }
            (op::IDENTIFY, false) => self.identify(incoming.d).await,
            (op::RESUME, false) => self.resume(incoming.d).await,
            (op::IDENTIFY | op::RESUME, true) => self.close(Close::AlreadyAuthenticated).await,
            (op::PRESENCE_UPDATE | op::VOICE_STATE_UPDATE | op::REQUEST_GUILD_MEMBERS, false) => {
                self.close(Close::NotAuthenticated).await
            }
            (op::PRESENCE_UPDATE, true) => {
                self.presence(incoming.d);
                Flow::Continue
            }
            (op::VOICE_STATE_UPDATE, true) => Flow::Continue,
            (op::REQUEST_GUILD_MEMBERS, true) => self.request_members(incoming.d).await,
            _ => self.close(Close::UnknownOpcode).await,
        }
    }

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

    async fn identify(&mut self, d: Value) -> Flow {
        let Ok(identify) = serde_json::from_value::<Identify>(d) else {
            return self.close(Close::DecodeError).await;
        };
        let Some(user) = self.authenticate(&identify.token).await else {
            return self.close(Close::AuthenticationFailed).await;
        };
        if let Some(shard) = identify.shard
            && shard != [0, 1]
        {
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
        // Subscribe before reading the snapshot, so nothing published in between is missed.
        let events = self.state.hub.subscribe();
        let view = match self.state.chat.guild_view(&user, None).await {
            Ok(view) => view,
            Err(ChatError::UnknownGuild) => return self.close(Close::AuthenticationFailed).await,
            Err(e) => {
                tracing::error!(error = %e, "gateway identify failed");
                return self.close(Close::UnknownError).await;
            }
        };
        let session_id = crate::accounts::token::random_token();
        let status = identify
            .presence
            .as_ref()
            .and_then(|p| p.status.clone())
            .unwrap_or_else(|| "online".to_owned());
        self.state
            .presences
            .connected(&self.state.hub, view.guild.id, user.id, &status);
        self.online = Some((view.guild.id, user.id));
        let mut guild_create = view.guild_create();
        guild_create["presences"] = Value::Array(self.state.presences.snapshot(view.guild.id));
        let read_state = self.state.store.read_states(user.id).await.unwrap_or_default();
        let ready = json!({
            "v": 10,
            "user": wire::current_user(&user),
            "guilds": [{"id": wire::id(view.guild.id), "unavailable": true}],
            "session_id": session_id,
            "resume_gateway_url": self.upgrade.resume_url,
            "session_type": "normal",
            "shard": [0, 1],
            "application": {"id": wire::id(user.id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "read_state": {
                "version": 1,
                "partial": false,
                "entries": read_state.iter().map(|r| json!({
                    "id": wire::id(r.channel_id),
                    "last_message_id": wire::id(r.last_message_id),
                    "mention_count": r.mention_count,
                })).collect::<Vec<_>>(),
            },
        });
        let filter = Filter::new(&self.state.chat, user.clone(), wanted, view.guild.id).await;
        let config = SessionConfig {
            replay_buffer: self.state.sessions.replay_buffer,
            resume_window: self.state.sessions.resume_window,
        };
        let handle = session::spawn(
            session_id,
            self.state.chat.clone(),
            filter,
            events,
            config,
            self.state.sessions.clone(),
            self.attachment(),
            vec![("READY", ready.to_string()), ("GUILD_CREATE", guild_create.to_string())],
        );
        self.state.sessions.insert(handle.clone());
        tracing::info!(user = %user.username, bot = user.is_bot, intents = wanted, "gateway identify");
        self.session = Some(handle);
        Flow::Continue
    }

    fn attachment(&self) -> Attachment {
        Attachment {
            out: self.out_tx.clone(),
            kick: self.kick_tx.clone(),
        }
    }

    async fn invalid_session(&mut self) -> Flow {
        match self.send(payload::control(op::INVALID_SESSION, &json!(false))).await {
            Ok(()) => Flow::Continue,
            Err(()) => Flow::Stop,
        }
    }

    async fn resume(&mut self, d: Value) -> Flow {
        let Ok(resume) = serde_json::from_value::<Resume>(d) else {
            return self.close(Close::DecodeError).await;
        };
        let Some(user) = self.authenticate(&resume.token).await else {
            return self.close(Close::AuthenticationFailed).await;
        };
        let Some(handle) = resume.session_id.as_deref().and_then(|id| self.state.sessions.get(id)) else {
            return self.invalid_session().await;
        };
        if handle.user_id != user.id {
            return self.invalid_session().await;
        }
        let (reply, replied) = oneshot::channel();
        let attach = Command::Attach {
            conn: self.attachment(),
            after_seq: Some(resume.seq.unwrap_or(0)),
            reply,
        };
        if handle.commands.send(attach).await.is_err() || !replied.await.unwrap_or(false) {
            return self.invalid_session().await;
        }
        let _ = handle
            .commands
            .send(Command::Direct {
                name: "RESUMED",
                data: "{}".to_owned(),
            })
            .await;
        self.session = Some(handle);
        Flow::Continue
    }

    fn presence(&mut self, d: Value) {
        let Some((guild, user)) = self.online else { return };
        let update: PresenceUpdate = serde_json::from_value(d).unwrap_or_default();
        let status = update.status.unwrap_or_else(|| "online".to_owned());
        if !self.state.presences.update(
            &self.state.hub,
            guild,
            user,
            &status,
            update.activities.unwrap_or(Value::Null),
        ) {
            tracing::debug!(user, "presence update over the per-user limit ignored");
        }
    }

    async fn request_members(&mut self, d: Value) -> Flow {
        let Some(session) = self.session.clone() else {
            return Flow::Continue;
        };
        let query = d.get("query").and_then(Value::as_str).unwrap_or("").to_lowercase();
        let limit = d
            .get("limit")
            .and_then(Value::as_u64)
            .filter(|l| *l > 0)
            .unwrap_or(1000)
            .min(1000) as usize;
        let wanted_ids: Vec<String> = match d.get("user_ids") {
            Some(Value::Array(ids)) => ids
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect(),
            Some(Value::String(id)) => vec![id.clone()],
            Some(Value::Number(id)) => vec![id.to_string()],
            _ => Vec::new(),
        };
        let Some(guild) = self.state.store.guild_home().await.ok().flatten() else {
            return Flow::Continue;
        };
        let members = self
            .state
            .store
            .members_list(guild.id, 0, 1000)
            .await
            .unwrap_or_default();
        let chosen: Vec<Value> = members
            .iter()
            .filter(|m| {
                if wanted_ids.is_empty() {
                    m.user.username.starts_with(&query)
                } else {
                    wanted_ids.contains(&m.user.id.to_string())
                }
            })
            .take(limit)
            .map(wire::member)
            .collect();
        let data = json!({
            "guild_id": wire::id(guild.id),
            "members": chosen,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
            "nonce": d.get("nonce").cloned().unwrap_or(Value::Null),
        });
        let _ = session
            .commands
            .send(Command::Direct {
                name: "GUILD_MEMBERS_CHUNK",
                data: data.to_string(),
            })
            .await;
        Flow::Continue
    }
}
