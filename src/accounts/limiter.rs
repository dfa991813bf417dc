//! The login limiter: a token bucket per client IP and one per username (governor), with rates from config.
//! Both are checked before the password is, so a limited attempt costs no bcrypt work.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::SecurityConfig;

/// Per-IP and per-username login buckets.
pub struct LoginLimiter {
    by_ip: DefaultKeyedRateLimiter<IpAddr>,
    by_user: DefaultKeyedRateLimiter<String>,
}

fn quota(per_minute: u32, burst: u32) -> Quota {
    let per_minute = NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(per_minute).allow_burst(burst)
}

impl LoginLimiter {
    /// Limiter with the configured rates.
    pub fn new(config: &SecurityConfig) -> Self {
        Self {
            by_ip: RateLimiter::keyed(quota(config.login_ip_per_minute, config.login_ip_burst)),
            by_user: RateLimiter::keyed(quota(config.login_user_per_minute, config.login_user_burst)),
        }
    }

    /// Takes one attempt from both buckets; `Err(wait)` if either is empty.
    pub fn check(&self, ip: IpAddr, username: &str) -> Result<(), Duration> {
        let now = DefaultClock::default().now();
        self.by_ip.check_key(&ip).map_err(|denied| denied.wait_time_from(now))?;
        self.by_user
            .check_key(&username.to_owned())
            .map_err(|denied| denied.wait_time_from(now))?;
        Ok(())
    }

    /// Takes one attempt from the address's bucket only (for sign-ins that name no username).
    pub fn check_ip(&self, ip: IpAddr) -> Result<(), Duration> {
        let now = DefaultClock::default().now();
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
