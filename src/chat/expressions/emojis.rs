//! Custom emoji: Discord's `/guilds/{id}/emojis` rules. A picture of up to 256 KiB (PNG, JPEG, GIF or WebP, by
//! its bytes) is fitted in 128 × 128 pixels with its animation kept; the name is `[a-z0-9_]{2,32}` and unique in
//! the space. Deleting one keeps its row, so reactions with it keep their name, and messages that wrote it show
//! `:name:`.

use serde::Deserialize;

use super::super::{Chat, ChatError};
use super::{decode_data_uri, emoji_name, name_taken, store_with_file};
use crate::media::{self, PictureError};
use crate::store::{Emoji, EmojiPatch, Snowflake, User};
use crate::uploads::Uploads;
use crate::wire;

/// Largest emoji upload.
pub const MAX_EMOJI_BYTES: usize = 256 * 1024;
/// The side an emoji is fitted in.
const SIDE: u32 = 128;

/// `POST /guilds/{id}/emojis`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EmojiInput {
    /// Name.
    pub name: String,
    /// The picture, as a data URI.
    pub image: String,
    /// Roles it is for (kept as given).
    #[serde(default, deserialize_with = "crate::chat::ids::deserialize_vec")]
    pub roles: Vec<Snowflake>,
}

/// `PATCH /guilds/{id}/emojis/{id}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EmojiEdit {
    /// New name.
    pub name: Option<String>,
    /// New roles.
    #[serde(default, deserialize_with = "deserialize_roles")]
    pub roles: Option<Vec<Snowflake>>,
}

fn deserialize_roles<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<Snowflake>>, D::Error> {
    crate::chat::ids::deserialize_vec(d).map(Some)
}

/// A refused picture as Discord words it.
pub(super) fn picture_error(field: &str, error: PictureError) -> ChatError {
    ChatError::InvalidAsset(field.to_owned(), error.to_string())
}

impl Chat {
    /// The space's emoji with who added them.
    pub async fn emojis_of(&self, actor: &User, guild_id: Snowflake) -> Result<Vec<(Emoji, Option<User>)>, ChatError> {
        self.space_perms(actor, guild_id).await?;
        let emojis = self.store.emojis(guild_id).await?;
        let users = self.uploaders(emojis.iter().map(|e| e.user_id)).await?;
        Ok(emojis.into_iter().zip(users).collect())
    }

    /// One emoji of the space.
    pub async fn emoji_of(
        &self,
        actor: &User,
        guild_id: Snowflake,
        id: Snowflake,
    ) -> Result<(Emoji, Option<User>), ChatError> {
        self.space_perms(actor, guild_id).await?;
        let emoji = self.live_emoji(guild_id, id).await?;
        let user = self.uploaders(std::iter::once(emoji.user_id)).await?.pop().flatten();
        Ok((emoji, user))
    }

    async fn live_emoji(&self, guild_id: Snowflake, id: Snowflake) -> Result<Emoji, ChatError> {
        self.store
            .emoji(id)
            .await?
            .filter(|e| e.guild_id == guild_id && !e.deleted)
            .ok_or(ChatError::UnknownEmoji)
    }

    /// Adds an emoji (`POST /guilds/{id}/emojis`: the picture as a data URI).
    pub async fn create_emoji(
        &self,
        actor: &User,
        guild_id: Snowflake,
        input: EmojiInput,
        files: &Uploads,
    ) -> Result<Emoji, ChatError> {
        self.may_add_expressions(actor, guild_id).await?;
        let name = emoji_name(&input.name)?;
        let bytes = decode_data_uri(&input.image, "image", MAX_EMOJI_BYTES)?;
        self.add_emoji(actor, guild_id, name, bytes, input.roles, files).await
    }

