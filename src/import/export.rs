//! DiscordChatExporter's JSON, read as a stream: the `guild` and `channel` objects that open a file, then each
//! entry of `messages` handed to a callback as soon as it is parsed, so a file of any size takes the memory of
//! one message. The field names are those its `JsonMessageWriter` writes; fields spot does not use are skipped,
//! and a field that is missing or `null` takes its default, as exports from older versions lack some.

use std::fmt;
use std::io::Read;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

/// `null` or missing as the default.
fn nullable<'de, D: serde::Deserializer<'de>, T: Deserialize<'de> + Default>(d: D) -> Result<T, D::Error> {
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// The exported server.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Guild {
    /// Its Discord id.
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    /// Its name.
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
}

/// The exported channel (or thread: then `category_id` is its parent channel).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Channel {
    /// Its Discord id.
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    /// `GuildTextChat`, `GuildPublicThread`, `GuildForum`, … (DiscordChatExporter's names).
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub kind: String,
    /// The category's id (for a thread: the parent channel's).
    #[serde(default, deserialize_with = "nullable")]
    pub category_id: String,
    /// The category's name (for a thread: the parent channel's).
    #[serde(default, deserialize_with = "nullable")]
    pub category: String,
    /// Its name.
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// Its topic.
    #[serde(default, deserialize_with = "nullable")]
    pub topic: String,
}

impl Channel {
    /// A thread or a forum post (DiscordChatExporter exports them as channels of their own).
    pub fn is_thread(&self) -> bool {
        matches!(
            self.kind.as_str(),
            "GuildPublicThread" | "GuildPrivateThread" | "GuildNewsThread"
        )
    }
}

/// A person as the export shows them.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Author {
    /// Their Discord id.
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    /// Username.
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// `0000` for the new usernames.
    #[serde(default, deserialize_with = "nullable")]
    pub discriminator: String,
    /// What the server showed.
    #[serde(default, deserialize_with = "nullable")]
    pub nickname: String,
    /// `#rrggbb`.
    #[serde(default, deserialize_with = "nullable")]
    pub color: String,
    /// A bot.
    #[serde(default, deserialize_with = "nullable")]
    pub is_bot: bool,
    /// A URL, or with downloaded assets a path beside the JSON.
    #[serde(default, deserialize_with = "nullable")]
    pub avatar_url: String,
}

/// A file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attachment {
    /// Its Discord id.
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    /// A URL, or with downloaded assets a path beside the JSON.
    #[serde(default, deserialize_with = "nullable")]
    pub url: String,
    /// Its name.
    #[serde(default, deserialize_with = "nullable")]
    pub file_name: String,
    /// Its size.
    #[serde(default, deserialize_with = "nullable")]
    pub file_size_bytes: i64,
}

/// An emoji: unicode (`id` empty) or custom.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Emoji {
    /// A custom emoji's Discord id; empty for unicode.
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    /// The emoji itself, or a custom one's name.
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
    /// Moves.
    #[serde(default, deserialize_with = "nullable")]
    pub is_animated: bool,
    /// A URL, or a path beside the JSON.
    #[serde(default, deserialize_with = "nullable")]
    pub image_url: String,
}

/// One emoji's reactions.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reaction {
    /// The emoji.
    #[serde(default, deserialize_with = "nullable")]
    pub emoji: Emoji,
    /// How many.
    #[serde(default, deserialize_with = "nullable")]
    pub count: i64,
    /// Who (when the export lists them).
    #[serde(default, deserialize_with = "nullable")]
    pub users: Vec<Author>,
}

/// What a reply points to.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reference {
    /// The message.
    #[serde(default, deserialize_with = "nullable")]
    pub message_id: String,
    /// Its channel.
    #[serde(default, deserialize_with = "nullable")]
    pub channel_id: String,
}

/// A sticker sent with a message.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Sticker {
    /// Its name.
    #[serde(default, deserialize_with = "nullable")]
    pub name: String,
}

/// One message.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// Its Discord id.
    #[serde(default, deserialize_with = "nullable")]
    pub id: String,
    /// `Default`, `Reply`, `ChannelPinnedMessage`, `ThreadCreated`, … (DiscordChatExporter's names).
    #[serde(rename = "type", default, deserialize_with = "nullable")]
    pub kind: String,
    /// ISO 8601 with an offset.
    #[serde(default, deserialize_with = "nullable")]
    pub timestamp: String,
    /// ISO 8601, when edited.
    #[serde(default, deserialize_with = "nullable")]
    pub timestamp_edited: String,
    /// Pinned.
    #[serde(default, deserialize_with = "nullable")]
    pub is_pinned: bool,
    /// Text (mentions as `<@id>`, or as `@name` when the export formatted them).
    #[serde(default, deserialize_with = "nullable")]
    pub content: String,
    /// Who wrote it.
    #[serde(default, deserialize_with = "nullable")]
    pub author: Author,
    /// Files.
    #[serde(default, deserialize_with = "nullable")]
    pub attachments: Vec<Attachment>,
    /// Embeds, in the exporter's own shape.
    #[serde(default, deserialize_with = "nullable")]
    pub embeds: Vec<Value>,
    /// Stickers.
    #[serde(default, deserialize_with = "nullable")]
    pub stickers: Vec<Sticker>,
    /// Reactions.
    #[serde(default, deserialize_with = "nullable")]
    pub reactions: Vec<Reaction>,
    /// People mentioned.
    #[serde(default, deserialize_with = "nullable")]
    pub mentions: Vec<Author>,
    /// What it replies to.
    #[serde(default, deserialize_with = "nullable")]
    pub reference: Option<Reference>,
    /// The custom emoji in its text (with their pictures, when assets were downloaded).
    #[serde(default, deserialize_with = "nullable")]
    pub inline_emojis: Vec<Emoji>,
}

