//! One configured identity provider: discovery (cached, refreshed hourly, the stale copy kept when the provider
//! is briefly down), the authorization URL (code flow with PKCE S256, `state` and `nonce`), and the callback's
//! back-channel work: the code exchange, ID-token validation (signature against the JWKS — fetched again once
//! when a token names a key spot does not know, which is how providers rotate keys —, issuer, audience, expiry
//! and issue time with the configured leeway, nonce) and, when the token leaves out claims spot needs, userinfo.

use chrono::{DateTime, TimeDelta, Utc};
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreRevocableToken, CoreRevocationErrorResponse,
    CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AuthorizationCode, ClaimsVerificationError, Client, ClientId, ClientSecret, CsrfToken, EmptyExtraTokenFields,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields, IdTokenVerifier, IssuerUrl, Nonce,
    OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier, ProviderMetadataWithLogout, RedirectUrl,
    RequestTokenError, Scope, SignatureVerificationError, StandardErrorResponse, StandardTokenResponse, TokenResponse,
    UserInfoClaims,
};
use tokio::sync::Mutex;

use super::claims::{ExtraClaims, Person};
use super::client::ProviderHttp;
use super::error::{OidcError, TokenProblem};
use crate::clock::Millis;
use crate::config::ProviderConfig;

/// How long a discovery document is trusted before it is fetched again.
const DISCOVERY_TTL_MS: Millis = 3_600_000;

type Fields = IdTokenFields<
    ExtraClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type Tokens = StandardTokenResponse<Fields, CoreTokenType>;
type RpClient = Client<
    ExtraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// What the redirect to the provider carries, and what the callback will need to check it.
pub struct Authorization {
    /// Where to send the browser.
    pub url: url::Url,
    /// The `state` in that URL.
    pub state: String,
    /// The PKCE verifier (secret; kept server-side).
    pub verifier: String,
    /// The nonce the ID token must carry.
    pub nonce: String,
}

/// Times used to check a token.
#[derive(Debug, Clone, Copy)]
pub struct TokenClock {
    /// Now, by spot's clock.
    pub now: Millis,
    /// Allowed difference between the clocks.
    pub leeway_ms: Millis,
}

struct Discovered {
    metadata: ProviderMetadataWithLogout,
    fetched_at: Millis,
}

/// A configured provider and what spot learned from it.
pub struct Provider {
    /// Its name in `spot.toml` (and in URLs).
    pub name: String,
    /// Its configuration.
    pub config: ProviderConfig,
    issuer: IssuerUrl,
    discovered: Mutex<Option<Discovered>>,
}

fn unreachable(what: &str, error: impl std::fmt::Display) -> OidcError {
    OidcError::Unreachable(format!("{what}: {error}"))
}

impl Provider {
    /// A provider from its (validated) configuration; nothing is fetched yet.
    pub fn new(name: &str, config: &ProviderConfig) -> Result<Self, OidcError> {
        let issuer = IssuerUrl::new(config.issuer.clone()).map_err(|e| unreachable("issuer", e))?;
        Ok(Self {
            name: name.to_owned(),
            config: config.clone(),
            issuer,
            discovered: Mutex::new(None),
        })
    }

    /// The issuer URL identities from this provider are keyed by.
    pub fn issuer(&self) -> &str {
        self.issuer.as_str()
    }

    /// The name people know the provider by.
    pub fn label(&self) -> String {
        self.config.display_name(&self.name)
    }

    /// The provider's metadata, discovered now if not known or older than an hour. When rediscovery fails, the
    /// copy spot has is used (and the failure logged); with no copy, the provider counts as unreachable.
    async fn metadata(&self, http: &ProviderHttp, now: Millis) -> Result<ProviderMetadataWithLogout, OidcError> {
        let mut slot = self.discovered.lock().await;
        if let Some(known) = slot.as_ref()
            && now - known.fetched_at < DISCOVERY_TTL_MS
        {
            return Ok(known.metadata.clone());
        }
        match ProviderMetadataWithLogout::discover_async(self.issuer.clone(), &http.adapter()).await {
            Ok(metadata) => {
                *slot = Some(Discovered {
                    metadata: metadata.clone(),
                    fetched_at: now,
                });
                Ok(metadata)
            }
            Err(error) => match slot.as_ref() {
                Some(stale) => {
                    tracing::warn!(provider = %self.name, %error, "rediscovery failed; using the known metadata");
                    Ok(stale.metadata.clone())
                }
                None => Err(unreachable("discovery", error)),
            },
        }
    }

