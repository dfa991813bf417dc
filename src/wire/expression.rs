//! The space's expressions as Discord shows them: custom emoji, stickers (and the `sticker_items` a message
//! carries), soundboard sounds, and the events about them.

use serde::Serialize;
use ts_rs::TS;

use super::{Id, ReactionEmoji, User};
use crate::store;

/// Discord's sticker type for a guild's own sticker.
const GUILD_STICKER: i64 = 2;

/// A custom emoji (`GET /guilds/{id}/emojis`, the guild's `emojis`).
#[derive(Debug, Clone, Serialize, TS)]
pub struct GuildEmoji {
    /// Snowflake.
    pub id: Id,
    /// Name, without colons.
    pub name: String,
    /// Roles allowed to use it (as given; spot lets everyone use it).
    pub roles: Vec<Id>,
    /// Who added it (REST, for those who may manage expressions).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub user: Option<User>,
    /// Always wrapped in colons.
    pub require_colons: bool,
    /// Never managed by an integration.
    pub managed: bool,
    /// A GIF that moves.
    pub animated: bool,
    /// Usable.
    pub available: bool,
}

impl GuildEmoji {
    /// The emoji, with its uploader when given.
    pub fn new(emoji: &store::Emoji, user: Option<&store::User>) -> Self {
        Self {
            id: Id(emoji.id),
            name: emoji.name.clone(),
            roles: emoji.roles.iter().copied().map(Id).collect(),
            user: user.map(User::from),
            require_colons: true,
            managed: false,
            animated: emoji.animated,
            available: true,
        }
    }
}

/// A sticker.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Sticker {
    /// Snowflake.
    pub id: Id,
    /// Name.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// The related emoji.
    pub tags: String,
    /// 2: a guild's sticker.
    #[serde(rename = "type")]
    pub kind: i64,
    /// 1 PNG, 2 APNG, 4 GIF.
    pub format_type: i64,
    /// Usable.
    pub available: bool,
    /// The space.
    pub guild_id: Id,
    /// Who added it (REST, for those who may manage expressions).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub user: Option<User>,
}

impl Sticker {
    /// The sticker, with its uploader when given.
    pub fn new(sticker: &store::Sticker, user: Option<&store::User>) -> Self {
        Self {
            id: Id(sticker.id),
            name: sticker.name.clone(),
            description: Some(sticker.description.clone()).filter(|d| !d.is_empty()),
            tags: sticker.tags.clone(),
            kind: GUILD_STICKER,
            format_type: sticker.format_type,
            available: true,
            guild_id: Id(sticker.guild_id),
            user: user.map(User::from),
        }
    }
}

/// A sticker in a message.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StickerItem {
    /// Snowflake.
    pub id: Id,
    /// Name.
    pub name: String,
    /// 1 PNG, 2 APNG, 4 GIF.
    pub format_type: i64,
}

impl From<&store::StickerItem> for StickerItem {
    fn from(item: &store::StickerItem) -> Self {
        Self {
            id: Id(item.id),
            name: item.name.clone(),
            format_type: item.format_type,
        }
    }
}

/// A soundboard sound.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SoundboardSound {
    /// Name.
    pub name: String,
    /// Snowflake.
    pub sound_id: Id,
    /// 0–1.
    pub volume: f64,
    /// A custom emoji shown with it.
    pub emoji_id: Option<Id>,
    /// A unicode emoji shown with it.
    pub emoji_name: Option<String>,
    /// The space.
    pub guild_id: Id,
    /// Usable.
    pub available: bool,
    /// Who added it (REST).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub user: Option<User>,
}

impl SoundboardSound {
    /// The sound, with its uploader when given.
    pub fn new(sound: &store::Sound, user: Option<&store::User>) -> Self {
        Self {
            name: sound.name.clone(),
            sound_id: Id(sound.id),
            volume: sound.volume,
            emoji_id: sound.emoji_id.map(Id),
            emoji_name: sound.emoji_name.clone(),
            guild_id: Id(sound.guild_id),
            available: true,
            user: user.map(User::from),
        }
    }
}

/// `GET /guilds/{id}/soundboard-sounds`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SoundboardSounds {
    /// The sounds.
    pub items: Vec<SoundboardSound>,
}

/// GUILD_EMOJIS_UPDATE: every emoji of the space, after a change.
#[derive(Debug, Clone, Serialize, TS)]
pub struct GuildEmojisUpdate {
    /// The space.
    pub guild_id: Id,
    /// All its emoji.
    pub emojis: Vec<GuildEmoji>,
}

/// GUILD_STICKERS_UPDATE: every sticker of the space, after a change.
#[derive(Debug, Clone, Serialize, TS)]
pub struct GuildStickersUpdate {
    /// The space.
    pub guild_id: Id,
    /// All its stickers.
    pub stickers: Vec<Sticker>,
}

/// GUILD_SOUNDBOARD_SOUND_DELETE.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SoundboardSoundDelete {
    /// The sound.
    pub sound_id: Id,
    /// The space.
    pub guild_id: Id,
}

/// VOICE_CHANNEL_EFFECT_SEND: someone played a sound (or sent an emoji) in a voice room.
#[derive(Debug, Clone, Serialize, TS)]
pub struct VoiceChannelEffect {
    /// The voice room.
    pub channel_id: Id,
    /// The space.
    pub guild_id: Id,
    /// Who.
    pub user_id: Id,
    /// The sound's emoji, if it has one.
    pub emoji: Option<ReactionEmoji>,
    /// Discord's animation type (0 premium, 1 basic); `null` for a sound without an emoji.
    pub animation_type: Option<i64>,
    /// Discord's animation id.
    pub animation_id: Option<i64>,
    /// The sound played.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sound_id: Option<Id>,
    /// Its volume, 0–1.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub sound_volume: Option<f64>,
}
