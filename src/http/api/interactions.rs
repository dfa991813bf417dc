//! Interactions over HTTP: the web client invokes (`POST /interactions`, a signed-in person), the bot answers
//! (`POST /interactions/{id}/{token}/callback`, the token is the credential; `with_response` as Discord), and
//! follows up with the token (`/webhooks/{app}/{token}` and `/webhooks/{app}/{token}/messages/{id}`, which
//! `webhooks.rs` hands here when the token is an interaction's; with a webhook's token the messages routes
//! read, edit and delete that webhook's own messages).

use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::messages::HasContent;
use super::{json, no_content};
use crate::app::AppState;
use crate::chat::ChatError;
use crate::chat::interactions::{AnswerInput, CallbackInput, InteractionInput, Pending};
use crate::http::auth::Authenticated;
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::store::Snowflake;

impl HasContent for AnswerInput {
    fn set_content(&mut self, content: String) {
        self.content = Some(content);
    }
}

/// `POST /interactions`.
pub async fn invoke(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(input): ApiJson<InteractionInput>,
) -> Result<Response, ApiError> {
    state.chat.invoke(&auth.user, input).await?;
    Ok(no_content())
}

/// `?with_response=`.
#[derive(Debug, Default, Deserialize)]
pub struct CallbackQuery {
    #[serde(default)]
    with_response: Option<String>,
}

/// `POST /interactions/{id}/{token}/callback`: 204, or with `with_response=true` (or `1`) the interaction
/// callback response.
pub async fn callback(
    State(state): State<AppState>,
    ApiPath((id, token)): ApiPath<(Snowflake, String)>,
    ApiQuery(query): ApiQuery<CallbackQuery>,
    ApiJson(input): ApiJson<CallbackInput>,
) -> Result<Response, ApiError> {
    let answer = state.chat.interaction_callback(id, &token, input).await?;
    if matches!(query.with_response.as_deref(), Some("true" | "1" | "True")) {
        return Ok(json(answer));
    }
    Ok(no_content())
}

/// A follow-up message (called by `webhooks::execute` for an interaction token).
pub(super) async fn followup(state: &AppState, pending: &Pending, input: AnswerInput) -> Result<Response, ApiError> {
    Ok(json(state.chat.followup(pending, input).await?))
}

/// A webhook's own message (the same routes, a webhook's id and token).
async fn webhook_message_id(
    state: &AppState,
    id: Snowflake,
    token: &str,
    which: &str,
) -> Result<(crate::store::Webhook, Snowflake), ApiError> {
    let hook = state.chat.webhook_with_token(id, token).await?;
    let message = which.parse().map_err(|_| ApiError::Chat(ChatError::UnknownMessage))?;
    Ok((hook, message))
}

/// `GET /webhooks/{app}/{token}/messages/{id | @original}` (or a webhook's own message).
pub async fn message(
    State(state): State<AppState>,
    ApiPath((app, token, which)): ApiPath<(Snowflake, String, String)>,
) -> Result<Response, ApiError> {
    let Some(pending) = state.chat.interaction_for_token(app, &token) else {
        let (hook, id) = webhook_message_id(&state, app, &token, &which).await?;
        let message = state.chat.webhook_message(&hook, id).await?;
        return Ok(json(crate::wire::message(
            &message,
            Some(hook.guild_id),
            None,
            state.chat.urls(),
        )));
    };
    Ok(json(state.chat.followup_message(&pending, &which).await?))
}

/// `PATCH /webhooks/{app}/{token}/messages/{id | @original}`.
pub async fn edit(
    State(state): State<AppState>,
    ApiPath((app, token, which)): ApiPath<(Snowflake, String, String)>,
    request: axum::extract::Request,
) -> Result<Response, ApiError> {
    let Some(pending) = state.chat.interaction_for_token(app, &token) else {
        let (hook, id) = webhook_message_id(&state, app, &token, &which).await?;
        let (input, _files) =
            super::messages::read_body::<crate::chat::webhooks::ExecuteInput>(&state, request).await?;
        let message = state.chat.edit_webhook_message(&hook, id, input).await?;
        return Ok(json(crate::wire::message(
            &message,
            Some(hook.guild_id),
            None,
            state.chat.urls(),
        )));
    };
    let (input, _files) = super::messages::read_body::<AnswerInput>(&state, request).await?;
    Ok(json(state.chat.followup_edit(&pending, &which, input).await?))
}

/// `DELETE /webhooks/{app}/{token}/messages/{id | @original}`.
pub async fn delete(
    State(state): State<AppState>,
    ApiPath((app, token, which)): ApiPath<(Snowflake, String, String)>,
) -> Result<Response, ApiError> {
    let Some(pending) = state.chat.interaction_for_token(app, &token) else {
        let (hook, id) = webhook_message_id(&state, app, &token, &which).await?;
        state.chat.delete_webhook_message(&hook, id).await?;
        return Ok(no_content());
    };
    state.chat.followup_delete(&pending, &which).await?;
    Ok(no_content())
}
