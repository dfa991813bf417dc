//! The fast tier (`make check`): the real router and store in-process, no sockets, no browsers, no bot
//! libraries, time moved by hand. What needs a real client (gateway, voice, libraries, browsers) is in
//! `tests/it`, run by `make test`.

mod fuzz;
mod spec;
mod support;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use spot::config::HumanDuration;
use support::{App, json, text};

/// REST limits: a burst of `route_limit` per route, the headers libraries read, then a 429 they can back off
/// from; another caller is not affected.
#[tokio::test]
async fn a_route_allows_its_burst_then_answers_429_with_the_wait() {
    let app = App::new(|c| {
        c.api.route_limit = 3;
        c.api.route_window = HumanDuration::from_secs(3);
    })
    .await;
    let cookie = app.admin_cookie().await;
    let mut remaining = Vec::new();
    for _ in 0..3 {
        let response = app.get("/api/v10/users/@me", &[("cookie", &cookie)]).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()["x-ratelimit-limit"], "3");
        remaining.push(response.headers()["x-ratelimit-remaining"].to_str().unwrap().to_owned());
        let reset_after: f64 = response.headers()["x-ratelimit-reset-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(reset_after > 0.0 && reset_after <= 3.0, "{reset_after}");
    }
    assert_eq!(remaining, ["2", "1", "0"]);
    let limited = app.get("/api/v10/users/@me", &[("cookie", &cookie)]).await;
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.headers()["retry-after"], "1");
    assert!(limited.headers().contains_key("via"), "discord.py needs Via on a 429");
    let body = json(limited).await;
    let wait = body["retry_after"].as_f64().unwrap();
    assert!(wait > 0.0 && wait <= 1.0, "one cell comes back per second: {body}");
    assert_eq!(body["global"], false);

    // Another route, and another caller on the same route, have their own buckets.
    assert_eq!(
        app.get("/api/v10/users/@me/guilds", &[("cookie", &cookie)])
            .await
            .status(),
        200
    );
    let anonymous = app.get("/api/v10/users/@me", &[]).await;
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}

/// Sessions and invites end when the clock says so, not when a test has waited long enough.
#[tokio::test]
async fn sessions_and_invites_expire_on_the_clock() {
    let app = App::new(|c| c.security.session_ttl = HumanDuration::from_secs(3600)).await;
    let cookie = app.admin_cookie().await;
    let invite = app
        .state
        .accounts
        .create_invite(None, 0, Some(std::time::Duration::from_secs(60)))
        .await
        .unwrap();
    let path = format!("/api/v10/invites/{}", invite.code);
    let found = json(app.get(&path, &[]).await).await;
    assert_eq!(found["max_age"], 60);
    assert!(found["guild_id"].is_string(), "{found}");
    assert_eq!(found["guild_id"], found["guild"]["id"]);

    app.clock.advance(61_000);
    let gone = app.get(&path, &[]).await;
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    assert_eq!(json(gone).await["code"], 10006);
    assert_eq!(
        app.get("/api/v10/users/@me", &[("cookie", &cookie)]).await.status(),
        200
    );

    app.clock.advance(3600 * 1000);
    let expired = app.get("/api/v10/users/@me", &[("cookie", &cookie)]).await;
    assert_eq!(expired.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json(expired).await["code"], 0);
}

/// Bad input gets Discord's error codes, cookie writes need their CSRF token, and pages fail as pages.
#[tokio::test]
async fn bad_requests_get_discord_errors_and_pages_get_pages() {
    let app = App::new(|_| {}).await;
    let cookie = app.admin_cookie().await;
    let csrf = app.csrf(&cookie);
    let guilds = json(app.get("/api/v10/users/@me/guilds", &[("cookie", &cookie)]).await).await;
    let guild = guilds[0]["id"].as_str().unwrap().to_owned();
    let post = |path: String, body: &'static str, with_csrf: bool| {
        let mut request = Request::post(path)
            .header("cookie", &cookie)
            .header("content-type", "application/json");
        if with_csrf {
            request = request.header("x-csrf-token", &csrf);
        }
        request.body(Body::from(body)).unwrap()
    };

    let malformed = app
        .send(
            post(format!("/api/v10/guilds/{guild}/channels"), "{\"name\": ", true),
            [192, 0, 2, 1],
        )
        .await;
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json(malformed).await["code"], 50109);

    let unknown = app
        .send(
            post("/api/v10/channels/1234/messages".into(), "{\"content\": \"hi\"}", true),
            [192, 0, 2, 1],
        )
        .await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert_eq!(json(unknown).await["code"], 10003);

    let forged = app
        .send(
            post(format!("/api/v10/guilds/{guild}/channels"), "{\"name\": \"x\"}", false),
            [192, 0, 2, 1],
        )
        .await;
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let created = app
        .send(
            post(format!("/api/v10/guilds/{guild}/channels"), "{\"name\": \"ok\"}", true),
            [192, 0, 2, 1],
        )
        .await;
    assert!(created.status().is_success(), "{}", created.status());
    assert_eq!(json(created).await["name"], "ok");

    let page = app
        .send(
            Request::post("/logout")
                .header("cookie", &cookie)
                .body(Body::empty())
                .unwrap(),
            [192, 0, 2, 1],
        )
        .await;
    assert_eq!(page.status(), StatusCode::FORBIDDEN);
    assert!(
        page.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(text(page).await.contains("403"));

    let nothing = app.get("/no/such/page", &[]).await;
    assert_eq!(nothing.status(), StatusCode::NOT_FOUND);
    assert!(text(nothing).await.contains("There is nothing at this address."));
}

