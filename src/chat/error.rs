//! [`ChatError`]: why a chat action was refused, with the Discord error code it maps to.

use thiserror::Error;

use crate::store::StoreError;

/// Why a chat action was refused or failed.
#[derive(Debug, Error)]
pub enum ChatError {
    /// No such channel, or one the user cannot see (Discord answers 10003 for both to outsiders... and 50001
    /// "Missing Access" when it exists but is hidden; spot does the same).
    #[error("Unknown Channel")]
    UnknownChannel,
    /// No such message in the channel.
    #[error("Unknown Message")]
    UnknownMessage,
    /// No such user.
    #[error("Unknown User")]
    UnknownUser,
    /// No such guild.
    #[error("Unknown Guild")]
    UnknownGuild,
    /// The emoji is not a unicode emoji spot knows how to store.
    #[error("Unknown Emoji")]
    UnknownEmoji,
    /// No such role in this guild.
    #[error("Unknown Role")]
    UnknownRole,
    /// The channel exists but the user cannot view it.
    #[error("Missing Access")]
    MissingAccess,
    /// The user lacks a permission.
    #[error("Missing Permissions")]
    MissingPermissions,
    /// A message with no content, embeds or files.
    #[error("Cannot send an empty message")]
    EmptyMessage,
    /// Only the author may do this.
    #[error("Cannot edit a message authored by another user")]
    NotAuthor,
    /// Thread is archived or locked.
    #[error("Thread is archived")]
    ThreadArchived,
    /// The action needs a voice channel and this is another kind.
    #[error("Cannot execute action on this channel type: it is not a voice channel")]
    NotVoice,
    /// The recipient does not take DMs from the actor (themselves, a block, their setting, not in the space).
    #[error("Cannot send messages to this user")]
    CannotMessageUser,
    /// A group DM is full.
    #[error("Maximum number of recipients reached (10)")]
    TooManyRecipients,
    /// No such application command.
    #[error("Unknown application command")]
    UnknownCommand,
    /// A scope has as many commands of a type as Discord allows.
    #[error("Maximum number of application commands reached")]
    TooManyCommands,
    /// No such interaction, or its time is up.
    #[error("Unknown interaction")]
    UnknownInteraction,
    /// The interaction was answered already.
    #[error("Interaction has already been acknowledged.")]
    AlreadyAcknowledged,
    /// No such webhook.
    #[error("Unknown Webhook")]
    UnknownWebhook,
    /// A webhook token that does not match.
    #[error("Invalid Webhook Token")]
    InvalidWebhookToken,
    /// A channel already has 15 webhooks.
    #[error("Maximum number of webhooks reached (15)")]
    TooManyWebhooks,
    /// No such sticker (or one of another space).
    #[error("Unknown Sticker")]
    UnknownSticker,
    /// No such soundboard sound.
    #[error("Unknown Soundboard Sound")]
    UnknownSound,
    /// The space has as many emoji as it may.
    #[error("Maximum number of emojis reached ({0})")]
    TooManyEmojis(usize),
    /// The space has as many stickers as it may.
    #[error("Maximum number of stickers reached ({0})")]
    TooManyStickers(usize),
    /// The space has as many sounds as it may.
    #[error("Maximum number of soundboard sounds reached ({0})")]
    TooManySounds(usize),
    /// An uploaded asset is over its size limit.
    #[error("File uploaded exceeds the maximum size ({0} KiB)")]
    AssetTooLarge(usize),
    /// An uploaded asset is not what it must be: (field, why).
    #[error("Invalid Asset: {1}")]
    InvalidAsset(String, String),
    /// A sticker that cannot be sent here.
    #[error("Invalid sticker sent")]
    InvalidSticker,
    /// A voice message that is not one audio file with its length and waveform, or that carries more.
    #[error("{1}")]
    InvalidVoiceMessage(u32, &'static str),
    /// A field is invalid: (field path, message).
    #[error("Invalid Form Body: {0}: {1}")]
    Invalid(String, String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ChatError {
    /// A field error.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(field.to_owned(), message.into())
    }

    /// Discord's JSON error code.
    pub fn code(&self) -> u32 {
        match self {
            Self::UnknownChannel => 10003,
            Self::UnknownGuild => 10004,
            Self::UnknownMessage => 10008,
            Self::UnknownUser => 10013,
            Self::UnknownEmoji => 10014,
            Self::UnknownRole => 10011,
            Self::MissingAccess => 50001,
            Self::MissingPermissions => 50013,
            Self::EmptyMessage => 50006,
            Self::NotAuthor => 50005,
            Self::ThreadArchived => 50083,
            Self::NotVoice => 50024,
            Self::CannotMessageUser => 50007,
            Self::TooManyRecipients => 30004,
            Self::UnknownWebhook => 10015,
            Self::UnknownCommand => 10063,
            Self::UnknownInteraction => 10062,
            Self::AlreadyAcknowledged => 40060,
            Self::TooManyCommands => 30032,
            Self::InvalidWebhookToken => 50027,
            Self::TooManyWebhooks => 30007,
            Self::UnknownSticker => 10060,
            Self::UnknownSound => 10097,
            Self::TooManyEmojis(_) => 30008,
            Self::TooManyStickers(_) => 30039,
            Self::TooManySounds(_) => 30045,
            Self::AssetTooLarge(_) => 50045,
            Self::InvalidAsset(..) => 50046,
            Self::InvalidSticker => 50081,
            Self::InvalidVoiceMessage(code, _) => *code,
            Self::Invalid(..) => 50035,
            Self::Store(_) => 0,
        }
    }
}
