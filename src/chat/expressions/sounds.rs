//! Soundboard sounds: Discord's `/guilds/{id}/soundboard-sounds` rules. The HTTP face has the DJ's pipeline
//! decode an upload first (MP3, Ogg or WAV, at most 5.2 s and 512 KiB); here are the names, volume, emoji,
//! permissions and events. Playing one (`POST /channels/{id}/send-soundboard-sound`) takes USE_SOUNDBOARD and
//! SPEAK in the voice room; the DJ plays it and [`Chat::sound_played`] tells the room.

use serde::Deserialize;
use serde_json::Value;

use super::super::{Chat, ChatError};
use super::{check_name, name_taken, store_with_file};
use crate::hub::{Audience, Event, intents};
use crate::perms::bits;
use crate::store::{Snowflake, Sound, SoundPatch, User};
use crate::uploads::Uploads;
use crate::wire;

/// Largest sound upload.
pub const MAX_SOUND_BYTES: usize = 512 * 1024;
/// Longest sound, in milliseconds.
pub const MAX_SOUND_MS: i64 = 5_200;

/// A sound to add, already decoded and checked by the HTTP face.
#[derive(Debug, Clone, Default)]
pub struct SoundInput {
    /// Name (2–32).
    pub name: String,
    /// 0–1 (default 1).
    pub volume: Option<f64>,
    /// A custom emoji of the space.
    pub emoji_id: Option<Snowflake>,
    /// A unicode emoji.
    pub emoji_name: Option<String>,
    /// The file.
    pub bytes: Vec<u8>,
    /// Its type, from its bytes.
    pub content_type: String,
    /// Its length.
    pub duration_ms: i64,
}

/// `POST` and `PATCH /guilds/{id}/soundboard-sounds` as JSON (`sound` is the data URI, on POST only).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SoundFields {
    /// Name.
    pub name: Option<String>,
    /// The file, as a data URI.
    pub sound: Option<String>,
    /// 0–1.
    pub volume: Option<f64>,
    /// A custom emoji (`null` removes it).
    #[serde(default, deserialize_with = "present")]
    pub emoji_id: Option<Option<Value>>,
    /// A unicode emoji (`null` removes it).
    #[serde(default, deserialize_with = "present")]
    pub emoji_name: Option<Option<Value>>,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<Value>>, D::Error> {
    Ok(Some(Option::<Value>::deserialize(d)?))
}

fn any_char(c: char) -> bool {
    !c.is_control()
}

fn check_volume(volume: f64) -> Result<f64, ChatError> {
    if (0.0..=1.0).contains(&volume) {
        Ok(volume)
    } else {
        Err(ChatError::invalid("volume", "Must be between 0 and 1."))
    }
}

/// A sound's emoji fields as given: each absent (`None`), removed (`Some(None)`) or set.
pub type EmojiFields = (Option<Option<Snowflake>>, Option<Option<String>>);

/// Reads the emoji fields: a custom emoji id (as a string or number) and a unicode emoji.
pub fn emoji_fields(fields: &SoundFields) -> Result<EmojiFields, ChatError> {
    let id = match &fields.emoji_id {
        None => None,
        Some(None | Some(Value::Null)) => Some(None),
        Some(Some(Value::String(s))) => Some(Some(
            s.parse()
                .map_err(|_| ChatError::invalid("emoji_id", "Must be a snowflake."))?,
        )),
        Some(Some(Value::Number(n))) => Some(Some(
            n.as_i64()
                .ok_or_else(|| ChatError::invalid("emoji_id", "Must be a snowflake."))?,
        )),
        Some(Some(_)) => return Err(ChatError::invalid("emoji_id", "Must be a snowflake.")),
    };
    let name = match &fields.emoji_name {
        None => None,
        Some(None | Some(Value::Null)) => Some(None),
        Some(Some(Value::String(s))) if s.is_empty() => Some(None),
        Some(Some(Value::String(s))) if s.chars().count() <= 32 && !s.chars().any(char::is_control) => {
            Some(Some(s.clone()))
        }
        Some(Some(_)) => return Err(ChatError::invalid("emoji_name", "Must be an emoji.")),
    };
    Ok((id, name))
}