/// Every URL spot hands out is absolute, from the base URL it was given.
#[tokio::test]
async fn the_gateway_url_is_absolute() {
    let app = App::new(|_| {}).await;
    let gateway = json(app.get("/api/v10/gateway", &[("host", "spot.test")]).await).await;
    let url = gateway["url"].as_str().unwrap();
    assert!(url.starts_with("ws://spot.test"), "{url}");
}

/// The login limiter refills on spot's clock: after its burst a username is refused even with the right
/// password, and once the clock has moved on by one refill the right password works again.
#[tokio::test]
async fn login_limits_refill_as_the_clock_moves() {
    let app = App::new(|c| {
        c.security.login_user_burst = 2;
        c.security.login_user_per_minute = 6;
    })
    .await;
    let token = "A".repeat(43);
    let login = |password: &str, peer: u8| {
        let body = format!(
            "username={}&password={}&csrf_token={token}",
            support::ADMIN,
            password.replace(' ', "+")
        );
        let request = Request::post("/login")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", format!("spot_csrf={token}"))
            .body(Body::from(body))
            .unwrap();
        app.send(request, [198, 51, 100, peer])
    };
    assert_eq!(login("wrong password", 1).await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(login("wrong password", 2).await.status(), StatusCode::UNAUTHORIZED);
    let refused = login(support::PASSWORD, 3).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.headers()["retry-after"], "10");

    app.clock.advance(9_000);
    assert_eq!(
        login(support::PASSWORD, 4).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    app.clock.advance(1_000);
    let welcome = login(support::PASSWORD, 5).await;
    assert_eq!(welcome.status(), StatusCode::SEE_OTHER);
    assert!(
        welcome.headers()["set-cookie"]
            .to_str()
            .unwrap()
            .contains("spot_session=")
    );
}

/// Every GET a bot or the web client relies on answers with what Discord's OpenAPI description requires: every
/// required field, each of an allowed type, all the way down (`tests/fast/spec.rs`).
#[tokio::test]
async fn answers_carry_what_discords_spec_requires() {
    let app = App::new(|_| {}).await;
    let spec = spec::Spec::load();
    let cookie = app.admin_cookie().await;
    let (bot, bot_token) = app.state.accounts.create_bot("robo", 0).await.unwrap();
    let bot_auth = format!("Bot {bot_token}");
    let me = json(app.get("/api/v10/users/@me", &[("cookie", &cookie)]).await).await;
    let admin_id = me["id"].as_str().unwrap().to_owned();
    let (guild, channel) = app.home(&cookie).await;
    let csrf = app.csrf(&cookie);
    let send = |method: &str, path: String, body: &str| {
        Request::builder()
            .method(method)
            .uri(path)
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
            .header("content-type", "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap()
    };
    let posted = app
        .send(
            send(
                "POST",
                format!("/api/v10/channels/{channel}/messages"),
                r#"{"content": "hello **spec**"}"#,
            ),
            [192, 0, 2, 1],
        )
        .await;
    assert!(posted.status().is_success());
    let message = json(posted).await["id"].as_str().unwrap().to_owned();
    let reacted = app
        .send(
            send(
                "PUT",
                format!("/api/v10/channels/{channel}/messages/{message}/reactions/%F0%9F%91%8D/@me"),
                "",
            ),
            [192, 0, 2, 1],
        )
        .await;
    assert!(reacted.status().is_success());
    let pinned = app
        .send(
            send(
                "PUT",
                format!("/api/v10/channels/{channel}/messages/pins/{message}"),
                "",
            ),
            [192, 0, 2, 1],
        )
        .await;
    assert!(pinned.status().is_success());
    let thread = app
        .send(
            send(
                "POST",
                format!("/api/v10/channels/{channel}/messages/{message}/threads"),
                r#"{"name": "t"}"#,
            ),
            [192, 0, 2, 1],
        )
        .await;
    assert!(thread.status().is_success());
    let invite = app.state.accounts.create_invite(None, 0, None).await.unwrap();

    let bot_id = bot.id.to_string();
    let checks: Vec<(&str, String, &str)> = vec![
        ("/users/@me", "/users/@me".into(), "cookie"),
        ("/users/{user_id}", format!("/users/{admin_id}"), "cookie"),
        ("/users/{user_id}", format!("/users/{bot_id}"), "cookie"),
        ("/users/@me/guilds", "/users/@me/guilds".into(), "cookie"),
        ("/guilds/{guild_id}", format!("/guilds/{guild}"), "cookie"),
        (
            "/guilds/{guild_id}/channels",
            format!("/guilds/{guild}/channels"),
            "cookie",
        ),
        ("/guilds/{guild_id}/roles", format!("/guilds/{guild}/roles"), "cookie"),
        (
            "/guilds/{guild_id}/members",
            format!("/guilds/{guild}/members"),
            "cookie",
        ),
        (
            "/guilds/{guild_id}/members/{user_id}",
            format!("/guilds/{guild}/members/{admin_id}"),
            "cookie",
        ),
        (
            "/guilds/{guild_id}/threads/active",
            format!("/guilds/{guild}/threads/active"),
            "cookie",
        ),
        ("/channels/{channel_id}", format!("/channels/{channel}"), "cookie"),
        ("/channels/{channel_id}", format!("/channels/{message}"), "cookie"),
        (
            "/channels/{channel_id}/messages",
            format!("/channels/{channel}/messages"),
            "cookie",
        ),
        (
            "/channels/{channel_id}/messages/{message_id}",
            format!("/channels/{channel}/messages/{message}"),
            "cookie",
        ),
        (
            "/channels/{channel_id}/messages/pins",
            format!("/channels/{channel}/messages/pins"),
            "cookie",
        ),
        (
            "/channels/{channel_id}/pins",
            format!("/channels/{channel}/pins"),
            "cookie",
        ),
        (
            "/channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}",
            format!("/channels/{channel}/messages/{message}/reactions/%F0%9F%91%8D"),
            "cookie",
        ),
        ("/invites/{code}", format!("/invites/{}", invite.code), "cookie"),
        ("/gateway", "/gateway".into(), "cookie"),
        ("/gateway/bot", "/gateway/bot".into(), "bot"),
        ("/applications/@me", "/applications/@me".into(), "bot"),
        ("/oauth2/applications/@me", "/oauth2/applications/@me".into(), "bot"),
    ];
    let mut problems = Vec::new();
    for (template, path, auth) in checks {
        let header = if auth == "bot" {
            ("authorization", bot_auth.as_str())
        } else {
            ("cookie", cookie.as_str())
        };
        let response = app.get(&format!("/api/v10{path}"), &[header]).await;
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        let body = json(response).await;
        for problem in spec.problems(spec.response("get", template), &body, "") {
            problems.push(format!("GET {template}: {problem}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Numbers outside Discord's ranges are refused with 50035 naming the field, not clamped (and never panic).
#[tokio::test]
async fn out_of_range_numbers_are_refused_not_clamped() {
    let app = App::new(|_| {}).await;
    let cookie = app.admin_cookie().await;
    let (guild, channel) = app.home(&cookie).await;
    let refused = [
        (format!("/guilds/{guild}/members?limit=0"), "limit"),
        (format!("/guilds/{guild}/members?limit=1001"), "limit"),
        (format!("/channels/{channel}/messages?limit=101"), "limit"),
        (format!("/channels/{channel}/messages?limit=-5"), "limit"),
        (
            format!("/channels/{channel}/threads/archived/public?limit=9223372036854775807"),
            "limit",
        ),
        (format!("/channels/{channel}/threads/archived/public?limit=-1"), "limit"),
        (format!("/guilds/{guild}/messages/search?content=x&limit=26"), "limit"),
        (format!("/guilds/{guild}/messages/search?content=x&offset=-1"), "offset"),
        (
            format!("/channels/{channel}/messages/1/reactions/%F0%9F%91%8D?limit=101"),
            "limit",
        ),
    ];
    for (path, field) in refused {
        let response = app.get(&format!("/api/v10{path}"), &[("cookie", &cookie)]).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let body = json(response).await;
        assert_eq!(body["code"], 50035, "{path}: {body}");
        assert!(body["errors"][field].is_object(), "{path}: {body}");
    }
    for path in [
        format!("/guilds/{guild}/members?limit=1000"),
        format!("/channels/{channel}/messages?limit=100"),
    ] {
        assert_eq!(
            app.get(&format!("/api/v10{path}"), &[("cookie", &cookie)])
                .await
                .status(),
            200,
            "{path}"
        );
    }

    let csrf = app.csrf(&cookie);
    for (color, status) in [(-1, 400), (16_777_216, 400), (16_777_215, 200)] {
        let request = Request::post(format!("/api/v10/guilds/{guild}/roles"))
            .header("cookie", &cookie)
            .header("x-csrf-token", &csrf)
            .header("content-type", "application/json")
            .body(Body::from(format!(r#"{{"name": "r", "color": {color}}}"#)))
            .unwrap();
        let response = app.send(request, [192, 0, 2, 1]).await;
        assert_eq!(response.status().as_u16(), status, "color {color}");
        let body = json(response).await;
        if status == 400 {
            assert!(body["errors"]["color"].is_object(), "{body}");
        } else {
            assert_eq!(body["color"], color);
        }
    }
}
