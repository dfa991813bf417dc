//! The web client in a real browser: Debian's Chromium, driven by `playwright-core` (`tests/web/chat.spec.mjs`,
//! dependencies from `web/package-lock.json`, installed by `make test` or by `cargo build` itself) against the
//! real server. Two users (alice an admin, so she may pin) chat in two browser contexts; every feature the script exercises is reported as one
//! JSON line, and the server is restarted mid-run (same port, same data) to prove the client reconnects without
//! a reload. Screenshots land in `target/web-artifacts/`.

use std::process::Command;
use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use crate::support::{ADMIN, ADMIN_PASSWORD, BotProcess, Instance, create_bot, create_user, repo_root};

const CHROMIUM: &str = "/usr/bin/chromium";
const HISTORY: usize = 300;

#[tokio::test]
async fn web_client_in_chromium() {
    assert!(
        std::path::Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: `make deps` installs Debian's chromium"
    );
    let instance = Instance::new("[api]\nroute_limit = 100000\nglobal_per_second = 100000\n");
    create_user(&instance, "alice", "alice password 1", true);
    create_user(&instance, "bob", "bob password 22", false);
    let token = create_bot(&instance, "seeder");
    let server = instance.serve();
    let port = server.port();

    // A channel with a long history, posted by a bot as any Discord bot would.
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let (guild, general) = admin.home().await;
    let created = admin
        .api(
            Method::POST,
            &format!("/guilds/{guild}/channels"),
            Some(json!({"name": "history", "type": 0})),
        )
        .await;
    assert_eq!(created.status(), 201, "{:?}", created.text().await);
    let history: serde_json::Value = created.json().await.unwrap();
    let history = history["id"].as_str().unwrap().to_owned();
    let http = reqwest::Client::new();
    for i in 0..HISTORY {
        let posted = http
            .post(format!("{}/api/v10/channels/{history}/messages", server.base))
            .header("authorization", format!("Bot {token}"))
            .json(&json!({"content": format!("history message {i}")}))
            .send()
            .await
            .unwrap();
        assert_eq!(posted.status(), 200, "seeding message {i}");
    }

    let artifacts = repo_root().join("target/web-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let mut command = Command::new("node");
    command
        .arg(repo_root().join("tests/web/chat.spec.mjs"))
        .env("SPOT_URL", &server.base)
        .env("SPOT_CHROMIUM", CHROMIUM)
        .env("SPOT_ARTIFACTS", &artifacts)
        .env("SPOT_HISTORY_CHANNEL", &history)
        .env("SPOT_HISTORY_COUNT", HISTORY.to_string())
        .env("NODE_PATH", repo_root().join("web/node_modules"));
    let mut browser = BotProcess::start(command);
    let long = Duration::from_secs(90);

    for step in [
        "logged_in",
        "realtime",
        "typing",
        "reply",
        "reaction",
        "edit",
        "pin",
        "thread",
        "upload",
        "delete",
        "unread",
        "history",
        "search",
        "switcher",
        "a11y",
        "settings",
        "xss",
        "screenshots",
        "resumed",
    ] {
        if step == "history" {
            // Reported just before the history scenario: how long opening a channel took in the page.
            let metrics = browser.expect("metrics", long);
            eprintln!("web client metrics: {metrics}");
        }
        let value = browser.expect(step, long);
        assert_eq!(value, json!(true), "step {step}");
    }

    // The server goes away and comes back on the same port with the same data; the open pages reconnect.
    browser.expect("restart", long);
    server.stop();
    instance.configure(&format!("[server]\nlisten = \"127.0.0.1:{port}\"\n"));
    let server = instance.serve();
    assert_eq!(server.port(), port);
    // A new client: the old one's pooled connection died with the first server.
    let posted = reqwest::Client::new()
        .post(format!("{}/api/v10/channels/{general}/messages", server.base))
        .header("authorization", format!("Bot {token}"))
        .json(&json!({"content": "sent while you were away"}))
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 200);
    assert_eq!(browser.expect("reconnected", long), json!(true));
    assert_eq!(browser.expect("done", long), json!(true));
    assert!(browser.wait(Duration::from_secs(30)), "the browser script failed");
    server.stop();
}

