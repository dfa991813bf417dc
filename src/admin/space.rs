//! Admin actions on the home space: channels and categories (create, rename, reorder, delete), roles (create,
//! edit permissions, delete) and channel permission overwrites per role. They go through `chat`, acting as
//! the admin, so every change is published like any other.

use serde_json::{Value, json};

use super::{Admin, AdminError};
use crate::chat::{ChannelInput, OverwriteInput, RoleInput};
use crate::perms::bits;
use crate::store::{Channel, Guild, Role, Snowflake, User};

/// Which way a channel moves among its siblings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Towards the top.
    Up,
    /// Towards the bottom.
    Down,
}

impl Admin {
    /// The home space with its channels, and its roles (highest first).
    pub async fn space(&self, actor: &User) -> Result<(Guild, Vec<Role>), AdminError> {
        Self::require(actor)?;
        let guild = self.home().await?;
        let mut roles = self.store.roles(guild.id).await?;
        roles.sort_by_key(|r| std::cmp::Reverse((r.position, r.id)));
        Ok((guild, roles))
    }

    /// How many DMs and group DMs exist: admins see that they exist, never who is in them or what they say.
    pub async fn private_counts(&self, actor: &User) -> Result<(i64, i64), AdminError> {
        Self::require(actor)?;
        Ok(self.store.private_channel_counts().await?)
    }

    pub(super) async fn home(&self) -> Result<Guild, AdminError> {
        self.store
            .guild_home()
            .await?
            .ok_or_else(|| AdminError::Invalid("there is no home space; run `spot init`".into()))
    }

    /// Creates a text (0) or voice (2) channel, optionally in a category, or a category (4).
    pub async fn create_channel(
        &self,
        actor: &User,
        name: &str,
        kind: i64,
        parent_id: Option<Snowflake>,
    ) -> Result<Channel, AdminError> {
        Self::require(actor)?;
        let guild = self.home().await?;
        let input = ChannelInput {
            name: Some(name.to_owned()),
            kind: Some(kind),
            parent_id: Some(parent_id),
            position: Some(guild.channels.iter().map(|c| c.position + 1).max().unwrap_or(0)),
            ..ChannelInput::default()
        };
        let channel = self.chat.create_channel(actor, guild.id, input).await?;
        self.audit(actor, "channel.create", &channel.name, kind_name(kind))
            .await;
        Ok(channel)
    }

    /// Renames a channel or category.
    pub async fn rename_channel(&self, actor: &User, id: Snowflake, name: &str) -> Result<(), AdminError> {
        Self::require(actor)?;
        let input = ChannelInput {
            name: Some(name.to_owned()),
            ..ChannelInput::default()
        };
        let before = self.channel(id).await?;
        let after = self.chat.update_channel(actor, id, input).await?;
        self.audit(actor, "channel.rename", &after.name, format!("was {}", before.name))
            .await;
        Ok(())
    }

    /// Swaps a channel with its neighbour among the channels of the same category (or the top level).
    pub async fn move_channel(&self, actor: &User, id: Snowflake, direction: Direction) -> Result<(), AdminError> {
        Self::require(actor)?;
        let guild = self.home().await?;
        let channel = self.channel(id).await?;
        let mut siblings: Vec<&Channel> = guild
            .channels
            .iter()
            .filter(|c| c.parent_id == channel.parent_id && (c.kind.code() == 4) == (channel.kind.code() == 4))
            .collect();
        siblings.sort_by_key(|c| (c.position, c.id));
        let at = siblings.iter().position(|c| c.id == id).unwrap_or(0);
        let other = match direction {
            Direction::Up if at > 0 => siblings[at - 1],
            Direction::Down if at + 1 < siblings.len() => siblings[at + 1],
            _ => return Ok(()),
        };
        // Equal positions (channels created without one) are spread out first so the swap means something.
        let (mine, theirs) = if channel.position == other.position {
            match direction {
                Direction::Up => (other.position, other.position + 1),
                Direction::Down => (other.position + 1, other.position),
            }
        } else {
            (other.position, channel.position)
        };
        for (target, position) in [(other.id, theirs), (id, mine)] {
            let input = ChannelInput {
                position: Some(position),
                ..ChannelInput::default()
            };
            self.chat.update_channel(actor, target, input).await?;
        }
        let way = if direction == Direction::Up { "up" } else { "down" };
        self.audit(actor, "channel.move", &channel.name, way).await;
        Ok(())
    }

    /// Deletes a channel (a category's channels move to the top level).
    pub async fn delete_channel(&self, actor: &User, id: Snowflake) -> Result<(), AdminError> {
        Self::require(actor)?;
        let channel = self.chat.delete_channel(actor, id).await?;
        self.audit(actor, "channel.delete", &channel.name, kind_name(channel.kind.code()))
            .await;
        Ok(())
    }

