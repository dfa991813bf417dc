//! The embedded SFU end to end, without a browser: synthetic str0m peers join a room through the real binary
//! (gateway opcode 4 → VOICE_SERVER_UPDATE → `/voice` signaling → ICE/DTLS over loopback UDP), send Opus and
//! receive each other's; server mute stops forwarding; leaving and vanishing update voice states; forged or
//! expired tokens and garbage SDP, JSON and candidates are refused with the room untouched.

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use reqwest::Method;
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::rtc_peer::{Control, RtcPeer};
use crate::support::{Instance, Server, create_bot};
use crate::voice::{VoiceBot, admin, channel_named};

const MEDIA: &str = "[voice]\npeer_timeout = \"3s\"\ntoken_ttl = \"3s\"\n";
const WAIT: Duration = Duration::from_secs(20);

/// Two bots in the Lounge with connected media peers.
struct Room {
    server: Server,
    instance: Instance,
    lounge: String,
    alice: VoiceBot,
    bob: VoiceBot,
    alice_peer: RtcPeer,
    bob_peer: RtcPeer,
}

async fn room() -> Room {
    let instance = Instance::new(MEDIA);
    let (alice_token, bob_token) = (create_bot(&instance, "alice"), create_bot(&instance, "bob"));
    let server = instance.serve();
    let (mut alice, guild) = VoiceBot::connect(&server, &alice_token).await;
    let (mut bob, _) = VoiceBot::connect(&server, &bob_token).await;
    let lounge = channel_named(&guild, "Lounge");
    let epoch = Instant::now();
    let alice_update = alice.join(&lounge).await;
    let alice_peer = connect(&alice_update, epoch).await;
    let bob_update = bob.join(&lounge).await;
    let bob_peer = connect(&bob_update, epoch).await;
    let (a, b) = (alice.id.clone(), bob.id.clone());
    assert!(
        bob_peer.wait_for(WAIT, |log| log.from(&a) >= 25).await,
        "bob never heard alice: {:?}",
        bob_peer.log()
    );
    assert!(
        alice_peer.wait_for(WAIT, |log| log.from(&b) >= 25).await,
        "alice never heard bob: {:?}",
        alice_peer.log()
    );
    Room {
        server,
        instance,
        lounge,
        alice,
        bob,
        alice_peer,
        bob_peer,
    }
}

async fn connect(update: &Value, epoch: Instant) -> RtcPeer {
    RtcPeer::join(
        update["endpoint"].as_str().unwrap(),
        update["token"].as_str().unwrap(),
        epoch,
    )
    .await
}

/// Frames `listener` receives from `speaker` during `window`.
async fn heard_during(listener: &RtcPeer, speaker: &str, window: Duration) -> u64 {
    let before = listener.log().from(speaker);
    tokio::time::sleep(window).await;
    listener.log().from(speaker) - before
}

#[tokio::test]
async fn peers_hear_each_other_and_server_mute_stops_forwarding() {
    let mut room = room().await;
    let (a, b) = (room.alice.id.clone(), room.bob.id.clone());
    // Each side knows whose track it receives.
    let log = room.bob_peer.log();
    assert!(
        log.tracks.values().any(|(user, kind)| *user == a && kind == "audio"),
        "{:?}",
        log.tracks
    );
    assert!(log.message("ready").is_some());

    let mut admin = admin(&room.server).await;
    let path = format!("/guilds/{}/members/{}", room.alice.guild, a);
    assert_eq!(
        admin
            .api(Method::PATCH, &path, Some(json!({"mute": true})))
            .await
            .status(),
        200
    );
    assert_eq!(room.bob.state_of(&a).await["mute"], true);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let window = Duration::from_secs(2);
    assert!(
        heard_during(&room.bob_peer, &a, window).await <= 3,
        "a server-muted member is not forwarded"
    );
    assert!(
        heard_during(&room.alice_peer, &b, window).await >= 20,
        "the muted member still hears others"
    );

    assert_eq!(
        admin
            .api(Method::PATCH, &path, Some(json!({"mute": false})))
            .await
            .status(),
        200
    );
    assert_eq!(room.bob.state_of(&a).await["mute"], false);
    assert!(
        heard_during(&room.bob_peer, &a, window).await >= 20,
        "unmuted: forwarded again"
    );

    // Server deafen: alice gets no audio, bob still hears her.
    assert_eq!(
        admin
            .api(Method::PATCH, &path, Some(json!({"deaf": true})))
            .await
            .status(),
        200
    );
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(heard_during(&room.alice_peer, &b, window).await <= 3);
    assert!(heard_during(&room.bob_peer, &a, window).await >= 20);

    // Taking SPEAK away mid-call stops her audio as well.
    let deny = json!({"permission_overwrites": [{"id": a, "type": 1, "allow": "0", "deny": (1u64 << 21).to_string()}]});
    let response = admin
        .api(Method::PATCH, &format!("/channels/{}", room.lounge), Some(deny))
        .await;
    assert_eq!(response.status(), 200);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        heard_during(&room.bob_peer, &a, window).await <= 3,
        "no SPEAK, nothing forwarded"
    );

    // Leaving: alice's voice connection is told and closed, bob sees her leave.
    room.alice.voice(None, false, false).await;
    left(&mut room.bob, &a).await;
    assert!(room.alice_peer.wait_for(WAIT, |log| log.closed.is_some()).await);
    let log = room.alice_peer.log();
    assert_eq!(log.closed, Some(Some(4003)));
    assert_eq!(log.message("removed").unwrap()["reason"], "left");
    // Bob's connection is renegotiated without alice's track.
    assert!(
        room.bob_peer
            .wait_for(WAIT, |log| log.messages.iter().filter(|m| m["type"] == "offer").count()
                >= 2)
            .await
    );
}