/// The admin panel in Chromium (`tests/web/admin.spec.mjs`): an account made in the panel logs in, a member is
/// refused the panel, a hostile channel name stays text; screenshots of every section.
#[tokio::test]
async fn admin_panel_in_chromium() {
    assert!(
        std::path::Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: `make deps` installs it"
    );
    let instance = Instance::new("");
    let server = instance.serve();
    let artifacts = repo_root().join("target/web-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let mut command = Command::new("node");
    command
        .arg(repo_root().join("tests/web/admin.spec.mjs"))
        .env("SPOT_URL", &server.base)
        .env("SPOT_CHROMIUM", CHROMIUM)
        .env("SPOT_ARTIFACTS", &artifacts)
        .env("SPOT_ADMIN", ADMIN)
        .env("SPOT_ADMIN_PASSWORD", ADMIN_PASSWORD);
    let mut browser = BotProcess::start(command);
    for step in [
        "admin_created_user",
        "new_user_logged_in",
        "member_refused",
        "xss_inert",
        "screenshots",
        "done",
    ] {
        assert_eq!(
            browser.expect(step, Duration::from_secs(90)),
            json!(true),
            "step {step}"
        );
    }
    assert!(browser.wait(Duration::from_secs(30)), "the browser script failed");
    server.stop();
}

/// The web client's sources never build HTML from strings (the invariant the XSS scenario above tests in
/// practice).
#[test]
fn web_source_never_builds_html() {
    let forbidden = [
        "innerHTML",
        "outerHTML",
        "dangerouslySetInnerHTML",
        "insertAdjacentHTML",
        "document.write",
    ];
    let mut stack = vec![repo_root().join("web/src")];
    let mut checked = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for word in forbidden {
                assert!(!text.contains(word), "{} uses {word}", path.display());
            }
            checked += 1;
        }
    }
    assert!(checked > 10, "found only {checked} files under web/src");
}

/// The markdown parser's unit tests (`tests/web/markdown.test.mjs`, Node's test runner).
#[test]
fn web_markdown_parser() {
    let output = Command::new("node")
        .arg("--test")
        .arg(repo_root().join("tests/web/markdown.test.mjs"))
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "markdown tests failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("# fail 0"), "{stdout}");
}

/// Not part of the suite (about a minute of seeding): 10,000 messages in one channel, then the client opens it
/// and scrolls back to the first message. Run with
/// `cargo test --test it web_client_ten_thousand_messages -- --ignored --nocapture`; BENCHMARKS.md has results.
#[tokio::test]
#[ignore]
async fn web_client_ten_thousand_messages() {
    const COUNT: usize = 10_000;
    const WRITERS: usize = 8;
    let instance = Instance::new("[api]\nroute_limit = 1000000\nglobal_per_second = 1000000\n");
    create_user(&instance, "alice", "alice password 1", false);
    let token = create_bot(&instance, "seeder");
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let (guild, _) = admin.home().await;
    let created = admin
        .api(
            Method::POST,
            &format!("/guilds/{guild}/channels"),
            Some(json!({"name": "big", "type": 0})),
        )
        .await;
    let channel: serde_json::Value = created.json().await.unwrap();
    let url = format!(
        "{}/api/v10/channels/{}/messages",
        server.base,
        channel["id"].as_str().unwrap()
    );
    let started = std::time::Instant::now();
    let mut writers = Vec::new();
    for writer in 0..WRITERS {
        let (url, token) = (url.clone(), token.clone());
        writers.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            for i in (writer..COUNT).step_by(WRITERS) {
                let posted = http
                    .post(&url)
                    .header("authorization", format!("Bot {token}"))
                    .json(&json!({"content": format!("bulk message {i} with **some** text")}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(posted.status(), 200);
            }
        }));
    }
    for writer in writers {
        writer.await.unwrap();
    }
    eprintln!("seeded {COUNT} messages in {:?}", started.elapsed());

    let mut command = Command::new("node");
    command
        .arg(repo_root().join("tests/web/bench.mjs"))
        .env("SPOT_URL", &server.base)
        .env("SPOT_CHROMIUM", CHROMIUM)
        .env("SPOT_BIG_CHANNEL", "big");
    let mut browser = BotProcess::start(command);
    let metrics = browser.expect("metrics", Duration::from_secs(900));
    eprintln!("web client metrics: {metrics}");
    assert!(metrics["max_rows_in_page"].as_u64().unwrap() < 200, "{metrics}");
    browser.expect("done", Duration::from_secs(30));
    assert!(browser.wait(Duration::from_secs(30)));
    server.stop();
}