    /// Sets what a role may and may not do in a channel (bits in neither are inherited).
    pub async fn set_overwrite(
        &self,
        actor: &User,
        channel_id: Snowflake,
        role_id: Snowflake,
        (allow, deny): (u64, u64),
        editable: u64,
    ) -> Result<(), AdminError> {
        Self::require(actor)?;
        if allow & deny != 0 {
            return Err(AdminError::Invalid(
                "a permission cannot be both allowed and denied".into(),
            ));
        }
        let channel = self.channel(channel_id).await?;
        let role = self.role(role_id).await?;
        // Bits the form does not show keep whatever they were.
        let (old_allow, old_deny) = channel
            .overwrites
            .iter()
            .find(|o| o.kind == 0 && o.target_id == role_id)
            .map_or((0, 0), |o| (o.allow, o.deny));
        let allow = (old_allow & !editable) | (allow & editable);
        let deny = (old_deny & !editable) | (deny & editable);
        let mut list: Vec<OverwriteInput> = channel
            .overwrites
            .iter()
            .filter(|o| !(o.kind == 0 && o.target_id == role_id))
            .map(|o| overwrite(o.target_id, o.kind, o.allow, o.deny))
            .collect();
        if allow != 0 || deny != 0 {
            list.push(overwrite(role_id, 0, allow, deny));
        }
        let input = ChannelInput {
            permission_overwrites: Some(list),
            ..ChannelInput::default()
        };
        self.chat.update_channel(actor, channel_id, input).await?;
        let detail = format!("{}: allow {allow}, deny {deny}", role.name);
        self.audit(actor, "channel.permissions", &channel.name, detail).await;
        Ok(())
    }

    /// Creates a role with no permissions beyond `@everyone`'s.
    pub async fn create_role(&self, actor: &User, name: &str) -> Result<Role, AdminError> {
        Self::require(actor)?;
        let guild = self.home().await?;
        let input = RoleInput {
            name: Some(name.to_owned()),
            permissions: Some(json!("0")),
            ..RoleInput::default()
        };
        let role = self.chat.create_role(actor, guild.id, input).await?;
        self.audit(actor, "role.create", &role.name, "").await;
        Ok(role)
    }

    /// Renames a role, recolours it and sets the `editable` bits of its permissions to those in `permissions`
    /// (the rest stay as they were).
    pub async fn update_role(
        &self,
        actor: &User,
        id: Snowflake,
        (name, color): (&str, i64),
        permissions: u64,
        editable: u64,
    ) -> Result<(), AdminError> {
        Self::require(actor)?;
        let guild = self.home().await?;
        let before = self.role(id).await?;
        let permissions = (before.permissions & !editable) | (permissions & editable);
        let input = RoleInput {
            name: Some(name.to_owned()),
            color: Some(color),
            permissions: Some(Value::String((permissions & bits::ALL).to_string())),
            ..RoleInput::default()
        };
        let after = self.chat.update_role(actor, guild.id, id, input).await?;
        let detail = format!("permissions {} → {}", before.permissions, after.permissions);
        self.audit(actor, "role.update", &after.name, detail).await;
        Ok(())
    }

    /// Deletes a role (not `@everyone`).
    pub async fn delete_role(&self, actor: &User, id: Snowflake) -> Result<(), AdminError> {
        Self::require(actor)?;
        let guild = self.home().await?;
        let role = self.role(id).await?;
        self.chat.delete_role(actor, guild.id, id).await?;
        self.audit(actor, "role.delete", &role.name, "").await;
        Ok(())
    }

    async fn channel(&self, id: Snowflake) -> Result<Channel, AdminError> {
        self.store
            .channel_get(id)
            .await?
            .filter(|c| !c.kind.is_thread())
            .ok_or_else(|| AdminError::Invalid("no such channel".into()))
    }

    async fn role(&self, id: Snowflake) -> Result<Role, AdminError> {
        let guild = self.home().await?;
        self.store
            .roles(guild.id)
            .await?
            .into_iter()
            .find(|r| r.id == id)
            .ok_or_else(|| AdminError::Invalid("no such role".into()))
    }
}

fn overwrite(id: Snowflake, kind: i64, allow: u64, deny: u64) -> OverwriteInput {
    OverwriteInput {
        id,
        kind,
        allow: Some(Value::String(allow.to_string())),
        deny: Some(Value::String(deny.to_string())),
    }
}

fn kind_name(kind: i64) -> &'static str {
    match kind {
        2 => "voice channel",
        4 => "category",
        _ => "text channel",
    }
}
