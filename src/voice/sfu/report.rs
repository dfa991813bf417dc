//! The media loop's periodic log line: packets forwarded per second and how long frames spent inside the
//! server (from the datagram's arrival to the forwarded copies being handed to the receivers' sessions).

use std::time::{Duration, Instant};

/// How often the loop logs what it forwarded (while it forwards anything).
const REPORT: Duration = Duration::from_secs(10);
/// Forwarding delays kept between reports.
const DELAY_SAMPLES: usize = 8192;

/// What the loop forwarded since its last log line, and how long frames spent inside the server (from the
/// datagram's arrival to the forwarded copies being written to the receivers' sessions).
pub struct Report {
    since: Instant,
    forwarded_at_start: u64,
    delays_us: Vec<u32>,
}

impl Report {
    pub fn new(now: Instant) -> Self {
        Self {
            since: now,
            forwarded_at_start: 0,
            delays_us: Vec::with_capacity(DELAY_SAMPLES),
        }
    }

    pub fn record(&mut self, delay: Duration) {
        if self.delays_us.len() < DELAY_SAMPLES {
            self.delays_us
                .push(u32::try_from(delay.as_micros()).unwrap_or(u32::MAX));
        }
    }

    /// Logs one line every [`REPORT`] while media flows.
    pub fn maybe_log(&mut self, now: Instant, forwarded: u64, peers: usize) {
        let elapsed = now.duration_since(self.since);
        if elapsed < REPORT {
            return;
        }
        let count = forwarded - self.forwarded_at_start;
        if count > 0 {
            self.delays_us.sort_unstable();
            let at = |p: f64| {
                let index = ((self.delays_us.len().saturating_sub(1)) as f64 * p).round() as usize;
                self.delays_us.get(index).copied().unwrap_or(0)
            };
            tracing::info!(
                peers,
                forwarded_per_second = (count as f64 / elapsed.as_secs_f64()).round() as u64,
                delay_p50_us = at(0.5),
                delay_p99_us = at(0.99),
                "voice media"
            );
        }
        self.since = now;
        self.forwarded_at_start = forwarded;
        self.delays_us.clear();
    }
}
