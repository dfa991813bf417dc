//! A raw gateway client for tests: connect (optionally with zlib-stream and extra headers), send, read payloads
//! and dispatches, wait for the close code, identify.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::support::Server;

/// A raw gateway client.
pub struct Gw {
    pub ws: WebSocketStream<MaybeTlsStream<TcpStream>>,
    inflate: Option<flate2::Decompress>,
}

impl Gw {
    pub async fn connect(server: &Server, query: &str) -> Self {
        Self::connect_with(server, query, &[]).await
    }

    /// Connects to `path_and_query` as given (`/gateway/?v=10&encoding=json`, as eris and oceanic.js build it).
    pub async fn connect_path(server: &Server, path_and_query: &str) -> Self {
        let url = format!("{}{path_and_query}", server.base.replacen("http", "ws", 1));
        let (ws, _) = tokio_tungstenite::connect_async(url).await.expect("gateway upgrade");
        Self { ws, inflate: None }
    }

    pub async fn connect_with(server: &Server, query: &str, headers: &[(&'static str, String)]) -> Self {
        let url = format!("{}/gateway?{query}", server.base.replacen("http", "ws", 1));
        let mut request = url.into_client_request().unwrap();
        for (name, value) in headers {
            request.headers_mut().insert(*name, value.parse().unwrap());
        }
        let (ws, _) = tokio_tungstenite::connect_async(request)
            .await
            .expect("gateway upgrade");
        let inflate = query
            .contains("compress=zlib-stream")
            .then(|| flate2::Decompress::new(true));
        Self { ws, inflate }
    }

    /// Connects over `stream`, a socket the test set up itself (say, with a tiny receive buffer).
    pub async fn connect_over(server: &Server, query: &str, stream: TcpStream) -> Self {
        let url = format!("{}/gateway?{query}", server.base.replacen("http", "ws", 1));
        let (ws, _) = tokio_tungstenite::client_async(url, MaybeTlsStream::Plain(stream))
            .await
            .expect("gateway upgrade");
        Self { ws, inflate: None }
    }

    pub async fn send(&mut self, value: Value) {
        self.ws.send(Message::text(value.to_string())).await.unwrap();
    }

    /// The next JSON payload; panics on close or timeout.
    pub async fn recv(&mut self) -> Value {
        match self.next().await {
            Ok(value) => value,
            Err(close) => panic!("expected a payload, got close {close:?}"),
        }
    }

    /// The next dispatch with this name (skipping others and heartbeat ACKs).
    pub async fn dispatch(&mut self, name: &str) -> Value {
        loop {
            let payload = self.recv().await;
            if payload["t"] == name {
                return payload;
            }
        }
    }

    /// The next dispatch with this name whose `d` passes `wanted` (skipping everything else).
    pub async fn dispatch_where(&mut self, name: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        loop {
            let payload = self.dispatch(name).await;
            if wanted(&payload["d"]) {
                return payload["d"].clone();
            }
        }
    }

    pub async fn next(&mut self) -> Result<Value, Option<u16>> {
        loop {
            let message = tokio::time::timeout(Duration::from_secs(10), self.ws.next())
                .await
                .expect("gateway timed out");
            match message {
                Some(Ok(Message::Text(text))) => return Ok(serde_json::from_str(&text).unwrap()),
                Some(Ok(Message::Binary(bytes))) => {
                    let inflate = self.inflate.as_mut().expect("binary frame without compression");
                    assert!(
                        bytes.ends_with(&[0, 0, 0xff, 0xff]),
                        "zlib-stream frames end with a sync flush"
                    );
                    let mut out = Vec::with_capacity(bytes.len() * 20 + 1024);
                    inflate
                        .decompress_vec(&bytes, &mut out, flate2::FlushDecompress::Sync)
                        .unwrap();
                    return Ok(serde_json::from_slice(&out).unwrap());
                }
                Some(Ok(Message::Close(frame))) => return Err(frame.map(|f| u16::from(f.code))),
                Some(Ok(_)) => continue,
                Some(Err(_)) | None => return Err(None),
            }
        }
    }

    /// Reads until the server closes; returns the close code.
    pub async fn closed(&mut self) -> Option<u16> {
        loop {
            if let Err(code) = self.next().await {
                return code;
            }
        }
    }

    /// HELLO, IDENTIFY, READY, GUILD_CREATE; returns (READY d, GUILD_CREATE d).
    pub async fn identify(&mut self, token: &str, intents: u64) -> (Value, Value) {
        let hello = self.recv().await;
        assert_eq!(hello["op"], 10);
        self.send(json!({"op": 2, "d": {"token": token, "intents": intents, "properties": {"os": "linux"}}}))
            .await;
        let ready = self.dispatch("READY").await;
        let guild = self.dispatch("GUILD_CREATE").await;
        (ready["d"].clone(), guild["d"].clone())
    }
}
