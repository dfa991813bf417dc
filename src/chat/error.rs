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
            Self::Invalid(..) => 50035,
            Self::Store(_) => 0,
        }
    }
}
