//! Attacks on the flow with the real provider (oidc-provider): a tampered `state`, a callback finished in
//! another browser (login CSRF), a replayed callback, an authorization code used a second time with a fresh
//! state, a start without the CSRF token, a link finished by another session, and the login limiter. Each is
//! refused with no session and no account; the genuine callback, held back and sent last, still works.
//!
//! Chromium signs in at the provider once; later sign-ins reuse that provider session, so the provider answers
//! at once and the tests can hold its callbacks back (following its redirects with the session's cookies) to
//! send them to spot, changed or not, when they choose.

use serde_json::{Value, json};

use super::{
    IDP, LABEL, RealProvider, browse, browser_with, free_port, provider_login, provider_url, signed_in, spot_on,
};
use crate::support::{ADMIN, ADMIN_PASSWORD, Browser, Server};

/// Follows the provider's redirects from `url` with its session `cookies` until it sends the browser back to
/// spot, and returns that callback (path and query) without sending it.
async fn through_provider(server: &Server, url: &str, cookies: &Value) -> String {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let header: Vec<String> = cookies
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| format!("{k}={}", v.as_str().unwrap()))
        .collect();
    let mut next = url::Url::parse(url).unwrap();
    for _ in 0..5 {
        let response = client
            .get(next.as_str())
            .header("cookie", header.join("; "))
            .send()
            .await
            .unwrap();
        assert!(response.status().is_redirection(), "{next}: {}", response.status());
        next = next.join(response.headers()["location"].to_str().unwrap()).unwrap();
        if let Some(path) = next.as_str().strip_prefix(&server.base) {
            return path.to_owned();
        }
    }
    panic!("the provider never sent the browser back to spot");
}

/// Chromium signs in at the provider as `user`, starting from spot's login page, and reports spot's and the
/// provider's cookies.
fn sign_in_at_provider(server: &Server, idp: &RealProvider, user: &str) -> (Value, Value) {
    let mut all = vec![
        json!({"goto": "/login"}),
        json!({"click": format!("button:has-text('Sign in with {LABEL}')")}),
    ];
    all.extend(provider_login(user));
    all.extend([
        json!({"cookies": "spot"}),
        json!({"cookies": "idp", "origin": idp.issuer}),
    ]);
    let reports = browse(&server.base, Value::Array(all));
    (reports["spot"].clone(), reports["idp"].clone())
}

/// The callback URL with one query parameter replaced.
fn with_param(url: &str, key: &str, value: &str) -> String {
    let mut parsed = url::Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(k, v)| (k.to_string(), if k == key { value.to_owned() } else { v.to_string() }))
        .collect();
    parsed.query_pairs_mut().clear().extend_pairs(pairs);
    format!("{}?{}", parsed.path(), parsed.query().unwrap())
}

fn param(url: &str, key: &str) -> String {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == key)
        .unwrap()
        .1
        .to_string()
}

/// Sends a callback and checks it is refused with `words`, and that the browser holds no session after it.
async fn refused(browser: &mut Browser, path: &str, words: &str) {
    let response = browser.get(path).await;
    assert_eq!(response.status(), 400, "{path}");
    assert!(
        response
            .headers()
            .get("set-cookie")
            .is_none_or(|c| !c.to_str().unwrap().starts_with("spot_session"))
    );
    let page = response.text().await.unwrap();
    assert!(page.contains(words), "{words:?} not in {page}");
    assert_eq!(signed_in(browser).await, None);
}

