//! [`OidcError`]: why a single sign-on step failed. The web layer turns each variant into a page with a way
//! back (`web/sso/errors.rs`); the text of a provider's answer is logged there, never shown.

use thiserror::Error;

/// What was wrong with the ID token (or the userinfo answer that completes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenProblem {
    /// The signature does not verify against the provider's keys (even after fetching them again).
    Signature,
    /// `iss` is not the configured issuer.
    Issuer,
    /// `aud` does not name spot's client id, or names parties spot does not trust.
    Audience,
    /// Expired, or issued in the future, beyond the allowed clock leeway.
    Time,
    /// The nonce is not the one this sign-in sent.
    Nonce,
    /// The token endpoint sent no ID token, or one that cannot be read.
    Malformed,
    /// The userinfo answer is about someone else (`sub` differs) or cannot be read.
    UserInfo,
}

/// Why a sign-in through a provider failed.
#[derive(Debug, Error)]
pub enum OidcError {
    /// No provider has this name.
    #[error("no such identity provider")]
    UnknownProvider,
    /// The provider could not be reached, or answered with something that is not OpenID Connect.
    #[error("the identity provider is unreachable: {0}")]
    Unreachable(String),
    /// The person declined (or cancelled) at the provider.
    #[error("access was denied at the identity provider")]
    Denied,
    /// The provider redirected back with an error other than a refusal.
    #[error("the identity provider answered with error {0}")]
    ProviderError(String),
    /// The `state` is missing, unknown, expired, already used, or for another provider.
    #[error("unknown or expired sign-in state")]
    UnknownState,
    /// The sign-in was started in another browser (its binding cookie is missing or different).
    #[error("the sign-in was started in another browser")]
    OtherBrowser,
    /// The callback's `iss` parameter names another issuer (a mix-up between providers).
    #[error("the callback came from another issuer")]
    IssuerMismatch,
    /// The token endpoint refused the code: used already, expired, or not issued for this sign-in.
    #[error("the identity provider refused the authorization code")]
    CodeRejected,
    /// The ID token failed validation.
    #[error("the ID token is invalid: {0:?} ({1})")]
    InvalidToken(TokenProblem, String),
    /// Too many sign-ins are in progress at once.
    #[error("too many sign-ins are in progress")]
    Busy,
}
