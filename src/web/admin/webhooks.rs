//! Admin page for webhooks (`/admin/webhooks`): every webhook of the space, a form to make one for a channel
//! (its URL is shown once, in the page that answers the POST, never in a URL), and deleting one.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::{Frame, Notice, Staff, broken, page};
use crate::app::AppState;
use crate::store::Snowflake;

#[derive(Template)]
#[template(path = "admin/webhooks.html")]
struct WebhooksPage {
    frame: Frame,
    new_url: Option<(String, String)>,
    hooks: Vec<HookRow>,
    channels: Vec<(Snowflake, String)>,
}

struct HookRow {
    id: Snowflake,
    name: String,
    channel: String,
    creator: String,
}

/// `GET /admin/webhooks`.
pub async fn webhooks(State(state): State<AppState>, staff: Staff, Query(notice): Query<Notice>) -> Response {
    let frame = Frame::new(&state, &staff, "webhooks", &notice);
    show(&state, &staff, frame, None).await
}

async fn show(state: &AppState, staff: &Staff, frame: Frame, new_url: Option<(String, String)>) -> Response {
    let hooks = match state.admin.webhooks(&staff.user).await {
        Ok(hooks) => hooks,
        Err(e) => return broken(&e),
    };
    let Ok(Some(home)) = state.store.guild_home().await else {
        return broken(&crate::admin::AdminError::Invalid("no home space".into()));
    };
    let all = state.store.channels_of_guild(home.id).await.unwrap_or_default();
    let channels: Vec<(Snowflake, String)> = all
        .iter()
        .filter(|c| c.kind.is_textual() && !c.kind.is_thread())
        .map(|c| (c.id, c.name.clone()))
        .collect();
    let mut rows = Vec::new();
    for hook in &hooks {
        let creator = match hook.creator_id {
            Some(id) => state.store.user_by_id(id).await.ok().flatten().map(|u| u.username),
            None => None,
        };
        rows.push(HookRow {
            id: hook.id,
            name: hook.name.clone(),
            channel: all
                .iter()
                .find(|c| c.id == hook.channel_id)
                .map(|c| c.name.clone())
                .unwrap_or_default(),
            creator: creator.unwrap_or_else(|| "—".to_owned()),
        });
    }
    let failed = frame.error.is_some();
    page(
        &WebhooksPage {
            frame,
            new_url,
            hooks: rows,
            channels,
        },
        failed,
    )
}

/// The "make a webhook" form.
#[derive(Debug, Deserialize)]
pub struct NewWebhookForm {
    name: String,
    channel: Snowflake,
}

/// `POST /admin/webhooks`: makes the webhook and shows its URL once.
pub async fn create(State(state): State<AppState>, staff: Staff, Form(form): Form<NewWebhookForm>) -> Response {
    let frame = Frame::new(&state, &staff, "webhooks", &Notice::default());
    match state.admin.create_webhook(&staff.user, form.channel, &form.name).await {
        Ok((hook, token)) => {
            let url = format!("{}/api/webhooks/{}/{token}", state.chat.urls().base(), hook.id);
            show(&state, &staff, frame, Some((hook.name, url))).await
        }
        Err(e) => show(&state, &staff, frame.failed(&e), None).await,
    }
}

/// `POST /admin/webhooks/{id}/delete`.
pub async fn delete(State(state): State<AppState>, staff: Staff, Path(id): Path<Snowflake>) -> Response {
    let frame = Frame::new(&state, &staff, "webhooks", &Notice::default());
    match state.admin.delete_webhook(&staff.user, id).await {
        Ok(()) => show(&state, &staff, frame, None).await,
        Err(e) => show(&state, &staff, frame.failed(&e), None).await,
    }
}
