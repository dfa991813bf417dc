//! CSRF: every state-changing request authenticated by cookie needs the token; cross-site requests are refused.

use crate::support::{ADMIN, ADMIN_PASSWORD, Instance};

#[tokio::test]
async fn login_form_needs_the_token() {
    let instance = Instance::new("");
    let server = instance.serve();
    let mut browser = server.browser();
    browser.get("/login").await;
    let token = browser.csrf();

    let missing = browser
        .post_form("/login", &[("username", ADMIN), ("password", ADMIN_PASSWORD)])
        .await;
    assert_eq!(missing.status(), 403);
    let forged = browser
        .post_form(
            "/login",
            &[
                ("csrf_token", "A".repeat(43).as_str()),
                ("username", ADMIN),
                ("password", ADMIN_PASSWORD),
            ],
        )
        .await;
    assert_eq!(forged.status(), 403);
    // A token with no matching cookie (the attacker's page cannot set ours) is refused too.
    let mut other = server.browser();
    let no_cookie = other
        .post_form(
            "/login",
            &[
                ("csrf_token", &token),
                ("username", ADMIN),
                ("password", ADMIN_PASSWORD),
            ],
        )
        .await;
    assert_eq!(no_cookie.status(), 403);
    assert!(!other.cookies.contains_key("spot_session"));

    let ok = browser
        .post_form(
            "/login",
            &[
                ("csrf_token", &token),
                ("username", ADMIN),
                ("password", ADMIN_PASSWORD),
            ],
        )
        .await;
    assert_eq!(ok.status(), 303);
    server.stop();
}

#[tokio::test]
async fn session_requests_need_the_session_bound_token() {
    let instance = Instance::new("");
    let server = instance.serve();
    let mut browser = server.browser();
    browser.get("/login").await;
    let pre_login_token = browser.csrf();
    assert_eq!(browser.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let token = browser.csrf();
    assert_ne!(
        token, pre_login_token,
        "logging in issues a token bound to the new session"
    );

    // Form without a token, or with the pre-login one: refused, and the session survives.
    assert_eq!(browser.post_form("/logout", &[]).await.status(), 403);
    assert_eq!(
        browser
            .post_form("/logout", &[("csrf_token", &pre_login_token)])
            .await
            .status(),
        403
    );
    assert_eq!(browser.me().await.0, 200);

    // API call: the header is required and must match.
    let api = "/api/v10/auth/logout";
    let no_header = browser.send(reqwest::Method::POST, api, |r| r).await;
    assert_eq!(no_header.status(), 403);
    assert_eq!(no_header.json::<serde_json::Value>().await.unwrap()["code"], 50013);
    let wrong = browser
        .send(reqwest::Method::POST, api, |r| {
            r.header("x-csrf-token", &pre_login_token)
        })
        .await;
    assert_eq!(wrong.status(), 403);
    // The right token from another site is still refused.
    let cross = browser
        .send(reqwest::Method::POST, api, |r| {
            r.header("x-csrf-token", &token)
                .header("origin", "https://evil.example")
        })
        .await;
    assert_eq!(cross.status(), 403);
    let fetch_site = browser
        .send(reqwest::Method::POST, api, |r| {
            r.header("x-csrf-token", &token).header("sec-fetch-site", "cross-site")
        })
        .await;
    assert_eq!(fetch_site.status(), 403);
    assert_eq!(browser.me().await.0, 200, "refused requests changed nothing");

    // An Authorization header means "not cookie-authenticated": no CSRF check, but no cookie login either.
    let bot = browser
        .send(reqwest::Method::POST, api, |r| {
            r.header("authorization", "Bot not-a-token")
        })
        .await;
    assert_eq!(bot.status(), 401);
    assert_eq!(browser.me().await.0, 200);

    let same_origin = browser.base.clone();
    let session = browser.cookies["spot_session"].clone();
    let ok = browser
        .send(reqwest::Method::POST, api, |r| {
            r.header("x-csrf-token", &token).header("origin", same_origin)
        })
        .await;
    assert_eq!(ok.status(), 204);
    assert!(!browser.cookies.contains_key("spot_session"), "the cookie is cleared");
    browser.cookies.insert("spot_session".into(), session);
    assert_eq!(
        browser.me().await.0,
        401,
        "the session is gone on the server, not just in the browser"
    );
    server.stop();
}
