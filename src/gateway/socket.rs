//! The gateway's WebSocket, at the socket: the upgrade handshake (RFC 6455 §4.2), taking the `TcpStream` back
//! from hyper afterwards, and [`Io`], through which tungstenite reads the client's frames while every byte this
//! side sends goes through the connection's [`Outbox`].
//!
//! Owning the socket is what lets the fan-out write an event to a thousand sockets from one loop, instead of
//! waking a thousand connection tasks to do it (see `session`).

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, ready};

use axum::body::Body;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::{Buf, Bytes};
use hyper::upgrade::OnUpgrade;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::handshake::derive_accept_key;

use super::outbox::Outbox;

/// The kernel's send buffer for a gateway socket. Linux would otherwise grow it to megabytes for a client that
/// stops reading; with this, a stuck client holds this much in the kernel plus `gateway.outbound_queue` frames
/// in spot, and is then closed. (Linux doubles the value for its bookkeeping.)
const SEND_BUFFER: usize = 128 * 1024;

/// A valid WebSocket upgrade request.
pub struct Handshake {
    key: HeaderValue,
    on_upgrade: OnUpgrade,
}

/// The upgraded connection: the socket, and whatever the client sent right after its request.
pub struct Upgraded {
    pub socket: Arc<TcpStream>,
    pub early: Bytes,
}

fn header_has(headers: &HeaderMap, name: header::HeaderName, token: &str) -> bool {
    headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|v| v.trim().eq_ignore_ascii_case(token))
}

impl<S: Send + Sync> FromRequestParts<S> for Handshake {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Response> {
        let refuse = |status: StatusCode, why: &'static str| (status, why).into_response();
        if parts.method != Method::GET {
            return Err(refuse(StatusCode::METHOD_NOT_ALLOWED, "WebSocket upgrades use GET\n"));
        }
        if !header_has(&parts.headers, header::CONNECTION, "upgrade")
            || !header_has(&parts.headers, header::UPGRADE, "websocket")
        {
            let mut response = refuse(StatusCode::UPGRADE_REQUIRED, "this URL is a WebSocket\n");
            response
                .headers_mut()
                .insert(header::UPGRADE, HeaderValue::from_static("websocket"));
            return Err(response);
        }
        if parts
            .headers
            .get(header::SEC_WEBSOCKET_VERSION)
            .map(HeaderValue::as_bytes)
            != Some(b"13")
        {
            // RFC 6455 §4.4: name the version this server speaks.
            let mut response = refuse(StatusCode::BAD_REQUEST, "Sec-WebSocket-Version must be 13\n");
            response
                .headers_mut()
                .insert(header::SEC_WEBSOCKET_VERSION, HeaderValue::from_static("13"));
            return Err(response);
        }
        let Some(key) = parts.headers.get(header::SEC_WEBSOCKET_KEY).cloned() else {
            return Err(refuse(StatusCode::BAD_REQUEST, "Sec-WebSocket-Key is missing\n"));
        };
        let Some(on_upgrade) = parts.extensions.remove::<OnUpgrade>() else {
            return Err(refuse(
                StatusCode::UPGRADE_REQUIRED,
                "this connection cannot be upgraded\n",
            ));
        };
        Ok(Self { key, on_upgrade })
    }
}

impl Handshake {
    /// Answers 101 and runs `connection` on the socket once hyper hands it over.
    pub fn accept<F, Fut>(self, connection: F) -> Response
    where
        F: FnOnce(Upgraded) -> Fut + Send + 'static,
        Fut: std::future::Future<Output = ()> + Send + 'static,
    {
        let on_upgrade = self.on_upgrade;
        tokio::spawn(async move {
            let upgraded = match on_upgrade.await {
                Ok(upgraded) => upgraded,
                Err(error) => return tracing::debug!(%error, "gateway upgrade failed"),
            };
            match upgraded.downcast::<TokioIo<TcpStream>>() {
                Ok(parts) => {
                    let socket = parts.io.into_inner();
                    if let Err(error) = socket2::SockRef::from(&socket).set_send_buffer_size(SEND_BUFFER) {
                        tracing::debug!(%error, "could not size the gateway socket's send buffer");
                    }
                    // A copy: an empty slice of hyper's read buffer would keep all of it alive.
                    let early = Bytes::copy_from_slice(&parts.read_buf);
                    connection(Upgraded {
                        socket: Arc::new(socket),
                        early,
                    })
                    .await;
                }
                Err(_) => tracing::error!("gateway upgrade is not a TCP socket (served by another accept loop?)"),
            }
        });
        let mut response = Response::new(Body::empty());
        *response.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
        let headers = response.headers_mut();
        headers.insert(header::CONNECTION, HeaderValue::from_static("upgrade"));
        headers.insert(header::UPGRADE, HeaderValue::from_static("websocket"));
        if let Ok(accept) = HeaderValue::from_str(&derive_accept_key(self.key.as_bytes())) {
            headers.insert(header::SEC_WEBSOCKET_ACCEPT, accept);
        }
        response
    }
}

/// The socket as tungstenite sees it: reads come from the socket, writes (pongs, close replies) go to the
/// outbox behind whatever is already queued there.
pub struct Io {
    socket: Arc<TcpStream>,
    outbox: Arc<Outbox>,
    early: Bytes,
}

impl Io {
    /// `early` is read before the socket.
    pub fn new(upgraded: Upgraded, outbox: Arc<Outbox>) -> Self {
        Self {
            socket: upgraded.socket,
            outbox,
            early: upgraded.early,
        }
    }
}

impl AsyncRead for Io {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.early.has_remaining() {
            let n = this.early.len().min(buf.remaining());
            buf.put_slice(&this.early[..n]);
            this.early.advance(n);
            return Poll::Ready(Ok(()));
        }
        loop {
            ready!(this.socket.poll_read_ready(cx))?;
            match this.socket.try_read(buf.initialize_unfilled()) {
                Ok(n) => {
                    buf.advance(n);
                    return Poll::Ready(Ok(()));
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {}
                Err(e) => return Poll::Ready(Err(e)),
            }
        }
    }
}

impl AsyncWrite for Io {
    fn poll_write(self: Pin<&mut Self>, _cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        Poll::Ready(self.outbox.send_raw(buf).map(|()| buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        // The outbox writes on its own; queued is as good as flushed here.
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}
