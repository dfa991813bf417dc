//! [`AccountError`]: why an account operation was refused.

use std::time::Duration;

use thiserror::Error;

use crate::store::{InviteStatus, StoreError};

/// Why an account operation was refused or failed.
#[derive(Debug, Error)]
pub enum AccountError {
    /// Wrong username or password — deliberately the same for an unknown user, a disabled one and a wrong
    /// password, so the answer does not reveal which accounts exist.
    #[error("wrong username or password")]
    InvalidCredentials,
    /// Too many login attempts; try again after the duration.
    #[error("too many login attempts; try again in {} s", .0.as_secs().max(1))]
    RateLimited(Duration),
    /// The username breaks the rules.
    #[error("username {0}")]
    InvalidUsername(String),
    /// The password breaks the rules.
    #[error("password {0}")]
    WeakPassword(String),
    /// The username is taken.
    #[error("that username is taken")]
    UsernameTaken,
    /// No such user.
    #[error("no user named {0}")]
    UnknownUser(String),
    /// No invite with that code.
    #[error("this invite link does not exist")]
    UnknownInvite,
    /// The invite exists but cannot be used.
    #[error("{}", match .0 {
        InviteStatus::Expired => "this invite has expired",
        InviteStatus::UsedUp => "this invite has already been used",
        InviteStatus::Revoked => "this invite was revoked",
        InviteStatus::Valid => "this invite is valid",
    })]
    InviteUnusable(InviteStatus),
    /// The identity is linked to another account, or the account already has one from this provider.
    #[error("this identity is already linked to an account")]
    IdentityTaken,
    /// The account has no identity from this provider.
    #[error("no identity from this provider is linked to the account")]
    NotLinked,
    /// Unlinking would leave the account without a way to log in.
    #[error("this is the account's only way to log in")]
    LastWayIn,
    /// The home space does not exist (the database was not made by `spot init`).
    #[error("the home space is missing; run `spot init`")]
    NoHomeSpace,
    /// The store failed.
    #[error(transparent)]
    Store(StoreError),
    /// Something that should not fail did (a hashing thread died).
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StoreError> for AccountError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Conflict("username") => Self::UsernameTaken,
            other => Self::Store(other),
        }
    }
}
