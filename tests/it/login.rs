//! Login: success, and failures that look the same whether or not the user exists; the login limiter.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::support::{ADMIN, ADMIN_PASSWORD, Browser, Instance};

/// The page without the parts that legitimately differ (the echoed username and the CSRF token).
fn without_values(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("value=\"") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 7..];
        rest = &after[after.find('"').unwrap() + 1..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn login_succeeds_and_failures_do_not_reveal_accounts() {
    let instance = Instance::new("");
    let server = instance.serve();

    let mut browser = server.browser();
    let ok = browser.login(ADMIN, ADMIN_PASSWORD).await;
    assert_eq!(ok.status(), 303);
    assert_eq!(ok.headers()["location"], "/");
    let (status, me) = browser.me().await;
    assert_eq!(status, 200);
    assert_eq!(me["username"], ADMIN);
    let home = browser.get("/").await.text().await.unwrap();
    assert!(home.contains("general") && home.contains("Lounge"), "{home}");

    let mut wrong = server.browser();
    let started = Instant::now();
    let wrong_password = wrong.login(ADMIN, "not the password").await;
    let wrong_time = started.elapsed();
    let mut stranger = server.browser();
    let started = Instant::now();
    let unknown_user = stranger.login("nobody", "not the password").await;
    let unknown_time = started.elapsed();

    assert_eq!(wrong_password.status(), 401);
    assert_eq!(unknown_user.status(), 401);
    assert!(!wrong_password.headers().contains_key("set-cookie") || !wrong.cookies.contains_key("spot_session"));
    let a = without_values(&wrong_password.text().await.unwrap());
    let b = without_values(&unknown_user.text().await.unwrap());
    assert_eq!(a, b, "wrong password and unknown user must get the same page");
    assert!(a.contains("Wrong username or password."));
    // Both paths run bcrypt, so timing does not tell them apart either.
    assert!(
        unknown_time > Duration::from_millis(100),
        "unknown user answered in {unknown_time:?}"
    );
    assert!(wrong_time > Duration::from_millis(100));
    assert!(!stranger.cookies.contains_key("spot_session"));
    server.stop();
}

const LIMITS: &str = r#"
[server]
trusted_proxies = ["127.0.0.1"]
[security]
login_ip_burst = 3
login_ip_per_minute = 6
login_user_burst = 2
login_user_per_minute = 6
"#;

async fn attempt(base: &str, ip: &str, username: &str, password: &str) -> u16 {
    let mut browser = Browser::new(base).with_header("x-forwarded-for", ip);
    browser.login(username, password).await.status().as_u16()
}

#[tokio::test]
async fn limiter_engages_per_ip_and_per_user_then_recovers() {
    let instance = Instance::new(LIMITS);
    let server = instance.serve();
    let base = server.base.clone();

    // Per IP: three different usernames from one address, then the fourth is refused.
    for name in ["u1", "u2", "u3"] {
        assert_eq!(attempt(&base, "10.0.0.1", name, "wrongwrong").await, 401);
    }
    assert_eq!(attempt(&base, "10.0.0.1", "u4", "wrongwrong").await, 429);
    // Another address is not affected.
    assert_eq!(attempt(&base, "10.0.0.2", "u5", "wrongwrong").await, 401);

    // Per user: the same username from fresh addresses is refused after its burst of two...
    assert_eq!(attempt(&base, "10.1.0.1", ADMIN, "wrongwrong").await, 401);
    assert_eq!(attempt(&base, "10.1.0.2", ADMIN, "wrongwrong").await, 401);
    // ...even with the right password, and the refusal says when to come back.
    let mut limited = Browser::new(&base).with_header("x-forwarded-for", "10.1.0.3");
    let refused = limited.login(ADMIN, ADMIN_PASSWORD).await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    assert!(refused.text().await.unwrap().contains("Too many attempts"));

    // Refilling is on spot's clock; tests/fast moves it (`login_limits_refill_as_the_clock_moves`).
    server.stop();
}

#[tokio::test]
async fn forwarded_for_is_ignored_from_untrusted_peers() {
    let instance = Instance::new("[security]\nlogin_ip_burst = 2\nlogin_ip_per_minute = 1\n");
    let server = instance.serve();
    // Without trusted_proxies, a client cannot dodge the per-IP limit by inventing addresses.
    for (i, expected) in [(1, 401), (2, 401), (3, 429)] {
        let status = attempt(&server.base, &format!("10.9.0.{i}"), &format!("x{i}"), "wrongwrong").await;
        assert_eq!(status, expected, "attempt {i}");
    }
    server.stop();
}

/// Guessing the current password through `PATCH /users/@me` with a stolen cookie meets the login limits (once it
/// allowed ten guesses in 2.4 s).
#[tokio::test]
async fn current_password_guesses_meet_the_login_limits() {
    let instance = Instance::new("[security]\nlogin_user_burst = 3\nlogin_user_per_minute = 1\n");
    let server = instance.serve();
    let mut thief = server.browser();
    assert_eq!(thief.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let guess = |password: &str| json!({"password": password, "new_password": "a new password 1"});
    let mut statuses = Vec::new();
    for attempt in 0..4 {
        let response = thief
            .api(
                reqwest::Method::PATCH,
                "/users/@me",
                Some(guess(&format!("guess {attempt}"))),
            )
            .await;
        statuses.push(response.status().as_u16());
    }
    // Three wrong guesses (the user's burst), then 429s; the account's logins keep their own bucket.
    assert_eq!(statuses, vec![400, 400, 400, 429]);
    let mut owner = server.browser();
    assert_eq!(
        owner.login(ADMIN, ADMIN_PASSWORD).await.status(),
        303,
        "the owner still logs in"
    );
    server.stop();
}