#[tokio::test]
async fn tampered_state_other_browsers_replays_and_reused_codes_are_refused() {
    let port = free_port();
    let idp = RealProvider::start(&format!("http://127.0.0.1:{port}"));
    let (instance, server) = spot_on(port, &idp.config("policy = \"auto-create\"\n"));
    let (spot_cookies, idp_cookies) = sign_in_at_provider(&server, &idp, "alice");

    // Two more sign-ins from Alice's browser, their callbacks held back.
    let mut alice = browser_with(&server, &spot_cookies);
    alice.cookies.remove("spot_session");
    let first = provider_url(alice.submit(&format!("/auth/oidc/{IDP}/start"), &[]).await).await;
    let first = through_provider(&server, &first, &idp_cookies).await;
    let second = provider_url(alice.submit(&format!("/auth/oidc/{IDP}/start"), &[]).await).await;
    let second = through_provider(&server, &second, &idp_cookies).await;
    let full = |path: &str| format!("{}{path}", server.base);
    assert_eq!(
        param(&full(&first), "iss"),
        idp.issuer,
        "oidc-provider sends RFC 9207's iss"
    );

    // A tampered state is unknown.
    let state = param(&full(&first), "state");
    let tampered = format!("{}x", &state[..state.len() - 1]);
    refused(
        &mut alice,
        &with_param(&full(&first), "state", &tampered),
        "unknown, expired or was already used",
    )
    .await;

    // The second callback, sent from another browser (no binding cookie): refused, and used up.
    let mut attacker = server.browser();
    refused(&mut attacker, &second, "started in another browser").await;
    refused(&mut alice, &second, "unknown, expired or was already used").await;

    // The genuine first callback still signs Alice in ...
    let response = alice.get(&first).await;
    assert_eq!(response.status(), 303);
    assert_eq!(signed_in(&mut alice).await.as_deref(), Some("alice"));
    // ... once: replayed, it is refused and opens no session.
    let mut replay = browser_with(&server, &spot_cookies);
    replay.cookies.remove("spot_session");
    refused(&mut replay, &first, "unknown, expired or was already used").await;

    // The used code with a fresh, genuine state: the provider refuses the code, spot opens nothing.
    let fresh = provider_url(replay.submit(&format!("/auth/oidc/{IDP}/start"), &[]).await).await;
    let reused = with_param(&full(&first), "state", &param(&fresh, "state"));
    refused(&mut replay, &reused, "already used or has expired").await;

    // Starting a sign-in is a form post with the CSRF token.
    let bare = replay.post_form(&format!("/auth/oidc/{IDP}/start"), &[]).await;
    assert_eq!(bare.status(), 403);

    server.stop();
    let list = String::from_utf8(instance.run(&["user", "list"]).stdout).unwrap();
    assert_eq!(list.lines().filter(|l| l.contains(" alice ")).count(), 1, "{list}");
    assert_eq!(list.lines().count(), 3, "{list}");
}

#[tokio::test]
async fn links_finish_only_in_their_session_and_starts_count_as_login_attempts() {
    let port = free_port();
    let idp = RealProvider::start(&format!("http://127.0.0.1:{port}"));
    let (instance, server) = spot_on(port, &idp.config(""));
    // Alice signs in at the provider (spot refuses her: link-only, not linked yet).
    let (spot_cookies, idp_cookies) = sign_in_at_provider(&server, &idp, "alice");
    assert!(spot_cookies.get("spot_session").is_none());

    // The admin, in that browser, starts linking; the callback is held back.
    let mut admin = browser_with(&server, &spot_cookies);
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let url = provider_url(admin.submit(&format!("/settings/sso/{IDP}/link"), &[]).await).await;
    let callback = through_provider(&server, &url, &idp_cookies).await;

    // Someone else's session in the same browser (same binding cookie) cannot finish it: the identity would be
    // linked to an account that did not ask.
    let password_file = instance.dir.path().join("bob-password");
    std::fs::write(&password_file, "bob's own password").unwrap();
    let added = instance.run(&["user", "add", "bob", "--password-file", password_file.to_str().unwrap()]);
    assert!(added.status.success());
    let mut bob = browser_with(&server, &spot_cookies);
    bob.cookies.remove("spot_session");
    assert_eq!(bob.login("bob", "bob's own password").await.status(), 303);
    let response = bob.get(&callback).await;
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("started in another browser"));
    let settings = admin.get("/settings/sso").await.text().await.unwrap();
    assert!(settings.contains("not linked"), "{settings}");

    // Started again and finished in the admin's session, the link is made.
    let url = provider_url(admin.submit(&format!("/settings/sso/{IDP}/link"), &[]).await).await;
    let callback = through_provider(&server, &url, &idp_cookies).await;
    let done = admin.get(&callback).await;
    assert_eq!(done.headers()["location"], "/settings/sso?linked=1");
    assert!(
        admin
            .get("/settings/sso")
            .await
            .text()
            .await
            .unwrap()
            .contains("linked as alice@example.org")
    );

    // Every start takes from the address's login bucket (10 by default), shared with password logins.
    let mut limited = None;
    for attempt in 0..12 {
        let response = admin.submit(&format!("/auth/oidc/{IDP}/start"), &[]).await;
        if response.status() == 429 {
            limited = Some((attempt, response.headers().contains_key("retry-after")));
            break;
        }
        assert_eq!(response.status(), 200);
    }
    let (attempt, retry_after) = limited.expect("the limiter never engaged");
    assert!(attempt <= 10 && retry_after, "{attempt}");
    let mut password = server.browser();
    assert_eq!(password.login(ADMIN, ADMIN_PASSWORD).await.status(), 429);
    server.stop();
}
