//! Embeds: the rich embeds authors and bots send, and the link previews spot makes.
//!
//! What a client sends is read into [`EmbedInput`] and checked as Discord checks it (types, required fields,
//! lengths, URLs, timestamps, colours); an embed that fails is refused with the path of the bad field. What is
//! stored and sent is an [`Embed`], whose unset fields are left out rather than sent as `null` (a `null` where a
//! library expects a value or nothing stops that library's bots).

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// Most embeds per message.
pub const MAX_EMBEDS: usize = 10;
/// Most characters in all of a message's embeds together (titles, descriptions, fields, footers, authors).
pub const MAX_TOTAL_CHARS: usize = 6000;
/// Most fields per embed.
pub const MAX_FIELDS: usize = 25;
/// The largest colour (`0xFFFFFF`).
pub const MAX_COLOR: i64 = 0xFF_FFFF;

/// An embed as spot stores and sends it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Embed {
    /// `rich` for embeds people send; `link`, `article`, `image`, `video` for link previews.
    #[serde(rename = "type", default = "rich", skip_serializing_if = "Option::is_none")]
    #[ts(rename = "type", optional)]
    pub kind: Option<String>,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub title: Option<String>,
    /// Text under the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub description: Option<String>,
    /// Where the title links to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub url: Option<String>,
    /// ISO 8601 time shown in the footer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub timestamp: Option<String>,
    /// Side colour, `0xRRGGBB`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub color: Option<i64>,
    /// Footer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub footer: Option<EmbedFooter>,
    /// Large image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub image: Option<EmbedMedia>,
    /// Small image beside the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub thumbnail: Option<EmbedMedia>,
    /// Video (link previews only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub video: Option<EmbedMedia>,
    /// The site (link previews only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub provider: Option<EmbedProvider>,
    /// Author line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub author: Option<EmbedAuthor>,
    /// Name/value fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub fields: Option<Vec<EmbedField>>,
}

fn rich() -> Option<String> {
    Some("rich".into())
}

/// An image, thumbnail or video. `proxy_url` is spot's own copy (`/external/…`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct EmbedMedia {
    /// The original URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub url: Option<String>,
    /// spot's copy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub proxy_url: Option<String>,
    /// Pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub width: Option<i64>,
    /// Pixels.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub height: Option<i64>,
}

/// The footer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct EmbedFooter {
    /// Text.
    pub text: String,
    /// Icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub icon_url: Option<String>,
    /// spot's copy of the icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub proxy_icon_url: Option<String>,
}

/// The author line.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct EmbedAuthor {
    /// Name.
    pub name: String,
    /// Link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub url: Option<String>,
    /// Icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub icon_url: Option<String>,
    /// spot's copy of the icon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub proxy_icon_url: Option<String>,
}

/// The site a link preview comes from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct EmbedProvider {
    /// Name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub name: Option<String>,
    /// Link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub url: Option<String>,
}

/// A name/value field.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct EmbedField {
    /// Name.
    pub name: String,
    /// Value.
    pub value: String,
    /// Shown beside its neighbours.
    #[serde(default)]
    pub inline: bool,
}

/// An embed as a client sends it: what Discord lets people and bots set. Unknown fields are ignored and `null`
/// means unset, as on Discord.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EmbedInput {
    title: Option<String>,
    description: Option<String>,
    url: Option<String>,
    timestamp: Option<String>,
    color: Option<i64>,
    footer: Option<FooterInput>,
    image: Option<MediaInput>,
    thumbnail: Option<MediaInput>,
    author: Option<AuthorInput>,
    fields: Option<Vec<FieldInput>>,
}

