//! Bad input on the REST API gets Discord's error codes — never a 500 — and changes nothing; uploads are
//! served safely; search finds only what the caller may read.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{ADMIN, ADMIN_PASSWORD, Browser, Instance, create_bot, status_and_code};

#[tokio::test]
async fn bad_input_gets_discord_errors() {
    let instance = Instance::new("");
    let token = create_bot(&instance, "restbot");
    let member_code = instance.invite(&[]);
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let (guild, general) = admin.home().await;
    let messages = format!("/api/v10/channels/{general}/messages");
    let mut bot = Browser::new(&server.base).with_header("authorization", &format!("Bot {token}"));

    let raw =
        |body: &'static str| move |r: reqwest::RequestBuilder| r.header("content-type", "application/json").body(body);
    let (status, body) = status_and_code(bot.send(Method::POST, &messages, raw("{\"content\": ")).await).await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(50109)));
    // Trailing data after the JSON value is not a body.
    let (status, body) = status_and_code(
        bot.send(
            Method::POST,
            &messages,
            raw("{\"content\": \"x\"} {\"content\": \"y\"}"),
        )
        .await,
    )
    .await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(50109)));
    let (status, body) = status_and_code(bot.send(Method::POST, &messages, raw("{\"content\": 42}")).await).await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(50035)));
    assert!(body["errors"]["content"]["_errors"][0]["message"].is_string(), "{body}");
    let long = json!({"content": "x".repeat(2001)});
    let (status, body) = status_and_code(bot.send(Method::POST, &messages, |r| r.json(&long)).await).await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(50035)));
    let (status, body) = status_and_code(
        bot.send(Method::POST, &messages, |r| r.json(&json!({"content": "  "})))
            .await,
    )
    .await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(50006)));
    let (status, body) = status_and_code(
        bot.send(Method::POST, "/api/v10/channels/1234567890123456789/messages", |r| {
            r.json(&json!({"content": "x"}))
        })
        .await,
    )
    .await;
    assert_eq!((status, body["code"].as_u64()), (404, Some(10003)));
    let (status, _) = status_and_code(
        bot.send(Method::GET, "/api/v10/channels/not-a-number/messages", |r| r)
            .await,
    )
    .await;
    assert_eq!(status, 404);
    let (status, body) = status_and_code(
        bot.send(Method::GET, &format!("{messages}/1234567890123456789"), |r| r)
            .await,
    )
    .await;
    assert_eq!((status, body["code"].as_u64()), (404, Some(10008)));
    let (status, body) = status_and_code(bot.send(Method::GET, &format!("{messages}?limit=1000"), |r| r).await).await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(50035)));
    let huge = json!({"content": "x".repeat(2 * 1024 * 1024)});
    let (status, _) = status_and_code(
        bot.send(Method::PATCH, &format!("/api/v10/channels/{general}"), |r| {
            r.json(&huge)
        })
        .await,
    )
    .await;
    assert_eq!(status, 413);
    let (status, _) = status_and_code(
        Browser::new(&server.base)
            .with_header("authorization", "Bot wrong")
            .get(&messages)
            .await,
    )
    .await;
    assert_eq!(status, 401);

    // A real message, then things others may not do to it.
    let sent: Value = bot
        .send(Method::POST, &messages, |r| r.json(&json!({"content": "mine"})))
        .await
        .json()
        .await
        .unwrap();
    let id = sent["id"].as_str().unwrap().to_owned();
    let mut friend = server.browser();
    friend.get("/login").await;
    let signup = friend
        .submit(
            &format!("/invite/{member_code}"),
            &[
                ("username", "friend"),
                ("password", "s3cret-enough"),
                ("password_confirm", "s3cret-enough"),
            ],
        )
        .await;
    assert_eq!(signup.status(), 303);
    let (status, body) = status_and_code(
        friend
            .api(
                Method::PATCH,
                &format!("/channels/{general}/messages/{id}"),
                Some(json!({"content": "hijacked"})),
            )
            .await,
    )
    .await;
    assert_eq!((status, body["code"].as_u64()), (403, Some(50005)));
    let (status, body) = status_and_code(
        friend
            .api(Method::PUT, &format!("/channels/{general}/messages/pins/{id}"), None)
            .await,
    )
    .await;
    assert_eq!((status, body["code"].as_u64()), (403, Some(50013)));
    let (status, body) = status_and_code(
        friend
            .api(Method::DELETE, &format!("/channels/{general}/messages/{id}"), None)
            .await,
    )
    .await;
    assert_eq!((status, body["code"].as_u64()), (403, Some(50013)));
    let (status, body) = status_and_code(
        friend
            .api(
                Method::PUT,
                &format!("/channels/{general}/messages/{id}/reactions/notanemoji/@me"),
                None,
            )
            .await,
    )
    .await;
    assert_eq!((status, body["code"].as_u64()), (404, Some(10014)));
    let (status, body) = status_and_code(
        friend
            .api(
                Method::POST,
                &format!("/guilds/{guild}/channels"),
                Some(json!({"name": "mine"})),
            )
            .await,
    )
    .await;
    assert_eq!((status, body["code"].as_u64()), (403, Some(50013)));
    let (status, body) = status_and_code(
        bot.send(Method::POST, &format!("{messages}/bulk-delete"), |r| {
            r.json(&json!({"messages": [id]}))
        })
        .await,
    )
    .await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(50035)));
    let (status, body) = status_and_code(
        bot.send(Method::POST, &format!("{messages}/{id}/threads"), |r| {
            r.json(&json!({"name": ""}))
        })
        .await,
    )
    .await;
    assert_eq!((status, body["code"].as_u64()), (400, Some(50035)));

    // Unknown roles are 404 / 10011, which libraries branch on (not a form error).
    let (status, body) = status_and_code(
        admin
            .api(
                Method::PATCH,
                &format!("/guilds/{guild}/roles/1234567890123456789"),
                Some(json!({"name": "x"})),
            )
            .await,
    )
    .await;
    assert_eq!((status, body["code"].as_u64()), (404, Some(10011)));
    // A channel's parent must be a category of this guild: not a missing channel (once a 500), not a text
    // channel, not itself.
    for parent in ["1234567890123456789", general.as_str()] {
        let (status, body) = status_and_code(
            admin
                .api(
                    Method::PATCH,
                    &format!("/channels/{general}"),
                    Some(json!({"parent_id": parent})),
                )
                .await,
        )
        .await;
        assert_eq!((status, body["code"].as_u64()), (400, Some(50035)), "parent {parent}");
        assert!(body["errors"]["parent_id"].is_object(), "{body}");
    }

    // Nothing refused changed anything.
    let stored: Value = admin
        .api(Method::GET, &format!("/channels/{general}/messages/{id}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored["content"], "mine");
    assert_eq!(stored["pinned"], false);
    let history: Value = admin
        .api(Method::GET, &format!("/channels/{general}/messages"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history.as_array().unwrap().len(), 1);

    // `null` where Discord's spec allows it (`tts`, `enforce_nonce`, `allowed_mentions.users`) means the default.
    let nulls = json!({"content": "nulls", "tts": null, "enforce_nonce": null, "allowed_mentions": {"users": null}});
    let (status, body) = status_and_code(bot.send(Method::POST, &messages, |r| r.json(&nulls)).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["tts"], false);
    // py-cord waits for the default soundboard sounds before it is ready: an empty list, not a 404.
    let (status, body) =
        status_and_code(bot.send(Method::GET, "/api/v10/soundboard-default-sounds", |r| r).await).await;
    assert_eq!((status, body), (200, json!([])));
    let app: Value = bot
        .send(Method::GET, "/api/v10/oauth2/applications/@me", |r| r)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(app["flags"], (1 << 12) | (1 << 14) | (1 << 18));
    server.stop();
}

#[tokio::test]
async fn uploads_are_served_safely_and_search_respects_permissions() {
    let instance = Instance::new("");
    let token = create_bot(&instance, "searchbot");
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let (guild, general) = admin.home().await;
    let staff: Value = admin
        .api(
            Method::POST,
            &format!("/guilds/{guild}/channels"),
            Some(json!({"name": "staff", "permission_overwrites": [{"id": guild, "type": 0, "deny": "1024"}]})),
        )
        .await
        .json()
        .await
        .unwrap();
    let staff = staff["id"].as_str().unwrap().to_owned();

    // The browser uploads with multipart and the CSRF header.
    let csrf = admin.csrf();
    let upload = |name: &'static str, bytes: &'static [u8]| {
        reqwest::multipart::Form::new()
            .text("payload_json", json!({"content": "files"}).to_string())
            .part("files[0]", reqwest::multipart::Part::bytes(bytes).file_name(name))
    };
    let sent = admin
        .send(Method::POST, &format!("/api/v10/channels/{general}/messages"), |r| {
            r.header("x-csrf-token", &csrf)
                .multipart(upload("evil.html", b"<script>alert(1)</script>"))
        })
        .await;
    assert_eq!(sent.status(), 200);
    let sent: Value = sent.json().await.unwrap();
    let url = sent["attachments"][0]["url"].as_str().unwrap().to_owned();
    let file = admin.get(&url).await;
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "application/octet-stream");
    assert!(
        file.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );
    assert!(
        file.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    assert_eq!(file.headers()["x-content-type-options"], "nosniff");
    assert_eq!(file.bytes().await.unwrap().as_ref(), b"<script>alert(1)</script>");
    let image = admin
        .send(Method::POST, &format!("/api/v10/channels/{general}/messages"), |r| {
            r.header("x-csrf-token", &csrf)
                .multipart(upload("dot.png", b"\x89PNG\r\n\x1a\n"))
        })
        .await
        .json::<Value>()
        .await
        .unwrap();
    let png = admin.get(image["attachments"][0]["url"].as_str().unwrap()).await;
    assert_eq!(png.headers()["content-type"], "image/png");
    assert!(
        png.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("inline;")
    );
    // The link is absolute and signed: a plain GET works without a token, as libraries download from Discord's
    // CDN; without the signature, or with a changed one, strangers get nothing.
    assert!(
        url.starts_with(&format!("{}/attachments/{general}/", server.base)),
        "{url}"
    );
    assert_eq!(
        Browser::new(&server.base).get(&url).await.status(),
        200,
        "a signed link works alone"
    );
    let (path, _) = url.split_once('?').unwrap();
    assert_eq!(
        Browser::new(&server.base).get(path).await.status(),
        401,
        "strangers get nothing unsigned"
    );
    let last = url.chars().last().unwrap();
    let tampered = format!("{}{}", &url[..url.len() - 1], if last == '0' { '1' } else { '0' });
    assert_eq!(
        Browser::new(&server.base).get(&tampered).await.status(),
        401,
        "a changed signature"
    );
    let png_url = image["attachments"][0]["url"].as_str().unwrap();
    let (_, png_query) = png_url.split_once('?').unwrap();
    let borrowed = format!("{path}?{png_query}");
    assert_eq!(
        Browser::new(&server.base).get(&borrowed).await.status(),
        401,
        "another file's signature"
    );

    // Search: the admin finds both; the bot cannot see the staff channel's message.
    admin
        .api(
            Method::POST,
            &format!("/channels/{general}/messages"),
            Some(json!({"content": "the quick brown fox"})),
        )
        .await;
    admin
        .api(
            Method::POST,
            &format!("/channels/{staff}/messages"),
            Some(json!({"content": "a quick secret"})),
        )
        .await;
    let found: Value = admin
        .api(
            Method::GET,
            &format!("/guilds/{guild}/messages/search?content=quick"),
            None,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["total_results"], 2);
    let mut bot = Browser::new(&server.base).with_header("authorization", &format!("Bot {token}"));
    let found: Value = bot
        .get(&format!("/api/v10/guilds/{guild}/messages/search?content=quick"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["total_results"], 1);
    assert_eq!(found["messages"][0][0]["content"], "the quick brown fox");
    let odd: Value = bot
        .get(&format!(
            "/api/v10/guilds/{guild}/messages/search?content=%22)%20OR%20*"
        ))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        odd["total_results"].is_number(),
        "FTS syntax in a query is treated as text: {odd}"
    );
    server.stop();
}

#[tokio::test]
async fn enforce_nonce_deduplicates_retries() {
    let instance = Instance::new("[api]\nroute_limit = 1000\n");
    let token = create_bot(&instance, "noncebot");
    let server = instance.serve();
    let mut bot = Browser::new(&server.base).with_header("authorization", &format!("Bot {token}"));
    let (_, general) = bot.home().await;
    let url = format!("/api/v10/channels/{general}/messages");
    let body = json!({"content": "once", "nonce": "12345", "enforce_nonce": true});
    let first: Value = bot
        .send(Method::POST, &url, |r| r.json(&body))
        .await
        .json()
        .await
        .unwrap();
    let again: Value = bot
        .send(Method::POST, &url, |r| r.json(&body))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        first["id"], again["id"],
        "a retried send with the same nonce is not posted twice"
    );
    assert_eq!(first["nonce"], "12345");
    let loose = json!({"content": "twice", "nonce": "999"});
    let a: Value = bot
        .send(Method::POST, &url, |r| r.json(&loose))
        .await
        .json()
        .await
        .unwrap();
    let b: Value = bot
        .send(Method::POST, &url, |r| r.json(&loose))
        .await
        .json()
        .await
        .unwrap();
    assert_ne!(a["id"], b["id"], "without enforce_nonce the nonce is only echoed");
    let history: Value = bot.get(&format!("{url}?limit=10")).await.json().await.unwrap();
    assert_eq!(history.as_array().unwrap().len(), 3);

    // Parallel retries cannot race past the check: four at once with one nonce, ten times over, store ten.
    let client = reqwest::Client::new();
    for trial in 0..10 {
        let body = json!({"content": format!("race {trial}"), "nonce": format!("race-{trial}"), "enforce_nonce": true});
        let sends = (0..4).map(|_| {
            client
                .post(format!("{}{url}", server.base))
                .header("authorization", format!("Bot {token}"))
                .json(&body)
                .send()
        });
        let mut ids = Vec::new();
        for response in futures_util::future::join_all(sends).await {
            let response = response.unwrap();
            assert_eq!(response.status(), 200);
            let sent: Value = response.json().await.unwrap();
            ids.push(sent["id"].as_str().unwrap().to_owned());
        }
        ids.dedup();
        assert_eq!(
            ids.len(),
            1,
            "trial {trial}: every retry answered with the first message"
        );
    }
    let history: Value = bot.get(&format!("{url}?limit=100")).await.json().await.unwrap();
    let raced = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["content"].as_str().unwrap().starts_with("race "))
        .count();
    assert_eq!(raced, 10, "one message per nonce");
    server.stop();
}

