//! A real serenity bot (crates.io, built in its own target directory, `target/serenity-bot`) against the real
//! server, pointed at it by base URL only: READY and the guild, send / edit / react / delete with their events,
//! an upload downloaded by its URL, a thread, history, members, a burst of twenty sends that completes by
//! backing off from 429s, and RESUME after the server drops the socket.

use std::process::Command;
use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use crate::support::{ADMIN, ADMIN_PASSWORD, BotProcess, Instance, create_bot, repo_root};

/// Builds the bot (quick once built: `make test` builds it first) and returns its path.
fn serenity_bot() -> std::path::PathBuf {
    let root = repo_root();
    let target = root.join("target/serenity-bot");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--quiet", "--manifest-path"])
        .arg(root.join("tests/bots/serenity/Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the serenity bot builds");
    target.join("debug/spot-serenity-bot")
}

#[tokio::test]
async fn serenity_bot_end_to_end() {
    let bot_path = tokio::task::spawn_blocking(serenity_bot).await.unwrap();
    let instance = Instance::new("[api]\nroute_limit = 5\nroute_window = \"2s\"\n");
    let token = create_bot(&instance, "serenitybot");
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);

    let mut command = Command::new(bot_path);
    command.env("SPOT_URL", &server.base).env("SPOT_BOT_TOKEN", &token);
    let mut bot = BotProcess::start(command);

    let ready = bot.expect("ready", Duration::from_secs(60));
    assert_eq!(ready["user"], "serenitybot");
    assert_eq!(ready["guild"], "spot");
    assert_eq!(ready["channels"], json!(["Lounge", "general"]));

    let phase1 = bot.expect("phase1", Duration::from_secs(60));
    let channel = phase1["channel"].as_str().unwrap().to_owned();
    let message = phase1["message"].as_str().unwrap().to_owned();
    assert_eq!(phase1["updated_seen"], "edited by serenity");
    assert_eq!(phase1["reaction"], "👍");
    assert_eq!(phase1["attachment"], "hello.txt");
    assert_eq!(
        phase1["attachment_bytes"], "hello serenity",
        "the attachment URL downloads"
    );
    assert_eq!(phase1["thread"], message.as_str());
    assert_eq!(phase1["thread_parent"], channel.as_str());
    assert_eq!(phase1["thread_message"], "in the thread");
    assert_eq!(phase1["history"][0], "a file", "history is newest first");
    assert_eq!(phase1["members"], json!([ADMIN, "serenitybot"]));

    let stored: serde_json::Value = admin
        .api(Method::GET, &format!("/channels/{channel}/messages/{message}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored["content"], "edited by serenity");
    assert_eq!(stored["reactions"][0]["count"], 1);
    assert_eq!(stored["thread"]["name"], "serenity thread");

    // Twenty sends against five per two seconds: all succeed. serenity's rate limiter ignores its base-URL switch
    // (0.12), so it runs with the limiter off and the refusals reach the bot as 429 errors it backs off from.
    let burst = bot.expect("burst", Duration::from_secs(60));
    assert!(
        burst["seconds"].as_f64().unwrap() >= 4.0,
        "the burst was not throttled: {burst}"
    );
    assert!(
        burst["refused"].as_u64().unwrap() > 0,
        "the 429s reached serenity as 429s: {burst}"
    );

    let resumed = bot.expect("resumed", Duration::from_secs(60));
    assert_eq!(resumed["gap_message_seen"], true);
    assert!(bot.wait(Duration::from_secs(20)), "the bot exited with an error");
    server.stop();
}
