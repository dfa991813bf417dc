//! One gateway WebSocket connection: HELLO, heartbeats, client commands and Discord's close codes. Its
//! session's events do not pass through this task: the fan-out writes them to the socket through the
//! connection's [`Outbox`]. The task wakes for what the client sends, for bytes the socket would not take at
//! once (the outbox's pump), for its session's owner work (permission changes, a takeover), and for timers.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{Value, json};
use tokio::sync::Notify;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::protocol::{Role, WebSocketConfig};
use tokio_tungstenite::{WebSocketStream, tungstenite};

use super::Gateway;
use super::outbox::{Outbox, Stopped};
use super::payload::{self, Close, op};
use super::session::{self, Session, Work};
use super::socket::{Io, Upgraded};
use crate::store::{Snowflake, User};

/// How long a closing connection keeps reading for the client's own close.
const LINGER: Duration = Duration::from_secs(2);
/// A socket that takes nothing for this long means the client is gone.
const SEND_TIMEOUT: Duration = Duration::from_secs(15);

/// What the upgrade request established.
pub struct Upgrade {
    /// Its place among the open connections (given back when the connection closes).
    pub admission: Option<super::limits::Admission>,
    /// The user of a same-site browser session cookie, if any.
    pub cookie_user: Option<User>,
    /// That browser session's token hash: a session identified through the cookie ends with it.
    pub cookie_session: Option<[u8; 32]>,
    /// The transport compression asked for (`compress=zlib-stream` or `zstd-stream`).
    pub compress: Option<super::compress::Kind>,
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
    /// Reads the client's frames; its own writes (pongs) go to the outbox.
    ws: WebSocketStream<Io>,
    pub(super) outbox: Arc<Outbox>,
    /// Wakes this connection as the owner of its session.
    pub(super) wake: Arc<Notify>,
    pub(super) state: Gateway,
    pub(super) upgrade: Upgrade,
    /// The session and this connection's owner number for it.
    pub(super) session: Option<(Arc<Session>, u64)>,
    /// (guild, user) this connection counts as online, once identified or resumed.
    pub(super) online: Option<(Snowflake, Snowflake)>,
    /// Not afk: its user is looking at it (counted in presences while online).
    pub(super) looking: bool,
    last_heartbeat: Instant,
    window_start: Instant,
    commands_in_window: u32,
    heartbeats_in_window: u32,
}

