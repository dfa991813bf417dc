//! Members and their profiles: roles with the hierarchy, nicknames, display names and avatars; invites over
//! the API.

use base64::Engine;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{ADMIN, ADMIN_PASSWORD, Browser, Instance, create_bot, status_and_code};

#[tokio::test]
async fn roles_members_and_invites() {
    let instance = Instance::new("");
    let token = create_bot(&instance, "rolebot");
    let code = instance.invite(&["--uses", "3"]);
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let (guild, general) = admin.home().await;

    // Anyone can look an invite up; only admins make or revoke them.
    let looked: Value = Browser::new(&server.base)
        .get(&format!("/api/v10/invites/{code}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (looked["code"].as_str(), looked["guild"]["name"].as_str()),
        (Some(code.as_str()), Some("spot"))
    );
    assert_eq!(looked["channel"]["id"], general.as_str());
    let mut friend = server.browser();
    friend.get("/login").await;
    let path = format!("/invite/{code}");
    let signup = friend
        .submit(
            &path,
            &[
                ("username", "friend"),
                ("password", "s3cret-enough"),
                ("password_confirm", "s3cret-enough"),
            ],
        )
        .await;
    assert_eq!(signup.status(), 303);
    let friend_id = friend.me().await.1["id"].as_str().unwrap().to_owned();
    let (status, _) = status_and_code(
        friend
            .api(Method::POST, &format!("/channels/{general}/invites"), Some(json!({})))
            .await,
    )
    .await;
    assert_eq!(status, 403);
    let made: Value = admin
        .api(
            Method::POST,
            &format!("/channels/{general}/invites"),
            Some(json!({"max_uses": 2})),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(made["max_uses"], 2);
    let made_code = made["code"].as_str().unwrap().to_owned();
    assert_eq!(
        admin
            .api(Method::DELETE, &format!("/invites/{made_code}"), None)
            .await
            .status(),
        200
    );
    assert_eq!(
        Browser::new(&server.base)
            .get(&format!("/api/v10/invites/{made_code}"))
            .await
            .status(),
        404
    );

    // Roles: the friend cannot manage them; the admin makes a moderator role and gives it.
    let (status, body) = status_and_code(
        friend
            .api(
                Method::POST,
                &format!("/guilds/{guild}/roles"),
                Some(json!({"name": "me"})),
            )
            .await,
    )
    .await;
    assert_eq!((status, body["code"].as_u64()), (403, Some(50013)));
    let mods: Value = admin
        .api(
            Method::POST,
            &format!("/guilds/{guild}/roles"),
            Some(json!({"name": "mods", "permissions": "8192"})),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mods["permissions"], "8192");
    let role = mods["id"].as_str().unwrap().to_owned();
    let sent: Value = Browser::new(&server.base)
        .with_header("authorization", &format!("Bot {token}"))
        .send(Method::POST, &format!("/api/v10/channels/{general}/messages"), |r| {
            r.json(&json!({"content": "pin me"}))
        })
        .await
        .json()
        .await
        .unwrap();
    let id = sent["id"].as_str().unwrap().to_owned();
    assert_eq!(
        friend
            .api(Method::PUT, &format!("/channels/{general}/messages/pins/{id}"), None)
            .await
            .status(),
        403
    );
    let (status, _) = status_and_code(
        friend
            .api(
                Method::PUT,
                &format!("/guilds/{guild}/members/{friend_id}/roles/{role}"),
                None,
            )
            .await,
    )
    .await;
    assert_eq!(status, 403, "members cannot give themselves roles");
    let given = admin
        .api(
            Method::PUT,
            &format!("/guilds/{guild}/members/{friend_id}/roles/{role}"),
            None,
        )
        .await;
    assert_eq!(given.status(), 204);
    assert_eq!(
        friend
            .api(Method::PUT, &format!("/channels/{general}/messages/pins/{id}"), None)
            .await
            .status(),
        204
    );
    let member: Value = admin
        .api(Method::GET, &format!("/guilds/{guild}/members/{friend_id}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(member["roles"], json!([role]));
    let nick = friend
        .api(
            Method::PATCH,
            &format!("/guilds/{guild}/members/@me"),
            Some(json!({"nick": "Fren"})),
        )
        .await;
    assert_eq!(nick.json::<Value>().await.unwrap()["nick"], "Fren");
    let (status, body) = status_and_code(
        admin
            .api(Method::DELETE, &format!("/guilds/{guild}/roles/{guild}"), None)
            .await,
    )
    .await;
    assert_eq!(
        (status, body["code"].as_u64()),
        (400, Some(50035)),
        "@everyone cannot be deleted"
    );
    assert_eq!(
        admin
            .api(Method::DELETE, &format!("/guilds/{guild}/roles/{role}"), None)
            .await
            .status(),
        204
    );
    assert_eq!(
        friend
            .api(Method::DELETE, &format!("/channels/{general}/messages/pins/{id}"), None)
            .await
            .status(),
        403
    );
    server.stop();
}

#[tokio::test]
async fn display_names_and_avatars() {
    let instance = Instance::new("");
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR fake but signed".to_vec();
    let uri = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&png)
    );
    let me: Value = admin
        .api(
            Method::PATCH,
            "/users/@me",
            Some(json!({"global_name": "Alice", "avatar": uri})),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["global_name"], "Alice");
    let hash = me["avatar"].as_str().unwrap().to_owned();
    let id = me["id"].as_str().unwrap().to_owned();
    let image = Browser::new(&server.base)
        .get(&format!("/avatars/{id}/{hash}.png"))
        .await;
    assert_eq!(image.status(), 200, "avatars are public, like Discord's CDN");
    assert_eq!(image.headers()["content-type"], "image/png");
    assert!(image.headers()["cache-control"].to_str().unwrap().contains("immutable"));
    assert_eq!(image.bytes().await.unwrap().as_ref(), png.as_slice());

    // HTML labelled as PNG is refused; so is an oversized or empty name. Nothing changes.
    let html = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(b"<html><script>x</script>")
    );
    let (status, body) = status_and_code(
        admin
            .api(Method::PATCH, "/users/@me", Some(json!({"avatar": html})))
            .await,
    )
    .await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(50035)));
    let (status, _) = status_and_code(
        admin
            .api(
                Method::PATCH,
                "/users/@me",
                Some(json!({"global_name": "x".repeat(40)})),
            )
            .await,
    )
    .await;
    assert_eq!(status, 400);
    let (status, _) = status_and_code(
        admin
            .api(
                Method::PATCH,
                "/users/@me",
                Some(json!({"avatar": "data:image/png;base64,!!!"})),
            )
            .await,
    )
    .await;
    assert_eq!(status, 400);
    let (_, me) = admin.me().await;
    assert_eq!(
        (me["global_name"].as_str(), me["avatar"].as_str()),
        (Some("Alice"), Some(hash.as_str()))
    );
    assert_eq!(
        Browser::new(&server.base)
            .get(&format!("/avatars/{id}/../../spot.db"))
            .await
            .status(),
        404
    );
    let cleared: Value = admin
        .api(Method::PATCH, "/users/@me", Some(json!({"avatar": null})))
        .await
        .json()
        .await
        .unwrap();
    assert!(cleared["avatar"].is_null());
    server.stop();
}

