//! Invites: codes that let someone create an account. Redeeming checks and consumes a use in the same
//! transaction that creates the account, so a single-use invite can never be used twice, even by two
//! requests racing.

use rusqlite::{Connection, Row, params};

use super::error::OptionalRow;
use super::{NewUser, Snowflake, Store, StoreError, User, users};
use crate::clock::Millis;

/// An invite.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invite {
    /// The code in the link (`/invite/{code}`).
    pub code: String,
    /// The space it admits to.
    pub guild_id: Snowflake,
    /// The channel it lands on.
    pub channel_id: Option<Snowflake>,
    /// Who made it (`None` for the CLI or a deleted user).
    pub inviter_id: Option<Snowflake>,
    /// How many accounts it may create; 0 means unlimited.
    pub max_uses: i64,
    /// How many it has created.
    pub uses: i64,
    /// When it was made.
    pub created_at: Millis,
    /// When it stops working, if ever.
    pub expires_at: Option<Millis>,
    /// Revoked by an admin.
    pub revoked: bool,
}

/// Whether an invite can be used now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InviteStatus {
    /// Usable.
    Valid,
    /// Past its expiry time.
    Expired,
    /// Every use has been taken.
    UsedUp,
    /// Revoked by an admin.
    Revoked,
}

impl Invite {
    /// Whether the invite can be used at `now`.
    pub fn status(&self, now: Millis) -> InviteStatus {
        if self.revoked {
            InviteStatus::Revoked
        } else if self.expires_at.is_some_and(|at| at <= now) {
            InviteStatus::Expired
        } else if self.max_uses > 0 && self.uses >= self.max_uses {
            InviteStatus::UsedUp
        } else {
            InviteStatus::Valid
        }
    }
}

const COLUMNS: &str = "code, guild_id, channel_id, inviter_id, max_uses, uses, created_at, expires_at, revoked";

fn from_row(row: &Row<'_>) -> rusqlite::Result<Invite> {
    Ok(Invite {
        code: row.get(0)?,
        guild_id: row.get(1)?,
        channel_id: row.get(2)?,
        inviter_id: row.get(3)?,
        max_uses: row.get(4)?,
        uses: row.get(5)?,
        created_at: row.get(6)?,
        expires_at: row.get(7)?,
        revoked: row.get(8)?,
    })
}

fn by_code(conn: &Connection, code: &str) -> Result<Option<Invite>, StoreError> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM invites WHERE code = ?1"),
        [code],
        from_row,
    )
    .optional_row()
}

/// Whether the invite `code` can be used at `now`, inside the caller's transaction; `None` for an unknown code.
pub(super) fn status_of(conn: &Connection, code: &str, now: Millis) -> Result<Option<InviteStatus>, StoreError> {
    Ok(by_code(conn, code)?.map(|invite| invite.status(now)))
}

impl Store {
    /// Every invite, newest first.
    pub async fn invites_list(&self) -> Result<Vec<Invite>, StoreError> {
        self.read(|conn| {
            let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM invites ORDER BY created_at DESC"))?;
            let rows = stmt.query_map([], from_row)?;
            Ok(rows.collect::<Result<_, _>>()?)
        })
        .await
    }

    /// Creates an invite to the home space's first text channel.
    pub async fn invite_create(
        &self,
        code: String,
        inviter_id: Option<Snowflake>,
        max_uses: i64,
        expires_at: Option<Millis>,
        now: Millis,
    ) -> Result<Invite, StoreError> {
        self.write(move |tx| {
            let (guild_id, channel_id): (Snowflake, Option<Snowflake>) = tx
                .query_row(
                    "SELECT g.id, (SELECT c.id FROM channels c WHERE c.guild_id = g.id AND c.type = 0
                                    ORDER BY c.position, c.id LIMIT 1)
                     FROM guilds g ORDER BY g.id LIMIT 1",
                    [],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional_row()?
                .ok_or(StoreError::NotFound)?;
            tx.execute(
                &format!("INSERT INTO invites ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, 0)"),
                params![code, guild_id, channel_id, inviter_id, max_uses, now, expires_at],
            )
            .map_err(StoreError::on_unique("invite code"))?;
            by_code(tx, &code)?.ok_or(StoreError::NotFound)
        })
        .await
    }

    /// The invite with this code.
    pub async fn invite_get(&self, code: &str) -> Result<Option<Invite>, StoreError> {
        let code = code.to_owned();
        self.read(move |conn| by_code(conn, &code)).await
    }

    /// Creates an account through an invite: checks the invite, creates the user, counts the use — atomically.
    /// `Ok(Err(status))` when the invite cannot be used; [`StoreError::NotFound`] for an unknown code.
    pub async fn invite_redeem(
        &self,
        code: &str,
        new: NewUser,
        now: Millis,
    ) -> Result<Result<User, InviteStatus>, StoreError> {
        let code = code.to_owned();
        let id = self.next_id();
        self.write(move |tx| {
            let invite = by_code(tx, &code)?.ok_or(StoreError::NotFound)?;
            match invite.status(now) {
                InviteStatus::Valid => {}
                refused => return Ok(Err(refused)),
            }
            let user = users::insert(tx, id, &new, now)?;
            tx.execute("UPDATE invites SET uses = uses + 1 WHERE code = ?1", [&code])?;
            // An invite for an imported person: the new account takes their history (once).
            let claims: Option<Snowflake> = tx
                .query_row(
                    "SELECT i.claims FROM invites i JOIN imported_people p ON p.user_id = i.claims
                 WHERE i.code = ?1 AND p.claimed_by IS NULL",
                    [&code],
                    |r| r.get(0),
                )
                .optional_row()?
                .flatten();
            if let Some(person) = claims {
                super::import::claim(tx, person, user.id)?;
            }
            Ok(Ok(user))
        })
        .await
    }

    /// Revokes an invite. [`StoreError::NotFound`] for an unknown code.
    pub async fn invite_revoke(&self, code: &str) -> Result<(), StoreError> {
        let code = code.to_owned();
        self.write(
            move |tx| match tx.execute("UPDATE invites SET revoked = 1 WHERE code = ?1", [code])? {
                0 => Err(StoreError::NotFound),
                _ => Ok(()),
            },
        )
        .await
    }
}
