//! Admin page for bots (`/admin/bots`): create one, give one a new token. A token is shown once, in the page
//! that answers the POST, and never in a URL.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::{Frame, Notice, Staff, broken, page, short_time};
use crate::app::AppState;
use crate::store::Snowflake;

#[derive(Template)]
#[template(path = "admin/bots.html")]
struct BotsPage {
    frame: Frame,
    new_token: Option<(String, String)>,
    bots: Vec<BotRow>,
}

struct BotRow {
    id: Snowflake,
    name: String,
    disabled: bool,
    created: String,
}

/// `GET /admin/bots`.
pub async fn bots(State(state): State<AppState>, staff: Staff, Query(notice): Query<Notice>) -> Response {
    let frame = Frame::new(&state, &staff, "bots", &notice);
    show(&state, &staff, frame, None).await
}

async fn show(state: &AppState, staff: &Staff, frame: Frame, new_token: Option<(String, String)>) -> Response {
    let users = match state.admin.users(&staff.user).await {
        Ok(users) => users,
        Err(e) => return broken(&e),
    };
    let bots = users
        .into_iter()
        .filter(|u| u.is_bot)
        .map(|u| BotRow {
            id: u.id,
            name: u.username,
            disabled: u.disabled,
            created: short_time(u.created_at),
        })
        .collect();
    let failed = frame.error.is_some();
    page(&BotsPage { frame, new_token, bots }, failed)
}

/// The "create a bot" form.
#[derive(Debug, Deserialize)]
pub struct NewBotForm {
    name: String,
}

/// `POST /admin/bots`: creates the bot and shows its token once.
pub async fn create(State(state): State<AppState>, staff: Staff, Form(form): Form<NewBotForm>) -> Response {
    let frame = Frame::new(&state, &staff, "bots", &Notice::default());
    match state.admin.create_bot(&staff.user, &form.name).await {
        Ok((bot, token)) => show(&state, &staff, frame, Some((bot.username, token))).await,
        Err(e) => show(&state, &staff, frame.failed(&e), None).await,
    }
}

/// `POST /admin/bots/{id}/rotate`: replaces the token and shows the new one once.
pub async fn rotate(State(state): State<AppState>, staff: Staff, Path(id): Path<Snowflake>) -> Response {
    let frame = Frame::new(&state, &staff, "bots", &Notice::default());
    match state.admin.rotate_bot(&staff.user, id).await {
        Ok((bot, token)) => show(&state, &staff, frame, Some((bot.username, token))).await,
        Err(e) => show(&state, &staff, frame.failed(&e), None).await,
    }
}
