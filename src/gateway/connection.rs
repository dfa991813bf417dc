//! One gateway WebSocket connection: HELLO, heartbeats, client commands, and — once identified or resumed —
//! the session's events written straight to the socket. Protocol errors close the socket with Discord's codes.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::ws::{CloseFrame, Message, WebSocket};
use futures_util::SinkExt;
use serde_json::{Value, json};
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

use super::compress::ZlibStream;
use super::hub::Event;
use super::payload::{self, Close, Incoming, op};
use super::session::{self, SessionState, Signal};
use crate::app::AppState;
use crate::store::{Snowflake, User};

/// Largest payload a client may send, as on Discord.
const MAX_PAYLOAD: usize = 4096;
/// A write that takes longer than this means the client is gone.
const SEND_TIMEOUT: Duration = Duration::from_secs(15);
/// Events written per batch before flushing the socket.
const BATCH: usize = 64;

/// What the upgrade request established.
pub struct Upgrade {
    /// The user of a same-site browser session cookie, if any.
    pub cookie_user: Option<User>,
    /// `compress=zlib-stream` was asked for.
    pub zlib: bool,
    /// The URL clients should resume at.
    pub resume_url: String,
}

/// Whether to keep the connection open.
pub(super) enum Flow {
    Continue,
    Stop,
}

/// A connection and, once identified, its session.
pub(super) struct Connection {
    socket: WebSocket,
    pub(super) state: AppState,
    pub(super) upgrade: Upgrade,
    zlib: Option<ZlibStream>,
    pub(super) session: Option<SessionState>,
    /// (guild, user) this connection counts as online, once identified or resumed.
    pub(super) online: Option<(Snowflake, Snowflake)>,
    last_heartbeat: Instant,
    window_start: Instant,
    commands_in_window: u32,
}

async fn next_signal(session: &mut Option<SessionState>) -> Signal {
    match session {
        Some(session) => session.next().await,
        None => std::future::pending().await,
    }
}

