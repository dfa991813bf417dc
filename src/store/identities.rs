//! Single sign-on identities: an identity provider's `(issuer, subject)` linked to one account, and the provider
//! each SSO session came through. Creating an account for an identity (through an invite or not) and linking it
//! happen in one transaction, as does signing in with the admin-group sync, so no half-made account is left.

use rusqlite::{Connection, Row, params};

use super::error::OptionalRow;
use super::invites::InviteStatus;
use super::{NewUser, Session, Snowflake, Store, StoreError, User, users};
use crate::clock::Millis;

/// An identity linked to an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// The provider's issuer URL.
    pub issuer: String,
    /// The provider's stable id for the person (`sub`).
    pub subject: String,
    /// The account it signs in to.
    pub user_id: Snowflake,
    /// The email address the provider last stated; for admins to read, never used to match.
    pub email: Option<String>,
    /// This provider's admin groups made the user an admin.
    pub admin_granted: bool,
    /// When it was linked.
    pub linked_at: Millis,
    /// Last sign-in through it.
    pub last_login_at: Option<Millis>,
}

/// What changes when someone signs in through a provider.
#[derive(Debug, Clone)]
pub struct IdentitySignIn {
    /// The email address the provider states now.
    pub email: Option<String>,
    /// `Some(true)`: in an admin group, make (or keep) the user an admin. `Some(false)`: not in one; remove
    /// admin rights if this identity granted them. `None`: the provider has no admin groups.
    pub admin: Option<bool>,
    /// The session to open.
    pub session: Session,
    /// The provider's name, remembered with the session.
    pub provider: String,
}

const COLUMNS: &str = "issuer, subject, user_id, email, admin_granted, linked_at, last_login_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Identity> {
    Ok(Identity {
        issuer: row.get(0)?,
        subject: row.get(1)?,
        user_id: row.get(2)?,
        email: row.get(3)?,
        admin_granted: row.get(4)?,
        linked_at: row.get(5)?,
        last_login_at: row.get(6)?,
    })
}

fn insert(conn: &Connection, identity: &Identity) -> Result<(), StoreError> {
    conn.execute(
        &format!("INSERT INTO oidc_identities ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"),
        params![
            identity.issuer,
            identity.subject,
            identity.user_id,
            identity.email,
            identity.admin_granted,
            identity.linked_at,
            identity.last_login_at
        ],
    )
    .map_err(StoreError::on_unique("identity"))?;
    Ok(())
}

fn by_key(conn: &Connection, issuer: &str, subject: &str) -> Result<Option<Identity>, StoreError> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM oidc_identities WHERE issuer = ?1 AND subject = ?2"),
        params![issuer, subject],
        from_row,
    )
    .optional_row()
}

fn list(conn: &Connection, sql_where: &str, args: impl rusqlite::Params) -> Result<Vec<Identity>, StoreError> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM oidc_identities {sql_where} ORDER BY user_id, issuer"
    ))?;
    let rows = stmt.query_map(args, from_row)?.collect::<Result<_, _>>()?;
    Ok(rows)
}

impl Store {
    /// Links an identity to an existing account. [`StoreError::Conflict`] (`"identity"`) when the identity is
    /// linked to an account already, or the account has an identity from this issuer.
    pub async fn identity_link(&self, identity: Identity) -> Result<(), StoreError> {
        self.write(move |tx| insert(tx, &identity)).await
    }

    /// Creates an account and links `identity` (its `user_id` is replaced) in one transaction. With an invite
    /// code the invite is checked and a use consumed in the same transaction: `Ok(Err(status))` when it cannot
    /// be used, [`StoreError::NotFound`] for an unknown code.
    pub async fn identity_create_user(
        &self,
        new: NewUser,
        mut identity: Identity,
        invite: Option<String>,
        now: Millis,
    ) -> Result<Result<User, InviteStatus>, StoreError> {
        let id = self.next_id();
        self.write(move |tx| {
            if let Some(code) = &invite {
                let status = super::invites::status_of(tx, code, now)?.ok_or(StoreError::NotFound)?;
                if status != InviteStatus::Valid {
                    return Ok(Err(status));
                }
                tx.execute("UPDATE invites SET uses = uses + 1 WHERE code = ?1", [code])?;
            }
            let user = users::insert(tx, id, &new, now)?;
            identity.user_id = user.id;
            insert(tx, &identity)?;
            Ok(Ok(user))
        })
        .await
    }

