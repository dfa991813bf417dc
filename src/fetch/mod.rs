//! The safe HTTP client: the only way spot fetches a URL that a member chose (link previews, the image proxy,
//! and later the DJ's URLs).
//!
//! A request goes through [`Policy::check_url`] (scheme, credentials, port, host lists, literal addresses), then
//! DNS through [`resolver::VettingResolver`] (every answer must be a public unicast address; reqwest connects to
//! exactly those), with redirects followed by hand so each hop is checked the same way, at most
//! `fetch.max_redirects` of them. Bodies are read in chunks up to a cap, and the whole exchange has a deadline.
//! No cookies, credentials, proxies or `Referer` are ever sent.
//!
//! It must not be used for anything the server itself decides to contact (there is nothing like that yet);
//! its policy is written for hostile URLs.

// The one module allowed to build an HTTP client (`clippy.toml` forbids it everywhere else).
#![allow(clippy::disallowed_types)]

mod address;
mod policy;
mod resolver;

use std::sync::Arc;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use reqwest::header::{ACCEPT, CONTENT_LENGTH, CONTENT_TYPE, LOCATION};
use reqwest::{Response, StatusCode, Url};

use crate::config::FetchConfig;

pub use address::refusal;
pub use policy::Policy;

pub use crate::config::TEST_ALLOWANCE_VAR;

/// The User-Agent every request carries: who is asking and why.
const USER_AGENT: &str = concat!(
    "Mozilla/5.0 (compatible; spot/",
    env!("CARGO_PKG_VERSION"),
    "; link previews for a self-hosted chat)"
);

/// Why a fetch failed.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The URL is not a valid absolute URL.
    #[error("not a valid URL: {0}")]
    BadUrl(String),
    /// The policy refused the URL or an address it resolved to.
    #[error("refused: {0}")]
    Refused(String),
    /// More redirects than allowed, or a loop.
    #[error("too many redirects")]
    TooManyRedirects,
    /// The server answered with an error status.
    #[error("the server answered {0}")]
    Status(u16),
    /// The body is larger than the caller accepts.
    #[error("the response is larger than {0} bytes")]
    TooLarge(usize),
    /// The deadline passed.
    #[error("timed out")]
    Timeout,
    /// Connection or protocol failure.
    #[error("network error: {0}")]
    Network(String),
}

/// A finished fetch.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL the body came from, after redirects.
    pub url: Url,
    /// `Content-Type` without parameters, lowercased (empty when missing).
    pub content_type: String,
    /// The body, at most the cap the caller gave.
    pub body: Bytes,
}

/// What to do with a body longer than the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overflow {
    /// Keep the first `cap` bytes (enough for an HTML page's `<head>`).
    Truncate,
    /// Fail with [`FetchError::TooLarge`] (an image cut short is useless).
    Fail,
}

/// The shared safe client. Cheap to clone.
#[derive(Clone)]
pub struct SafeClient {
    http: reqwest::Client,
    policy: Arc<Policy>,
    timeout: Duration,
    max_redirects: usize,
}

impl SafeClient {
    /// A client for `config`; `test_loopback_port` is the test suite's fixture port (see
    /// [`TEST_ALLOWANCE_VAR`]) and must be `None` everywhere else.
    pub fn new(config: &FetchConfig, test_loopback_port: Option<u16>) -> Result<Self, FetchError> {
        let policy = Arc::new(Policy::new(config, test_loopback_port));
        let http = reqwest::Client::builder()
            .dns_resolver(Arc::new(resolver::VettingResolver { policy: policy.clone() }))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .referer(false)
            .user_agent(USER_AGENT)
            .connect_timeout(config.connect_timeout.0)
            .read_timeout(config.timeout.0)
            .pool_max_idle_per_host(2)
            .build()
            .map_err(|e| FetchError::Network(e.to_string()))?;
        Ok(Self {
            http,
            policy,
            timeout: config.timeout.0,
            max_redirects: config.max_redirects.min(5),
        })
    }

    /// GETs `url` (following checked redirects) and reads at most `cap` bytes of the body, all within the
    /// configured deadline. `accept` is sent as the `Accept` header.
    pub async fn get(&self, url: &str, accept: &str, cap: usize, overflow: Overflow) -> Result<Fetched, FetchError> {
        self.get_by_type(url, accept, |_| (cap, overflow)).await
    }

