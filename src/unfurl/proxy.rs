//! The image proxy: preview images are shown from `/external/<signature>/<url>` on spot itself, so a friend's
//! browser never contacts a third-party site (which would learn their address) just by scrolling past a link.
//!
//! Only URLs spot signed (HMAC with the instance secret, while building a preview) are fetched, so the proxy is
//! not an open relay. Fetches go through the [`SafeClient`] with the image size cap, and the bytes must be a
//! PNG, JPEG, GIF or WebP by their own header, not just by the `Content-Type` the remote site claims. Good
//! images are cached on disk under `<data_dir>/cache/external/` for `previews.cache_ttl`.

use std::path::PathBuf;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use bytes::Bytes;
use sha2::{Digest, Sha256};

use crate::fetch::{FetchError, Overflow, SafeClient};

/// An image that passed the checks.
#[derive(Debug, Clone)]
pub struct ProxiedImage {
    /// Its MIME type, from its header bytes.
    pub mime: &'static str,
    /// Width and height in pixels.
    pub size: (u32, u32),
    /// The bytes.
    pub body: Bytes,
}

/// Why the proxy could not serve an image.
#[derive(Debug, thiserror::Error)]
pub enum ProxyError {
    /// The signature does not match the URL (not a URL spot signed).
    #[error("unknown external image")]
    BadSignature,
    /// The fetch failed or was refused.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// The bytes are not an image of an allowed type.
    #[error("not an image")]
    NotAnImage,
}

/// Signs, fetches and caches preview images.
#[derive(Clone)]
pub struct MediaProxy {
    secret: String,
    base: String,
    dir: PathBuf,
    client: SafeClient,
    max_bytes: usize,
    ttl: Duration,
}

impl MediaProxy {
    /// A proxy whose links start with `public_url` (empty: site-relative links), caching under `data_dir`.
    pub fn new(
        secret: &str,
        public_url: &str,
        data_dir: &std::path::Path,
        client: SafeClient,
        max_bytes: usize,
        ttl: Duration,
    ) -> Self {
        Self {
            secret: secret.to_owned(),
            base: public_url.trim_end_matches('/').to_owned(),
            dir: data_dir.join("cache").join("external"),
            client,
            max_bytes,
            ttl,
        }
    }

    /// The safe client it fetches with (shared with everything else that fetches members' URLs).
    pub fn client(&self) -> SafeClient {
        self.client.clone()
    }

    /// The proxy link for `url`.
    pub fn proxy_url(&self, url: &str) -> String {
        format!(
            "{}/external/{}/{}",
            self.base,
            self.signature(url),
            URL_SAFE_NO_PAD.encode(url.as_bytes())
        )
    }

    /// The URL a proxy link stands for, if its signature is ours.
    pub fn verify(&self, signature: &str, encoded: &str) -> Result<String, ProxyError> {
        let url = URL_SAFE_NO_PAD
            .decode(encoded.trim_end_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-' && c != '_'))
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or(ProxyError::BadSignature)?;
        if crate::crypto::constant_time_eq(self.signature(&url).as_bytes(), signature.as_bytes()) {
            Ok(url)
        } else {
            Err(ProxyError::BadSignature)
        }
    }

    fn signature(&self, url: &str) -> String {
        let mac = crate::crypto::hmac_sha256(self.secret.as_bytes(), &[b"spot-external\0", url.as_bytes()]);
        hex::encode(&mac[..16])
    }

    /// The image at `url`: from the disk cache while fresh, otherwise fetched, checked and cached.
    pub async fn image(&self, url: &str) -> Result<ProxiedImage, ProxyError> {
        let path = self.dir.join(hex::encode(Sha256::digest(url.as_bytes())));
        if let Some(body) = self.cached(&path).await
            && let Ok(image) = check_image(body)
        {
            return Ok(image);
        }
        let fetched = self.client.get(url, "image/*", self.max_bytes, Overflow::Fail).await?;
        self.keep(url, fetched.body).await
    }

    /// Checks an image fetched elsewhere (a direct image link being unfurled) and caches it, so the first
    /// viewer does not make the proxy fetch it again.
    pub async fn keep(&self, url: &str, body: Bytes) -> Result<ProxiedImage, ProxyError> {
        let image = check_image(body)?;
        let path = self.dir.join(hex::encode(Sha256::digest(url.as_bytes())));
        self.store(path, image.body.clone()).await;
        Ok(image)
    }

    async fn cached(&self, path: &std::path::Path) -> Option<Bytes> {
        let meta = tokio::fs::metadata(path).await.ok()?;
        let age = meta.modified().ok()?.elapsed().unwrap_or_default();
        if age > self.ttl {
            return None;
        }
        tokio::fs::read(path).await.ok().map(Bytes::from)
    }

    /// Writes through a temporary file so a half-written image never appears under its name. A failure only
    /// costs a refetch later, so it is logged and otherwise ignored.
    async fn store(&self, path: PathBuf, body: Bytes) {
        let dir = self.dir.clone();
        let written = tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            std::fs::create_dir_all(&dir)?;
            let mut file = tempfile::NamedTempFile::new_in(&dir)?;
            std::io::Write::write_all(&mut file, &body)?;
            file.persist(&path).map_err(|e| e.error)?;
            Ok(())
        })
        .await;
        if let Ok(Err(e)) = written {
            tracing::warn!(error = %e, "could not cache a proxied image");
        }
    }

    /// Removes cached images older than the TTL; returns how many. Runs on a blocking thread.
    pub async fn sweep(&self) -> usize {
        let dir = self.dir.clone();
        let ttl = self.ttl;
        tokio::task::spawn_blocking(move || {
            let Ok(entries) = std::fs::read_dir(&dir) else { return 0 };
            entries
                .flatten()
                .filter(|e| {
                    e.metadata()
                        .and_then(|m| m.modified())
                        .is_ok_and(|t| t.elapsed().unwrap_or_default() > ttl)
                })
                .filter(|e| std::fs::remove_file(e.path()).is_ok())
                .count()
        })
        .await
        .unwrap_or(0)
    }
}

/// Checks that `body` is a PNG, JPEG, GIF or WebP image by its header, and reads its size.
pub fn check_image(body: Bytes) -> Result<ProxiedImage, ProxyError> {
    // The same signature check as avatars and icons decides the type; imagesize only reads the dimensions.
    let (_, mime) = crate::media::image_kind(&body).ok_or(ProxyError::NotAnImage)?;
    let size = imagesize::blob_size(&body).map_err(|_| ProxyError::NotAnImage)?;
    let dim = |v: usize| u32::try_from(v).unwrap_or(u32::MAX);
    Ok(ProxiedImage {
        mime,
        size: (dim(size.width), dim(size.height)),
        body,
    })
}
