//! Members of the home space and roles: who is in, with which roles, and what each role may do.

use std::collections::HashMap;

use rusqlite::{Connection, Row, params};

use super::error::{CachedRow, OptionalRow};
use super::users::{self, User};
use super::{Snowflake, Store, StoreError, channels};
use crate::clock::Millis;
use crate::perms;

/// A role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Role {
    /// Snowflake id (the guild's id for `@everyone`).
    pub id: Snowflake,
    /// The guild.
    pub guild_id: Snowflake,
    /// Name.
    pub name: String,
    /// Permission bits.
    pub permissions: u64,
    /// Sort order (higher is more senior).
    pub position: i64,
    /// RGB colour, 0 for none.
    pub color: i64,
    /// Shown separately in the member list.
    pub hoist: bool,
    /// Can be @mentioned.
    pub mentionable: bool,
}

/// A member of a guild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    /// The user.
    pub user: User,
    /// The guild.
    pub guild_id: Snowflake,
    /// Nickname in the guild.
    pub nick: Option<String>,
    /// Role ids (without `@everyone`).
    pub roles: Vec<Snowflake>,
    /// When they joined.
    pub joined_at: Millis,
}

const ROLE_COLUMNS: &str = "id, guild_id, name, permissions, position, color, hoist, mentionable";

fn role_from_row(row: &Row<'_>) -> rusqlite::Result<Role> {
    Ok(Role {
        id: row.get(0)?,
        guild_id: row.get(1)?,
        name: row.get(2)?,
        permissions: row.get::<_, i64>(3)? as u64,
        position: row.get(4)?,
        color: row.get(5)?,
        hoist: row.get(6)?,
        mentionable: row.get(7)?,
    })
}

pub(super) fn roles_of(conn: &Connection, guild_id: Snowflake) -> Result<Vec<Role>, StoreError> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {ROLE_COLUMNS} FROM roles WHERE guild_id = ?1 ORDER BY position, id"
    ))?;
    let roles = stmt.query_map([guild_id], role_from_row)?.collect::<Result<_, _>>()?;
    Ok(roles)
}

