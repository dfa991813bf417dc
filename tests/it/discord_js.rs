//! A real discord.js bot (from npm, installed by `make test`) against the real server: the same journey as the
//! discord.py test, through discord.js's own REST queue and WebSocket shard.

use std::process::Command;
use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use crate::support::{ADMIN, ADMIN_PASSWORD, BotProcess, Instance, create_bot, repo_root};

#[tokio::test]
async fn discord_js_bot_end_to_end() {
    let instance = Instance::new("[api]\nroute_limit = 5\nroute_window = \"2s\"\n");
    let token = create_bot(&instance, "djsbot");
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);

    let mut command = Command::new("node");
    command
        .arg(repo_root().join("tests/bots/djs_bot.js"))
        .env("SPOT_URL", &server.base)
        .env("SPOT_BOT_TOKEN", &token);
    let mut bot = BotProcess::start(command);

    let ready = bot.expect("ready", Duration::from_secs(60));
    assert_eq!(
        ready,
        json!({"user": "djsbot", "guild": "spot", "channels": ["Lounge", "general"], "everyone": true})
    );

    let phase1 = bot.expect("phase1", Duration::from_secs(60));
    let channel = phase1["channel"].as_str().unwrap().to_owned();
    let message = phase1["message"].as_str().unwrap().to_owned();
    assert_eq!(phase1["reply_ref"], message.as_str());
    assert_eq!(phase1["thread"], message.as_str());
    assert_eq!(phase1["private_thread_type"], 12);
    assert_eq!(phase1["attachment"], "hello.txt");
    assert_eq!(
        phase1["attachment_bytes"], "hello file",
        "fetch(attachment.url) downloads the file"
    );
    assert_eq!(phase1["history"][0], "a file");

    let stored: serde_json::Value = admin
        .api(Method::GET, &format!("/channels/{channel}/messages/{message}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored["content"], "edited by discord.js");
    assert_eq!(stored["pinned"], true);
    assert_eq!(stored["reactions"][0]["emoji"]["name"], "🎉");

    let burst = bot.expect("burst", Duration::from_secs(60));
    assert!(
        burst["seconds"].as_f64().unwrap() >= 1.5,
        "the burst was not throttled: {burst}"
    );

    let posted = admin
        .api(
            Method::POST,
            &format!("/channels/{channel}/messages"),
            Some(json!({"content": "hello bot"})),
        )
        .await;
    assert_eq!(posted.status(), 200);
    let received = bot.expect("received", Duration::from_secs(30));
    assert_eq!(received, json!({"content": "hello bot", "author": ADMIN, "bot": false}));

    let resumed = bot.expect("resumed", Duration::from_secs(60));
    assert_eq!(resumed, json!({"resumed": true, "gap_message_seen": true}));
    assert!(bot.wait(Duration::from_secs(20)), "the bot exited with an error");
    server.stop();
}