#[derive(Debug, Clone, Deserialize)]
struct FooterInput {
    text: String,
    icon_url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct MediaInput {
    url: String,
}

#[derive(Debug, Clone, Deserialize)]
struct AuthorInput {
    name: String,
    url: Option<String>,
    icon_url: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
struct FieldInput {
    name: String,
    value: String,
    inline: Option<bool>,
}

/// Why a client's embeds were refused: the field's path (`embeds.0.author.name`) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmbedProblem {
    /// Dotted path from the message body.
    pub path: String,
    /// Discord's message for it.
    pub message: String,
}

impl EmbedProblem {
    fn new(path: String, message: impl Into<String>) -> Self {
        Self {
            path,
            message: message.into(),
        }
    }
}

/// Reads and checks a message's `embeds` as a client sent them, giving the embeds to store.
pub fn parse_embeds(values: &[Value]) -> Result<Vec<Embed>, EmbedProblem> {
    if values.len() > MAX_EMBEDS {
        return Err(EmbedProblem::new("embeds".into(), "Must be 10 or fewer in length."));
    }
    let mut embeds = Vec::with_capacity(values.len());
    let mut total = 0;
    for (index, value) in values.iter().enumerate() {
        let at = format!("embeds.{index}");
        let input: EmbedInput = serde_path_to_error::deserialize(value).map_err(|e| {
            let mut path = at.clone();
            for segment in e.path().iter() {
                match segment {
                    serde_path_to_error::Segment::Seq { index } => path.push_str(&format!(".{index}")),
                    serde_path_to_error::Segment::Map { key } => path.push_str(&format!(".{key}")),
                    _ => {}
                }
            }
            EmbedProblem::new(path, type_message(e.inner()))
        })?;
        let embed = input.check(&at)?;
        total += embed.text_chars();
        embeds.push(embed);
    }
    if total > MAX_TOTAL_CHARS {
        return Err(EmbedProblem::new(
            "embeds".into(),
            "Embed size exceeds maximum size of 6000",
        ));
    }
    Ok(embeds)
}

fn type_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    if text.starts_with("missing field") {
        "This field is required".into()
    } else if text.contains("expected a string") {
        "Must be a string.".into()
    } else if text.contains("expected i64") || text.contains("integer") {
        "Value must be an integer.".into()
    } else if text.contains("expected a boolean") {
        "Must be a boolean.".into()
    } else if text.contains("expected a sequence") {
        "Must be an array.".into()
    } else {
        "Must be an object with the documented fields.".into()
    }
}

fn check_len(path: &str, field: &str, text: &str, max: usize) -> Result<(), EmbedProblem> {
    if text.chars().count() > max {
        return Err(EmbedProblem::new(
            format!("{path}.{field}"),
            format!("Must be {max} or fewer in length."),
        ));
    }
    Ok(())
}

fn check_required(path: &str, field: &str, text: &str, max: usize) -> Result<(), EmbedProblem> {
    if text.trim().is_empty() {
        return Err(EmbedProblem::new(format!("{path}.{field}"), "This field is required"));
    }
    check_len(path, field, text, max)
}

/// Embed links may be web links, or `attachment://name` for a file sent with the message.
fn check_url(path: &str, field: &str, url: &str) -> Result<(), EmbedProblem> {
    let fine = url.len() <= 2048
        && url::Url::parse(url).is_ok_and(|u| matches!(u.scheme(), "http" | "https" | "attachment") && u.has_host());
    if !fine {
        return Err(EmbedProblem::new(
            format!("{path}.{field}"),
            "Scheme must be one of ('http', 'https', 'attachment') and the URL well formed.",
        ));
    }
    Ok(())
}

impl EmbedInput {
    fn check(self, path: &str) -> Result<Embed, EmbedProblem> {
        let mut embed = Embed {
            kind: rich(),
            ..Embed::default()
        };
        if let Some(title) = self.title {
            check_len(path, "title", &title, 256)?;
            embed.title = Some(title);
        }
        if let Some(description) = self.description {
            check_len(path, "description", &description, 4096)?;
            embed.description = Some(description);
        }
        if let Some(url) = self.url {
            check_url(path, "url", &url)?;
            embed.url = Some(url);
        }
        if let Some(timestamp) = self.timestamp {
            let parsed = chrono::DateTime::parse_from_rfc3339(&timestamp)
                .map_err(|_| EmbedProblem::new(format!("{path}.timestamp"), "Could not parse timestamp."))?;
            embed.timestamp = Some(parsed.to_rfc3339_opts(chrono::SecondsFormat::Millis, false));
        }
        if let Some(color) = self.color {
            if !(0..=MAX_COLOR).contains(&color) {
                return Err(EmbedProblem::new(
                    format!("{path}.color"),
                    format!("int value should be less than or equal to {MAX_COLOR} and at least 0."),
                ));
            }
            embed.color = Some(color);
        }
        if let Some(footer) = self.footer {
            let at = format!("{path}.footer");
            check_required(&at, "text", &footer.text, 2048)?;
            if let Some(icon) = &footer.icon_url {
                check_url(&at, "icon_url", icon)?;
            }
            embed.footer = Some(EmbedFooter {
                text: footer.text,
                icon_url: footer.icon_url,
                proxy_icon_url: None,
            });
        }
        for (field, media) in [("image", self.image), ("thumbnail", self.thumbnail)] {
            if let Some(media) = media {
                check_url(path, &format!("{field}.url"), &media.url)?;
                let checked = Some(EmbedMedia {
                    url: Some(media.url),
                    ..EmbedMedia::default()
                });
                if field == "image" {
                    embed.image = checked;
                } else {
                    embed.thumbnail = checked;
                }
            }
        }
        if let Some(author) = self.author {
            let at = format!("{path}.author");
            check_required(&at, "name", &author.name, 256)?;
            if let Some(url) = &author.url {
                check_url(&at, "url", url)?;
            }
            if let Some(icon) = &author.icon_url {
                check_url(&at, "icon_url", icon)?;
            }
            embed.author = Some(EmbedAuthor {
                name: author.name,
                url: author.url,
                icon_url: author.icon_url,
                proxy_icon_url: None,
            });
        }
        if let Some(fields) = self.fields {
            if fields.len() > MAX_FIELDS {
                return Err(EmbedProblem::new(
                    format!("{path}.fields"),
                    "Must be 25 or fewer in length.",
                ));
            }
            let mut checked = Vec::with_capacity(fields.len());
            for (index, field) in fields.into_iter().enumerate() {
                let at = format!("{path}.fields.{index}");
                check_required(&at, "name", &field.name, 256)?;
                check_required(&at, "value", &field.value, 1024)?;
                checked.push(EmbedField {
                    name: field.name,
                    value: field.value,
                    inline: field.inline.unwrap_or(false),
                });
            }
            embed.fields = Some(checked);
        }
        Ok(embed)
    }
}

