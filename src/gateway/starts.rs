//! How often one account may start gateway sessions (IDENTIFY): a short-term bucket for everyone (a client in a
//! reconnect loop, or a leaked token opening sessions by the hundred), and for bots Discord's daily
//! `session_start_limit`, which `GET /gateway/bot` reports as it stands. An IDENTIFY over either limit is
//! answered with INVALID_SESSION, as Discord answers one.

use std::collections::HashMap;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::config::GatewayConfig;
use crate::ids::Snowflake;

/// The daily window of `session_start_limit`.
const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// A bot's daily session starts: where its window began and how many it used.
#[derive(Debug, Clone, Copy)]
struct Daily {
    since: Instant,
    used: u32,
}

/// The session-start limits of every account.
pub struct SessionStarts {
    burst: DefaultKeyedRateLimiter<Snowflake>,
    per_day: u32,
    days: Mutex<HashMap<Snowflake, Daily>>,
}

/// What `GET /gateway/bot` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartLimit {
    /// Starts allowed per day.
    pub total: u32,
    /// Starts left today.
    pub remaining: u32,
    /// Until the day's window ends.
    pub reset_after: Duration,
}

impl SessionStarts {
    /// Limits from `[gateway]`.
    pub fn new(config: &GatewayConfig) -> Self {
        let per_minute = NonZeroU32::new(config.identifies_per_minute).unwrap_or(NonZeroU32::MIN);
        let burst = NonZeroU32::new(config.identify_burst).unwrap_or(NonZeroU32::MIN);
        Self {
            burst: RateLimiter::keyed(Quota::per_minute(per_minute).allow_burst(burst)),
            per_day: config.bot_sessions_per_day,
            days: Mutex::default(),
        }
    }

    fn days(&self) -> std::sync::MutexGuard<'_, HashMap<Snowflake, Daily>> {
        self.days.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Takes one session start for `user`; `false` when over a limit.
    pub fn start(&self, user: Snowflake, is_bot: bool) -> bool {
        if self.burst.check_key(&user).is_err() {
            return false;
        }
        if !is_bot {
            return true;
        }
        let now = Instant::now();
        let mut days = self.days();
        let day = days.entry(user).or_insert(Daily { since: now, used: 0 });
        if now.duration_since(day.since) >= DAY {
            *day = Daily { since: now, used: 0 };
        }
        if day.used >= self.per_day {
            return false;
        }
        day.used += 1;
        true
    }

    /// A bot's `session_start_limit` as it stands.
    pub fn status(&self, user: Snowflake) -> StartLimit {
        let now = Instant::now();
        let day = self
            .days()
            .get(&user)
            .copied()
            .filter(|d| now.duration_since(d.since) < DAY);
        StartLimit {
            total: self.per_day,
            remaining: self.per_day - day.map_or(0, |d| d.used.min(self.per_day)),
            reset_after: day.map_or(DAY, |d| DAY - now.duration_since(d.since)),
        }
    }

    /// Forgets buckets that have refilled and days that are over.
    pub fn prune(&self) {
        self.burst.retain_recent();
        let now = Instant::now();
        self.days().retain(|_, d| now.duration_since(d.since) < DAY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts(burst: u32, per_day: u32) -> SessionStarts {
        SessionStarts::new(&GatewayConfig {
            identify_burst: burst,
            identifies_per_minute: 1,
            bot_sessions_per_day: per_day,
            ..GatewayConfig::default()
        })
    }

    #[test]
    fn bursts_are_limited_for_everyone_and_days_for_bots() {
        let limits = starts(3, 2);
        assert!(limits.start(1, true) && limits.start(1, true));
        assert!(!limits.start(1, true), "the bot's day is used up");
        assert_eq!(limits.status(1).remaining, 0);
        assert_eq!(limits.status(2).remaining, 2);
        assert!(limits.start(3, false) && limits.start(3, false) && limits.start(3, false));
        assert!(!limits.start(3, false), "a person's burst is used up");
    }
}