/// Opens `/voice` and sends `messages`; returns every server message and the close code.
async fn raw_signaling(endpoint: &str, messages: &[String]) -> (Vec<Value>, Option<u16>) {
    let (mut ws, _) = tokio_tungstenite::connect_async(endpoint).await.unwrap();
    for message in messages {
        // The server may close before a flood is all sent: what it said before closing is still read below.
        if ws.send(Message::text(message.clone())).await.is_err() {
            break;
        }
    }
    let mut seen = Vec::new();
    loop {
        match tokio::time::timeout(Duration::from_secs(10), ws.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => seen.push(serde_json::from_str(&text).unwrap()),
            Ok(Some(Ok(Message::Close(frame)))) => return (seen, frame.map(|f| u16::from(f.code))),
            Ok(Some(Ok(_))) => {}
            _ => return (seen, None),
        }
    }
}

fn identify(token: &str) -> String {
    json!({"type": "identify", "token": token}).to_string()
}

#[tokio::test]
async fn bad_tokens_and_garbage_are_refused_and_the_room_is_untouched() {
    let mut room = room().await;
    let (a, b) = (room.alice.id.clone(), room.bob.id.clone());
    let endpoint = format!("{}/voice", room.server.base.replacen("http", "ws", 1));
    let carol_token = create_bot(&room.instance, "carol");
    let (mut carol, _) = VoiceBot::connect(&room.server, &carol_token).await;
    let update = carol.join(&room.lounge).await;
    let token = update["token"].as_str().unwrap().to_owned();

    // A forged token: same claims, signature changed.
    let (body, signature) = token.split_once('.').unwrap();
    let mut forged_signature = signature.to_owned();
    forged_signature.replace_range(0..1, if signature.starts_with('A') { "B" } else { "A" });
    let (seen, code) = raw_signaling(&endpoint, &[identify(&format!("{body}.{forged_signature}"))]).await;
    assert_eq!(
        (seen[0]["type"].clone(), seen[0]["code"].clone()),
        (json!("error"), json!("invalid_token"))
    );
    assert_eq!(code, Some(4001));
    let (seen, code) = raw_signaling(&endpoint, &["{not json".to_owned()]).await;
    assert_eq!((seen[0]["code"].clone(), code), (json!("bad_message"), Some(4002)));

    // Garbage SDP after a good identify: error, close, and carol's voice state goes with her connection.
    let offer = json!({"type": "offer", "sdp": "v=0\r\nthis is not sdp\r\n"}).to_string();
    let (seen, code) = raw_signaling(&endpoint, &[identify(&token), offer]).await;
    assert_eq!(seen[0]["type"], "ready");
    assert_eq!((seen[1]["code"].clone(), code), (json!("bad_sdp"), Some(4002)));
    left(&mut room.bob, &carol.id).await;

    // A garbage candidate (before any offer, and unreadable): refused the same way.
    let update = carol.join(&room.lounge).await;
    let token = update["token"].as_str().unwrap().to_owned();
    let candidate = json!({"type": "candidate", "candidate": "candidate:x y z"}).to_string();
    let (seen, code) = raw_signaling(&endpoint, &[identify(&token), candidate]).await;
    assert_eq!(seen.last().unwrap()["type"], "error");
    assert_eq!(code, Some(4002));
    left(&mut room.bob, &carol.id).await;

    // An expired token (token_ttl is 3 s here).
    let update = carol.join(&room.lounge).await;
    tokio::time::sleep(Duration::from_millis(3500)).await;
    let (seen, code) = raw_signaling(&endpoint, &[identify(update["token"].as_str().unwrap())]).await;
    assert_eq!((seen[0]["code"].clone(), code), (json!("invalid_token"), Some(4001)));
    assert!(seen[0]["message"].as_str().unwrap().contains("expired"));

    // A flood of signaling messages ends that connection.
    carol.voice(None, false, false).await;
    left(&mut room.bob, &carol.id).await;
    let update = carol.join(&room.lounge).await;
    let mut flood = vec![identify(update["token"].as_str().unwrap())];
    flood.extend((0..130).map(|_| json!({"type": "candidate", "candidate": ""}).to_string()));
    let (seen, code) = raw_signaling(&endpoint, &flood).await;
    assert_eq!(
        (seen.last().unwrap()["code"].clone(), code),
        (json!("bad_message"), Some(4002))
    );

    // Through all of it, alice and bob kept hearing each other.
    let window = Duration::from_secs(2);
    assert!(heard_during(&room.bob_peer, &a, window).await >= 20);
    assert!(heard_during(&room.alice_peer, &b, window).await >= 20);
    assert!(room.alice_peer.log().closed.is_none() && room.bob_peer.log().closed.is_none());
}

