//! IP addresses and CIDRs as the API server reads them (`k8s.io/utils/net`'s
//! `ParseIPSloppy` and `ParseCIDRSloppy`: IPv4 octets may have leading zeros), with
//! its messages (`k8s.io/apimachinery/pkg/api/validate/ip.go`).

use std::net::{IpAddr, Ipv4Addr};

pub const IP_MESSAGE: &str = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
pub const CIDR_MESSAGE: &str = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

/// Parses an IP address; `010.1.1.1` is 10.1.1.1, as Go's pre-1.17 parser read it.
pub fn parse_ip(s: &str) -> Option<IpAddr> {
    if let Ok(ip) = s.parse::<IpAddr>() {
        return Some(ip);
    }
    if s.contains(':') {
        return None;
    }
    let octets: Vec<&str> = s.split('.').collect();
    if octets.len() != 4 {
        return None;
    }
    let mut bytes = [0u8; 4];
    for (b, o) in bytes.iter_mut().zip(&octets) {
        if o.is_empty() || o.len() > 3 || !o.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        *b = o.parse().ok()?;
    }
    Some(IpAddr::V4(Ipv4Addr::from(bytes)))
}

/// Parses `address/prefix`, the prefix within the address family's bits.
pub fn parse_cidr(s: &str) -> Option<(IpAddr, u8)> {
    let (ip, bits) = s.split_once('/')?;
    let ip = parse_ip(ip)?;
    if bits.is_empty() || bits.len() > 3 || !bits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let bits: u8 = bits.parse().ok()?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    (bits <= max).then_some((ip, bits))
}

pub fn ip(s: &str) -> Result<IpAddr, String> {
    parse_ip(s).ok_or_else(|| IP_MESSAGE.to_string())
}

pub fn cidr(s: &str) -> Result<(IpAddr, u8), String> {
    parse_cidr(s).ok_or_else(|| CIDR_MESSAGE.to_string())
}

/// Whether an address is IPv6 as Go's `netutils.IsIPv6` sees it: an IPv4-mapped
/// address (`::ffff:10.0.0.1`) counts as IPv4.
pub fn is_ipv6(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(_) => false,
        IpAddr::V6(v6) => v6.to_ipv4_mapped().is_none(),
    }
}

/// Why an external or endpoint IP is refused (`ValidateNonSpecialIP`): unspecified,
/// loopback, link-local unicast or link-local multicast addresses.
pub fn special_ip_reasons(text: &str, ip: IpAddr) -> Vec<String> {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    };
    let (unspecified, loopback, link_local, link_local_multicast) = match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            (v4.is_unspecified(), v4.is_loopback(), v4.is_link_local(), o[0] == 224 && o[1] == 0 && o[2] == 0)
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            (v6.is_unspecified(), v6.is_loopback(), first & 0xffc0 == 0xfe80, first & 0xff0f == 0xff02)
        }
    };
    let mut reasons = Vec::new();
    if unspecified {
        reasons.push(format!("may not be unspecified ({text})"));
    }
    if loopback {
        reasons.push("may not be in the loopback range (127.0.0.0/8, ::1/128)".to_string());
    }
    if link_local {
        reasons.push("may not be in the link-local range (169.254.0.0/16, fe80::/10)".to_string());
    }
    if link_local_multicast {
        reasons.push("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)".to_string());
    }
    reasons
}

/// Whether the CIDR `inner` lies within `outer` (same family, longer prefix).
pub fn cidr_contains(outer: (IpAddr, u8), inner: (IpAddr, u8)) -> bool {
    fn bits(ip: IpAddr) -> u128 {
        match ip {
            IpAddr::V4(v4) => u128::from(u32::from(v4)) << 96,
            IpAddr::V6(v6) => u128::from(v6),
        }
    }
    if outer.0.is_ipv4() != inner.0.is_ipv4() || inner.1 < outer.1 {
        return false;
    }
    // IPv4 addresses sit in the top 32 bits, so the prefix counts from the top either way.
    let shift = 128 - u32::from(outer.1);
    let mask = if shift >= 128 { 0 } else { u128::MAX << shift };
    bits(outer.0) & mask == bits(inner.0) & mask
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses() {
        assert!(parse_ip("10.0.0.1").is_some() && parse_ip("2001:db8::1").is_some());
        assert_eq!(parse_ip("010.001.0.1"), parse_ip("10.1.0.1"));
        for bad in ["", "None", "10.0.0", "10.0.0.256", "1.2.3.4.5", "a::g", "10.0.0.1/32", " 10.0.0.1"] {
            assert!(parse_ip(bad).is_none(), "{bad}");
        }
        assert_eq!(ip("x").unwrap_err(), IP_MESSAGE);
    }

    #[test]
    fn families_and_special_addresses() {
        assert!(!is_ipv6(parse_ip("10.0.0.1").unwrap()) && !is_ipv6(parse_ip("::ffff:10.0.0.1").unwrap()));
        assert!(is_ipv6(parse_ip("fd00::1").unwrap()));
        for (text, n) in [("0.0.0.0", 1), ("127.0.0.1", 1), ("::1", 1), ("169.254.1.1", 1), ("fe80::1", 1)] {
            assert_eq!(special_ip_reasons(text, parse_ip(text).unwrap()).len(), n, "{text}");
        }
        assert_eq!(special_ip_reasons("224.0.0.5", parse_ip("224.0.0.5").unwrap()).len(), 1);
        assert_eq!(special_ip_reasons("ff02::1", parse_ip("ff02::1").unwrap()).len(), 1);
        assert!(special_ip_reasons("203.0.113.7", parse_ip("203.0.113.7").unwrap()).is_empty());
        assert_eq!(special_ip_reasons("0.0.0.0", parse_ip("0.0.0.0").unwrap())[0], "may not be unspecified (0.0.0.0)");
    }

    #[test]
    fn cidrs() {
        assert!(parse_cidr("10.0.0.0/8").is_some() && parse_cidr("::/0").is_some());
        for bad in ["10.0.0.0", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "x/8"] {
            assert!(parse_cidr(bad).is_none(), "{bad}");
        }
        let outer = parse_cidr("10.0.0.0/8").unwrap();
        assert!(cidr_contains(outer, parse_cidr("10.1.0.0/16").unwrap()));
        assert!(!cidr_contains(outer, parse_cidr("11.0.0.0/16").unwrap()));
        assert!(!cidr_contains(outer, parse_cidr("0.0.0.0/0").unwrap()));
        assert!(cidr_contains(parse_cidr("0.0.0.0/0").unwrap(), parse_cidr("1.2.3.4/32").unwrap()));
        assert!(cidr_contains(parse_cidr("2001:db8::/32").unwrap(), parse_cidr("2001:db8:1::/48").unwrap()));
    }
}