impl Embed {
    /// The characters that count against the 6,000 limit.
    pub fn text_chars(&self) -> usize {
        let count = |text: &Option<String>| text.as_deref().map_or(0, |t| t.chars().count());
        count(&self.title)
            + count(&self.description)
            + self.footer.as_ref().map_or(0, |f| f.text.chars().count())
            + self.author.as_ref().map_or(0, |a| a.name.chars().count())
            + self
                .fields
                .iter()
                .flatten()
                .map(|f| f.name.chars().count() + f.value.chars().count())
                .sum::<usize>()
    }

    /// Reads stored embeds, leaving out any that are not embed objects (written by an older spot that stored
    /// what clients sent as it was): they could stop a library that reads them.
    pub fn from_stored(stored: &Value) -> Vec<Embed> {
        stored
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|value| serde_json::from_value(value.clone()).ok())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn problem(value: Value) -> EmbedProblem {
        parse_embeds(&[value]).unwrap_err()
    }

    #[test]
    fn nulls_are_unset_and_never_sent() {
        let embeds = parse_embeds(&[json!({"title": "hi", "color": null, "footer": null, "fields": null})]).unwrap();
        let sent = serde_json::to_value(&embeds).unwrap();
        assert_eq!(sent, json!([{"type": "rich", "title": "hi"}]));
    }

    #[test]
    fn wrong_types_name_the_field() {
        assert_eq!(problem(json!({"author": "AAA"})).path, "embeds.0.author");
        assert_eq!(problem(json!({"fields": [1]})).path, "embeds.0.fields.0");
        assert_eq!(problem(json!({"timestamp": ""})).path, "embeds.0.timestamp");
        assert_eq!(problem(json!({"color": "red"})).path, "embeds.0.color");
        assert_eq!(problem(json!({"color": 16777216})).path, "embeds.0.color");
        assert_eq!(problem(json!({"fields": [{"name": "a"}]})).path, "embeds.0.fields.0");
        assert_eq!(
            problem(json!({"image": {"url": "javascript:alert(1)"}})).path,
            "embeds.0.image.url"
        );
        assert_eq!(problem(json!("text")).path, "embeds.0");
    }

    #[test]
    fn limits_are_discords() {
        assert_eq!(problem(json!({"title": "x".repeat(257)})).path, "embeds.0.title");
        let fields: Vec<Value> = (0..26).map(|_| json!({"name": "a", "value": "b"})).collect();
        assert_eq!(problem(json!({ "fields": fields })).path, "embeds.0.fields");
        let big = json!({"description": "x".repeat(4000)});
        assert_eq!(parse_embeds(&[big.clone(), big]).unwrap_err().path, "embeds");
    }

    #[test]
    fn a_full_embed_comes_back_as_sent() {
        let sent = json!({
            "title": "t", "description": "d", "url": "https://example.com/", "color": 255,
            "timestamp": "2026-12-05T10:00:00.000+00:00",
            "footer": {"text": "f", "icon_url": "https://example.com/f.png"},
            "image": {"url": "attachment://cat.png"}, "thumbnail": {"url": "https://example.com/t.png"},
            "author": {"name": "a", "url": "https://example.com/a"},
            "fields": [{"name": "n", "value": "v", "inline": true}, {"name": "m", "value": "w"}],
        });
        let mut expected = sent.clone();
        expected["type"] = json!("rich");
        expected["fields"][1]["inline"] = json!(false);
        let embeds = parse_embeds(&[sent]).unwrap();
        assert_eq!(serde_json::to_value(&embeds[0]).unwrap(), expected);
    }

    #[test]
    fn stored_garbage_is_left_out() {
        let stored = json!([{"color": null}, {"author": "AAA"}, {"title": "ok"}, 1]);
        let embeds = Embed::from_stored(&stored);
        assert_eq!(
            serde_json::to_value(&embeds).unwrap(),
            json!([{"type": "rich"}, {"type": "rich", "title": "ok"}])
        );
    }
}
