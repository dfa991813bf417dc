//! A gateway client that stops reading: the server keeps at most `gateway.outbound_queue` frames waiting for
//! it, closes it with the resumable 4000 once it is that far behind, and a RESUME brings back everything it
//! missed, in order, once.

use reqwest::Method;
use serde_json::{Value, json};

use crate::gw::Gw;
use crate::support::{ADMIN, ADMIN_PASSWORD, Instance, create_bot};

const MESSAGES: usize = 300;

/// The message number in a MESSAGE_CREATE's content.
fn number(payload: &Value) -> Option<usize> {
    let content = payload["d"]["content"].as_str()?;
    content.split(' ').nth(1)?.parse().ok()
}

#[tokio::test]
async fn a_client_that_stops_reading_is_closed_resumably_and_loses_nothing() {
    let instance =
        Instance::new("[gateway]\noutbound_queue = 8\n[api]\nroute_limit = 1000\nglobal_per_second = 1000\n");
    let token = create_bot(&instance, "slowbot");
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let (_, general) = admin.home().await;

    // A receive buffer of a few kilobytes, so the server's side fills up quickly once the client stops reading.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let address = server.base.trim_start_matches("http://").parse().unwrap();
    let stream = socket.connect(address).await.unwrap();
    let mut slow = Gw::connect_over(&server, "v=10&encoding=json", stream).await;
    let intents = 1 | (1 << 9) | (1 << 15);
    let (ready, _) = slow.identify(&token, intents).await;
    let session = ready["session_id"].as_str().unwrap().to_owned();

    // The client reads nothing while ~600 KB of messages are posted (the server's socket buffer is 128 KiB).
    let filler = "x".repeat(1900);
    for n in 0..MESSAGES {
        let response = admin
            .api(
                Method::POST,
                &format!("/channels/{general}/messages"),
                Some(json!({"content": format!("message {n} {filler}")})),
            )
            .await;
        assert_eq!(response.status(), 200, "post {n}");
    }

    // Now it reads: what reached its socket, then the resumable close.
    let mut seen = Vec::new();
    let mut last_seq = 0;
    let code = loop {
        match slow.next().await {
            Ok(payload) => {
                if let Some(seq) = payload["s"].as_u64() {
                    last_seq = seq;
                }
                if payload["t"] == "MESSAGE_CREATE" {
                    seen.push(number(&payload).unwrap());
                }
            }
            Err(code) => break code,
        }
    };
    assert_eq!(
        code,
        Some(4000),
        "a client too far behind is closed with the resumable 4000"
    );
    assert!(
        seen.len() < MESSAGES,
        "the client was cut off before the end ({} of {MESSAGES} arrived)",
        seen.len()
    );

    // RESUME from the last sequence it saw: the rest arrives, then RESUMED.
    let mut back = Gw::connect(&server, "v=10&encoding=json").await;
    assert_eq!(back.recv().await["op"], 10);
    back.send(json!({"op": 6, "d": {"token": token, "session_id": session, "seq": last_seq}}))
        .await;
    loop {
        let payload = back.recv().await;
        if payload["t"] == "RESUMED" {
            break;
        }
        assert_eq!(
            payload["t"], "MESSAGE_CREATE",
            "only the missed messages are replayed: {payload}"
        );
        seen.push(number(&payload).unwrap());
    }
    assert_eq!(seen, (0..MESSAGES).collect::<Vec<_>>(), "every message once, in order");
    server.stop();
}
