//! Incoming webhooks as tools use them: made by someone with MANAGE_WEBHOOKS (the token shown once, the URL
//! absolute), executed with nothing but the URL (JSON with a name override, embeds and mentions; multipart
//! with a file a client can download; Slack's and GitHub's bodies), seen live as the webhook's messages, and
//! every refusal with Discord's code: a wrong token, an unknown webhook, no permission, an empty or oversize
//! message, a 16th webhook, a forbidden name. Deleting a webhook keeps what it posted.

use reqwest::Method;
use serde_json::{Value, json};

use crate::gw::Gw;
use crate::support::{ADMIN, ADMIN_PASSWORD, Instance, create_bot, status_and_code};

const ALL: u64 = (1 << 26) - 1;

async fn raw(client: &reqwest::Client, method: Method, url: &str, body: Option<Value>) -> (u16, Value) {
    let mut request = client.request(method, url);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

#[tokio::test]
async fn webhooks_post_as_themselves() {
    let instance = Instance::new("[api]\nroute_limit = 100000\nglobal_per_second = 100000\n");
    let bot = create_bot(&instance, "plain");
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let cookie = format!("spot_session={}", admin.cookies["spot_session"]);
    let mut gw = Gw::connect_with(
        &server,
        "v=10&encoding=json",
        &[("cookie", cookie), ("origin", server.base.clone())],
    )
    .await;
    let (_, guild) = gw.identify("", ALL).await;
    let guild_id = guild["id"].as_str().unwrap().to_owned();
    let general = guild["channels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "general")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let http = reqwest::Client::new();

    // Making one: MANAGE_WEBHOOKS (a plain bot has not), a name Discord would accept, at most 15 per channel.
    let bot_create = http
        .post(format!("{}/api/v10/channels/{general}/webhooks", server.base))
        .header("authorization", format!("Bot {bot}"))
        .json(&json!({"name": "sneaky"}))
        .send()
        .await
        .unwrap();
    assert_eq!(status_and_code(bot_create).await.1["code"], 50013);
    let (status, error) = status_and_code(
        admin
            .api(
                Method::POST,
                &format!("/channels/{general}/webhooks"),
                Some(json!({"name": "my discord hook"})),
            )
            .await,
    )
    .await;
    assert_eq!((status, error["code"].clone()), (400, json!(50035)), "{error}");
    let (status, hook) = status_and_code(
        admin
            .api(
                Method::POST,
                &format!("/channels/{general}/webhooks"),
                Some(json!({"name": "ci"})),
            )
            .await,
    )
    .await;
    assert_eq!(status, 200, "{hook}");
    let url = hook["url"].as_str().unwrap().to_owned();
    let id = hook["id"].as_str().unwrap().to_owned();
    assert!(
        url.starts_with(&server.base) && url.ends_with(hook["token"].as_str().unwrap()),
        "{url}"
    );
    assert_eq!(hook["user"]["username"], ADMIN);
    for i in 0..14 {
        let (status, _) = status_and_code(
            admin
                .api(
                    Method::POST,
                    &format!("/channels/{general}/webhooks"),
                    Some(json!({"name": format!("h{i}")})),
                )
                .await,
        )
        .await;
        assert_eq!(status, 200);
    }
    let (status, error) = status_and_code(
        admin
            .api(
                Method::POST,
                &format!("/channels/{general}/webhooks"),
                Some(json!({"name": "16th"})),
            )
            .await,
    )
    .await;
    assert_eq!((status, error["code"].clone()), (400, json!(30007)));

    // Executing with only the URL: JSON, a name of its own, an embed, a mention; live over the gateway.
    let (status, sent) = raw(
        &http,
        Method::POST,
        &format!("{url}?wait=true"),
        Some(
            json!({"content": format!("build passed <@{}>", guild["owner_id"].as_str().unwrap()), "username": "builder",
            "embeds": [{"title": "main", "color": 3066993}]}),
        ),
    )
    .await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(
        (sent["webhook_id"].clone(), sent["author"]["username"].clone()),
        (json!(id), json!("builder"))
    );
    assert_eq!(
        (sent["author"]["bot"].clone(), sent["author"]["discriminator"].clone()),
        (json!(true), json!("0000"))
    );
    assert_eq!(sent["embeds"][0]["type"], "rich");
    assert_eq!(sent["mentions"].as_array().unwrap().len(), 1);
    let live = gw
        .dispatch_where("MESSAGE_CREATE", |d| d["webhook_id"] == id.as_str())
        .await;
    assert_eq!(live["content"], sent["content"]);
    assert_eq!(live["guild_id"], guild_id.as_str());
    assert!(live.get("member").is_none(), "a webhook is not a member");
    // Without wait: 204.
    let (status, _) = raw(&http, Method::POST, &url, Some(json!({"content": "quiet"}))).await;
    assert_eq!(status, 204);

    // Multipart with a file: the attachment's URL works for whoever reads the channel.
    let form = reqwest::multipart::Form::new()
        .text("payload_json", json!({"content": "the log"}).to_string())
        .part(
            "files[0]",
            reqwest::multipart::Part::bytes(b"all tests passed\n".to_vec()).file_name("log.txt"),
        );
    let response = http
        .post(format!("{url}?wait=true"))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let with_file: Value = response.json().await.unwrap();
    let file_url = with_file["attachments"][0]["url"].as_str().unwrap().to_owned();
    let downloaded = admin.get(&file_url).await;
    assert_eq!(downloaded.status(), 200);
    assert_eq!(downloaded.text().await.unwrap(), "all tests passed\n");

    // Slack's and GitHub's bodies.
    let slack = http
        .post(format!("{url}/slack"))
        .json(&json!({"text": "deploy <https://ci.test/1|#1> done", "attachments": [{"color": "danger", "title": "prod"}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(slack.status(), 200);
    assert_eq!(slack.text().await.unwrap(), "ok");
    let posted = gw
        .dispatch_where("MESSAGE_CREATE", |d| {
            d["content"] == "deploy [#1](https://ci.test/1) done"
        })
        .await;
    assert_eq!(posted["embeds"][0]["color"], 0xa30200);
    let github = http
        .post(format!("{url}/github?wait=true"))
        .header("x-github-event", "push")
        .json(&json!({"ref": "refs/heads/main", "compare": "https://github.test/c", "repository": {"full_name": "friends/game"},
            "sender": {"login": "al"}, "commits": [{"id": "abcdef123", "message": "Add levels", "url": "https://github.test/x", "author": {"username": "al"}}]}))
        .send()
        .await
        .unwrap();
    assert_eq!(github.status(), 200);
    let pushed: Value = github.json().await.unwrap();
    assert_eq!(pushed["embeds"][0]["title"], "[friends/game:main] 1 new commit");
    assert_eq!(pushed["author"]["username"], "GitHub");
    let ignored = http
        .post(format!("{url}/github"))
        .header("x-github-event", "watch")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(ignored.status(), 204);

    // The webhook reads, edits and deletes its own messages with its token; not anyone else's.
    let own = format!("{url}/messages/{}", sent["id"].as_str().unwrap());
    assert_eq!(raw(&http, Method::GET, &own, None).await.1["content"], sent["content"]);
    let (status, edited) = raw(
        &http,
        Method::PATCH,
        &own,
        Some(json!({"content": "build passed (edited)"})),
    )
    .await;
    assert_eq!(
        (status, edited["content"].clone()),
        (200, json!("build passed (edited)"))
    );
    gw.dispatch_where("MESSAGE_UPDATE", |d| d["content"] == "build passed (edited)")
        .await;
    let (_, mine) = status_and_code(
        admin
            .api(
                Method::POST,
                &format!("/channels/{general}/messages"),
                Some(json!({"content": "not the hook's"})),
            )
            .await,
    )
    .await;
    let foreign = format!("{url}/messages/{}", mine["id"].as_str().unwrap());
    assert_eq!(
        raw(&http, Method::PATCH, &foreign, Some(json!({"content": "hijacked"})))
            .await
            .1["code"],
        10008
    );
    assert_eq!(raw(&http, Method::DELETE, &foreign, None).await.0, 404);
    assert_eq!(raw(&http, Method::DELETE, &own, None).await.0, 204);
    gw.dispatch_where("MESSAGE_DELETE", |d| d["id"] == sent["id"]).await;

    // Refusals: a wrong token, an unknown webhook, an empty message, an oversize body; nothing is posted.
    let wrong = format!("{}/api/webhooks/{id}/{}", server.base, "x".repeat(43));
    let (status, error) = raw(&http, Method::POST, &wrong, Some(json!({"content": "guess"}))).await;
    assert_eq!((status, error["code"].clone()), (401, json!(50027)));
    let unknown = format!("{}/api/webhooks/1234567/{}", server.base, "x".repeat(43));
    assert_eq!(
        raw(&http, Method::POST, &unknown, Some(json!({"content": "?"})))
            .await
            .1["code"],
        10015
    );
    assert_eq!(
        raw(&http, Method::POST, &url, Some(json!({"content": "  "}))).await.1["code"],
        50006
    );
    let (status, _) = raw(&http, Method::POST, &url, Some(json!({"content": "x".repeat(2001)}))).await;
    assert_eq!(status, 400);
    let huge = http
        .post(&url)
        .header("content-type", "application/json")
        .body(vec![b' '; 40 << 20])
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), 413);

    // With the token: the webhook without its creator or token.
    let (status, seen) = raw(&http, Method::GET, &url, None).await;
    assert_eq!(status, 200);
    assert!(seen.get("token").is_none() && seen.get("user").is_none(), "{seen}");
    let (_, listed) = status_and_code(
        admin
            .api(Method::GET, &format!("/channels/{general}/webhooks"), None)
            .await,
    )
    .await;
    assert_eq!(listed.as_array().unwrap().len(), 15);

    // Deleted: its messages stay, its URL is gone.
    let (status, _) = raw(&http, Method::DELETE, &url, None).await;
    assert_eq!(status, 204);
    assert_eq!(
        raw(&http, Method::POST, &url, Some(json!({"content": "after"})))
            .await
            .0,
        404
    );
    let (_, history) = status_and_code(
        admin
            .api(Method::GET, &format!("/channels/{general}/messages?limit=50"), None)
            .await,
    )
    .await;
    assert!(
        history
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["content"] == "quiet" && m["webhook_id"] == id.as_str())
    );
    server.stop();
}

/// The admin panel's webhooks page: make one for a channel (its URL shown once, and working), see it listed,
/// delete it (the URL stops working), every step in the audit log.
#[tokio::test]
async fn admins_manage_webhooks_in_the_panel() {
    let instance = Instance::new("");
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let page = admin.get("/admin/webhooks").await.text().await.unwrap();
    let option = page.find("<option value=\"").expect("a channel to choose");
    let channel: String = page[option + 15..].chars().take_while(|c| c.is_ascii_digit()).collect();
    let made = admin
        .submit("/admin/webhooks", &[("name", "home assistant"), ("channel", &channel)])
        .await
        .text()
        .await
        .unwrap();
    let start = made.find("<code class=\"secret\">").expect("the URL is shown") + 21;
    let url: String = made[start..].chars().take_while(|c| *c != '<').collect();
    assert!(url.starts_with(&server.base), "{url}");
    let http = reqwest::Client::new();
    let (status, _) = raw(&http, Method::POST, &url, Some(json!({"content": "the door opened"}))).await;
    assert_eq!(status, 204);
    let listed = admin.get("/admin/webhooks").await.text().await.unwrap();
    assert!(
        listed.contains("home assistant") && !listed.contains(&url),
        "listed, the URL not shown again"
    );
    let id = url.split('/').rev().nth(1).unwrap().to_owned();
    let deleted = admin.submit(&format!("/admin/webhooks/{id}/delete"), &[]).await;
    assert_eq!(deleted.status(), 200);
    assert_eq!(
        raw(&http, Method::POST, &url, Some(json!({"content": "again"})))
            .await
            .0,
        404
    );
    let audit = admin.get("/admin/audit").await.text().await.unwrap();
    assert!(audit.contains("webhook.create") && audit.contains("webhook.delete"));
    server.stop();
}

/// Bots put buttons on their own messages and change or remove them with an edit; people cannot send them;
/// malformed rows are refused with the field named.
#[tokio::test]
async fn bots_send_and_edit_components() {
    let instance = Instance::new("");
    let bot = create_bot(&instance, "buttons");
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let (_, home) = admin.home().await;
    let http = reqwest::Client::new();
    let as_bot = |method: Method, path: String, body: Value| {
        http.request(method, format!("{}/api/v10{path}", server.base))
            .header("authorization", format!("Bot {bot}"))
            .json(&body)
            .send()
    };
    let row = json!([{"type": 1, "components": [{"type": 2, "style": 1, "label": "Go", "custom_id": "go"}]}]);
    let (status, sent) = status_and_code(
        as_bot(
            Method::POST,
            format!("/channels/{home}/messages"),
            json!({"content": "ready?", "components": row}),
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["components"][0]["components"][0]["custom_id"], "go");
    assert_eq!(
        sent["components"][0]["components"][0]["id"], 2,
        "components are numbered"
    );
    let id = sent["id"].as_str().unwrap().to_owned();
    let (status, edited) = status_and_code(
        as_bot(
            Method::PATCH,
            format!("/channels/{home}/messages/{id}"),
            json!({"components": []}),
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!((status, edited["components"].clone()), (200, json!([])), "{edited}");
    let bad = json!([{"type": 1, "components": [{"type": 2, "style": 5, "url": "javascript:alert(1)", "label": "x"}]}]);
    let (status, error) = status_and_code(
        as_bot(
            Method::POST,
            format!("/channels/{home}/messages"),
            json!({"content": "x", "components": bad}),
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!((status, error["code"].clone()), (400, json!(50035)), "{error}");
    let (status, error) = status_and_code(
        admin
            .api(
                Method::POST,
                &format!("/channels/{home}/messages"),
                Some(json!({"content": "x", "components": row})),
            )
            .await,
    )
    .await;
    assert_eq!(
        (status, error["code"].clone()),
        (400, json!(50035)),
        "people cannot send components: {error}"
    );
    server.stop();
}

/// A bot describes its application (`PATCH /applications/@me`): a description, an icon (its avatar); people
/// have no application; Discord's limits and what spot does not do are refused.
#[tokio::test]
async fn bots_describe_their_application() {
    use base64::Engine as _;
    let instance = Instance::new("");
    let bot = create_bot(&instance, "describer");
    let server = instance.serve();
    let http = reqwest::Client::new();
    let patch = |body: Value| {
        http.patch(format!("{}/api/v10/applications/@me", server.base))
            .header("authorization", format!("Bot {bot}"))
            .json(&body)
            .send()
    };
    let icon = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(crate::fixture::png(32, 32))
    );
    let (status, app) = status_and_code(
        patch(json!({"description": "plays the hits", "icon": icon}))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 200, "{app}");
    assert_eq!(app["description"], "plays the hits");
    let hash = app["icon"].as_str().expect("an icon hash").to_owned();
    let read = http
        .get(format!("{}/api/v10/applications/@me", server.base))
        .header("authorization", format!("Bot {bot}"))
        .send()
        .await
        .unwrap();
    let read: Value = read.json().await.unwrap();
    assert_eq!(
        (read["description"].clone(), read["icon"].clone()),
        (json!("plays the hits"), json!(hash))
    );
    let picture = http
        .get(format!(
            "{}/avatars/{}/{hash}.png",
            server.base,
            read["id"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(picture.status(), 200, "the icon is served");
    let (status, _) = status_and_code(patch(json!({"description": "x".repeat(401)})).await.unwrap()).await;
    assert_eq!(status, 400);
    let (status, _) = status_and_code(
        patch(json!({"interactions_endpoint_url": "https://example.org/i"}))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, 400);
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let (status, _) = status_and_code(
        admin
            .api(Method::PATCH, "/applications/@me", Some(json!({"description": "me"})))
            .await,
    )
    .await;
    assert_eq!(status, 403);
    server.stop();
}
