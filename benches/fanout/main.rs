//! Gateway fan-out and message-create benchmark against the real `spot` binary (release build).
//!
//! `cargo bench --bench fanout -- [--sessions 100,1000,5000] [--rate 100] [--seconds 10] [--idle 10000]
//! [--creates-seconds 10] [--writers 16]`
//!
//! 1. Persisted creates: `--writers` bots POST messages as fast as they can; creates/s and p50/p99 latency.
//! 2. Fan-out: for each N, N gateway sessions in the guild; one sender posts `--rate` messages/s for
//!    `--seconds`; send-to-deliver p50/p99 (from the start of the POST to arrival on a socket), deliveries/s,
//!    losses, server CPU and RSS per session.
//! 3. Idle: `--idle` sessions identified and held; server RSS per session.
//!
//! Results are printed as Markdown table rows for BENCHMARKS.md. `BENCH_SPOT_BINARY=/path/to/spot` runs another build of
//! the server (an older commit, say) under the same load generator.

// Test code talks to spot as a client would; the rule that outbound HTTP goes through `spot::fetch` is for
// the server.
#![allow(clippy::disallowed_types)]

use std::process::Stdio;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::sync::{Mutex, Semaphore};
use tokio_tungstenite::tungstenite::Message;

#[path = "../common/mod.rs"]
mod common;
mod raw;

use common::{Process, usage};

struct Args {
    sessions: Vec<usize>,
    rate: u64,
    seconds: u64,
    idle: usize,
    creates_seconds: u64,
    writers: usize,
    /// Pin the server to CPU 0 and this load generator to CPU 1 (`taskset`), so they do not compete.
    pin: bool,
    /// Fan-out receivers read raw socket bytes and scan for the timestamp instead of decoding frames with a
    /// WebSocket library, so the load generator costs less CPU than the server it measures.
    raw: bool,
}

fn args() -> Args {
    let mut args = Args {
        sessions: vec![100, 1000, 5000],
        rate: 100,
        seconds: 10,
        idle: 10_000,
        creates_seconds: 10,
        writers: 16,
        pin: false,
        raw: false,
    };
    let raw: Vec<String> = std::env::args().collect();
    let mut i = 1;
    while i < raw.len() {
        let value = raw.get(i + 1).cloned().unwrap_or_default();
        match raw[i].as_str() {
            "--sessions" => args.sessions = value.split(',').filter_map(|s| s.parse().ok()).collect(),
            "--rate" => args.rate = value.parse().unwrap_or(args.rate),
            "--seconds" => args.seconds = value.parse().unwrap_or(args.seconds),
            "--idle" => args.idle = value.parse().unwrap_or(args.idle),
            "--creates-seconds" => args.creates_seconds = value.parse().unwrap_or(args.creates_seconds),
            "--writers" => args.writers = value.parse().unwrap_or(args.writers),
            "--pin" => {
                args.pin = true;
                i += 1;
                continue;
            }
            "--raw" => {
                args.raw = true;
                i += 1;
                continue;
            }
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    args
}

struct Server {
    process: Process,
    base: String,
    _dir: tempfile::TempDir,
    sender: String,
    listener: String,
    channel: String,
}

async fn start(pin: bool) -> Server {
    let (dir, config) = common::init(concat!(
        "\n[api]\nroute_limit = 100000000\nglobal_per_second = 100000000\n",
        // Short resume window: each phase measures its own sessions, not the previous phase's detached ones.
        "[gateway]\noutbound_queue = 4096\nresume_window = \"3s\"\nmax_unidentified_per_ip = 100000\nidentify_burst = 1000000\nidentifies_per_minute = 1000000\nbot_sessions_per_day = 100000000\n[log]\nlevel = \"warn\"\n",
    ));
    let sender = common::spot(&config, &["bot", "create", "sender"]);
    let listener = common::spot(&config, &["bot", "create", "listener"]);
    let (process, base) = common::serve(&config, pin, Stdio::inherit());
    let client = reqwest::Client::new();
    let auth = format!("Bot {sender}");
    let get = |path: String| {
        let request = client
            .get(format!("{base}/api/v10{path}"))
            .header("authorization", &auth);
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let guilds = get("/users/@me/guilds".to_owned()).await;
    let guild = guilds[0]["id"].as_str().unwrap();
    let channels = get(format!("/guilds/{guild}/channels")).await;
    let channel = channels
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "general")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    Server {
        process,
        base,
        _dir: dir,
        sender,
        listener,
        channel,
    }
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index] as f64 / 1000.0
}

async fn creates(server: &Server, seconds: u64, writers: usize) {
    let client = reqwest::Client::new();
    let url = format!("{}/api/v10/channels/{}/messages", server.base, server.channel);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (cpu_before, _) = usage(server.process.child.id());
    let mut tasks = Vec::new();
    for w in 0..writers {
        let (client, url, auth) = (client.clone(), url.clone(), format!("Bot {}", server.sender));
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut n = 0u64;
            while Instant::now() < deadline {
                let started = Instant::now();
                let response = client
                    .post(&url)
                    .header("authorization", &auth)
                    .json(&json!({"content": format!("w{w} #{n}")}))
                    .send()
                    .await
                    .unwrap();
                assert!(response.status().is_success(), "{}", response.status());
                latencies.push(started.elapsed().as_micros() as u64);
                n += 1;
            }
            latencies
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    all.sort_unstable();
    let (cpu_after, _) = usage(server.process.child.id());
    println!(
        "| persisted creates | {writers} writers, {seconds} s | {:.0} creates/s | p50 {:.2} ms | p99 {:.2} ms | server CPU {:.0}% |",
        all.len() as f64 / seconds as f64,
        percentile(&all, 0.5),
        percentile(&all, 0.99),
        (cpu_after - cpu_before) / seconds as f64 * 100.0
    );
}

type Socket = tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(base: &str, token: &str) -> Socket {
    let url = format!("{}/gateway?v=10&encoding=json", base.replacen("http", "ws", 1));
    let (mut ws, _) = tokio_tungstenite::connect_async(url).await.expect("connect");
    let _hello = ws.next().await;
    let identify = json!({"op": 2, "d": {"token": token, "intents": 1 | (1 << 9) | (1 << 15), "properties": {}}});
    ws.send(Message::text(identify.to_string())).await.unwrap();
    loop {
        if let Some(Ok(Message::Text(text))) = ws.next().await
            && text.contains("\"GUILD_CREATE\"")
        {
            // What a client does at its next heartbeat: report the last sequence it received (READY 1, GUILD_CREATE 2).
            ws.send(Message::text("{\"op\":1,\"d\":2}")).await.unwrap();
            return ws;
        }
    }
}

async fn connect_many(base: &str, token: &str, n: usize) -> Vec<Socket> {
    let gate = Arc::new(Semaphore::new(128));
    let mut tasks = Vec::with_capacity(n);
    for _ in 0..n {
        let (gate, base, token) = (Arc::clone(&gate), base.to_owned(), token.to_owned());
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire().await.unwrap();
            connect(&base, &token).await
        }));
    }
    let mut sockets = Vec::with_capacity(n);
    for task in tasks {
        sockets.push(task.await.unwrap());
    }
    sockets
}

