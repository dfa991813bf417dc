//! Importing a Discord export (issue 19): a generated DiscordChatExporter JSON file of N messages (one channel,
//! 200 people, a reply every 20th message, reactions on every 10th, mentions on every 7th) is imported by
//! `spot import discord` while the server runs, and a bot keeps chatting (a send and a page of history, 20 per
//! second). Measured: messages per second, the import's peak memory, and the chat requests' p50 and p99
//! meanwhile.
//!
//! `cargo bench --bench import -- [--messages 1000000]`

// The load generator is a plain HTTP client on loopback, not a fetch of outside URLs.
#![allow(clippy::disallowed_types)]

#[path = "common/mod.rs"]
#[allow(dead_code)]
mod common;

use std::io::{BufWriter, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Writes an export of `n` messages, streaming (the generator never holds it either).
fn write_export(path: &std::path::Path, n: usize) {
    let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(path).unwrap());
    write!(
        out,
        r#"{{"guild":{{"id":"1","name":"Big","iconUrl":null}},"channel":{{"id":"2","type":"GuildTextChat","categoryId":null,"category":null,"name":"big","topic":null}},"dateRange":{{"after":null,"before":null}},"exportedAt":"2024-01-01T00:00:00+00:00","messages":["#
    )
    .unwrap();
    let start = 1_600_000_000_000i64;
    for i in 0..n {
        if i > 0 {
            out.write_all(b",").unwrap();
        }
        let who = 1000 + (i % 200);
        let seconds = start / 1000 + (i as i64) * 3;
        let time = chrono::DateTime::from_timestamp(seconds, 0).unwrap().to_rfc3339();
        let mention = if i % 7 == 0 {
            format!(
                r#"{{"id":"{}","name":"p{}","discriminator":"0000","nickname":"P","color":null,"isBot":false,"roles":[],"avatarUrl":""}}"#,
                1000 + (i + 1) % 200,
                (i + 1) % 200
            )
        } else {
            String::new()
        };
        let content = if i % 7 == 0 {
            format!(
                "hey <@{}> message number {i} with a few words of text",
                1000 + (i + 1) % 200
            )
        } else {
            format!("message number {i} with a few words of ordinary chat text in it")
        };
        let reference = if i % 20 == 19 {
            format!(
                r#","reference":{{"type":"Default","messageId":"{}","channelId":"2","guildId":"1"}}"#,
                10_000_000 + i - 1
            )
        } else {
            String::new()
        };
        let reactions = if i % 10 == 0 {
            format!(
                r#"{{"emoji":{{"id":"","name":"👍","code":"thumbsup","isAnimated":false,"imageUrl":""}},"count":1,"users":[{{"id":"{who}","name":"p","discriminator":"0000","nickname":"P","color":null,"isBot":false,"avatarUrl":""}}]}}"#
            )
        } else {
            String::new()
        };
        write!(
            out,
            r##"{{"id":"{}","type":"{}","timestamp":"{time}","timestampEdited":null,"callEndedTimestamp":null,"isPinned":false,"content":"{content}","author":{{"id":"{who}","name":"p{}","discriminator":"0000","nickname":"Person {}","color":"#336699","isBot":false,"roles":[],"avatarUrl":"https://cdn.discordapp.com/embed/avatars/0.png"}},"attachments":[],"components":[],"embeds":[],"stickers":[],"reactions":[{reactions}],"mentions":[{mention}]{reference},"inlineEmojis":[]}}"##,
            10_000_000 + i,
            if reference.is_empty() { "Default" } else { "Reply" },
            who - 1000,
            who - 1000,
        )
        .unwrap();
    }
    write!(out, r#"],"messageCount":{n}}}"#).unwrap();
    out.flush().unwrap();
}

fn main() {
    if !std::env::args().any(|arg| arg == "--bench") {
        eprintln!("import: a benchmark; run it with `cargo bench --bench import`");
        return;
    }
    tokio::runtime::Runtime::new().unwrap().block_on(run());
}

async fn run() {
    let n = common::arg("--messages", 1_000_000);
    let (dir, config) = common::init("\n[api]\nroute_limit = 1000000\nglobal_per_second = 1000000\n");
    let export = dir.path().join("big.json");
    let started = Instant::now();
    write_export(&export, n);
    let size = std::fs::metadata(&export).unwrap().len();
    println!(
        "export: {n} messages, {:.0} MB, written in {:.1} s",
        size as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    let bot = common::spot(&config, &["bot", "create", "chatter"]);
    let (_server, base) = common::serve(&config, false, Stdio::null());
    let http = reqwest::Client::new();
    let guilds: serde_json::Value = http
        .get(format!("{base}/api/v10/users/@me/guilds"))
        .header("authorization", format!("Bot {bot}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let guild = guilds[0]["id"].as_str().unwrap().to_owned();
    let channels: serde_json::Value = http
        .get(format!("{base}/api/v10/guilds/{guild}/channels"))
        .header("authorization", format!("Bot {bot}"))
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

    // Reading alone (a dry run parses and converts everything, and writes nothing).
    let started = Instant::now();
    let dry = common::spot(&config, &["import", "discord", "--dry-run", export.to_str().unwrap()]);
    let dry_seconds = started.elapsed().as_secs_f64();
    println!(
        "dry run (reading and converting only): {:.1} s = {:.0} messages/s ({})",
        dry_seconds,
        n as f64 / dry_seconds,
        dry.lines().next().unwrap_or("")
    );

    let started = Instant::now();
    let mut child = Command::new(common::spot_binary())
        .arg("--config")
        .arg(&config)
        .args(["import", "discord"])
        .arg(&export)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let pid = child.id();
    let mut latencies = Vec::new();
    let mut peak = 0u64;
    let mut i = 0;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "the import failed");
            break;
        }
        peak = peak.max(common::usage(pid).1);
        let t = Instant::now();
        let sent = http
            .post(format!("{base}/api/v10/channels/{general}/messages"))
            .header("authorization", format!("Bot {bot}"))
            .json(&serde_json::json!({"content": format!("still here {i}")}))
            .send()
            .await
            .unwrap();
        assert!(sent.status().is_success());
        latencies.push(t.elapsed());
        let t = Instant::now();
        let page = http
            .get(format!("{base}/api/v10/channels/{general}/messages?limit=50"))
            .header("authorization", format!("Bot {bot}"))
            .send()
            .await
            .unwrap();
        assert!(page.status().is_success());
        latencies.push(t.elapsed());
        i += 1;
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut summary = String::new();
    std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut summary).unwrap();
    latencies.sort();
    let pct = |p: f64| latencies[((latencies.len() as f64 - 1.0) * p) as usize].as_secs_f64() * 1000.0;
    println!("{}", summary.lines().next().unwrap_or(""));
    println!(
        "import: {n} messages in {elapsed:.1} s = {:.0} messages/s; peak memory {:.0} MB",
        n as f64 / elapsed,
        peak as f64 / 1e6
    );
    println!(
        "chat meanwhile: {} requests, p50 {:.1} ms, p99 {:.1} ms",
        latencies.len(),
        pct(0.5),
        pct(0.99)
    );
}
