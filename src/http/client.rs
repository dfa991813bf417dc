//! [`Client`]: who sent a request — the address to rate-limit and log, and whether it arrived over TLS.
//!
//! `X-Forwarded-For` and `X-Forwarded-Proto` are believed only when the connection comes from an address in
//! `server.trusted_proxies`; from anyone else they are ignored, so a client cannot pick its own address to dodge
//! the login limiter.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::accounts::ClientInfo;
use crate::app::AppState;
use crate::config::Config;

/// The client behind a request.
#[derive(Debug, Clone)]
pub struct Client {
    /// The client's address.
    pub ip: IpAddr,
    /// The request reached us over TLS (directly per `public_url`, or as a trusted proxy says).
    pub https: bool,
    /// The `User-Agent` header.
    pub user_agent: String,
}

impl Client {
    /// What the accounts module needs to know.
    pub fn info(&self) -> ClientInfo {
        ClientInfo {
            ip: self.ip,
            user_agent: self.user_agent.clone(),
        }
    }

    /// Works out the client from the socket peer and the headers.
    pub fn resolve(headers: &HeaderMap, peer: IpAddr, config: &Config) -> Self {
        let trusted = |ip: &IpAddr| config.server.trusted_proxies.iter().any(|net| net.contains(ip));
        let from_proxy = trusted(&peer);
        let mut ip = peer;
        if from_proxy {
            let hops = headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','));
            let hops: Vec<IpAddr> = hops.filter_map(|hop| hop.trim().parse().ok()).collect();
            // The rightmost address our own proxies did not add is the client.
            if let Some(client) = hops.iter().rev().find(|hop| !trusted(hop)).or(hops.first()) {
                ip = *client;
            }
        }
        let forwarded_https = from_proxy
            && headers
                .get("x-forwarded-proto")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.split(',').next().unwrap_or("").trim().eq_ignore_ascii_case("https"));
        let user_agent = headers
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        Self {
            ip,
            https: config.public_url_is_https() || forwarded_https,
            user_agent,
        }
    }
}

impl FromRequestParts<AppState> for Client {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip());
        Ok(Self::resolve(&parts.headers, peer, &state.config))
    }
}
