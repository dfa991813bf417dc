//! Webhooks: managing them (`/channels/{id}/webhooks`, `/guilds/{id}/webhooks`, `/webhooks/{id}` with an
//! account that has MANAGE_WEBHOOKS) and using them with their token (`/webhooks/{id}/{token}`: read, change,
//! delete, execute — JSON or multipart with files — and the Slack- and GitHub-shaped variants).

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::messages::{HasContent, read_body, save_files};
use super::{json, no_content};
use crate::app::AppState;
use crate::chat::webhooks::{ExecuteInput, WebhookInput};
use crate::http::auth::Authenticated;
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::store::{Snowflake, Webhook};
use crate::{uploads, wire};

impl ExecuteQuery {
    fn wait(&self) -> bool {
        matches!(self.wait.as_deref(), Some("true" | "1" | "True"))
    }
}

impl HasContent for ExecuteInput {
    fn set_content(&mut self, content: String) {
        self.content = Some(content);
    }
}

fn avatars_dir(state: &AppState) -> std::path::PathBuf {
    state.config.server.data_dir.join("avatars")
}

async fn render(state: &AppState, hook: &Webhook, token: Option<&str>, with_creator: bool) -> wire::Webhook {
    let creator = match (with_creator, hook.creator_id) {
        (true, Some(id)) => state.store.user_by_id(id).await.ok().flatten(),
        _ => None,
    };
    wire::Webhook::new(hook, creator.as_ref(), token, state.chat.urls().base())
}

/// `POST /channels/{channel_id}/webhooks`.
pub async fn create(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
    ApiJson(input): ApiJson<WebhookInput>,
) -> Result<Response, ApiError> {
    let (hook, token) = state
        .chat
        .create_webhook(&auth.user, channel_id, input, &avatars_dir(&state))
        .await?;
    Ok(json(render(&state, &hook, Some(&token), true).await))
}

/// `GET /channels/{channel_id}/webhooks`.
pub async fn list_channel(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    let channel = state
        .store
        .channel_get(channel_id)
        .await?
        .ok_or(ApiError::Chat(crate::chat::ChatError::UnknownChannel))?;
    let hooks = state
        .chat
        .webhooks(&auth.user, channel.guild_id.unwrap_or_default(), Some(channel_id))
        .await?;
    let mut out = Vec::with_capacity(hooks.len());
    for hook in &hooks {
        out.push(render(&state, hook, None, true).await);
    }
    Ok(json(out))
}