#[tokio::test]
async fn removing_a_member_ends_their_access() {
    let instance = Instance::new("");
    let token = create_bot(&instance, "kickwatch");
    let code = instance.invite(&["--uses", "2"]);
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let (guild, _) = admin.home().await;
    let mut users = Vec::new();
    for name in ["leaver", "stayer"] {
        let mut browser = server.browser();
        browser.get("/login").await;
        let fields = [
            ("username", name),
            ("password", "s3cret-enough"),
            ("password_confirm", "s3cret-enough"),
        ];
        assert_eq!(browser.submit(&format!("/invite/{code}"), &fields).await.status(), 303);
        let id = browser.me().await.1["id"].as_str().unwrap().to_owned();
        users.push((browser, id));
    }
    let (mut stayer, stayer_id) = users.pop().unwrap();
    let (mut leaver, leaver_id) = users.pop().unwrap();

    // A member without KICK_MEMBERS cannot remove anyone.
    let (status, _) = status_and_code(
        stayer
            .api(Method::DELETE, &format!("/guilds/{guild}/members/{leaver_id}"), None)
            .await,
    )
    .await;
    assert_eq!(status, 403);

    let cookie = format!("spot_session={}", leaver.cookies["spot_session"]);
    let mut leaver_gw =
        crate::gw::Gw::connect_with(&server, "v=10", &[("cookie", cookie), ("origin", server.base.clone())]).await;
    leaver_gw.identify("", 0).await;
    let mut watcher = crate::gw::Gw::connect(&server, "v=10").await;
    watcher.identify(&token, 1 | 2).await;

    let removed = admin
        .api(Method::DELETE, &format!("/guilds/{guild}/members/{leaver_id}"), None)
        .await;
    assert_eq!(removed.status(), 204);
    assert_eq!(
        watcher.dispatch("GUILD_MEMBER_REMOVE").await["d"]["user"]["id"],
        leaver_id.as_str()
    );
    assert_eq!(
        leaver_gw.closed().await,
        Some(4004),
        "their open gateway connection ends"
    );
    assert_eq!(leaver.me().await.0, 401, "their browser session ends");
    assert_eq!(
        leaver.login("leaver", "s3cret-enough").await.status(),
        401,
        "they cannot log in again"
    );
    assert_eq!(stayer.me().await.0, 200, "others are untouched");
    let (status, _) = status_and_code(
        admin
            .api(Method::DELETE, &format!("/guilds/{guild}/members/{stayer_id}/x"), None)
            .await,
    )
    .await;
    assert_eq!(status, 404);
    server.stop();
}
