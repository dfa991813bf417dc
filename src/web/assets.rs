//! Static files embedded in the binary: `web/public/` (hand-written) and the web client bundle that `build.rs`
//! makes with esbuild in `$OUT_DIR/web` (its `manifest.json` names the current content-hashed files).
//!
//! Every file gets a strong `ETag` (its SHA-256) and answers `If-None-Match` with 304. Files whose names carry a
//! content hash (`app.3f9c2b1a.js`) never change under that name, so they are cached for a year as immutable,
//! and are sent as the brotli or gzip copy made at build time when the client accepts one; the rest must be
//! revalidated (and are compressed on the fly by the router's compression layer).

use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "web/public/"]
struct Public;

#[derive(RustEmbed)]
#[folder = "$OUT_DIR/web/"]
#[exclude = "manifest.json"]
struct Dist;

/// The web client bundle's file names, from the build's `manifest.json`.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Bundle {
    /// The script, e.g. `app.W7C6GGSO.js`.
    #[serde(rename = "app.js")]
    pub script: String,
    /// The stylesheet, e.g. `app.RKTVVRHF.css`.
    #[serde(rename = "app.css")]
    pub style: String,
    /// The chunks the script imports statically (code it shares with what loads on demand), which the page
    /// preloads: e.g. `chunk.5ZVB5RY4.js`.
    #[serde(default)]
    pub preload: Vec<String>,
}

#[derive(RustEmbed)]
#[folder = "$OUT_DIR/web/"]
#[include = "manifest.json"]
struct Manifest;

/// The bundle's names. `build.rs` guarantees the manifest exists and is well-formed, so a failure here is a
/// broken build, caught by the first test that loads the app.
pub fn bundle() -> Bundle {
    let file = Manifest::get("manifest.json").expect("the web build's manifest.json is embedded");
    serde_json::from_slice(&file.data).expect("the web build's manifest.json names app.js and app.css")
}

/// A file of the web client's build (`sw.js`, …), if it exists.
pub fn dist_file(name: &str) -> Option<Vec<u8>> {
    Dist::get(name).map(|file| file.data.into_owned())
}

/// Which precompressed copy of a bundle file the client takes (`Accept-Encoding`), best first.
fn encodings(request_headers: &HeaderMap) -> Vec<(&'static str, &'static str)> {
    let accepted = request_headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let takes = |name: &str| {
        accepted.split(',').any(|part| {
            let mut pieces = part.trim().split(';');
            pieces.next().is_some_and(|n| n.trim().eq_ignore_ascii_case(name))
                && !pieces.any(|q| q.trim().replace(' ', "") == "q=0")
        })
    };
    [("br", "br"), ("gzip", "gz")]
        .into_iter()
        .filter(|(name, _)| takes(name))
        .collect()
}

/// `GET /assets/{*path}`. Content-hashed bundle files go out precompressed (`web/build.mjs` wrote `.br` and
/// `.gz` copies at build time) when the client accepts it.
pub async fn serve(Path(path): Path<String>, request_headers: HeaderMap) -> Response {
    let original = Public::get(&path).or_else(|| Dist::get(&path));
    let Some(original) = original else {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    let hashed = is_content_hashed(&path);
    let (file, encoding) = encodings(&request_headers)
        .into_iter()
        .filter(|_| hashed)
        .find_map(|(name, ext)| Dist::get(&format!("{path}.{ext}")).map(|f| (f, Some(name))))
        .unwrap_or((original, None));
    let etag = format!(
        "\"{}{}\"",
        hex::encode(file.metadata.sha256_hash()),
        encoding.map(|e| format!("-{e}")).unwrap_or_default()
    );
    let cache = if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    let mut headers = HeaderMap::new();
    headers.insert(
        header::ETAG,
        HeaderValue::from_str(&etag).expect("hex is a valid header"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    if hashed {
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    let fresh = request_headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| tags.split(',').any(|tag| tag.trim() == etag || tag.trim() == "*"));
    if fresh {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    let mime = mime_guess::from_path(&path).first_or_octet_stream();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(mime.as_ref()).expect("mime types are valid headers"),
    );
    if let Some(encoding) = encoding {
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
    }
    (headers, file.data.into_owned()).into_response()
}

/// Whether a file name carries a content hash: a dot-separated part of at least 8 hex digits before the
/// extension, as bundlers write them.
pub fn is_content_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 3
        && parts[1..parts.len() - 1]
            .iter()
            .any(|part| part.len() >= 8 && part.chars().all(|c| c.is_ascii_hexdigit() || c.is_ascii_uppercase()))
}

#[cfg(test)]
mod tests {
    use super::is_content_hashed;

    #[test]
    fn hashed_names() {
        assert!(is_content_hashed("app.3f9c2b1a.js"));
        assert!(is_content_hashed("chunks/main.ABCD1234.css"));
        assert!(!is_content_hashed("spot.css"));
        assert!(!is_content_hashed("favicon.svg"));
    }
}
