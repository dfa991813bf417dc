//! A real hikari bot (from PyPI, with its zstd extra, installed by `make test`) against the real server: it asks
//! for `compress=zstd-stream` and sends binary frames; READY and the guild, send / edit / react / delete with
//! their events, an upload downloaded by its URL, a thread, history, members, a burst of twenty sends paced by
//! the library, and RESUME after the server drops the socket.

use std::process::Command;
use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use crate::support::{ADMIN, ADMIN_PASSWORD, BotProcess, Instance, create_bot, repo_root};

#[tokio::test]
async fn hikari_bot_end_to_end() {
    let instance = Instance::new("[api]\nroute_limit = 5\nroute_window = \"2s\"\n");
    let token = create_bot(&instance, "hikaribot");
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);

    let mut command = Command::new(crate::discord_py::python());
    command
        .arg(repo_root().join("tests/bots/hikari_bot.py"))
        .env("SPOT_URL", &server.base)
        .env("SPOT_BOT_TOKEN", &token);
    let mut bot = BotProcess::start(command);

    let ready = bot.expect("ready", Duration::from_secs(60));
    assert_eq!(ready["user"], "hikaribot");
    assert_eq!(ready["guild"], "spot");
    assert_eq!(ready["channels"], json!(["Lounge", "general"]));
    assert_eq!(
        ready["compression"], "transport_zstd_stream",
        "hikari with its zstd extra asks for zstd-stream"
    );

    let phase1 = bot.expect("phase1", Duration::from_secs(60));
    let channel = phase1["channel"].as_str().unwrap().to_owned();
    let message = phase1["message"].as_str().unwrap().to_owned();
    assert_eq!(phase1["created_seen"], "hello from hikari");
    assert_eq!(phase1["edited"], "edited by hikari");
    assert_eq!(phase1["updated_seen"], "edited by hikari");
    assert_eq!(phase1["reaction"], "👍");
    assert_eq!(phase1["attachment"], "hello.txt");
    assert_eq!(
        phase1["attachment_bytes"], "hello hikari",
        "the attachment URL downloads"
    );
    assert_eq!(phase1["thread"], message.as_str());
    assert_eq!(phase1["thread_parent"], channel.as_str());
    assert_eq!(phase1["thread_message"], "in the thread");
    assert_eq!(phase1["history"][0], "a file", "history is newest first");
    assert_eq!(phase1["members"], json!([ADMIN, "hikaribot"]));
    assert!(phase1["deleted_seen"].is_string());

    // What the bot did is stored.
    let stored: serde_json::Value = admin
        .api(Method::GET, &format!("/channels/{channel}/messages/{message}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored["content"], "edited by hikari");
    assert_eq!(stored["reactions"][0]["count"], 1);
    assert_eq!(stored["thread"]["name"], "hikari thread");

    // Twenty sends against five per two seconds: all succeed, paced by the library.
    let burst = bot.expect("burst", Duration::from_secs(60));
    assert!(
        burst["seconds"].as_f64().unwrap() >= 4.0,
        "the burst was not throttled: {burst}"
    );

    let resumed = bot.expect("resumed", Duration::from_secs(60));
    assert_eq!(resumed["gap_message_seen"], true);
    assert!(bot.wait(Duration::from_secs(20)), "the bot exited with an error");
    server.stop();
}