async fn fanout(server: &Server, n: usize, rate: u64, seconds: u64) {
    let pid = server.process.child.id();
    let (_, rss_before) = usage(pid);
    let sockets = connect_many(&server.base, &server.listener, n).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let (cpu_before, rss_after) = usage(pid);
    let latencies = Arc::new(Mutex::new(Vec::with_capacity(n * (rate * seconds) as usize)));
    let delivered = Arc::new(AtomicU64::new(0));
    let mut readers = Vec::new();
    for mut ws in sockets {
        let (latencies, delivered) = (Arc::clone(&latencies), Arc::clone(&delivered));
        readers.push(tokio::spawn(async move {
            let mut local = Vec::new();
            let mut last_beat = Instant::now();
            while let Ok(Some(Ok(message))) = tokio::time::timeout(Duration::from_secs(3), ws.next()).await {
                if let Message::Text(text) = message
                    && let Some(start) = text.find("\"content\":\"bench ")
                {
                    let rest = &text[start + 17..];
                    if let Some(sent) = rest.split('"').next().and_then(|v| v.parse::<u64>().ok()) {
                        local.push(now_micros().saturating_sub(sent));
                        delivered.fetch_add(1, Ordering::Relaxed);
                    }
                }
                if last_beat.elapsed() > Duration::from_secs(20) {
                    last_beat = Instant::now();
                    let _ = ws.send(Message::text("{\"op\":1,\"d\":null}")).await;
                }
            }
            latencies.lock().await.extend(local);
            let _ = ws.close(None).await;
        }));
    }
    // CPU over the sending window (plus the sender's 200 ms for the last deliveries), not over the readers'
    // idle timeout.
    let (sent, window) = send_at_rate(server, rate, seconds).await;
    let (cpu_after, _) = usage(pid);
    for reader in readers {
        let _ = reader.await;
    }
    let mut all = latencies.lock().await.clone();
    all.sort_unstable();
    let rss_kb = rss_after.saturating_sub(rss_before) as f64 / n as f64 / 1024.0;
    report_fanout(
        "fan-out",
        n,
        rate,
        seconds,
        sent,
        window,
        delivered.load(Ordering::Relaxed),
        &all,
        cpu_after - cpu_before,
        rss_kb,
    );
}

