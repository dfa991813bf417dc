//! Sending pushes: each payload encrypted for the subscription's keys (aes128gcm), signed with the VAPID key,
//! POSTed through the safe client. A 404 or 410 means the browser dropped the subscription: it is forgotten.
//!
//! One queue and one worker per push service (the endpoint's host): pushes to a service leave in the order
//! they were decided, and a slow or unreachable service delays only its own subscribers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::mpsc;

use web_push_native::p256::PublicKey;
use web_push_native::{Auth, WebPushBuilder};

use super::{Inner, PushPayload};
use crate::store::PushSubscription;

/// How long a push service keeps trying to deliver (a call is stale after a minute).
fn ttl(kind: &str) -> Duration {
    if kind == "call" {
        Duration::from_secs(60)
    } else {
        Duration::from_secs(24 * 60 * 60)
    }
}

/// Pushes waiting per push service before new ones are dropped.
const QUEUE: usize = 1024;

type Job = (PushSubscription, Arc<PushPayload>);

/// The per-service queues.
#[derive(Default)]
pub(super) struct Queues {
    by_host: Mutex<HashMap<String, mpsc::Sender<Job>>>,
}

/// Queues `payload` for `subscription` on its push service's worker (started on first use).
pub(super) fn enqueue(inner: &Arc<Inner>, subscription: PushSubscription, payload: Arc<PushPayload>) {
    let host = url::Url::parse(&subscription.endpoint)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| format!("{h}:{}", u.port_or_known_default().unwrap_or(0)))
        })
        .unwrap_or_default();
    let mut queues = inner
        .queues
        .by_host
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let sender = queues.entry(host).or_insert_with(|| {
        let (sender, mut jobs) = mpsc::channel::<Job>(QUEUE);
        let inner = Arc::clone(inner);
        tokio::spawn(async move {
            while let Some((subscription, payload)) = jobs.recv().await {
                send(&inner, &subscription, &payload).await;
            }
        });
        sender
    });
    if sender.try_send((subscription, payload)).is_err() {
        tracing::warn!("a push service's queue is full; a push was dropped");
    }
}

/// Encrypts and sends `payload` to one subscription; logs failures (a push is best effort).
async fn send(inner: &Inner, subscription: &PushSubscription, payload: &PushPayload) {
    let Some(key) = inner.key.get() else { return };
    let (Ok(url), Ok(endpoint)) = (url::Url::parse(&subscription.endpoint), subscription.endpoint.parse()) else {
        return;
    };
    let Ok(public) = PublicKey::from_sec1_bytes(&subscription.p256dh) else {
        return;
    };
    if subscription.auth.len() != 16 {
        return;
    }
    let auth = Auth::clone_from_slice(&subscription.auth);
    let body = serde_json::to_vec(payload).unwrap_or_default();
    // Encryption and TTL from the library; the VAPID header is ours (its audience keeps a non-default port).
    let built = WebPushBuilder::new(endpoint, public, auth)
        .with_valid_duration(ttl(payload.kind))
        .build(body)
        .map_err(|e| e.to_string())
        .and_then(|request| Ok((request, key.authorization(&url, &inner.contact)?)));
    let mut request = match built {
        Ok((mut request, vapid)) => {
            let Ok(value) = http::HeaderValue::from_str(&vapid) else {
                return;
            };
            request.headers_mut().insert(http::header::AUTHORIZATION, value);
            request
        }
        Err(e) => {
            tracing::warn!(error = %e, "push could not be encrypted or signed");
            return;
        }
    };
    let urgency = if payload.kind == "call" { "high" } else { "normal" };
    request
        .headers_mut()
        .insert("urgency", http::HeaderValue::from_static(urgency));
    match inner.client.post_push(request).await {
        Ok(status) if (200..300).contains(&status) => {
            tracing::debug!(user = subscription.user_id, kind = payload.kind, "push sent");
        }
        Ok(404 | 410) => {
            tracing::info!(user = subscription.user_id, "push subscription expired; forgotten");
            if let Err(e) = inner.store.push_forget(subscription.endpoint.clone()).await {
                tracing::warn!(error = %e, "forgetting a push subscription failed");
            }
        }
        Ok(status) => tracing::warn!(user = subscription.user_id, status, "push service refused a push"),
        Err(e) => tracing::warn!(user = subscription.user_id, error = %e, "push failed"),
    }
}
