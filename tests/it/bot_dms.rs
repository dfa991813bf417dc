//! Direct messages between a person and an unmodified bot library, both directions: discord.py's
//! `user.send()` / `on_message` in a `DMChannel`, and discord.js's `user.send()` / `dmChannel` with the Channel
//! partial. Neither bot asks for MESSAGE_CONTENT: in DMs Discord delivers the content anyway.

use std::process::Command;
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{BotProcess, Instance, create_bot, create_user, repo_root};

/// The bot (started by `start` with the person's id) DMs the person; the person answers; the bot reacts and
/// replies, and the person sees all of it.
async fn dm_round_trip(name: &str, start: impl FnOnce(&str, &str, &str) -> Command) {
    let instance = Instance::new("");
    create_user(&instance, "bob", "bob password 22", false);
    let token = create_bot(&instance, name);
    let server = instance.serve();
    let mut bob = server.browser();
    assert_eq!(bob.login("bob", "bob password 22").await.status(), 303);
    let (_, me) = bob.me().await;
    let bob_id = me["id"].as_str().unwrap().to_owned();
    let mut bot = BotProcess::start(start(&server.base, &token, &bob_id));

    let sent = bot.expect("sent", Duration::from_secs(60));
    assert_eq!(sent["dm"], true, "{sent}");
    assert_eq!(sent["recipient"], bob_id.as_str());
    let channel = sent["channel"].as_str().unwrap().to_owned();
    let open: Value = bob
        .api(Method::GET, "/users/@me/channels", None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(open[0]["id"], channel.as_str(), "the bot's DM is in the person's list");
    let history: Value = bob
        .api(Method::GET, &format!("/channels/{channel}/messages"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history[0]["content"], format!("hello from {}", library(name)));

    let answered = bob
        .api(
            Method::POST,
            &format!("/channels/{channel}/messages"),
            Some(json!({"content": "hi bot"})),
        )
        .await;
    assert_eq!(answered.status(), 200);
    let message: Value = answered.json().await.unwrap();
    let received = bot.expect("received", Duration::from_secs(30));
    assert_eq!(
        received,
        json!({"content": "hi bot", "dm": true, "guild": false, "channel": channel})
    );
    let replied = bot.expect("replied", Duration::from_secs(30));
    assert_eq!(replied["history"][0], "got it: hi bot");
    let mine: Value = bob
        .api(
            Method::GET,
            &format!("/channels/{channel}/messages/{}", message["id"].as_str().unwrap()),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        mine["reactions"][0]["emoji"]["name"], "👍",
        "the bot's reaction is stored"
    );
    assert!(bot.wait(Duration::from_secs(20)), "the bot exited with an error");
    server.stop();
}

fn library(name: &str) -> &'static str {
    if name.starts_with("dpy") {
        "discord.py"
    } else {
        "discord.js"
    }
}

#[tokio::test]
async fn discord_py_direct_messages() {
    dm_round_trip("dpydm", |base, token, peer| {
        let mut command = Command::new(crate::discord_py::python());
        command
            .arg(repo_root().join("tests/bots/dpy_dm_bot.py"))
            .env("SPOT_URL", base)
            .env("SPOT_BOT_TOKEN", token)
            .env("SPOT_PEER_ID", peer);
        command
    })
    .await;
}

#[tokio::test]
async fn discord_js_direct_messages() {
    dm_round_trip("djsdm", |base, token, peer| {
        let mut command = Command::new("node");
        command
            .arg(repo_root().join("tests/bots/djs_dm_bot.js"))
            .env("SPOT_URL", base)
            .env("SPOT_BOT_TOKEN", token)
            .env("SPOT_PEER_ID", peer);
        command
    })
    .await;
}
