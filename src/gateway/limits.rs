//! How many gateway connections may be open: in all (so file descriptors remain for REST requests, the
//! database and uploads), and per address before they identify (so one host cannot hold the server's sockets
//! by heartbeating without ever logging in). A connection holds an [`Admission`] for as long as it is open.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use crate::config::GatewayConfig;

/// File descriptors kept for everything but gateway connections when the cap is derived from the open-files
/// limit: REST requests, the database and its WAL, uploads, the voice socket.
const RESERVED_FDS: u64 = 256;

/// Why a connection was not admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The server holds as many gateway connections as it may.
    Full,
    /// This address holds as many not-yet-identified connections as it may.
    TooManyFromAddress,
}

#[derive(Default)]
struct Counts {
    total: AtomicUsize,
    unidentified: Mutex<HashMap<IpAddr, usize>>,
}

/// The gateway's connection limits. Cheap to clone.
#[derive(Clone)]
pub struct ConnectionLimits {
    counts: Arc<Counts>,
    /// Most open gateway connections.
    pub max_total: usize,
    /// Most connections from one address that have not identified yet.
    pub max_unidentified_per_ip: usize,
}

impl ConnectionLimits {
    /// The limits `config` sets; a `max_connections` of 0 is derived from the process's open-files limit.
    pub fn new(config: &GatewayConfig) -> Self {
        let max_total = if config.max_connections == 0 {
            let (soft, _) = rlimit::getrlimit(rlimit::Resource::NOFILE).unwrap_or((1024, 1024));
            soft.saturating_sub(RESERVED_FDS).max(64) as usize
        } else {
            config.max_connections
        };
        Self {
            counts: Arc::default(),
            max_total,
            max_unidentified_per_ip: config.max_unidentified_per_ip,
        }
    }

    /// Admits a new connection from `ip`, or says why not.
    pub fn admit(&self, ip: IpAddr) -> Result<Admission, Refusal> {
        let mut unidentified = self.counts.unidentified.lock().unwrap_or_else(PoisonError::into_inner);
        let from_ip = unidentified.get(&ip).copied().unwrap_or(0);
        if from_ip >= self.max_unidentified_per_ip {
            return Err(Refusal::TooManyFromAddress);
        }
        if self.counts.total.fetch_add(1, Ordering::AcqRel) >= self.max_total {
            self.counts.total.fetch_sub(1, Ordering::AcqRel);
            return Err(Refusal::Full);
        }
        unidentified.insert(ip, from_ip + 1);
        Ok(Admission {
            counts: Arc::clone(&self.counts),
            ip,
            unidentified: true,
        })
    }

    /// Open gateway connections.
    pub fn open(&self) -> usize {
        self.counts.total.load(Ordering::Acquire)
    }
}

/// One admitted connection; dropping it frees its place.
pub struct Admission {
    counts: Arc<Counts>,
    ip: IpAddr,
    unidentified: bool,
}

impl Admission {
    /// The connection identified (or resumed): it no longer counts against its address's limit.
    pub fn identified(&mut self) {
        if std::mem::take(&mut self.unidentified) {
            release(&self.counts, self.ip);
        }
    }
}

fn release(counts: &Counts, ip: IpAddr) {
    let mut unidentified = counts.unidentified.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(count) = unidentified.get_mut(&ip) {
        *count -= 1;
        if *count == 0 {
            unidentified.remove(&ip);
        }
    }
}

impl Drop for Admission {
    fn drop(&mut self) {
        if self.unidentified {
            release(&self.counts, self.ip);
        }
        self.counts.total.fetch_sub(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(total: usize, per_ip: usize) -> ConnectionLimits {
        let config = GatewayConfig {
            max_connections: total,
            max_unidentified_per_ip: per_ip,
            ..GatewayConfig::default()
        };
        ConnectionLimits::new(&config)
    }

    #[test]
    fn an_address_holds_only_so_many_unidentified_connections() {
        let limits = limits(10, 2);
        let (a, b): (IpAddr, IpAddr) = ("192.0.2.1".parse().unwrap(), "192.0.2.2".parse().unwrap());
        let mut first = limits.admit(a).unwrap();
        let _second = limits.admit(a).unwrap();
        assert_eq!(limits.admit(a).err(), Some(Refusal::TooManyFromAddress));
        let _other = limits.admit(b).unwrap();
        first.identified();
        let _third = limits.admit(a).unwrap();
        assert_eq!(limits.open(), 4);
    }

    #[test]
    fn the_total_is_capped_and_places_come_back() {
        let limits = limits(2, 10);
        let ip: IpAddr = "192.0.2.1".parse().unwrap();
        let first = limits.admit(ip).unwrap();
        let _second = limits.admit(ip).unwrap();
        assert_eq!(limits.admit(ip).err(), Some(Refusal::Full));
        drop(first);
        assert!(limits.admit(ip).is_ok());
    }
}
