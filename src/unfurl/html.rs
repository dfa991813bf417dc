//! Reading a page's preview metadata: OpenGraph and Twitter-card `<meta>` tags, `<title>`, the description,
//! `theme-color` and the oEmbed discovery `<link>`.
//!
//! This is a tolerant tag scanner, not an HTML parser: it looks only at `<meta>`, `<link>` and `<title>` tags,
//! skips comments, scripts and styles, and decodes character references in the values it keeps. Everything it
//! returns is plain text; nothing here is ever rendered as HTML.

use std::collections::HashMap;

/// What a page says about itself.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PageMeta {
    /// `<meta property|name=… content=…>` values, keys lowercased, first occurrence wins.
    pub meta: HashMap<String, String>,
    /// The `<title>` text.
    pub title: Option<String>,
    /// The oEmbed JSON discovery link (`<link rel="alternate" type="application/json+oembed" href=…>`).
    pub oembed: Option<String>,
}

impl PageMeta {
    /// The first non-empty value among `keys`.
    pub fn first(&self, keys: &[&str]) -> Option<&str> {
        keys.iter()
            .filter_map(|k| self.meta.get(*k))
            .map(|v| v.trim())
            .find(|v| !v.is_empty())
    }
}

/// Scans `html` (possibly cut short) for preview metadata.
pub fn scan(html: &str) -> PageMeta {
    let mut page = PageMeta::default();
    let lower = html.to_ascii_lowercase();
    let mut at = 0;
    while let Some(offset) = lower[at..].find('<') {
        let start = at + offset;
        let rest = &lower[start..];
        if rest.starts_with("<!--") {
            at = rest.find("-->").map_or(lower.len(), |e| start + e + 3);
            continue;
        }
        let name_end = rest[1..]
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .map_or(rest.len(), |e| e + 1);
        let name = &rest[1..name_end];
        let Some(tag_end) = tag_end(&html[start..]) else { break };
        let attrs_text = &html[start + name_end..start + tag_end];
        match name {
            "meta" => {
                let attrs = attributes(attrs_text);
                let key = attrs.get("property").or_else(|| attrs.get("name"));
                if let (Some(key), Some(content)) = (key, attrs.get("content")) {
                    page.meta
                        .entry(key.to_ascii_lowercase())
                        .or_insert_with(|| content.clone());
                }
            }
            "link" => {
                let attrs = attributes(attrs_text);
                let is_oembed = attrs
                    .get("type")
                    .is_some_and(|t| t.eq_ignore_ascii_case("application/json+oembed"));
                if is_oembed && page.oembed.is_none() {
                    page.oembed = attrs.get("href").cloned();
                }
            }
            "title" if page.title.is_none() => {
                let body_start = start + tag_end + 1;
                let close = lower[body_start.min(lower.len())..]
                    .find("</title")
                    .map(|e| body_start + e);
                if let Some(close) = close {
                    page.title = Some(collapse(&decode(&html[body_start..close])));
                    at = close;
                    continue;
                }
            }
            "script" | "style" => {
                let close = format!("</{name}");
                at = lower[start + tag_end..]
                    .find(&close)
                    .map_or(lower.len(), |e| start + tag_end + e);
                continue;
            }
            _ => {}
        }
        at = start + tag_end + 1;
    }
    page
}

/// Where the tag that starts `text` ends (the index of its `>`), honouring quoted attribute values.
fn tag_end(text: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in text.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            _ => {}
        }
    }
    None
}

/// Attributes of one tag (names lowercased, values decoded).
fn attributes(text: &str) -> HashMap<String, String> {
    let mut attrs = HashMap::new();
    let mut rest = text.trim_start_matches('/');
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return attrs;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (value, remaining) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                    Some(e) => (&after[1..1 + e], &after[e + 2..]),
                    None => (&after[1..], ""),
                },
                _ => {
                    let e = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..e], &after[e..])
                }
            };
            rest = remaining;
            decode(value)
        } else {
            String::new()
        };
        if !name.is_empty() {
            attrs.entry(name).or_insert(value);
        }
    }
}

/// Decodes character references: numeric ones and the named ones that appear in real titles.
pub fn decode(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at + 1..];
        let entity_end = tail.find(';').filter(|e| *e <= 10);
        let decoded = entity_end.and_then(|e| entity(&tail[..e]).map(|c| (c, e)));
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code).filter(|c| *c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "middot" => '·',
        "bull" => '•',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        _ => return None,
    })
}

/// Whitespace runs become one space.
pub fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_opengraph_twitter_title_and_oembed() {
        let html = r#"<!doctype html><html><head>
            <!-- <meta property="og:title" content="commented out"> -->
            <title>  Plain &amp; simple
            title </title>
            <meta property="og:title" content="The &quot;real&quot; title">
            <meta property='og:image' content='/cover.png'>
            <meta name=twitter:card content=summary_large_image>
            <meta content="Described &#8212; here" name="description">
            <script>var x = '<meta property="og:description" content="from a script">';</script>
            <link rel="alternate" type="application/json+oembed" href="https://x.example/oembed?url=a&amp;format=json">
            </head><body><meta property="og:title" content="second"></body></html>"#;
        let page = scan(html);
        assert_eq!(page.title.as_deref(), Some("Plain & simple title"));
        assert_eq!(page.first(&["og:title"]), Some("The \"real\" title"));
        assert_eq!(page.first(&["og:image"]), Some("/cover.png"));
        assert_eq!(page.first(&["twitter:card"]), Some("summary_large_image"));
        assert_eq!(page.first(&["og:description", "description"]), Some("Described — here"));
        assert_eq!(
            page.oembed.as_deref(),
            Some("https://x.example/oembed?url=a&format=json")
        );
    }

    #[test]
    fn survives_broken_markup() {
        for html in [
            "<",
            "<meta",
            "<meta content=\"x",
            "<title>never closed",
            "&#xffffffff; &bogus; &",
            "<<>>",
        ] {
            let _ = scan(html);
            let _ = decode(html);
        }
        assert_eq!(decode("&#0;&#x41;&lt;"), "&#0;A<");
    }
}
