//! Which IP addresses the safe client may connect to: public unicast only.
//!
//! The check is an allow-by-exception of everything that is not a globally routable unicast address, written
//! out range by range so a reader can audit it against the IANA special-purpose registries. IPv6 addresses that
//! carry an IPv4 address inside them (mapped, compatible, NAT64, 6to4, Teredo) are refused outright: their
//! meaning depends on the network they are sent into, which is exactly what we cannot see from here.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// Why `addr` must not be contacted, or `None` when it is a public unicast address.
pub fn refusal(addr: IpAddr) -> Option<&'static str> {
    match addr {
        IpAddr::V4(v4) => refusal_v4(v4),
        IpAddr::V6(v6) => refusal_v6(v6),
    }
}

fn refusal_v4(addr: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = addr.octets();
    let reason = match (a, b, c) {
        (0, _, _) => "unspecified or 'this network' (0.0.0.0/8)",
        (10, _, _) => "private (10.0.0.0/8)",
        (100, 64..=127, _) => "carrier-grade NAT (100.64.0.0/10)",
        (127, _, _) => "loopback (127.0.0.0/8)",
        (169, 254, _) => "link-local (169.254.0.0/16, cloud metadata)",
        (172, 16..=31, _) => "private (172.16.0.0/12)",
        (192, 0, 0) => "IETF protocol assignments (192.0.0.0/24)",
        (192, 0, 2) => "documentation (192.0.2.0/24)",
        (192, 88, 99) => "6to4 relay anycast (192.88.99.0/24)",
        (192, 168, _) => "private (192.168.0.0/16)",
        (198, 18..=19, _) => "benchmarking (198.18.0.0/15)",
        (198, 51, 100) => "documentation (198.51.100.0/24)",
        (203, 0, 113) => "documentation (203.0.113.0/24)",
        (224..=239, _, _) => "multicast (224.0.0.0/4)",
        (240..=255, _, _) => "reserved or broadcast (240.0.0.0/4)",
        _ => return None,
    };
    Some(reason)
}

fn refusal_v6(addr: Ipv6Addr) -> Option<&'static str> {
    let s = addr.segments();
    let reason = if addr.is_unspecified() {
        "unspecified (::)"
    } else if addr.is_loopback() {
        "loopback (::1)"
    } else if s[..5] == [0, 0, 0, 0, 0] && s[5] == 0xffff {
        "IPv4-mapped (::ffff:0:0/96)"
    } else if s[..6] == [0, 0, 0, 0, 0, 0] {
        "IPv4-compatible (::/96)"
    } else if s[..4] == [0, 0, 0, 0] && s[4] == 0xffff && s[5] == 0 {
        "IPv4-translated (::ffff:0:0:0/96)"
    } else if s[0] == 0x64 && s[1] == 0xff9b && (s[2..6] == [0, 0, 0, 0] || s[2] == 1) {
        "NAT64, IPv4-translated (64:ff9b::/96, 64:ff9b:1::/48)"
    } else if s[0] == 0x0100 && s[1..4] == [0, 0, 0] {
        "discard-only (100::/64)"
    } else if s[0] == 0x2001 && s[1] == 0 {
        "Teredo, embeds IPv4 (2001::/32)"
    } else if s[0] == 0x2001 && s[1] == 0x0002 && s[2] == 0 {
        "benchmarking (2001:2::/48)"
    } else if s[0] == 0x2001 && (0x0010..=0x002f).contains(&s[1]) {
        "ORCHID (2001:10::/28, 2001:20::/28)"
    } else if s[0] == 0x2001 && s[1] == 0x0db8 {
        "documentation (2001:db8::/32)"
    } else if s[0] == 0x3fff && s[1] < 0x1000 {
        "documentation (3fff::/20)"
    } else if s[0] == 0x2002 {
        "6to4, embeds IPv4 (2002::/16)"
    } else if s[0] & 0xfe00 == 0xfc00 {
        "unique local (fc00::/7)"
    } else if s[0] & 0xffc0 == 0xfe80 {
        "link-local (fe80::/10)"
    } else if s[0] & 0xffc0 == 0xfec0 {
        "site-local (fec0::/10)"
    } else if s[0] & 0xff00 == 0xff00 {
        "multicast (ff00::/8)"
    } else if s[0] & 0xe000 != 0x2000 {
        "not global unicast (outside 2000::/3)"
    } else {
        return None;
    };
    Some(reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(s: &str) -> bool {
        refusal(s.parse().unwrap()).is_some()
    }

    #[test]
    fn refuses_every_non_public_range() {
        let bad = [
            "0.0.0.0",
            "0.1.2.3",
            "10.0.0.1",
            "10.255.255.255",
            "100.64.0.1",
            "100.127.255.254",
            "127.0.0.1",
            "127.1.2.3",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "192.88.99.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:7f00:1",
            "::ffff:8.8.8.8",
            "::127.0.0.1",
            "::ffff:0:7f00:1",
            "64:ff9b::7f00:1",
            "64:ff9b:1::1",
            "100::1",
            "2001::1",
            "2001:2::1",
            "2001:10::1",
            "2001:db8::1",
            "3fff::1",
            "2002:7f00:1::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "ff02::1",
            "4000::1",
            "1::1",
        ];
        for addr in bad {
            assert!(refused(addr), "{addr} must be refused");
        }
    }

    #[test]
    fn allows_public_unicast() {
        let good = [
            "1.1.1.1",
            "8.8.8.8",
            "100.63.255.255",
            "100.128.0.0",
            "172.15.255.255",
            "172.32.0.0",
            "192.169.0.1",
            "198.20.0.1",
            "223.255.255.254",
            "2606:4700:4700::1111",
            "2a00:1450:4001::200e",
            "2001:4860::8888",
        ];
        for addr in good {
            assert!(!refused(addr), "{addr} must be allowed");
        }
    }
}
