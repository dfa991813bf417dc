//! [`Policy`]: whether a URL may be fetched before any packet is sent — scheme, credentials, port, host lists,
//! names that only mean something on a LAN, and addresses written literally in the URL (`127.1`, `0x7f000001`
//! and `[::ffff:127.0.0.1]` are all normalised to plain addresses by the URL parser before they get here).

use std::net::IpAddr;

use reqwest::Url;
use url::Host;

use super::FetchError;
use super::address;
use crate::config::FetchConfig;

/// Names that resolve only inside a home network (or to this machine); refused before any lookup.
const LOCAL_SUFFIXES: &[&str] = &[
    "localhost",
    "local",
    "lan",
    "internal",
    "intranet",
    "home.arpa",
    "localdomain",
];

/// What the safe client may reach.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    allowed_ports: Vec<u16>,
    allow_hosts: Vec<String>,
    deny_hosts: Vec<String>,
    /// Test suites only: `127.0.0.1` on this one port is reachable (see [`super::TEST_ALLOWANCE_VAR`]).
    test_loopback_port: Option<u16>,
}

impl Policy {
    /// The policy `config` describes, plus the test-only loopback allowance when given.
    pub fn new(config: &FetchConfig, test_loopback_port: Option<u16>) -> Self {
        let normalise = |hosts: &[String]| {
            hosts
                .iter()
                .map(|h| h.trim().trim_end_matches('.').to_ascii_lowercase())
                .collect()
        };
        Self {
            allowed_ports: config.allowed_ports.clone(),
            allow_hosts: normalise(&config.allow_hosts),
            deny_hosts: normalise(&config.deny_hosts),
            test_loopback_port,
        }
    }

    /// Whether `url` is the test suite's loopback fixture (never true outside the tests).
    pub fn is_test_loopback(&self, url: &Url) -> bool {
        self.test_loopback_port.is_some_and(|allowed| {
            url.host() == Some(Host::Ipv4([127, 0, 0, 1].into())) && url.port_or_known_default() == Some(allowed)
        })
    }

    /// Checks everything about `url` that can be checked without DNS.
    pub fn check_url(&self, url: &Url) -> Result<(), FetchError> {
        let refuse = |why: String| Err(FetchError::Refused(why));
        if !matches!(url.scheme(), "http" | "https") {
            return refuse(format!("the scheme {}: is not http or https", url.scheme()));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return refuse("URLs with credentials are not fetched".to_owned());
        }
        let port = url.port_or_known_default().unwrap_or(0);
        let host = url
            .host()
            .ok_or_else(|| FetchError::Refused("the URL has no host".to_owned()))?;
        let literal = match host {
            Host::Ipv4(v4) => Some(IpAddr::V4(v4)),
            Host::Ipv6(v6) => Some(IpAddr::V6(v6)),
            Host::Domain(_) => None,
        };
        if let (Some(ip), Some(allowed)) = (literal, self.test_loopback_port)
            && ip == IpAddr::from([127, 0, 0, 1])
            && port == allowed
        {
            return Ok(());
        }
        if !(port == 80 || port == 443 || self.allowed_ports.contains(&port)) {
            return refuse(format!("port {port} is not allowed (fetch.allowed_ports)"));
        }
        let name = url
            .host_str()
            .unwrap_or_default()
            .trim_end_matches('.')
            .to_ascii_lowercase();
        if self.deny_hosts.iter().any(|d| matches_host(&name, d)) {
            return refuse(format!("{name} is in fetch.deny_hosts"));
        }
        if !self.allow_hosts.is_empty() && !self.allow_hosts.iter().any(|a| matches_host(&name, a)) {
            return refuse(format!("{name} is not in fetch.allow_hosts"));
        }
        match literal {
            Some(ip) => self.check_addr(ip),
            None if !name.contains('.') || LOCAL_SUFFIXES.iter().any(|s| matches_host(&name, s)) => {
                refuse(format!("{name} is a local network name"))
            }
            None => Ok(()),
        }
    }

    /// Checks one address a name resolved to (or a literal one).
    pub fn check_addr(&self, ip: IpAddr) -> Result<(), FetchError> {
        match address::refusal(ip) {
            Some(why) => Err(FetchError::Refused(format!("{ip} is {why}"))),
            None => Ok(()),
        }
    }
}

/// `name` is `pattern` or one of its subdomains.
fn matches_host(name: &str, pattern: &str) -> bool {
    name == pattern || name.strip_suffix(pattern).is_some_and(|rest| rest.ends_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> Policy {
        let config = FetchConfig {
            allowed_ports: vec![8443],
            deny_hosts: vec!["Tracker.Example".to_owned()],
            ..FetchConfig::default()
        };
        Policy::new(&config, None)
    }

    fn check(url: &str) -> Result<(), FetchError> {
        policy().check_url(&Url::parse(url).expect("parses"))
    }

    #[test]
    fn odd_spellings_of_loopback_are_normalised_and_refused() {
        for url in [
            "http://127.0.0.1/",
            "http://127.1/",
            "http://2130706433/",
            "http://0x7f000001/",
            "http://0177.0.0.1/",
            "http://0.0.0.0/",
            "http://[::1]/",
            "http://[::ffff:127.0.0.1]/",
            "http://[::ffff:7f00:1]/",
            "http://169.254.169.254/latest/meta-data/",
            "http://[fe80::1]/",
            "http://[fc00::1]/",
        ] {
            assert!(matches!(check(url), Err(FetchError::Refused(_))), "{url}");
        }
    }

    #[test]
    fn schemes_ports_credentials_and_host_lists() {
        assert!(check("https://example.org/a").is_ok());
        assert!(check("http://example.org:8443/").is_ok());
        assert!(check("http://example.org:22/").is_err());
        assert!(check("file:///etc/passwd").is_err());
        assert!(check("gopher://example.org/").is_err());
        assert!(check("https://user:pw@example.org/").is_err());
        assert!(check("https://tracker.example/").is_err());
        assert!(check("https://a.tracker.example./").is_err());
        assert!(check("https://nottracker.example/").is_ok());
        assert!(check("http://localhost/").is_err());
        assert!(check("http://nas.local/").is_err());
        assert!(check("http://router/").is_err());
    }

    #[test]
    fn the_test_allowance_opens_one_loopback_port_only() {
        let policy = Policy::new(&FetchConfig::default(), Some(4000));
        assert!(policy.check_url(&Url::parse("http://127.0.0.1:4000/").unwrap()).is_ok());
        assert!(
            policy
                .check_url(&Url::parse("http://127.0.0.1:4001/").unwrap())
                .is_err()
        );
        assert!(
            policy
                .check_url(&Url::parse("http://localhost:4000/").unwrap())
                .is_err()
        );
        assert!(policy.check_url(&Url::parse("http://[::1]:4000/").unwrap()).is_err());
    }
}
