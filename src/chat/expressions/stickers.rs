//! Stickers: Discord's `/guilds/{id}/stickers` rules. A picture of up to 512 KiB (PNG, APNG, GIF or WebP, by
//! its bytes) is fitted in 320 × 320 pixels; an animated one is kept as a GIF (format 4), a still one as a PNG
//! (format 1). Lottie stickers are not taken: Discord only lets partners make them. Messages send up to three
//! with `sticker_ids`, and keep their names if a sticker is deleted later.

use serde::Deserialize;

use super::super::{Chat, ChatError};
use super::emojis::picture_error;
use super::{check_name, name_taken, store_with_file};
use crate::media;
use crate::store::{Snowflake, Sticker, StickerItem, StickerPatch, User};
use crate::uploads::Uploads;
use crate::wire;

/// Largest sticker upload.
pub const MAX_STICKER_BYTES: usize = 512 * 1024;
/// The side a sticker is fitted in.
const SIDE: u32 = 320;
/// Discord's format types.
const PNG: i64 = 1;
const GIF: i64 = 4;

/// `POST /guilds/{id}/stickers` (multipart: the fields and `file`).
#[derive(Debug, Clone, Default)]
pub struct StickerInput {
    /// Name (2–30).
    pub name: String,
    /// Description (empty, or 2–100).
    pub description: String,
    /// The related emoji.
    pub tags: String,
    /// The picture.
    pub file: Vec<u8>,
}

/// `PATCH /guilds/{id}/stickers/{id}`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StickerEdit {
    /// New name.
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New related emoji.
    pub tags: Option<String>,
}

fn any_char(c: char) -> bool {
    !c.is_control()
}

fn check_description(description: &str) -> Result<String, ChatError> {
    let description = description.trim();
    if description.is_empty() {
        return Ok(String::new());
    }
    check_name(description, "description", 2, 100, any_char)
}

impl Chat {
    /// The space's stickers with who added them.
    pub async fn stickers_of(
        &self,
        actor: &User,
        guild_id: Snowflake,
    ) -> Result<Vec<(Sticker, Option<User>)>, ChatError> {
        self.space_perms(actor, guild_id).await?;
        let stickers = self.store.stickers(guild_id).await?;
        let users = self.uploaders(stickers.iter().map(|s| s.user_id)).await?;
        Ok(stickers.into_iter().zip(users).collect())
    }

    /// One sticker of the space (`guild_id`), or any of the home space's (`None`, for `GET /stickers/{id}`).
    pub async fn sticker_of(
        &self,
        actor: &User,
        guild_id: Option<Snowflake>,
        id: Snowflake,
    ) -> Result<(Sticker, Option<User>), ChatError> {
        let sticker = self
            .store
            .sticker(id)
            .await?
            .filter(|s| !s.deleted && guild_id.is_none_or(|g| g == s.guild_id))
            .ok_or(ChatError::UnknownSticker)?;
        self.space_perms(actor, sticker.guild_id)
            .await
            .map_err(|_| ChatError::UnknownSticker)?;
        let user = self.uploaders(std::iter::once(sticker.user_id)).await?.pop().flatten();
        Ok((sticker, user))
    }

    async fn live_sticker(&self, guild_id: Snowflake, id: Snowflake) -> Result<Sticker, ChatError> {
        self.store
            .sticker(id)
            .await?
            .filter(|s| s.guild_id == guild_id && !s.deleted)
            .ok_or(ChatError::UnknownSticker)
    }

