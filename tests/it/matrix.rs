//! The library matrix's common walk-through (hikari and serenity; discord.py and discord.js have their own,
//! older scripts): a bot from the library, pointed at spot by base URL only, reports each step as a JSON line,
//! and these checks read the server's side. Each library's test adds what is particular to it.

use std::process::Command;
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{ADMIN, ADMIN_PASSWORD, BotProcess, Instance, create_bot};

/// Five sends per two seconds: a burst of twenty must be paced or backed off.
const LIMITS: &str = "[api]\nroute_limit = 5\nroute_window = \"2s\"\n";

/// What one walk-through reported, for the library's own checks.
pub struct Walk {
    pub ready: Value,
    pub phase1: Value,
    pub burst: Value,
}

/// Runs the bot `command` makes (given the server's base URL and a token for a bot named `name`) through the
/// walk-through; `library` is the word its messages use ("hikari" → "edited by hikari").
pub async fn walk(name: &str, library: &str, command: impl FnOnce(&str, &str) -> Command) -> Walk {
    let instance = Instance::new(LIMITS);
    let token = create_bot(&instance, name);
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let mut bot = BotProcess::start(command(&server.base, &token));

    let ready = bot.expect("ready", Duration::from_secs(60));
    assert_eq!(ready["user"], name);
    assert_eq!(ready["guild"], "spot");
    assert_eq!(ready["channels"], json!(["Lounge", "general"]));

    let phase1 = bot.expect("phase1", Duration::from_secs(60));
    let channel = phase1["channel"].as_str().unwrap().to_owned();
    let message = phase1["message"].as_str().unwrap().to_owned();
    assert_eq!(
        phase1["updated_seen"],
        format!("edited by {library}"),
        "MESSAGE_UPDATE reached the bot"
    );
    assert_eq!(phase1["reaction"], "👍");
    assert_eq!(phase1["attachment"], "hello.txt");
    assert_eq!(
        phase1["attachment_bytes"],
        format!("hello {library}"),
        "the attachment URL downloads"
    );
    assert_eq!(
        phase1["thread"],
        message.as_str(),
        "a thread from a message takes its id"
    );
    assert_eq!(phase1["thread_parent"], channel.as_str());
    assert_eq!(phase1["thread_message"], "in the thread");
    assert_eq!(phase1["history"][0], "a file", "history is newest first");
    assert_eq!(phase1["members"], json!([ADMIN, name]));

    // What the bot did is stored: a member sees it through the same API.
    let stored: Value = admin
        .api(Method::GET, &format!("/channels/{channel}/messages/{message}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored["content"], format!("edited by {library}"));
    assert_eq!(stored["reactions"][0]["count"], 1);
    assert_eq!(stored["thread"]["name"], format!("{library} thread"));

    let burst = bot.expect("burst", Duration::from_secs(60));
    assert!(
        burst["seconds"].as_f64().unwrap() >= 4.0,
        "twenty sends at five per two seconds: {burst}"
    );

    // The bot made the server drop its socket (a frame that is not JSON: 4002); it resumes and gets what it
    // missed.
    let resumed = bot.expect("resumed", Duration::from_secs(60));
    assert_eq!(resumed["gap_message_seen"], true);
    assert!(bot.wait(Duration::from_secs(20)), "the bot exited with an error");
    server.stop();
    Walk { ready, phase1, burst }
}
