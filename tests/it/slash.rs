//! Slash commands, context menus, buttons, selects, forms and webhooks with unmodified libraries: the bots in
//! `tests/bots/*_slash_bot.*` register their guild commands (bulk overwrite), and a person invokes each the
//! way the web client does (`POST /interactions`), seeing what the web client sees over the gateway: the
//! answer, a deferred "thinking" message replaced by its edit and a follow-up, an ephemeral answer only they
//! get and nobody can read back, a button click that updates the message, a select, a form, user and message
//! commands, autocomplete, an admin-only command refused to others, and "did not respond" after 3 seconds.
//! Each bot also makes a webhook in #general and posts a file through it with its library's webhook client.

use std::process::Command;
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::gw::Gw;
use crate::support::{
    ADMIN, ADMIN_PASSWORD, BotProcess, Browser, Instance, Server, create_user, repo_root, status_and_code,
};

const LONG: Duration = Duration::from_secs(60);
const ALL: u64 = (1 << 26) - 1;

struct Person {
    web: Browser,
    gw: Gw,
    id: String,
}

async fn person(server: &Server, name: &str, password: &str) -> Person {
    let mut web = server.browser();
    assert_eq!(web.login(name, password).await.status(), 303);
    let (_, me) = web.me().await;
    let cookie = format!("spot_session={}", web.cookies["spot_session"]);
    let mut gw = Gw::connect_with(
        server,
        "v=10&encoding=json",
        &[("cookie", cookie), ("origin", server.base.clone())],
    )
    .await;
    gw.identify("", ALL).await;
    Person {
        web,
        gw,
        id: me["id"].as_str().unwrap().to_owned(),
    }
}

impl Person {
    async fn invoke(&mut self, body: Value) -> (u16, Value) {
        status_and_code(self.web.api(Method::POST, "/interactions", Some(body)).await).await
    }

    /// The next message from the bot in `channel`, by content.
    async fn answer(&mut self, bot: &str, content: &str) -> Value {
        let (bot, content) = (bot.to_owned(), content.to_owned());
        self.gw
            .dispatch_where("MESSAGE_CREATE", move |d| {
                d["author"]["id"] == bot.as_str() && d["content"] == content.as_str()
            })
            .await
    }
}

fn command(app: &str, channel: &str, ids: &Value, name: &str, kind: i64, options: Value, extra: Value) -> Value {
    let mut data = json!({"id": ids[name], "name": name, "type": kind, "options": options});
    if let Some(object) = extra.as_object() {
        for (k, v) in object {
            data[k] = v.clone();
        }
    }
    json!({"type": 2, "application_id": app, "channel_id": channel, "nonce": format!("n-{name}"), "data": data})
}

