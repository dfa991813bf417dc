//! Accounts: users, passwords, sessions, invites and the login limiter.
//!
//! [`Accounts`] holds the rules; the store holds the rows. This module never sees HTTP: callers pass a
//! [`ClientInfo`] and get typed [`AccountError`]s back. Password hashing runs on blocking threads.

mod error;
mod limiter;
pub mod password;
mod sso;
pub mod token;
pub mod username;

use std::net::IpAddr;
use std::sync::Arc;

use tokio::sync::OnceCell;

pub use error::AccountError;
pub use limiter::LoginLimiter;
pub use sso::ExternalIdentity;
pub use token::SessionToken;

use crate::clock::SharedClock;
use crate::config::SecurityConfig;
use crate::store::{Invite, NewUser, Session, Snowflake, Store, StoreError, User};

/// Minimum time between two `last_seen_at` writes for one session.
const TOUCH_INTERVAL_MS: i64 = 60_000;

/// Who is making a request, as far as accounts care.
#[derive(Debug, Clone)]
pub struct ClientInfo {
    /// The client's address (after trusted-proxy resolution).
    pub ip: IpAddr,
    /// The `User-Agent` header, shortened.
    pub user_agent: String,
}

/// The account rules. Cheap to clone.
#[derive(Clone)]
pub struct Accounts {
    store: Store,
    clock: SharedClock,
    security: Arc<SecurityConfig>,
    limiter: Arc<LoginLimiter>,
    /// Password checks running and waiting.
    checks: Arc<password::Checks>,
    /// A hash checked when the user does not exist, so unknown names take as long as wrong passwords.
    dummy_hash: Arc<OnceCell<String>>,
}

impl Accounts {
    /// Account rules over `store`, with limits and lifetimes from `security`.
    pub fn new(store: Store, clock: SharedClock, security: SecurityConfig) -> Self {
        Self {
            limiter: Arc::new(LoginLimiter::new(&security, clock.clone())),
            checks: Arc::default(),
            store,
            clock,
            security: Arc::new(security),
            dummy_hash: Arc::new(OnceCell::new()),
        }
    }

    /// The login limiter, for periodic pruning.
    pub fn limiter(&self) -> &LoginLimiter {
        &self.limiter
    }

    /// Creates an account with a password after checking the rules.
    pub async fn create_user(&self, raw_username: &str, password: &str, is_admin: bool) -> Result<User, AccountError> {
        let username = username::normalize(raw_username)?;
        password::validate(password)?;
        let hash = password::hash(password.to_owned()).await?;
        let new = NewUser {
            username,
            password_hash: Some(hash),
            is_admin,
            is_bot: false,
        };
        Ok(self.store.user_create(new, self.clock.now_ms()).await?)
    }

    /// Finds a user by name.
    pub async fn find_user(&self, raw_username: &str) -> Result<User, AccountError> {
        let username = raw_username.trim().to_lowercase();
        self.store
            .user_by_name(&username)
            .await?
            .map(|u| u.user)
            .ok_or(AccountError::UnknownUser(username))
    }

    /// Checks a username and password and opens a session.
    pub async fn login(
        &self,
        raw_username: &str,
        password: &str,
        client: &ClientInfo,
    ) -> Result<(SessionToken, User), AccountError> {
        let username = raw_username.trim().to_lowercase();
        self.limiter
            .check(client.ip, &username)
            .map_err(AccountError::RateLimited)?;
        let found = self.store.user_by_name(&username).await?;
        let hash = match found.as_ref().and_then(|f| f.password_hash.clone()) {
            Some(hash) => hash,
            None => self.dummy_hash().await?,
        };
        let matches = self.checks.verify(password.to_owned(), hash).await?;
        match found {
            Some(found) if matches && found.password_hash.is_some() && !found.user.disabled && !found.user.is_bot => {
                let token = self.open_session(found.user.id, client).await?;
                Ok((token, found.user))
            }
            _ => Err(AccountError::InvalidCredentials),
        }
    }

    /// Creates an account through an invite and logs it in.
    pub async fn sign_up(
        &self,
        code: &str,
        raw_username: &str,
        password: &str,
        client: &ClientInfo,
    ) -> Result<(SessionToken, User), AccountError> {
        self.usable_invite(code).await?;
        let username = username::normalize(raw_username)?;
        password::validate(password)?;
        let hash = password::hash(password.to_owned()).await?;
        let new = NewUser {
            username,
            password_hash: Some(hash),
            is_admin: false,
            is_bot: false,
        };
        let user = match self.store.invite_redeem(code, new, self.clock.now_ms()).await {
            Ok(Ok(user)) => user,
            Ok(Err(status)) => return Err(AccountError::InviteUnusable(status)),
            Err(StoreError::NotFound) => return Err(AccountError::UnknownInvite),
            Err(other) => return Err(other.into()),
        };
        let token = self.open_session(user.id, client).await?;
        Ok((token, user))
    }

    /// The session and user for a cookie token, if the session is live; records activity now and then.
    pub async fn authenticate(&self, token: &SessionToken) -> Result<Option<(Session, User)>, AccountError> {
        let now = self.clock.now_ms();
        let found = self.store.session_get(token.hash(), now).await?;
        if let Some((session, _)) = &found
            && now - session.last_seen_at >= TOUCH_INTERVAL_MS
        {
            self.store.session_touch(session.token_hash, now).await?;
        }
        Ok(found)
    }

    /// Creates a bot account with a role carrying `permissions`; returns it with its token (shown once,
    /// stored only as a hash).
    pub async fn create_bot(&self, raw_username: &str, permissions: u64) -> Result<(User, String), AccountError> {
        let username = username::normalize(raw_username)?;
        let id = self.store.next_id();
        let token = token::bot_token(id);
        let user = self
            .store
            .bot_create(
                id,
                username,
                token::hash_bot_token(&token),
                permissions,
                self.clock.now_ms(),
            )
            .await?;
        Ok((user, token))
    }

