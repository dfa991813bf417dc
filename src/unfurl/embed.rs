//! Turning what a link points at into a Discord embed object: a page's OpenGraph / Twitter card / oEmbed data
//! becomes a `link`, `article` or `video` embed; a direct image, video or audio file becomes a media embed.
//! Text is trimmed to Discord's preview lengths; image fields carry spot's proxy link in `proxy_url`.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::html::{PageMeta, collapse};

/// Longest title shown.
const TITLE_CHARS: usize = 256;
/// Longest description shown (Discord trims previews to about this).
const DESCRIPTION_CHARS: usize = 350;

/// An image that was fetched and checked through the proxy.
#[derive(Debug, Clone)]
pub struct CheckedImage {
    /// The original URL.
    pub url: String,
    /// spot's proxy link for it.
    pub proxy_url: String,
    /// Pixels.
    pub width: u32,
    /// Pixels.
    pub height: u32,
}

impl CheckedImage {
    fn json(&self) -> Value {
        json!({"url": self.url, "proxy_url": self.proxy_url, "width": self.width, "height": self.height})
    }
}

/// The fields of an oEmbed response spot uses.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct OEmbed {
    /// `photo`, `video`, `link` or `rich`.
    #[serde(default, rename = "type")]
    pub kind: String,
    /// Title.
    pub title: Option<String>,
    /// Author's name.
    pub author_name: Option<String>,
    /// Author's page.
    pub author_url: Option<String>,
    /// Site name.
    pub provider_name: Option<String>,
    /// Thumbnail image.
    pub thumbnail_url: Option<String>,
    /// For `photo`: the image itself.
    pub url: Option<String>,
}

/// The kind of a direct media link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    /// `video/*`.
    Video,
    /// `audio/*`.
    Audio,
}

/// The image a page wants shown, as a URL relative to nothing (already resolved against the page).
pub fn page_image(meta: &PageMeta, oembed: Option<&OEmbed>) -> Option<String> {
    meta.first(&[
        "og:image:secure_url",
        "og:image",
        "og:image:url",
        "twitter:image",
        "twitter:image:src",
    ])
    .map(str::to_owned)
    .or_else(|| oembed.and_then(|o| if o.kind == "photo" { o.url.clone() } else { None }))
    .or_else(|| oembed.and_then(|o| o.thumbnail_url.clone()))
}

/// The embed for an HTML page, or `None` when it says nothing worth showing.
pub fn page(url: &str, meta: &PageMeta, oembed: Option<&OEmbed>, image: Option<&CheckedImage>) -> Option<Value> {
    let title = meta
        .first(&["og:title", "twitter:title"])
        .map(str::to_owned)
        .or_else(|| oembed.and_then(|o| o.title.clone()))
        .or_else(|| meta.title.clone())
        .map(|t| clip(&collapse(&t), TITLE_CHARS))
        .filter(|t| !t.is_empty());
    let description = meta
        .first(&["og:description", "twitter:description", "description"])
        .map(|d| clip(&collapse(d), DESCRIPTION_CHARS));
    if title.is_none() && description.is_none() && image.is_none() {
        return None;
    }
    let og_type = meta.first(&["og:type"]).unwrap_or("website").to_ascii_lowercase();
    let video = meta
        .first(&["og:video:secure_url", "og:video:url", "og:video"])
        .filter(|v| v.starts_with("https://") || v.starts_with("http://"));
    let kind = if og_type.starts_with("video") || video.is_some() {
        "video"
    } else if og_type == "article" {
        "article"
    } else {
        "link"
    };
    let mut embed = Map::new();
    embed.insert("type".into(), json!(kind));
    embed.insert("url".into(), json!(url));
    if let Some(title) = title {
        embed.insert("title".into(), json!(title));
    }
    if let Some(description) = description {
        embed.insert("description".into(), json!(description));
    }
    if let Some(color) = meta.first(&["theme-color"]).and_then(parse_color) {
        embed.insert("color".into(), json!(color));
    }
    let site = meta
        .first(&["og:site_name"])
        .map(str::to_owned)
        .or_else(|| oembed.and_then(|o| o.provider_name.clone()));
    if let Some(site) = site {
        embed.insert("provider".into(), json!({"name": clip(&collapse(&site), TITLE_CHARS)}));
    }
    if let Some(author) = oembed.and_then(|o| o.author_name.as_deref()) {
        let mut value = json!({"name": clip(&collapse(author), TITLE_CHARS)});
        if let Some(link) = oembed.and_then(|o| o.author_url.as_deref()).filter(|u| is_web_url(u)) {
            value["url"] = json!(link);
        }
        embed.insert("author".into(), value);
    }
    if let Some(image) = image {
        let large = meta.first(&["twitter:card"]) == Some("summary_large_image") || kind == "video";
        embed.insert((if large { "image" } else { "thumbnail" }).into(), image.json());
    }
    if let Some(video) = video {
        let mut value = json!({"url": video});
        for (key, field) in [("og:video:width", "width"), ("og:video:height", "height")] {
            if let Some(n) = meta.first(&[key]).and_then(|v| v.parse::<u32>().ok()) {
                value[field] = json!(n);
            }
        }
        embed.insert("video".into(), value);
    }
    Some(Value::Object(embed))
}