/// What reading a file meets, in order.
pub trait Visit {
    /// The `guild` object.
    fn guild(&mut self, guild: Guild) -> Result<(), String>;
    /// The `channel` object.
    fn channel(&mut self, channel: Channel) -> Result<(), String>;
    /// One message, or why it could not be read (the reading goes on).
    fn message(&mut self, index: usize, message: Result<Message, String>) -> Result<(), String>;
}

/// Reads one export from `reader`, calling `visit` as it goes. Errors: not JSON, cut short, or not an export
/// (no `channel` before `messages`, or no `messages`) — with where it happened.
pub fn read(reader: impl Read, visit: &mut impl Visit) -> Result<(), String> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    let seen = Root { visit }.deserialize(&mut de).map_err(|e| e.to_string())?;
    de.end().map_err(|e| format!("after the export: {e}"))?;
    match seen {
        Seen { channel: false, .. } => Err("not a DiscordChatExporter JSON export: it has no `channel`".into()),
        Seen { messages: false, .. } => Err("not a DiscordChatExporter JSON export: it has no `messages`".into()),
        _ => Ok(()),
    }
}

struct Seen {
    channel: bool,
    messages: bool,
}

struct Root<'a, V> {
    visit: &'a mut V,
}

impl<'de, V: Visit> DeserializeSeed<'de> for Root<'_, V> {
    type Value = Seen;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Seen, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, V: Visit> Visitor<'de> for Root<'_, V> {
    type Value = Seen;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a DiscordChatExporter JSON export (an object with guild, channel and messages)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Seen, A::Error> {
        use serde::de::Error;
        let mut seen = Seen {
            channel: false,
            messages: false,
        };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "guild" => {
                    let guild: Guild = map.next_value()?;
                    self.visit.guild(guild).map_err(A::Error::custom)?;
                }
                "channel" => {
                    let channel: Channel = map.next_value()?;
                    seen.channel = true;
                    self.visit.channel(channel).map_err(A::Error::custom)?;
                }
                "messages" => {
                    if !seen.channel {
                        return Err(A::Error::custom("`messages` comes before `channel`"));
                    }
                    map.next_value_seed(Messages {
                        visit: &mut *self.visit,
                    })?;
                    seen.messages = true;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(seen)
    }
}

struct Messages<'a, V> {
    visit: &'a mut V,
}

impl<'de, V: Visit> DeserializeSeed<'de> for Messages<'_, V> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de, V: Visit> Visitor<'de> for Messages<'_, V> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of messages")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        use serde::de::Error;
        let mut index = 0;
        // Each entry is taken as raw JSON first (checked, not parsed), so one malformed message is reported and
        // skipped while a broken file (cut short, not JSON) still stops the reading.
        while let Some(raw) = seq.next_element::<Box<serde_json::value::RawValue>>()? {
            let message = serde_json::from_str::<Message>(raw.get()).map_err(|e| e.to_string());
            self.visit.message(index, message).map_err(A::Error::custom)?;
            index += 1;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Default)]
    struct Collect {
        guild: String,
        channel: String,
        messages: Vec<Result<Message, String>>,
    }

    impl Visit for Collect {
        fn guild(&mut self, guild: Guild) -> Result<(), String> {
            self.guild = guild.name;
            Ok(())
        }
        fn channel(&mut self, channel: Channel) -> Result<(), String> {
            self.channel = channel.name;
            Ok(())
        }
        fn message(&mut self, _: usize, message: Result<Message, String>) -> Result<(), String> {
            self.messages.push(message);
            Ok(())
        }
    }

    #[test]
    fn reads_an_export_and_tells_broken_ones_apart() {
        let text = r##"{"guild":{"id":"1","name":"Old place","iconUrl":null},
            "channel":{"id":"2","type":"GuildTextChat","categoryId":null,"category":null,"name":"general","topic":null},
            "dateRange":{"after":null,"before":null},"exportedAt":"2024-01-01T00:00:00+00:00",
            "messages":[
              {"id":"3","type":"Default","timestamp":"2020-03-13T17:52:31.123+00:00","timestampEdited":null,
               "isPinned":false,"content":"hi","author":{"id":"4","name":"alex","discriminator":"1234",
               "nickname":"Alex","color":"#FF0000","isBot":false,"roles":[],"avatarUrl":"https://cdn/x.png"},
               "attachments":[],"embeds":[],"stickers":[],"reactions":[],"mentions":[],"inlineEmojis":[]},
              {"id":"5","type":"Default","timestamp":12,"author":"nobody"}
            ],"messageCount":2}"##;
        let mut seen = Collect::default();
        read(text.as_bytes(), &mut seen).unwrap();
        assert_eq!((seen.guild.as_str(), seen.channel.as_str()), ("Old place", "general"));
        assert_eq!(seen.messages.len(), 2);
        assert_eq!(seen.messages[0].as_ref().unwrap().author.nickname, "Alex");
        assert!(seen.messages[1].is_err(), "a malformed message is reported, not fatal");

        let cut = &text[..text.len() / 2];
        assert!(read(cut.as_bytes(), &mut Collect::default()).is_err(), "cut short");
        assert!(read(&b"not json"[..], &mut Collect::default()).is_err());
        let other = r#"{"messages":[{"id":"1"}]}"#;
        assert!(
            read(other.as_bytes(), &mut Collect::default())
                .unwrap_err()
                .contains("channel")
        );
        let tweets = r#"[{"tweet":"hello"}]"#;
        assert!(
            read(tweets.as_bytes(), &mut Collect::default()).is_err(),
            "the wrong format"
        );
    }
}