    /// Adds a sticker.
    pub async fn create_sticker(
        &self,
        actor: &User,
        guild_id: Snowflake,
        input: StickerInput,
        files: &Uploads,
    ) -> Result<Sticker, ChatError> {
        self.may_add_expressions(actor, guild_id).await?;
        let name = check_name(&input.name, "name", 2, 30, any_char)?;
        let description = check_description(&input.description)?;
        let tags = check_name(&input.tags, "tags", 1, 200, any_char)?;
        if input.file.len() > MAX_STICKER_BYTES {
            return Err(ChatError::AssetTooLarge(MAX_STICKER_BYTES / 1024));
        }
        let bytes = input.file;
        let picture = tokio::task::spawn_blocking(move || media::fit(&bytes, SIDE))
            .await
            .map_err(|e| ChatError::invalid("file", format!("could not be processed: {e}")))?
            .map_err(|e| picture_error("file", e))?;
        if picture.bytes.len() > MAX_STICKER_BYTES {
            return Err(ChatError::AssetTooLarge(MAX_STICKER_BYTES / 1024));
        }
        let id = self.store.next_id();
        let sticker = Sticker {
            id,
            guild_id,
            name,
            description,
            tags,
            format_type: if picture.animated { GIF } else { PNG },
            user_id: Some(actor.id),
            deleted: false,
        };
        let create = self
            .store
            .sticker_create(sticker, self.limits.max_stickers, self.clock.now_ms());
        let full = ChatError::TooManyStickers(self.limits.max_stickers);
        let sticker = store_with_file(files, id, &picture.bytes, create, full).await?;
        self.publish_stickers(guild_id).await?;
        self.audit_expression(actor, "expressions.sticker.create", &sticker.name, sticker.tags.clone())
            .await;
        Ok(sticker)
    }

    /// Changes a sticker's name, description or related emoji.
    pub async fn update_sticker(
        &self,
        actor: &User,
        guild_id: Snowflake,
        id: Snowflake,
        edit: StickerEdit,
    ) -> Result<Sticker, ChatError> {
        let sticker = self.live_sticker(guild_id, id).await?;
        self.may_change_expression(actor, guild_id, sticker.user_id).await?;
        let patch = StickerPatch {
            name: edit
                .name
                .as_deref()
                .map(|n| check_name(n, "name", 2, 30, any_char))
                .transpose()?,
            description: edit.description.as_deref().map(check_description).transpose()?,
            tags: edit
                .tags
                .as_deref()
                .map(|t| check_name(t, "tags", 1, 200, any_char))
                .transpose()?,
        };
        let updated = match self.store.sticker_update(id, patch).await? {
            Ok(updated) => updated,
            Err(_) => return Err(name_taken()),
        };
        self.publish_stickers(guild_id).await?;
        Ok(updated)
    }

    /// Deletes a sticker.
    pub async fn delete_sticker(
        &self,
        actor: &User,
        guild_id: Snowflake,
        id: Snowflake,
        files: &Uploads,
    ) -> Result<(), ChatError> {
        let sticker = self.live_sticker(guild_id, id).await?;
        self.may_change_expression(actor, guild_id, sticker.user_id).await?;
        if self.store.sticker_delete(id).await? {
            files.remove(&[id]).await;
            self.publish_stickers(guild_id).await?;
            self.audit_expression(actor, "expressions.sticker.delete", &sticker.name, String::new())
                .await;
        }
        Ok(())
    }

    /// The stickers a message sends, by id: at most three, each one of the space the channel is in (or of the
    /// home space, in a DM).
    pub(crate) async fn message_stickers(
        &self,
        guild_id: Option<Snowflake>,
        ids: &[Snowflake],
    ) -> Result<Vec<StickerItem>, ChatError> {
        if ids.len() > 3 {
            return Err(ChatError::invalid("sticker_ids", "Must be 3 or fewer in length."));
        }
        let home = match guild_id {
            Some(id) => id,
            None => self.store.guild_home().await?.ok_or(ChatError::InvalidSticker)?.id,
        };
        let mut items = Vec::with_capacity(ids.len());
        for id in ids {
            let sticker = self
                .store
                .sticker(*id)
                .await?
                .filter(|s| !s.deleted && s.guild_id == home)
                .ok_or(ChatError::InvalidSticker)?;
            items.push(StickerItem {
                id: sticker.id,
                name: sticker.name,
                format_type: sticker.format_type,
            });
        }
        Ok(items)
    }

    async fn publish_stickers(&self, guild_id: Snowflake) -> Result<(), ChatError> {
        let stickers = self.store.stickers(guild_id).await?;
        let data = wire::GuildStickersUpdate {
            guild_id: wire::Id(guild_id),
            stickers: stickers.iter().map(|s| wire::Sticker::new(s, None)).collect(),
        };
        self.publish_expression("GUILD_STICKERS_UPDATE", guild_id, &data);
        Ok(())
    }
}
