//! Who is asking, for rate limits: the socket's peer, or — when the peer is
//! a reverse proxy the operator trusts (`PASOKH_TRUSTED_PROXIES`) — the
//! client that proxy reports in `X-Forwarded-For`. IPv6 clients are counted
//! per /64, the block one subscriber usually holds.

use std::net::{IpAddr, SocketAddr};

use axum::{
    extract::{ConnectInfo, FromRequestParts},
    http::{HeaderMap, request::Parts},
};

use crate::{AppState, error::Error};

/// The client's address as a rate-limit key part.
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = Error;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let ConnectInfo(peer) = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .copied()
            .ok_or_else(|| Error::internal("no peer address (served without connect info)"))?;
        let ip = client_ip(peer.ip(), &parts.headers, &state.config.trusted_proxies);
        Ok(ClientIp(subject(ip)))
    }
}

/// The peer, unless it is a trusted proxy: then the right-most address in
/// `X-Forwarded-For` that is not itself a trusted proxy (the left-most
/// entries are whatever the client chose to send).
pub fn client_ip(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|hop| hop.trim().parse::<IpAddr>().ok())
        .rev()
        .find(|hop| !trusted.contains(hop))
        .unwrap_or(peer)
}

/// IPv4 as is; IPv6 cut to its /64.
pub fn subject(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(forwarded: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-for", forwarded.parse().expect("header"));
        headers
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.2".parse().expect("ip");
        let client: IpAddr = "203.0.113.7".parse().expect("ip");
        // Anyone can send the header; without a trusted proxy it is ignored.
        assert_eq!(client_ip(client, &headers("198.51.100.1"), &[]), client);
        assert_eq!(client_ip(proxy, &headers("203.0.113.7"), &[proxy]), client);
        // A client-supplied prefix cannot choose the address.
        assert_eq!(
            client_ip(proxy, &headers("6.6.6.6, 203.0.113.7"), &[proxy]),
            client
        );
        assert_eq!(client_ip(proxy, &HeaderMap::new(), &[proxy]), proxy);
    }

    #[test]
    fn ipv6_clients_are_counted_per_64() {
        let a = subject("2001:db8:1:2:aaaa::1".parse().expect("ip"));
        let b = subject("2001:db8:1:2:bbbb::9".parse().expect("ip"));
        assert_eq!(a, b);
        assert_eq!(a, "2001:db8:1:2::/64");
        assert_eq!(
            subject("::ffff:192.0.2.1".parse().expect("ip")),
            "192.0.2.1"
        );
    }
}