    /// Adds an emoji from a picture's bytes (the admin panel's upload).
    pub async fn create_emoji_from(
        &self,
        actor: &User,
        guild_id: Snowflake,
        name: &str,
        bytes: Vec<u8>,
        files: &Uploads,
    ) -> Result<Emoji, ChatError> {
        self.may_add_expressions(actor, guild_id).await?;
        let name = emoji_name(name)?;
        if bytes.len() > MAX_EMOJI_BYTES {
            return Err(ChatError::AssetTooLarge(MAX_EMOJI_BYTES / 1024));
        }
        self.add_emoji(actor, guild_id, name, bytes, Vec::new(), files).await
    }

    async fn add_emoji(
        &self,
        actor: &User,
        guild_id: Snowflake,
        name: String,
        bytes: Vec<u8>,
        roles: Vec<Snowflake>,
        files: &Uploads,
    ) -> Result<Emoji, ChatError> {
        let picture = tokio::task::spawn_blocking(move || media::fit(&bytes, SIDE))
            .await
            .map_err(|e| ChatError::invalid("image", format!("could not be processed: {e}")))?
            .map_err(|e| picture_error("image", e))?;
        if picture.bytes.len() > MAX_EMOJI_BYTES {
            return Err(ChatError::AssetTooLarge(MAX_EMOJI_BYTES / 1024));
        }
        let id = self.store.next_id();
        let emoji = Emoji {
            id,
            guild_id,
            name,
            animated: picture.animated,
            user_id: Some(actor.id),
            roles,
            deleted: false,
        };
        let create = self
            .store
            .emoji_create(emoji, self.limits.max_emojis, self.clock.now_ms());
        let full = ChatError::TooManyEmojis(self.limits.max_emojis);
        let emoji = store_with_file(files, id, &picture.bytes, create, full).await?;
        self.publish_emojis(guild_id).await?;
        let detail = if emoji.animated { "animated" } else { "still" };
        self.audit_expression(
            actor,
            "expressions.emoji.create",
            &format!(":{}:", emoji.name),
            detail.into(),
        )
        .await;
        Ok(emoji)
    }

    /// Renames an emoji or changes its roles.
    pub async fn update_emoji(
        &self,
        actor: &User,
        guild_id: Snowflake,
        id: Snowflake,
        edit: EmojiEdit,
    ) -> Result<Emoji, ChatError> {
        let emoji = self.live_emoji(guild_id, id).await?;
        self.may_change_expression(actor, guild_id, emoji.user_id).await?;
        let name = edit.name.as_deref().map(emoji_name).transpose()?;
        let patch = EmojiPatch {
            name,
            roles: edit.roles,
        };
        let updated = match self.store.emoji_update(id, patch).await? {
            Ok(updated) => updated,
            Err(_) => return Err(name_taken()),
        };
        self.publish_emojis(guild_id).await?;
        if updated.name != emoji.name {
            self.audit_expression(
                actor,
                "expressions.emoji.rename",
                &format!(":{}:", emoji.name),
                format!(":{}:", updated.name),
            )
            .await;
        }
        Ok(updated)
    }

    /// Deletes an emoji (its picture goes; its name stays for old reactions).
    pub async fn delete_emoji(
        &self,
        actor: &User,
        guild_id: Snowflake,
        id: Snowflake,
        files: &Uploads,
    ) -> Result<(), ChatError> {
        let emoji = self.live_emoji(guild_id, id).await?;
        self.may_change_expression(actor, guild_id, emoji.user_id).await?;
        if self.store.emoji_delete(id).await? {
            files.remove(&[id]).await;
            self.publish_emojis(guild_id).await?;
            self.audit_expression(
                actor,
                "expressions.emoji.delete",
                &format!(":{}:", emoji.name),
                String::new(),
            )
            .await;
        }
        Ok(())
    }

    async fn publish_emojis(&self, guild_id: Snowflake) -> Result<(), ChatError> {
        let emojis = self.store.emojis(guild_id).await?;
        let data = wire::GuildEmojisUpdate {
            guild_id: wire::Id(guild_id),
            emojis: emojis.iter().map(|e| wire::GuildEmoji::new(e, None)).collect(),
        };
        self.publish_expression("GUILD_EMOJIS_UPDATE", guild_id, &data);
        Ok(())
    }
}
