//! The fast tier's server: the real router over a real SQLite file, driven in-process with `oneshot` (no
//! socket, no child process), on a [`ManualClock`] the test moves.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, Response};
use serde_json::Value;
use spot::app::AppState;
use spot::clock::{Clock, ManualClock};
use spot::config::Config;
use spot::store::Store;
use tower::ServiceExt;

pub const ADMIN: &str = "ada";
pub const PASSWORD: &str = "correct horse battery";
/// 2026-01-01T00:00:00Z.
pub const START_MS: i64 = 1_767_225_600_000;

/// One in-process server.
pub struct App {
    pub state: AppState,
    pub clock: Arc<ManualClock>,
    router: Router,
    dir: PathBuf,
}

impl Drop for App {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl App {
    /// A fresh instance with an admin and the home space; `configure` adjusts the config first.
    pub async fn new(configure: impl FnOnce(&mut Config)) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "spot-fast-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let mut config = Config::default();
        config.server.data_dir = dir.clone();
        config.security.secret = "fast-tier-secret-fast-tier-secret".into();
        config.voice.udp_port = 0;
        config.music.enabled = false;
        configure(&mut config);
        let path = dir.join("spot.db");
        let store = tokio::task::spawn_blocking(move || Store::open(&path))
            .await
            .unwrap()
            .unwrap();
        let clock = Arc::new(ManualClock::new(START_MS));
        let state = AppState::new(
            config,
            store.clone(),
            clock.clone(),
            None,
            &HashMap::new(),
            "http://spot.test",
        )
        .unwrap();
        let admin = state.accounts.create_user(ADMIN, PASSWORD, true).await.unwrap();
        store
            .guild_create_home("Friends".into(), admin.id, clock.now_ms())
            .await
            .unwrap();
        let router = spot::http::router(state.clone(), spot::web::routes());
        Self {
            state,
            clock,
            router,
            dir,
        }
    }

    /// Sends one request from `peer`, as the listener would hand it over.
    pub async fn send(&self, mut request: Request<Body>, peer: [u8; 4]) -> Response<Body> {
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from((peer, 40_000))));
        self.router.clone().oneshot(request).await.unwrap()
    }

    /// A GET of `path` with these headers, from 192.0.2.1.
    pub async fn get(&self, path: &str, headers: &[(&str, &str)]) -> Response<Body> {
        let mut request = Request::get(path);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        self.send(request.body(Body::empty()).unwrap(), [192, 0, 2, 1]).await
    }

    /// A session cookie for the admin, logged in the way the login page does it.
    pub async fn admin_cookie(&self) -> String {
        let client = spot::accounts::ClientInfo {
            ip: "192.0.2.1".parse().unwrap(),
            user_agent: "fast".into(),
        };
        let (token, _) = self.state.accounts.login(ADMIN, PASSWORD, &client).await.unwrap();
        format!("spot_session={}", token.as_str())
    }
}

impl App {
    /// The CSRF token a page would hand the browser holding `cookie`.
    pub fn csrf(&self, cookie: &str) -> String {
        let token = spot::accounts::SessionToken::parse(cookie.trim_start_matches("spot_session=")).unwrap();
        spot::accounts::token::csrf_for_session(&self.state.config.security.secret, &token.hash())
    }

    /// The home guild's id and its first text channel's, as `cookie`'s holder sees them.
    pub async fn home(&self, cookie: &str) -> (String, String) {
        let guilds = json(self.get("/api/v10/users/@me/guilds", &[("cookie", cookie)]).await).await;
        let guild = guilds[0]["id"].as_str().unwrap().to_owned();
        let channels = json(
            self.get(&format!("/api/v10/guilds/{guild}/channels"), &[("cookie", cookie)])
                .await,
        )
        .await;
        let channel = channels.as_array().unwrap().iter().find(|c| c["type"] == 0).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        (guild, channel)
    }
}

/// A response's body as JSON.
pub async fn json(response: Response<Body>) -> Value {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    serde_json::from_slice(&bytes).unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&bytes)))
}

/// A response's body as text.
pub async fn text(response: Response<Body>) -> String {
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    String::from_utf8_lossy(&bytes).into_owned()
}
