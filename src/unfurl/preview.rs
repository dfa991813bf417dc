//! One link → at most one embed: fetch it through the safe client, then read the page (and its oEmbed
//! document) or recognise a direct image, video or audio file. Preview images are fetched through the
//! [`MediaProxy`] right away, which checks them and learns their size; an image that fails is left out.

use reqwest::Url;
use serde_json::Value;

use super::embed::{self, CheckedImage, Media, OEmbed};
use super::html;
use super::proxy::MediaProxy;
use crate::fetch::{Overflow, SafeClient};

/// What a page is asked for with.
const ACCEPT_PAGE: &str = "text/html,application/xhtml+xml;q=0.9,image/*;q=0.8,video/*;q=0.5,*/*;q=0.1";
/// An oEmbed document is small.
const OEMBED_BYTES: usize = 64 * 1024;

/// Builds previews.
#[derive(Clone)]
pub struct Previewer {
    pub(super) client: SafeClient,
    pub(super) proxy: MediaProxy,
    pub(super) max_html_bytes: usize,
    pub(super) max_image_bytes: usize,
}

impl Previewer {
    /// The embed for `url`, or `None` when it has no preview or cannot be fetched (the reason is logged at
    /// debug level: a refused URL is not an operator's problem).
    pub async fn preview(&self, url: &str) -> Option<Value> {
        let html_cap = self.max_html_bytes;
        let image_cap = self.max_image_bytes;
        let fetched = self
            .client
            .get_by_type(url, ACCEPT_PAGE, |kind| match kind {
                "text/html" | "application/xhtml+xml" => (html_cap, Overflow::Truncate),
                k if k.starts_with("image/") => (image_cap, Overflow::Fail),
                _ => (0, Overflow::Truncate),
            })
            .await;
        let fetched = match fetched {
            Ok(f) => f,
            Err(e) => {
                tracing::debug!(%url, error = %e, "no preview");
                return None;
            }
        };
        let host = fetched.url.host_str().unwrap_or_default().to_owned();
        match fetched.content_type.as_str() {
            "text/html" | "application/xhtml+xml" => {
                let text = String::from_utf8_lossy(&fetched.body);
                let meta = html::scan(&text);
                let oembed = match meta.oembed.as_deref().and_then(|link| fetched.url.join(link).ok()) {
                    Some(link) => self.oembed(link).await,
                    None => None,
                };
                let image = match embed::page_image(&meta, oembed.as_ref()).and_then(|i| fetched.url.join(&i).ok()) {
                    Some(image_url) => self.checked_image(image_url.as_str()).await,
                    None => None,
                };
                embed::page(url, &meta, oembed.as_ref(), image.as_ref())
            }
            kind if kind.starts_with("image/") => {
                let checked = self.proxy.keep(url, fetched.body).await.ok()?;
                let image = CheckedImage {
                    url: url.to_owned(),
                    proxy_url: self.proxy.proxy_url(url),
                    width: checked.size.0,
                    height: checked.size.1,
                };
                Some(embed::image(url, &image))
            }
            kind if kind.starts_with("video/") => Some(embed::media(url, Media::Video, &host)),
            kind if kind.starts_with("audio/") => Some(embed::media(url, Media::Audio, &host)),
            _ => None,
        }
    }

    async fn oembed(&self, link: Url) -> Option<OEmbed> {
        let fetched = self
            .client
            .get(link.as_str(), "application/json", OEMBED_BYTES, Overflow::Fail)
            .await
            .ok()?;
        serde_json::from_slice(&fetched.body).ok()
    }

    async fn checked_image(&self, url: &str) -> Option<CheckedImage> {
        if !(url.starts_with("https://") || url.starts_with("http://")) {
            return None;
        }
        match self.proxy.image(url).await {
            Ok(image) => Some(CheckedImage {
                url: url.to_owned(),
                proxy_url: self.proxy.proxy_url(url),
                width: image.size.0,
                height: image.size.1,
            }),
            Err(e) => {
                tracing::debug!(%url, error = %e, "preview image left out");
                None
            }
        }
    }
}
