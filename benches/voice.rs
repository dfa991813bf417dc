//! Embedded SFU benchmark against the real `spot` binary (release build): N synthetic str0m peers in one room,
//! each sending Opus at 50 packets/s, everyone receiving everyone.
//!
//! `cargo bench --bench voice -- [--peers 5,10,25] [--seconds 10] [--pin]`
//!
//! For each N: server CPU (% of one core over the window), forwarded packets/s (as received by the peers), the
//! time frames spend inside the server (p50/p99 from the media loop's own log line: arrival of the datagram to
//! the forwarded copies being handed to the receivers' sessions), end-to-end latency p50/p99 (client write →
//! SFU → client read, both clients in this process; includes both clients' str0m), and server RSS. Results are
//! printed as Markdown table rows for BENCHMARKS.md.

// Test code talks to spot as a client would; the rule that outbound HTTP goes through `spot::fetch` is for
// the server.
#![allow(clippy::disallowed_types)]

mod common;
#[allow(dead_code)]
#[path = "../tests/it/rtc_peer.rs"]
mod rtc_peer;

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::Message;

use common::{Process, usage};
use rtc_peer::{Control, RtcPeer};

struct Args {
    peers: Vec<usize>,
    seconds: u64,
    /// Pin the server to CPU 0 and this load generator to CPU 1 (`taskset`).
    pin: bool,
}

fn args() -> Args {
    let mut args = Args {
        peers: vec![5, 10, 25],
        // The media loop logs every 10 s; a longer window always contains one of its lines.
        seconds: 15,
        pin: false,
    };
    let raw: Vec<String> = std::env::args().collect();
    for (i, arg) in raw.iter().enumerate() {
        let value = raw.get(i + 1).cloned().unwrap_or_default();
        match arg.as_str() {
            "--peers" => args.peers = value.split(',').filter_map(|s| s.parse().ok()).collect(),
            "--seconds" => args.seconds = value.parse().unwrap_or(args.seconds),
            "--pin" => args.pin = true,
            _ => {}
        }
    }
    args
}

struct Server {
    process: Process,
    base: String,
    _dir: tempfile::TempDir,
    bots: Vec<String>,
    /// The media loop's log lines (`voice media …`), with when they arrived.
    reports: Arc<Mutex<Vec<(Instant, String)>>>,
}

fn start(bots: usize, pin: bool) -> Server {
    let (dir, config) = common::init(concat!(
        "\n[voice]\nudp_host = \"127.0.0.1\"\nudp_port = 0\nmax_room_size = 100\nstate_updates_per_minute = 1000\n",
        "[gateway]\nheartbeat_interval_ms = 600000\n[log]\nlevel = \"warn,spot::voice::sfu::report=info\"\n",
    ));
    let bots = (0..bots)
        .map(|i| common::spot(&config, &["bot", "create", &format!("peer{i}")]))
        .collect();
    let (mut process, base) = common::serve(&config, pin, Stdio::piped());
    let reports = Arc::new(Mutex::new(Vec::new()));
    let stderr = process.child.stderr.take().unwrap();
    let sink = reports.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("voice media") {
                sink.lock().unwrap().push((Instant::now(), line));
            } else {
                eprintln!("{line}");
            }
        }
    });
    Server {
        process,
        base,
        _dir: dir,
        bots,
        reports,
    }
}

/// A bot on the gateway: sends opcode 4, hands over each VOICE_SERVER_UPDATE.
struct Bot {
    send: mpsc::UnboundedSender<Value>,
    updates: mpsc::UnboundedReceiver<Value>,
    lounge: String,
}

async fn bot(base: &str, token: &str) -> Bot {
    let url = format!("{}/gateway?v=10&encoding=json", base.replacen("http", "ws", 1));
    let (ws, _) = tokio_tungstenite::connect_async(url).await.unwrap();
    let (mut write, mut read) = ws.split();
    let identify = json!({"op": 2, "d": {"token": format!("Bot {token}"), "intents": 129, "properties": {}}});
    write.send(Message::text(identify.to_string())).await.unwrap();
    let (send, mut outgoing) = mpsc::unbounded_channel::<Value>();
    let (updates_tx, updates) = mpsc::unbounded_channel();
    let (lounge_tx, mut lounge_rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Some(payload) = outgoing.recv().await {
            if write.send(Message::text(payload.to_string())).await.is_err() {
                break;
            }
        }
    });
    tokio::spawn(async move {
        while let Some(Ok(message)) = read.next().await {
            let Message::Text(text) = message else { continue };
            let Ok(payload) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            match payload["t"].as_str() {
                Some("GUILD_CREATE") => {
                    let channels = payload["d"]["channels"].as_array().cloned().unwrap_or_default();
                    let lounge = channels.iter().find(|c| c["name"] == "Lounge").unwrap();
                    let _ = lounge_tx.send(lounge["id"].as_str().unwrap().to_owned());
                }
                Some("VOICE_SERVER_UPDATE") => {
                    let _ = updates_tx.send(payload["d"].clone());
                }
                _ => {}
            }
        }
    });
    let lounge = lounge_rx.recv().await.unwrap();
    Bot { send, updates, lounge }
}

