//! Voice and the DJ in a real browser (`tests/web/voice.spec.mjs`): Debian's Chromium with a fake microphone
//! playing a speech-like signal this test writes, the fake camera and a fake screen, against the real server and
//! its embedded SFU. People join the Lounge with the web client's buttons and hear each other (inbound-rtp
//! levels), see each other's camera and screen, turn each other down, talk with push-to-talk, are muted by a
//! moderator, drop off the network, come back after a blip and after a server restart; then the DJ plays into the
//! room from `!play`, and `!pause`, `!volume 10` and `!skip` change what the page receives, and so do the
//! now-playing bar's buttons.

use std::process::Command;
use std::time::Duration;

use serde_json::json;

use crate::support::{BotProcess, Instance, create_user, repo_root};

const CHROMIUM: &str = "/usr/bin/chromium";

#[tokio::test]
async fn voice_and_the_dj_in_chromium() {
    assert!(
        std::path::Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: `make deps` installs Debian's chromium"
    );
    let instance = Instance::new(
        "[api]\nroute_limit = 100000\nglobal_per_second = 100000\n[voice]\npeer_timeout = \"5s\"\n\
         [music]\nlibrary = [\"music\"]\n",
    );
    create_user(&instance, "alice", "alice password 1", true);
    create_user(&instance, "bob", "bob password 22", false);
    create_user(&instance, "carol", "carol password 333", false);
    create_user(&instance, "dave", "dave password 4444", false);
    let microphone = instance.dir.path().join("tone.wav");
    crate::fixture::voice_like(&microphone, 220.0, 6.0);
    let library = instance.dir.path().join("music");
    std::fs::create_dir_all(&library).unwrap();
    for (file, title, hz) in [
        ("first.flac", "First Sine", "440"),
        ("second.flac", "Second Sine", "660"),
    ] {
        let status = Command::new("sox")
            .args(["-n", "-r", "44100", "-c", "2", "-b", "16", "--comment"])
            .arg(format!("TITLE={title}"))
            .arg(library.join(file))
            .args(["synth", "60", "sine", hz, "vol", "0.5"])
            .status()
            .unwrap();
        assert!(status.success(), "sox makes the music library");
    }
    let scanned = instance.run(&["music", "scan"]);
    assert!(scanned.status.success(), "{}", String::from_utf8_lossy(&scanned.stderr));
    let server = instance.serve();
    let port = server.port();

    let artifacts = repo_root().join("target/web-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let mut command = Command::new("node");
    command
        .arg(repo_root().join("tests/web/voice.spec.mjs"))
        .env("SPOT_URL", &server.base)
        .env("SPOT_CHROMIUM", CHROMIUM)
        .env("SPOT_ARTIFACTS", &artifacts)
        .env("SPOT_TONE", &microphone)
        .env("NODE_PATH", repo_root().join("web/node_modules"));
    let mut browser = BotProcess::start(command);
    let long = Duration::from_secs(120);
    for step in [
        "hear_each_other",
        "camera_and_screen",
        "self_mute",
        "volume",
        "push_to_talk",
        "server_mute",
        "blip",
    ] {
        assert_eq!(browser.expect(step, long), json!(true), "step {step}");
    }
    let gone = browser.expect("vanished", long).as_f64().unwrap();
    eprintln!("a frozen browser left the room after {gone:.1} s");
    assert!(gone < 30.0, "a vanished peer is removed within 30 s");
    assert_eq!(browser.expect("mic_denied", long), json!(true));

    // The server goes away and comes back on the same port with the same data; the calls resume by themselves.
    browser.expect("restart", long);
    server.stop();
    instance.configure(&format!("[server]\nlisten = \"127.0.0.1:{port}\"\n"));
    let server = instance.serve();
    assert_eq!(server.port(), port);
    assert_eq!(browser.expect("restarted", long), json!(true));

    let loud = browser.expect("dj_plays", long);
    eprintln!("the DJ at the browser: rms {loud}");
    assert_eq!(browser.expect("dj_pause", long), json!(true));
    let volume = browser.expect("dj_volume", long);
    eprintln!("!volume 10: {volume}");
    for step in ["dj_skip", "dj_bar", "left"] {
        assert_eq!(browser.expect(step, long), json!(true), "step {step}");
    }
    assert_eq!(browser.expect("done", long), json!(true));
    assert!(browser.wait(Duration::from_secs(30)), "the browser script failed");
    server.stop();
}

/// With `voice.backend = "livekit"` the browser loads livekit-client on demand and connects to the configured
/// LiveKit server with the token spot issued for this user and room (checked here with the crate's verifier);
/// the CSP lets it reach that server. Playwright stands in for the LiveKit server, which cannot run here (its
/// WebSocket routing replaces the page's WebSocket, so the CSP is checked on the response header instead).
#[tokio::test]
async fn the_browser_joins_livekit_with_spots_token() {
    const SECRET: &str = "a-livekit-secret-of-at-least-32-chars";
    let instance = Instance::new(&format!(
        "[voice]\nbackend = \"livekit\"\nlivekit_url = \"ws://127.0.0.1:7880\"\nlivekit_api_key = \"spotkey\"\n\
         livekit_api_secret = \"{SECRET}\"\n"
    ));
    create_user(&instance, "alice", "alice password 1", false);
    let server = instance.serve();
    // The page may reach the LiveKit server (and nothing else new).
    let page = reqwest::get(format!("{}/login", server.base)).await.unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(
        csp.contains("connect-src 'self' ws://127.0.0.1:7880 http://127.0.0.1:7880;"),
        "{csp}"
    );
    let mut command = Command::new("node");
    command
        .arg(repo_root().join("tests/web/livekit.spec.mjs"))
        .env("SPOT_URL", &server.base)
        .env("SPOT_CHROMIUM", CHROMIUM)
        .env("NODE_PATH", repo_root().join("web/node_modules"));
    let mut browser = BotProcess::start(command);
    let url = browser.expect("livekit_url", Duration::from_secs(90));
    let url = reqwest::Url::parse(url.as_str().unwrap()).unwrap();
    assert_eq!((url.host_str(), url.port()), (Some("127.0.0.1"), Some(7880)), "{url}");
    let token = url
        .query_pairs()
        .find(|(k, _)| k == "access_token")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| panic!("no access_token in {url}"));
    let claims = livekit_api::access_token::TokenVerifier::with_api_key("spotkey", SECRET)
        .verify(&token)
        .unwrap();
    assert_eq!(claims.name, "alice");
    assert!(claims.video.room_join && claims.video.can_subscribe);
    assert!(!claims.video.room.is_empty());
    assert_eq!(browser.expect("done", Duration::from_secs(90)), json!(true));
    assert!(browser.wait(Duration::from_secs(30)), "the browser script failed");
    server.stop();
}
