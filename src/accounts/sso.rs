//! Accounts through single sign-on: signing in with a linked identity, creating an account for a new one (on
//! the provider's policy or with an invite), linking and unlinking. The decisions about *whether* an identity
//! may have an account are the oidc module's policy's; this file carries them out against the store.

use super::{AccountError, Accounts, ClientInfo, SessionToken};
use crate::store::{Identity, IdentitySignIn, NewUser, Session, Snowflake, StoreError, User};

/// A person as an identity provider vouches for them, in the terms accounts need (the oidc module reads the
/// provider's claims and fills this in).
#[derive(Debug, Clone)]
pub struct ExternalIdentity {
    /// The issuer that vouches for them.
    pub issuer: String,
    /// The issuer's stable id for them.
    pub subject: String,
    /// Their email address, if stated.
    pub email: Option<String>,
    /// Their full name, if stated (the new account's display name).
    pub name: Option<String>,
    /// The username a new account starts from (already reduced to what usernames allow).
    pub username_base: String,
}

/// Usernames tried for a new account before giving up: the base, then the base with 2, 3, … appended.
const USERNAME_TRIES: u32 = 50;

impl Accounts {
    /// Signs in through a linked identity and opens a session remembered as coming from `provider`. `admin` is
    /// the admin-group verdict (the oidc policy's admin-group rule). `Ok(None)` when the identity is
    /// not linked or its account is disabled.
    pub async fn sso_sign_in(
        &self,
        person: &ExternalIdentity,
        provider: &str,
        admin: Option<bool>,
        client: &ClientInfo,
    ) -> Result<Option<(SessionToken, User)>, AccountError> {
        let token = SessionToken::generate();
        let sign_in = IdentitySignIn {
            email: person.email.clone(),
            admin,
            session: self.new_session(&token, Snowflake::default(), client),
            provider: provider.to_owned(),
        };
        // The session's user id is filled in by the store from the identity's account.
        let user = self
            .store
            .identity_sign_in(&person.issuer, &person.subject, sign_in)
            .await?;
        Ok(user.map(|user| (token, user)))
    }

    /// Creates an account for `person` and links the identity, consuming a use of `invite` if given, all in one
    /// transaction. The username comes from the person's claims, made unique with a number if taken.
    pub async fn sso_create(&self, person: &ExternalIdentity, invite: Option<&str>) -> Result<User, AccountError> {
        let base = person.username_base.clone();
        for attempt in 1..=USERNAME_TRIES {
            let username = if attempt == 1 {
                base.clone()
            } else {
                format!("{base}{attempt}")
            };
            let new = NewUser {
                username: super::username::normalize(&username)?,
                password_hash: None,
                is_admin: false,
                is_bot: false,
            };
            let now = self.clock.now_ms();
            let identity = self.identity_row(person, Snowflake::default());
            match self
                .store
                .identity_create_user(new, identity, invite.map(str::to_owned), now)
                .await
            {
                Ok(Ok(user)) => {
                    if let Some(name) = person.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
                        let name: String = name.chars().take(32).collect();
                        return Ok(self.store.user_set_profile(user.id, Some(Some(name)), None).await?);
                    }
                    return Ok(user);
                }
                Ok(Err(status)) => return Err(AccountError::InviteUnusable(status)),
                Err(StoreError::NotFound) => return Err(AccountError::UnknownInvite),
                Err(StoreError::Conflict("username")) => continue,
                Err(StoreError::Conflict(_)) => return Err(AccountError::IdentityTaken),
                Err(other) => return Err(other.into()),
            }
        }
        Err(AccountError::UsernameTaken)
    }

    /// Links `person`'s identity to an existing account.
    pub async fn sso_link(&self, user_id: Snowflake, person: &ExternalIdentity) -> Result<(), AccountError> {
        match self.store.identity_link(self.identity_row(person, user_id)).await {
            Err(StoreError::Conflict(_)) => Err(AccountError::IdentityTaken),
            other => Ok(other?),
        }
    }

    /// Unlinks the account's identity from `issuer`, unless it is the account's last way in: another identity
    /// must remain, or the account must have a password that may be used (`password_login`).
    pub async fn sso_unlink(&self, user: &User, issuer: &str, password_login: bool) -> Result<(), AccountError> {
        let identities = self.store.identities_for_user(user.id).await?;
        if !identities.iter().any(|i| i.issuer == issuer) {
            return Err(AccountError::NotLinked);
        }
        let has_password = self
            .store
            .user_by_name(&user.username)
            .await?
            .is_some_and(|found| found.password_hash.is_some());
        if identities.len() == 1 && !(has_password && password_login) {
            return Err(AccountError::LastWayIn);
        }
        self.store.identity_unlink(user.id, issuer).await?;
        Ok(())
    }

    /// The identities linked to an account.
    pub async fn sso_identities(&self, user_id: Snowflake) -> Result<Vec<Identity>, AccountError> {
        Ok(self.store.identities_for_user(user_id).await?)
    }

    fn identity_row(&self, person: &ExternalIdentity, user_id: Snowflake) -> Identity {
        Identity {
            issuer: person.issuer.clone(),
            subject: person.subject.clone(),
            user_id,
            email: person.email.clone(),
            admin_granted: false,
            linked_at: self.clock.now_ms(),
            last_login_at: None,
        }
    }

    pub(super) fn new_session(&self, token: &SessionToken, user_id: Snowflake, client: &ClientInfo) -> Session {
        let now = self.clock.now_ms();
        Session {
            token_hash: token.hash(),
            user_id,
            created_at: now,
            last_seen_at: now,
            expires_at: now.saturating_add(self.security.session_ttl.as_millis_i64()),
            ip: client.ip.to_string(),
            user_agent: client.user_agent.chars().take(200).collect(),
        }
    }
}
