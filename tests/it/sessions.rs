//! Sessions: cookie flags with and without TLS, expiry, logout and "log out everywhere", the session list and
//! logging out other sessions, and changing one's password (the web client's settings).

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use crate::support::{ADMIN, ADMIN_PASSWORD, Browser, Instance, status_and_code};

fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("spot_session="))
        .expect("a session cookie")
}

fn assert_base_flags(cookie: &str) {
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(
            cookie.split("; ").any(|part| part == flag),
            "{flag} missing in {cookie}"
        );
    }
}

#[tokio::test]
async fn cookie_flags_follow_tls() {
    let plain = Instance::new("[server]\ntrusted_proxies = [\"127.0.0.1/32\"]\n");
    let server = plain.serve();

    let mut browser = server.browser();
    let response = browser.login(ADMIN, ADMIN_PASSWORD).await;
    let cookie = session_cookie(&response);
    assert_base_flags(&cookie);
    assert!(!cookie.contains("Secure"), "plain HTTP must not set Secure: {cookie}");
    assert_eq!(
        cookie.split("; ").next().unwrap().len(),
        "spot_session=".len() + 43,
        "32-byte token"
    );

    // Behind a trusted TLS-terminating proxy.
    let mut proxied = Browser::new(&server.base).with_header("x-forwarded-proto", "https");
    let cookie = session_cookie(&proxied.login(ADMIN, ADMIN_PASSWORD).await);
    assert_base_flags(&cookie);
    assert!(cookie.contains("; Secure"), "{cookie}");
    // The Secure cookie's session works: the login page sends a logged-in browser home.
    assert_eq!(proxied.get("/login").await.status(), 303);
    server.stop();

    // The same header from a peer that is not a trusted proxy is ignored.
    let untrusted = Instance::new("");
    let server = untrusted.serve();
    let mut spoofing = Browser::new(&server.base).with_header("x-forwarded-proto", "https");
    let cookie = session_cookie(&spoofing.login(ADMIN, ADMIN_PASSWORD).await);
    assert!(!cookie.contains("Secure"), "{cookie}");
    server.stop();

    // public_url with https: Secure always.
    let tls = Instance::new("[server]\npublic_url = \"https://chat.example.org\"\n");
    let server = tls.serve();
    let mut browser = server.browser();
    let response = browser.login(ADMIN, ADMIN_PASSWORD).await;
    assert!(session_cookie(&response).contains("; Secure"));
    assert!(
        response
            .headers()
            .get_all("set-cookie")
            .iter()
            .all(|c| c.to_str().unwrap().contains("; Secure"))
    );
    server.stop();
}

#[tokio::test]
async fn sessions_expire() {
    let instance = Instance::new("[security]\nsession_ttl = \"2s\"\n");
    let server = instance.serve();
    let mut browser = server.browser();
    let response = browser.login(ADMIN, ADMIN_PASSWORD).await;
    assert!(session_cookie(&response).contains("Max-Age=2"));
    assert_eq!(browser.me().await.0, 200);
    tokio::time::sleep(Duration::from_millis(2300)).await;
    assert_eq!(browser.me().await.0, 401);
    let home = browser.get("/").await;
    assert_eq!(home.status(), 303);
    assert_eq!(home.headers()["location"], "/login");
    server.stop();
}

#[tokio::test]
async fn logout_and_logout_everywhere() {
    let instance = Instance::new("");
    let server = instance.serve();
    let mut laptop = server.browser();
    let mut phone = server.browser();
    let mut tablet = server.browser();
    for browser in [&mut laptop, &mut phone, &mut tablet] {
        assert_eq!(browser.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
        assert_eq!(browser.me().await.0, 200);
    }
    let home = laptop.get("/").await.text().await.unwrap();
    assert_eq!(
        home.matches("<li>").count() - 2,
        3,
        "three sessions listed besides two channels: {home}"
    );

    // Logging out ends that session only; the old cookie no longer works.
    let laptop_session = laptop.cookies["spot_session"].clone();
    let out = laptop.submit("/logout", &[]).await;
    assert_eq!(out.status(), 303);
    assert_eq!(out.headers()["location"], "/login");
    laptop.cookies.insert("spot_session".into(), laptop_session);
    assert_eq!(laptop.me().await.0, 401);
    assert_eq!(phone.me().await.0, 200);

    // "Log out everywhere" from the phone ends the tablet's session too.
    let out = phone.submit("/logout/everywhere", &[]).await;
    assert_eq!(out.status(), 303);
    assert_eq!(tablet.me().await.0, 401);
    let (status, _) = phone.me().await;
    assert_eq!(status, 401);
    server.stop();
}

#[tokio::test]
async fn password_change_and_session_list() {
    let instance = Instance::new("");
    let server = instance.serve();
    let mut laptop = server.browser();
    let mut phone = server.browser();
    for browser in [&mut laptop, &mut phone] {
        assert_eq!(browser.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    }

    // The list marks this browser's session; the other can be logged out by its id hash, this one cannot.
    let list: serde_json::Value = laptop
        .api(Method::GET, "/users/@me/sessions", None)
        .await
        .json()
        .await
        .unwrap();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list.iter().filter(|s| s["current"] == true).count(), 1);
    let other = list.iter().find(|s| s["current"] == false).unwrap()["id_hash"].clone();
    let mine = list.iter().find(|s| s["current"] == true).unwrap()["id_hash"].clone();
    let bad = laptop
        .api(
            Method::POST,
            "/users/@me/sessions/logout",
            Some(json!({"id_hashes": ["nope"]})),
        )
        .await;
    let (status, body) = status_and_code(bad).await;
    assert_eq!((status, body["code"].as_i64()), (400, Some(50035)));
    let ended: serde_json::Value = laptop
        .api(
            Method::POST,
            "/users/@me/sessions/logout",
            Some(json!({"id_hashes": [other, mine]})),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(ended["ended"], 1);
    assert_eq!(phone.me().await.0, 401, "the other session ended");
    assert_eq!(laptop.me().await.0, 200, "this one did not");

    // A password change needs the current password and a valid new one.
    assert_eq!(phone.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let change = |current: &str, new: &str| json!({"password": current, "new_password": new});
    let wrong = laptop
        .api(Method::PATCH, "/users/@me", Some(change("not it", "a new password 1")))
        .await;
    let (status, body) = status_and_code(wrong).await;
    assert_eq!(status, 400);
    assert!(body["errors"]["password"].is_object(), "{body}");
    let weak = laptop
        .api(Method::PATCH, "/users/@me", Some(change(ADMIN_PASSWORD, "short")))
        .await;
    let (status, body) = status_and_code(weak).await;
    assert_eq!(status, 400);
    assert!(body["errors"]["new_password"].is_object(), "{body}");
    assert_eq!(phone.me().await.0, 200, "failed attempts change nothing");

    let changed = laptop
        .api(
            Method::PATCH,
            "/users/@me",
            Some(change(ADMIN_PASSWORD, "a new password 1")),
        )
        .await;
    assert_eq!(changed.status(), 200);
    assert_eq!(laptop.me().await.0, 200, "this browser continues with its new session");
    assert_eq!(phone.me().await.0, 401, "every other session ended");
    let mut stranger = server.browser();
    assert_eq!(stranger.login(ADMIN, ADMIN_PASSWORD).await.status(), 401);
    assert_eq!(stranger.login(ADMIN, "a new password 1").await.status(), 303);
    server.stop();
}
