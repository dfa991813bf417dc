//! Channel lifecycle over REST and the gateway: deleting a channel deletes its threads, and everyone who could
//! see them is told about each.

use reqwest::Method;
use serde_json::{Value, json};

use crate::gw::Gw;
use crate::support::{ADMIN, ADMIN_PASSWORD, Instance, create_bot};

#[tokio::test]
async fn deleting_a_channel_deletes_its_threads() {
    let instance = Instance::new("");
    let token = create_bot(&instance, "watcher");
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let (guild, _) = admin.home().await;
    let created = admin
        .api(
            Method::POST,
            &format!("/guilds/{guild}/channels"),
            Some(json!({"name": "temporary"})),
        )
        .await;
    assert_eq!(created.status(), 201);
    let channel = created.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let thread = admin
        .api(
            Method::POST,
            &format!("/channels/{channel}/threads"),
            Some(json!({"name": "side talk", "type": 11})),
        )
        .await;
    assert_eq!(thread.status(), 201);
    let thread = thread.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();

    let mut gw = Gw::connect(&server, "v=10&encoding=json").await;
    let (_, guild_create) = gw.identify(&token, 1).await;
    assert!(
        guild_create["threads"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == thread.as_str())
    );
    assert_eq!(
        admin
            .api(Method::DELETE, &format!("/channels/{channel}"), None)
            .await
            .status(),
        200
    );
    assert_eq!(gw.dispatch("THREAD_DELETE").await["d"]["id"], thread.as_str());
    assert_eq!(gw.dispatch("CHANNEL_DELETE").await["d"]["id"], channel.as_str());
    let gone = admin.api(Method::GET, &format!("/channels/{thread}"), None).await;
    assert_eq!(gone.status(), 404);
    server.stop();
}

#[tokio::test]
async fn gaining_access_to_a_channel_syncs_its_threads() {
    let instance = Instance::new("");
    let token = create_bot(&instance, "syncer");
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let (guild, _) = admin.home().await;
    let hidden = json!({"name": "later", "permission_overwrites": [{"id": guild, "type": 0, "deny": "1024"}]});
    let created = admin
        .api(Method::POST, &format!("/guilds/{guild}/channels"), Some(hidden))
        .await;
    let channel = created.json::<Value>().await.unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let thread = admin
        .api(
            Method::POST,
            &format!("/channels/{channel}/threads"),
            Some(json!({"name": "old talk", "type": 11})),
        )
        .await;
    let thread = thread.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();

    let mut gw = Gw::connect(&server, "v=10&encoding=json").await;
    let (_, guild_create) = gw.identify(&token, 1).await;
    assert!(
        !guild_create["threads"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == thread.as_str())
    );
    let opened = admin
        .api(
            Method::PATCH,
            &format!("/channels/{channel}"),
            Some(json!({"permission_overwrites": []})),
        )
        .await;
    assert_eq!(opened.status(), 200);
    assert_eq!(gw.dispatch("CHANNEL_UPDATE").await["d"]["id"], channel.as_str());
    let sync = gw.dispatch("THREAD_LIST_SYNC").await;
    assert_eq!(sync["d"]["channel_ids"], json!([channel]));
    assert_eq!(sync["d"]["threads"][0]["id"], thread.as_str());
    server.stop();
}