fn member_roles(conn: &Connection, guild_id: Snowflake, user_id: Snowflake) -> Result<Vec<Snowflake>, StoreError> {
    let mut stmt =
        conn.prepare_cached("SELECT role_id FROM member_roles WHERE guild_id = ?1 AND user_id = ?2 ORDER BY role_id")?;
    let roles = stmt
        .query_map(params![guild_id, user_id], |row| row.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(roles)
}

pub(super) fn member(conn: &Connection, guild_id: Snowflake, user_id: Snowflake) -> Result<Option<Member>, StoreError> {
    let row = conn
        .cached_row(
            "SELECT nick, joined_at FROM members WHERE guild_id = ?1 AND user_id = ?2",
            params![guild_id, user_id],
            |row| Ok((row.get::<_, Option<String>>(0)?, row.get::<_, Millis>(1)?)),
        )
        .optional_row()?;
    let (Some((nick, joined_at)), Some(user)) = (row, users::by_id(conn, user_id)?) else {
        return Ok(None);
    };
    Ok(Some(Member {
        user,
        guild_id,
        nick,
        roles: member_roles(conn, guild_id, user_id)?,
        joined_at,
    }))
}

/// The permission context of `user_id` in `channel_id` (threads use their parent's overwrites).
/// A channel, and (for a guild channel the user is a member of) their permission context and membership.
pub type ChannelContext = (channels::Channel, Option<(perms::Context, Member)>);

pub(super) fn permission_context(
    conn: &Connection,
    user_id: Snowflake,
    channel_id: Snowflake,
) -> Result<Option<ChannelContext>, StoreError> {
    let Some(channel) = channels::by_id(conn, channel_id)? else {
        return Ok(None);
    };
    let Some(guild_id) = channel.guild_id else {
        return Ok(Some((channel, None)));
    };
    let overwrites = match (channel.kind.is_thread(), channel.parent_id) {
        (true, Some(parent)) => channels::by_id(conn, parent)?.map(|p| p.overwrites).unwrap_or_default(),
        _ => channel.overwrites.clone(),
    };
    let context = context_and_member(conn, guild_id, user_id)?
        .map(|(ctx, member)| (perms::Context { overwrites, ..ctx }, member));
    Ok(Some((channel, context)))
}

/// The guild-level permission context of a member (no overwrites); `None` if not a member.
pub(super) fn guild_context(
    conn: &Connection,
    guild_id: Snowflake,
    user_id: Snowflake,
) -> Result<Option<perms::Context>, StoreError> {
    Ok(context_and_member(conn, guild_id, user_id)?.map(|(ctx, _)| ctx))
}

/// The guild-level permission context of a member and the member itself.
fn context_and_member(
    conn: &Connection,
    guild_id: Snowflake,
    user_id: Snowflake,
) -> Result<Option<(perms::Context, Member)>, StoreError> {
    let owner_id: Option<Snowflake> = conn
        .cached_row("SELECT owner_id FROM guilds WHERE id = ?1", [guild_id], |row| {
            row.get(0)
        })
        .optional_row()?;
    let (Some(owner_id), Some(member)) = (owner_id, member(conn, guild_id, user_id)?) else {
        return Ok(None);
    };
    let role_permissions: HashMap<Snowflake, u64> = roles_of(conn, guild_id)?
        .into_iter()
        .map(|r| (r.id, r.permissions))
        .collect();
    let ctx = perms::Context {
        guild_id,
        owner_id,
        user_id,
        instance_admin: member.user.is_admin,
        role_permissions,
        member_roles: member.roles.clone(),
        overwrites: Vec::new(),
    };
    Ok(Some((ctx, member)))
}

impl Store {
    /// Every role of the guild.
    pub async fn roles(&self, guild_id: Snowflake) -> Result<Vec<Role>, StoreError> {
        self.read(move |conn| roles_of(conn, guild_id)).await
    }

    /// One member of the guild.
    pub async fn member_get(&self, guild_id: Snowflake, user_id: Snowflake) -> Result<Option<Member>, StoreError> {
        self.read(move |conn| member(conn, guild_id, user_id)).await
    }

    /// Members of the guild with ids greater than `after`, up to `limit`, by user id.
    pub async fn members_list(
        &self,
        guild_id: Snowflake,
        after: Snowflake,
        limit: i64,
    ) -> Result<Vec<Member>, StoreError> {
        self.read(move |conn| {
            let mut stmt = conn.prepare(
                "SELECT user_id FROM members WHERE guild_id = ?1 AND user_id > ?2 ORDER BY user_id LIMIT ?3",
            )?;
            let ids: Vec<Snowflake> = stmt
                .query_map(params![guild_id, after, limit], |row| row.get(0))?
                .collect::<Result<_, _>>()?;
            let mut members = Vec::with_capacity(ids.len());
            for id in ids {
                if let Some(m) = member(conn, guild_id, id)? {
                    members.push(m);
                }
            }
            Ok(members)
        })
        .await
    }

    /// The permission context of a user in a channel, with the channel; `None` if either is unknown.
    pub async fn permission_context(
        &self,
        user_id: Snowflake,
        channel_id: Snowflake,
    ) -> Result<Option<ChannelContext>, StoreError> {
        self.read(move |conn| permission_context(conn, user_id, channel_id))
            .await
    }

    /// The guild-level permission context of a member.
    pub async fn guild_permission_context(
        &self,
        guild_id: Snowflake,
        user_id: Snowflake,
    ) -> Result<Option<perms::Context>, StoreError> {
        self.read(move |conn| guild_context(conn, guild_id, user_id)).await
    }
}

/// Changes to a role; `None` leaves a field alone.
#[derive(Debug, Clone, Default)]
pub struct RolePatch {
    /// New name.
    pub name: Option<String>,
    /// New permission bits.
    pub permissions: Option<u64>,
    /// New colour.
    pub color: Option<i64>,
    /// Shown separately.
    pub hoist: Option<bool>,
    /// Mentionable.
    pub mentionable: Option<bool>,
    /// New position.
    pub position: Option<i64>,
}

fn role_by_id(conn: &Connection, id: Snowflake) -> Result<Option<Role>, StoreError> {
    conn.cached_row(
        &format!("SELECT {ROLE_COLUMNS} FROM roles WHERE id = ?1"),
        [id],
        role_from_row,
    )
    .optional_row()
}

impl Store {
    /// Creates a role at the top of the list.
    pub async fn role_create(&self, guild_id: Snowflake, patch: RolePatch) -> Result<Role, StoreError> {
        let id = self.next_id();
        self.write(move |tx| {
            tx.execute(
                "INSERT INTO roles (id, guild_id, name, permissions, color, hoist, mentionable, position)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, (SELECT coalesce(max(position), 0) + 1 FROM roles WHERE guild_id = ?2))",
                params![
                    id,
                    guild_id,
                    patch.name.unwrap_or_else(|| "new role".to_owned()),
                    patch.permissions.unwrap_or(0) as i64,
                    patch.color.unwrap_or(0),
                    patch.hoist.unwrap_or(false),
                    patch.mentionable.unwrap_or(false)
                ],
            )?;
            role_by_id(tx, id)?.ok_or(StoreError::NotFound)
        })
        .await
    }

    /// Modifies a role.
    pub async fn role_update(&self, guild_id: Snowflake, id: Snowflake, patch: RolePatch) -> Result<Role, StoreError> {
        self.write(move |tx| {
            let before = role_by_id(tx, id)?.filter(|r| r.guild_id == guild_id).ok_or(StoreError::NotFound)?;
            tx.execute(
                "UPDATE roles SET name = ?2, permissions = ?3, color = ?4, hoist = ?5, mentionable = ?6, position = ?7 WHERE id = ?1",
                params![
                    id,
                    patch.name.unwrap_or(before.name),
                    patch.permissions.unwrap_or(before.permissions) as i64,
                    patch.color.unwrap_or(before.color),
                    patch.hoist.unwrap_or(before.hoist),
                    patch.mentionable.unwrap_or(before.mentionable),
                    patch.position.unwrap_or(before.position)
                ],
            )?;
            role_by_id(tx, id)?.ok_or(StoreError::NotFound)
        })
        .await
    }

    /// Deletes a role (and removes it from members).
    pub async fn role_delete(&self, guild_id: Snowflake, id: Snowflake) -> Result<(), StoreError> {
        self.write(move |tx| {
            match tx.execute(
                "DELETE FROM roles WHERE id = ?1 AND guild_id = ?2",
                params![id, guild_id],
            )? {
                0 => Err(StoreError::NotFound),
                _ => Ok(()),
            }
        })
        .await
    }

    /// Gives or takes a role; returns the member after the change.
    pub async fn member_set_role(
        &self,
        guild_id: Snowflake,
        user_id: Snowflake,
        role_id: Snowflake,
        has: bool,
    ) -> Result<Member, StoreError> {
        self.write(move |tx| {
            member(tx, guild_id, user_id)?.ok_or(StoreError::NotFound)?;
            role_by_id(tx, role_id)?
                .filter(|r| r.guild_id == guild_id && r.id != guild_id)
                .ok_or(StoreError::NotFound)?;
            if has {
                tx.execute(
                    "INSERT OR IGNORE INTO member_roles (guild_id, user_id, role_id) VALUES (?1, ?2, ?3)",
                    params![guild_id, user_id, role_id],
                )?;
            } else {
                tx.execute(
                    "DELETE FROM member_roles WHERE guild_id = ?1 AND user_id = ?2 AND role_id = ?3",
                    params![guild_id, user_id, role_id],
                )?;
            }
            member(tx, guild_id, user_id)?.ok_or(StoreError::NotFound)
        })
        .await
    }

    /// Removes a member from the home space: the membership goes, the account is disabled and its sessions end
    /// (in a one-space instance, being removed means losing access).
    pub async fn member_remove(&self, guild_id: Snowflake, user_id: Snowflake) -> Result<(), StoreError> {
        self.write(move |tx| {
            if tx.execute(
                "DELETE FROM members WHERE guild_id = ?1 AND user_id = ?2",
                params![guild_id, user_id],
            )? == 0
            {
                return Err(StoreError::NotFound);
            }
            tx.execute("UPDATE users SET disabled = 1 WHERE id = ?1", [user_id])?;
            tx.execute("DELETE FROM sessions WHERE user_id = ?1", [user_id])?;
            Ok(())
        })
        .await
    }

    /// Sets a member's nickname (`None` clears it).
    pub async fn member_set_nick(
        &self,
        guild_id: Snowflake,
        user_id: Snowflake,
        nick: Option<String>,
    ) -> Result<Member, StoreError> {
        self.write(move |tx| {
            tx.execute(
                "UPDATE members SET nick = ?3 WHERE guild_id = ?1 AND user_id = ?2",
                params![guild_id, user_id, nick],
            )?;
            member(tx, guild_id, user_id)?.ok_or(StoreError::NotFound)
        })
        .await
    }
}
