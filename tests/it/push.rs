//! Web Push end to end: browsers' subscriptions (made by `tests/push/receiver.py`, which plays the browsers and
//! their push service, decrypting every payload with the real `http_ece` library and checking the VAPID JWT)
//! get a push for a DM, a mention, a reply and a ringing call; nothing for a plain channel message (mentions
//! only by default), a muted channel, a visible tab, Do Not Disturb, or after logout; a push service's 410
//! forgets the subscription; endpoints that are not https on a public address are refused.
//!
//! Each "nothing was pushed" is proved by a later push to the same push service: pushes are decided in the
//! order messages were published and leave for a service in that order, so the first push to arrive after the
//! silent one shows that it would have come before.

use std::process::Command;
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::gw::Gw;
use crate::support::{BotProcess, Browser, Instance, Server, create_user, repo_root, status_and_code};

const LONG: Duration = Duration::from_secs(20);

struct Person {
    web: Browser,
    id: String,
}

async fn login(server: &Server, name: &str) -> Person {
    let mut web = server.browser();
    assert_eq!(web.login(name, &format!("{name} password 1")).await.status(), 303);
    let (_, me) = web.me().await;
    let id = me["id"].as_str().unwrap().to_owned();
    Person { web, id }
}

impl Person {
    async fn call(&mut self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        status_and_code(self.web.api(method, path, body).await).await
    }

    async fn say(&mut self, channel: &str, body: Value) -> String {
        let (status, sent) = self
            .call(Method::POST, &format!("/channels/{channel}/messages"), Some(body))
            .await;
        assert_eq!(status, 200, "{sent}");
        sent["id"].as_str().unwrap().to_owned()
    }

    async fn dm(&mut self, with: &str) -> String {
        let (status, dm) = self
            .call(Method::POST, "/users/@me/channels", Some(json!({"recipient_id": with})))
            .await;
        assert_eq!(status, 200, "{dm}");
        dm["id"].as_str().unwrap().to_owned()
    }

    async fn gateway(&self, server: &Server, presence: Value) -> Gw {
        let cookie = format!("spot_session={}", self.web.cookies["spot_session"]);
        let mut gw = Gw::connect_with(
            server,
            "v=10&encoding=json",
            &[("cookie", cookie), ("origin", server.base.clone())],
        )
        .await;
        assert_eq!(gw.recv().await["op"], 10);
        gw.send(json!({"op": 2, "d": {"token": "", "properties": {"os": "linux"}, "presence": presence}}))
            .await;
        gw.dispatch("READY").await;
        gw
    }
}

/// The next push the receiver reports, checked for the VAPID key the server publishes.
fn next_push(receiver: &mut BotProcess, vapid_key: &str) -> Value {
    let push = receiver.expect("push", LONG);
    assert_eq!(push["vapid_key"], vapid_key, "signed with the instance's VAPID key");
    push
}

