//! Discord-style REST rate limits: a bucket per (caller, method + route + major id) and a global per-caller limit.
//!
//! Every API response carries `X-RateLimit-Limit`, `-Remaining`, `-Reset`, `-Reset-After`, `-Bucket` and
//! `-Scope`; a refused request gets 429 with `retry_after` and `global` in the body, `Retry-After`, and `Via`
//! (discord.py treats a 429 without `Via` as a Cloudflare ban). Both discord.py and discord.js back off on these
//! and retry by themselves. Windows are fixed and measured with the monotonic clock.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::cookies;
use super::error::ApiError;

use crate::app::AppState;
use crate::config::ApiConfig;

struct Window {
    used: u32,
    reset_at: Instant,
}

/// The buckets of every caller.
pub struct RateLimits {
    route_limit: AtomicU32,
    route_window: Duration,
    global_per_second: AtomicU32,
    routes: Mutex<HashMap<(String, String), Window>>,
    global: Mutex<HashMap<String, Window>>,
}

/// The outcome of one check.
struct Verdict {
    allowed: bool,
    global: bool,
    remaining: u32,
    reset_after: Duration,
    bucket: String,
}

impl RateLimits {
    /// Limits from `[api]`.
    pub fn new(config: &ApiConfig) -> Self {
        Self {
            route_limit: AtomicU32::new(config.route_limit),
            route_window: config.route_window.0,
            global_per_second: AtomicU32::new(config.global_per_second),
            routes: Mutex::new(HashMap::new()),
            global: Mutex::new(HashMap::new()),
        }
    }

    /// Changes the limits at run time (the admin panel); windows already open keep their counts.
    pub fn set_limits(&self, route_limit: u32, global_per_second: u32) {
        self.route_limit.store(route_limit.max(1), Ordering::Relaxed);
        self.global_per_second
            .store(global_per_second.max(1), Ordering::Relaxed);
    }

    fn check(&self, caller: &str, route: &str, now: Instant) -> Verdict {
        let bucket =
            hex::encode(&Sha256::digest(route.split(' ').take(2).collect::<Vec<_>>().join(" ").as_bytes())[..8]);
        {
            let mut global = self.global.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let window = global.entry(caller.to_owned()).or_insert(Window {
                used: 0,
                reset_at: now + Duration::from_secs(1),
            });
            if now >= window.reset_at {
                *window = Window {
                    used: 0,
                    reset_at: now + Duration::from_secs(1),
                };
            }
            if window.used >= self.global_per_second.load(Ordering::Relaxed) {
                return Verdict {
                    allowed: false,
                    global: true,
                    remaining: 0,
                    reset_after: window.reset_at - now,
                    bucket,
                };
            }
            window.used += 1;
        }
        let mut routes = self.routes.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let window = routes.entry((caller.to_owned(), route.to_owned())).or_insert(Window {
            used: 0,
            reset_at: now + self.route_window,
        });
        if now >= window.reset_at {
            *window = Window {
                used: 0,
                reset_at: now + self.route_window,
            };
        }
        let route_limit = self.route_limit.load(Ordering::Relaxed);
        let allowed = window.used < route_limit;
        if allowed {
            window.used += 1;
        }
        Verdict {
            allowed,
            global: false,
            remaining: route_limit.saturating_sub(window.used),
            reset_after: window.reset_at.saturating_duration_since(now),
            bucket,
        }
    }

    /// Forgets windows that have ended.
    pub fn prune(&self) {
        let now = Instant::now();
        self.routes
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .retain(|_, w| w.reset_at > now);
        self.global
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .retain(|_, w| w.reset_at > now);
    }
}

/// Who is calling: a hash of the bot token (as authentication reads it from the header) or of the session
/// cookie, else the client address. A header that is not a credential counts as the address: spelling it
/// differently never opens a fresh bucket.
fn caller(request: &Request) -> String {
    let credential = match request.headers().get("authorization") {
        Some(header) => header.to_str().ok().and_then(super::auth::bot_token).map(str::to_owned),
        None => cookies::get(request.headers(), cookies::SESSION).map(str::to_owned),
    };
    match credential {
        Some(secret) => hex::encode(&Sha256::digest(secret.as_bytes())[..12]),
        None => request
            .extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string()),
    }
}

/// The bucket key: method, route template, and the channel or guild id it is about.
fn route_key(request: &Request) -> String {
    let template = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("?", |m| m.as_str())
        .to_owned();
    let actual: Vec<&str> = request.uri().path().split('/').collect();
    let major = template
        .split('/')
        .zip(actual.iter())
        .find(|(t, _)| *t == "{channel_id}" || *t == "{guild_id}")
        .map_or("", |(_, a)| *a);
    format!("{} {} {}", request.method(), template, major)
}

fn headers(limit: u32, verdict: &Verdict, now_ms: i64) -> HeaderMap {
    let reset_after = verdict.reset_after.as_secs_f64();
    let reset_at = now_ms as f64 / 1000.0 + reset_after;
    let mut headers = HeaderMap::new();
    let mut put = |name: &'static str, value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    };
    put("x-ratelimit-limit", limit.to_string());
    put("x-ratelimit-remaining", verdict.remaining.to_string());
    put("x-ratelimit-reset", format!("{reset_at:.3}"));
    put("x-ratelimit-reset-after", format!("{reset_after:.3}"));
    put("x-ratelimit-bucket", verdict.bucket.clone());
    put("x-ratelimit-scope", "user".to_owned());
    headers
}

/// Middleware for the API router.
pub async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limits = &state.rate_limits;
    let verdict = limits.check(&caller(&request), &route_key(&request), Instant::now());
    let limit = if verdict.global {
        limits.global_per_second.load(Ordering::Relaxed)
    } else {
        limits.route_limit.load(Ordering::Relaxed)
    };
    let mut out = headers(limit, &verdict, state.clock.now_ms());
    if !verdict.allowed || verdict.global {
        out.insert("via", HeaderValue::from_static("1.1 spot"));
        if verdict.global {
            out.insert("x-ratelimit-global", HeaderValue::from_static("true"));
            out.insert("x-ratelimit-scope", HeaderValue::from_static("global"));
        }
        // Never zero: a client told to wait 0 s would retry in a tight loop.
        let wait = verdict.reset_after.as_secs_f64().max(0.05);
        return ApiError::RateLimited(wait, verdict.global, out).into_response();
    }
    let mut response = next.run(request).await;
    response.headers_mut().extend(out);
    response
}
