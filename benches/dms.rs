//! Direct messages at scale (issue 16): READY for someone with 200 open DMs (bytes and time from IDENTIFY to
//! READY), and the newest page of a DM with 10,000 messages next to the same page of a space channel with
//! 10,000 messages. The real `spot` binary on a temporary data dir; bots stand in for people (the REST and
//! gateway paths are the same).
//!
//! `cargo bench --bench dms -- [--partners 200] [--history 10000] [--rounds 20]`

// The load generator is a plain HTTP client on loopback, not a fetch of outside URLs.
#![allow(clippy::disallowed_types)]

#[path = "common/mod.rs"]
#[allow(dead_code)]
mod common;

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    async fn call(&self, token: &str, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut request = self
            .http
            .request(method, format!("{}/api/v10{path}", self.base))
            .header("authorization", format!("Bot {token}"));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        assert!(response.status().is_success(), "{path}: {}", response.status());
        response.json().await.unwrap_or(Value::Null)
    }
}

/// (READY bytes, time from IDENTIFY sent to READY read); `capabilities` as the web client sends them.
async fn ready(base: &str, token: &str, capabilities: u64) -> (usize, Duration) {
    let url = format!("{}/gateway?v=10&encoding=json", base.replacen("http", "ws", 1));
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    ws.next().await.unwrap().unwrap(); // HELLO
    let identify = json!({"op": 2, "d": {"token": format!("Bot {token}"), "intents": 1 | (1 << 12), "capabilities": capabilities, "properties": {}}});
    let started = Instant::now();
    ws.send(Message::text(identify.to_string())).await.unwrap();
    loop {
        if let Message::Text(text) = ws.next().await.unwrap().unwrap()
            && text.contains("\"t\":\"READY\"")
        {
            let elapsed = started.elapsed();
            let _ = ws.close(None).await;
            return (text.len(), elapsed);
        }
    }
}

async fn page_time(api: &Api, token: &str, channel: &str, rounds: usize) -> Duration {
    let mut times = Vec::new();
    for _ in 0..rounds {
        let started = Instant::now();
        let page = api
            .call(
                token,
                reqwest::Method::GET,
                &format!("/channels/{channel}/messages?limit=50"),
                None,
            )
            .await;
        times.push(started.elapsed());
        assert_eq!(page.as_array().unwrap().len(), 50);
    }
    times.sort();
    times[times.len() / 2]
}

fn main() {
    if !std::env::args().any(|arg| arg == "--bench") {
        eprintln!("dms: a benchmark; run it with `cargo bench --bench dms`");
        return;
    }
    tokio::runtime::Runtime::new().unwrap().block_on(run());
}

async fn run() {
    let partners = common::arg("--partners", 200);
    let history = common::arg("--history", 10_000);
    let rounds = common::arg("--rounds", 20);
    let limits = "\n[api]\nroute_limit = 1000000\nglobal_per_second = 1000000\n[gateway]\nbot_sessions_per_day = 100000\nidentify_burst = 100000\nidentifies_per_minute = 100000\n";
    let (_dir, config) = common::init(limits);
    let reader = common::spot(&config, &["bot", "create", "reader"]);
    let others: Vec<String> = (0..partners)
        .map(|i| common::spot(&config, &["bot", "create", &format!("partner{i}")]))
        .collect();
    let (_server, base) = common::serve(&config, false, std::process::Stdio::null());
    let api = Api {
        http: reqwest::Client::new(),
        base: base.clone(),
    };
    let me = api.call(&reader, reqwest::Method::GET, "/users/@me", None).await;
    let reader_id = me["id"].as_str().unwrap().to_owned();
    let mut first_dm = String::new();
    for token in &others {
        let dm = api
            .call(
                token,
                reqwest::Method::POST,
                "/users/@me/channels",
                Some(json!({"recipient_id": reader_id})),
            )
            .await;
        let id = dm["id"].as_str().unwrap().to_owned();
        api.call(
            token,
            reqwest::Method::POST,
            &format!("/channels/{id}/messages"),
            Some(json!({"content": "hey, it's me"})),
        )
        .await;
        if first_dm.is_empty() {
            first_dm = id;
        }
    }
    // 16 = DEDUPE_USER_OBJECTS, as the web client asks; 0 as the Discord libraries do.
    for (capabilities, who) in [(16, "web client"), (0, "libraries")] {
        let mut sizes = Vec::new();
        let mut times = Vec::new();
        for _ in 0..rounds {
            let (bytes, time) = ready(&base, &reader, capabilities).await;
            sizes.push(bytes);
            times.push(time);
        }
        times.sort();
        println!(
            "READY with {partners} open DMs ({who}): {} bytes, median {:.1} ms, max {:.1} ms over {rounds} identifies",
            sizes[0],
            times[times.len() / 2].as_secs_f64() * 1000.0,
            times[times.len() - 1].as_secs_f64() * 1000.0
        );
    }

    // A DM and a space channel with the same history.
    let guilds = api.call(&reader, reqwest::Method::GET, "/users/@me/guilds", None).await;
    let guild = guilds[0]["id"].as_str().unwrap().to_owned();
    let channels = api
        .call(
            &reader,
            reqwest::Method::GET,
            &format!("/guilds/{guild}/channels"),
            None,
        )
        .await;
    let general = channels
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "general")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let started = Instant::now();
    for channel in [&first_dm, &general] {
        let path = format!("/channels/{channel}/messages");
        let posts = (0..history).map(|i| {
            api.call(
                &reader,
                reqwest::Method::POST,
                &path,
                Some(json!({"content": format!("message {i} of a long history")})),
            )
        });
        let mut posts = futures_util::stream::iter(posts).buffer_unordered(16);
        while posts.next().await.is_some() {}
    }
    println!(
        "seeded {history} messages in each of a DM and a channel in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let dm = page_time(&api, &reader, &first_dm, rounds).await;
    let channel = page_time(&api, &reader, &general, rounds).await;
    println!(
        "newest 50 of {history}: DM median {:.2} ms, channel median {:.2} ms ({rounds} requests each)",
        dm.as_secs_f64() * 1000.0,
        channel.as_secs_f64() * 1000.0
    );
}
