//! Link previews: links in messages grow Discord-shaped embeds in the background (MESSAGE_UPDATE), images come
//! through spot's own proxy, and nothing a member posts makes spot reach this machine or the home network.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use crate::fixture::{Canary, Fixture};
use crate::gw::Gw;
use crate::support::{ADMIN, ADMIN_PASSWORD, Browser, Instance, Server, create_bot};

/// Raised rate limits (these tests post quickly) and a short fetch deadline (one fixture never answers).
const CONFIG: &str = "[api]\nroute_limit = 1000\nglobal_per_second = 1000\n[fetch]\ntimeout = \"2s\"\n";

/// Starts spot with the test-only allowance for the fixture's port and, optionally, an extra allowed port.
fn serve(instance: &Instance, fixture: &Fixture, extra_port: Option<u16>) -> Server {
    let mut command = instance.spot(&["serve"]);
    command.env("SPOT_TEST_ONLY_UNSAFE_FETCH_LOOPBACK_PORT", fixture.port.to_string());
    if let Some(port) = extra_port {
        command.env("SPOT_FETCH_ALLOWED_PORTS", port.to_string());
    }
    Server::start(command)
}

async fn post(bot: &mut Browser, channel: &str, content: &str) -> Value {
    let response = bot
        .send(Method::POST, &format!("/api/v10/channels/{channel}/messages"), |r| {
            r.json(&json!({"content": content}))
        })
        .await;
    assert_eq!(response.status(), 200, "posting {content}");
    response.json().await.unwrap()
}

