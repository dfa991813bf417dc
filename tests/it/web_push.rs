//! The installable app and push in Chromium (`tests/web/push.spec.mjs`): the service worker controls the page,
//! Chromium's installability check finds nothing missing, alice turns push on from Settings (the permission
//! asked on the click), and with her tab hidden a mention, a DM and a ringing call reach the push service
//! (`tests/push/receiver.py`, which decrypts each with the real `http_ece` and checks the VAPID JWT) while a
//! mention in a channel she muted from the bell does not; offline she still sees the last channel, and logging
//! out removes the subscription and the cached data.
//!
//! Headless Chromium reaches no push service, so the page's `PushManager.subscribe` returns the subscription the
//! receiver made (the spec's stand-in); everything from the click to the decrypted push is real.

use std::process::Command;
use std::time::Duration;

use serde_json::{Value, json};

use crate::support::{BotProcess, Instance, Server, create_user, repo_root};

const LONG: Duration = Duration::from_secs(90);

fn next_push(receiver: &mut BotProcess) -> Value {
    let push = receiver.expect("push", Duration::from_secs(30));
    assert_eq!(push["to"], "alice");
    push["payload"].clone()
}

#[tokio::test]
async fn push_and_the_installable_app_in_chromium() {
    let mut command = Command::new(repo_root().join("target/test-venv/bin/python"));
    command.arg(repo_root().join("tests/push/receiver.py")).arg("alice");
    let mut receiver = BotProcess::start(command);
    let ready = receiver.expect("ready", LONG);
    let subscription = ready["subscriptions"]["alice"].clone();

    let instance = Instance::new("[api]\nroute_limit = 100000\nglobal_per_second = 100000\n");
    create_user(&instance, "alice", "alice password 1", false);
    create_user(&instance, "bob", "bob password 22", false);
    let mut serve = instance.spot(&["serve"]);
    serve.env("SPOT_TEST_ONLY_UNSAFE_FETCH_LOOPBACK_PORT", ready["port"].to_string());
    let server = Server::start(serve);

    let artifacts = repo_root().join("target/web-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let mut command = Command::new("node");
    command
        .arg(repo_root().join("tests/web/push.spec.mjs"))
        .env("SPOT_URL", &server.base)
        .env("SPOT_CHROMIUM", "/usr/bin/chromium")
        .env("SPOT_ARTIFACTS", &artifacts)
        .env("SPOT_PUSH_SUBSCRIPTION", subscription.to_string())
        .env("NODE_PATH", repo_root().join("web/node_modules"));
    let mut browser = BotProcess::start(command);

    let ids = browser.expect("logged_in", LONG);
    assert_eq!(browser.expect("service_worker", LONG)["controlled"], true);
    let manifest = browser.expect("manifest", LONG);
    assert!(
        manifest["url"].as_str().unwrap().ends_with("/manifest.webmanifest"),
        "{manifest}"
    );
    assert_eq!(manifest["errors"], json!([]));
    assert_eq!(
        browser.expect("installability", LONG),
        json!([]),
        "Chromium finds the app installable"
    );
    browser.expect("push_keys", LONG);
    let key = browser.expect("application_server_key", LONG);
    let posted = browser.expect("subscribed", LONG);
    assert_eq!(posted["endpoint"], subscription["endpoint"]);
    assert_eq!(posted["keys"], subscription["keys"]);
    let on = browser.expect("push_on", LONG);
    assert_eq!(on["status"], 204);
    assert_eq!(on["state"]["subscribed"], true);
    assert_eq!(
        on["state"]["public_key"], key,
        "the page subscribed with the server's VAPID key"
    );

    // bob mutes #general from the bell: the PATCH, and the channel dimmed in his list.
    let muted = browser.expect("muted", LONG);
    assert_eq!(
        muted["channel_overrides"][ids["general"].as_str().unwrap()]["muted"],
        true,
        "{muted}"
    );
    let dimmed = browser.expect("muted_dimmed", LONG);
    assert!(dimmed["label"].as_str().unwrap().contains("muted"), "{dimmed}");

    // alice's tab hidden: afk; a mention, a DM and a call reach her push service, decrypted and signed.
    assert_eq!(browser.expect("hidden", LONG)["presence"]["afk"], true);
    let mention = browser.expect("mention_sent", LONG);
    let push = next_push(&mut receiver);
    assert_eq!(push["title"], "bob (#general)");
    assert!(
        push["url"]
            .as_str()
            .unwrap()
            .ends_with(mention["message_id"].as_str().unwrap()),
        "{push}"
    );
    let dm = browser.expect("dm_sent", LONG);
    let push = next_push(&mut receiver);
    assert_eq!(
        (push["title"].clone(), push["body"].clone()),
        (json!("bob"), json!("a direct message for the push test"))
    );
    assert!(
        push["url"]
            .as_str()
            .unwrap()
            .contains(dm["channel_id"].as_str().unwrap())
    );
    browser.expect("call_started", LONG);
    let push = next_push(&mut receiver);
    assert_eq!(
        (push["kind"].clone(), push["body"].clone()),
        (json!("call"), json!("is calling you"))
    );
    browser.expect("call_ended", LONG);
    browser.expect("alice_muted", LONG);
    browser.expect("muted_mention_sent", LONG);
    browser.expect("dm_after_mute_sent", LONG);
    let push = next_push(&mut receiver);
    assert_eq!(
        push["body"], "after the mute (push test)",
        "the muted mention was not pushed"
    );

    assert_eq!(browser.expect("visible", LONG)["presence"]["afk"], false);
    let shown = browser.expect("sw_push", LONG);
    assert!(shown[0].get("error").is_none(), "the worker showed the push: {shown}");
    browser.expect("offline", LONG);
    let out = browser.expect("logged_out", LONG);
    assert_eq!(out["push_deleted"], true);
    assert!(
        !out["caches"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c.as_str().unwrap().starts_with("spot-data")),
        "{out}"
    );
    browser.expect("done", LONG);
    assert!(browser.wait(Duration::from_secs(30)), "the browser script failed");
    assert!(
        !receiver.seen.iter().any(|line| line.get("refused").is_some()),
        "every push passed the push service's checks: {:?}",
        receiver.seen
    );
    server.stop();
}
