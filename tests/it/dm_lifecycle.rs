//! DMs outliving the people in them, and READY's deduplicated form: a DM with someone who left the space keeps
//! its history and names them (READY's `users` with `DEDUPE_USER_OBJECTS`, whole recipients without it); a
//! disabled account's DMs stay readable to the others, who can no longer send to it; a backup restored into
//! another instance has the DMs.

use reqwest::Method;
use serde_json::{Value, json};

use crate::gw::Gw;
use crate::support::{ADMIN, ADMIN_PASSWORD, Browser, Instance, Server, create_user, status_and_code};

const DEDUPE_USER_OBJECTS: u64 = 1 << 4;

async fn login(server: &Server, name: &str) -> (Browser, String) {
    let mut web = server.browser();
    assert_eq!(web.login(name, &format!("{name} password 1")).await.status(), 303);
    let (_, me) = web.me().await;
    let id = me["id"].as_str().unwrap().to_owned();
    (web, id)
}

async fn call(web: &mut Browser, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    status_and_code(web.api(method, path, body).await).await
}

/// READY for a browser session, with or without `capabilities`.
async fn ready(server: &Server, web: &Browser, capabilities: Option<u64>) -> Value {
    let cookie = format!("spot_session={}", web.cookies["spot_session"]);
    let mut gw = Gw::connect_with(
        server,
        "v=10&encoding=json",
        &[("cookie", cookie), ("origin", server.base.clone())],
    )
    .await;
    assert_eq!(gw.recv().await["op"], 10);
    let mut d = json!({"token": "", "properties": {"os": "linux"}});
    if let Some(bits) = capabilities {
        d["capabilities"] = json!(bits);
    }
    gw.send(json!({"op": 2, "d": d})).await;
    gw.dispatch("READY").await["d"].clone()
}

fn by_id<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{id} in {list}"))
}

#[tokio::test]
async fn dms_outlive_leaving_disabling_and_restoring() {
    let instance = Instance::new("[api]\nroute_limit = 100000\nglobal_per_second = 100000\n");
    for name in ["bob", "cat", "dan"] {
        create_user(&instance, name, &format!("{name} password 1"), false);
    }
    let server = instance.serve();
    let (mut bob, _) = login(&server, "bob").await;
    let (mut cat, cat_id) = login(&server, "cat").await;
    let (mut dan, dan_id) = login(&server, "dan").await;
    let mut dms = Vec::new();
    for other in [&cat_id, &dan_id] {
        let web = &mut bob;
        let (status, dm) = call(
            web,
            Method::POST,
            "/users/@me/channels",
            Some(json!({"recipient_id": other})),
        )
        .await;
        assert_eq!(status, 200, "{dm}");
        let id = dm["id"].as_str().unwrap().to_owned();
        let (status, sent) = call(
            web,
            Method::POST,
            &format!("/channels/{id}/messages"),
            Some(json!({"content": format!("hello {other}")})),
        )
        .await;
        assert_eq!(status, 200, "{sent}");
        dms.push(id);
    }
    let (cat_dm, dan_dm) = (dms[0].clone(), dms[1].clone());
    let (status, reply) = call(
        &mut dan,
        Method::POST,
        &format!("/channels/{dan_dm}/messages"),
        Some(json!({"content": "bye bob"})),
    )
    .await;
    assert_eq!(status, 200, "{reply}");

    // Dan leaves the space (the admin removes him); the DM stays, with its history.
    let (mut admin, _) = {
        let mut web = server.browser();
        assert_eq!(web.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
        (web, ())
    };
    let (_, guilds) = call(&mut admin, Method::GET, "/users/@me/guilds", None).await;
    let guild = guilds[0]["id"].as_str().unwrap().to_owned();
    let (status, kicked) = call(
        &mut admin,
        Method::DELETE,
        &format!("/guilds/{guild}/members/{dan_id}"),
        None,
    )
    .await;
    assert_eq!(status, 204, "{kicked}");

    // READY as the web client asks for it: recipients by id; only Dan, no longer a member, is sent whole.
    let deduped = ready(&server, &bob, Some(DEDUPE_USER_OBJECTS)).await;
    let channels = &deduped["private_channels"];
    assert_eq!(channels.as_array().unwrap().len(), 2, "{channels}");
    for channel in channels.as_array().unwrap() {
        assert!(channel.get("recipients").is_none(), "{channel}");
    }
    assert_eq!(by_id(channels, &cat_dm)["recipient_ids"], json!([cat_id]));
    assert_eq!(by_id(channels, &dan_dm)["recipient_ids"], json!([dan_id]));
    let users = deduped["users"].as_array().unwrap();
    assert_eq!(users.len(), 1, "only the departed member: {users:?}");
    assert_eq!(users[0]["id"], dan_id.as_str());
    assert_eq!(users[0]["username"], "dan");
    // Without the capability (bots, libraries): whole recipients, no `users`.
    let whole = ready(&server, &bob, None).await;
    assert!(whole.get("users").is_none());
    assert_eq!(
        by_id(&whole["private_channels"], &dan_dm)["recipients"][0]["username"],
        "dan"
    );
    let (status, history) = call(&mut bob, Method::GET, &format!("/channels/{dan_dm}/messages"), None).await;
    assert_eq!(status, 200);
    assert_eq!(history[0]["content"], "bye bob");
    // Bob can no longer reach Dan there.
    let (status, refused) = call(
        &mut bob,
        Method::POST,
        &format!("/channels/{dan_dm}/messages"),
        Some(json!({"content": "still there?"})),
    )
    .await;
    assert_eq!((status, refused["code"].as_i64()), (403, Some(50007)), "{refused}");

    // Cat's account is disabled from the CLI: Bob still reads their DM, and cannot send to it.
    let output = instance.run(&["user", "disable", "cat"]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let (status, history) = call(&mut bob, Method::GET, &format!("/channels/{cat_dm}/messages"), None).await;
    assert_eq!(status, 200);
    assert_eq!(history[0]["content"], format!("hello {cat_id}"));
    let (status, refused) = call(
        &mut bob,
        Method::POST,
        &format!("/channels/{cat_dm}/messages"),
        Some(json!({"content": "hi?"})),
    )
    .await;
    assert_eq!((status, refused["code"].as_i64()), (403, Some(50007)), "{refused}");
    let (status, _) = call(&mut cat, Method::GET, &format!("/channels/{cat_dm}/messages"), None).await;
    assert_eq!(status, 401, "a disabled account's session ended");

    // A backup has the DMs: restored into another instance, Bob finds them with their messages.
    let file = instance.dir.path().join("dms-backup.db");
    let output = instance.run(&["backup", file.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    server.stop();
    let other = Instance::new("");
    std::fs::remove_file(other.data_dir().join("spot.db")).unwrap();
    let restored = other.run(&["restore", file.to_str().unwrap()]);
    assert!(
        restored.status.success(),
        "{}",
        String::from_utf8_lossy(&restored.stderr)
    );
    let server = other.serve();
    let (mut bob, _) = login(&server, "bob").await;
    let (_, listed) = call(&mut bob, Method::GET, "/users/@me/channels", None).await;
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");
    let (_, history) = call(&mut bob, Method::GET, &format!("/channels/{dan_dm}/messages"), None).await;
    assert_eq!(history.as_array().unwrap().len(), 2);
    server.stop();
}