/// Runs a connection until it closes.
pub async fn run(socket: WebSocket, state: AppState, upgrade: Upgrade) {
    let (_open, mut stopping) = state.gateway_shutdown.register();
    let zlib = upgrade.zlib.then(ZlibStream::new);
    let now = Instant::now();
    let mut conn = Connection {
        socket,
        state,
        upgrade,
        zlib,
        session: None,
        online: None,
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
    // One timer for the connection, moved only when a heartbeat arrives: registering a fresh timer on every
    // loop turn would cost a timer-wheel insertion per delivered event.
    let mut beat_seen = conn.last_heartbeat;
    let deadline = tokio::time::sleep_until(tokio::time::Instant::from_std(beat_seen + timeout));
    tokio::pin!(deadline);
    // Likewise one wait for shutdown: a fresh `changed()` per turn would register with (and leave) the watch's
    // shared waiter list on every delivered event, a lock every connection contends for. It never completes if
    // the sender is gone, so it is never polled after completing (completing closes the connection).
    let shutdown = async {
        if stopping.changed().await.is_ok() {
            return;
        }
        std::future::pending::<()>().await;
    };
    tokio::pin!(shutdown);
    loop {
        if conn.last_heartbeat != beat_seen {
            beat_seen = conn.last_heartbeat;
            deadline
                .as_mut()
                .reset(tokio::time::Instant::from_std(beat_seen + timeout));
        }
        let flow = tokio::select! {
            message = conn.socket.recv() => match message {
                Some(Ok(Message::Text(text))) => conn.handle(text.as_str()).await,
                Some(Ok(Message::Binary(_))) => conn.close(Close::DecodeError).await,
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => Flow::Continue,
                Some(Ok(Message::Close(_)) | Err(_)) | None => Flow::Stop,
            },
            signal = next_signal(&mut conn.session) => conn.on_signal(signal).await,
            () = &mut deadline => conn.close(Close::SessionTimedOut).await,
            () = &mut shutdown => conn.close(Close::GoingAway).await,
        };
        if matches!(flow, Flow::Stop) {
            break;
        }
    }
    if let Some(session) = conn.session.take() {
        let sessions = conn.state.sessions.clone();
        let window = sessions.resume_window;
        let voice = conn.state.voice.clone();
        session::detach(session, conn.state.chat.clone(), sessions, voice, window);
    }
    if let Some((guild, user)) = conn.online.take() {
        conn.state.presences.disconnected(&conn.state.hub, guild, user);
    }
}

impl Connection {
    fn message(&mut self, text: String) -> Message {
        match &mut self.zlib {
            Some(zlib) => Message::Binary(zlib.compress(text.as_bytes()).into()),
            None => Message::Text(text.into()),
        }
    }

    /// Sends one frame.
    pub(super) async fn send(&mut self, text: String) -> Result<(), ()> {
        self.send_all(vec![text]).await
    }

    /// Sends frames with one flush.
    pub(super) async fn send_all(&mut self, frames: Vec<String>) -> Result<(), ()> {
        let messages: Vec<Message> = frames.into_iter().map(|f| self.message(f)).collect();
        let socket = &mut self.socket;
        let write = async move {
            for message in messages {
                socket.feed(message).await?;
            }
            socket.flush().await
        };
        match tokio::time::timeout(SEND_TIMEOUT, write).await {
            Ok(Ok(())) => Ok(()),
            _ => Err(()),
        }
    }

    /// Sends a close frame; the connection ends.
    pub(super) async fn close(&mut self, code: Close) -> Flow {
        let frame = CloseFrame {
            code: code as u16,
            reason: code.reason().into(),
        };
        let _ = tokio::time::timeout(SEND_TIMEOUT, self.socket.send(Message::Close(Some(frame)))).await;
        Flow::Stop
    }

    /// A dispatch for this session only (READY, GUILD_CREATE, RESUMED, member chunks).
    pub(super) async fn dispatch(&mut self, name: &'static str, data: String) -> Flow {
        let Some(session) = self.session.as_mut() else {
            return Flow::Continue;
        };
        let frame = session.record(name, Arc::from(data));
        match self.send(frame).await {
            Ok(()) => Flow::Continue,
            Err(()) => Flow::Stop,
        }
    }

    /// Filters an event for this session and, if it passes, records it and adds its frame to `frames`.
    async fn accept(&mut self, event: &Event, frames: &mut Vec<String>) {
        let Some(session) = self.session.as_mut() else { return };
        if let Some(data) = session.filter.accept(&self.state.chat, event).await {
            frames.push(session.record(event.name, data));
        }
        let gained = session.filter.take_gained();
        if !gained.is_empty() && session.filter.intents & super::hub::intents::GUILDS != 0 {
            self.sync_threads(gained, frames).await;
        }
    }

    /// THREAD_LIST_SYNC: the active threads of channels this session just gained access to.
    async fn sync_threads(&mut self, gained: Vec<Snowflake>, frames: &mut Vec<String>) {
        let Some(session) = self.session.as_mut() else { return };
        let guild_id = session.filter.guild_id;
        let Ok(threads) = self.state.store.active_threads(guild_id).await else {
            return;
        };
        // Gained ids include the threads themselves; the sync names only their parent channels.
        let gained: Vec<Snowflake> = gained
            .into_iter()
            .filter(|id| !threads.iter().any(|t| t.id == *id))
            .collect();
        let threads: Vec<_> = threads
            .iter()
            .filter(|t| t.parent_id.is_some_and(|p| gained.contains(&p)) && session.filter.sees(t.id))
            .collect();
        if threads.is_empty() {
            return;
        }
        let data = json!({
            "guild_id": crate::wire::id(guild_id),
            "channel_ids": gained.iter().map(|id| crate::wire::id(*id)).collect::<Vec<_>>(),
            "threads": threads.iter().map(|t| crate::wire::channel(t)).collect::<Vec<_>>(),
            "members": [],
        });
        frames.push(session.record("THREAD_LIST_SYNC", Arc::from(data.to_string())));
    }

    async fn on_signal(&mut self, signal: Signal) -> Flow {
        match signal {
            Signal::Event(Ok(event)) => {
                let mut frames = Vec::new();
                self.accept(&event, &mut frames).await;
                // Whatever else is already waiting goes out in the same write.
                while frames.len() < BATCH {
                    let Some(next) = self.session.as_mut().and_then(SessionState::try_next) else {
                        break;
                    };
                    match next {
                        Ok(event) => self.accept(&event, &mut frames).await,
                        Err(TryRecvError::Lagged(_)) => return self.lost().await,
                        Err(_) => break,
                    }
                }
                if !frames.is_empty() && self.send_all(frames).await.is_err() {
                    return Flow::Stop;
                }
                let me = self.session.as_ref().map(|s| s.filter.user.id);
                if event.ends_sessions_of.is_some() && event.ends_sessions_of == me {
                    // Removed from the space: this session is over and cannot be resumed.
                    if let Some(session) = self.session.take() {
                        self.end_session(&session);
                    }
                    return self.close(Close::AuthenticationFailed).await;
                }
                let backlog = self.session.as_ref().map_or(0, SessionState::backlog);
                if backlog > self.state.sessions.outbound_queue {
                    // Too slow to keep up: close resumably; the session keeps buffering while detached.
                    return self.close(Close::UnknownError).await;
                }
                Flow::Continue
            }
            Signal::Event(Err(RecvError::Lagged(_))) => self.lost().await,
            Signal::Event(Err(RecvError::Closed)) => Flow::Stop,
            Signal::Take(reply) => {
                // Another connection resumes this session: hand it over and close this one.
                if let Some(session) = self.session.take() {
                    let _ = reply.send(session);
                }
                self.close(Close::UnknownError).await
            }
        }
    }

    /// The session missed events: it can no longer be resumed. Forget it and close (the client re-identifies).
    async fn lost(&mut self) -> Flow {
        if let Some(session) = self.session.take() {
            tracing::warn!(session = %session.id, "gateway session fell behind the hub");
            self.end_session(&session);
        }
        self.close(Close::UnknownError).await
    }

    /// Forgets a session that cannot be resumed: it leaves the registry and, if it joined voice, voice.
    pub(super) fn end_session(&self, session: &SessionState) {
        self.state.sessions.remove(&session.id);
        self.state.voice.session_ended(session.filter.user.id, &session.id);
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
                if let (Some(session), Some(seq)) = (self.session.as_mut(), incoming.d.as_u64()) {
                    session.acknowledge(seq);
                }
                match self.send(payload::control(op::HEARTBEAT_ACK, &Value::Null)).await {
                    Ok(()) => Flow::Continue,
                    Err(()) => Flow::Stop,
                }
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
            (op::VOICE_STATE_UPDATE, true) => self.voice_state(incoming.d).await,
            (op::REQUEST_GUILD_MEMBERS, true) => self.request_members(incoming.d).await,
            _ => self.close(Close::UnknownOpcode).await,
        }
    }
}
