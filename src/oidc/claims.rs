//! [`Person`]: who the provider says signed in — the verified `(issuer, subject)` and the few claims spot uses
//! (email and whether it is verified, groups, a preferred username, a name), from the ID token and, for what the
//! token leaves out, the userinfo answer.

use std::collections::HashMap;

use openidconnect::{AdditionalClaims, GenderClaim, IdTokenClaims, UserInfoClaims};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Claims beyond the standard ones (the groups claim's name is configurable, so they are kept as a map).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ExtraClaims {
    #[serde(flatten)]
    rest: HashMap<String, Value>,
}

impl AdditionalClaims for ExtraClaims {}

/// The person who signed in, as the provider describes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Person {
    /// The issuer that vouches for them.
    pub issuer: String,
    /// The issuer's stable id for them.
    pub subject: String,
    /// Their email address, if stated.
    pub email: Option<String>,
    /// Whether the provider verified that address (`None`: not stated).
    pub email_verified: Option<bool>,
    /// Their groups (empty if not stated).
    pub groups: Vec<String>,
    /// Whether the groups claim was present at all.
    pub groups_stated: bool,
    /// The username they prefer.
    pub preferred_username: Option<String>,
    /// Their full name.
    pub name: Option<String>,
}

/// Reads a groups claim: a list of strings or one string (some providers send a single group as a string).
fn groups(value: Option<&Value>) -> Option<Vec<String>> {
    match value? {
        Value::Array(items) => Some(items.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()),
        Value::String(one) => Some(vec![one.clone()]),
        _ => None,
    }
}

impl Person {
    /// What accounts need of this person to sign them in, link them or make them an account.
    pub fn identity(&self) -> crate::accounts::ExternalIdentity {
        crate::accounts::ExternalIdentity {
            issuer: self.issuer.clone(),
            subject: self.subject.clone(),
            email: self.email.clone(),
            name: self.name.clone(),
            username_base: super::policy::username_base(self),
        }
    }

    /// The person described by verified ID token claims.
    pub fn from_id_token<G: GenderClaim>(claims: &IdTokenClaims<ExtraClaims, G>, groups_claim: &str) -> Self {
        let found = groups(claims.additional_claims().rest.get(groups_claim));
        Self {
            issuer: claims.issuer().to_string(),
            subject: claims.subject().to_string(),
            email: claims.email().map(|e| e.to_string()),
            email_verified: claims.email_verified(),
            groups_stated: found.is_some(),
            groups: found.unwrap_or_default(),
            preferred_username: claims.preferred_username().map(|u| u.to_string()),
            name: claims.name().and_then(|n| n.get(None)).map(|n| n.to_string()),
        }
    }

    /// Whether a userinfo answer could add something spot needs: an email address to check a domain, groups to
    /// check membership, or a name for a new account.
    pub fn lacks(&self, need_email: bool, need_groups: bool) -> bool {
        (need_email && (self.email.is_none() || self.email_verified.is_none()))
            || (need_groups && !self.groups_stated)
            || (self.preferred_username.is_none() && self.name.is_none() && self.email.is_none())
    }

    /// Fills what the ID token left out from a userinfo answer (whose `sub` the caller has checked).
    pub fn complete_from<G: GenderClaim>(&mut self, info: &UserInfoClaims<ExtraClaims, G>, groups_claim: &str) {
        if self.email.is_none() {
            self.email = info.email().map(|e| e.to_string());
            self.email_verified = info.email_verified();
        }
        if self.email_verified.is_none() {
            self.email_verified = info.email_verified();
        }
        if !self.groups_stated
            && let Some(found) = groups(info.additional_claims().rest.get(groups_claim))
        {
            self.groups = found;
            self.groups_stated = true;
        }
        if self.preferred_username.is_none() {
            self.preferred_username = info.preferred_username().map(|u| u.to_string());
        }
        if self.name.is_none() {
            self.name = info.name().and_then(|n| n.get(None)).map(|n| n.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_lists_or_one_string() {
        assert_eq!(
            groups(Some(&serde_json::json!(["a", 1, "b"]))),
            Some(vec!["a".to_owned(), "b".to_owned()])
        );
        assert_eq!(groups(Some(&serde_json::json!("solo"))), Some(vec!["solo".to_owned()]));
        assert_eq!(groups(Some(&serde_json::json!({"a": 1}))), None);
        assert_eq!(groups(None), None);
    }
}