/// `GET /guilds/{guild_id}/webhooks`.
pub async fn list_guild(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(guild_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    let hooks = state.chat.webhooks(&auth.user, guild_id, None).await?;
    let mut out = Vec::with_capacity(hooks.len());
    for hook in &hooks {
        out.push(render(&state, hook, None, true).await);
    }
    Ok(json(out))
}

/// `GET /webhooks/{id}`.
pub async fn get(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    let hook = state.chat.webhook(&auth.user, id).await?;
    Ok(json(render(&state, &hook, None, true).await))
}

/// `PATCH /webhooks/{id}`.
pub async fn update(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(id): ApiPath<Snowflake>,
    ApiJson(input): ApiJson<WebhookInput>,
) -> Result<Response, ApiError> {
    let hook = state.chat.webhook(&auth.user, id).await?;
    let hook = state
        .chat
        .update_webhook(Some(&auth.user), hook, input, &avatars_dir(&state))
        .await?;
    Ok(json(render(&state, &hook, None, true).await))
}

/// `DELETE /webhooks/{id}`.
pub async fn delete(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    let hook = state.chat.webhook(&auth.user, id).await?;
    state.chat.delete_webhook(&hook).await?;
    Ok(no_content())
}

/// `GET /webhooks/{id}/{token}`: no `user`, as Discord answers token requests.
pub async fn get_with_token(
    State(state): State<AppState>,
    ApiPath((id, token)): ApiPath<(Snowflake, String)>,
) -> Result<Response, ApiError> {
    let hook = state.chat.webhook_with_token(id, &token).await?;
    Ok(json(render(&state, &hook, None, false).await))
}

/// `PATCH /webhooks/{id}/{token}` (name and avatar).
pub async fn update_with_token(
    State(state): State<AppState>,
    ApiPath((id, token)): ApiPath<(Snowflake, String)>,
    ApiJson(input): ApiJson<WebhookInput>,
) -> Result<Response, ApiError> {
    let hook = state.chat.webhook_with_token(id, &token).await?;
    let hook = state
        .chat
        .update_webhook(None, hook, input, &avatars_dir(&state))
        .await?;
    Ok(json(render(&state, &hook, None, false).await))
}

/// `DELETE /webhooks/{id}/{token}`.
pub async fn delete_with_token(
    State(state): State<AppState>,
    ApiPath((id, token)): ApiPath<(Snowflake, String)>,
) -> Result<Response, ApiError> {
    let hook = state.chat.webhook_with_token(id, &token).await?;
    state.chat.delete_webhook(&hook).await?;
    Ok(no_content())
}

/// `?wait=` and `?thread_id=`.
#[derive(Debug, Default, Deserialize)]
pub struct ExecuteQuery {
    /// `true`/`false`, or `1`/`0` as discord.py sends it.
    #[serde(default)]
    wait: Option<String>,
    #[serde(default, deserialize_with = "crate::chat::ids::deserialize_opt")]
    thread_id: Option<Snowflake>,
}

/// Posts `input` as the webhook; with `wait` the message comes back (200), else 204.
async fn post(
    state: &AppState,
    hook: &Webhook,
    query: &ExecuteQuery,
    mut input: ExecuteInput,
    files: Vec<(String, Vec<u8>)>,
) -> Result<Response, ApiError> {
    let uploads = uploads::Uploads::new(&state.config.server.data_dir);
    let stored = save_files(state, &uploads, &files).await?;
    let ids: Vec<Snowflake> = stored.iter().map(|a| a.id).collect();
    input.files = stored;
    match state.chat.execute_webhook(hook, query.thread_id, input).await {
        Ok((message, guild_id)) if query.wait() => Ok(json(wire::message(&message, guild_id, None, state.chat.urls()))),
        Ok(_) => Ok(no_content()),
        Err(error) => {
            uploads.remove(&ids).await;
            Err(error.into())
        }
    }
}

/// `POST /webhooks/{id}/{token}`: JSON, or multipart with `payload_json` and `files[n]`.
pub async fn execute(
    State(state): State<AppState>,
    ApiPath((id, token)): ApiPath<(Snowflake, String)>,
    ApiQuery(query): ApiQuery<ExecuteQuery>,
    request: Request,
) -> Result<Response, ApiError> {
    if let Some(pending) = state.chat.interaction_for_token(id, &token) {
        // An interaction's follow-up: the same path, the application's id and the interaction's token.
        let (input, _files) = read_body::<crate::chat::interactions::AnswerInput>(&state, request).await?;
        return super::interactions::followup(&state, &pending, input).await;
    }
    let hook = state.chat.webhook_with_token(id, &token).await?;
    let (input, files) = read_body::<ExecuteInput>(&state, request).await?;
    post(&state, &hook, &query, input, files).await
}

/// `POST /webhooks/{id}/{token}/slack`: a Slack incoming-webhook body; answers `ok` as Discord does.
pub async fn execute_slack(
    State(state): State<AppState>,
    ApiPath((id, token)): ApiPath<(Snowflake, String)>,
    ApiQuery(query): ApiQuery<ExecuteQuery>,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<Response, ApiError> {
    let hook = state.chat.webhook_with_token(id, &token).await?;
    let input = crate::chat::webhook_formats::from_slack(&body)?;
    let answer = post(&state, &hook, &query, input, Vec::new()).await?;
    if query.wait() {
        return Ok(answer);
    }
    Ok((StatusCode::OK, "ok").into_response())
}

/// `POST /webhooks/{id}/{token}/github`: a GitHub webhook delivery (`X-GitHub-Event`) as an embed; events
/// spot does not summarise are accepted and ignored (204), as Discord does.
pub async fn execute_github(
    State(state): State<AppState>,
    ApiPath((id, token)): ApiPath<(Snowflake, String)>,
    ApiQuery(query): ApiQuery<ExecuteQuery>,
    headers: HeaderMap,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<Response, ApiError> {
    let hook = state.chat.webhook_with_token(id, &token).await?;
    let event = headers
        .get("x-github-event")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match crate::chat::webhook_formats::from_github(event, &body)? {
        Some(input) => post(&state, &hook, &query, input, Vec::new()).await,
        None => Ok(no_content()),
    }
}
