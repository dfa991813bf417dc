//! The installable app: the web app manifest (`/manifest.webmanifest`: the space's name, colours for light and
//! dark, standalone display, shortcuts), its icons (`/app-icons/…`: the space icon resized, with maskable
//! variants that keep it inside the safe zone, or a drawn default), and the service worker (`/sw.js`, built by
//! `web/build.mjs`, served from the root so its scope is the whole app).

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use image::{ImageFormat, Rgba, RgbaImage, imageops};
use serde_json::json;

use crate::app::AppState;

/// The brand colour behind icons and in the title bar (the client's `--accent`).
const ACCENT: [u8; 3] = [0x58, 0x65, 0xf2];
/// The dark page background (the client's `--bg-1`; `templates/app.html` gives the light one to light themes).
const DARK: &str = "#2b2d31";
/// The sizes served: Android's two, and Apple's touch icon.
const SIZES: [u32; 3] = [180, 192, 512];
/// The largest space icon decoded for an app icon.
const MAX_SOURCE_SIDE: u32 = 4096;

/// `GET /manifest.webmanifest`.
pub async fn manifest(State(state): State<AppState>) -> Response {
    let name = match state.store.guild_home().await {
        Ok(Some(guild)) => guild.name,
        _ => "spot".to_owned(),
    };
    let short: String = name.chars().take(12).collect();
    let icon = |size: u32, purpose: &str| {
        let prefix = if purpose == "maskable" { "maskable-" } else { "" };
        json!({"src": format!("/app-icons/{prefix}{size}.png"), "sizes": format!("{size}x{size}"), "type": "image/png", "purpose": purpose})
    };
    let body = json!({
        "id": "/",
        "name": name,
        "short_name": short,
        "description": "Chat, voice and music with your friends",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "any",
        "background_color": DARK,
        "theme_color": DARK,
        "icons": [icon(192, "any"), icon(512, "any"), icon(192, "maskable"), icon(512, "maskable")],
        "shortcuts": [
            {"name": "Direct messages", "short_name": "DMs", "url": "/channels/@me", "icons": [icon(192, "any")]},
        ],
        "prefer_related_applications": false,
    });
    let mut response = axum::Json(body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/manifest+json"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// Rendered icons by (space icon hash, size, maskable).
type IconCache = Mutex<HashMap<(String, u32, bool), Vec<u8>>>;

fn cache() -> &'static IconCache {
    static CACHE: OnceLock<IconCache> = OnceLock::new();
    CACHE.get_or_init(Mutex::default)
}

/// `GET /app-icons/{file}`: `192.png`, `512.png`, `180.png`, `maskable-192.png`, `maskable-512.png`.
pub async fn icon(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let (maskable, rest) = match file.strip_prefix("maskable-") {
        Some(rest) => (true, rest),
        None => (false, file.as_str()),
    };
    let Some(size) = rest
        .strip_suffix(".png")
        .and_then(|s| s.parse::<u32>().ok())
        .filter(|s| SIZES.contains(s))
    else {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    let guild = state.store.guild_home().await.ok().flatten();
    let hash = guild.as_ref().and_then(|g| g.icon.clone());
    let key = (hash.clone().unwrap_or_default(), size, maskable);
    let cached = cache()
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&key)
        .cloned();
    let png = match cached {
        Some(png) => png,
        None => {
            let source = match (&guild, &hash) {
                (Some(guild), Some(hash)) => read_icon(&state, guild.id, hash).await,
                _ => None,
            };
            let rendered = tokio::task::spawn_blocking(move || render(source.as_deref(), size, maskable))
                .await
                .unwrap_or_default();
            if rendered.is_empty() {
                return (StatusCode::INTERNAL_SERVER_ERROR, "icon rendering failed\n").into_response();
            }
            cache()
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(key, rendered.clone());
            rendered
        }
    };
    let mut response = png.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/png"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    response
}

async fn read_icon(state: &AppState, guild_id: crate::store::Snowflake, hash: &str) -> Option<Vec<u8>> {
    let dir = state.config.server.data_dir.join("icons").join(guild_id.to_string());
    for ext in ["png", "jpg", "gif", "webp"] {
        if let Ok(bytes) = tokio::fs::read(dir.join(format!("{hash}.{ext}"))).await {
            return Some(bytes);
        }
    }
    None
}

/// Draws an icon: the space icon (cover-cropped; inside the middle 80% on the brand colour when maskable), or
/// the default, a white spot on the brand colour. Returns PNG bytes (empty if encoding failed).
fn render(source: Option<&[u8]>, size: u32, maskable: bool) -> Vec<u8> {
    let background = Rgba([ACCENT[0], ACCENT[1], ACCENT[2], 255]);
    let mut canvas = RgbaImage::from_pixel(size, size, background);
    let decoded = source.and_then(|bytes| {
        let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
            .with_guessed_format()
            .ok()?;
        let mut limits = image::Limits::default();
        limits.max_image_width = Some(MAX_SOURCE_SIDE);
        limits.max_image_height = Some(MAX_SOURCE_SIDE);
        limits.max_alloc = Some(128 * 1024 * 1024);
        reader.limits(limits);
        reader.decode().ok()
    });
    match decoded {
        Some(picture) => {
            let inner = if maskable { size * 4 / 5 } else { size };
            let fitted = picture
                .resize_to_fill(inner, inner, imageops::FilterType::Lanczos3)
                .to_rgba8();
            let offset = i64::from((size - inner) / 2);
            imageops::overlay(&mut canvas, &fitted, offset, offset);
        }
        None => {
            // A white spot, a quarter of the icon across, well inside the maskable safe zone.
            let centre = size as f32 / 2.0;
            let radius = size as f32 * 0.22;
            for (x, y, pixel) in canvas.enumerate_pixels_mut() {
                let distance = ((x as f32 + 0.5 - centre).powi(2) + (y as f32 + 0.5 - centre).powi(2)).sqrt();
                let coverage = (radius + 0.5 - distance).clamp(0.0, 1.0);
                if coverage > 0.0 {
                    for c in 0..3 {
                        pixel[c] = (f32::from(pixel[c]) * (1.0 - coverage) + 255.0 * coverage) as u8;
                    }
                }
            }
        }
    }
    let mut png = Vec::new();
    if canvas
        .write_to(&mut std::io::Cursor::new(&mut png), ImageFormat::Png)
        .is_err()
    {
        return Vec::new();
    }
    png
}

/// `GET /sw.js`: the service worker, revalidated on every load so a new build reaches every browser.
pub async fn service_worker() -> Response {
    let Some(script) = super::assets::dist_file("sw.js") else {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    };
    let mut response = script.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn icons_are_pngs_of_the_asked_size() {
        for (size, maskable) in [(192, false), (512, true)] {
            let png = render(None, size, maskable);
            let picture = image::load_from_memory(&png).unwrap();
            assert_eq!((picture.width(), picture.height()), (size, size));
        }
        // A space icon is used; garbage falls back to the default.
        let mut source = Vec::new();
        image::RgbaImage::from_pixel(64, 32, image::Rgba([255, 0, 0, 255]))
            .write_to(&mut std::io::Cursor::new(&mut source), image::ImageFormat::Png)
            .unwrap();
        let red = image::load_from_memory(&render(Some(&source), 192, false))
            .unwrap()
            .to_rgba8();
        assert_eq!(red.get_pixel(96, 96).0, [255, 0, 0, 255]);
        let masked = image::load_from_memory(&render(Some(&source), 192, true))
            .unwrap()
            .to_rgba8();
        assert_eq!(
            masked.get_pixel(2, 2).0,
            [0x58, 0x65, 0xf2, 255],
            "the safe zone's margin is the brand colour"
        );
        assert!(render(Some(b"not an image"), 192, false).len() > 100);
    }
}
