//! Direct messages and group DMs over REST and the gateway, as the web client and bots use them: one DM per
//! pair, events to the people in it only (no guild_id), the DIRECT_MESSAGES intents and Discord's content rule
//! for DMs, blocks and the DM setting, group limits and ownership, and an authorization sweep: nobody outside a
//! DM (an admin included) reaches it through any route.

use reqwest::Method;
use serde_json::{Value, json};

use crate::gw::Gw;
use crate::support::{ADMIN, ADMIN_PASSWORD, Browser, Server, create_bot, create_user, status_and_code};

/// Every intent: what a browser session asks for.
const ALL: u64 = (1 << 26) - 1;
const GUILD_MESSAGES: u64 = 1 << 9;
const DIRECT_MESSAGES: u64 = 1 << 12;

/// A logged-in person: their browser (REST with cookies and CSRF) and their gateway session.
struct Person {
    web: Browser,
    gw: Gw,
    id: String,
}

impl Person {
    async fn login(server: &Server, name: &str, password: &str) -> (Self, Value) {
        let mut web = server.browser();
        assert_eq!(web.login(name, password).await.status(), 303, "{name} logs in");
        let cookie = format!("spot_session={}", web.cookies["spot_session"]);
        let mut gw = Gw::connect_with(
            server,
            "v=10&encoding=json",
            &[("cookie", cookie), ("origin", server.base.clone())],
        )
        .await;
        let (ready, _) = gw.identify("", ALL).await;
        let id = ready["user"]["id"].as_str().unwrap().to_owned();
        (Self { web, gw, id }, ready)
    }

