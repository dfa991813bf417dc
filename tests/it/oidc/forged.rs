//! Forged and broken answers, from a provider that misbehaves on purpose (`tests/oidc/fake_op.mjs`): each is
//! refused with a page that names the problem, no session and no account. The `good` mode, and the modes that
//! must pass (a rotated key, a clock a little ahead), show the refusals come from the one thing each breaks.

use std::time::Duration;

use super::{free_port, provider_url, signed_in, spot_on};
use crate::support::{BotProcess, Browser, Server, repo_root};

/// Every mode, as a provider named after it (auto-create, so a token that passed would make an account).
const MODES: &[&str] = &[
    "good",
    "nonce",
    "aud",
    "expired",
    "skewok",
    "lateok",
    "future",
    "iss",
    "unknownkid",
    "badsig",
    "rotate",
    "mixup",
    "cbiss",
    "denied",
];

fn fake_op() -> (BotProcess, String) {
    let mut command = std::process::Command::new("node");
    command.arg(repo_root().join("tests/oidc/fake_op.mjs"));
    let mut process = BotProcess::start(command);
    let ready = process.expect("ready", Duration::from_secs(30));
    let base = ready["base"].as_str().unwrap().to_owned();
    (process, base)
}

fn config(base: &str) -> String {
    // Seventeen sign-ins from one address: more than the default login limit allows.
    let mut text = String::from("[security]\nlogin_ip_burst = 100\n[oidc]\nclock_leeway = \"1m\"\n");
    for mode in MODES {
        text.push_str(&format!(
            "[oidc.providers.{mode}]\nissuer = \"{base}/{mode}\"\nclient_id = \"spot\"\nclient_secret = \"s\"\n\
             policy = \"auto-create\"\n"
        ));
    }
    // A provider nobody listens for.
    text.push_str(&format!(
        "[oidc.providers.down]\nissuer = \"http://127.0.0.1:{}/\"\nclient_id = \"spot\"\nclient_secret = \"s\"\n",
        free_port()
    ));
    text
}

/// The whole flow with `provider` in a fresh browser: start, the provider's answer, the callback. Returns the
/// browser, the callback's status and the page.
async fn sign_in(server: &Server, provider: &str) -> (Browser, u16, String) {
    let mut browser = server.browser();
    assert_eq!(browser.get("/login").await.status(), 200);
    let url = provider_url(browser.submit(&format!("/auth/oidc/{provider}/start"), &[]).await).await;
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let answer = plain.get(&url).send().await.unwrap();
    assert_eq!(
        answer.status(),
        302,
        "{provider}: the fake provider answers at once ({url})"
    );
    let back = answer.headers()["location"].to_str().unwrap().to_owned();
    let path = back.strip_prefix(&server.base).expect("back to spot").to_owned();
    let response = browser.get(&path).await;
    let status = response.status().as_u16();
    (browser, status, response.text().await.unwrap())
}

#[tokio::test]
async fn forged_tokens_and_broken_providers_are_refused() {
    let (_op, base) = fake_op();
    let port = free_port();
    let (instance, server) = spot_on(port, &config(&base));

    // The control: a correct token signs in (and creates the account).
    for good in ["good", "skewok", "lateok", "rotate"] {
        let (mut browser, status, page) = sign_in(&server, good).await;
        assert_eq!(status, 303, "{good}: {page}");
        assert_eq!(signed_in(&mut browser).await, Some(format!("fake_{good}")), "{good}");
    }

    let refused = [
        ("nonce", 400, "wrong nonce"),
        ("aud", 400, "issued for another application"),
        ("expired", 400, "has expired or is not valid yet"),
        ("future", 400, "has expired or is not valid yet"),
        ("iss", 400, "did not come from iss&#39;s issuer"),
        ("unknownkid", 400, "signature does not match"),
        ("badsig", 400, "signature does not match"),
        ("cbiss", 400, "did not come from"),
        ("denied", 403, "You did not allow spot"),
    ];
    for (mode, expected, words) in refused {
        let (mut browser, status, page) = sign_in(&server, mode).await;
        assert_eq!(status, expected, "{mode}: {page}");
        assert!(page.contains(words), "{mode}: {words:?} not in {page}");
        assert!(page.contains("href=\"/login\""), "{mode}: a way back");
        assert!(
            !browser.cookies.contains_key("spot_session"),
            "{mode} set a session cookie"
        );
        assert_eq!(signed_in(&mut browser).await, None, "{mode}");
    }

    // A discovery document for another issuer, and a provider that is down: the start page says so.
    for (provider, words) in [("mixup", "could not be reached"), ("down", "could not be reached")] {
        let mut browser = server.browser();
        browser.get("/login").await;
        let response = browser.submit(&format!("/auth/oidc/{provider}/start"), &[]).await;
        assert_eq!(response.status(), 502, "{provider}");
        assert!(response.text().await.unwrap().contains(words), "{provider}");
    }
    server.stop();

    // Only the good sign-ins made accounts.
    let list = String::from_utf8(instance.run(&["user", "list"]).stdout).unwrap();
    let made: Vec<&str> = list
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .filter(|n| n.starts_with("fake_"))
        .collect();
    assert_eq!(
        made,
        ["fake_good", "fake_skewok", "fake_lateok", "fake_rotate"],
        "{list}"
    );
}