/// Microseconds since the Unix epoch: the clock the kernel stamps received data with. (The bench is a client:
/// the server's rule of reading time through `spot::clock` does not apply.)
#[allow(clippy::disallowed_methods)]
fn now_micros() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

/// Posts `rate` messages a second for `seconds`, each carrying the wall-clock time its POST started; returns
/// (sent, window). The sender has a thread and runtime of its own, so its ticks do not queue behind the
/// thousand receiving tasks of this process.
async fn send_at_rate(server: &Server, rate: u64, seconds: u64) -> (u64, f64) {
    let url = format!("{}/api/v10/channels/{}/messages", server.base, server.channel);
    let auth = format!("Bot {}", server.sender);
    let (done, result) = tokio::sync::oneshot::channel();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let outcome = runtime.block_on(async move {
            let client = reqwest::Client::new();
            let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / rate));
            let started = Instant::now();
            let mut sent = 0u64;
            while started.elapsed() < Duration::from_secs(seconds) {
                tick.tick().await;
                let stamp = now_micros();
                let (client, url, auth) = (client.clone(), url.clone(), auth.clone());
                tokio::spawn(async move {
                    let _ = client
                        .post(&url)
                        .header("authorization", auth)
                        .json(&json!({"content": format!("bench {stamp}")}))
                        .send()
                        .await;
                });
                sent += 1;
            }
            let window = started.elapsed().as_secs_f64();
            // Let the last POSTs finish before the runtime goes.
            tokio::time::sleep(Duration::from_millis(200)).await;
            (sent, window)
        });
        let _ = done.send(outcome);
    });
    result.await.expect("the sender thread ended")
}

#[allow(clippy::too_many_arguments)]
fn report_fanout(
    label: &str,
    n: usize,
    rate: u64,
    seconds: u64,
    sent: u64,
    window: f64,
    got: u64,
    sorted: &[u64],
    cpu: f64,
    rss_kb: f64,
) {
    let expected = sent * n as u64;
    let rss = if rss_kb.is_nan() {
        String::new()
    } else {
        format!(" | {rss_kb:.1} KB RSS/session")
    };
    println!(
        "| {label} | {n} sessions, {rate} msg/s, {seconds} s | {:.0} deliveries/s | p50 {:.2} ms | p99 {:.2} ms | lost {} of {} | server CPU {:.0}%{rss} |",
        got as f64 / window,
        percentile(sorted, 0.5),
        percentile(sorted, 0.99),
        expected.saturating_sub(got),
        expected,
        cpu / (window + 0.2) * 100.0,
    );
}

async fn idle(server: &Server, n: usize) {
    let pid = server.process.child.id();
    let (_, before) = usage(pid);
    let sockets = connect_many(&server.base, &server.listener, n).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (_, after) = usage(pid);
    println!(
        "| idle sessions | {n} held | {:.1} KB RSS/session | server RSS {:.0} MB |",
        after.saturating_sub(before) as f64 / n as f64 / 1024.0,
        after as f64 / 1048576.0
    );
    drop(sockets);
}

/// Waits until detached sessions of the previous phase have expired.
async fn settle() {
    tokio::time::sleep(Duration::from_secs(5)).await;
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs this binary without it, and a load test in
    // a debug build is not a test.
    if !std::env::args().any(|arg| arg == "--bench") {
        eprintln!("fanout: a benchmark; run it with `cargo bench --bench fanout`");
        return;
    }
    let args = args();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        println!("| what | load | throughput | p50 | p99 | … |");
        println!("| --- | --- | --- | --- | --- | --- |");
        // Each phase gets a server of its own, so none measures what another left behind (forty thousand
        // stored messages, a fragmented heap). Creates go first: the idle phase leaves ten thousand closed
        // connections in the kernel's TIME_WAIT table, which slows every loopback packet of what runs next.
        if args.creates_seconds > 0 {
            let server = start(args.pin).await;
            creates(&server, args.creates_seconds, args.writers).await;
        }
        if args.idle > 0 {
            let server = start(args.pin).await;
            idle(&server, args.idle).await;
        }
        if !args.sessions.is_empty() {
            let server = start(args.pin).await;
            for n in &args.sessions {
                if args.raw {
                    raw::fanout(&server, *n, args.rate, args.seconds).await;
                } else {
                    fanout(&server, *n, args.rate, args.seconds).await;
                }
                settle().await;
            }
        }
    });
}
