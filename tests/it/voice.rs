//! Voice states over the gateway (opcode 4, VOICE_STATE_UPDATE, VOICE_SERVER_UPDATE, GUILD_CREATE's
//! `voice_states`), permissions, server mute/deafen/move/disconnect over REST, sessions ending, the rate limit.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::gw::Gw;
use crate::support::{ADMIN, ADMIN_PASSWORD, Browser, Instance, Server, create_bot, status_and_code};

/// GUILDS | GUILD_VOICE_STATES.
pub const VOICE_INTENTS: u64 = 1 | (1 << 7);

/// A bot on the gateway.
pub struct VoiceBot {
    pub gw: Gw,
    pub id: String,
    pub guild: String,
}

impl VoiceBot {
    pub async fn connect(server: &Server, token: &str) -> (Self, Value) {
        let mut gw = Gw::connect(server, "v=10&encoding=json").await;
        let (ready, guild) = gw.identify(&format!("Bot {token}"), VOICE_INTENTS).await;
        let bot = Self {
            gw,
            id: ready["user"]["id"].as_str().unwrap().to_owned(),
            guild: guild["id"].as_str().unwrap().to_owned(),
        };
        (bot, guild)
    }

    pub async fn voice(&mut self, channel: Option<&str>, self_mute: bool, self_deaf: bool) {
        let d = json!({"guild_id": self.guild, "channel_id": channel, "self_mute": self_mute, "self_deaf": self_deaf});
        self.gw.send(json!({"op": 4, "d": d})).await;
    }

    /// Joins `channel` and returns the VOICE_SERVER_UPDATE `d`.
    pub async fn join(&mut self, channel: &str) -> Value {
        self.voice(Some(channel), false, false).await;
        self.gw.dispatch("VOICE_SERVER_UPDATE").await["d"].clone()
    }

    /// The next VOICE_STATE_UPDATE about `user`.
    pub async fn state_of(&mut self, user: &str) -> Value {
        loop {
            let d = self.gw.dispatch("VOICE_STATE_UPDATE").await["d"].clone();
            if d["user_id"] == user {
                return d;
            }
        }
    }
}