    /// The identity and its account, if linked.
    pub async fn identity_get(&self, issuer: &str, subject: &str) -> Result<Option<(Identity, User)>, StoreError> {
        let (issuer, subject) = (issuer.to_owned(), subject.to_owned());
        self.read(move |conn| match by_key(conn, &issuer, &subject)? {
            Some(identity) => Ok(users::by_id(conn, identity.user_id)?.map(|user| (identity, user))),
            None => Ok(None),
        })
        .await
    }

    /// The identities linked to one account.
    pub async fn identities_for_user(&self, user_id: Snowflake) -> Result<Vec<Identity>, StoreError> {
        self.read(move |conn| list(conn, "WHERE user_id = ?1", [user_id])).await
    }

    /// Every linked identity, by account.
    pub async fn identities_list(&self) -> Result<Vec<Identity>, StoreError> {
        self.read(|conn| list(conn, "", [])).await
    }

    /// The provider a session was opened through, if any.
    pub async fn session_provider(&self, token_hash: [u8; 32]) -> Result<Option<String>, StoreError> {
        self.read(move |conn| {
            conn.query_row(
                "SELECT provider FROM oidc_sessions WHERE token_hash = ?1",
                [token_hash],
                |row| row.get(0),
            )
            .optional_row()
        })
        .await
    }

    /// Signs in through a linked identity: records the sign-in, applies the admin-group rule and opens the
    /// session (for the identity's account, whatever `user_id` it carries), in one transaction. Returns the account as it is afterwards, or `None` when the identity is no
    /// longer linked or its account is disabled (no session is opened then).
    pub async fn identity_sign_in(
        &self,
        issuer: &str,
        subject: &str,
        mut sign_in: IdentitySignIn,
    ) -> Result<Option<User>, StoreError> {
        let (issuer, subject) = (issuer.to_owned(), subject.to_owned());
        self.write(move |tx| {
            let Some(identity) = by_key(tx, &issuer, &subject)? else {
                return Ok(None);
            };
            let Some(user) = users::by_id(tx, identity.user_id)? else {
                return Ok(None);
            };
            if user.disabled || user.is_bot {
                return Ok(None);
            }
            sign_in.session.user_id = user.id;
            let now = sign_in.session.created_at;
            let (is_admin, granted) = match sign_in.admin {
                Some(true) => (true, identity.admin_granted || !user.is_admin),
                Some(false) if identity.admin_granted => (false, false),
                _ => (user.is_admin, identity.admin_granted),
            };
            tx.execute(
                "UPDATE oidc_identities SET email = ?3, admin_granted = ?4, last_login_at = ?5
                 WHERE issuer = ?1 AND subject = ?2",
                params![issuer, subject, sign_in.email, granted, now],
            )?;
            tx.execute(
                "UPDATE users SET is_admin = ?2 WHERE id = ?1",
                params![user.id, is_admin],
            )?;
            super::sessions::insert(tx, &sign_in.session)?;
            tx.execute(
                "INSERT INTO oidc_sessions (token_hash, provider) VALUES (?1, ?2)",
                params![sign_in.session.token_hash, sign_in.provider],
            )?;
            users::by_id(tx, user.id)
        })
        .await
    }

    /// Unlinks the account's identity from `issuer`; `false` if there was none.
    pub async fn identity_unlink(&self, user_id: Snowflake, issuer: &str) -> Result<bool, StoreError> {
        let issuer = issuer.to_owned();
        self.write(move |tx| {
            let removed = tx.execute(
                "DELETE FROM oidc_identities WHERE user_id = ?1 AND issuer = ?2",
                params![user_id, issuer],
            )?;
            Ok(removed > 0)
        })
        .await
    }
}