/// Runs a connection until it closes.
pub async fn run(upgraded: Upgraded, state: Gateway, upgrade: Upgrade) {
    let (_open, mut stopping) = state.shutdown.register();
    let outbox = Arc::new(Outbox::new(
        Arc::clone(&upgraded.socket),
        upgrade.compress,
        state.sessions.outbound_queue,
    ));
    // Small buffers: clients send at most 4 KiB, and idle sessions should cost kilobytes. tungstenite writes
    // only pongs and close replies, straight through to the outbox.
    let config = WebSocketConfig::default()
        .max_message_size(Some(64 * 1024))
        .max_frame_size(Some(64 * 1024))
        .read_buffer_size(1024)
        .write_buffer_size(0);
    let io = Io::new(upgraded, Arc::clone(&outbox));
    let ws = WebSocketStream::from_raw_socket(io, Role::Server, Some(config)).await;
    let now = Instant::now();
    let mut conn = Connection {
        ws,
        outbox: Arc::clone(&outbox),
        wake: Arc::new(Notify::new()),
        state,
        upgrade,
        session: None,
        online: None,
        looking: true,
        last_heartbeat: now,
        window_start: now,
        commands_in_window: 0,
        heartbeats_in_window: 0,
    };
    let interval = conn.state.config.gateway.heartbeat_interval_ms;
    let timeout = Duration::from_millis(interval + interval / 2);
    if conn
        .send(payload::control(op::HELLO, &json!({"heartbeat_interval": interval})))
        .is_err()
    {
        return;
    }
    // A connection must identify (or resume) in time: until it does, it holds a socket as no one.
    let identify_by = tokio::time::sleep(conn.state.config.gateway.identify_timeout.0);
    tokio::pin!(identify_by);
    // One timer for the connection, moved only when a heartbeat arrives.
    let mut beat_seen = conn.last_heartbeat;
    let deadline = tokio::time::sleep_until(tokio::time::Instant::from_std(beat_seen + timeout));
    tokio::pin!(deadline);
    // It never completes if the sender is gone, so it is never polled after completing (completing closes the
    // connection).
    let shutdown = async {
        if stopping.changed().await.is_ok() {
            return;
        }
        std::future::pending::<()>().await;
    };
    tokio::pin!(shutdown);
    // Likewise the pump completes only when the outbox stops, and that ends the connection.
    let pump = outbox.pump(SEND_TIMEOUT);
    tokio::pin!(pump);
    loop {
        if conn.last_heartbeat != beat_seen {
            beat_seen = conn.last_heartbeat;
            deadline
                .as_mut()
                .reset(tokio::time::Instant::from_std(beat_seen + timeout));
        }
        let wake = Arc::clone(&conn.wake);
        let flow = tokio::select! {
            message = conn.ws.next() => match message {
                Some(Ok(Message::Text(text))) => conn.handle(text.as_str()).await,
                // JSON in BINARY frames (hikari sends them) is read as Discord reads it.
                Some(Ok(Message::Binary(bytes))) => match std::str::from_utf8(&bytes) {
                    Ok(text) => conn.handle(text).await,
                    Err(_) => conn.close(Close::DecodeError).await,
                },
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => Flow::Continue,
                Some(Ok(Message::Close(frame))) => {
                    // Answer with the client's code (tungstenite may have queued the answer already).
                    let code = frame.map_or(1000, |f| u16::from(f.code));
                    conn.outbox.close(code, "", SEND_TIMEOUT).await;
                    Flow::Stop
                }
                // A broken WebSocket frame is answered with RFC 6455's close code (when the socket still takes it).
                Some(Err(error)) => match protocol_close_code(&error) {
                    Some(code) => {
                        conn.outbox.close(code, "", SEND_TIMEOUT).await;
                        Flow::Stop
                    }
                    None => Flow::Stop,
                },
                None => Flow::Stop,
            },
            () = wake.notified() => Box::pin(conn.on_wake()).await,
            stopped = &mut pump => match stopped {
                // Too slow to keep up: close resumably; the session keeps what it missed for a RESUME.
                Stopped::Over => conn.close(Close::UnknownError).await,
                Stopped::Broken => Flow::Stop,
            },
            () = &mut deadline => conn.close(Close::SessionTimedOut).await,
            () = &mut identify_by, if conn.session.is_none() => conn.close(Close::NotAuthenticated).await,
            () = &mut shutdown => conn.close(Close::GoingAway).await,
        };
        if matches!(flow, Flow::Stop) {
            break;
        }
    }
    // The place is free once the close is sent; lingering is bounded and holds no session.
    conn.upgrade.admission = None;
    // A lingering close: read and drop what the client still sends until it closes too (or briefly), so unread
    // bytes do not make the kernel answer with a reset that destroys the close frame before the client reads
    // it. A client that closed first ends this at once.
    let linger = async { while let Some(Ok(_)) = conn.ws.next().await {} };
    let _ = tokio::time::timeout(LINGER, linger).await;
}

/// RFC 6455's close code for a frame tungstenite refused: 1009 too big, 1007 not UTF-8, 1002 otherwise broken;
/// `None` when the connection itself is gone.
fn protocol_close_code(error: &tungstenite::Error) -> Option<u16> {
    match error {
        tungstenite::Error::Capacity(_) => Some(1009),
        tungstenite::Error::Utf8(_) => Some(1007),
        tungstenite::Error::Protocol(_) => Some(1002),
        _ => None,
    }
}

impl Drop for Connection {
    /// However the connection ends (a panic included), its session waits for a RESUME and its user's
    /// presence is updated.
    fn drop(&mut self) {
        if let Some((session, me)) = self.session.take() {
            session::detach(session, me, self.state.clone());
        }
        if let Some((guild, user)) = self.online.take() {
            self.state
                .presences
                .disconnected(&self.state.hub, guild, user, self.looking);
        }
    }
}

impl Connection {
    /// Sends one payload (not a dispatch: those are numbered by the session).
    pub(super) fn send(&self, text: String) -> Result<(), ()> {
        if self.outbox.send(&[text]) { Ok(()) } else { Err(()) }
    }

