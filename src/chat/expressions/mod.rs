//! The space's own expressions: custom emoji ([`emojis`]), stickers ([`stickers`]) and soundboard sounds
//! ([`sounds`]). Adding one takes CREATE_GUILD_EXPRESSIONS (everyone has it by default); renaming or deleting
//! someone else's takes MANAGE_GUILD_EXPRESSIONS, as on Discord. Files are checked by their bytes and stored
//! under `<data_dir>/expressions/<id>`; every change is published to the space (GUILD_EMOJIS_UPDATE,
//! GUILD_STICKERS_UPDATE, GUILD_SOUNDBOARD_SOUND_*) and written to the audit log.

pub mod emojis;
pub mod sounds;
pub mod stickers;

use base64::Engine;

use super::{Chat, ChatError};
use crate::hub::{Audience, Event, intents};
use crate::perms::{self, bits};
use crate::store::{Snowflake, User};

/// What a data URI holds: its declared type and its bytes (the type is not trusted).
pub fn decode_data_uri(uri: &str, field: &str, max: usize) -> Result<Vec<u8>, ChatError> {
    let bad = || ChatError::invalid(field, "Must be a base64 data URI.");
    let (head, data) = uri.split_once(',').ok_or_else(bad)?;
    if !head.starts_with("data:") || !head.ends_with(";base64") {
        return Err(bad());
    }
    // base64 is 4/3 of the bytes: refuse what cannot fit before decoding it.
    if data.len() / 4 * 3 > max + 3 {
        return Err(ChatError::AssetTooLarge(max / 1024));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data.trim())
        .map_err(|_| bad())?;
    if bytes.len() > max {
        return Err(ChatError::AssetTooLarge(max / 1024));
    }
    Ok(bytes)
}

/// Checks a name: `chars` allowed, between `min` and `max` characters.
fn check_name(name: &str, field: &str, min: usize, max: usize, allowed: fn(char) -> bool) -> Result<String, ChatError> {
    let name = name.trim();
    let count = name.chars().count();
    if count < min || count > max {
        return Err(ChatError::invalid(
            field,
            format!("Must be between {min} and {max} in length."),
        ));
    }
    if !name.chars().all(allowed) {
        return Err(ChatError::invalid(field, "Contains characters that are not allowed."));
    }
    Ok(name.to_owned())
}

/// A custom emoji's name: `[a-z0-9_]{2,32}`.
pub fn emoji_name(name: &str) -> Result<String, ChatError> {
    check_name(name, "name", 2, 32, |c| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'
    })
}

/// Saves an expression's file under `id`, then stores its row (`create`); a refused row (the space is full:
/// `full`; the name is taken) takes the file away again, so nothing of a refused upload stays.
async fn store_with_file<T>(
    files: &crate::uploads::Uploads,
    id: Snowflake,
    bytes: &[u8],
    create: impl Future<Output = Result<Result<T, crate::store::Refusal>, crate::store::StoreError>>,
    full: ChatError,
) -> Result<T, ChatError> {
    files
        .save(id, bytes)
        .await
        .map_err(|e| ChatError::Store(crate::store::StoreError::Io(e)))?;
    match create.await {
        Ok(Ok(made)) => Ok(made),
        refused => {
            files.remove(&[id]).await;
            Err(match refused? {
                Err(crate::store::Refusal::Full) => full,
                _ => name_taken(),
            })
        }
    }
}

/// The refusal for a name another expression of the same kind has.
fn name_taken() -> ChatError {
    ChatError::invalid("name", "This name is already used in this space.")
}

impl Chat {
    /// The actor's permissions in the space (they must be a member).
    async fn space_perms(&self, actor: &User, guild_id: Snowflake) -> Result<u64, ChatError> {
        let ctx = self
            .store
            .guild_permission_context(guild_id, actor.id)
            .await?
            .ok_or(ChatError::UnknownGuild)?;
        if ctx.owner_id == actor.id || ctx.instance_admin {
            return Ok(bits::ALL);
        }
        Ok(perms::guild_level(&ctx))
    }

    /// May the actor add expressions? Returns their permissions.
    async fn may_add_expressions(&self, actor: &User, guild_id: Snowflake) -> Result<u64, ChatError> {
        let level = self.space_perms(actor, guild_id).await?;
        if perms::has(level, bits::CREATE_GUILD_EXPRESSIONS) || perms::has(level, bits::MANAGE_GUILD_EXPRESSIONS) {
            Ok(level)
        } else {
            Err(ChatError::MissingPermissions)
        }
    }

    /// May the actor change or delete an expression `owner` added?
    async fn may_change_expression(
        &self,
        actor: &User,
        guild_id: Snowflake,
        owner: Option<Snowflake>,
    ) -> Result<(), ChatError> {
        let level = self.space_perms(actor, guild_id).await?;
        let own = owner == Some(actor.id) && perms::has(level, bits::CREATE_GUILD_EXPRESSIONS);
        if own || perms::has(level, bits::MANAGE_GUILD_EXPRESSIONS) {
            Ok(())
        } else {
            Err(ChatError::MissingPermissions)
        }
    }

    /// Publishes an expression event to the whole space.
    fn publish_expression(&self, name: &'static str, guild_id: Snowflake, data: &impl serde::Serialize) {
        self.hub.publish(Event::new(
            name,
            data,
            Audience::Guild(guild_id),
            intents::GUILD_EXPRESSIONS,
        ));
    }

    /// Writes an audit entry (a failure is logged, never fatal).
    async fn audit_expression(&self, actor: &User, action: &str, target: &str, detail: String) {
        let entry = (Some(actor.id), action.to_owned(), target.to_owned(), detail);
        if let Err(e) = self.store.audit_record(entry).await {
            tracing::error!(error = %e, action, "could not write the audit log");
        }
    }

    /// The uploader of each expression, for REST answers.
    async fn uploaders(&self, ids: impl Iterator<Item = Option<Snowflake>>) -> Result<Vec<Option<User>>, ChatError> {
        let mut out = Vec::new();
        for id in ids {
            out.push(match id {
                Some(id) => self.store.user_by_id(id).await?,
                None => None,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_data() {
        assert_eq!(emoji_name("party_parrot2").unwrap(), "party_parrot2");
        for bad in ["a", "Party", "with space", "emoji-dash", &"x".repeat(33)] {
            assert!(emoji_name(bad).is_err(), "{bad}");
        }
        assert_eq!(
            decode_data_uri("data:image/png;base64,AAEC", "image", 10).unwrap(),
            vec![0, 1, 2]
        );
        assert!(decode_data_uri("AAEC", "image", 10).is_err());
        assert!(matches!(
            decode_data_uri("data:image/png;base64,AAECAAECAAECAAEC", "image", 4),
            Err(ChatError::AssetTooLarge(_))
        ));
    }
}