#[tokio::test]
async fn pushes_reach_browsers_that_are_away() {
    let mut command = Command::new(repo_root().join("target/test-venv/bin/python"));
    command
        .arg(repo_root().join("tests/push/receiver.py"))
        .args(["alice", "dave"]);
    let mut receiver = BotProcess::start(command);
    let ready = receiver.expect("ready", LONG);
    let port = ready["port"].as_u64().unwrap();
    let subscription = |name: &str| ready["subscriptions"][name].clone();

    let instance = Instance::new("[api]\nroute_limit = 100000\nglobal_per_second = 100000\n");
    for name in ["alice", "bob", "carol", "dave"] {
        create_user(&instance, name, &format!("{name} password 1"), false);
    }
    let mut serve = instance.spot(&["serve"]);
    serve.env("SPOT_TEST_ONLY_UNSAFE_FETCH_LOOPBACK_PORT", port.to_string());
    let server = Server::start(serve);
    let mut alice = login(&server, "alice").await;
    let mut bob = login(&server, "bob").await;
    let mut carol = login(&server, "carol").await;
    let mut dave = login(&server, "dave").await;

    // Hostile or plain-HTTP endpoints are refused before they are stored.
    let keys = subscription("alice")["keys"].clone();
    for endpoint in [
        "https://127.0.0.1/push",
        "https://192.168.1.10/push",
        "https://[::1]/push",
        "http://push.example.com/push",
        "file:///etc/passwd",
    ] {
        let (status, error) = alice
            .call(
                Method::POST,
                "/users/@me/push",
                Some(json!({"endpoint": endpoint, "keys": keys})),
            )
            .await;
        assert_eq!(
            (status, error["code"].as_i64()),
            (400, Some(50035)),
            "{endpoint}: {error}"
        );
    }
    let bad_keys = json!({"endpoint": subscription("alice")["endpoint"], "keys": {"p256dh": "AAAA", "auth": "AAAA"}});
    assert_eq!(alice.call(Method::POST, "/users/@me/push", Some(bad_keys)).await.0, 400);

    // Subscribing: the key to subscribe with, then each browser's subscription for its session.
    let (status, state) = alice.call(Method::GET, "/users/@me/push", None).await;
    assert_eq!((status, state["subscribed"].clone()), (200, json!(false)));
    let vapid_key = state["public_key"].as_str().unwrap().to_owned();
    assert_eq!(vapid_key.len(), 87, "an uncompressed P-256 point in base64url");
    for (person, name) in [(&mut alice, "alice"), (&mut carol, "gone"), (&mut dave, "dave")] {
        let (status, body) = person
            .call(Method::POST, "/users/@me/push", Some(subscription(name)))
            .await;
        assert_eq!(status, 204, "{body}");
    }
    assert_eq!(
        alice.call(Method::GET, "/users/@me/push", None).await.1["subscribed"],
        true
    );

    // A DM: alice has no tab open, so her phone gets it.
    let dm = bob.dm(&alice.id).await;
    let first = bob.say(&dm, json!({"content": "are we still on for tonight?"})).await;
    let push = next_push(&mut receiver, &vapid_key);
    assert_eq!(push["to"], "alice");
    let payload = &push["payload"];
    assert_eq!(
        (payload["kind"].clone(), payload["title"].clone()),
        (json!("message"), json!("bob"))
    );
    assert_eq!(payload["body"], "are we still on for tonight?");
    assert_eq!(payload["url"], format!("{}/channels/@me/{dm}/{first}", server.base));
    assert_eq!(push["urgency"], "normal");

    // In the space: a plain message is not pushed (mentions only), a mention and a reply are.
    let (_, guilds) = bob.call(Method::GET, "/users/@me/guilds", None).await;
    let guild = guilds[0]["id"].as_str().unwrap().to_owned();
    let (_, channels) = bob.call(Method::GET, &format!("/guilds/{guild}/channels"), None).await;
    let general = channels
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "general")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    bob.say(&general, json!({"content": "plain words for everyone"})).await;
    bob.say(&general, json!({"content": format!("<@{}> look at this", alice.id)}))
        .await;
    let push = next_push(&mut receiver, &vapid_key);
    assert_eq!(push["to"], "alice", "the plain message made no push: {push}");
    assert_eq!(push["payload"]["title"], "bob (#general)");
    assert_eq!(push["payload"]["body"], "@alice look at this");
    let mine = alice.say(&general, json!({"content": "my question"})).await;
    bob.say(
        &general,
        json!({"content": "my answer", "message_reference": {"message_id": mine}}),
    )
    .await;
    assert_eq!(next_push(&mut receiver, &vapid_key)["payload"]["body"], "my answer");

    // Muting #general for an hour silences even a mention; DMs still come.
    let (status, settings) = alice
        .call(
            Method::PATCH,
            &format!("/users/@me/guilds/{guild}/settings"),
            Some(json!({"channel_overrides": {general.clone(): {"muted": true, "mute_config": {"selected_time_window": 3600}}}})),
        )
        .await;
    assert_eq!(status, 200, "{settings}");
    assert_eq!(settings["channel_overrides"][0]["muted"], true);
    bob.say(&general, json!({"content": format!("<@{}> muted mention", alice.id)}))
        .await;
    bob.say(&dm, json!({"content": "after the mute"})).await;
    assert_eq!(
        next_push(&mut receiver, &vapid_key)["payload"]["body"],
        "after the mute"
    );

    // A visible tab: no push; the same tab hidden (afk), pushes again; Do Not Disturb: none. Pushes are
    // decided after the message is stored, so a push to dave marks when alice's turn was decided.
    let dave_dm = bob.dm(&dave.id).await;
    let marker = async |bob: &mut Person, receiver: &mut BotProcess, text: &str| {
        bob.say(&dave_dm, json!({"content": text})).await;
        let push = next_push(receiver, &vapid_key);
        assert_eq!(
            (push["to"].clone(), push["payload"]["body"].clone()),
            (json!("dave"), json!(text))
        );
    };
    let mut tab = alice.gateway(&server, json!({"status": "online", "afk": false})).await;
    bob.say(&dm, json!({"content": "seen in the tab"})).await;
    marker(&mut bob, &mut receiver, "marker 1").await;
    tab.send(json!({"op": 3, "d": {"status": "online", "since": null, "activities": [], "afk": true}}))
        .await;
    // The presence change is read before the next message (one connection, in order); give it a REST round trip.
    let _ = alice.call(Method::GET, "/users/@me", None).await;
    bob.say(&dm, json!({"content": "tab hidden"})).await;
    assert_eq!(next_push(&mut receiver, &vapid_key)["payload"]["body"], "tab hidden");
    tab.send(json!({"op": 3, "d": {"status": "dnd", "since": null, "activities": [], "afk": true}}))
        .await;
    let _ = alice.call(Method::GET, "/users/@me", None).await;
    bob.say(&dm, json!({"content": "do not disturb"})).await;
    marker(&mut bob, &mut receiver, "marker 2").await;
    tab.send(json!({"op": 3, "d": {"status": "online", "since": null, "activities": [], "afk": true}}))
        .await;
    let _ = alice.call(Method::GET, "/users/@me", None).await;
    bob.say(&dm, json!({"content": "back online"})).await;
    assert_eq!(next_push(&mut receiver, &vapid_key)["payload"]["body"], "back online");

    // A ringing call is pushed once, urgently.
    let mut bob_gw = bob.gateway(&server, json!({"status": "online", "afk": false})).await;
    bob_gw
        .send(json!({"op": 4, "d": {"guild_id": null, "channel_id": dm, "self_mute": false, "self_deaf": false}}))
        .await;
    let push = next_push(&mut receiver, &vapid_key);
    assert_eq!(push["payload"]["kind"], "call");
    assert_eq!(push["payload"]["body"], "is calling you");
    assert_eq!(push["urgency"], "high");

    // A push service that forgot the subscription (410): spot forgets it too.
    let carol_dm = bob.dm(&carol.id).await;
    bob.say(&carol_dm, json!({"content": "hi carol"})).await;
    receiver.expect("gone", LONG);
    let mut forgotten = false;
    for _ in 0..50 {
        if carol.call(Method::GET, "/users/@me/push", None).await.1["subscribed"] == false {
            forgotten = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(forgotten, "the 410 removed carol's subscription");

    // Logging out ends the session and its subscription: the next DM to alice is not pushed, dave's is.
    drop(tab);
    let (status, _) = alice.call(Method::POST, "/auth/logout", None).await;
    assert_eq!(status, 204);
    bob.say(&dm, json!({"content": "after logout"})).await;
    bob.say(&dave_dm, json!({"content": "hi dave"})).await;
    let push = next_push(&mut receiver, &vapid_key);
    assert_eq!(
        (push["to"].clone(), push["payload"]["body"].clone()),
        (json!("dave"), json!("hi dave"))
    );
    assert!(
        !receiver.seen.iter().any(|line| line.get("refused").is_some()),
        "every push passed the push service's checks: {:?}",
        receiver.seen
    );
    server.stop();
}
