//! `/channels/{id}/messages/…`: history, send (JSON or multipart with files), edit, delete, bulk delete, pins.

use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::header;
use axum::response::Response;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::{json, no_content};
use crate::app::AppState;
use crate::chat::{EditInput, MessageInput};
use crate::clock::iso8601;
use crate::http::auth::Authenticated;
use crate::http::error::ApiError;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery, parse_json};
use crate::store::{Anchor, Attachment, Message, Snowflake};
use crate::uploads;
use crate::wire;

fn render(messages: &[Message], guild_id: Option<Snowflake>, urls: &wire::Urls) -> Value {
    Value::Array(
        messages
            .iter()
            .map(|m| wire::message(m, guild_id, None, urls))
            .collect(),
    )
}

/// History paging, as Discord takes it.
#[derive(Deserialize)]
pub struct HistoryQuery {
    limit: Option<i64>,
    before: Option<Snowflake>,
    after: Option<Snowflake>,
    around: Option<Snowflake>,
}

/// `GET /channels/{id}/messages`: newest first.
pub async fn list(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
    ApiQuery(query): ApiQuery<HistoryQuery>,
) -> Result<Response, ApiError> {
    let limit = query.limit.unwrap_or(50);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::invalid("limit", "Must be between 1 and 100."));
    }
    let anchor = match (query.before, query.after, query.around) {
        (Some(id), _, _) => Anchor::Before(id),
        (_, Some(id), _) => Anchor::After(id),
        (_, _, Some(id)) => Anchor::Around(id),
        _ => Anchor::Latest,
    };
    let (messages, guild_id) = state.chat.history(&auth.user, channel_id, anchor, limit).await?;
    Ok(json(render(&messages, guild_id, state.chat.urls())))
}

