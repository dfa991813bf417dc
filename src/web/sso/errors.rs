//! The one place single sign-on failures become pages: each says what happened in words a person can act on,
//! with a way back, and a 4xx status unless spot itself (or the provider being down) is at fault. The cause is
//! logged once here; a provider's own error text is never shown.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;

use crate::accounts::AccountError;
use crate::oidc::policy::Refusal;
use crate::oidc::{OidcError, TokenProblem};
use crate::web::pages::error_page_with_link;

/// The page for a failed sign-in through provider `label`, with a way back to `back`.
pub fn sign_in_failed(error: &OidcError, label: &str, back: &str) -> Response {
    let again = "Start again.";
    let (status, message) = match error {
        OidcError::UnknownProvider => (
            StatusCode::NOT_FOUND,
            "There is no such sign-in provider here.".to_owned(),
        ),
        OidcError::Unreachable(_) => (
            StatusCode::BAD_GATEWAY,
            format!(
                "{label} could not be reached, or did not answer properly. Try again in a while, or ask whoever runs this spot."
            ),
        ),
        OidcError::Denied => (
            StatusCode::FORBIDDEN,
            format!("You did not allow spot to use your {label} account, so you are not signed in."),
        ),
        OidcError::ProviderError(_) => (
            StatusCode::BAD_REQUEST,
            format!("{label} could not sign you in. {again}"),
        ),
        OidcError::UnknownState => (
            StatusCode::BAD_REQUEST,
            format!("This sign-in link is unknown, expired or was already used. {again}"),
        ),
        OidcError::OtherBrowser => (
            StatusCode::BAD_REQUEST,
            format!("This sign-in was started in another browser, so it cannot finish here. {again}"),
        ),
        OidcError::IssuerMismatch | OidcError::InvalidToken(TokenProblem::Issuer, _) => (
            StatusCode::BAD_REQUEST,
            format!("The answer did not come from {label}'s issuer, so it was refused. {again}"),
        ),
        OidcError::CodeRejected => (
            StatusCode::BAD_REQUEST,
            format!("{label} refused this sign-in code: it was already used or has expired. {again}"),
        ),
        OidcError::InvalidToken(TokenProblem::Time, _) => (
            StatusCode::BAD_REQUEST,
            format!(
                "{label}'s sign-in token has expired or is not valid yet. If this keeps happening, the clocks of this \
                 server and of {label} disagree; ask whoever runs this spot to check them."
            ),
        ),
        OidcError::InvalidToken(problem, _) => {
            let what = match problem {
                TokenProblem::Signature => "its signature does not match the provider's keys",
                TokenProblem::Audience => "it was issued for another application",
                TokenProblem::Nonce => "it belongs to another sign-in (wrong nonce)",
                TokenProblem::UserInfo => "the profile it came with is about someone else",
                TokenProblem::Malformed | TokenProblem::Issuer | TokenProblem::Time => "it cannot be read",
            };
            (
                StatusCode::BAD_REQUEST,
                format!("{label}'s sign-in token was refused: {what}. {again}"),
            )
        }
        OidcError::Busy => (
            StatusCode::SERVICE_UNAVAILABLE,
            "Too many sign-ins are in progress right now; try again in a minute.".to_owned(),
        ),
    };
    tracing::warn!(provider = label, %error, "single sign-on failed");
    let back_label = if back == "/login" {
        "Back to the login page"
    } else {
        "Go back"
    };
    error_page_with_link(status, &message, back, back_label)
}

/// The page for a person the provider vouched for but who gets no account here.
pub fn refused(refusal: Refusal, label: &str) -> Response {
    let message = match refusal {
        Refusal::NotLinked => format!(
            "No account here is linked to this {label} account. Log in with your password and link {label} in \
             your settings, or ask whoever runs this spot for an invite link and use it with {label}."
        ),
        Refusal::EmailUnverified => {
            format!("{label} has not verified your email address, which this spot needs to create your account.")
        }
        Refusal::EmailDomain => {
            format!("Accounts here are only created for some email domains, and your {label} address is not in one.")
        }
        Refusal::NotInGroup => {
            format!("Accounts here are only created for members of some {label} groups, and you are in none of them.")
        }
    };
    tracing::info!(
        provider = label,
        ?refusal,
        "single sign-on refused an unlinked identity"
    );
    error_page_with_link(StatusCode::FORBIDDEN, &message, "/login", "Back to the login page")
}

/// The page for an account rule that stopped a sign-in, link or unlink.
pub fn account_failed(error: &AccountError, back: &str) -> Response {
    let (status, message) = match error {
        AccountError::RateLimited(wait) => {
            let secs = wait.as_secs() + 1;
            let mut page = error_page_with_link(
                StatusCode::TOO_MANY_REQUESTS,
                &format!("Too many attempts. Try again in {secs} seconds."),
                back,
                "Go back",
            );
            page.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
            return page;
        }
        AccountError::InvalidCredentials => (
            StatusCode::FORBIDDEN,
            "This account is disabled. Ask whoever runs this spot.",
        ),
        AccountError::IdentityTaken => (
            StatusCode::CONFLICT,
            "That identity is already linked to an account here (or yours already has one from this provider).",
        ),
        AccountError::NotLinked => (StatusCode::NOT_FOUND, "Your account is not linked to that provider."),
        AccountError::LastWayIn => (
            StatusCode::CONFLICT,
            "This is the only way into your account, so it cannot be unlinked. Link another provider first, or ask an admin to set a password.",
        ),
        AccountError::UnknownInvite => (StatusCode::NOT_FOUND, "This invite link does not exist."),
        AccountError::InviteUnusable(_) => (
            StatusCode::GONE,
            "This invite cannot be used any more. Ask for a new one.",
        ),
        AccountError::UsernameTaken => (
            StatusCode::CONFLICT,
            "No free username could be made from your profile; ask whoever runs this spot for help.",
        ),
        other => {
            tracing::error!(error = %other, "single sign-on account step failed");
            return error_page_with_link(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong; try again.",
                back,
                "Go back",
            );
        }
    };
    error_page_with_link(status, message, back, "Go back")
}