async fn matrix(name: &str, start: impl FnOnce(&str, &str, &str, &str) -> Command) {
    let instance = Instance::new("[api]\nroute_limit = 100000\nglobal_per_second = 100000\n");
    create_user(&instance, "alice", "alice password 1", false);
    create_user(&instance, "carol", "carol password 333", false);
    // What members may do, plus managing messages, threads and webhooks (the bot makes one).
    let permissions = (crate::support::DEFAULT_BOT_PERMISSIONS | (1 << 29)).to_string();
    let output = instance.run(&["bot", "create", name, "--permissions", &permissions]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    let server = instance.serve();
    let mut alice = person(&server, "alice", "alice password 1").await;
    let mut carol = person(&server, "carol", "carol password 333").await;
    let (_, guilds) = status_and_code(alice.web.api(Method::GET, "/users/@me/guilds", None).await).await;
    let guild = guilds[0]["id"].as_str().unwrap().to_owned();
    let (_, channels) = status_and_code(
        alice
            .web
            .api(Method::GET, &format!("/guilds/{guild}/channels"), None)
            .await,
    )
    .await;
    let general = channels
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "general")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut bot = BotProcess::start(start(&server.base, &token, &guild, &general));
    let ready = bot.expect("ready", LONG);
    let app = ready["application_id"].as_str().unwrap().to_owned();
    let ids = ready["ids"].clone();

    // The webhook the bot made and posted through, with its file.
    let hook = bot.expect("webhook", LONG);
    assert!(hook["url"].as_str().unwrap().starts_with(&server.base), "{hook}");
    let posted = alice
        .gw
        .dispatch_where("MESSAGE_CREATE", |d| d["content"] == "build passed")
        .await;
    assert_eq!(posted["author"]["username"], "builder");
    let file = posted["attachments"][0]["url"].as_str().unwrap().to_owned();
    assert_eq!(alice.web.get(&file).await.status(), 200);

    // The command index shows what alice may use (not the admin-only one).
    let (_, index) = status_and_code(
        alice
            .web
            .api(
                Method::GET,
                &format!("/channels/{general}/application-command-index"),
                None,
            )
            .await,
    )
    .await;
    let names: Vec<&str> = index["application_commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"echo") && !names.contains(&"admin-only"), "{names:?}");

    // A plain answer, with its interaction metadata.
    let echo = command(
        &app,
        &general,
        &ids,
        "echo",
        1,
        json!([{"type": 3, "name": "text", "value": "hello"}, {"type": 5, "name": "loud", "value": true}]),
        json!({}),
    );
    assert_eq!(alice.invoke(echo).await.0, 204);
    let answer = alice.answer(&app, "HELLO").await;
    assert_eq!(answer["interaction_metadata"]["user"]["id"], alice.id.as_str());
    assert_eq!(answer["interaction_metadata"]["name"], "echo");
    alice
        .gw
        .dispatch_where("INTERACTION_SUCCESS", |d| d["nonce"] == "n-echo")
        .await;

    // Autocomplete, then the command.
    let mut typing = command(
        &app,
        &general,
        &ids,
        "pick",
        1,
        json!([{"type": 3, "name": "fruit", "value": "ap", "focused": true}]),
        json!({}),
    );
    typing["type"] = json!(4);
    assert_eq!(alice.invoke(typing).await.0, 204);
    let choices = alice.gw.dispatch("APPLICATION_COMMAND_AUTOCOMPLETE_RESPONSE").await["d"]["choices"].clone();
    let values: Vec<&str> = choices
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert_eq!(values, ["apple", "apricot"]);
    alice
        .invoke(command(
            &app,
            &general,
            &ids,
            "pick",
            1,
            json!([{"type": 3, "name": "fruit", "value": "apricot"}]),
            json!({}),
        ))
        .await;
    alice.answer(&app, "picked apricot").await;

    // Deferred: "thinking", replaced by the edit; then a follow-up.
    alice
        .invoke(command(&app, &general, &ids, "slow", 1, json!([]), json!({})))
        .await;
    let thinking = alice
        .gw
        .dispatch_where("MESSAGE_CREATE", |d| d["flags"].as_i64().unwrap_or(0) & 128 != 0)
        .await;
    let edited = alice
        .gw
        .dispatch_where("MESSAGE_UPDATE", |d| d["content"] == "done slowly")
        .await;
    assert_eq!(edited["id"], thinking["id"]);
    assert_eq!(edited["flags"].as_i64().unwrap() & 128, 0);
    alice.answer(&app, "and a follow-up").await;

    // Ephemeral: alice sees it, carol does not (her next event is the public one after it), nobody reads it back.
    alice
        .invoke(command(&app, &general, &ids, "secret", 1, json!([]), json!({})))
        .await;
    let secret = alice.answer(&app, "only you").await;
    assert_eq!(secret["flags"].as_i64().unwrap() & 64, 64);
    alice
        .invoke(command(
            &app,
            &general,
            &ids,
            "echo",
            1,
            json!([{"type": 3, "name": "text", "value": "public"}]),
            json!({}),
        ))
        .await;
    let next = carol
        .gw
        .dispatch_where("MESSAGE_CREATE", |d| {
            d["content"] == "only you" || d["content"] == "public"
        })
        .await;
    assert_eq!(next["content"], "public", "carol never got the ephemeral answer");
    let (_, history) = status_and_code(
        alice
            .web
            .api(Method::GET, &format!("/channels/{general}/messages?limit=50"), None)
            .await,
    )
    .await;
    assert!(!history.as_array().unwrap().iter().any(|m| m["content"] == "only you"));

    // Buttons and a select.
    alice
        .invoke(command(&app, &general, &ids, "buttons", 1, json!([]), json!({})))
        .await;
    let menu = alice.answer(&app, "pick one").await;
    let menu_id = menu["id"].as_str().unwrap().to_owned();
    assert_eq!(menu["components"][0]["components"][0]["custom_id"], "press");
    let click = json!({"type": 3, "application_id": app, "channel_id": general, "message_id": menu_id, "nonce": "n-press",
        "data": {"custom_id": "press", "component_type": 2}});
    assert_eq!(alice.invoke(click).await.0, 204);
    let updated = alice
        .gw
        .dispatch_where("MESSAGE_UPDATE", |d| d["content"] == "pressed by alice")
        .await;
    assert_eq!(updated["components"][0]["components"][0]["disabled"], true);
    let choose = json!({"type": 3, "application_id": app, "channel_id": general, "message_id": menu_id, "nonce": "n-choose",
        "data": {"custom_id": "choose", "component_type": 3, "values": ["b"]}});
    alice.invoke(choose).await;
    alice.answer(&app, "chose b").await;
    let ghost = json!({"type": 3, "application_id": app, "channel_id": general, "message_id": menu_id, "nonce": "n-ghost",
        "data": {"custom_id": "nope", "component_type": 2}});
    let (status, error) = alice.invoke(ghost).await;
    assert_eq!(
        (status, error["code"].clone()),
        (400, json!(50035)),
        "a component the message does not have"
    );

    // A form.
    alice
        .invoke(command(&app, &general, &ids, "form", 1, json!([]), json!({})))
        .await;
    let modal = alice.gw.dispatch("INTERACTION_MODAL_CREATE").await["d"].clone();
    assert_eq!(modal["custom_id"], "feedback");
    let submit = json!({"type": 5, "application_id": app, "channel_id": general, "nonce": "n-submit",
        "data": {"custom_id": "feedback", "components": [{"type": 1, "components": [{"type": 4, "custom_id": "thoughts", "value": "great"}]}]}});
    let (status, body) = alice.invoke(submit.clone()).await;
    assert_eq!(status, 204, "{body}");
    alice.answer(&app, "thanks: great").await;
    assert_eq!(alice.invoke(submit).await.0, 400, "a form is submitted once");

    // Context menus.
    alice
        .invoke(command(
            &app,
            &general,
            &ids,
            "Say hi",
            2,
            json!([]),
            json!({"target_id": carol.id}),
        ))
        .await;
    alice.answer(&app, "hi carol").await;
    let (_, said) = status_and_code(
        alice
            .web
            .api(
                Method::POST,
                &format!("/channels/{general}/messages"),
                Some(json!({"content": "quote me"})),
            )
            .await,
    )
    .await;
    alice
        .invoke(command(
            &app,
            &general,
            &ids,
            "Quote",
            3,
            json!([]),
            json!({"target_id": said["id"]}),
        ))
        .await;
    alice.answer(&app, "> quote me").await;

    // Refusals: an admin-only command, an unknown command; no answer in 3 s is reported.
    let (status, error) = alice
        .invoke(command(&app, &general, &ids, "admin-only", 1, json!([]), json!({})))
        .await;
    assert_eq!((status, error["code"].clone()), (403, json!(50013)));
    let mut admin = person(&server, ADMIN, ADMIN_PASSWORD).await;
    admin
        .invoke(command(&app, &general, &ids, "admin-only", 1, json!([]), json!({})))
        .await;
    admin.answer(&app, "admin ok").await;
    let unknown =
        json!({"type": 2, "application_id": app, "channel_id": general, "data": {"id": "123", "name": "x", "type": 1}});
    assert_eq!(alice.invoke(unknown).await.1["code"], 10063);
    alice
        .invoke(command(&app, &general, &ids, "never", 1, json!([]), json!({})))
        .await;
    let failure = alice.gw.dispatch("INTERACTION_FAILURE").await["d"].clone();
    assert_eq!(failure["nonce"], "n-never");
    let forged = reqwest::Client::new()
        .post(format!(
            "{}/api/v10/interactions/1/{}/callback",
            server.base,
            "x".repeat(80)
        ))
        .json(&json!({"type": 4, "data": {"content": "forged"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(status_and_code(forged).await.1["code"], 10062);
    // A bad definition is refused with the field named.
    let bad = reqwest::Client::new()
        .put(format!(
            "{}/api/v10/applications/{app}/guilds/{guild}/commands",
            server.base
        ))
        .header("authorization", format!("Bot {token}"))
        .json(&json!([{"name": "Bad Name", "description": "x"}]))
        .send()
        .await
        .unwrap();
    let (status, error) = status_and_code(bad).await;
    assert_eq!((status, error["code"].clone()), (400, json!(50035)), "{error}");
    let _ = admin;
    drop(bot);
    server.stop();
}

/// A bot script with the environment every slash bot takes.
fn bot(program: &str, script: &str, base: &str, token: &str, guild: &str, channel: &str) -> Command {
    let mut command = Command::new(program);
    command
        .arg(repo_root().join("tests/bots").join(script))
        .env("SPOT_URL", base)
        .env("SPOT_BOT_TOKEN", token)
        .env("SPOT_GUILD_ID", guild)
        .env("SPOT_CHANNEL_ID", channel)
        .env("NODE_PATH", repo_root().join("tests/bots/node_modules"));
    command
}

#[tokio::test]
async fn discord_py_slash_commands() {
    matrix("pyslash", |base, token, guild, channel| {
        bot(
            &crate::discord_py::python(),
            "dpy_slash_bot.py",
            base,
            token,
            guild,
            channel,
        )
    })
    .await;
}

#[tokio::test]
async fn discord_js_slash_commands() {
    matrix("jsslash", |base, token, guild, channel| {
        bot("node", "djs_slash_bot.js", base, token, guild, channel)
    })
    .await;
}

#[tokio::test]
async fn hikari_slash_commands() {
    matrix("hikslash", |base, token, guild, channel| {
        bot(
            &crate::discord_py::python(),
            "hikari_slash_bot.py",
            base,
            token,
            guild,
            channel,
        )
    })
    .await;
}
