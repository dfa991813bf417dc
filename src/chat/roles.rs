//! Roles and members: create, modify and delete roles, give and take them, nicknames. Managing roles needs
//! MANAGE_ROLES and only reaches roles below the actor's highest (owners and admins reach all), as on Discord.

use serde::Deserialize;
use serde_json::Value;

use super::{Chat, ChatError};
use crate::hub::{Audience, Event, intents};
use crate::perms::{self, bits};
use crate::store::{Member, Role, RolePatch, Snowflake, StoreError, User};
use crate::wire;

/// The body of "create role" / "modify role".
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RoleInput {
    /// Name (1–100 characters).
    pub name: Option<String>,
    /// Permission bits as a decimal string or number.
    pub permissions: Option<Value>,
    /// RGB colour.
    pub color: Option<i64>,
    /// Shown separately in the member list.
    pub hoist: Option<bool>,
    /// Can be @mentioned.
    pub mentionable: Option<bool>,
}

/// The body of "modify member".
#[derive(Debug, Clone, Default, Deserialize)]
pub struct MemberInput {
    /// Nickname (`null` or empty clears it).
    #[serde(default, deserialize_with = "nick")]
    pub nick: Option<Option<String>>,
}

fn nick<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Ok(Some(Option::<String>::deserialize(d)?.filter(|n| !n.trim().is_empty())))
}

impl Chat {
    /// The actor's guild permissions and highest role position (`i64::MAX` for owners and admins).
    async fn rank(&self, actor: &User, guild_id: Snowflake) -> Result<(u64, i64), ChatError> {
        let ctx = self
            .store
            .guild_permission_context(guild_id, actor.id)
            .await?
            .ok_or(ChatError::UnknownGuild)?;
        let level = perms::guild_level(&ctx);
        if ctx.owner_id == actor.id || ctx.instance_admin || perms::has(level, bits::ADMINISTRATOR) {
            return Ok((level, i64::MAX));
        }
        let roles = self.store.roles(guild_id).await?;
        let top = roles
            .iter()
            .filter(|r| ctx.member_roles.contains(&r.id))
            .map(|r| r.position)
            .max()
            .unwrap_or(0);
        Ok((level, top))
    }

    async fn require_role_manager(
        &self,
        actor: &User,
        guild_id: Snowflake,
        role: Option<&Role>,
    ) -> Result<u64, ChatError> {
        let (level, top) = self.rank(actor, guild_id).await?;
        if !perms::has(level, bits::MANAGE_ROLES) {
            return Err(ChatError::MissingPermissions);
        }
        if role.is_some_and(|r| r.position >= top) {
            return Err(ChatError::MissingPermissions);
        }
        Ok(level)
    }

    fn role_patch(input: RoleInput, actor_perms: u64) -> Result<RolePatch, ChatError> {
        let permissions = match input.permissions {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(
                s.parse::<u64>()
                    .map_err(|_| ChatError::invalid("permissions", "Must be a bitfield."))?,
            ),
            Some(Value::Number(n)) => Some(
                n.as_u64()
                    .ok_or_else(|| ChatError::invalid("permissions", "Must be a bitfield."))?,
            ),
            Some(_) => return Err(ChatError::invalid("permissions", "Must be a bitfield.")),
        };
        // Nobody hands out permissions they do not have.
        if permissions.is_some_and(|p| p & !actor_perms & bits::ALL != 0) {
            return Err(ChatError::MissingPermissions);
        }
        if let Some(name) = &input.name
            && (name.trim().is_empty() || name.chars().count() > 100)
        {
            return Err(ChatError::invalid("name", "Must be between 1 and 100 in length."));
        }
        if input.color.is_some_and(|c| !(0..=0xFF_FFFF).contains(&c)) {
            return Err(ChatError::invalid("color", "Must be between 0 and 16777215."));
        }
        Ok(RolePatch {
            name: input.name.map(|n| n.trim().to_owned()),
            permissions: permissions.map(|p| p & bits::ALL),
            color: input.color,
            hoist: input.hoist,
            mentionable: input.mentionable,
            position: None,
        })
    }

    fn publish_role(&self, name: &'static str, guild_id: Snowflake, data: impl serde::Serialize) {
        self.hub
            .publish(Event::new(name, &data, Audience::Guild(guild_id), intents::GUILDS).changing_permissions());
    }

    /// Creates a role.
    pub async fn create_role(&self, actor: &User, guild_id: Snowflake, input: RoleInput) -> Result<Role, ChatError> {
        let level = self.require_role_manager(actor, guild_id, None).await?;
        let role = self
            .store
            .role_create(guild_id, Self::role_patch(input, level)?)
            .await?;
        self.publish_role(
            "GUILD_ROLE_CREATE",
            guild_id,
            wire::GuildRoleEvent {
                guild_id: wire::Id(guild_id),
                role: wire::Role::from(&role),
            },
        );
        Ok(role)
    }

    /// Modifies a role.
    pub async fn update_role(
        &self,
        actor: &User,
        guild_id: Snowflake,
        role_id: Snowflake,
        input: RoleInput,
    ) -> Result<Role, ChatError> {
        let roles = self.store.roles(guild_id).await?;
        let before = roles
            .iter()
            .find(|r| r.id == role_id)
            .ok_or_else(|| ChatError::UnknownRole)?;
        let level = self
            .require_role_manager(actor, guild_id, Some(before).filter(|r| r.id != guild_id))
            .await?;
        let role = match self
            .store
            .role_update(guild_id, role_id, Self::role_patch(input, level)?)
            .await
        {
            Err(StoreError::NotFound) => return Err(ChatError::UnknownRole),
            other => other?,
        };
        self.publish_role(
            "GUILD_ROLE_UPDATE",
            guild_id,
            wire::GuildRoleEvent {
                guild_id: wire::Id(guild_id),
                role: wire::Role::from(&role),
            },
        );
        Ok(role)
    }