/// Polls a message until it has `count` embeds, or fails after `timeout`.
async fn embeds_of(bot: &mut Browser, channel: &str, id: &str, count: usize, timeout: Duration) -> Vec<Value> {
    let end = Instant::now() + timeout;
    loop {
        let message: Value = bot
            .send(
                Method::GET,
                &format!("/api/v10/channels/{channel}/messages/{id}"),
                |r| r,
            )
            .await
            .json()
            .await
            .unwrap();
        let embeds = message["embeds"].as_array().cloned().unwrap_or_default();
        if embeds.len() >= count || Instant::now() > end {
            assert_eq!(embeds.len(), count, "embeds of {}: {embeds:?}", message["content"]);
            return embeds;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn links_unfurl_into_embeds_with_proxied_images() {
    let fixture = Fixture::start().await;
    let instance = Instance::new(CONFIG);
    let token = create_bot(&instance, "previewbot");
    let server = serve(&instance, &fixture, None);
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let (_, general) = admin.home().await;
    let mut bot = Browser::new(&server.base).with_header("authorization", &format!("Bot {token}"));
    let mut gw = Gw::connect(&server, "v=10&encoding=json").await;
    gw.identify(&format!("Bot {token}"), (1 << 9) | (1 << 15)).await;

    // A page with OpenGraph, a Twitter large-image card, a theme colour and an oEmbed document.
    let article = fixture.url("/article");
    let message = post(&mut bot, &general, &format!("look at {article}!")).await;
    assert_eq!(
        message["embeds"],
        json!([]),
        "the message is stored and sent before any fetch"
    );
    let update = gw.dispatch("MESSAGE_UPDATE").await;
    assert_eq!(update["d"]["id"], message["id"]);
    let embed = &update["d"]["embeds"][0];
    assert_eq!(embed["type"], "article", "{embed}");
    assert_eq!(embed["url"], article);
    assert_eq!(embed["title"], "A \"fixture\" article");
    assert_eq!(
        embed["description"],
        "It has a description, an image and an oEmbed document."
    );
    assert_eq!(embed["provider"]["name"], "Fixture & Co");
    assert_eq!(embed["author"]["name"], "Fixture Author");
    assert_eq!(embed["color"], 0x3366ff);
    assert_eq!(embed["image"]["url"], fixture.url("/cover.png"));
    assert_eq!(
        (embed["image"]["width"].as_u64(), embed["image"]["height"].as_u64()),
        (Some(1200), Some(630))
    );

    // spot says who it is and sends nothing of anyone's: no cookies, credentials or referrer.
    let seen = fixture.hits.headers.lock().unwrap().get("/article").cloned().unwrap();
    let agent = seen["user-agent"].to_str().unwrap();
    assert!(agent.contains("spot/") && agent.contains("link previews"), "{agent}");
    for header in ["cookie", "authorization", "referer", "proxy-authorization"] {
        assert!(!seen.contains_key(header), "sent {header}");
    }
    assert!(
        fixture.hits.headers.lock().unwrap()["/cover.png"]
            .get("referer")
            .is_none()
    );

    // The image is served by spot itself, to signed-in members only, and only for links spot signed.
    let proxy = embed["image"]["proxy_url"].as_str().unwrap().to_owned();
    assert!(proxy.starts_with("/external/"), "{proxy}");
    let hits_before = fixture.hits.of("/cover.png");
    let image = admin.get(&proxy).await;
    assert_eq!(image.status(), 200);
    assert_eq!(image.headers()["content-type"], "image/png");
    assert_eq!(image.headers()["x-content-type-options"], "nosniff");
    assert_eq!(&image.bytes().await.unwrap()[..], &crate::fixture::png(1200, 630)[..]);
    assert_eq!(
        fixture.hits.of("/cover.png"),
        hits_before,
        "served from the proxy's cache"
    );
    let anonymous = Browser::new(&server.base).get(&proxy).await;
    assert_eq!(anonymous.status(), 401);
    let mut forged = proxy.clone();
    forged.replace_range(10..12, if &proxy[10..12] == "00" { "11" } else { "00" });
    assert_eq!(admin.get(&forged).await.status(), 404);

    // The same link again comes from the cache: no second fetch.
    let page_hits = fixture.hits.of("/article");
    let again = post(&mut bot, &general, &article).await;
    let embeds = embeds_of(
        &mut bot,
        &general,
        again["id"].as_str().unwrap(),
        1,
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(embeds[0]["title"], "A \"fixture\" article");
    assert_eq!(fixture.hits.of("/article"), page_hits);

    // Direct media links, a title-only page, an image that is not one; suppressed and code-span links skipped.
    let photo = fixture.url("/photo.png");
    let clip = fixture.url("/clip.mp4");
    let song = fixture.url("/song.ogg");
    let content = format!(
        "{photo} {clip} {song} {} {} <{}> `{}`",
        fixture.url("/plain"),
        fixture.url("/fake-image-page"),
        fixture.url("/article?suppressed"),
        fixture.url("/article?code"),
    );
    let media = post(&mut bot, &general, &content).await;
    let media_id = media["id"].as_str().unwrap().to_owned();
    let embeds = embeds_of(&mut bot, &general, &media_id, 5, Duration::from_secs(10)).await;
    assert_eq!(embeds[0]["type"], "image");
    assert_eq!(embeds[0]["thumbnail"]["width"], 64);
    assert!(
        embeds[0]["thumbnail"]["proxy_url"]
            .as_str()
            .unwrap()
            .starts_with("/external/")
    );
    assert_eq!(
        (embeds[1]["type"].as_str(), embeds[1]["video"]["url"].as_str()),
        (Some("video"), Some(clip.as_str()))
    );
    assert_eq!(
        (embeds[2]["type"].as_str(), embeds[2]["title"].as_str()),
        (Some("audio"), Some("song.ogg"))
    );
    assert_eq!(
        (embeds[3]["type"].as_str(), embeds[3]["title"].as_str()),
        (Some("link"), Some("Just a title"))
    );
    assert_eq!(embeds[4]["title"], "Fake image");
    assert!(
        embeds[4].get("thumbnail").is_none() && embeds[4].get("image").is_none(),
        "{}",
        embeds[4]
    );
    assert_eq!(fixture.hits.of("/fake.png"), 1);

    // The author removes the previews (SUPPRESS_EMBEDS) and brings them back.
    let path = format!("/api/v10/channels/{general}/messages/{media_id}");
    let suppressed: Value = bot
        .send(Method::PATCH, &path, |r| r.json(&json!({"flags": 4})))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (suppressed["flags"].as_i64(), suppressed["embeds"].clone()),
        (Some(4), json!([]))
    );
    let shown: Value = bot
        .send(Method::PATCH, &path, |r| r.json(&json!({"flags": 0})))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(shown["embeds"].as_array().map(Vec::len), Some(5));

    // Editing the text replaces the previews with those of the new links.
    let edited: Value = bot
        .send(Method::PATCH, &path, |r| {
            r.json(&json!({"content": format!("now only {}", fixture.url("/plain"))}))
        })
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(edited["embeds"], json!([]), "old previews go with the old text");
    let embeds = embeds_of(&mut bot, &general, &media_id, 1, Duration::from_secs(10)).await;
    assert_eq!(embeds[0]["title"], "Just a title");

    // A message posted with SUPPRESS_EMBEDS is never fetched for.
    let hits = fixture.hits.of("/article");
    let quiet: Value = bot
        .send(Method::POST, &format!("/api/v10/channels/{general}/messages"), |r| {
            r.json(&json!({"content": format!("{article}?quiet"), "flags": 4}))
        })
        .await
        .json()
        .await
        .unwrap();
    // A later message's preview is what proves the unfurler has gone past the quiet one: a job for the quiet
    // message would have been queued first.
    let later: Value = bot
        .send(Method::POST, &format!("/api/v10/channels/{general}/messages"), |r| {
            r.json(&json!({"content": format!("after it: {}", fixture.url("/plain"))}))
        })
        .await
        .json()
        .await
        .unwrap();
    embeds_of(
        &mut bot,
        &general,
        later["id"].as_str().unwrap(),
        1,
        Duration::from_secs(10),
    )
    .await;
    assert_eq!(fixture.hits.of("/article"), hits);
    assert_eq!(
        embeds_of(&mut bot, &general, quiet["id"].as_str().unwrap(), 0, Duration::ZERO)
            .await
            .len(),
        0
    );
}

/// Every way to spell "this machine" or "the home network", directly and behind a redirect from an allowed
/// site: none of them may ever reach the canary. Each hostile link shares a message with a good one, so the
/// preview of the good link arriving proves the hostile one was dealt with.
#[tokio::test]
async fn no_link_reaches_loopback_or_the_home_network() {
    let fixture = Fixture::start().await;
    let canary = Canary::start().await;
    let instance = Instance::new(CONFIG);
    let token = create_bot(&instance, "ssrfbot");
    // The canary's port is allowed, so only the address rules stand between a link and the canary.
    let server = serve(&instance, &fixture, Some(canary.port));
    let mut bot = Browser::new(&server.base).with_header("authorization", &format!("Bot {token}"));
    let (_, general) = bot.home().await;

    let p = canary.port;
    let direct: Vec<String> = [
        "127.0.0.1",
        "127.1",
        "0.0.0.0",
        "2130706433",
        "0x7f000001",
        "0177.0.0.1",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "[::ffff:7f00:1]",
        "169.254.169.254",
        "10.0.0.1",
        "100.64.0.1",
        "192.168.1.1",
        "[fc00::1]",
        "[fe80::1]",
        "localhost",
        "localhost.",
        "127.0.0.1.",
        "[::]",
    ]
    .iter()
    .map(|host| format!("http://{host}:{p}/canary"))
    .collect();
    let mut hostile = direct.clone();
    let encode = |u: &str| url_escape(u);
    for target in direct
        .iter()
        .map(String::as_str)
        .chain(["file:///etc/passwd", &format!("gopher://127.0.0.1:{p}/")])
    {
        hostile.push(fixture.url(&format!("/redirect?to={}", encode(target))));
    }
    hostile.push(fixture.url("/loop/0"));
    hostile.push(fixture.url("/chain/0"));
    hostile.push(fixture.url("/hang"));
    hostile.push(fixture.url("/endless"));

    let good = fixture.url("/photo.png");
    let mut posted = Vec::new();
    for link in &hostile {
        let message = post(&mut bot, &general, &format!("{link} {good}")).await;
        posted.push((link.clone(), message["id"].as_str().unwrap().to_owned()));
    }
    for (link, id) in &posted {
        // The endless page is read up to the HTML cap, which holds its <head>: it gets a preview of its own.
        let endless = link.ends_with("/endless");
        let embeds = embeds_of(
            &mut bot,
            &general,
            id,
            if endless { 2 } else { 1 },
            Duration::from_secs(15),
        )
        .await;
        if endless {
            assert_eq!(embeds[0]["title"], "Endless");
        }
        assert_eq!(
            embeds.last().unwrap()["url"],
            good.as_str(),
            "{link} produced {embeds:?}"
        );
    }
    assert_eq!(canary.count(), 0, "a link reached the loopback canary");
    let endless = fixture.hits.endless_bytes.load(Ordering::Relaxed);
    assert!(endless < 16 * 1024 * 1024, "read {endless} bytes of an endless body");
    assert_eq!(
        (fixture.hits.of("/loop/0"), fixture.hits.of("/loop/1")),
        (1, 1),
        "a redirect loop is noticed"
    );
    let chain: usize = (0..10).map(|n| fixture.hits.of(&format!("/chain/{n}"))).sum();
    assert_eq!(chain, 6, "the first request and 5 redirects, no more");

    // The server is still fine for everyone.
    let after = post(&mut bot, &general, "still here").await;
    assert_eq!(after["content"], "still here");
}

fn url_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Previews in the web client (`tests/web/previews.spec.mjs`, headless Chromium): the card renders, its image
/// comes through the proxy, and the page never contacts the linked site until someone presses "Play".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn previews_render_in_the_browser_without_contacting_the_site() {
    let fixture = Fixture::start().await;
    let instance = Instance::new(CONFIG);
    crate::support::create_user(&instance, "pia", "pia password 1", false);
    let server = serve(&instance, &fixture, None);
    let artifacts = crate::support::repo_root().join("target/web-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let mut command = std::process::Command::new("node");
    command
        .arg(crate::support::repo_root().join("tests/web/previews.spec.mjs"))
        .env("SPOT_URL", &server.base)
        .env("SPOT_CHROMIUM", "/usr/bin/chromium")
        .env("SPOT_ARTIFACTS", &artifacts)
        .env("SPOT_FIXTURE", fixture.url(""))
        .env("SPOT_USER", "pia")
        .env("SPOT_PASSWORD", "pia password 1");
    let mut browser = crate::support::BotProcess::start(command);
    for step in ["card", "private", "play", "done"] {
        assert_eq!(
            browser.expect(step, Duration::from_secs(90)),
            json!(true),
            "step {step}"
        );
    }
    assert!(browser.wait(Duration::from_secs(30)), "the browser script failed");
}