/// The embed for a direct image link.
pub fn image(url: &str, image: &CheckedImage) -> Value {
    json!({"type": "image", "url": url, "thumbnail": image.json()})
}

/// The embed for a direct video or audio link: played by the viewer's browser only when they ask.
pub fn media(url: &str, kind: Media, host: &str) -> Value {
    let name = url
        .split(['?', '#'])
        .next()
        .and_then(|path| path.rsplit('/').next())
        .filter(|n| !n.is_empty())
        .unwrap_or(host);
    match kind {
        Media::Video => json!({"type": "video", "url": url, "title": clip(name, TITLE_CHARS), "video": {"url": url},
                               "provider": {"name": host}}),
        Media::Audio => {
            json!({"type": "audio", "url": url, "title": clip(name, TITLE_CHARS), "provider": {"name": host}})
        }
    }
}

fn is_web_url(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// `#rgb` / `#rrggbb` to Discord's integer colour.
fn parse_color(text: &str) -> Option<u32> {
    let hex = text.trim().strip_prefix('#')?;
    let full: String = match hex.len() {
        3 => hex.chars().flat_map(|c| [c, c]).collect(),
        6 => hex.to_owned(),
        _ => return None,
    };
    u32::from_str_radix(&full, 16).ok()
}

/// At most `max` characters, with an ellipsis when cut.
fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::unfurl::html::scan;

    #[test]
    fn an_article_with_a_large_image() {
        let meta = scan(
            r##"<meta property="og:type" content="article"><meta property="og:title" content="Hello">
               <meta property="og:description" content="A long story"><meta property="og:site_name" content="Blog">
               <meta name="twitter:card" content="summary_large_image"><meta name="theme-color" content="#ff8800">"##,
        );
        let image = CheckedImage {
            url: "https://blog.example/cover.png".into(),
            proxy_url: "/external/x/y".into(),
            width: 1200,
            height: 630,
        };
        let embed = page("https://blog.example/post", &meta, None, Some(&image)).expect("an embed");
        assert_eq!(embed["type"], "article");
        assert_eq!(embed["title"], "Hello");
        assert_eq!(embed["provider"]["name"], "Blog");
        assert_eq!(embed["color"], 0xff8800);
        assert_eq!(embed["image"]["proxy_url"], "/external/x/y");
        assert!(embed.get("thumbnail").is_none());
    }

    #[test]
    fn a_page_with_nothing_to_say_has_no_embed() {
        assert!(page("https://x.example/", &scan("<p>hi</p>"), None, None).is_none());
    }

    #[test]
    fn oembed_fills_what_the_page_lacks_and_text_is_clipped() {
        let long = "word ".repeat(200);
        let meta = scan(&format!(r#"<meta name="description" content="{long}">"#));
        let oembed = OEmbed {
            title: Some("From oEmbed".into()),
            author_name: Some("Someone".into()),
            author_url: Some("javascript:alert(1)".into()),
            provider_name: Some("Tube".into()),
            ..OEmbed::default()
        };
        let embed = page("https://tube.example/v", &meta, Some(&oembed), None).expect("an embed");
        assert_eq!(embed["title"], "From oEmbed");
        assert_eq!(embed["author"]["name"], "Someone");
        assert!(embed["author"].get("url").is_none(), "only web links survive");
        assert_eq!(
            embed["description"].as_str().unwrap().chars().count(),
            DESCRIPTION_CHARS
        );
    }

    #[test]
    fn media_links_are_named_after_their_file() {
        let v = media("https://x.example/clips/cat.mp4?t=1", Media::Video, "x.example");
        assert_eq!(v["title"], "cat.mp4");
        assert_eq!(v["video"]["url"], "https://x.example/clips/cat.mp4?t=1");
    }
}