    /// Sends a close frame after everything queued; the connection ends.
    pub(super) async fn close(&mut self, code: Close) -> Flow {
        self.outbox.close(code as u16, code.reason(), SEND_TIMEOUT).await;
        Flow::Stop
    }

    /// A dispatch for this session only (READY, GUILD_CREATE, member chunks).
    pub(super) fn dispatch(&mut self, name: &'static str, data: String) -> Flow {
        if let Some((session, me)) = &self.session {
            session.dispatch(*me, name, data);
        }
        Flow::Continue
    }

    /// The session's owner work: events that needed the database, a takeover by another connection.
    async fn on_wake(&mut self) -> Flow {
        let Some((session, me)) = self.session.clone() else {
            return Flow::Continue;
        };
        match session.work(me, &self.state).await {
            Work::Done => Flow::Continue,
            Work::NotOwner => {
                // Another connection resumed this session: this one closes without it.
                self.session = None;
                self.close(Close::UnknownError).await
            }
            Work::Removed => {
                // Removed from the space: this session is over and cannot be resumed.
                self.end_session();
                self.close(Close::AuthenticationFailed).await
            }
            Work::Lost => {
                tracing::warn!(session = %session.id, "gateway session fell behind");
                self.end_session();
                self.close(Close::UnknownError).await
            }
        }
    }

    /// Forgets this connection's session for good: it leaves the registry, the hub and voice.
    pub(super) fn end_session(&mut self) {
        if let Some((session, me)) = self.session.take() {
            session.end(&self.state, Some(me));
        }
    }

    async fn handle(&mut self, text: &str) -> Flow {
        let incoming = match payload::parse(text) {
            Ok(incoming) => incoming,
            Err(code) => return self.close(code).await,
        };
        let now = Instant::now();
        if now.duration_since(self.window_start) >= Duration::from_secs(60) {
            self.window_start = now;
            self.commands_in_window = 0;
            self.heartbeats_in_window = 0;
        }
        if incoming.op == op::HEARTBEAT {
            // Heartbeats have their own allowance: three times the announced rate, and at least one a second.
            let interval = self.state.config.gateway.heartbeat_interval_ms.max(1);
            let allowed = (3 * 60_000 / interval).max(60) as u32;
            self.heartbeats_in_window += 1;
            if self.heartbeats_in_window > allowed {
                return self.close(Close::RateLimited).await;
            }
        } else {
            self.commands_in_window += 1;
            if self.commands_in_window > self.state.config.gateway.commands_per_minute {
                return self.close(Close::RateLimited).await;
            }
        }
        match (incoming.op, self.session.is_some()) {
            (op::HEARTBEAT, _) => {
                self.last_heartbeat = Instant::now();
                if let (Some((session, _)), Some(seq)) = (&self.session, incoming.d.as_u64()) {
                    session.acknowledge(seq);
                }
                match self.send(payload::control(op::HEARTBEAT_ACK, &Value::Null)) {
                    Ok(()) => Flow::Continue,
                    // Too far behind (or broken): close resumably after what is queued.
                    Err(()) => self.close(Close::UnknownError).await,
                }
            }
            // The rare commands with big futures are boxed while they run, so an idle connection's task stays
            // small (its future is as large as the largest thing it might await).
            (op::IDENTIFY, false) => Box::pin(self.identify(incoming.d)).await,
            (op::RESUME, false) => Box::pin(self.resume(incoming.d)).await,
            (op::IDENTIFY | op::RESUME, true) => self.close(Close::AlreadyAuthenticated).await,
            (op::PRESENCE_UPDATE | op::VOICE_STATE_UPDATE | op::REQUEST_GUILD_MEMBERS, false) => {
                self.close(Close::NotAuthenticated).await
            }
            (op::PRESENCE_UPDATE, true) => {
                self.presence(incoming.d);
                Flow::Continue
            }
            (op::VOICE_STATE_UPDATE, true) => Box::pin(self.voice_state(incoming.d)).await,
            (op::REQUEST_GUILD_MEMBERS, true) => Box::pin(self.request_members(incoming.d)).await,
            _ => self.close(Close::UnknownOpcode).await,
        }
    }
}
