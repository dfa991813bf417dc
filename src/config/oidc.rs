//! `[oidc]`: single sign-on with OpenID Connect — the switches that apply to every provider, and one
//! `[oidc.providers.<name>]` table per identity provider. Checked by [`validate`] at start-up; the rules about
//! what a provider's answer allows (policies, groups, domains) live in the oidc module, not here.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::HumanDuration;
use super::load::ConfigError;

/// `[oidc]`: single sign-on.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct OidcConfig {
    /// Whether people may log in (and sign up through invites) with a username and password on the web.
    /// `false` makes single sign-on the only way in; the `spot` CLI still works for recovery.
    pub password_login: bool,
    /// Clock difference tolerated between this machine and a provider when checking a token's times.
    pub clock_leeway: HumanDuration,
    /// How long someone has to finish signing in at the provider before the attempt is forgotten.
    pub login_timeout: HumanDuration,
    /// Time allowed for each request spot makes to a provider (discovery, keys, token, userinfo).
    pub timeout: HumanDuration,
    /// The identity providers, by name. The name appears in URLs (`/auth/oidc/<name>/callback`).
    pub providers: BTreeMap<String, ProviderConfig>,
}

impl OidcConfig {
    /// How to name an identity from `issuer` to people: its provider's name here (with the email it gave), or
    /// the issuer itself when no configured provider has it any more.
    pub fn describe_identity(&self, issuer: &str, email: Option<&str>) -> String {
        let name = self
            .providers
            .iter()
            .find(|(_, p)| p.issuer == issuer)
            .map_or(issuer, |(name, _)| name.as_str());
        match email {
            Some(email) => format!("{name} ({email})"),
            None => name.to_owned(),
        }
    }
}

impl Default for OidcConfig {
    fn default() -> Self {
        Self {
            password_login: true,
            clock_leeway: HumanDuration::from_secs(60),
            login_timeout: HumanDuration::from_secs(600),
            timeout: HumanDuration::from_secs(10),
            providers: BTreeMap::new(),
        }
    }
}

/// Who may get in through a provider when their identity is not linked to an account yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AccountPolicy {
    /// Only people who link the identity to an existing account, or who come with an invite.
    LinkOnly,
    /// Anyone the provider vouches for gets an account (narrowed by `allowed_email_domains` and
    /// `allowed_groups`).
    AutoCreate,
}

/// `[oidc.providers.<name>]`: one OpenID Provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct ProviderConfig {
    /// The issuer URL, exactly as the provider states it in its discovery document.
    pub issuer: String,
    /// The client id registered at the provider for spot.
    pub client_id: String,
    /// The client secret registered at the provider for spot.
    pub client_secret: String,
    /// Scopes asked for; `openid` is always added.
    pub scopes: Vec<String>,
    /// The provider's name as people know it, e.g. `Authelia`; the button says "Sign in with <label>".
    /// Empty: the provider's name in this file.
    pub label: String,
    /// An icon for the button: a `data:image/…` URL or a path on this server (the CSP allows no other images).
    pub icon: String,
    /// `link-only` or `auto-create`.
    pub policy: AccountPolicy,
    /// `auto-create` only: when not empty, only verified email addresses in these domains get accounts.
    pub allowed_email_domains: Vec<String>,
    /// `auto-create` only: when not empty, only members of one of these groups get accounts.
    pub allowed_groups: Vec<String>,
    /// Members of these groups are spot admins while they sign in through this provider.
    pub admin_groups: Vec<String>,
    /// The claim holding the user's groups (in the ID token or the userinfo answer).
    pub groups_claim: String,
}

impl Default for ProviderConfig {
    fn default() -> Self {
        Self {
            issuer: String::new(),
            client_id: String::new(),
            client_secret: String::new(),
            scopes: vec!["openid".to_owned(), "profile".to_owned(), "email".to_owned()],
            label: String::new(),
            icon: String::new(),
            policy: AccountPolicy::LinkOnly,
            allowed_email_domains: Vec::new(),
            allowed_groups: Vec::new(),
            admin_groups: Vec::new(),
            groups_claim: "groups".to_owned(),
        }
    }
}

impl ProviderConfig {
    /// The name shown to people: `label`, or else `name`.
    pub fn display_name(&self, name: &str) -> String {
        if self.label.is_empty() {
            name.to_owned()
        } else {
            self.label.clone()
        }
    }
}

/// Checks the `[oidc]` section; every problem is one line naming the key.
pub(super) fn validate(oidc: &OidcConfig) -> Result<(), ConfigError> {
    if !oidc.password_login && oidc.providers.is_empty() {
        return Err(ConfigError::Invalid {
            key: "oidc.password_login",
            message: "is false but no [oidc.providers.<name>] is configured, so nobody could log in".to_owned(),
        });
    }
    if oidc.clock_leeway.0.as_secs() > 600 {
        return Err(ConfigError::Invalid {
            key: "oidc.clock_leeway",
            message: "must be at most 10m (fix the clocks instead)".to_owned(),
        });
    }
    let mut issuers: BTreeMap<String, &str> = BTreeMap::new();
    for (name, provider) in &oidc.providers {
        let fail = |key: &'static str, message: &str| {
            Err(ConfigError::Provider {
                name: name.clone(),
                key,
                message: message.to_owned(),
            })
        };
        if name.is_empty() || name.len() > 32 || !name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()) {
            return fail("name", "provider names are 1 to 32 lowercase letters and digits");
        }
        match url::Url::parse(&provider.issuer) {
            Ok(url)
                if matches!(url.scheme(), "https" | "http")
                    && url.host().is_some()
                    && url.query().is_none()
                    && url.fragment().is_none() => {}
            _ if provider.issuer.is_empty() => return fail("issuer", "is required"),
            _ => return fail("issuer", "must be an http:// or https:// URL without query or fragment"),
        }
        if let Some(other) = issuers.insert(provider.issuer.trim_end_matches('/').to_owned(), name) {
            return fail(
                "issuer",
                &format!("is also provider {other}'s; identities are keyed by issuer, so configure it once"),
            );
        }
        if provider.client_id.trim().is_empty() {
            return fail("client_id", "is required");
        }
        if provider.client_secret.is_empty() {
            return fail(
                "client_secret",
                "is required (spot is a confidential client); SPOT_OIDC_PROVIDERS_<NAME>_CLIENT_SECRET keeps it out of the file",
            );
        }
        if provider
            .scopes
            .iter()
            .any(|s| s.is_empty() || s.contains(char::is_whitespace))
        {
            return fail("scopes", "must be single words such as \"email\"");
        }
        if !(provider.icon.is_empty() || provider.icon.starts_with("data:image/") || provider.icon.starts_with('/')) {
            return fail(
                "icon",
                "must be a data:image/… URL or a path on this server such as /assets/idp.svg",
            );
        }
        if provider.groups_claim.trim().is_empty() {
            return fail("groups_claim", "must name a claim, e.g. \"groups\"");
        }
        if provider
            .allowed_email_domains
            .iter()
            .any(|d| d.is_empty() || d.contains(['@', '/', ' ']))
        {
            return fail("allowed_email_domains", "must list domains such as \"example.org\"");
        }
        let restricted = !provider.allowed_email_domains.is_empty() || !provider.allowed_groups.is_empty();
        if restricted && provider.policy != AccountPolicy::AutoCreate {
            return fail(
                "policy",
                "allowed_email_domains and allowed_groups only apply to policy = \"auto-create\"",
            );
        }
    }
    Ok(())
}
