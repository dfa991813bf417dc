//! The HTTP client spot uses to talk to identity providers, and the adapter `openidconnect` calls it through.
//!
//! This is deliberately *not* [`crate::fetch::SafeClient`]: that client exists for URLs members choose and
//! refuses loopback and private addresses, while an identity provider is chosen by the operator in `spot.toml`
//! and very often lives on the LAN or on this machine, behind a private CA. So this client may reach any address,
//! but only the URLs that come from the operator's issuer and its discovery document. It uses rustls with the
//! platform's CA store (a private CA installed on the system is trusted), follows no redirects (as the OpenID
//! specs expect of token and userinfo calls), sends no cookies, and reads at most [`MAX_BODY`] bytes.

use std::time::Duration;

use openidconnect::{HttpRequest, HttpResponse};
use thiserror::Error;

/// Largest provider answer read (discovery documents and key sets are a few KiB).
const MAX_BODY: usize = 1024 * 1024;

/// A failed request to a provider: the provider is down, slow, unreachable or answered too much.
#[derive(Debug, Error)]
#[error("{0}")]
pub struct HttpError(String);

/// The provider client. Cheap to clone.
#[derive(Clone)]
pub struct ProviderHttp {
    // The one reqwest client outside `crate::fetch`; see the module docs for why it exists.
    #[allow(clippy::disallowed_types)]
    client: reqwest::Client,
}

impl ProviderHttp {
    /// A client whose every request (connect included) must finish within `timeout`.
    // Building a reqwest client is what clippy.toml forbids outside `crate::fetch`; this is the one other place,
    // for operator-configured identity providers (see the module docs).
    #[allow(clippy::disallowed_types)]
    pub fn new(timeout: Duration) -> Result<Self, HttpError> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(timeout)
            .connect_timeout(timeout)
            .user_agent(concat!(
                "spot/",
                env!("CARGO_PKG_VERSION"),
                " (OpenID Connect relying party)"
            ))
            .build()
            .map_err(|e| HttpError(format!("cannot build the provider HTTP client: {e}")))?;
        Ok(Self { client })
    }

    /// Performs one request for `openidconnect`.
    pub async fn call(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        let (parts, body) = request.into_parts();
        let mut response = self
            .client
            .request(parts.method, parts.uri.to_string())
            .headers(parts.headers)
            .body(body)
            .send()
            .await
            .map_err(|e| HttpError(describe(&e)))?;
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| HttpError(describe(&e)))? {
            if bytes.len() + chunk.len() > MAX_BODY {
                return Err(HttpError(format!("the answer is larger than {MAX_BODY} bytes")));
            }
            bytes.extend_from_slice(&chunk);
        }
        let mut out = openidconnect::http::Response::builder().status(response.status());
        if let Some(headers) = out.headers_mut() {
            *headers = response.headers().clone();
        }
        out.body(bytes).map_err(|e| HttpError(e.to_string()))
    }

    /// The adapter `openidconnect`'s `request_async` takes.
    pub fn adapter(
        &self,
    ) -> impl Fn(HttpRequest) -> std::pin::Pin<Box<dyn Future<Output = Result<HttpResponse, HttpError>> + Send>> + '_
    {
        move |request| {
            let this = self.clone();
            Box::pin(async move { this.call(request).await })
        }
    }
}

/// A one-line reason without the URL's query (which can hold codes).
fn describe(error: &reqwest::Error) -> String {
    let what = if error.is_timeout() {
        "timed out"
    } else if error.is_connect() {
        "could not connect"
    } else if error.is_body() || error.is_decode() {
        "the answer broke off"
    } else {
        "the request failed"
    };
    match error.url() {
        Some(url) => format!("{what}: {}{}", url.origin().ascii_serialization(), url.path()),
        None => what.to_owned(),
    }
}
