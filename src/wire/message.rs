//! Messages, their attachments and reactions.

use serde::Serialize;
use ts_rs::TS;

use super::{Channel, Embed, Id, MemberInfo, ReactionEmoji, StickerItem, Urls, User};
use crate::clock::iso8601;
use crate::store::{self, Snowflake, timestamp_ms};

/// Discord's message flag SUPPRESS_EMBEDS.
const SUPPRESS_EMBEDS: i64 = 1 << 2;

/// An attachment. `description`, `width` and `height` are left out when unset, as Discord does.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Attachment {
    /// Snowflake.
    pub id: Id,
    /// File name.
    pub filename: String,
    /// Alt text.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub description: Option<String>,
    /// MIME type.
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    /// Where to download it: absolute, signed and expiring, so a plain GET works (as on Discord's CDN).
    pub url: String,
    /// The same (spot has no separate media proxy for files).
    pub proxy_url: String,
    /// Images and videos: pixels.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub width: Option<i64>,
    /// Images and videos: pixels.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub height: Option<i64>,
    /// Never ephemeral.
    pub ephemeral: bool,
    /// A voice message's length, in seconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub duration_secs: Option<f64>,
    /// A voice message's waveform: base64 of up to 256 one-byte samples.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub waveform: Option<String>,
}

impl Attachment {
    /// The attachment of a message in `channel_id`, served from the CDN-style path.
    pub fn new(channel_id: Snowflake, a: &store::Attachment, urls: &Urls) -> Self {
        let url = urls.attachment(channel_id, a.id, &a.filename);
        Self {
            id: Id(a.id),
            filename: a.filename.clone(),
            description: a.description.clone(),
            content_type: a.content_type.clone(),
            size: a.size,
            proxy_url: url.clone(),
            url,
            width: a.width,
            height: a.height,
            ephemeral: false,
            duration_secs: a.duration_secs,
            waveform: a.waveform.clone(),
        }
    }
}

/// Normal and super reactions.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReactionCountDetails {
    /// Super reactions (none).
    pub burst: i64,
    /// Normal reactions.
    pub normal: i64,
}

/// One emoji's reactions on a message.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Reaction {
    /// How many.
    pub count: i64,
    /// Split by kind.
    pub count_details: ReactionCountDetails,
    /// The viewer reacted.
    pub me: bool,
    /// The viewer super-reacted (never).
    pub me_burst: bool,
    /// Super reaction colours.
    pub burst_colors: Vec<String>,
    /// The emoji.
    pub emoji: ReactionEmoji,
}

/// Where a reply points.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MessageReference {
    /// 0: a reply.
    #[serde(rename = "type")]
    pub kind: i64,
    /// The message.
    pub message_id: Id,
    /// Its channel.
    pub channel_id: Id,
    /// Its guild.
    pub guild_id: Option<Id>,
}

/// A message object.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Message {
    /// Snowflake.
    pub id: Id,
    /// Channel or thread.
    pub channel_id: Id,
    /// Guild messages, in dispatches and REST alike.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub guild_id: Option<Id>,
    /// Who wrote it.
    pub author: User,
    /// The author's membership (guild messages, without `user`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub member: Option<MemberInfo>,
    /// Text.
    pub content: String,
    /// When it was sent (ISO 8601).
    pub timestamp: String,
    /// When it was last edited.
    pub edited_timestamp: Option<String>,
    /// Text-to-speech.
    pub tts: bool,
    /// Mentions @everyone.
    pub mention_everyone: bool,
    /// Users mentioned.
    pub mentions: Vec<User>,
    /// Roles mentioned.
    pub mention_roles: Vec<Id>,
    /// Channels mentioned (not tracked).
    #[ts(type = "unknown[]")]
    pub mention_channels: Vec<serde_json::Value>,
    /// Files.
    pub attachments: Vec<Attachment>,
    /// The author's embeds, then link previews (none under SUPPRESS_EMBEDS).
    pub embeds: Vec<Embed>,
    /// Reactions.
    pub reactions: Vec<Reaction>,
    /// The client's nonce, echoed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub nonce: Option<String>,
    /// Pinned.
    pub pinned: bool,
    /// Discord message type.
    #[serde(rename = "type")]
    pub kind: i64,
    /// Message flags.
    pub flags: i64,
    /// Buttons and menus (action rows), as the application sent them (validated).
    #[ts(type = "unknown[]")]
    pub components: Vec<serde_json::Value>,
    /// Posted by this webhook.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub webhook_id: Option<Id>,
    /// Sent by this application (an interaction's response).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub application_id: Option<Id>,
    /// The interaction that caused it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "unknown")]
    pub interaction_metadata: Option<serde_json::Value>,
    /// Stickers.
    pub sticker_items: Vec<StickerItem>,
    /// A reply's target.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub message_reference: Option<MessageReference>,
    /// A reply's target message (`null` when deleted).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub referenced_message: Option<Option<Box<Message>>>,
    /// The thread started from this message: the whole channel object, as Discord sends it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub thread: Option<Channel>,
}