impl Chat {
    /// The space's sounds with who added them.
    pub async fn sounds_of(&self, actor: &User, guild_id: Snowflake) -> Result<Vec<(Sound, Option<User>)>, ChatError> {
        self.space_perms(actor, guild_id).await?;
        let sounds = self.store.sounds(guild_id).await?;
        let users = self.uploaders(sounds.iter().map(|s| s.user_id)).await?;
        Ok(sounds.into_iter().zip(users).collect())
    }

    /// One sound of the space.
    pub async fn sound_of(
        &self,
        actor: &User,
        guild_id: Snowflake,
        id: Snowflake,
    ) -> Result<(Sound, Option<User>), ChatError> {
        self.space_perms(actor, guild_id).await?;
        let sound = self.live_sound(guild_id, id).await?;
        let user = self.uploaders(std::iter::once(sound.user_id)).await?.pop().flatten();
        Ok((sound, user))
    }

    async fn live_sound(&self, guild_id: Snowflake, id: Snowflake) -> Result<Sound, ChatError> {
        self.store
            .sound(id)
            .await?
            .filter(|s| s.guild_id == guild_id)
            .ok_or(ChatError::UnknownSound)
    }

    /// A custom emoji given for a sound must be one of the space's.
    async fn check_sound_emoji(&self, guild_id: Snowflake, emoji_id: Option<Snowflake>) -> Result<(), ChatError> {
        if let Some(id) = emoji_id
            && !self
                .store
                .emoji(id)
                .await?
                .is_some_and(|e| e.guild_id == guild_id && !e.deleted)
        {
            return Err(ChatError::UnknownEmoji);
        }
        Ok(())
    }

    /// Checks that the actor may add a sound now (before its file is decoded).
    pub async fn may_add_sound(&self, actor: &User, guild_id: Snowflake) -> Result<(), ChatError> {
        self.may_add_expressions(actor, guild_id).await.map(|_| ())
    }

    /// Adds a sound.
    pub async fn create_sound(
        &self,
        actor: &User,
        guild_id: Snowflake,
        input: SoundInput,
        files: &Uploads,
    ) -> Result<Sound, ChatError> {
        self.may_add_expressions(actor, guild_id).await?;
        let name = check_name(&input.name, "name", 2, 32, any_char)?;
        let volume = check_volume(input.volume.unwrap_or(1.0))?;
        self.check_sound_emoji(guild_id, input.emoji_id).await?;
        let id = self.store.next_id();
        let sound = Sound {
            id,
            guild_id,
            name,
            volume,
            emoji_id: input.emoji_id,
            emoji_name: input.emoji_name,
            content_type: input.content_type,
            duration_ms: input.duration_ms,
            user_id: Some(actor.id),
        };
        let create = self
            .store
            .sound_create(sound, self.limits.max_sounds, self.clock.now_ms());
        let full = ChatError::TooManySounds(self.limits.max_sounds);
        let sound = store_with_file(files, id, &input.bytes, create, full).await?;
        let data = wire::SoundboardSound::new(&sound, Some(actor));
        self.publish_expression("GUILD_SOUNDBOARD_SOUND_CREATE", guild_id, &data);
        let detail = format!("{:.1} s", sound.duration_ms as f64 / 1000.0);
        self.audit_expression(actor, "expressions.sound.create", &sound.name, detail)
            .await;
        Ok(sound)
    }

