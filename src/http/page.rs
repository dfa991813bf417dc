//! HTML error pages: the browser's counterpart of [`ApiError`](super::error::ApiError), for refusals outside
//! the API (a cross-site form, an unknown page) and for the page handlers in the web face, which render their
//! templates through [`render`].

use askama::Template;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    message: &'a str,
    back: &'a str,
    back_label: &'a str,
}

/// Renders a template with a status and extra headers.
pub fn render(status: StatusCode, page: &impl Template, headers: HeaderMap) -> Response {
    match page.render() {
        Ok(html) => (
            status,
            headers,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html,
        )
            .into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error\n").into_response()
        }
    }
}

/// A plain error page with a way back to the start.
pub fn error_page(status: StatusCode, message: &str) -> Response {
    error_page_with_link(status, message, "/", "Back to the start")
}

/// An error page whose way back is `back` (a path here), labelled `back_label`.
pub fn error_page_with_link(status: StatusCode, message: &str, back: &str, back_label: &str) -> Response {
    render(
        status,
        &ErrorPage {
            status: status.as_u16(),
            message,
            back,
            back_label,
        },
        HeaderMap::new(),
    )
}

/// The fallback for unknown pages.
pub async fn not_found() -> Response {
    error_page(StatusCode::NOT_FOUND, "There is nothing at this address.")
}