/// An upload refused before its body is read (401, 429, 413) reaches the client as that status: spot reads the
/// rest of the body instead of resetting the connection under a client that is still sending (once, discord.js
/// saw a broken pipe instead of a 429 and could not back off).
#[tokio::test]
async fn early_answers_reach_uploaders_as_statuses() {
    let instance =
        Instance::new("[api]\nroute_limit = 1\nroute_window = \"60s\"\n[chat]\nmax_upload_bytes = 12000000\n");
    let token = create_bot(&instance, "uploadbot");
    let other = create_bot(&instance, "otherbot");
    let server = instance.serve();
    let mut bot = Browser::new(&server.base).with_header("authorization", &format!("Bot {token}"));
    let (_, general) = bot.home().await;
    let messages = format!("/api/v10/channels/{general}/messages");
    // Bigger than the loopback socket buffers, so the client is still sending when the answer comes.
    let big = vec![b'x'; 10 * 1024 * 1024];
    let upload = |bytes: Vec<u8>| {
        reqwest::multipart::Form::new()
            .text("payload_json", json!({"content": "big"}).to_string())
            .part("files[0]", reqwest::multipart::Part::bytes(bytes).file_name("big.bin"))
    };
    let client = reqwest::Client::new();
    let send = |authorization: String, bytes: Vec<u8>| {
        client
            .post(format!("{}{messages}", server.base))
            .header("authorization", authorization)
            .multipart(upload(bytes))
            .send()
    };

    let wrong = send("Bot wrong".into(), big.clone())
        .await
        .expect("a 401, not a broken pipe");
    assert_eq!(wrong.status(), 401);
    let first = send(format!("Bot {token}"), b"small".to_vec()).await.unwrap();
    assert_eq!(first.status(), 200);
    let limited = send(format!("Bot {token}"), big.clone())
        .await
        .expect("a 429, not a broken pipe");
    assert_eq!(limited.status(), 429);
    // Retry-After is whole seconds, as HTTP has it; the body keeps the precise wait.
    let retry_after = limited.headers()["retry-after"].to_str().unwrap().to_owned();
    assert!(
        retry_after.parse::<u64>().is_ok_and(|s| s >= 1),
        "Retry-After: {retry_after}"
    );
    let body: Value = limited.json().await.unwrap();
    assert!(body["retry_after"].as_f64().is_some(), "{body}");
    // Respelling the header (extra spaces) is the same caller, not a fresh bucket.
    for spelling in [
        format!("Bot  {token}"),
        format!("Bot {token}  "),
        format!("Bot \t{token}"),
    ] {
        let again = send(spelling.clone(), b"small".to_vec()).await.unwrap();
        assert_eq!(again.status(), 429, "{spelling:?}");
    }
    // Over the upload limit (another bot: its own rate-limit bucket).
    let huge = send(format!("Bot {other}"), vec![b'x'; 14_000_000])
        .await
        .expect("a 413, not a broken pipe");
    assert_eq!(huge.status(), 413);
    // Nothing refused was stored; the server keeps serving.
    let history: Value = bot.get(&format!("{messages}?limit=10")).await.json().await.unwrap();
    assert_eq!(history.as_array().map(Vec::len), Some(1), "{history}");
    server.stop();
}

