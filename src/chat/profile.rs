//! Profiles: display name and avatar (`PATCH /users/@me`). Avatars arrive as Discord sends them, a
//! `data:image/…;base64,…` URI; only PNG, JPEG, GIF and WebP (checked by their bytes, not their label) are kept.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{Chat, ChatError};
use crate::hub::{Audience, Event, intents};
use crate::media::{MAX_AVATAR_BYTES, image_kind};
use crate::store::User;
use crate::wire;

/// The body of "modify current user".
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProfileInput {
    /// New display name (`null` clears it).
    #[serde(default, deserialize_with = "present")]
    pub global_name: Option<Option<String>>,
    /// New avatar as a data URI (`null` removes it).
    #[serde(default, deserialize_with = "present")]
    pub avatar: Option<Option<String>>,
}

/// A field that may be present with `null`: `Some(None)`.
pub(super) fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Ok(Some(Option::<String>::deserialize(d)?))
}

/// Decodes a data URI into image bytes with their extension; `field` names the field in errors.
fn decode_image(uri: &str, field: &str) -> Result<(Vec<u8>, &'static str), ChatError> {
    let bad = || ChatError::invalid(field, "Must be a PNG, JPEG, GIF or WebP data URI of at most 512 KiB.");
    let (_, data) = uri.split_once(";base64,").ok_or_else(bad)?;
    let bytes = STANDARD.decode(data.trim()).map_err(|_| bad())?;
    if bytes.len() > MAX_AVATAR_BYTES {
        return Err(bad());
    }
    let (ext, _) = image_kind(&bytes).ok_or_else(bad)?;
    Ok((bytes, ext))
}

/// Checks a data URI image and stores it in `dir` as `{hash}.{ext}`; returns the hash (what avatar and icon
/// fields carry).
pub(super) async fn store_image(uri: &str, field: &str, dir: &std::path::Path) -> Result<String, ChatError> {
    let (bytes, ext) = decode_image(uri, field)?;
    let hash = hex::encode(&Sha256::digest(&bytes)[..16]);
    let write = async {
        tokio::fs::create_dir_all(dir).await?;
        tokio::fs::write(dir.join(format!("{hash}.{ext}")), &bytes).await
    };
    write
        .await
        .map_err(|e| ChatError::Store(crate::store::StoreError::Io(e)))?;
    Ok(hash)
}

impl Chat {
    /// Changes the actor's display name and/or avatar; `avatars_dir` is `<data_dir>/avatars`.
    pub async fn update_profile(
        &self,
        actor: &User,
        input: ProfileInput,
        avatars_dir: &std::path::Path,
    ) -> Result<User, ChatError> {
        if let Some(Some(name)) = &input.global_name
            && (name.trim().is_empty() || name.chars().count() > 32)
        {
            return Err(ChatError::invalid("global_name", "Must be between 1 and 32 in length."));
        }
        let avatar = match input.avatar {
            None => None,
            Some(None) => Some(None),
            Some(Some(uri)) => Some(Some(
                store_image(&uri, "avatar", &avatars_dir.join(actor.id.to_string())).await?,
            )),
        };
        let global_name = input.global_name.map(|n| n.map(|n| n.trim().to_owned()));
        let user = self.store.user_set_profile(actor.id, global_name, avatar).await?;
        let data = wire::current_user(&user);
        self.hub
            .publish(Event::new("USER_UPDATE", &data, Audience::User(user.id), 0));
        if let Some(guild) = self.store.guild_home().await?
            && let Some(member) = self.store.member_get(guild.id, user.id).await?
        {
            let mut data: Value = wire::member(&member);
            data["guild_id"] = wire::id(guild.id);
            self.hub.publish(Event::new(
                "GUILD_MEMBER_UPDATE",
                &data,
                Audience::Guild(guild.id),
                intents::GUILD_MEMBERS,
            ));
        }
        Ok(user)
    }
}
