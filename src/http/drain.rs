//! Early answers reach the client. When a request is refused before its body is read (429, 401, 403, 413 on an
//! upload), closing the connection with the body still arriving makes the kernel reset it, and the client sees
//! a broken pipe instead of the status (discord.js's undici then cannot back off). This layer takes back a body
//! the handler dropped unread and reads the rest of it, within bounds, before the answer goes out — what a
//! lingering close does — so the client finishes sending and reads the response.

use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http_body_util::BodyExt;
use hyper::body::{Body as HttpBody, Frame, SizeHint};

/// Most bytes read and dropped after an early answer: more and the connection is closed anyway.
const MAX_DRAIN_BYTES: usize = 256 * 1024 * 1024;
/// Longest time spent reading them.
const MAX_DRAIN_TIME: Duration = Duration::from_secs(30);

type Slot = Arc<Mutex<Option<Body>>>;

/// A request body that, dropped before its end, puts itself back in `slot`.
struct Returning {
    inner: Option<Body>,
    slot: Slot,
}

impl HttpBody for Returning {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        match self.get_mut().inner.as_mut() {
            Some(body) => Pin::new(body).poll_frame(cx),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.as_ref().is_none_or(HttpBody::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.as_ref().map(HttpBody::size_hint).unwrap_or_default()
    }
}

impl Drop for Returning {
    fn drop(&mut self) {
        if let Some(body) = self.inner.take()
            && !body.is_end_stream()
        {
            *self.slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(body);
        }
    }
}

/// Middleware: reads what is left of a body the handler did not read before answering.
pub async fn drain_unread_body(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    if body.is_end_stream() {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let slot: Slot = Arc::default();
    let body = Body::new(Returning {
        inner: Some(body),
        slot: Arc::clone(&slot),
    });
    let response = next.run(Request::from_parts(parts, body)).await;
    let leftover = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
    if let Some(mut body) = leftover {
        let drain = async {
            let mut read = 0usize;
            while let Some(Ok(frame)) = body.frame().await {
                read += frame.data_ref().map_or(0, Bytes::len);
                if read > MAX_DRAIN_BYTES {
                    break;
                }
            }
        };
        let _ = tokio::time::timeout(MAX_DRAIN_TIME, drain).await;
    }
    response
}
