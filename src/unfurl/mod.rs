//! Link previews: after a message is stored, the links in it are unfurled in the background into
//! Discord-shaped embeds, the message is updated, and MESSAGE_UPDATE goes out — as Discord does.
//!
//! Chat holds the sending end of a bounded queue (`chat/previews.rs`) and drops a job into it without waiting
//! (a full queue skips previews, never delays a message). [`Unfurler`] is the task on the other end: per job it
//! takes the message's links (`chat/links.rs`), answers each from the cache in the store while it is fresh,
//! otherwise asks the [`preview::Previewer`] (at most `previews.concurrency` fetches at once), records the
//! result, and hands the embeds back to chat, which stores them only if the message still has the same text.
//!
//! Everything fetched goes through [`crate::fetch::SafeClient`]; images are served to browsers only through
//! [`proxy::MediaProxy`].

pub(crate) mod embed;
pub(crate) mod html;
mod preview;
pub mod proxy;

use std::sync::Arc;

use serde_json::Value;
use tokio::sync::Semaphore;

use crate::chat::Chat;
use crate::chat::links::links;
use crate::chat::previews::{LinkJob, LinkJobs};
use crate::clock::SharedClock;
use crate::config::PreviewsConfig;
use crate::fetch::SafeClient;
use crate::store::Store;

pub use preview::Previewer;
pub use proxy::MediaProxy;

/// The background task that turns jobs into previews.
pub struct Unfurler {
    previewer: Previewer,
    store: Store,
    chat: Chat,
    clock: SharedClock,
    config: PreviewsConfig,
    permits: Arc<Semaphore>,
}

impl Unfurler {
    /// Spawns the unfurler on the current runtime; it ends when every sending end is dropped.
    pub fn start(
        jobs: LinkJobs,
        client: SafeClient,
        proxy: MediaProxy,
        store: Store,
        chat: Chat,
        clock: SharedClock,
        config: PreviewsConfig,
    ) {
        let previewer = Previewer {
            client,
            proxy,
            max_html_bytes: config.max_html_bytes,
            max_image_bytes: config.max_image_bytes,
        };
        let unfurler = Arc::new(Self {
            previewer,
            store,
            chat,
            clock,
            permits: Arc::new(Semaphore::new(config.concurrency)),
            config,
        });
        tokio::spawn(async move {
            let mut jobs = jobs;
            while let Some(job) = jobs.next().await {
                tokio::spawn(unfurler.clone().run(job));
            }
        });
    }

    async fn run(self: Arc<Self>, job: LinkJob) {
        let urls = links(&job.content, self.config.max_links_per_message);
        let lookups = urls.into_iter().map(|url| {
            let this = self.clone();
            async move { this.embed_for(url).await }
        });
        let embeds: Vec<Value> = futures_util::future::join_all(lookups)
            .await
            .into_iter()
            .flatten()
            .collect();
        if embeds.is_empty() {
            return;
        }
        if let Err(e) = self
            .chat
            .attach_link_embeds(job.channel_id, job.message_id, job.content, embeds)
            .await
        {
            tracing::warn!(message_id = %job.message_id, error = %e, "could not attach link previews");
        }
    }

    /// One URL's embed: cached while fresh, fetched otherwise (and then cached, a miss included).
    async fn embed_for(&self, url: String) -> Option<Value> {
        let now = self.clock.now_ms();
        match self.store.link_preview_get(url.clone()).await {
            Ok(Some(cached)) if now - cached.fetched_at < self.config.cache_ttl.as_millis_i64() => {
                return cached.embed;
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "link preview cache unreadable"),
        }
        let permit = self.permits.clone().acquire_owned().await.ok()?;
        let embed = self.previewer.preview(&url).await;
        drop(permit);
        if let Err(e) = self
            .store
            .link_preview_put(url, embed.clone(), self.clock.now_ms())
            .await
        {
            tracing::warn!(error = %e, "could not cache a link preview");
        }
        embed
    }
}