/// `GET /channels/{id}/messages/{id}`.
pub async fn get(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((channel_id, message_id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    let (message, guild_id) = state.chat.message(&auth.user, channel_id, message_id).await?;
    Ok(json(wire::message(&message, guild_id, None, state.chat.urls())))
}

/// `POST /channels/{id}/messages`: a JSON body, or `multipart/form-data` with `payload_json` and `files[n]`.
pub async fn create(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
    request: Request,
) -> Result<Response, ApiError> {
    let (mut input, files) = read_body::<MessageInput>(&state, request).await?;
    let uploads = uploads::Uploads::new(&state.config.server.data_dir);
    let stored = save_files(&state, &uploads, &files).await?;
    let ids: Vec<Snowflake> = stored.iter().map(|a| a.id).collect();
    input.files = stored;
    match state.chat.send(&auth.user, channel_id, input).await {
        Ok((message, guild_id)) => Ok(json(wire::message(&message, guild_id, None, state.chat.urls()))),
        Err(error) => {
            uploads.remove(&ids).await;
            Err(error.into())
        }
    }
}

/// A message body: JSON, or `multipart/form-data` with `payload_json` and `files[n]` (for sends and edits).
pub(super) async fn read_body<T: DeserializeOwned + Default + HasContent>(
    state: &AppState,
    request: Request,
) -> Result<(T, Vec<(String, Vec<u8>)>), ApiError> {
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if is_multipart {
        return read_multipart(state, request).await;
    }
    let bytes = Bytes::from_request(request, state)
        .await
        .map_err(|_| ApiError::TooLarge)?;
    Ok((parse_json::<T>(&bytes)?, Vec::new()))
}

/// Writes uploaded files to disk, each under a new id; they become attachments once the message is stored.
pub(super) async fn save_files(
    state: &AppState,
    uploads: &uploads::Uploads,
    files: &[(String, Vec<u8>)],
) -> Result<Vec<Attachment>, ApiError> {
    let mut stored = Vec::with_capacity(files.len());
    for (filename, bytes) in files {
        let id = state.store.next_id();
        uploads
            .save(id, bytes)
            .await
            .map_err(|e| ApiError::Internal(format!("saving an upload: {e}")))?;
        stored.push(Attachment {
            id,
            filename: filename.clone(),
            content_type: uploads::content_type_for(filename),
            size: bytes.len() as i64,
            width: None,
            height: None,
            description: None,
            duration_secs: None,
            waveform: None,
        });
    }
    Ok(stored)
}

/// The bodies a multipart `content` part may fill.
pub(super) trait HasContent {
    fn set_content(&mut self, content: String);
}

impl HasContent for MessageInput {
    fn set_content(&mut self, content: String) {
        self.content = Some(content);
    }
}

impl HasContent for EditInput {
    fn set_content(&mut self, content: String) {
        self.content = Some(content);
    }
}

/// Reads Discord's multipart message: `payload_json` (or `content`) and `files[n]` parts.
async fn read_multipart<T: DeserializeOwned + Default + HasContent>(
    state: &AppState,
    request: Request,
) -> Result<(T, Vec<(String, Vec<u8>)>), ApiError> {
    let mut multipart = Multipart::from_request(request, state)
        .await
        .map_err(|e| ApiError::invalid("_body", e.body_text()))?;
    let mut input = T::default();
    let mut files = Vec::new();
    let limit = state.settings.get().max_upload_bytes;
    // Discord answers a file over the limit with 413 / 40005, which the web client and libraries recognise.
    let too_large = || ApiError::TooLarge;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| ApiError::invalid("_body", e.body_text()))?
    {
        let name = field.name().unwrap_or("").to_owned();
        if name == "payload_json" {
            let bytes = field.bytes().await.map_err(|_| too_large())?;
            input = parse_json(&bytes)?;
        } else if name == "content" {
            input.set_content(field.text().await.map_err(|_| too_large())?);
        } else if name.starts_with("files[") || name == "file" || name.starts_with("file") {
            let filename = uploads::clean_filename(field.file_name().unwrap_or("file"));
            let bytes = field.bytes().await.map_err(|_| too_large())?;
            if bytes.len() > limit {
                return Err(too_large());
            }
            files.push((filename, bytes.to_vec()));
        }
        if files.len() > 10 {
            return Err(ApiError::invalid("files", "Must be 10 or fewer in length."));
        }
    }
    Ok((input, files))
}

/// `PATCH /channels/{id}/messages/{id}`: JSON, or multipart with `payload_json` and new `files[n]`; the
/// payload's `attachments` lists the attachments to keep.
pub async fn edit(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((channel_id, message_id)): ApiPath<(Snowflake, Snowflake)>,
    request: Request,
) -> Result<Response, ApiError> {
    let (mut input, files) = read_body::<EditInput>(&state, request).await?;
    let uploads = uploads::Uploads::new(&state.config.server.data_dir);
    let stored = save_files(&state, &uploads, &files).await?;
    let ids: Vec<Snowflake> = stored.iter().map(|a| a.id).collect();
    input.files = stored;
    match state.chat.edit(&auth.user, channel_id, message_id, input).await {
        Ok((message, guild_id, removed)) => {
            uploads.remove(&removed).await;
            Ok(json(wire::message(&message, guild_id, None, state.chat.urls())))
        }
        Err(error) => {
            uploads.remove(&ids).await;
            Err(error.into())
        }
    }
}

/// `DELETE /channels/{id}/messages/{id}`.
pub async fn delete(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((channel_id, message_id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    let files = state.chat.delete(&auth.user, channel_id, message_id).await?;
    uploads::Uploads::new(&state.config.server.data_dir)
        .remove(&files)
        .await;
    Ok(no_content())
}

/// The body of "bulk delete".
#[derive(Deserialize)]
pub struct BulkInput {
    #[serde(deserialize_with = "crate::chat::ids::deserialize_vec")]
    messages: Vec<Snowflake>,
}

/// `POST /channels/{id}/messages/bulk-delete`.
pub async fn bulk_delete(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
    ApiJson(input): ApiJson<BulkInput>,
) -> Result<Response, ApiError> {
    let files = state.chat.bulk_delete(&auth.user, channel_id, input.messages).await?;
    uploads::Uploads::new(&state.config.server.data_dir)
        .remove(&files)
        .await;
    Ok(no_content())
}

/// `POST /channels/{id}/messages/{id}/ack`: marks the channel read up to the message (Discord's client API).
pub async fn ack(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((channel_id, message_id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    state.chat.ack(&auth.user, channel_id, message_id).await?;
    Ok(json(json!({"token": null})))
}

/// `GET /users/@me/read-states`: per channel, the last message read, mentions since, and whether it is unread.
pub async fn read_states(State(state): State<AppState>, auth: Authenticated) -> Result<Response, ApiError> {
    let states = state.store.read_states(auth.user.id).await?;
    let visible = match state.store.guild_home().await? {
        Some(guild) => state.chat.visible_channels(&auth.user, guild.id).await?,
        None => Vec::new(),
    };
    let entries: Vec<wire::ReadStateEntry> = states
        .iter()
        .filter(|r| visible.contains(&r.channel_id))
        .map(|r| wire::ReadStateEntry {
            id: wire::Id(r.channel_id),
            last_message_id: wire::Id(r.last_message_id),
            mention_count: r.mention_count,
            unread: Some(r.unread),
        })
        .collect();
    Ok(json(entries))
}

/// `PUT /channels/{id}/messages/pins/{id}` (and the older `/pins/{id}`).
pub async fn pin(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((channel_id, message_id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    state.chat.set_pinned(&auth.user, channel_id, message_id, true).await?;
    Ok(no_content())
}

/// `DELETE /channels/{id}/messages/pins/{id}`.
pub async fn unpin(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath((channel_id, message_id)): ApiPath<(Snowflake, Snowflake)>,
) -> Result<Response, ApiError> {
    state.chat.set_pinned(&auth.user, channel_id, message_id, false).await?;
    Ok(no_content())
}

/// `GET /channels/{id}/messages/pins`: `{items: [{pinned_at, message}], has_more}`.
pub async fn pins(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    let (pins, guild_id) = state.chat.pins(&auth.user, channel_id).await?;
    Ok(json(wire::Pins {
        items: pins
            .iter()
            .map(|(m, at)| wire::PinnedMessage {
                pinned_at: iso8601(*at),
                message: wire::Message::new(m, guild_id, None, state.chat.urls()),
            })
            .collect(),
        has_more: false,
    }))
}

/// `GET /channels/{id}/pins`: the older shape, an array of messages.
pub async fn pins_legacy(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiPath(channel_id): ApiPath<Snowflake>,
) -> Result<Response, ApiError> {
    let (pins, guild_id) = state.chat.pins(&auth.user, channel_id).await?;
    let messages: Vec<Message> = pins.into_iter().map(|(m, _)| m).collect();
    Ok(json(render(&messages, guild_id, state.chat.urls())))
}