    /// Like [`SafeClient::get`], with the cap chosen from the response's `Content-Type` (lowercased, without
    /// parameters): a page and an image deserve different amounts, a video none at all (cap 0).
    pub async fn get_by_type(
        &self,
        url: &str,
        accept: &str,
        limit: impl Fn(&str) -> (usize, Overflow) + Send,
    ) -> Result<Fetched, FetchError> {
        let url = Url::parse(url).map_err(|e| FetchError::BadUrl(e.to_string()))?;
        let work = async {
            let response = self.open(url, accept).await?;
            let (cap, overflow) = limit(&content_type(&response));
            read_body(response, cap, overflow).await
        };
        tokio::time::timeout(self.timeout, work)
            .await
            .map_err(|_| FetchError::Timeout)?
    }

    /// Sends the request and follows redirects, checking every hop; returns the first non-redirect response
    /// with a success status.
    pub async fn open(&self, mut url: Url, accept: &str) -> Result<Response, FetchError> {
        let mut seen = vec![url.clone()];
        loop {
            self.policy.check_url(&url)?;
            let response = self
                .http
                .get(url.clone())
                .header(ACCEPT, accept)
                .send()
                .await
                .map_err(classify)?;
            let status = response.status();
            if status.is_redirection() && status != StatusCode::NOT_MODIFIED {
                let location = response
                    .headers()
                    .get(LOCATION)
                    .and_then(|v| v.to_str().ok())
                    .ok_or(FetchError::Status(status.as_u16()))?;
                let next = url.join(location).map_err(|e| FetchError::BadUrl(e.to_string()))?;
                if seen.len() > self.max_redirects || seen.contains(&next) {
                    return Err(FetchError::TooManyRedirects);
                }
                seen.push(next.clone());
                url = next;
                continue;
            }
            if !status.is_success() {
                return Err(FetchError::Status(status.as_u16()));
            }
            return Ok(response);
        }
    }
}

impl SafeClient {
    /// POSTs a Web Push message to a push service endpoint a browser chose: the same URL and address checks
    /// as every other fetch (no private, loopback or link-local address is ever contacted), `https` only (the
    /// test suite's loopback allowance excepted), no redirects followed, within the deadline. Returns the
    /// status; the body is not read.
    pub async fn post_push(&self, request: http::Request<Vec<u8>>) -> Result<u16, FetchError> {
        let url = Url::parse(&request.uri().to_string()).map_err(|e| FetchError::BadUrl(e.to_string()))?;
        if url.scheme() != "https" && !self.policy.is_test_loopback(&url) {
            return Err(FetchError::BadUrl("push endpoints must be https".into()));
        }
        self.policy.check_url(&url)?;
        let (parts, body) = request.into_parts();
        let mut builder = self.http.post(url);
        for (name, value) in &parts.headers {
            builder = builder.header(name, value);
        }
        let send = builder.body(body).send();
        let response = tokio::time::timeout(self.timeout, send)
            .await
            .map_err(|_| FetchError::Timeout)?
            .map_err(classify)?;
        Ok(response.status().as_u16())
    }

    /// Whether `url` could be a push endpoint: `https` (or the test allowance) and allowed by the policy.
    pub fn check_push_endpoint(&self, url: &Url) -> Result<(), FetchError> {
        if url.scheme() != "https" && !self.policy.is_test_loopback(url) {
            return Err(FetchError::BadUrl("push endpoints must be https".into()));
        }
        self.policy.check_url(url)
    }
}

/// Reads a body in chunks, stopping at `cap`.
async fn read_body(mut response: Response, cap: usize, overflow: Overflow) -> Result<Fetched, FetchError> {
    let url = response.url().clone();
    let content_type = content_type(&response);
    let declared = response
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if overflow == Overflow::Fail && declared.is_some_and(|len| len > cap as u64) {
        return Err(FetchError::TooLarge(cap));
    }
    let mut body = BytesMut::new();
    loop {
        if overflow == Overflow::Truncate && body.len() >= cap {
            break;
        }
        let Some(chunk) = response.chunk().await.map_err(classify)? else {
            break;
        };
        let room = cap - body.len();
        if chunk.len() > room {
            if overflow == Overflow::Fail {
                return Err(FetchError::TooLarge(cap));
            }
            body.extend_from_slice(&chunk[..room]);
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Fetched {
        url,
        content_type,
        body: body.freeze(),
    })
}

/// The response's media type, lowercased, without parameters (empty when missing).
fn content_type(response: &Response) -> String {
    response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Turns a reqwest error into ours, recognising a refusal from the resolver among its sources.
fn classify(error: reqwest::Error) -> FetchError {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&error);
    while let Some(e) = source {
        if let Some(refused) = e.downcast_ref::<resolver::RefusedName>() {
            return FetchError::Refused(refused.0.clone());
        }
        source = e.source();
    }
    if error.is_timeout() {
        FetchError::Timeout
    } else {
        FetchError::Network(error.without_url().to_string())
    }
}