    /// Changes a sound's name, volume or emoji.
    pub async fn update_sound(
        &self,
        actor: &User,
        guild_id: Snowflake,
        id: Snowflake,
        fields: SoundFields,
    ) -> Result<Sound, ChatError> {
        let sound = self.live_sound(guild_id, id).await?;
        self.may_change_expression(actor, guild_id, sound.user_id).await?;
        let (emoji_id, emoji_name) = emoji_fields(&fields)?;
        let emoji = match (emoji_id, emoji_name) {
            (None, None) => None,
            (id, name) => Some((id.unwrap_or(sound.emoji_id), name.unwrap_or(sound.emoji_name.clone()))),
        };
        if let Some((id, _)) = &emoji {
            self.check_sound_emoji(guild_id, *id).await?;
        }
        let patch = SoundPatch {
            name: fields
                .name
                .as_deref()
                .map(|n| check_name(n, "name", 2, 32, any_char))
                .transpose()?,
            volume: fields.volume.map(check_volume).transpose()?,
            emoji,
        };
        let updated = match self.store.sound_update(id, patch).await? {
            Ok(updated) => updated,
            Err(_) => return Err(name_taken()),
        };
        let owner = self.uploaders(std::iter::once(updated.user_id)).await?.pop().flatten();
        let data = wire::SoundboardSound::new(&updated, owner.as_ref());
        self.publish_expression("GUILD_SOUNDBOARD_SOUND_UPDATE", guild_id, &data);
        Ok(updated)
    }

    /// Deletes a sound.
    pub async fn delete_sound(
        &self,
        actor: &User,
        guild_id: Snowflake,
        id: Snowflake,
        files: &Uploads,
    ) -> Result<(), ChatError> {
        let sound = self.live_sound(guild_id, id).await?;
        self.may_change_expression(actor, guild_id, sound.user_id).await?;
        if self.store.sound_delete(id).await? {
            files.remove(&[id]).await;
            let data = wire::SoundboardSoundDelete {
                sound_id: wire::Id(id),
                guild_id: wire::Id(guild_id),
            };
            self.publish_expression("GUILD_SOUNDBOARD_SOUND_DELETE", guild_id, &data);
            self.audit_expression(actor, "expressions.sound.delete", &sound.name, String::new())
                .await;
        }
        Ok(())
    }

    /// A sound the actor may play in the voice room `channel_id`: the room must be a voice channel of the
    /// sound's space where they have USE_SOUNDBOARD and SPEAK. (Being in the room is voice's to check.)
    pub async fn playable_sound(
        &self,
        actor: &User,
        channel_id: Snowflake,
        sound_id: Snowflake,
    ) -> Result<Sound, ChatError> {
        let access = self.access(actor, channel_id).await?;
        if access.channel.kind != crate::store::ChannelKind::Voice {
            return Err(ChatError::NotVoice);
        }
        access.require(bits::USE_SOUNDBOARD | bits::SPEAK)?;
        let guild_id = access.channel.guild_id.ok_or(ChatError::NotVoice)?;
        self.live_sound(guild_id, sound_id).await
    }

    /// Tells those who can see the room that the actor played `sound` there (VOICE_CHANNEL_EFFECT_SEND).
    pub async fn sound_played(&self, actor: &User, channel_id: Snowflake, sound: &Sound) -> Result<(), ChatError> {
        let emoji = match (sound.emoji_id, &sound.emoji_name) {
            (Some(id), _) => self.store.emoji(id).await?.map(|e| wire::ReactionEmoji {
                id: Some(wire::Id(e.id)),
                name: e.name,
                animated: Some(e.animated),
            }),
            (None, Some(name)) => Some(wire::ReactionEmoji::stored(name, None)),
            (None, None) => None,
        };
        let data = wire::VoiceChannelEffect {
            channel_id: wire::Id(channel_id),
            guild_id: wire::Id(sound.guild_id),
            user_id: wire::Id(actor.id),
            animation_type: emoji.as_ref().map(|_| 1),
            animation_id: emoji.as_ref().map(|_| 0),
            emoji,
            sound_id: Some(wire::Id(sound.id)),
            sound_volume: Some(sound.volume),
        };
        self.hub.publish(Event::new(
            "VOICE_CHANNEL_EFFECT_SEND",
            &data,
            Audience::Channel(channel_id),
            intents::GUILD_VOICE_STATES,
        ));
        Ok(())
    }
}
