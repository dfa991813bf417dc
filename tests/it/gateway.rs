//! The gateway over a raw WebSocket (tokio-tungstenite): HELLO/IDENTIFY/READY, every close code, RESUME with
//! replay and with stale sessions, zlib-stream, browser sessions, and permission filtering of dispatches.

use std::time::Duration;

use futures_util::SinkExt;
use reqwest::Method;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

use crate::gw::Gw;
use crate::support::{ADMIN, ADMIN_PASSWORD, Browser, Instance, Server, create_bot};

const ALL_INTENTS: u64 = 33_281 | (1 << 10) | (1 << 11) | (1 << 15); // guilds, messages, reactions, typing, content

async fn setup(extra: &str) -> (Instance, Server, String, Browser) {
    let instance = Instance::new(extra);
    let token = create_bot(&instance, "gwbot");
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    (instance, server, token, admin)
}

async fn general(admin: &mut Browser) -> (String, String) {
    admin.home().await
}

async fn post(admin: &mut Browser, channel: &str, content: &str) -> Value {
    let response = admin
        .api(
            Method::POST,
            &format!("/channels/{channel}/messages"),
            Some(json!({"content": content})),
        )
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

#[tokio::test]
async fn identify_ready_guild_create_and_dispatch() {
    let (_instance, server, token, mut admin) = setup("").await;
    let (guild, general) = general(&mut admin).await;
    let mut gw = Gw::connect(&server, "v=10&encoding=json").await;
    let hello = gw.recv().await;
    assert!(hello["d"]["heartbeat_interval"].as_u64().unwrap() > 1000);
    gw.send(json!({"op": 1, "d": null})).await;
    assert_eq!(
        gw.recv().await["op"],
        11,
        "heartbeats are acknowledged, even before IDENTIFY"
    );
    // JSON in a BINARY frame is read like TEXT (hikari sends BINARY).
    gw.ws
        .send(Message::binary(json!({"op": 1, "d": null}).to_string()))
        .await
        .unwrap();
    assert_eq!(gw.recv().await["op"], 11, "a heartbeat in a BINARY frame");
    gw.send(json!({"op": 2, "d": {"token": format!("Bot {token}"), "intents": ALL_INTENTS, "properties": {}}}))
        .await;
    let ready = gw.dispatch("READY").await;
    assert_eq!(ready["s"], 1);
    assert_eq!(ready["d"]["user"]["username"], "gwbot");
    assert_eq!(ready["d"]["user"]["bot"], true);
    assert_eq!(ready["d"]["guilds"], json!([{"id": guild, "unavailable": true}]));
    assert!(ready["d"]["resume_gateway_url"].as_str().unwrap().ends_with("/gateway"));
    assert!(ready["d"]["application"]["id"].is_string());
    // Discord-shaped token: its first part is the bot's id (hikari reads it from there).
    use base64::Engine;
    let first = token.split('.').next().unwrap();
    let id = base64::engine::general_purpose::STANDARD_NO_PAD.decode(first).unwrap();
    assert_eq!(
        String::from_utf8(id).unwrap(),
        ready["d"]["user"]["id"].as_str().unwrap()
    );
    // session_start_limit is reported as it stands: this IDENTIFY used one of the day's thousand.
    let mut bot = Browser::new(&server.base).with_header("authorization", &format!("Bot {token}"));
    let gateway_bot: Value = bot.get("/api/v10/gateway/bot").await.json().await.unwrap();
    assert_eq!(gateway_bot["session_start_limit"]["total"], 1000);
    assert_eq!(gateway_bot["session_start_limit"]["remaining"], 999);
    // The privileged intents are granted, and READY says so as Discord's application flags.
    assert_eq!(ready["d"]["application"]["flags"], (1 << 12) | (1 << 14) | (1 << 18));
    // Clients written for Discord's bare-host URL append `/?v=10&encoding=json` to the gateway URL.
    let mut slashed = Gw::connect_path(&server, "/gateway/?v=10&encoding=json").await;
    assert_eq!(slashed.recv().await["op"], 10, "HELLO on /gateway/");
    let create = gw.dispatch("GUILD_CREATE").await;
    assert_eq!(create["s"], 2);
    let d = &create["d"];
    assert_eq!(d["id"], guild.as_str());
    assert!(
        d["roles"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == guild.as_str() && r["name"] == "@everyone")
    );
    assert_eq!(d["member_count"], d["members"].as_array().unwrap().len());
    assert!(
        d["channels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == general.as_str())
    );

    let sent = post(&mut admin, &general, "hi <@0> there").await;
    let created = gw.dispatch("MESSAGE_CREATE").await;
    assert_eq!(created["s"], 3);
    assert_eq!(created["d"]["id"], sent["id"]);
    assert_eq!(created["d"]["content"], "hi <@0> there");
    assert_eq!(created["d"]["author"]["username"], ADMIN);
    assert_eq!(created["d"]["guild_id"], guild.as_str());
    assert!(created["d"]["member"]["roles"].is_array());

    // Typing, reactions, edits and deletes arrive too, in order.
    admin
        .api(Method::POST, &format!("/channels/{general}/typing"), None)
        .await;
    assert_eq!(gw.dispatch("TYPING_START").await["d"]["user_id"], sent["author"]["id"]);
    let id = sent["id"].as_str().unwrap();
    let react = admin
        .api(
            Method::PUT,
            &format!("/channels/{general}/messages/{id}/reactions/%E2%9C%85/@me"),
            None,
        )
        .await;
    assert_eq!(react.status(), 204);
    let reaction = gw.dispatch("MESSAGE_REACTION_ADD").await;
    assert_eq!(reaction["d"]["emoji"], json!({"id": null, "name": "✅"}));
    assert_eq!(reaction["d"]["type"], 0);
    admin
        .api(
            Method::PATCH,
            &format!("/channels/{general}/messages/{id}"),
            Some(json!({"content": "edited"})),
        )
        .await;
    let update = gw.dispatch("MESSAGE_UPDATE").await;
    assert_eq!(update["d"]["content"], "edited");
    assert!(
        update["d"]["author"].is_object(),
        "MESSAGE_UPDATE carries the full message"
    );
    admin
        .api(Method::DELETE, &format!("/channels/{general}/messages/{id}"), None)
        .await;
    assert_eq!(gw.dispatch("MESSAGE_DELETE").await["d"]["id"], id);
    server.stop();
}

async fn expect_close(server: &Server, query: &str, steps: Vec<Value>, code: u16) {
    let mut gw = Gw::connect(server, query).await;
    if query.contains("v=10") || !query.contains("v=") {
        assert_eq!(gw.recv().await["op"], 10);
    }
    for step in steps {
        if step.is_string() {
            gw.ws
                .send(Message::text(step.as_str().unwrap().to_owned()))
                .await
                .unwrap();
        } else {
            gw.send(step).await;
        }
    }
    assert_eq!(gw.closed().await, Some(code), "expected close {code} for {query}");
}

#[tokio::test]
async fn close_codes() {
    let (_instance, server, token, _admin) = setup("[gateway]\ncommands_per_minute = 5\n").await;
    let identify = |intents: u64| json!({"op": 2, "d": {"token": token.clone(), "intents": intents, "properties": {}}});
    let q = "v=10&encoding=json";
    expect_close(&server, q, vec![json!("{not json")], 4002).await;
    // Valid JSON, but larger than the 4096 bytes Discord accepts from clients.
    expect_close(&server, q, vec![json!({"op": 1, "d": "x".repeat(5000)})], 4002).await;
    expect_close(&server, q, vec![json!({"op": 3, "d": {"status": "online"}})], 4003).await;
    expect_close(
        &server,
        q,
        vec![json!({"op": 2, "d": {"token": "wrong", "intents": 1}})],
        4004,
    )
    .await;
    expect_close(&server, q, vec![identify(1), identify(1)], 4005).await;
    expect_close(&server, q, vec![identify(1), json!({"op": 99})], 4001).await;
    expect_close(&server, q, vec![identify(1 << 40)], 4013).await;
    expect_close(
        &server,
        q,
        vec![json!({"op": 2, "d": {"token": token, "intents": 1, "shard": [1, 2]}})],
        4010,
    )
    .await;
    let presence = json!({"op": 3, "d": {"status": "online", "since": null, "activities": [], "afk": false}});
    let mut flood = vec![identify(1)];
    flood.extend(std::iter::repeat_n(presence, 6));
    expect_close(&server, q, flood, 4008).await;
    expect_close(&server, "v=9&encoding=json", vec![], 4012).await;

    // The server kept serving: a well-behaved client still gets READY.
    let mut gw = Gw::connect(&server, q).await;
    let (ready, _) = gw.identify(&token, 1).await;
    assert_eq!(ready["user"]["username"], "gwbot");
    server.stop();
}

#[tokio::test]
async fn heartbeat_timeout_and_disallowed_intents() {
    let (_instance, server, token, _admin) =
        setup("[gateway]\nheartbeat_interval_ms = 1000\nprivileged_intents = false\n").await;
    let mut gw = Gw::connect(&server, "v=10&encoding=json").await;
    assert_eq!(gw.recv().await["d"]["heartbeat_interval"], 1000);
    let started = std::time::Instant::now();
    assert_eq!(gw.closed().await, Some(4009));
    assert!(started.elapsed() < Duration::from_secs(4));
    let message_content = 1 << 15;
    expect_close(
        &server,
        "v=10",
        vec![json!({"op": 2, "d": {"token": token, "intents": 1 | message_content}})],
        4014,
    )
    .await;
    server.stop();
}

#[tokio::test]
async fn resume_replays_missed_events_and_refuses_stale_sessions() {
    let (_instance, server, token, mut admin) = setup("").await;
    let (_, general) = general(&mut admin).await;
    let mut gw = Gw::connect(&server, "v=10&encoding=json").await;
    let (ready, _) = gw.identify(&token, ALL_INTENTS).await;
    let session = ready["session_id"].as_str().unwrap().to_owned();
    drop(gw); // the connection drops without a close frame
    tokio::time::sleep(Duration::from_millis(200)).await;
    post(&mut admin, &general, "while you were away").await;
    post(&mut admin, &general, "and this too").await;

    let mut back = Gw::connect(&server, "v=10&encoding=json").await;
    assert_eq!(back.recv().await["op"], 10);
    back.send(json!({"op": 6, "d": {"token": token, "session_id": session, "seq": 2}}))
        .await;
    let first = back.recv().await;
    assert_eq!(
        (first["t"].as_str(), first["s"].as_u64()),
        (Some("MESSAGE_CREATE"), Some(3))
    );
    assert_eq!(first["d"]["content"], "while you were away");
    let second = back.recv().await;
    assert_eq!(
        (second["s"].as_u64(), second["d"]["content"].as_str()),
        (Some(4), Some("and this too"))
    );
    let resumed = back.recv().await;
    assert_eq!(resumed["t"], "RESUMED");
    assert_eq!(resumed["d"], json!({}));
    post(&mut admin, &general, "live again").await;
    assert_eq!(back.dispatch("MESSAGE_CREATE").await["s"], 6);

    // Unknown session, null session, and a sequence from the future: INVALID_SESSION (not resumable).
    for resume in [
        json!({"token": token, "session_id": "nope", "seq": 1}),
        json!({"token": token, "session_id": null, "seq": null}),
        json!({"token": token, "session_id": session, "seq": 999}),
    ] {
        let mut gw = Gw::connect(&server, "v=10&encoding=json").await;
        assert_eq!(gw.recv().await["op"], 10);
        gw.send(json!({"op": 6, "d": resume})).await;
        assert_eq!(gw.recv().await, json!({"op": 9, "d": false, "s": null, "t": null}));
    }
    server.stop();
}

#[tokio::test]
async fn zlib_stream_and_browser_sessions() {
    let (_instance, server, token, admin) = setup("").await;
    let mut gw = Gw::connect(&server, "v=10&encoding=json&compress=zlib-stream").await;
    let (ready, guild) = gw.identify(&token, 1).await;
    assert_eq!(ready["user"]["username"], "gwbot");
    assert!(guild["channels"].is_array());

    // A browser authenticates with its session cookie (empty token) from the same origin.
    let cookie = format!("spot_session={}", admin.cookies["spot_session"]);
    let origin = server.base.clone();
    let mut browser = Gw::connect_with(
        &server,
        "v=10&encoding=json",
        &[("cookie", cookie.clone()), ("origin", origin)],
    )
    .await;
    let (ready, _) = browser.identify("", 0).await;
    assert_eq!(ready["user"]["username"], ADMIN);
    // Another site's page cannot open a socket with the user's cookie.
    let url = format!("{}/gateway?v=10", server.base.replacen("http", "ws", 1));
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert("cookie", cookie.parse().unwrap());
    request
        .headers_mut()
        .insert("origin", "https://evil.example".parse().unwrap());
    assert!(
        tokio_tungstenite::connect_async(request).await.is_err(),
        "cross-site upgrade must be refused"
    );
    server.stop();
}

#[tokio::test]
async fn dispatches_follow_permissions_and_intents() {
    let (instance, server, token, mut admin) = setup("").await;
    let (guild, general) = general(&mut admin).await;
    let lurker = create_bot(&instance, "lurker");
    // A staff-only channel: @everyone may not view it.
    let hidden = admin
        .api(
            Method::POST,
            &format!("/guilds/{guild}/channels"),
            Some(json!({"name": "staff", "permission_overwrites": [{"id": guild, "type": 0, "allow": "0", "deny": "1024"}]})),
        )
        .await;
    assert_eq!(hidden.status(), 201);
    let staff = hidden.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();

    let mut bot = Gw::connect(&server, "v=10&encoding=json").await;
    let (_, guild_create) = bot.identify(&token, ALL_INTENTS).await;
    assert!(
        !guild_create["channels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == staff.as_str()),
        "hidden channel listed"
    );
    // Without MESSAGE_CONTENT, a bot sees messages but not their text, unless it is mentioned.
    let mut blind = Gw::connect(&server, "v=10&encoding=json").await;
    let (blind_ready, _) = blind.identify(&lurker, 1 | (1 << 9)).await;
    let blind_id = blind_ready["user"]["id"].as_str().unwrap().to_owned();

    post(&mut admin, &staff, "secret plans").await;
    post(&mut admin, &general, "public news").await;
    let seen = bot.dispatch("MESSAGE_CREATE").await;
    assert_eq!(
        seen["d"]["content"], "public news",
        "the hidden channel's message must not be dispatched"
    );
    assert_eq!(
        blind.dispatch("MESSAGE_CREATE").await["d"]["content"],
        "",
        "no MESSAGE_CONTENT intent: no text"
    );
    post(&mut admin, &general, &format!("hey <@{blind_id}>")).await;
    assert_eq!(
        blind.dispatch("MESSAGE_CREATE").await["d"]["content"],
        format!("hey <@{blind_id}>")
    );

    // REST agrees with the gateway.
    let mut bot_http = Browser::new(&server.base).with_header("authorization", &format!("Bot {token}"));
    let forbidden = bot_http
        .send(Method::GET, &format!("/api/v10/channels/{staff}/messages"), |r| r)
        .await;
    assert_eq!(forbidden.status(), 403);
    assert_eq!(forbidden.json::<Value>().await.unwrap()["code"], 50001);

    // Opening the channel to everyone makes its events visible from then on.
    let opened = admin
        .api(
            Method::PATCH,
            &format!("/channels/{staff}"),
            Some(json!({"permission_overwrites": []})),
        )
        .await;
    assert_eq!(opened.status(), 200);
    assert_eq!(bot.dispatch("CHANNEL_UPDATE").await["d"]["id"], staff.as_str());
    post(&mut admin, &staff, "now public").await;
    assert_eq!(bot.dispatch("MESSAGE_CREATE").await["d"]["content"], "now public");
    server.stop();
}

/// (mention count, unread) of `channel` in the user's read states.
async fn read_state(user: &mut Browser, channel: &str) -> (Option<i64>, Option<bool>) {
    let states: Value = user
        .api(Method::GET, "/users/@me/read-states", None)
        .await
        .json()
        .await
        .unwrap();
    let entry = states
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == channel)
        .unwrap()
        .clone();
    (entry["mention_count"].as_i64(), entry["unread"].as_bool())
}

/// The status in the next PRESENCE_UPDATE about `user`.
async fn presence_of(gw: &mut Gw, user: &str) -> String {
    loop {
        let update = gw.dispatch("PRESENCE_UPDATE").await;
        if update["d"]["user"]["id"] == user {
            return update["d"]["status"].as_str().unwrap().to_owned();
        }
    }
}

#[tokio::test]
async fn presence_and_read_state() {
    let (_instance, server, token, mut admin) = setup("").await;
    let (_, general) = general(&mut admin).await;
    let presences = 1 | (1 << 8);
    let mut watcher = Gw::connect(&server, "v=10&encoding=json").await;
    let (ready, _) = watcher.identify(&token, presences).await;
    let bot_id = ready["user"]["id"].as_str().unwrap().to_owned();

    // The admin's browser comes online, goes idle, and leaves.
    let cookie = format!("spot_session={}", admin.cookies["spot_session"]);
    let mut browser = Gw::connect_with(
        &server,
        "v=10&encoding=json",
        &[("cookie", cookie), ("origin", server.base.clone())],
    )
    .await;
    let (me, guild) = browser.identify("", 0).await;
    let admin_id = me["user"]["id"].as_str().unwrap().to_owned();
    assert!(
        guild["presences"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["user"]["id"] == bot_id.as_str() && p["status"] == "online")
    );
    assert_eq!(presence_of(&mut watcher, &admin_id).await, "online");
    browser
        .send(json!({"op": 3, "d": {"status": "idle", "since": 0, "activities": [], "afk": true}}))
        .await;
    assert_eq!(presence_of(&mut watcher, &admin_id).await, "idle");
    drop(browser);
    assert_eq!(presence_of(&mut watcher, &admin_id).await, "offline");

    // Read state: mentions since the last ack are counted; an ack clears them.
    let mut bot_http = Browser::new(&server.base).with_header("authorization", &format!("Bot {token}"));
    for content in [
        format!("hey <@{admin_id}>"),
        "plain".to_owned(),
        format!("again <@{admin_id}>"),
    ] {
        let sent = bot_http
            .send(Method::POST, &format!("/api/v10/channels/{general}/messages"), |r| {
                r.json(&json!({"content": content}))
            })
            .await;
        assert_eq!(sent.status(), 200);
    }
    assert_eq!(read_state(&mut admin, &general).await, (Some(2), Some(true)));
    let newest: Value = admin
        .api(Method::GET, &format!("/channels/{general}/messages?limit=1"), None)
        .await
        .json()
        .await
        .unwrap();
    let newest = newest[0]["id"].as_str().unwrap().to_owned();
    let ack = admin
        .api(
            Method::POST,
            &format!("/channels/{general}/messages/{newest}/ack"),
            Some(json!({})),
        )
        .await;
    assert_eq!(ack.status(), 200);
    assert_eq!(read_state(&mut admin, &general).await, (Some(0), Some(false)));
    server.stop();
}

#[tokio::test]
async fn shutdown_closes_sockets_with_going_away() {
    let (_instance, server, token, _admin) = setup("").await;
    let mut gw = Gw::connect(&server, "v=10&encoding=json").await;
    gw.identify(&token, 1).await;
    let stopping = tokio::task::spawn_blocking(move || server.stop());
    assert_eq!(
        gw.closed().await,
        Some(1001),
        "clients are told the server is going away, so they reconnect"
    );
    stopping.await.unwrap();
}
