//! Which address the media socket binds and which candidates browsers are offered.
//!
//! str0m matches each arriving STUN request to a local *host* candidate by the packet's destination address. A
//! socket bound to every interface cannot tell which address a packet arrived on, so the loop labels every
//! packet with one base address (the configured `udp_host`, or the interface that routes to the internet) and
//! offers everything else (the configured `public_ip`) as server-reflexive candidates of that base.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};

use crate::config::VoiceConfig;

/// Where to bind and what to offer.
pub struct Plan {
    /// The socket's bind address.
    pub bind: SocketAddr,
    host: IpAddr,
    public: Option<IpAddr>,
}

/// Candidates for the bound port.
pub struct Candidates {
    /// The host candidate every arriving packet is attributed to.
    pub base: SocketAddr,
    /// Further addresses that reach the same socket (NAT port forward), offered as server-reflexive.
    pub extra: Vec<SocketAddr>,
}

/// The plan for `config` (addresses were validated when the config was loaded).
pub fn plan(config: &VoiceConfig) -> std::io::Result<Plan> {
    let public = config.public_ip.parse::<IpAddr>().ok();
    let plan = match config.udp_host.parse::<IpAddr>() {
        Ok(host) => Plan {
            bind: SocketAddr::new(host, config.udp_port),
            host,
            public,
        },
        Err(_) => Plan {
            bind: SocketAddr::new(Ipv4Addr::UNSPECIFIED.into(), config.udp_port),
            host: routed_address().unwrap_or(Ipv4Addr::LOCALHOST.into()),
            public,
        },
    };
    Ok(plan)
}

impl Plan {
    /// The candidates once the socket is bound on `port`.
    pub fn candidates(&self, port: u16) -> Candidates {
        let base = SocketAddr::new(self.host, port);
        let extra = self
            .public
            .filter(|ip| *ip != self.host)
            .map(|ip| SocketAddr::new(ip, port))
            .into_iter()
            .collect();
        Candidates { base, extra }
    }
}

/// The local address of the interface that routes to the internet. Connecting a UDP socket sends nothing; it
/// only asks the OS for a route (to a documentation address, so nothing could ever be reached).
fn routed_address() -> Option<IpAddr> {
    let probe = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
    probe.connect((Ipv4Addr::new(192, 0, 2, 1), 9)).ok()?;
    let ip = probe.local_addr().ok()?.ip();
    (!ip.is_unspecified()).then_some(ip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn configured_host_and_public_address() {
        let config = VoiceConfig {
            udp_host: "192.168.1.20".into(),
            public_ip: "203.0.113.7".into(),
            udp_port: 0,
            ..VoiceConfig::default()
        };
        let plan = plan(&config).unwrap();
        assert_eq!(plan.bind, "192.168.1.20:0".parse().unwrap());
        let candidates = plan.candidates(50_000);
        assert_eq!(candidates.base, "192.168.1.20:50000".parse().unwrap());
        assert_eq!(candidates.extra, ["203.0.113.7:50000".parse().unwrap()]);
    }

    #[test]
    fn all_interfaces_offer_one_routable_address() {
        let plan = plan(&VoiceConfig::default()).unwrap();
        assert!(plan.bind.ip().is_unspecified());
        assert_eq!(plan.bind.port(), 50_000);
        let candidates = plan.candidates(50_000);
        assert!(!candidates.base.ip().is_unspecified());
        assert!(candidates.extra.is_empty());
    }
}
