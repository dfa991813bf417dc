//! Finding the links in a message worth previewing: `http(s)://` URLs outside code spans and code blocks, not
//! wrapped in `<…>` (Discord's way to post a link without a preview) and not hidden in spoilers, first
//! occurrence only, in order.

/// Characters that end a URL when they come last (punctuation around a link in a sentence).
const TRAILING: &[char] = &[
    '.', ',', ':', ';', '!', '?', '"', '\'', ')', ']', '}', '>', '*', '_', '~', '|',
];

/// The URLs in `content` to unfurl, at most `max`.
pub fn links(content: &str, max: usize) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let text = without_code_and_spoilers(content);
    let mut rest = text.as_str();
    while let Some(start) = find_scheme(rest) {
        let suppressed = rest[..start].ends_with('<');
        let tail = &rest[start..];
        let end = tail
            .find(|c: char| c.is_whitespace() || c == '<' || c == '>' || c == '`')
            .unwrap_or(tail.len());
        let mut url = &tail[..end];
        url = trim_trailing(url);
        let closed = tail[url.len()..].starts_with('>');
        if !(suppressed && closed) && url.len() > "https://".len() && !found.iter().any(|u| u == url) {
            found.push(url.to_owned());
            if found.len() == max {
                break;
            }
        }
        rest = &tail[end.max(1)..];
    }
    found
}

fn find_scheme(text: &str) -> Option<usize> {
    let lower = text.to_ascii_lowercase();
    match (lower.find("http://"), lower.find("https://")) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Drops trailing punctuation, but keeps a closing parenthesis that balances one inside the URL
/// (`https://en.wikipedia.org/wiki/Rust_(programming_language)`).
fn trim_trailing(mut url: &str) -> &str {
    while let Some(last) = url.chars().last() {
        if !TRAILING.contains(&last) {
            break;
        }
        if last == ')' && url.matches('(').count() >= url.matches(')').count() {
            break;
        }
        url = &url[..url.len() - last.len_utf8()];
    }
    url
}

/// `content` with code blocks, inline code and `||spoilers||` blanked out (replaced by spaces, so what
/// remains cannot join up into a new URL).
fn without_code_and_spoilers(content: &str) -> String {
    let mut out = String::with_capacity(content.len());
    let mut rest = content;
    loop {
        let next = ["```", "`", "||"]
            .iter()
            .filter_map(|m| rest.find(m).map(|at| (at, *m)))
            .min_by_key(|(at, m)| (*at, std::cmp::Reverse(m.len())));
        let Some((at, marker)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..at]);
        let inner = &rest[at + marker.len()..];
        match inner.find(marker) {
            Some(close) => {
                out.push(' ');
                rest = &inner[close + marker.len()..];
            }
            None => {
                out.push_str(&rest[at..]);
                return out;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::links;

    #[test]
    fn finds_links_in_order_without_duplicates_or_punctuation() {
        let found = links(
            "see https://a.example/x, and (http://b.example/y). Again https://a.example/x!",
            5,
        );
        assert_eq!(found, ["https://a.example/x", "http://b.example/y"]);
    }

    #[test]
    fn keeps_balanced_parentheses() {
        let found = links("https://en.wikipedia.org/wiki/Rust_(programming_language)", 5);
        assert_eq!(found, ["https://en.wikipedia.org/wiki/Rust_(programming_language)"]);
    }

    #[test]
    fn skips_code_suppressed_and_spoilers() {
        let content = "`https://code.example/` ```\nhttps://block.example/\n``` <https://quiet.example/> \
                       ||https://spoiler.example/|| https://shown.example/";
        assert_eq!(links(content, 5), ["https://shown.example/"]);
    }

    #[test]
    fn stops_at_the_limit() {
        let content = (0..10).map(|i| format!("https://{i}.example/ ")).collect::<String>();
        assert_eq!(links(&content, 3).len(), 3);
    }

    #[test]
    fn ignores_bare_schemes_and_other_schemes() {
        assert!(links("http:// and https:// and ftp://x.example/ and javascript:alert(1)", 5).is_empty());
    }
}
