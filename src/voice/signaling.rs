//! `GET /voice`: the embedded SFU's signaling WebSocket. The first message is `identify` with the voice token
//! from VOICE_SERVER_UPDATE; then SDP offers/answers and ICE candidates flow both ways as JSON text frames (see
//! `docs/voice-signaling.md`). This task only relays: parsing SDP and everything else about media happens in
//! the media loop. Refusals are an `error` message followed by a close code; the room is never affected.

use std::time::Duration;

use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use axum::extract::{State, WebSocketUpgrade};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;

use super::Voice;
use super::sfu::protocol::{ClientMessage, ErrorCode, RemoveReason, ServerMessage, close};
use super::sfu::{OUTBOX, Signal};
use super::token::TokenError;
use crate::shutdown::Shutdown;

/// Time a new socket has to identify.
const IDENTIFY_TIMEOUT: Duration = Duration::from_secs(10);
/// A write that takes longer than this means the client is gone.
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// Largest message accepted (an SDP offer with many m-lines stays far below).
const MAX_MESSAGE: usize = 128 * 1024;
/// Messages a client may send per [`RATE_WINDOW`] (a join is an offer and a few dozen candidates); every SDP
/// costs the media loop work that other rooms wait for, so a flood ends the connection.
const MAX_MESSAGES: u32 = 120;
const RATE_WINDOW: Duration = Duration::from_secs(10);

/// `GET /voice` with a WebSocket upgrade.
pub async fn connect(
    State(voice): State<Voice>,
    State(shutdown): State<Shutdown>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response {
    if voice.sfu().is_none() {
        return (StatusCode::NOT_FOUND, "this instance uses LiveKit for voice\n").into_response();
    }
    let ws = match ws {
        Ok(ws) => ws,
        Err(rejection) => return rejection.into_response(),
    };
    ws.max_message_size(MAX_MESSAGE)
        .on_upgrade(move |socket| run(socket, voice, shutdown))
}

async fn send(socket: &mut WebSocket, message: &ServerMessage) -> bool {
    let Ok(text) = serde_json::to_string(message) else {
        return false;
    };
    matches!(
        tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Text(text.into()))).await,
        Ok(Ok(()))
    )
}

async fn close_with(socket: &mut WebSocket, code: u16, reason: &str) {
    let frame = CloseFrame {
        code,
        reason: reason.to_owned().into(),
    };
    let _ = tokio::time::timeout(SEND_TIMEOUT, socket.send(Message::Close(Some(frame)))).await;
    // Finish the close handshake: read and drop what the client still sends until its Close, for a second at
    // most. Dropping the socket with unread data would reset the connection, which can hide the error and the
    // close code from the client.
    let _ = tokio::time::timeout(std::time::Duration::from_secs(1), async {
        while let Some(Ok(message)) = socket.recv().await {
            if matches!(message, Message::Close(_)) {
                break;
            }
        }
    })
    .await;
}

/// Sends an error and closes with its code.
async fn refuse(socket: &mut WebSocket, code: ErrorCode, message: &str) {
    let error = ServerMessage::Error {
        code,
        message: message.to_owned(),
    };
    send(socket, &error).await;
    close_with(socket, code.close_code(), message).await;
}

fn parse(message: Option<Result<Message, axum::Error>>) -> Result<Option<ClientMessage>, &'static str> {
    match message {
        Some(Ok(Message::Text(text))) => serde_json::from_str(text.as_str())
            .map(Some)
            .map_err(|_| "not a signaling message (see docs/voice-signaling.md)"),
        Some(Ok(Message::Binary(_))) => Err("binary frames are not used"),
        Some(Ok(Message::Ping(_) | Message::Pong(_))) => Ok(None),
        Some(Ok(Message::Close(_)) | Err(_)) | None => Err(""),
    }
}

