//! The clock that every time-dependent rule reads (session and invite expiry, `last_seen` updates).
//!
//! Production uses [`SystemClock`]; tests use [`ManualClock`] to step time without sleeping. Rate limiters read
//! it through [`LimiterClock`].
//! Nothing outside this module calls `SystemTime::now()` for a rule.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

/// A source of the current time.
pub trait Clock: Send + Sync + 'static {
    /// The current time in milliseconds since the Unix epoch.
    fn now_ms(&self) -> Millis;
}

/// The shared clock handle stored in the application state.
pub type SharedClock = Arc<dyn Clock>;

/// The real wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one place the wall clock is read
    fn now_ms(&self) -> Millis {
        let since = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
        i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
    }
}

/// A clock that only moves when told to; for tests.
#[derive(Debug, Default)]
pub struct ManualClock {
    now: AtomicI64,
}

impl ManualClock {
    /// A clock reading `start_ms`.
    pub fn new(start_ms: Millis) -> Self {
        Self {
            now: AtomicI64::new(start_ms),
        }
    }

    /// Moves the clock forward by `ms` milliseconds.
    pub fn advance(&self, ms: Millis) {
        self.now.fetch_add(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> Millis {
        self.now.load(Ordering::SeqCst)
    }
}

/// The clock as `governor`'s rate limiters read it, so that login and REST limits refill on the same clock as
/// every other rule (a [`ManualClock`] in tests).
#[derive(Clone)]
pub struct LimiterClock(pub SharedClock);

impl governor::clock::Clock for LimiterClock {
    type Instant = std::time::Duration;

    fn now(&self) -> std::time::Duration {
        std::time::Duration::from_millis(u64::try_from(self.0.now_ms()).unwrap_or(0))
    }
}

/// Formats milliseconds since the epoch as an ISO 8601 timestamp, as Discord's API does.
pub fn iso8601(ms: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Micros, false)
}
