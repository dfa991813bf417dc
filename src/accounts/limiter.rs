//! The login limiter: a token bucket per client IP and one per username (governor), with rates from config.
//! Both are checked before the password is, so a limited attempt costs no bcrypt work.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::Clock;
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DefaultKeyedStateStore;
use governor::{Quota, RateLimiter};

use crate::clock::{LimiterClock, SharedClock};
use crate::config::SecurityConfig;

type Keyed<K> = RateLimiter<K, DefaultKeyedStateStore<K>, LimiterClock, NoOpMiddleware<Duration>>;

/// Per-IP and per-username login buckets.
pub struct LoginLimiter {
    by_ip: Keyed<IpAddr>,
    by_user: Keyed<String>,
    clock: LimiterClock,
}

fn quota(per_minute: u32, burst: u32) -> Quota {
    let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(per_minute).allow_burst(burst)
}

fn keyed<K: std::hash::Hash + Eq + Clone>(quota: Quota, clock: &LimiterClock) -> Keyed<K> {
    RateLimiter::new(quota, DefaultKeyedStateStore::default(), clock.clone())
}

impl LoginLimiter {
    /// Limiter with the configured rates, refilling on `clock`.
    pub fn new(config: &SecurityConfig, clock: SharedClock) -> Self {
        let clock = LimiterClock(clock);
        Self {
            by_ip: keyed(quota(config.login_ip_per_minute, config.login_ip_burst), &clock),
            by_user: keyed(quota(config.login_user_per_minute, config.login_user_burst), &clock),
            clock,
        }
    }

    /// Takes one attempt from both buckets; `Err(wait)` if either is empty.
    pub fn check(&self, ip: IpAddr, username: &str) -> Result<(), Duration> {
        let now = self.clock.now();
        self.by_ip.check_key(&ip).map_err(|denied| denied.wait_time_from(now))?;
        self.by_user
            .check_key(&username.to_owned())
            .map_err(|denied| denied.wait_time_from(now))?;
        Ok(())
    }

    /// Takes one attempt from the address's bucket only (for sign-ins that name no username).
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), Duration> {
        let now = self.clock.now();
        self.by_ip.check_key(&ip).map_err(|denied| denied.wait_time_from(now))
    }

    /// Forgets buckets that have refilled, so memory does not grow with every name ever tried.
    pub fn prune(&self) {
        self.by_ip.retain_recent();
        self.by_user.retain_recent();
        self.by_ip.shrink_to_fit();
        self.by_user.shrink_to_fit();
    }
}