#[tokio::test]
async fn a_vanished_peer_is_removed_and_everyone_sees_it_leave() {
    let mut room = room().await;
    let a = room.alice.id.clone();
    room.alice_peer.control(Control::Vanish);
    let started = Instant::now();
    // peer_timeout is 3 s here (30 s is the promise with the default of 20 s).
    let left = tokio::time::timeout(Duration::from_secs(30), room.bob.state_of(&a))
        .await
        .unwrap();
    assert_eq!(left["channel_id"], Value::Null);
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "removed after {:?}",
        started.elapsed()
    );
    let log = room.bob_peer.log();
    assert!(log.closed.is_none(), "the others stay connected");
    assert!(
        room.bob_peer
            .wait_for(WAIT, |log| log.messages.iter().filter(|m| m["type"] == "offer").count()
                >= 2)
            .await,
        "bob's connection drops alice's track"
    );

    // Stopping the server tells the voice connections, which close with 1001, and spot exits cleanly.
    let bob_peer = room.bob_peer;
    room.server.stop();
    assert!(bob_peer.wait_for(WAIT, |log| log.closed.is_some()).await);
    let log = bob_peer.log();
    assert_eq!(log.closed, Some(Some(1001)));
    assert_eq!(log.messages.last().unwrap()["reason"], "shutdown");
}

/// Waits until `watcher` sees `user` leave voice (skipping their earlier updates).
async fn left(watcher: &mut VoiceBot, user: &str) {
    while !watcher.state_of(user).await["channel_id"].is_null() {}
}

#[tokio::test]
async fn video_keyframe_requests_and_publish_grants() {
    let instance = Instance::new(MEDIA);
    let (alice_token, bob_token) = (create_bot(&instance, "alice"), create_bot(&instance, "bob"));
    let server = instance.serve();
    let (mut alice, guild) = VoiceBot::connect(&server, &alice_token).await;
    let (mut bob, _) = VoiceBot::connect(&server, &bob_token).await;
    let lounge = channel_named(&guild, "Lounge");
    // Bob may listen and watch in the Lounge, but neither SPEAK nor STREAM.
    let deny = ((1u64 << 21) | (1u64 << 9)).to_string();
    let mut admin = admin(&server).await;
    let overwrites = json!({"permission_overwrites": [{"id": bob.id, "type": 1, "allow": "0", "deny": deny}]});
    let response = admin
        .api(Method::PATCH, &format!("/channels/{lounge}"), Some(overwrites))
        .await;
    assert_eq!(response.status(), 200);
    let epoch = Instant::now();
    let alice_update = alice.join(&lounge).await;
    let alice_peer = RtcPeer::join_with(
        alice_update["endpoint"].as_str().unwrap(),
        alice_update["token"].as_str().unwrap(),
        epoch,
        true,
    )
    .await;
    let bob_update = bob.join(&lounge).await;
    let bob_peer = RtcPeer::join_with(
        bob_update["endpoint"].as_str().unwrap(),
        bob_update["token"].as_str().unwrap(),
        epoch,
        true,
    )
    .await;
    let (a, b) = (alice.id.clone(), bob.id.clone());

    // Alice's camera reaches bob, marked as hers and as a camera.
    assert!(
        bob_peer
            .wait_for(WAIT, |log| log.video(&a) >= 5 && log.from(&a) >= 25)
            .await,
        "{:?}",
        bob_peer.log()
    );
    let log = bob_peer.log();
    let camera = log
        .messages
        .iter()
        .flat_map(|m| m["tracks"].as_array().cloned().unwrap_or_default())
        .find(|t| t["kind"] == "video")
        .unwrap();
    assert_eq!(
        (camera["user_id"].clone(), camera["source"].clone()),
        (json!(a), json!("camera"))
    );
    assert_eq!(
        log.message("ready").unwrap()["grants"],
        json!({"audio": false, "video": false})
    );

    // A receiver's keyframe request (PLI) travels to the publisher.
    bob_peer.control(Control::RequestKeyframes);
    assert!(
        alice_peer.wait_for(WAIT, |log| log.keyframe_requests >= 1).await,
        "PLI never reached alice"
    );

    // Bob sends audio and video too, but without SPEAK and STREAM nothing of his is forwarded.
    assert!(bob_peer.wait_for(WAIT, |log| log.sent >= 100).await);
    let log = alice_peer.log();
    assert_eq!((log.from(&b), log.video(&b)), (0, 0), "{log:?}");
    assert!(log.tracks.values().all(|(user, _)| *user != b));
}