    /// Fetches the key set again (a token named a key spot does not know) and returns the updated metadata.
    async fn refresh_keys(&self, http: &ProviderHttp, now: Millis) -> Result<ProviderMetadataWithLogout, OidcError> {
        let mut slot = self.discovered.lock().await;
        let Some(known) = slot.as_mut() else {
            drop(slot);
            return self.metadata(http, now).await;
        };
        let keys = openidconnect::JsonWebKeySet::fetch_async(known.metadata.jwks_uri(), &http.adapter())
            .await
            .map_err(|e| unreachable("signing keys", e))?;
        tracing::info!(provider = %self.name, keys = keys.keys().len(), "fetched the provider's signing keys again");
        known.metadata = known.metadata.clone().set_jwks(keys);
        Ok(known.metadata.clone())
    }

    fn client(&self, metadata: ProviderMetadataWithLogout, redirect_uri: &str) -> Result<RpClient, OidcError> {
        let redirect = RedirectUrl::new(redirect_uri.to_owned()).map_err(|e| unreachable("redirect URI", e))?;
        let client: RpClient = Client::from_provider_metadata(
            metadata,
            ClientId::new(self.config.client_id.clone()),
            Some(ClientSecret::new(self.config.client_secret.clone())),
        );
        Ok(client.set_redirect_uri(redirect))
    }

    /// The URL that starts a sign-in at the provider.
    pub async fn authorize(
        &self,
        http: &ProviderHttp,
        redirect_uri: &str,
        now: Millis,
    ) -> Result<Authorization, OidcError> {
        let client = self.client(self.metadata(http, now).await?, redirect_uri)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .set_pkce_challenge(challenge);
        for scope in self.config.scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.url();
        Ok(Authorization {
            url,
            state: state.secret().clone(),
            verifier: verifier.secret().clone(),
            nonce: nonce.secret().clone(),
        })
    }

