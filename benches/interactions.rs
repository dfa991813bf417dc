//! Interactions and webhooks under load (issue 21). The real `spot` binary on a temporary data dir; a bot that
//! answers every interaction at once (its own time is measured and reported), a person who invokes 100
//! commands at the same moment and waits to see each answer on their gateway; then a webhook executed as fast
//! as 32 concurrent clients can (each 204 means the message is stored: persist, then publish).
//!
//! `cargo bench --bench interactions -- [--concurrent 100] [--rounds 5] [--webhooks 5000]`

// The load generator is a plain HTTP client on loopback, not a fetch of outside URLs.
#![allow(clippy::disallowed_types)]

#[path = "common/mod.rs"]
#[allow(dead_code)]
mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::{Message, client::IntoClientRequest};

fn main() {
    if !std::env::args().any(|arg| arg == "--bench") {
        eprintln!("interactions: a benchmark; run it with `cargo bench --bench interactions`");
        return;
    }
    tokio::runtime::Runtime::new().unwrap().block_on(run());
}

fn cookie_of(response: &reqwest::Response, name: &str) -> Option<String> {
    response.headers().get_all("set-cookie").iter().find_map(|v| {
        let text = v.to_str().ok()?;
        let pair = text.split(';').next()?;
        let (key, value) = pair.split_once('=')?;
        (key == name && !value.is_empty()).then(|| value.to_owned())
    })
}

