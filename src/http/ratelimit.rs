//! Discord-style REST rate limits: a bucket per (caller, method + route + major id) and a global per-caller limit.
//!
//! Every API response carries `X-RateLimit-Limit`, `-Remaining`, `-Reset`, `-Reset-After`, `-Bucket` and
//! `-Scope`; a refused request gets 429 with `retry_after` and `global` in the body, `Retry-After`, and `Via`
//! (discord.py treats a 429 without `Via` as a Cloudflare ban). Both discord.py and discord.js back off on these
//! and retry by themselves. Buckets are `governor`'s (GCRA, on spot's clock); the
//! limits come from the instance settings on every request, so the admin panel's changes apply at once.

use std::num::NonZeroU32;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use governor::clock::Clock;
use governor::middleware::StateInformationMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};
use sha2::{Digest, Sha256};

use super::cookies;
use super::error::ApiError;

use crate::app::AppState;
use crate::clock::{LimiterClock, SharedClock};
use crate::config::ApiConfig;

/// GCRA buckets keyed by caller (and route), reporting how much of the burst is left.
type Keyed = RateLimiter<String, DefaultKeyedStateStore<String>, LimiterClock, StateInformationMiddleware>;

/// The limiters for one pair of limits (the admin panel can change them at run time: then a new pair starts).
struct Limiters {
    route_limit: u32,
    global_per_second: u32,
    routes: Keyed,
    global: Keyed,
}

/// The buckets of every caller: `governor`'s GCRA, a burst of `route_limit` per route refilled evenly over
/// `route_window` (so "10 per 5 s" lets 10 through at once, then one every 0.5 s), and `global_per_second` per
/// caller over every route.
pub struct RateLimits {
    route_window: Duration,
    clock: LimiterClock,
    current: RwLock<Arc<Limiters>>,
}

/// The outcome of one check.
struct Verdict {
    allowed: bool,
    global: bool,
    limit: u32,
    remaining: u32,
    reset_after: Duration,
    bucket: String,
}

fn nonzero(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN)
}

fn keyed(quota: Quota, clock: &LimiterClock) -> Keyed {
    RateLimiter::new(quota, DefaultKeyedStateStore::default(), clock.clone())
}

impl Limiters {
    fn new(route_limit: u32, global_per_second: u32, route_window: Duration, clock: &LimiterClock) -> Self {
        let burst = nonzero(route_limit);
        let period = (route_window / burst.get()).max(Duration::from_nanos(1));
        let route_quota = Quota::with_period(period)
            .unwrap_or_else(|| Quota::per_second(burst))
            .allow_burst(burst);
        Self {
            route_limit: burst.get(),
            global_per_second: nonzero(global_per_second).get(),
            routes: keyed(route_quota, clock),
            global: keyed(Quota::per_second(nonzero(global_per_second)), clock),
        }
    }
}

impl RateLimits {
    /// Limits from `[api]`, refilling on `clock`.
    pub fn new(config: &ApiConfig, clock: SharedClock) -> Self {
        let clock = LimiterClock(clock);
        Self {
            route_window: config.route_window.0,
            current: RwLock::new(Arc::new(Limiters::new(
                config.route_limit,
                config.global_per_second,
                config.route_window.0,
                &clock,
            ))),
            clock,
        }
    }

    /// The limiters for these limits: the current ones, or fresh ones when the limits changed (the admin panel).
    fn limiters(&self, route_limit: u32, global_per_second: u32) -> Arc<Limiters> {
        let (route_limit, global_per_second) = (route_limit.max(1), global_per_second.max(1));
        let same = |l: &Limiters| l.route_limit == route_limit && l.global_per_second == global_per_second;
        {
            let current = self.current.read().unwrap_or_else(PoisonError::into_inner);
            if same(&current) {
                return Arc::clone(&current);
            }
        }
        let mut current = self.current.write().unwrap_or_else(PoisonError::into_inner);
        if !same(&current) {
            *current = Arc::new(Limiters::new(
                route_limit,
                global_per_second,
                self.route_window,
                &self.clock,
            ));
        }
        Arc::clone(&current)
    }

    fn check(&self, limits: (u32, u32), caller: &str, route: &str) -> Verdict {
        let bucket =
            hex::encode(&Sha256::digest(route.split(' ').take(2).collect::<Vec<_>>().join(" ").as_bytes())[..8]);
        let limiters = self.limiters(limits.0, limits.1);
        let now = limiters.global.clock().now();
        if let Err(denied) = limiters.global.check_key(&caller.to_owned()) {
            return Verdict {
                allowed: false,
                global: true,
                limit: limiters.global_per_second,
                remaining: 0,
                reset_after: denied.wait_time_from(now),
                bucket,
            };
        }
        let limit = limiters.route_limit;
        match limiters.routes.check_key(&format!("{caller} {route}")) {
            Ok(state) => {
                let remaining = state.remaining_burst_capacity();
                let interval = state.quota().replenish_interval();
                Verdict {
                    allowed: true,
                    global: false,
                    limit,
                    remaining,
                    // Until the bucket is full again: a client that waits this long has the whole burst back.
                    reset_after: interval * limit.saturating_sub(remaining),
                    bucket,
                }
            }
            Err(denied) => Verdict {
                allowed: false,
                global: false,
                limit,
                remaining: 0,
                reset_after: denied.wait_time_from(now),
                bucket,
            },
        }
    }

    /// Forgets buckets that are full again (they hold nothing a fresh one would not).
    pub fn prune(&self) {
        let limiters = Arc::clone(&self.current.read().unwrap_or_else(PoisonError::into_inner));
        for keyed in [&limiters.routes, &limiters.global] {
            keyed.retain_recent();
            keyed.shrink_to_fit();
        }
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

fn headers(verdict: &Verdict, now_ms: i64) -> HeaderMap {
    // Never 0: hikari divides its window by it (a bucket that refills fast still takes a moment).
    let reset_after = verdict.reset_after.as_secs_f64().max(0.001);
    let reset_at = now_ms as f64 / 1000.0 + reset_after;
    let mut headers = HeaderMap::new();
    let mut put = |name: &'static str, value: String| {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    };
    put("x-ratelimit-limit", verdict.limit.to_string());
    // This request used one: never report a full bucket (hikari divides by `limit - remaining`), even when a
    // fast refill already put the token back.
    put(
        "x-ratelimit-remaining",
        verdict.remaining.min(verdict.limit.saturating_sub(1)).to_string(),
    );
    put("x-ratelimit-reset", format!("{reset_at:.3}"));
    put("x-ratelimit-reset-after", format!("{reset_after:.3}"));
    put("x-ratelimit-bucket", verdict.bucket.clone());
    put("x-ratelimit-scope", "user".to_owned());
    headers
}

/// Middleware for the API router.
pub async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let verdict = state
        .rate_limits
        .check(state.settings.rate_limits(), &caller(&request), &route_key(&request));
    let mut out = headers(&verdict, state.clock.now_ms());
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
