//! Direct messages and group DMs in real browsers (`tests/web/dm.spec.mjs`, playwright-core + Debian's chromium):
//! alice and bob on desktops and carol on a 390 px phone open a DM from the member list, talk live both ways with
//! unread badges, react and pin, find the DM with the quick switcher, make a group, rename it, see it on the
//! phone, call from the group (all three hear each other: getStats inbound audio), leave it; a block refuses the
//! next DM with the "could not be delivered" line and collapses messages in shared channels; the DM setting
//! refuses a new conversation.

use std::process::Command;
use std::time::Duration;

use serde_json::json;

use crate::support::{BotProcess, Instance, create_user, repo_root};

#[tokio::test]
async fn direct_messages_in_chromium() {
    let instance = Instance::new("[api]\nroute_limit = 100000\nglobal_per_second = 100000\n");
    create_user(&instance, "alice", "alice password 1", false);
    create_user(&instance, "bob", "bob password 22", false);
    create_user(&instance, "carol", "carol password 333", false);
    let microphone = instance.dir.path().join("tone.wav");
    crate::fixture::voice_like(&microphone, 220.0, 6.0);
    let server = instance.serve();
    let artifacts = repo_root().join("target/web-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let mut command = Command::new("node");
    command
        .arg(repo_root().join("tests/web/dm.spec.mjs"))
        .env("SPOT_URL", &server.base)
        .env("SPOT_CHROMIUM", "/usr/bin/chromium")
        .env("SPOT_ARTIFACTS", &artifacts)
        .env("SPOT_TONE", &microphone)
        .env("NODE_PATH", repo_root().join("web/node_modules"));
    let mut browser = BotProcess::start(command);
    let long = Duration::from_secs(90);
    for step in [
        "logged_in",
        "dm_opened",
        "dm_exchange",
        "dm_react_pin",
        "switcher_dm",
        "group_created",
        "group_renamed",
        "group_phone",
        "group_call",
        "group_left",
        "blocked",
        "undelivered",
        "blocked_collapsed",
        "dm_setting",
        "done",
    ] {
        assert_eq!(browser.expect(step, long), json!(true), "step {step}");
    }
    assert!(browser.wait(Duration::from_secs(30)), "the browser script failed");
    server.stop();
}