    /// The callback's back-channel work: exchanges `code`, validates the ID token and returns who signed in.
    pub async fn redeem(
        &self,
        http: &ProviderHttp,
        code: String,
        verifier: String,
        nonce: &str,
        redirect_uri: &str,
        clock: TokenClock,
    ) -> Result<Person, OidcError> {
        let metadata = self.metadata(http, clock.now).await?;
        let client = self.client(metadata.clone(), redirect_uri)?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|e| unreachable("token endpoint", e))?
            .set_pkce_verifier(PkceCodeVerifier::new(verifier))
            .request_async(&http.adapter())
            .await
            .map_err(token_error)?;
        let nonce = Nonce::new(nonce.to_owned());
        let mut person = match self.verify(&tokens, &metadata, &nonce, clock) {
            Err(OidcError::InvalidToken(TokenProblem::Signature, why)) if why == NO_MATCHING_KEY => {
                let metadata = self.refresh_keys(http, clock.now).await?;
                self.verify(&tokens, &metadata, &nonce, clock)?
            }
            other => other?,
        };
        let need_email = !self.config.allowed_email_domains.is_empty();
        let need_groups = !self.config.allowed_groups.is_empty() || !self.config.admin_groups.is_empty();
        if person.lacks(need_email, need_groups) && metadata.userinfo_endpoint().is_some() {
            let info: UserInfoClaims<ExtraClaims, CoreGenderClaim> = client
                .user_info(
                    tokens.access_token().clone(),
                    Some(openidconnect::SubjectIdentifier::new(person.subject.clone())),
                )
                .map_err(|e| unreachable("userinfo", e))?
                .request_async(&http.adapter())
                .await
                .map_err(|e| match e {
                    openidconnect::UserInfoError::ClaimsVerification(e) => {
                        OidcError::InvalidToken(TokenProblem::UserInfo, e.to_string())
                    }
                    other => unreachable("userinfo", other),
                })?;
            person.complete_from(&info, &self.config.groups_claim);
        }
        Ok(person)
    }

    fn verify(
        &self,
        tokens: &Tokens,
        metadata: &ProviderMetadataWithLogout,
        nonce: &Nonce,
        clock: TokenClock,
    ) -> Result<Person, OidcError> {
        let id_token = tokens
            .id_token()
            .ok_or_else(|| OidcError::InvalidToken(TokenProblem::Malformed, "no id_token in the answer".into()))?;
        let now = DateTime::<Utc>::from_timestamp_millis(clock.now).unwrap_or_default();
        let leeway = TimeDelta::milliseconds(clock.leeway_ms);
        let algorithms: Vec<CoreJwsSigningAlgorithm> = metadata
            .id_token_signing_alg_values_supported()
            .iter()
            .filter(|alg| **alg != CoreJwsSigningAlgorithm::None)
            .cloned()
            .collect();
        let verifier = IdTokenVerifier::new_confidential_client(
            ClientId::new(self.config.client_id.clone()),
            ClientSecret::new(self.config.client_secret.clone()),
            self.issuer.clone(),
            metadata.jwks().clone(),
        )
        .set_allowed_algs(algorithms)
        // "Expired" means: past `exp` by more than the leeway.
        .set_time_fn(move || now - leeway)
        .set_issue_time_verifier_fn(move |issued| {
            if issued > now + leeway {
                Err(format!("issued at {issued}, in the future (now {now})"))
            } else {
                Ok(())
            }
        });
        let claims = id_token.claims(&verifier, nonce).map_err(claims_error)?;
        Ok(Person::from_id_token(claims, &self.config.groups_claim))
    }

    /// The provider's end-session URL for RP-initiated logout, if it advertises one.
    pub async fn end_session_url(&self, http: &ProviderHttp, post_logout: &str, now: Millis) -> Option<url::Url> {
        let metadata = self.metadata(http, now).await.ok()?;
        let mut url = metadata
            .additional_metadata()
            .end_session_endpoint
            .as_ref()?
            .url()
            .clone();
        url.query_pairs_mut()
            .append_pair("client_id", &self.config.client_id)
            .append_pair("post_logout_redirect_uri", post_logout);
        Some(url)
    }

    /// Fetches the metadata now (at start-up), so the first sign-in is quick and a misconfigured issuer shows
    /// up in the log at once.
    pub async fn warm_up(&self, http: &ProviderHttp, now: Millis) {
        match self.metadata(http, now).await {
            Ok(_) => {
                tracing::info!(provider = %self.name, issuer = %self.issuer.as_str(), "identity provider discovered")
            }
            Err(error) => tracing::warn!(provider = %self.name, %error, "identity provider not reachable yet"),
        }
    }
}

/// The text `SignatureVerificationError::NoMatchingKey` carries, to tell "unknown key" from a bad signature.
const NO_MATCHING_KEY: &str = "no matching key";

fn claims_error(error: ClaimsVerificationError) -> OidcError {
    let problem = match &error {
        ClaimsVerificationError::SignatureVerification(SignatureVerificationError::NoMatchingKey) => {
            return OidcError::InvalidToken(TokenProblem::Signature, NO_MATCHING_KEY.to_owned());
        }
        ClaimsVerificationError::SignatureVerification(_) => TokenProblem::Signature,
        ClaimsVerificationError::InvalidIssuer(_) => TokenProblem::Issuer,
        ClaimsVerificationError::InvalidAudience(_) => TokenProblem::Audience,
        ClaimsVerificationError::Expired(_) => TokenProblem::Time,
        ClaimsVerificationError::InvalidNonce(_) => TokenProblem::Nonce,
        _ => TokenProblem::Malformed,
    };
    OidcError::InvalidToken(problem, error.to_string())
}

fn token_error<E: std::error::Error + 'static>(
    error: RequestTokenError<E, StandardErrorResponse<CoreErrorResponseType>>,
) -> OidcError {
    match error {
        RequestTokenError::ServerResponse(answer) => match answer.error() {
            CoreErrorResponseType::InvalidGrant => OidcError::CodeRejected,
            other => OidcError::ProviderError(format!("token endpoint: {}", other.as_ref())),
        },
        RequestTokenError::Parse(e, _) => {
            OidcError::InvalidToken(TokenProblem::Malformed, format!("unreadable token answer: {e}"))
        }
        other => unreachable("token endpoint", other),
    }
}
