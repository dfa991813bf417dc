//! `GET /external/{signature}/{encoded url}`: preview images through spot's proxy, for signed-in members and
//! bots only, so friends' browsers never contact the sites behind the links. See [`crate::unfurl::proxy`].

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::auth::Authenticated;
use crate::app::AppState;
use crate::unfurl::proxy::ProxyError;

/// Serves one proxied image.
pub async fn image(
    State(state): State<AppState>,
    _auth: Authenticated,
    Path((signature, encoded)): Path<(String, String)>,
) -> Response {
    let url = match state.media_proxy.verify(&signature, &encoded) {
        Ok(url) => url,
        Err(_) => return (StatusCode::NOT_FOUND, "unknown external image\n").into_response(),
    };
    match state.media_proxy.image(&url).await {
        Ok(image) => {
            let mut response = image.body.into_response();
            let headers = response.headers_mut();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(image.mime));
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=86400"),
            );
            headers.insert(
                "content-security-policy",
                HeaderValue::from_static("sandbox; default-src 'none'"),
            );
            response
        }
        Err(e) => {
            tracing::debug!(%url, error = %e, "external image not served");
            let status = match e {
                ProxyError::BadSignature => StatusCode::NOT_FOUND,
                ProxyError::NotAnImage => StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ProxyError::Fetch(_) => StatusCode::BAD_GATEWAY,
            };
            (status, format!("{e}\n")).into_response()
        }
    }
}