    /// Deletes a role (not `@everyone`).
    pub async fn delete_role(&self, actor: &User, guild_id: Snowflake, role_id: Snowflake) -> Result<(), ChatError> {
        if role_id == guild_id {
            return Err(ChatError::invalid("role_id", "The @everyone role cannot be deleted."));
        }
        let roles = self.store.roles(guild_id).await?;
        let role = roles
            .iter()
            .find(|r| r.id == role_id)
            .ok_or_else(|| ChatError::UnknownRole)?;
        self.require_role_manager(actor, guild_id, Some(role)).await?;
        self.store.role_delete(guild_id, role_id).await?;
        self.publish_role(
            "GUILD_ROLE_DELETE",
            guild_id,
            wire::GuildRoleDelete {
                guild_id: wire::Id(guild_id),
                role_id: wire::Id(role_id),
            },
        );
        Ok(())
    }

    /// Gives or takes a role.
    pub async fn set_member_role(
        &self,
        actor: &User,
        guild_id: Snowflake,
        user_id: Snowflake,
        role_id: Snowflake,
        has: bool,
    ) -> Result<Member, ChatError> {
        let roles = self.store.roles(guild_id).await?;
        let role = roles
            .iter()
            .find(|r| r.id == role_id && r.id != guild_id)
            .ok_or_else(|| ChatError::UnknownRole)?;
        self.require_role_manager(actor, guild_id, Some(role)).await?;
        let member = match self.store.member_set_role(guild_id, user_id, role_id, has).await {
            Err(StoreError::NotFound) => return Err(ChatError::UnknownUser),
            other => other?,
        };
        self.publish_member(&member);
        Ok(member)
    }

    /// Sets a nickname: one's own (everyone), or anyone's with MANAGE_NICKNAMES.
    pub async fn set_nick(
        &self,
        actor: &User,
        guild_id: Snowflake,
        user_id: Snowflake,
        input: MemberInput,
    ) -> Result<Member, ChatError> {
        let (level, _) = self.rank(actor, guild_id).await?;
        if user_id != actor.id && !perms::has(level, 1 << 27) {
            return Err(ChatError::MissingPermissions);
        }
        let Some(nick) = input.nick else {
            return self
                .store
                .member_get(guild_id, user_id)
                .await?
                .ok_or(ChatError::UnknownUser);
        };
        if nick.as_ref().is_some_and(|n| n.chars().count() > 32) {
            return Err(ChatError::invalid("nick", "Must be 32 or fewer in length."));
        }
        let member = match self
            .store
            .member_set_nick(guild_id, user_id, nick.map(|n| n.trim().to_owned()))
            .await
        {
            Err(StoreError::NotFound) => return Err(ChatError::UnknownUser),
            other => other?,
        };
        self.publish_member(&member);
        Ok(member)
    }

    /// Removes a member (KICK_MEMBERS, and only below the actor in the role hierarchy; never the owner): the
    /// account is disabled, its sessions and gateway connections end, and everyone gets GUILD_MEMBER_REMOVE.
    pub async fn remove_member(&self, actor: &User, guild_id: Snowflake, user_id: Snowflake) -> Result<(), ChatError> {
        let (level, top) = self.rank(actor, guild_id).await?;
        if !perms::has(level, bits::KICK_MEMBERS) || user_id == actor.id {
            return Err(ChatError::MissingPermissions);
        }
        let target = self
            .store
            .member_get(guild_id, user_id)
            .await?
            .ok_or(ChatError::UnknownUser)?;
        let guild = self.store.guild_home().await?.ok_or(ChatError::UnknownGuild)?;
        let roles = self.store.roles(guild_id).await?;
        let target_top = roles
            .iter()
            .filter(|r| target.roles.contains(&r.id))
            .map(|r| r.position)
            .max()
            .unwrap_or(0);
        if guild.owner_id == user_id || (target.user.is_admin && top != i64::MAX) || target_top >= top {
            return Err(ChatError::MissingPermissions);
        }
        match self.store.member_remove(guild_id, user_id).await {
            Err(StoreError::NotFound) => return Err(ChatError::UnknownUser),
            other => other?,
        }
        let data = wire::GuildMemberRemove {
            guild_id: wire::Id(guild_id),
            user: wire::User::from(&target.user),
        };
        let mut event = Event::new(
            "GUILD_MEMBER_REMOVE",
            &data,
            Audience::Guild(guild_id),
            intents::GUILD_MEMBERS,
        )
        .changing_permissions();
        event.ends_sessions_of = Some(user_id);
        self.hub.publish(event);
        Ok(())
    }

    /// Announces a member that just joined (invite sign-up).
    pub fn member_joined(&self, member: &Member) {
        let mut data = wire::member(member);
        data["guild_id"] = wire::id(member.guild_id);
        self.hub.publish(Event::new(
            "GUILD_MEMBER_ADD",
            &data,
            Audience::Guild(member.guild_id),
            intents::GUILD_MEMBERS,
        ));
    }

    fn publish_member(&self, member: &Member) {
        let mut data = wire::member(member);
        data["guild_id"] = wire::id(member.guild_id);
        let event = Event::new(
            "GUILD_MEMBER_UPDATE",
            &data,
            Audience::Guild(member.guild_id),
            intents::GUILD_MEMBERS,
        );
        self.hub.publish(event.changing_permissions());
    }
}