    /// Replaces a bot's token; returns the new one.
    pub async fn rotate_bot_token(&self, user_id: Snowflake) -> Result<String, AccountError> {
        let token = token::bot_token(user_id);
        self.store
            .bot_rotate(user_id, token::hash_bot_token(&token), self.clock.now_ms())
            .await?;
        Ok(token)
    }

    /// The bot whose token this is.
    pub async fn authenticate_bot(&self, token: &str) -> Result<Option<User>, AccountError> {
        if token.is_empty() || token.len() > 200 {
            return Ok(None);
        }
        Ok(self.store.bot_by_token(token::hash_bot_token(token)).await?)
    }

    /// Ends one session.
    pub async fn logout(&self, token: &SessionToken) -> Result<(), AccountError> {
        Ok(self.store.session_delete(token.hash()).await?)
    }

    /// Ends every session of a user ("log out everywhere").
    pub async fn logout_everywhere(&self, user_id: Snowflake) -> Result<usize, AccountError> {
        Ok(self.store.sessions_delete_for_user(user_id).await?)
    }

    /// The user's live sessions, newest first.
    pub async fn sessions(&self, user_id: Snowflake) -> Result<Vec<Session>, AccountError> {
        Ok(self.store.sessions_for_user(user_id, self.clock.now_ms()).await?)
    }

    /// Sets a user's password (ending their sessions).
    pub async fn set_password(&self, user_id: Snowflake, password: &str) -> Result<(), AccountError> {
        password::validate(password)?;
        let hash = password::hash(password.to_owned()).await?;
        Ok(self.store.user_set_password(user_id, hash).await?)
    }

    /// Changes a user's own password after checking the current one. Every session ends (as with
    /// [`Accounts::set_password`]) and a new one is opened for the browser that asked, so it stays logged in.
    pub async fn change_password(
        &self,
        user: &User,
        current: &str,
        new: &str,
        client: &ClientInfo,
    ) -> Result<SessionToken, AccountError> {
        // A new password that breaks the rules is refused before anything counts as an attempt.
        password::validate(new)?;
        // Guessing the current password with a stolen cookie meets the login limits: the address's bucket, and a
        // bucket of the same size for this account's password changes (its logins keep their own).
        self.limiter
            .check(client.ip, &format!("password change {}", user.username))
            .map_err(AccountError::RateLimited)?;
        let found = self.store.user_by_name(&user.username).await?;
        let Some(hash) = found.and_then(|f| f.password_hash) else {
            return Err(AccountError::InvalidCredentials);
        };
        if !self.checks.verify(current.to_owned(), hash).await? {
            return Err(AccountError::InvalidCredentials);
        }
        self.set_password(user.id, new).await?;
        self.open_session(user.id, client).await
    }

    /// Ends the given sessions of a user (by token hash); hashes of other users' sessions are ignored. Returns
    /// how many ended.
    pub async fn end_sessions(&self, user_id: Snowflake, hashes: &[[u8; 32]]) -> Result<usize, AccountError> {
        let mut ended = 0;
        for session in self.sessions(user_id).await? {
            if hashes.contains(&session.token_hash) {
                self.store.session_delete(session.token_hash).await?;
                ended += 1;
            }
        }
        Ok(ended)
    }

    /// Creates an invite. `max_uses` 0 means unlimited; `ttl` defaults to the configured invite lifetime.
    pub async fn create_invite(
        &self,
        inviter: Option<Snowflake>,
        max_uses: u32,
        ttl: Option<std::time::Duration>,
    ) -> Result<Invite, AccountError> {
        let now = self.clock.now_ms();
        let ttl_ms = ttl.map_or(self.security.invite_ttl.as_millis_i64(), |d| {
            i64::try_from(d.as_millis()).unwrap_or(i64::MAX)
        });
        let expires_at = now.saturating_add(ttl_ms);
        match self
            .store
            .invite_create(
                token::random_code(10),
                inviter,
                i64::from(max_uses),
                Some(expires_at),
                now,
            )
            .await
        {
            Err(StoreError::NotFound) => Err(AccountError::NoHomeSpace),
            other => Ok(other?),
        }
    }

    /// The invite with `code` if it can be used now.
    pub async fn usable_invite(&self, code: &str) -> Result<Invite, AccountError> {
        let invite = self.store.invite_get(code).await?.ok_or(AccountError::UnknownInvite)?;
        match invite.status(self.clock.now_ms()) {
            crate::store::InviteStatus::Valid => Ok(invite),
            status => Err(AccountError::InviteUnusable(status)),
        }
    }

    /// Drops expired sessions; returns how many.
    pub async fn purge_expired_sessions(&self) -> Result<usize, AccountError> {
        Ok(self.store.sessions_purge_expired(self.clock.now_ms()).await?)
    }

    async fn open_session(&self, user_id: Snowflake, client: &ClientInfo) -> Result<SessionToken, AccountError> {
        let token = SessionToken::generate();
        self.store
            .session_create(self.new_session(&token, user_id, client))
            .await?;
        Ok(token)
    }

    /// Takes one attempt from the client address's login bucket (single sign-on starts count as attempts).
    pub fn check_login_rate(&self, ip: IpAddr) -> Result<(), AccountError> {
        self.limiter.check_ip(ip).map_err(AccountError::RateLimited)
    }

    async fn dummy_hash(&self) -> Result<String, AccountError> {
        self.dummy_hash
            .get_or_try_init(|| password::hash(token::random_token()))
            .await
            .cloned()
    }
}