async fn run(mut socket: WebSocket, voice: Voice, shutdown: Shutdown) {
    // Told to close like gateway sockets when the server stops (axum does not track upgraded sockets).
    let (_open, mut stopping) = shutdown.register();
    let Some(sfu) = voice.sfu().cloned() else { return };
    let token = loop {
        let first = match tokio::time::timeout(IDENTIFY_TIMEOUT, socket.recv()).await {
            Ok(message) => parse(message),
            Err(_) => Err("identify first"),
        };
        match first {
            Ok(None) => continue,
            Ok(Some(ClientMessage::Identify { token })) => break token,
            Ok(Some(_)) => return refuse(&mut socket, ErrorCode::BadMessage, "identify first").await,
            Err("") => return,
            Err(why) => return refuse(&mut socket, ErrorCode::BadMessage, why).await,
        }
    };
    let (outbox, mut inbox) = mpsc::channel(OUTBOX);
    let (peer, spec) = match voice.connect_peer(&token, outbox) {
        Ok(admitted) => admitted,
        Err(e) => {
            let message = match e {
                TokenError::Expired => "the voice token has expired: join the channel again",
                TokenError::Invalid => "the voice token is not valid for a room you are in",
            };
            return refuse(&mut socket, ErrorCode::InvalidToken, message).await;
        }
    };
    let ready = ServerMessage::Ready {
        user_id: spec.user_id.to_string(),
        channel_id: spec.channel_id.to_string(),
        ice_servers: voice.config().ice_servers.clone(),
        grants: spec.grants,
    };
    if !send(&mut socket, &ready).await {
        return sfu.closed(peer);
    }
    let mut window = (tokio::time::Instant::now(), 0u32);
    loop {
        tokio::select! {
            Ok(()) = stopping.changed() => {
                sfu.remove_user(spec.user_id, RemoveReason::Shutdown);
                send(&mut socket, &ServerMessage::Removed { reason: RemoveReason::Shutdown }).await;
                return close_with(&mut socket, 1001, "server stopping").await;
            }
            incoming = socket.recv() => match parse(incoming) {
                Ok(Some(_)) if over_limit(&mut window) => {
                    sfu.closed(peer);
                    return refuse(&mut socket, ErrorCode::BadMessage, "too many signaling messages").await;
                }
                Ok(None) => {}
                Ok(Some(ClientMessage::Offer { sdp, sources })) => sfu.signal(peer, Signal::Offer(sdp, sources)),
                Ok(Some(ClientMessage::Answer { sdp })) => sfu.signal(peer, Signal::Answer(sdp)),
                Ok(Some(ClientMessage::Candidate { candidate })) => sfu.signal(peer, Signal::Candidate(candidate)),
                Ok(Some(ClientMessage::Identify { .. })) => {
                    sfu.closed(peer);
                    return refuse(&mut socket, ErrorCode::BadMessage, "already identified").await;
                }
                Err("") => return sfu.closed(peer),
                Err(why) => {
                    sfu.closed(peer);
                    return refuse(&mut socket, ErrorCode::BadMessage, why).await;
                }
            },
            outgoing = inbox.recv() => {
                let Some(message) = outgoing else {
                    // The media loop dropped the peer after telling it why (or the server is stopping).
                    return close_with(&mut socket, close::REMOVED, "removed").await;
                };
                let ends = match &message {
                    ServerMessage::Error { code, .. } => Some(code.close_code()),
                    ServerMessage::Removed { .. } => Some(close::REMOVED),
                    _ => None,
                };
                if !send(&mut socket, &message).await {
                    return sfu.closed(peer);
                }
                if let Some(code) = ends {
                    sfu.closed(peer);
                    return close_with(&mut socket, code, "voice connection ended").await;
                }
            }
        }
    }
}

/// Counts one message in the current window; true once the client is over [`MAX_MESSAGES`].
fn over_limit(window: &mut (tokio::time::Instant, u32)) -> bool {
    let now = tokio::time::Instant::now();
    if now.duration_since(window.0) >= RATE_WINDOW {
        *window = (now, 0);
    }
    window.1 += 1;
    window.1 > MAX_MESSAGES
}
