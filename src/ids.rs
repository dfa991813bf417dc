//! Discord-style snowflake ids: 42 bits of milliseconds since the Discord epoch (2015-01-01), 10 bits that tell
//! generators apart, 12 bits of sequence. A leaf: it imports no domain module, so every layer can name ids.
//!
//! Several processes may write the same database (the server and a `spot user add` run beside it), so each
//! generator takes random machine bits; within one generator ids strictly increase.

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

/// Milliseconds between the Unix epoch and the Discord epoch (2015-01-01T00:00:00Z).
pub const DISCORD_EPOCH_MS: i64 = 1_420_070_400_000;

/// A snowflake id. Serialized as a string on the wire, as Discord does.
pub type Snowflake = i64;

/// A generator of unique, increasing snowflakes.
pub struct Snowflakes {
    machine: i64,
    state: Mutex<(i64, i64)>,
}

impl Default for Snowflakes {
    fn default() -> Self {
        Self::new()
    }
}

impl Snowflakes {
    /// A generator with random machine bits.
    pub fn new() -> Self {
        let mut bytes = [0u8; 2];
        getrandom::fill(&mut bytes).expect("the OS random source is available");
        Self {
            machine: i64::from(u16::from_le_bytes(bytes) & 0x3ff),
            state: Mutex::new((0, 0)),
        }
    }

    /// The next id. Reads the wall clock directly: ids must increase with real time, whatever a test clock says.
    #[allow(clippy::disallowed_methods)]
    pub fn next(&self) -> Snowflake {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0);
        let mut state = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (last_ms, seq) = *state;
        let (ms, seq) = if now > last_ms {
            (now, 0)
        } else if seq < 0xfff {
            (last_ms, seq + 1)
        } else {
            (last_ms + 1, 0)
        };
        *state = (ms, seq);
        ((ms - DISCORD_EPOCH_MS) << 22) | (self.machine << 12) | seq
    }
}

/// The smallest snowflake of a given time (ms since the Unix epoch), for "created after" queries.
pub fn snowflake_at(ms: i64) -> Snowflake {
    (ms - DISCORD_EPOCH_MS).max(0) << 22
}

/// The creation time (ms since the Unix epoch) encoded in a snowflake.
pub fn timestamp_ms(id: Snowflake) -> i64 {
    (id >> 22) + DISCORD_EPOCH_MS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[allow(clippy::disallowed_methods)] // ids follow the wall clock, so the test reads it too
    fn ids_increase_and_carry_their_time() {
        let ids = Snowflakes::new();
        let before = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_millis() as i64;
        let mut last = 0;
        for _ in 0..10_000 {
            let id = ids.next();
            assert!(id > last);
            last = id;
        }
        assert!(timestamp_ms(last) >= before);
        assert!(timestamp_ms(last) < before + 60_000);
    }
}
