//! Holding the server's sockets without logging in does not work: spot raises its open-files limit at start,
//! closes connections that do not identify in time (4003), refuses an address's connections beyond its
//! allowance of unidentified ones (429) and any beyond the total cap (503), and closes floods of heartbeats
//! (4008) and payloads that are not objects (4002). REST keeps answering throughout.

use std::os::unix::process::CommandExt;

use futures_util::SinkExt;
use serde_json::json;
use tokio_tungstenite::tungstenite;

use crate::gw::Gw;
use crate::support::{Instance, Server, create_bot};

const CONFIG: &str = "[gateway]\nidentify_timeout = \"1s\"\nmax_unidentified_per_ip = 3\nmax_connections = 5\n\
                      identify_burst = 6\nidentifies_per_minute = 1\n";

/// The soft and hard "Max open files" of a process.
fn open_files_limits(pid: u32) -> (String, String) {
    let limits = std::fs::read_to_string(format!("/proc/{pid}/limits")).unwrap();
    let line = limits.lines().find(|l| l.starts_with("Max open files")).unwrap();
    let fields: Vec<&str> = line.split_whitespace().collect();
    (fields[3].to_owned(), fields[4].to_owned())
}

/// The HTTP status a refused gateway upgrade answered with.
async fn refused_status(server: &Server) -> u16 {
    let url = format!("{}/gateway?v=10&encoding=json", server.base.replacen("http", "ws", 1));
    match tokio_tungstenite::connect_async(url).await {
        Err(tungstenite::Error::Http(response)) => response.status().as_u16(),
        Err(other) => panic!("expected an HTTP refusal, got {other}"),
        Ok(_) => panic!("the upgrade was accepted"),
    }
}

#[tokio::test]
async fn anonymous_sockets_cannot_exhaust_the_server() {
    let instance = Instance::new(CONFIG);
    let token = create_bot(&instance, "limitbot");
    let mut command = instance.spot(&["serve"]);
    // Start with a soft limit below the hard one, as systemd's 1024 is.
    unsafe {
        command.pre_exec(|| {
            let mut limit = libc::rlimit {
                rlim_cur: 0,
                rlim_max: 0,
            };
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            limit.rlim_cur = 512.min(limit.rlim_max);
            if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let server = Server::start(command);
    let (soft, hard) = open_files_limits(server.pid());
    assert_eq!(soft, hard, "the soft open-files limit is raised to the hard limit");

    // Three sockets that never identify: the fourth from the same address is refused.
    let mut idle = Vec::new();
    for _ in 0..3 {
        let mut gw = Gw::connect(&server, "v=10&encoding=json").await;
        assert_eq!(gw.recv().await["op"], 10);
        gw.send(json!({"op": 1, "d": null})).await;
        idle.push(gw);
    }
    assert_eq!(refused_status(&server).await, 429);
    let rest = reqwest::get(format!("{}/api/v10/gateway", server.base)).await.unwrap();
    assert_eq!(rest.status(), 200, "REST answers while the gateway refuses");
    // Heartbeats do not keep them: they are closed for not identifying in time.
    for gw in &mut idle {
        assert_eq!(gw.closed().await, Some(4003));
    }

    // Identified connections count only against the total, which is capped.
    let mut open = Vec::new();
    for _ in 0..5 {
        let mut gw = Gw::connect(&server, "v=10&encoding=json").await;
        gw.identify(&format!("Bot {token}"), 1).await;
        open.push(gw);
    }
    assert_eq!(refused_status(&server).await, 503);
    let rest = reqwest::get(format!("{}/api/v10/gateway", server.base)).await.unwrap();
    assert_eq!(rest.status(), 200, "REST answers while the gateway is full");

    // A heartbeat flood is closed with 4008; a payload that is not an object with 4002.
    let mut flood = open.pop().unwrap();
    for _ in 0..100 {
        flood.send(json!({"op": 1, "d": null})).await;
    }
    assert_eq!(flood.closed().await, Some(4008));
    let mut odd = open.pop().unwrap();
    odd.ws.send(tungstenite::Message::text("[1, 2]")).await.unwrap();
    assert_eq!(odd.closed().await, Some(4002));
    // Their places came back.
    let mut again = Gw::connect(&server, "v=10&encoding=json").await;
    again.identify(&format!("Bot {token}"), 1).await;
    // That was the account's sixth session start in a burst of six: the next IDENTIFY gets INVALID_SESSION.
    let mut next = Gw::connect(&server, "v=10&encoding=json").await;
    assert_eq!(next.recv().await["op"], 10);
    next.send(json!({"op": 2, "d": {"token": format!("Bot {token}"), "intents": 1, "properties": {}}}))
        .await;
    let refused = next.recv().await;
    assert_eq!(
        (refused["op"].as_u64(), refused["d"].as_bool()),
        (Some(9), Some(false)),
        "{refused}"
    );

    // Broken frames get RFC 6455's close codes, not a dropped connection: too big (1009), not UTF-8 (1007).
    for mut gw in open.into_iter().chain([again, next]) {
        gw.ws.close(None).await.unwrap();
        assert_eq!(gw.closed().await, Some(1000), "the server answers the client's close");
    }
    let mut big = Gw::connect(&server, "v=10&encoding=json").await;
    assert_eq!(big.recv().await["op"], 10);
    big.ws
        .send(tungstenite::Message::text("x".repeat(100 * 1024)))
        .await
        .unwrap();
    assert_eq!(big.closed().await, Some(1009));
    let mut garbled = Gw::connect(&server, "v=10&encoding=json").await;
    assert_eq!(garbled.recv().await["op"], 10);
    let frame = tungstenite::protocol::frame::Frame::message(
        vec![0xff, 0xfe, 0xfd],
        tungstenite::protocol::frame::coding::OpCode::Data(tungstenite::protocol::frame::coding::Data::Text),
        true,
    );
    garbled.ws.send(tungstenite::Message::Frame(frame)).await.unwrap();
    assert_eq!(garbled.closed().await, Some(1007));
    server.stop();
}
