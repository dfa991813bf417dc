//! A real discord.py bot (from PyPI, installed by `make test`) against the real server: connect, READY and
//! GUILD_CREATE, send / edit / react / pin / reply, a thread, an upload, history, rate limits with the library's
//! own backoff, a message a user posted, and RESUME after the server drops the socket.

use std::process::Command;
use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use crate::support::{ADMIN, ADMIN_PASSWORD, BotProcess, Instance, create_bot, repo_root};

pub fn python() -> String {
    std::env::var("SPOT_TEST_PYTHON").unwrap_or_else(|_| {
        repo_root()
            .join("target/test-venv/bin/python")
            .to_string_lossy()
            .into_owned()
    })
}

#[tokio::test]
async fn discord_py_bot_end_to_end() {
    let instance = Instance::new("[api]\nroute_limit = 5\nroute_window = \"2s\"\n");
    let token = create_bot(&instance, "dpybot");
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);

    let mut command = Command::new(python());
    command
        .arg(repo_root().join("tests/bots/dpy_bot.py"))
        .env("SPOT_URL", &server.base)
        .env("SPOT_BOT_TOKEN", &token);
    let mut bot = BotProcess::start(command);

    let ready = bot.expect("ready", Duration::from_secs(60));
    assert_eq!(ready["user"], "dpybot");
    assert_eq!(ready["guild"], "spot");
    assert_eq!(ready["channels"], json!(["Lounge", "general"]));
    assert_eq!(ready["members"], 2);

    let phase1 = bot.expect("phase1", Duration::from_secs(60));
    let channel = phase1["channel"].as_str().unwrap().to_owned();
    let message = phase1["message"].as_str().unwrap().to_owned();
    assert_eq!(phase1["reply_ref"], message.as_str());
    assert_eq!(phase1["reply_type"], 19);
    assert_eq!(
        phase1["thread"],
        message.as_str(),
        "a thread started from a message takes its id"
    );
    assert_eq!(phase1["thread_parent"], channel.as_str());
    assert_eq!(phase1["attachment"], "hello.txt");
    assert_eq!(phase1["attachment_size"], 10);
    assert_eq!(
        phase1["attachment_bytes"], "hello file",
        "Attachment.read() downloads the file"
    );
    assert_eq!(phase1["history"][0], "a file", "history is newest first");

    // What the bot did is stored: the user sees it through the same API.
    let stored = admin
        .api(Method::GET, &format!("/channels/{channel}/messages/{message}"), None)
        .await;
    assert_eq!(stored.status(), 200);
    let stored: serde_json::Value = stored.json().await.unwrap();
    assert_eq!(stored["content"], "edited by discord.py");
    assert!(stored["edited_timestamp"].is_string());
    assert_eq!(stored["pinned"], true);
    assert_eq!(stored["reactions"][0]["emoji"]["name"], "👍");
    assert_eq!(stored["reactions"][0]["count"], 1);
    assert_eq!(stored["thread"]["id"], message.as_str());
    // The whole thread channel, as Discord sends it: discord.py's fetch_message reads `parent_id` from it.
    assert_eq!(stored["thread"]["parent_id"], channel.as_str());
    assert_eq!(stored["thread"]["type"], 11);
    assert_eq!(stored["thread"]["name"], "dpy thread");
    let thread_messages: serde_json::Value = admin
        .api(Method::GET, &format!("/channels/{message}/messages"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(thread_messages[0]["content"], "in the thread");
    let pins: serde_json::Value = admin
        .api(Method::GET, &format!("/channels/{channel}/messages/pins"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pins["items"][0]["message"]["id"], message.as_str());

    // Eight sends against a limit of five per two seconds: all succeed, paced by the library.
    let burst = bot.expect("burst", Duration::from_secs(60));
    assert!(
        burst["seconds"].as_f64().unwrap() >= 1.5,
        "the burst was not throttled: {burst}"
    );

    // Embeds are checked as Discord checks them: a wrong type is refused with the field's path.
    for (embed, path) in [
        (json!({"author": "AAA"}), "author"),
        (json!({"fields": [1]}), "fields"),
        (json!({"timestamp": ""}), "timestamp"),
    ] {
        let refused = admin
            .api(
                Method::POST,
                &format!("/channels/{channel}/messages"),
                Some(json!({"content": "bad embed", "embeds": [embed]})),
            )
            .await;
        assert_eq!(refused.status(), 400, "{embed}");
        let body: serde_json::Value = refused.json().await.unwrap();
        assert_eq!(body["code"], 50035);
        assert!(body["errors"]["embeds"]["0"][path].is_object(), "{body}");
    }

    // A user's message reaches the bot, with an embed whose unset fields were sent as null: once they were echoed
    // as null and discord.py's client.run() died of a TypeError on `color: null`.
    let posted = admin
        .api(
            Method::POST,
            &format!("/channels/{channel}/messages"),
            Some(json!({"content": "hello bot", "embeds": [{"title": "t", "color": null, "footer": null}]})),
        )
        .await;
    assert_eq!(posted.status(), 200);
    let received = bot.expect("received", Duration::from_secs(30));
    assert_eq!(
        received,
        json!({"content": "hello bot", "author": ADMIN, "bot": false, "embeds": [{"type": "rich", "title": "t", "flags": 0}]})
    );

    // The bot made the server drop its socket (unknown opcode, 4001); it resumes and gets what it missed.
    let resumed = bot.expect("resumed", Duration::from_secs(60));
    assert_eq!(resumed["gap_message_seen"], true);
    assert!(bot.wait(Duration::from_secs(20)), "the bot exited with an error");
    server.stop();
}