impl Message {
    /// A message. `guild_id` and the author's `member` are included for guild messages, as in dispatches.
    pub fn new(
        message: &store::Message,
        guild_id: Option<Snowflake>,
        author_member: Option<&store::Member>,
        urls: &Urls,
    ) -> Self {
        let shown_embeds = if message.flags & SUPPRESS_EMBEDS != 0 {
            Vec::new()
        } else {
            let mut embeds = Embed::from_stored(&message.embeds);
            embeds.extend(Embed::from_stored(&message.link_embeds));
            embeds
        };
        let extra = &message.extra;
        let mut author = User::from(&message.author);
        if extra.webhook_id.is_some() {
            // A webhook posts under its name (or the name it was given for this message), as a bot, with
            // Discord's webhook discriminator.
            author.username = extra
                .author_name
                .clone()
                .or_else(|| message.author.global_name.clone())
                .unwrap_or_else(|| message.author.username.clone());
            author.global_name = None;
            author.discriminator = "0000";
            author.bot = true;
            if extra.author_avatar.is_some() {
                author.avatar = extra.author_avatar.clone();
            }
        }
        Self {
            id: Id(message.id),
            channel_id: Id(message.channel_id),
            guild_id: guild_id.map(Id),
            author,
            member: author_member
                .filter(|_| extra.webhook_id.is_none())
                .map(MemberInfo::from),
            content: message.content.clone(),
            timestamp: iso8601(timestamp_ms(message.id)),
            edited_timestamp: message.edited_at.map(iso8601),
            tts: message.tts,
            mention_everyone: message.mention_everyone,
            mentions: message.mentions.iter().map(User::from).collect(),
            mention_roles: message.mention_roles.iter().copied().map(Id).collect(),
            mention_channels: Vec::new(),
            attachments: message
                .attachments
                .iter()
                .map(|a| Attachment::new(message.channel_id, a, urls))
                .collect(),
            embeds: shown_embeds,
            reactions: message
                .reactions
                .iter()
                .map(|r| Reaction {
                    count: r.count,
                    count_details: ReactionCountDetails {
                        burst: 0,
                        normal: r.count,
                    },
                    me: r.me,
                    me_burst: false,
                    burst_colors: Vec::new(),
                    emoji: ReactionEmoji::stored(&r.emoji, r.custom.as_ref()),
                })
                .collect(),
            nonce: message.nonce.clone(),
            pinned: message.pinned,
            kind: message.kind,
            flags: message.flags,
            components: match &extra.components {
                Some(serde_json::Value::Array(rows)) => rows.clone(),
                _ => Vec::new(),
            },
            webhook_id: extra.webhook_id.map(Id),
            application_id: extra.application_id.map(Id),
            interaction_metadata: extra.interaction.clone(),
            sticker_items: extra.stickers.iter().map(StickerItem::from).collect(),
            message_reference: message.reference.map(|(channel, referenced)| MessageReference {
                kind: 0,
                message_id: Id(referenced),
                channel_id: Id(channel),
                guild_id: guild_id.map(Id),
            }),
            referenced_message: message.reference.map(|_| {
                message
                    .referenced
                    .as_ref()
                    .map(|m| Box::new(Self::new(m, None, None, urls)))
            }),
            thread: message.thread.as_deref().map(Channel::from),
        }
    }
}
