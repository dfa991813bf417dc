//! Every way a credential ends closes the gateway connections that used it at once, with 4004 — a logout, "log
//! out everywhere", ending a session from the session list, a password change, and from the command line while
//! the server runs (`spot user disable`, `spot bot rotate`), which share only the database with it. Sessions
//! of other credentials stay open: each check ends with a message they still receive.

use reqwest::Method;
use serde_json::json;

use crate::gw::Gw;
use crate::support::{ADMIN, ADMIN_PASSWORD, Browser, Server, create_bot};

/// A gateway connection identified through `browser`'s session cookie, as the web client does.
async fn cookie_gateway(server: &Server, browser: &Browser) -> Gw {
    let cookie = format!("spot_session={}", browser.cookies["spot_session"]);
    let mut gw = Gw::connect_with(
        server,
        "v=10&encoding=json",
        &[("cookie", cookie), ("origin", server.base.clone())],
    )
    .await;
    gw.identify("", (1 << 9) | (1 << 15)).await;
    gw
}

/// Posts `content` as `browser` and waits until every connection in `open` has it.
async fn still_open(browser: &mut Browser, channel: &str, content: &str, open: &mut [&mut Gw]) {
    let posted = browser
        .api(
            Method::POST,
            &format!("/channels/{channel}/messages"),
            Some(json!({"content": content})),
        )
        .await;
    assert_eq!(posted.status(), 200);
    for gw in open.iter_mut() {
        loop {
            let event = gw.dispatch("MESSAGE_CREATE").await;
            if event["d"]["content"] == content {
                break;
            }
        }
    }
}

#[tokio::test]
async fn ended_credentials_close_their_gateways() {
    let instance = crate::support::Instance::new("");
    let token = create_bot(&instance, "revokebot");
    let password_file = instance.dir.path().join("friend-password");
    std::fs::write(&password_file, "friend password 1\n").unwrap();
    let added = instance.run(&[
        "user",
        "add",
        "friend",
        "--password-file",
        password_file.to_str().unwrap(),
    ]);
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    let server = instance.serve();

    let mut laptop = server.browser();
    let mut phone = server.browser();
    let mut tablet = server.browser();
    let mut desktop = server.browser();
    for browser in [&mut laptop, &mut phone, &mut tablet, &mut desktop] {
        assert_eq!(browser.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    }
    let mut friend = server.browser();
    assert_eq!(friend.login("friend", "friend password 1").await.status(), 303);
    let (_, general) = laptop.home().await;
    let mut laptop_gw = cookie_gateway(&server, &laptop).await;
    let mut phone_gw = cookie_gateway(&server, &phone).await;
    let mut tablet_gw = cookie_gateway(&server, &tablet).await;
    let mut desktop_gw = cookie_gateway(&server, &desktop).await;
    let mut friend_gw = cookie_gateway(&server, &friend).await;
    let mut bot_gw = Gw::connect(&server, "v=10&encoding=json").await;
    bot_gw.identify(&format!("Bot {token}"), (1 << 9) | (1 << 15)).await;

    // A logout ends that browser's connection only.
    assert_eq!(laptop.submit("/logout", &[]).await.status(), 303);
    assert_eq!(laptop_gw.closed().await, Some(4004), "logout");
    still_open(
        &mut phone,
        &general,
        "after logout",
        &mut [&mut phone_gw, &mut tablet_gw, &mut bot_gw],
    )
    .await;

    // Ending a session from the session list.
    let list: serde_json::Value = phone
        .api(Method::GET, "/users/@me/sessions", None)
        .await
        .json()
        .await
        .unwrap();
    let tablet_hash = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["current"] == false)
        .map(|s| s["id_hash"].clone())
        .collect::<Vec<_>>();
    assert_eq!(tablet_hash.len(), 2, "tablet and desktop: {list}");
    // End one of the two other sessions; find out which by whose connection closes.
    let ended = phone
        .api(
            Method::POST,
            "/users/@me/sessions/logout",
            Some(json!({"id_hashes": [tablet_hash[0]]})),
        )
        .await;
    assert_eq!(ended.status(), 200);
    let closed = tokio::select! {
        code = tablet_gw.closed() => ("tablet", code),
        code = desktop_gw.closed() => ("desktop", code),
    };
    assert_eq!(closed.1, Some(4004), "session list: {}", closed.0);
    let (mut survivor_gw, survivor_browser) = if closed.0 == "tablet" {
        (desktop_gw, desktop)
    } else {
        (tablet_gw, tablet)
    };
    still_open(
        &mut phone,
        &general,
        "after the list",
        &mut [&mut phone_gw, &mut survivor_gw],
    )
    .await;
    drop(survivor_browser);

    // A password change ends every session of the user (the browser that asked gets a new one).
    let changed = phone
        .api(
            Method::PATCH,
            "/users/@me",
            Some(json!({"password": ADMIN_PASSWORD, "new_password": "a new password 1"})),
        )
        .await;
    assert_eq!(changed.status(), 200);
    assert_eq!(phone_gw.closed().await, Some(4004), "password change");
    assert_eq!(survivor_gw.closed().await, Some(4004), "password change, other browser");
    still_open(
        &mut friend,
        &general,
        "after the password",
        &mut [&mut friend_gw, &mut bot_gw],
    )
    .await;

    // From the command line, beside the running server.
    let rotated = instance.run(&["bot", "rotate", "revokebot"]);
    assert!(rotated.status.success(), "{}", String::from_utf8_lossy(&rotated.stderr));
    assert_eq!(bot_gw.closed().await, Some(4004), "spot bot rotate");
    still_open(&mut friend, &general, "after the rotation", &mut [&mut friend_gw]).await;
    let disabled = instance.run(&["user", "disable", "friend"]);
    assert!(
        disabled.status.success(),
        "{}",
        String::from_utf8_lossy(&disabled.stderr)
    );
    assert_eq!(friend_gw.closed().await, Some(4004), "spot user disable");
    server.stop();
}
