//! Sessions: cookie flags with and without TLS, expiry, logout and "log out everywhere".

use std::time::Duration;

use crate::support::{ADMIN, ADMIN_PASSWORD, Browser, Instance};

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