/// Logs the admin in like a browser: (session cookie, CSRF token).
async fn login(http: &reqwest::Client, base: &str) -> (String, String) {
    let page = http.get(format!("{base}/login")).send().await.unwrap();
    let csrf = cookie_of(&page, "spot_csrf").unwrap();
    let done = http
        .post(format!("{base}/login"))
        .header("cookie", format!("spot_csrf={csrf}"))
        .form(&[
            ("username", "admin"),
            ("password", "benchmark password"),
            ("csrf_token", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    let status = done.status();
    if status != 303 {
        panic!("login: {status}: {}", done.text().await.unwrap_or_default());
    }
    (
        cookie_of(&done, "spot_session").unwrap(),
        cookie_of(&done, "spot_csrf").unwrap(),
    )
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn gateway(base: &str, token: &str, cookie: Option<&str>) -> Socket {
    let url = format!("{}/gateway?v=10&encoding=json", base.replacen("http", "ws", 1));
    let mut request = url.into_client_request().unwrap();
    if let Some(cookie) = cookie {
        request
            .headers_mut()
            .insert("cookie", format!("spot_session={cookie}").parse().unwrap());
        request.headers_mut().insert("origin", base.parse().unwrap());
    }
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    ws.next().await.unwrap().unwrap();
    let identify = json!({"op": 2, "d": {"token": token, "intents": 1 | (1 << 9), "properties": {}}});
    ws.send(Message::text(identify.to_string())).await.unwrap();
    loop {
        if let Message::Text(text) = ws.next().await.unwrap().unwrap()
            && text.contains("\"t\":\"GUILD_CREATE\"")
        {
            return ws;
        }
    }
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

async fn run() {
    let concurrent = common::arg("--concurrent", 100);
    let rounds = common::arg("--rounds", 5);
    let webhooks = common::arg("--webhooks", 5000);
    let limits = "\n[api]\nroute_limit = 1000000\nglobal_per_second = 1000000\n";
    let (_dir, config) = common::init(limits);
    let permissions = (517_647_748_672u64 | (1 << 13) | (1 << 29)).to_string();
    let token = common::spot(&config, &["bot", "create", "answerer", "--permissions", &permissions]);
    let (_server, base) = common::serve(&config, false, std::process::Stdio::null());
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let bot = |method: reqwest::Method, path: &str| {
        http.request(method, format!("{base}/api/v10{path}"))
            .header("authorization", format!("Bot {token}"))
    };
    let me: Value = bot(reqwest::Method::GET, "/users/@me")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let app = me["id"].as_str().unwrap().to_owned();
    let guilds: Value = bot(reqwest::Method::GET, "/users/@me/guilds")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let guild = guilds[0]["id"].as_str().unwrap().to_owned();
    let channels: Value = bot(reqwest::Method::GET, &format!("/guilds/{guild}/channels"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let general = channels
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "general")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let commands: Value = bot(
        reqwest::Method::PUT,
        &format!("/applications/{app}/guilds/{guild}/commands"),
    )
    .json(&json!([{"name": "ping", "description": "Answers at once"}]))
    .send()
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    let command = commands[0]["id"].as_str().unwrap().to_owned();

    // The bot: answers each INTERACTION_CREATE at once; its own time (event read → callback answered) is kept.
    let bot_times: Arc<Mutex<Vec<Duration>>> = Arc::default();
    let mut bot_ws = gateway(&base, &format!("Bot {token}"), None).await;
    {
        let (http, base, bot_times) = (http.clone(), base.clone(), bot_times.clone());
        tokio::spawn(async move {
            while let Some(Ok(frame)) = bot_ws.next().await {
                let Message::Text(text) = frame else { continue };
                if !text.contains("\"t\":\"INTERACTION_CREATE\"") {
                    continue;
                }
                let started = Instant::now();
                let event: Value = serde_json::from_str(&text).unwrap();
                let d = &event["d"];
                let (id, token) = (
                    d["id"].as_str().unwrap().to_owned(),
                    d["token"].as_str().unwrap().to_owned(),
                );
                let (http, base, bot_times) = (http.clone(), base.clone(), bot_times.clone());
                tokio::spawn(async move {
                    let answer = json!({"type": 4, "data": {"content": format!("pong {id}")}});
                    let response = http
                        .post(format!("{base}/api/v10/interactions/{id}/{token}/callback"))
                        .json(&answer)
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(response.status(), 204);
                    bot_times.lock().unwrap().push(started.elapsed());
                });
            }
        });
    }

    // The person: invokes `concurrent` commands at once and times each until its answer arrives.
    let (session, csrf) = login(&http, &base).await;
    let mut person = gateway(&base, "", Some(&session)).await;
    let mut round_trips = Vec::new();
    for _ in 0..rounds {
        let sent: Arc<Mutex<HashMap<String, Instant>>> = Arc::default();
        let mut posts = Vec::new();
        for i in 0..concurrent {
            let nonce = format!("{i}");
            let body = json!({"type": 2, "application_id": app, "channel_id": general, "nonce": nonce,
                "data": {"id": command, "name": "ping", "type": 1}});
            let request = http
                .post(format!("{base}/api/v10/interactions"))
                .header("cookie", format!("spot_session={session}; spot_csrf={csrf}"))
                .header("x-csrf-token", &csrf)
                .json(&body);
            let sent = sent.clone();
            posts.push(tokio::spawn(async move {
                sent.lock().unwrap().insert(nonce, Instant::now());
                let response = request.send().await.unwrap();
                assert_eq!(response.status(), 204);
            }));
        }
        // Interaction id → nonce (INTERACTION_CREATE to the person), then the answer "pong <id>".
        let mut by_id: HashMap<String, String> = HashMap::new();
        let mut answered = 0;
        while answered < concurrent {
            let Some(Ok(Message::Text(text))) = person.next().await else {
                continue;
            };
            let event: Value = serde_json::from_str(&text).unwrap();
            match event["t"].as_str() {
                Some("INTERACTION_CREATE") => {
                    by_id.insert(
                        event["d"]["id"].as_str().unwrap().to_owned(),
                        event["d"]["nonce"].as_str().unwrap().to_owned(),
                    );
                }
                Some("MESSAGE_CREATE") => {
                    let Some(id) = event["d"]["content"].as_str().and_then(|c| c.strip_prefix("pong ")) else {
                        continue;
                    };
                    let nonce = by_id
                        .get(id)
                        .cloned()
                        .expect("the acknowledgement comes before the answer");
                    let started = sent.lock().unwrap()[&nonce];
                    round_trips.push(started.elapsed());
                    answered += 1;
                }
                _ => {}
            }
        }
        for post in posts {
            post.await.unwrap();
        }
    }
    round_trips.sort();
    let mut own = bot_times.lock().unwrap().clone();
    own.sort();
    println!(
        "{} interactions ({concurrent} at once, {rounds} rounds): round trip p50 {:.1} ms, p99 {:.1} ms; the bot's own time p50 {:.1} ms, p99 {:.1} ms",
        round_trips.len(),
        percentile(&round_trips, 0.5),
        percentile(&round_trips, 0.99),
        percentile(&own, 0.5),
        percentile(&own, 0.99),
    );

    // A webhook executed by 32 clients at once.
    let hook: Value = bot(reqwest::Method::POST, &format!("/channels/{general}/webhooks"))
        .json(&json!({"name": "load"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let url = hook["url"].as_str().unwrap().to_owned();
    let started = Instant::now();
    let posts = (0..webhooks).map(|i| {
        let request = http.post(&url).json(&json!({"content": format!("build {i} passed")}));
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 204);
        }
    });
    let mut posts = futures_util::stream::iter(posts).buffer_unordered(32);
    while posts.next().await.is_some() {}
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{webhooks} webhook executes (32 at once): {:.0} per second, each stored before its 204",
        webhooks as f64 / elapsed
    );
    drop(person);
}