/// The value of `name=` in a log line (colour codes removed).
fn field(line: &str, name: &str) -> String {
    let mut plain = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            chars.by_ref().find(|c| *c == 'm');
        } else {
            plain.push(c);
        }
    }
    plain
        .split_whitespace()
        .find_map(|part| part.strip_prefix(&format!("{name}=")))
        .unwrap_or("?")
        .to_owned()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

async fn room(server: &Server, bots: &mut [Bot], n: usize, seconds: u64) {
    let (_, rss_before) = usage(server.process.child.id());
    let epoch = Instant::now();
    let mut peers = Vec::new();
    for bot in bots.iter_mut().take(n) {
        let join = json!({"op": 4, "d": {"channel_id": bot.lounge, "self_mute": false, "self_deaf": false}});
        bot.send.send(join).unwrap();
        let update = bot.updates.recv().await.unwrap();
        let endpoint = update["endpoint"].as_str().unwrap();
        peers.push(RtcPeer::join(endpoint, update["token"].as_str().unwrap(), epoch).await);
    }
    // Everyone hears everyone before the window opens.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ready = peers
            .iter()
            .all(|p| p.log().received_from.len() == n - 1 && p.log().received_from.values().all(|c| *c > 10));
        if ready || Instant::now() > deadline {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let totals = |peers: &[RtcPeer]| -> u64 { peers.iter().map(|p| p.log().received_from.values().sum::<u64>()).sum() };
    for peer in &peers {
        peer.log.lock().unwrap().delays.clear();
    }
    let received_before = totals(&peers);
    let (cpu_before, _) = usage(server.process.child.id());
    let started = Instant::now();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let elapsed = started.elapsed().as_secs_f64();
    let (cpu_after, rss) = usage(server.process.child.id());
    let received = totals(&peers) - received_before;
    let mut delays: Vec<Duration> = peers.iter().flat_map(|p| p.log().delays).collect();
    delays.sort_unstable();
    let expected = (n * (n - 1)) as f64 * 50.0;
    let inside = server
        .reports
        .lock()
        .unwrap()
        .iter()
        .rev()
        .find(|(at, _)| *at >= started)
        .map(|(_, line)| (field(line, "delay_p50_us"), field(line, "delay_p99_us")))
        .unwrap_or_default();
    println!(
        "| {n} peers | {:.0} packets/s (expected {expected:.0}) | in server p50 {} µs, p99 {} µs | end to end p50 {:.2} ms, p99 {:.2} ms | server CPU {:.0}% | server RSS {:.1} MB (+{:.1} MB) |",
        received as f64 / elapsed,
        inside.0,
        inside.1,
        percentile(&delays, 0.5),
        percentile(&delays, 0.99),
        (cpu_after - cpu_before) / elapsed * 100.0,
        rss as f64 / 1e6,
        rss.saturating_sub(rss_before) as f64 / 1e6,
    );
    for (peer, bot) in peers.iter().zip(bots.iter()) {
        peer.control(Control::Leave);
        let leave = json!({"op": 4, "d": {"channel_id": null, "self_mute": false, "self_deaf": false}});
        bot.send.send(leave).unwrap();
    }
    drop(peers);
    tokio::time::sleep(Duration::from_secs(2)).await;
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this binary without it, and a load test in
    // a debug build is not a test.
    if !std::env::args().any(|arg| arg == "--bench") {
        eprintln!("voice: a benchmark; run it with `cargo bench --bench voice`");
        return;
    }
    let args = args();
    let most = args.peers.iter().copied().max().unwrap_or(0);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let server = start(most, args.pin);
        let mut bots = Vec::new();
        for token in &server.bots {
            bots.push(bot(&server.base, token).await);
        }
        println!("| room | forwarded | time in server | end to end | server CPU | memory |");
        println!("| --- | --- | --- | --- | --- | --- |");
        for n in &args.peers {
            room(&server, &mut bots, *n, args.seconds).await;
        }
    });
}