/// The id of the channel named `name`, as seen in a GUILD_CREATE.
pub fn channel_named(guild: &Value, name: &str) -> String {
    guild["channels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no channel {name}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Signs the admin in and creates a voice channel with `overwrites`; returns its id.
pub async fn voice_channel(admin: &mut Browser, guild: &str, name: &str, overwrites: Value) -> String {
    let made: Value = admin
        .api(
            Method::POST,
            &format!("/guilds/{guild}/channels"),
            Some(json!({"name": name, "type": 2, "permission_overwrites": overwrites})),
        )
        .await
        .json()
        .await
        .unwrap();
    made["id"].as_str().unwrap().to_owned()
}

pub async fn admin(server: &Server) -> Browser {
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    admin
}

#[tokio::test]
async fn voice_states_join_update_move_and_leave() {
    let instance = Instance::new("[gateway]\nresume_window = \"1s\"\n");
    let (alice_token, bob_token) = (create_bot(&instance, "alice"), create_bot(&instance, "bob"));
    let server = instance.serve();
    let (mut alice, guild) = VoiceBot::connect(&server, &alice_token).await;
    let (mut bob, _) = VoiceBot::connect(&server, &bob_token).await;
    assert_eq!(guild["voice_states"], json!([]));
    let lounge = channel_named(&guild, "Lounge");
    let general = channel_named(&guild, "general");

    let server_update = alice.join(&lounge).await;
    assert_eq!(server_update["guild_id"], alice.guild.as_str());
    assert_eq!(server_update["channel_id"], lounge.as_str());
    assert_eq!(server_update["backend"], "embedded");
    assert!(
        server_update["endpoint"].as_str().unwrap().ends_with("/voice"),
        "{server_update}"
    );
    assert!(server_update["token"].as_str().unwrap().len() > 40);
    let seen = bob.state_of(&alice.id).await;
    assert_eq!(seen["channel_id"], lounge.as_str());
    assert_eq!(seen["guild_id"], alice.guild.as_str());
    assert_eq!(
        (seen["mute"].clone(), seen["self_mute"].clone()),
        (json!(false), json!(false))
    );
    assert_eq!(seen["member"]["user"]["id"], alice.id.as_str());
    let alice_session = seen["session_id"].as_str().unwrap().to_owned();

    // A text channel is not a room: ignored, as Discord ignores what it refuses.
    alice.voice(Some(&general), false, false).await;
    alice.voice(Some(&lounge), true, false).await;
    let muted = bob.state_of(&alice.id).await;
    assert_eq!(
        (muted["channel_id"].clone(), muted["self_mute"].clone()),
        (json!(lounge), json!(true))
    );

    // Newcomers see who is in voice in GUILD_CREATE.
    let carol_token = create_bot(&instance, "carol");
    let (mut carol, carol_guild) = VoiceBot::connect(&server, &carol_token).await;
    let states = carol_guild["voice_states"].as_array().unwrap();
    assert_eq!(states.len(), 1);
    assert_eq!(states[0]["user_id"], alice.id.as_str());
    assert_eq!(states[0]["session_id"], alice_session.as_str());

    // Moving rooms: a leave for the old room, then the new state, then a new server update.
    let mut admin = admin(&server).await;
    let den = voice_channel(&mut admin, &alice.guild, "Den", json!([])).await;
    let moved = alice.join(&den).await;
    assert_eq!(moved["channel_id"], den.as_str());
    assert_eq!(bob.state_of(&alice.id).await["channel_id"], Value::Null);
    assert_eq!(bob.state_of(&alice.id).await["channel_id"], den.as_str());

    // Leaving with channel_id null.
    carol.join(&lounge).await;
    assert_eq!(bob.state_of(&carol.id).await["channel_id"], lounge.as_str());
    alice.voice(None, false, false).await;
    assert_eq!(bob.state_of(&alice.id).await["channel_id"], Value::Null);

    // A session that really ends (closed and not resumed within resume_window) leaves voice; a drop that is
    // resumed would not.
    let carol_id = carol.id.clone();
    carol.gw.ws.close(None).await.unwrap();
    drop(carol);
    assert_eq!(bob.state_of(&carol_id).await["channel_id"], Value::Null);
}

#[tokio::test]
async fn permissions_moderation_and_rate_limit() {
    let instance = Instance::new("[voice]\nstate_updates_per_minute = 8\n");
    let (alice_token, bob_token) = (create_bot(&instance, "alice"), create_bot(&instance, "bob"));
    let server = instance.serve();
    let (mut alice, guild) = VoiceBot::connect(&server, &alice_token).await;
    let (mut bob, _) = VoiceBot::connect(&server, &bob_token).await;
    let lounge = channel_named(&guild, "Lounge");
    let mut admin = admin(&server).await;
    let deny_connect = json!([{"id": bob.id, "type": 1, "allow": "0", "deny": (1u64 << 20).to_string()}]);
    let quiet = voice_channel(&mut admin, &alice.guild, "Quiet", deny_connect).await;

    // Without CONNECT the join is ignored: bob's next state is the one in the Lounge.
    bob.voice(Some(&quiet), false, false).await;
    bob.join(&lounge).await;
    assert_eq!(alice.state_of(&bob.id).await["channel_id"], lounge.as_str());
    alice.join(&lounge).await;
    assert_eq!(bob.state_of(&alice.id).await["channel_id"], lounge.as_str());

    // Server mute and deafen need MUTE_MEMBERS / DEAFEN_MEMBERS; the admin has them, bob does not.
    let path = format!("/guilds/{}/members/{}", alice.guild, alice.id);
    let as_bob = reqwest::Client::new()
        .patch(format!("{}/api/v10{path}", server.base))
        .header("authorization", format!("Bot {bob_token}"))
        .json(&json!({"mute": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(status_and_code(as_bob).await.0, 403);
    let response = admin
        .api(Method::PATCH, &path, Some(json!({"mute": true, "deaf": true})))
        .await;
    assert_eq!(response.status(), 200);
    let muted = bob.state_of(&alice.id).await;
    assert_eq!(
        (muted["mute"].clone(), muted["deaf"].clone()),
        (json!(true), json!(true))
    );

    // Rejoining does not lift a server mute.
    alice.voice(None, false, false).await;
    assert_eq!(bob.state_of(&alice.id).await["channel_id"], Value::Null);
    alice.join(&lounge).await;
    let back = bob.state_of(&alice.id).await;
    assert_eq!(
        (back["channel_id"].clone(), back["mute"].clone()),
        (json!(lounge), json!(true))
    );

    // Moving needs MOVE_MEMBERS and gives the member a new server update; the target needs CONNECT there.
    let den = voice_channel(&mut admin, &alice.guild, "Den", json!([])).await;
    let response = admin.api(Method::PATCH, &path, Some(json!({"channel_id": den}))).await;
    assert_eq!(response.status(), 200);
    let update = alice.gw.dispatch("VOICE_SERVER_UPDATE").await;
    assert_eq!(update["d"]["channel_id"], den.as_str());
    assert_eq!(bob.state_of(&alice.id).await["channel_id"], Value::Null);
    assert_eq!(bob.state_of(&alice.id).await["channel_id"], den.as_str());
    let bob_path = format!("/guilds/{}/members/{}", alice.guild, bob.id);
    let (status, _) = status_and_code(
        admin
            .api(Method::PATCH, &bob_path, Some(json!({"channel_id": quiet})))
            .await,
    )
    .await;
    assert_eq!(status, 403, "bob may not connect to Quiet");

    // Disconnect with channel_id null; moving someone who is not in voice is a 400.
    let response = admin.api(Method::PATCH, &path, Some(json!({"channel_id": null}))).await;
    assert_eq!(response.status(), 200);
    assert_eq!(bob.state_of(&alice.id).await["channel_id"], Value::Null);
    let (status, body) = status_and_code(
        admin
            .api(Method::PATCH, &path, Some(json!({"channel_id": lounge})))
            .await,
    )
    .await;
    assert_eq!(status, 400, "{body}");

    // Rooms follow permission changes: losing CONNECT where you are disconnects you.
    alice.join(&den).await;
    assert_eq!(bob.state_of(&alice.id).await["channel_id"], den.as_str());
    let deny_alice = json!({"permission_overwrites": [
        {"id": alice.id, "type": 1, "allow": "0", "deny": (1u64 << 20).to_string()}
    ]});
    let response = admin
        .api(Method::PATCH, &format!("/channels/{den}"), Some(deny_alice))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(bob.state_of(&alice.id).await["channel_id"], Value::Null);

    // Bob has used 2 of his 8 updates; the rest of the minute allows 6 more, then they are ignored.
    for i in 0..10 {
        bob.voice(Some(&lounge), i % 2 == 0, false).await;
    }
    let mut seen = 0;
    while let Ok(Ok(payload)) = tokio::time::timeout(Duration::from_secs(2), alice.gw.next()).await {
        if payload["t"] == "VOICE_STATE_UPDATE" && payload["d"]["user_id"] == bob.id.as_str() {
            seen += 1;
        }
    }
    assert_eq!(seen, 6, "updates over the per-user limit are ignored");
}

#[tokio::test]
async fn livekit_backend_hands_out_livekit_tokens() {
    const SECRET: &str = "a-livekit-secret-of-at-least-32-chars";
    let config = format!(
        "[voice]\nbackend = \"livekit\"\nlivekit_url = \"wss://livekit.example.org\"\nlivekit_api_key = \"spotkey\"\n\
         livekit_api_secret = \"{SECRET}\"\ntoken_ttl = \"90s\"\n"
    );
    let instance = Instance::new(&config);
    let alice_token = create_bot(&instance, "alice");
    let server = instance.serve();
    let (mut alice, guild) = VoiceBot::connect(&server, &alice_token).await;
    let lounge = channel_named(&guild, "Lounge");
    let update = alice.join(&lounge).await;
    assert_eq!(update["backend"], "livekit");
    assert_eq!(update["endpoint"], "wss://livekit.example.org");
    let verifier = livekit_api::access_token::TokenVerifier::with_api_key("spotkey", SECRET);
    let claims = verifier.verify(update["token"].as_str().unwrap()).unwrap();
    assert_eq!(
        (claims.sub.as_str(), claims.name.as_str()),
        (alice.id.as_str(), "alice")
    );
    assert_eq!(claims.video.room, lounge);
    assert!(claims.video.room_join && claims.video.can_publish && claims.video.can_subscribe);
    assert_eq!(claims.exp - claims.nbf, 90);
    let wrong = livekit_api::access_token::TokenVerifier::with_api_key("spotkey", "another-secret-of-32-characters!!");
    assert!(wrong.verify(update["token"].as_str().unwrap()).is_err());
    // There is no embedded SFU to signal to.
    let response = reqwest::get(format!("{}/voice", server.base)).await.unwrap();
    assert_eq!(response.status(), 404);
}

#[tokio::test]
async fn a_join_whose_token_is_never_used_expires() {
    let instance = Instance::new("[voice]\ntoken_ttl = \"1s\"\n");
    let (alice_token, bob_token) = (create_bot(&instance, "alice"), create_bot(&instance, "bob"));
    let server = instance.serve();
    let (mut alice, guild) = VoiceBot::connect(&server, &alice_token).await;
    let (mut bob, _) = VoiceBot::connect(&server, &bob_token).await;
    let lounge = channel_named(&guild, "Lounge");
    alice.join(&lounge).await;
    assert_eq!(bob.state_of(&alice.id).await["channel_id"], lounge.as_str());
    let started = std::time::Instant::now();
    // Opcode 4 but no media connection: once the token can no longer be used (1 s, plus 2 s of grace), the
    // room lets go of alice.
    assert_eq!(bob.state_of(&alice.id).await["channel_id"], Value::Null);
    let waited = started.elapsed();
    assert!(
        waited > Duration::from_secs(2) && waited < Duration::from_secs(8),
        "{waited:?}"
    );
}