/// Files a killed server wrote without storing their message (and half-written ones) are removed at the next
/// start; the files of stored messages stay and are served.
#[tokio::test]
async fn orphaned_uploads_are_swept_at_start() {
    let instance = Instance::new("");
    let token = create_bot(&instance, "sweepbot");
    let server = instance.serve();
    let mut bot = Browser::new(&server.base).with_header("authorization", &format!("Bot {token}"));
    let (_, general) = bot.home().await;
    let form = reqwest::multipart::Form::new()
        .text("payload_json", json!({"content": "kept"}).to_string())
        .part(
            "files[0]",
            reqwest::multipart::Part::bytes(b"kept bytes".to_vec()).file_name("kept.txt"),
        );
    let sent: Value = bot
        .send(Method::POST, &format!("/api/v10/channels/{general}/messages"), |r| {
            r.multipart(form)
        })
        .await
        .json()
        .await
        .unwrap();
    let kept_id = sent["attachments"][0]["id"].as_str().unwrap().to_owned();
    server.stop();

    let dir = instance.data_dir().join("attachments");
    std::fs::write(dir.join("1234567890123456789"), b"orphan").unwrap();
    std::fs::write(dir.join(".1234567890123456790.part"), b"half").unwrap();
    let server = instance.serve();
    assert!(!dir.join("1234567890123456789").exists(), "an orphan is removed");
    assert!(
        !dir.join(".1234567890123456790.part").exists(),
        "a half-written file is removed"
    );
    assert!(dir.join(&kept_id).exists(), "a stored message's file stays");
    let mut bot = Browser::new(&server.base).with_header("authorization", &format!("Bot {token}"));
    let message: Value = bot
        .get(&format!("/api/v10/channels/{general}/messages?limit=1"))
        .await
        .json()
        .await
        .unwrap();
    let file = bot.get(message[0]["attachments"][0]["url"].as_str().unwrap()).await;
    assert_eq!(file.bytes().await.unwrap().as_ref(), b"kept bytes");
    server.stop();
}