    async fn call(&mut self, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let response = self.web.api(method, path, body).await;
        let status = response.status().as_u16();
        assert!(status < 500, "{path}: a server error");
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn open_dm(&mut self, with: &str) -> Value {
        let (status, dm) = self
            .call(Method::POST, "/users/@me/channels", Some(json!({"recipient_id": with})))
            .await;
        assert_eq!(status, 200, "{dm}");
        dm
    }

    async fn say(&mut self, channel: &str, text: &str) -> (u16, Value) {
        self.call(
            Method::POST,
            &format!("/channels/{channel}/messages"),
            Some(json!({"content": text})),
        )
        .await
    }
}

fn bot_id(web: &Value) -> String {
    web["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn direct_messages_reach_only_their_people() {
    let instance = crate::support::Instance::new("[api]\nroute_limit = 100000\nglobal_per_second = 100000\n");
    create_user(&instance, "bob", "bob password 22", false);
    create_user(&instance, "cat", "cat password 33", false);
    let helper = create_bot(&instance, "helper");
    let blind = create_bot(&instance, "blind");
    let extras: Vec<String> = (0..7).map(|i| create_bot(&instance, &format!("extra{i}"))).collect();
    let server = instance.serve();
    let (mut admin, _) = Person::login(&server, ADMIN, ADMIN_PASSWORD).await;
    let (mut bob, _) = Person::login(&server, "bob", "bob password 22").await;
    let (mut cat, cat_ready) = Person::login(&server, "cat", "cat password 33").await;
    assert_eq!(cat_ready["private_channels"], json!([]));
    assert_eq!(cat_ready["user_settings"]["default_guilds_restricted"], false);
    let http = reqwest::Client::new();
    let bot_me = |token: &str| {
        let request = http
            .get(format!("{}/api/v10/users/@me", server.base))
            .header("authorization", format!("Bot {token}"));
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let helper_id = bot_id(&bot_me(&helper).await);
    // A bot with DIRECT_MESSAGES but not MESSAGE_CONTENT, and one without DIRECT_MESSAGES.
    let mut helper_gw = Gw::connect(&server, "v=10&encoding=json").await;
    helper_gw
        .identify(&format!("Bot {helper}"), 1 | GUILD_MESSAGES | DIRECT_MESSAGES)
        .await;
    let mut blind_gw = Gw::connect(&server, "v=10&encoding=json").await;
    let (_, guild) = blind_gw.identify(&format!("Bot {blind}"), 1 | GUILD_MESSAGES).await;
    let general = guild["channels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "general")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // One DM per pair: opening it again returns the same channel, announced to the opener once.
    let dm = bob.open_dm(&cat.id).await;
    assert_eq!(dm["type"], 1);
    assert!(dm.get("guild_id").is_none(), "a DM has no guild: {dm}");
    assert_eq!(dm["recipients"][0]["id"], cat.id.as_str());
    let dm_id = dm["id"].as_str().unwrap().to_owned();
    assert_eq!(bob.gw.dispatch("CHANNEL_CREATE").await["d"]["id"], dm_id.as_str());
    assert_eq!(bob.open_dm(&cat.id).await["id"], dm_id.as_str());

    // The first message shows the DM to the other person, then the message, without guild_id.
    let (status, sent) = bob.say(&dm_id, "hi cat").await;
    assert_eq!(status, 200, "{sent}");
    assert!(sent.get("guild_id").is_none() && sent.get("member").is_none(), "{sent}");
    let created = cat.gw.dispatch("CHANNEL_CREATE").await["d"].clone();
    assert_eq!(created["id"], dm_id.as_str());
    assert_eq!(created["recipients"][0]["id"], bob.id.as_str());
    let got = cat.gw.dispatch("MESSAGE_CREATE").await["d"].clone();
    assert_eq!(got["content"], "hi cat");
    assert!(got.get("guild_id").is_none());
    let (_, listed) = cat.call(Method::GET, "/users/@me/channels", None).await;
    assert_eq!(listed[0]["id"], dm_id.as_str());
    // A new session sees it in READY, with the unread message counted as a mention (as Discord counts DMs).
    let (_, again) = Person::login(&server, "cat", "cat password 33").await;
    assert_eq!(again["private_channels"][0]["id"], dm_id.as_str());
    let entry = again["read_state"]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == dm_id.as_str())
        .cloned()
        .expect("a read state for the DM");
    assert_eq!(entry["mention_count"], 1);

    // Reactions, pins (anyone in a DM may pin) and search work in the DM.
    let message = sent["id"].as_str().unwrap().to_owned();
    let (status, _) = cat
        .call(
            Method::PUT,
            &format!("/channels/{dm_id}/messages/{message}/reactions/%F0%9F%91%8D/@me"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let reaction = bob.gw.dispatch("MESSAGE_REACTION_ADD").await["d"].clone();
    assert!(
        reaction.get("guild_id").is_none() && reaction.get("member").is_none(),
        "{reaction}"
    );
    let (status, _) = cat
        .call(Method::PUT, &format!("/channels/{dm_id}/pins/{message}"), None)
        .await;
    assert_eq!(status, 204);
    let (status, found) = cat
        .call(
            Method::GET,
            &format!("/channels/{dm_id}/messages/search?content=cat"),
            None,
        )
        .await;
    assert_eq!((status, found["total_results"].clone()), (200, json!(1)));

    // Nobody else reaches it, by any route — the admin included — and nothing leaks into the space's search.
    let routes: Vec<(Method, String, Option<Value>)> = vec![
        (Method::GET, format!("/channels/{dm_id}"), None),
        (
            Method::PATCH,
            format!("/channels/{dm_id}"),
            Some(json!({"name": "mine"})),
        ),
        (Method::DELETE, format!("/channels/{dm_id}"), None),
        (Method::GET, format!("/channels/{dm_id}/messages"), None),
        (Method::GET, format!("/channels/{dm_id}/messages/{message}"), None),
        (
            Method::POST,
            format!("/channels/{dm_id}/messages"),
            Some(json!({"content": "let me in"})),
        ),
        (
            Method::PATCH,
            format!("/channels/{dm_id}/messages/{message}"),
            Some(json!({"content": "x"})),
        ),
        (Method::DELETE, format!("/channels/{dm_id}/messages/{message}"), None),
        (
            Method::PUT,
            format!("/channels/{dm_id}/messages/{message}/reactions/%F0%9F%91%8D/@me"),
            None,
        ),
        (
            Method::GET,
            format!("/channels/{dm_id}/messages/{message}/reactions/%F0%9F%91%8D"),
            None,
        ),
        (Method::GET, format!("/channels/{dm_id}/pins"), None),
        (Method::GET, format!("/channels/{dm_id}/messages/pins"), None),
        (Method::PUT, format!("/channels/{dm_id}/pins/{message}"), None),
        (
            Method::GET,
            format!("/channels/{dm_id}/messages/search?content=cat"),
            None,
        ),
        (Method::POST, format!("/channels/{dm_id}/typing"), None),
        (
            Method::POST,
            format!("/channels/{dm_id}/messages/{message}/ack"),
            Some(json!({})),
        ),
        (
            Method::POST,
            format!("/channels/{dm_id}/threads"),
            Some(json!({"name": "t", "type": 11})),
        ),
        (Method::POST, format!("/channels/{dm_id}/invites"), Some(json!({}))),
        (Method::PUT, format!("/channels/{dm_id}/recipients/{}", admin.id), None),
        (Method::POST, format!("/channels/{dm_id}/call/ring"), Some(json!({}))),
    ];
    for (method, path, body) in routes {
        let (status, error) = admin.call(method.clone(), &path, body).await;
        assert_eq!(status, 403, "{method} {path} as an outsider: {error}");
        assert_eq!(error["code"], 50001, "{method} {path}");
    }
    let (guild_id, _) = admin.web.home().await;
    let (_, searched) = admin
        .call(
            Method::GET,
            &format!("/guilds/{guild_id}/messages/search?content=cat"),
            None,
        )
        .await;
    assert_eq!(
        searched["total_results"], 0,
        "a DM never shows in the space's search: {searched}"
    );
    let (_, still) = bob
        .call(Method::GET, &format!("/channels/{dm_id}/messages"), None)
        .await;
    assert_eq!(
        still.as_array().unwrap().len(),
        1,
        "the outsider's attempts stored nothing"
    );

    // Bad targets: yourself, an unknown user.
    let (status, error) = bob
        .call(
            Method::POST,
            "/users/@me/channels",
            Some(json!({"recipient_id": bob.id})),
        )
        .await;
    assert_eq!((status, error["code"].clone()), (403, json!(50007)));
    let (status, error) = bob
        .call(
            Method::POST,
            "/users/@me/channels",
            Some(json!({"recipient_id": "123456789012345"})),
        )
        .await;
    assert_eq!((status, error["code"].clone()), (404, json!(10013)));

    // A person DMs a bot: the bot gets the content without MESSAGE_CONTENT (Discord's rule for DMs); a bot
    // without DIRECT_MESSAGES gets nothing — shown by the guild message it does get next.
    let to_bot = bob.open_dm(&helper_id).await["id"].as_str().unwrap().to_owned();
    assert_eq!(bob.say(&to_bot, "psst, helper").await.0, 200);
    let at_bot = helper_gw.dispatch("MESSAGE_CREATE").await["d"].clone();
    assert_eq!(at_bot["content"], "psst, helper");
    assert!(at_bot.get("guild_id").is_none());
    assert_eq!(bob.say(&general, "hello everyone").await.0, 200);
    let seen = blind_gw.dispatch("MESSAGE_CREATE").await["d"].clone();
    assert_eq!(
        seen["channel_id"],
        general.as_str(),
        "the DM never reached a bot without the intent"
    );
    // And the bot answers in the DM with the REST route discord.py's user.send() uses.
    let reply = http
        .post(format!("{}/api/v10/users/@me/channels", server.base))
        .header("authorization", format!("Bot {helper}"))
        .json(&json!({"recipient_id": bob.id}))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.json::<Value>().await.unwrap()["id"], to_bot.as_str());

    // Blocks: cat blocks bob; bob's next message is refused with 50007 and stored nowhere.
    let (status, _) = cat
        .call(
            Method::PUT,
            &format!("/users/@me/relationships/{}", bob.id),
            Some(json!({"type": 2})),
        )
        .await;
    assert_eq!(status, 204);
    let relation = cat.gw.dispatch("RELATIONSHIP_ADD").await["d"].clone();
    assert_eq!(
        (relation["id"].clone(), relation["type"].clone()),
        (json!(bob.id), json!(2))
    );
    let (status, error) = bob.say(&dm_id, "are you there?").await;
    assert_eq!((status, error["code"].clone()), (403, json!(50007)));
    let (status, _) = cat
        .call(Method::DELETE, &format!("/users/@me/relationships/{}", bob.id), None)
        .await;
    assert_eq!(status, 204);
    assert_eq!(bob.say(&dm_id, "there you are").await.0, 200);
    let (_, history) = cat
        .call(Method::GET, &format!("/channels/{dm_id}/messages"), None)
        .await;
    let texts: Vec<&str> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        ["there you are", "hi cat"],
        "the blocked message was never stored"
    );

    // The DM setting: cat takes no DMs from people in the space; bob's conversation is refused, one that cat
    // starts stays open both ways.
    let (status, settings) = cat
        .call(
            Method::PATCH,
            "/users/@me/settings",
            Some(json!({"default_guilds_restricted": true})),
        )
        .await;
    assert_eq!(
        (status, settings["default_guilds_restricted"].clone()),
        (200, json!(true))
    );
    let (status, error) = bob.say(&dm_id, "hello?").await;
    assert_eq!((status, error["code"].clone()), (403, json!(50007)));
    let cat_to_admin = cat.open_dm(&admin.id).await["id"].as_str().unwrap().to_owned();
    assert_eq!(cat.say(&cat_to_admin, "hi admin").await.0, 200);
    assert_eq!(admin.say(&cat_to_admin, "hi cat").await.0, 200);
    let (status, error) = bob
        .call(
            Method::POST,
            "/users/@me/channels",
            Some(json!({"recipients": [cat.id]})),
        )
        .await;
    assert_eq!(
        (status, error["code"].clone()),
        (403, json!(50007)),
        "no group adds either"
    );
    cat.call(
        Method::PATCH,
        "/users/@me/settings",
        Some(json!({"default_guilds_restricted": false})),
    )
    .await;

    // Group DMs: up to ten people, a name, the owner removes, anyone leaves, ownership passes on.
    let (status, group) = bob
        .call(
            Method::POST,
            "/users/@me/channels",
            Some(json!({"recipients": [cat.id, admin.id], "name": "birthday plans"})),
        )
        .await;
    assert_eq!(status, 200, "{group}");
    assert_eq!(
        (group["type"].clone(), group["name"].clone()),
        (json!(3), json!("birthday plans"))
    );
    assert_eq!(group["owner_id"], bob.id.as_str());
    let group_id = group["id"].as_str().unwrap().to_owned();
    cat.gw
        .dispatch_where("CHANNEL_CREATE", |d| d["id"] == group_id.as_str())
        .await;
    for token in &extras {
        let id = bot_id(&bot_me(token).await);
        let (status, _) = bob
            .call(Method::PUT, &format!("/channels/{group_id}/recipients/{id}"), None)
            .await;
        assert_eq!(status, 204);
    }
    let (status, error) = bob
        .call(
            Method::PUT,
            &format!("/channels/{group_id}/recipients/{helper_id}"),
            None,
        )
        .await;
    assert_eq!((status, error["code"].clone()), (400, json!(30004)), "an 11th person");
    let (status, renamed) = cat
        .call(
            Method::PATCH,
            &format!("/channels/{group_id}"),
            Some(json!({"name": "party!"})),
        )
        .await;
    assert_eq!((status, renamed["name"].clone()), (200, json!("party!")));
    bob.gw.dispatch_where("CHANNEL_UPDATE", |d| d["name"] == "party!").await;
    let (status, error) = cat
        .call(
            Method::DELETE,
            &format!("/channels/{group_id}/recipients/{}", admin.id),
            None,
        )
        .await;
    assert_eq!(
        (status, error["code"].clone()),
        (403, json!(50013)),
        "only the owner removes others"
    );
    // The group's changes are system messages, as Discord words them: who added whom (type 1), a new name (4).
    let first_extra = bot_id(&bot_me(&extras[0]).await);
    let added = admin
        .gw
        .dispatch_where("MESSAGE_CREATE", |d| d["channel_id"] == group_id.as_str())
        .await;
    assert_eq!(
        (added["type"].clone(), added["author"]["id"].clone()),
        (json!(1), json!(bob.id))
    );
    assert_eq!(added["mentions"][0]["id"], first_extra.as_str());
    let named = admin.gw.dispatch_where("MESSAGE_CREATE", |d| d["type"] == 4).await;
    assert_eq!(
        (named["content"].clone(), named["author"]["id"].clone()),
        (json!("party!"), json!(cat.id))
    );
    assert_eq!(cat.say(&group_id, "see you there").await.0, 200);
    let seen = admin
        .gw
        .dispatch_where("MESSAGE_CREATE", |d| {
            d["channel_id"] == group_id.as_str() && d["type"] == 0
        })
        .await;
    assert_eq!(seen["content"], "see you there");
    let (status, _) = cat.call(Method::DELETE, &format!("/channels/{group_id}"), None).await;
    assert_eq!(status, 200);
    assert_eq!(cat.gw.dispatch("CHANNEL_DELETE").await["d"]["id"], group_id.as_str());
    let removed = bob.gw.dispatch("CHANNEL_RECIPIENT_REMOVE").await["d"].clone();
    assert_eq!(removed["user"]["id"], cat.id.as_str());
    let left = bob.gw.dispatch_where("MESSAGE_CREATE", |d| d["type"] == 2).await;
    assert_eq!(
        (left["author"]["id"].clone(), left["mentions"][0]["id"].clone()),
        (json!(cat.id), json!(cat.id))
    );
    let (status, _) = cat
        .call(Method::GET, &format!("/channels/{group_id}/messages"), None)
        .await;
    assert_eq!(status, 403, "once out, the history is out of reach");
    let (status, _) = bob.call(Method::DELETE, &format!("/channels/{group_id}"), None).await;
    assert_eq!(status, 200);
    let handed = admin
        .gw
        .dispatch_where("CHANNEL_UPDATE", |d| d["owner_id"] != bob.id.as_str())
        .await;
    assert_eq!(handed["id"], group_id.as_str());
    assert_eq!(
        handed["owner_id"],
        admin.id.as_str(),
        "the owner left: who joined first after them owns it"
    );

    // Closing a DM hides it until the next message reopens it.
    let (status, _) = cat.call(Method::DELETE, &format!("/channels/{dm_id}"), None).await;
    assert_eq!(status, 200);
    let (_, listed) = cat.call(Method::GET, "/users/@me/channels", None).await;
    assert!(!listed.as_array().unwrap().iter().any(|c| c["id"] == dm_id.as_str()));
    assert_eq!(bob.say(&dm_id, "knock knock").await.0, 200);
    let (_, listed) = cat.call(Method::GET, "/users/@me/channels", None).await;
    assert!(listed.as_array().unwrap().iter().any(|c| c["id"] == dm_id.as_str()));

    let (status, _) = status_and_code(
        admin
            .web
            .api(
                Method::POST,
                "/users/@me/channels",
                Some(json!({"access_tokens": ["x"]})),
            )
            .await,
    )
    .await;
    assert_eq!(status, 400, "OAuth2 group tokens get a clear refusal");

    // The admin panel counts conversations and shows nothing of them.
    let page = admin.web.get("/admin/channels").await.text().await.unwrap();
    assert!(
        page.contains("Direct messages: 3 conversations and 1 group DMs"),
        "{page}"
    );
    assert!(!page.contains("hi cat") && !page.contains("party!"));
    server.stop();
}

#[tokio::test]
async fn a_dm_call_rings_and_ends() {
    let instance = crate::support::Instance::new("");
    create_user(&instance, "bob", "bob password 22", false);
    let server = instance.serve();
    let (mut admin, _) = Person::login(&server, ADMIN, ADMIN_PASSWORD).await;
    let (mut bob, _) = Person::login(&server, "bob", "bob password 22").await;
    let dm = admin.open_dm(&bob.id).await["id"].as_str().unwrap().to_owned();

    // The admin starts the call: a VOICE_SERVER_UPDATE for the DM, and bob is rung.
    admin
        .gw
        .send(json!({"op": 4, "d": {"guild_id": null, "channel_id": dm, "self_mute": false, "self_deaf": false}}))
        .await;
    let server_update = admin.gw.dispatch("VOICE_SERVER_UPDATE").await["d"].clone();
    assert_eq!(server_update["channel_id"], dm.as_str());
    assert!(server_update["guild_id"].is_null());
    let call = bob.gw.dispatch("CALL_CREATE").await["d"].clone();
    assert_eq!(call["channel_id"], dm.as_str());
    assert_eq!(call["ringing"], json!([bob.id]));
    assert_eq!(call["voice_states"][0]["user_id"], admin.id.as_str());
    let (_, history) = bob.call(Method::GET, &format!("/channels/{dm}/messages"), None).await;
    assert_eq!(history[0]["type"], 3, "a call message in the DM");
    assert_eq!(history[0]["id"], call["message_id"]);

    // Bob declines: the ringing stops for everyone in the DM.
    let (status, _) = bob
        .call(
            Method::POST,
            &format!("/channels/{dm}/call/stop-ringing"),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, 204);
    assert_eq!(admin.gw.dispatch("CALL_UPDATE").await["d"]["ringing"], json!([]));
    // Rung again, he joins; the state he gets has no guild and no member, as on Discord.
    let (status, _) = admin
        .call(Method::POST, &format!("/channels/{dm}/call/ring"), Some(json!({})))
        .await;
    assert_eq!(status, 204);
    bob.gw
        .dispatch_where("CALL_UPDATE", |d| d["ringing"] == json!([bob.id]))
        .await;
    bob.gw
        .send(json!({"op": 4, "d": {"guild_id": null, "channel_id": dm, "self_mute": true, "self_deaf": false}}))
        .await;
    bob.gw.dispatch("VOICE_SERVER_UPDATE").await;
    let state = loop {
        let d = admin.gw.dispatch("VOICE_STATE_UPDATE").await["d"].clone();
        if d["user_id"] == bob.id.as_str() {
            break d;
        }
    };
    assert!(
        state.get("guild_id").is_none() && state.get("member").is_none(),
        "{state}"
    );
    admin
        .gw
        .dispatch_where("CALL_UPDATE", |d| {
            d["ringing"] == json!([]) && d["voice_states"].as_array().unwrap().len() == 2
        })
        .await;
    // Both leave: the call ends.
    for person in [&mut admin, &mut bob] {
        person
            .gw
            .send(json!({"op": 4, "d": {"guild_id": null, "channel_id": null}}))
            .await;
    }
    assert_eq!(admin.gw.dispatch("CALL_DELETE").await["d"]["channel_id"], dm.as_str());
    server.stop();
}
