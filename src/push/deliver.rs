//! Sending one push: the payload encrypted for the subscription's keys (aes128gcm), signed with the VAPID key,
//! POSTed through the safe client. A 404 or 410 means the browser dropped the subscription: it is forgotten.

use std::time::Duration;

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

/// Encrypts and sends `payload` to one subscription; logs failures (a push is best effort).
pub(super) async fn send(inner: &Inner, subscription: &PushSubscription, payload: &PushPayload) {
    let Some(key) = inner.key.get() else { return };
    let Ok(endpoint) = subscription.endpoint.parse() else {
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
    let request = WebPushBuilder::new(endpoint, public, auth)
        .with_valid_duration(ttl(payload.kind))
        .with_vapid(&key.pair, &inner.contact)
        .build(body);
    let mut request = match request {
        Ok(request) => request,
        Err(e) => {
            tracing::warn!(error = %e, "push could not be encrypted");
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
