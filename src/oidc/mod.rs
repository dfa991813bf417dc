//! Single sign-on with OpenID Connect, as a relying party: [`Oidc`] holds the configured providers
//! ([`provider`]), the sign-ins in progress ([`pending`]) and the HTTP client for providers ([`client`]).
//!
//! It knows the protocol and nothing of HTTP serving: [`Oidc::begin`] returns the URL to send a
//! browser to, [`Oidc::finish`] checks a callback and returns the verified [`Person`] and what the sign-in was
//! for. What that person may do — sign in, get an account, be an admin — is decided by [`policy`] and carried
//! out by the accounts module; the pages are in the web face (`web/sso`).

pub mod claims;
mod client;
pub mod error;
pub mod pending;
pub mod policy;
pub mod provider;

use std::collections::BTreeMap;
use std::sync::Arc;

use subtle::ConstantTimeEq;

pub use claims::Person;
pub use error::{OidcError, TokenProblem};
pub use pending::Purpose;
pub use provider::Provider;

use crate::clock::SharedClock;
use crate::config::OidcConfig;
use client::ProviderHttp;
use pending::{Pending, PendingLogins, browser_hash};
use provider::TokenClock;

/// What a provider sent back to `/auth/oidc/{provider}/callback`.
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct Callback {
    /// The authorization code.
    pub code: Option<String>,
    /// The state spot sent.
    pub state: Option<String>,
    /// An OAuth error code (`access_denied`, …) instead of a code.
    pub error: Option<String>,
    /// The issuer (RFC 9207), sent by providers that defend against mix-ups.
    pub iss: Option<String>,
}

/// Single sign-on. Cheap to clone.
#[derive(Clone)]
pub struct Oidc {
    inner: Arc<Inner>,
}

struct Inner {
    providers: BTreeMap<String, Provider>,
    pending: PendingLogins,
    http: ProviderHttp,
    clock: SharedClock,
    leeway_ms: i64,
    login_timeout_ms: i64,
}

impl Oidc {
    /// The providers of `config` (already validated); nothing is fetched yet.
    pub fn new(config: &OidcConfig, clock: SharedClock) -> Result<Self, OidcError> {
        let providers = config
            .providers
            .iter()
            .map(|(name, provider)| Ok((name.clone(), Provider::new(name, provider)?)))
            .collect::<Result<_, OidcError>>()?;
        let http = ProviderHttp::new(config.timeout.0).map_err(|e| OidcError::Unreachable(e.to_string()))?;
        Ok(Self {
            inner: Arc::new(Inner {
                providers,
                pending: PendingLogins::default(),
                http,
                clock,
                leeway_ms: config.clock_leeway.as_millis_i64(),
                login_timeout_ms: config.login_timeout.as_millis_i64(),
            }),
        })
    }

    /// Every provider, by name.
    pub fn providers(&self) -> impl Iterator<Item = &Provider> {
        self.inner.providers.values()
    }

    /// The provider called `name`.
    pub fn provider(&self, name: &str) -> Result<&Provider, OidcError> {
        self.inner.providers.get(name).ok_or(OidcError::UnknownProvider)
    }

    /// The provider whose issuer is `issuer`.
    pub fn provider_by_issuer(&self, issuer: &str) -> Option<&Provider> {
        self.providers().find(|p| p.issuer() == issuer)
    }

    /// Starts a sign-in: remembers it (bound to the browser whose `spot_oidc` cookie value is `browser`) and
    /// returns the provider URL to send the browser to.
    pub async fn begin(
        &self,
        name: &str,
        purpose: Purpose,
        redirect_uri: &str,
        browser: &str,
    ) -> Result<url::Url, OidcError> {
        let provider = self.provider(name)?;
        let now = self.inner.clock.now_ms();
        let authorization = provider.authorize(&self.inner.http, redirect_uri, now).await?;
        let pending = Pending {
            provider: name.to_owned(),
            purpose,
            browser: browser_hash(browser),
            verifier: authorization.verifier,
            nonce: authorization.nonce,
            redirect_uri: redirect_uri.to_owned(),
            expires_at: now.saturating_add(self.inner.login_timeout_ms),
        };
        if !self.inner.pending.insert(authorization.state, pending, now) {
            return Err(OidcError::Busy);
        }
        Ok(authorization.url)
    }

    /// Checks a callback for provider `name` from the browser whose `spot_oidc` cookie is `browser`, and returns
    /// what the sign-in was for and who signed in. The sign-in is used up whatever the outcome.
    pub async fn finish(
        &self,
        name: &str,
        callback: Callback,
        browser: Option<&str>,
    ) -> Result<(Purpose, Person), OidcError> {
        let provider = self.provider(name)?;
        let now = self.inner.clock.now_ms();
        let state = callback.state.ok_or(OidcError::UnknownState)?;
        let pending = self.inner.pending.take(&state, now).ok_or(OidcError::UnknownState)?;
        if pending.provider != name {
            return Err(OidcError::UnknownState);
        }
        let same_browser = browser.is_some_and(|b| bool::from(browser_hash(b).ct_eq(&pending.browser)));
        if !same_browser {
            return Err(OidcError::OtherBrowser);
        }
        if let Some(error) = callback.error {
            return Err(match error.as_str() {
                "access_denied" | "consent_required" | "interaction_required" | "login_required" => OidcError::Denied,
                _ => OidcError::ProviderError(error.chars().take(64).collect()),
            });
        }
        if let Some(iss) = callback.iss
            && iss != provider.issuer()
        {
            return Err(OidcError::IssuerMismatch);
        }
        let code = callback.code.ok_or(OidcError::UnknownState)?;
        let clock = TokenClock {
            now,
            leeway_ms: self.inner.leeway_ms,
        };
        let person = provider
            .redeem(
                &self.inner.http,
                code,
                pending.verifier,
                &pending.nonce,
                &pending.redirect_uri,
                clock,
            )
            .await?;
        Ok((pending.purpose, person))
    }

    /// The URL that ends the person's session at provider `name`, returning to `post_logout`, when the provider
    /// advertises an `end_session_endpoint`.
    pub async fn end_session_url(&self, name: &str, post_logout: &str) -> Option<url::Url> {
        let provider = self.provider(name).ok()?;
        provider
            .end_session_url(&self.inner.http, post_logout, self.inner.clock.now_ms())
            .await
    }

    /// Discovers every provider in the background, so problems show in the log at start-up.
    pub fn warm_up(&self) {
        let this = self.clone();
        tokio::spawn(async move {
            for provider in this.providers() {
                provider.warm_up(&this.inner.http, this.inner.clock.now_ms()).await;
            }
        });
    }

    /// Forgets sign-ins that were never finished.
    pub fn prune(&self) {
        self.inner.pending.prune(self.inner.clock.now_ms());
    }
}
