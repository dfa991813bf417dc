//! The space's own expressions in Chromium (`tests/web/expressions.spec.mjs`): the admin uploads an emoji, a
//! sticker and a sound in the admin panel; bob (who sees the emoji arrive live) uses the emoji in a message,
//! through the `:` suggestions and alone (jumbo), the admin reacts with it, bob sends a sticker, records a
//! voice message from the fake microphone that the admin plays back (speed too), and plays a soundboard sound in
//! the Lounge that the admin hears (the DJ's audio energy in getStats); then again on a 390 px phone.

use std::process::Command;
use std::time::Duration;

use serde_json::json;

use crate::support::{BotProcess, Instance, create_user, repo_root};

const CHROMIUM: &str = "/usr/bin/chromium";

#[tokio::test]
async fn expressions_in_chromium() {
    assert!(
        std::path::Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: `make deps` installs Debian's chromium"
    );
    let instance = Instance::new("[api]\nroute_limit = 100000\nglobal_per_second = 100000\n");
    create_user(&instance, "bob", "bob password 1", false);
    let microphone = instance.dir.path().join("tone.wav");
    crate::fixture::voice_like(&microphone, 220.0, 6.0);
    let server = instance.serve();

    let artifacts = repo_root().join("target/web-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let mut command = Command::new("node");
    command
        .arg(repo_root().join("tests/web/expressions.spec.mjs"))
        .env("SPOT_URL", &server.base)
        .env("SPOT_CHROMIUM", CHROMIUM)
        .env("SPOT_ARTIFACTS", &artifacts)
        .env("SPOT_TONE", &microphone)
        .env("NODE_PATH", repo_root().join("web/node_modules"));
    let mut browser = BotProcess::start(command);
    let long = Duration::from_secs(120);
    for step in [
        "logged_in",
        "admin_emoji",
        "emoji_message",
        "emoji_reaction",
        "sticker",
        "voice_message",
        "soundboard",
        "phone",
        "done",
    ] {
        assert_eq!(browser.expect(step, long), json!(true), "step {step}");
    }
    assert!(browser.wait(Duration::from_secs(30)), "the browser script failed");
    server.stop();
}
