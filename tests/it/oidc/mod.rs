//! Single sign-on against real OpenID Providers: npm's `oidc-provider` for every happy path (driven through
//! headless Chromium), and a deliberately broken provider (`tests/oidc/fake_op.mjs`) for forged tokens.
//! Both run on loopback, started by the tests; `make test` installs them (`npm ci` in `tests/oidc`) and
//! Debian's chromium.

mod attacks;
mod flows;
mod forged;
mod password_off;

use std::net::TcpListener;
use std::process::Command;
use std::time::Duration;

use serde_json::Value;

use crate::support::{BotProcess, Browser, Instance, Server, repo_root};

/// The provider's name in spot.toml (and in the redirect URI oidc-provider has registered).
pub const IDP: &str = "idp";
/// The provider's name as shown (the button says "Sign in with Test IdP").
pub const LABEL: &str = "Test IdP";

/// A port that was free a moment ago (spot's URL must be known before the provider registers it).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A node script from `tests/oidc/` as a process reporting JSON lines.
fn node(script: &str, args: &[&str], envs: &[(&str, &str)]) -> BotProcess {
    let mut command = Command::new("node");
    command.arg(repo_root().join("tests/oidc").join(script)).args(args);
    for (key, value) in envs {
        command.env(key, value);
    }
    BotProcess::start(command)
}

/// oidc-provider, with a client whose redirect URI is on `spot`.
pub struct RealProvider {
    _process: BotProcess,
    pub issuer: String,
}

impl RealProvider {
    pub fn start(spot: &str) -> Self {
        let mut process = node("provider.mjs", &[], &[("SPOT_BASE", spot), ("SPOT_PROVIDER", IDP)]);
        let ready = process.expect("ready", Duration::from_secs(30));
        Self {
            issuer: ready["issuer"].as_str().unwrap().to_owned(),
            _process: process,
        }
    }

    /// The `[oidc.providers.idp]` table for this provider, plus `extra` keys.
    pub fn config(&self, extra: &str) -> String {
        format!(
            "[oidc.providers.{IDP}]\nissuer = \"{}\"\nclient_id = \"spot\"\nclient_secret = \"spot-test-secret\"\n\
             label = \"{LABEL}\"\nscopes = [\"openid\", \"profile\", \"email\", \"groups\"]\n{extra}",
            self.issuer
        )
    }
}

/// A spot instance on a port chosen in advance, with an identity provider configured by `oidc` (TOML).
pub fn spot_on(port: u16, oidc: &str) -> (Instance, Server) {
    let instance = Instance::new(&format!("[server]\nlisten = \"127.0.0.1:{port}\"\n{oidc}"));
    let server = instance.serve();
    assert_eq!(server.base, format!("http://127.0.0.1:{port}"));
    (instance, server)
}

/// Runs the browser driver (`tests/oidc/browser.mjs`) with `steps` and collects its reports by name.
pub fn browse(base: &str, steps: Value) -> serde_json::Map<String, Value> {
    let mut process = node("browser.mjs", &[&steps.to_string()], &[("SPOT_URL", base)]);
    process.expect("done", Duration::from_secs(120));
    let mut reports = serde_json::Map::new();
    for seen in &process.seen {
        if let Value::Object(map) = seen {
            reports.extend(map.clone());
        }
    }
    reports
}

/// Steps that sign in at oidc-provider's login page as `user` and give consent.
pub fn provider_login(user: &str) -> Vec<Value> {
    serde_json::json!([
        {"wait_url": "/interaction/"},
        {"fill": ["input[name=login]", user]},
        {"fill": ["input[name=password]", "any password works here"]},
        {"click": "button.login-submit"},
        {"wait_url": "/interaction/"},
        {"click": "button:has-text('Continue')"},
    ])
    .as_array()
    .unwrap()
    .clone()
}

/// `[start, provider login as user, then]` as one list of steps.
pub fn steps(start: Value, user: &str, then: Value) -> Value {
    let mut all = start.as_array().unwrap().clone();
    all.extend(provider_login(user));
    all.extend(then.as_array().unwrap().clone());
    Value::Array(all)
}

/// A test browser carrying the cookies a Chromium run reported.
pub fn browser_with(server: &Server, cookies: &Value) -> Browser {
    let mut browser = server.browser();
    for (name, value) in cookies.as_object().unwrap() {
        browser.cookies.insert(name.clone(), value.as_str().unwrap().to_owned());
    }
    browser
}

/// The provider URL on the page that moves a browser on to the provider (after `POST …/start`).
pub async fn provider_url(response: reqwest::Response) -> String {
    assert_eq!(response.status(), 200, "the start page");
    let page = response.text().await.unwrap();
    let start = page.find("content=\"0;url=").expect("a refresh to the provider") + "content=\"0;url=".len();
    let end = start + page[start..].find('"').unwrap();
    unescape(&page[start..end])
}

/// Undoes HTML escaping of an attribute value (askama writes `&` as `&#38;`).
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let end = at + rest[at..].find(';').expect("an entity ends with ;");
        let entity = &rest[at + 1..end];
        let code = match entity {
            "amp" => 38,
            "quot" => 34,
            "lt" => 60,
            "gt" => 62,
            _ => entity
                .strip_prefix('#')
                .and_then(|n| n.parse::<u32>().ok())
                .expect("a numeric entity"),
        };
        out.push(char::from_u32(code).unwrap());
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The `users/@me` status of a browser: 200 signed in, 401 not.
pub async fn signed_in(browser: &mut Browser) -> Option<String> {
    let (status, me) = browser.me().await;
    (status == 200).then(|| me["username"].as_str().unwrap().to_owned())
}
