//! Admin page for bringing history in (`/admin/import`): upload a DiscordChatExporter export (a .zip, or one
//! .json), watch the import run in the background (the page refreshes itself), read its report; then give each
//! imported person's history to an account, or make an invite link that does it when they sign up.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{Frame, Notice, Staff, broken, page};
use crate::app::AppState;
use crate::import::Importer;
use crate::store::{ImportedPerson, Snowflake, User};

/// Largest export taken through the page.
const MAX_EXPORT_BYTES: u64 = 2 * 1024 * 1024 * 1024;

#[derive(Template)]
#[template(path = "admin/import.html")]
struct ImportPage {
    frame: Frame,
    running: bool,
    status: Option<Status>,
    people: Vec<(ImportedPerson, String)>,
    accounts: Vec<User>,
    invite: Option<(String, String)>,
}

/// The current or last import, in words.
struct Status {
    name: String,
    percent: u32,
    channel: String,
    files: String,
    messages: u64,
    rate: u64,
    outcome: Option<Result<String, String>>,
}

/// `?invite=CODE&for=TAG` after making an invite for someone.
#[derive(Debug, Default, Deserialize)]
pub struct Shown {
    invite: Option<String>,
    #[serde(rename = "for")]
    person: Option<String>,
}

/// `GET /admin/import`.
pub async fn import_page(State(state): State<AppState>, staff: Staff, Query(shown): Query<Shown>) -> Response {
    let frame = Frame::new(&state, &staff, "import", &Notice::default());
    show(&state, frame, shown).await
}

async fn show(state: &AppState, frame: Frame, shown: Shown) -> Response {
    let job = state.imports.snapshot();
    let status = job.map(|job| Status {
        percent: job.percent(),
        channel: job.channel.clone(),
        files: format!("{} of {}", job.files.0.min(job.files.1), job.files.1),
        messages: job.messages,
        rate: job.rate() as u64,
        outcome: job.outcome.clone().map(|o| o.map(|report| report.summary(false))),
        name: job.name,
    });
    let people = match state.store.imported_people().await {
        Ok(people) => people,
        Err(e) => return broken(&crate::admin::AdminError::Invalid(e.to_string())),
    };
    let mut rows = Vec::new();
    for person in people {
        let claimed = match person.claimed_by {
            Some(id) => state
                .store
                .user_by_id(id)
                .await
                .ok()
                .flatten()
                .map(|u| u.username)
                .unwrap_or_default(),
            None => String::new(),
        };
        rows.push((person, claimed));
    }
    let accounts = state
        .store
        .users_list()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|u| !u.is_bot && !u.imported && !u.disabled)
        .collect();
    let invite = shown
        .invite
        .zip(shown.person)
        .map(|(code, person)| (format!("{}/invite/{code}", state.chat.urls().base()), person));
    let failed = frame.error.is_some();
    page(
        &ImportPage {
            frame,
            running: state.imports.running(),
            status,
            people: rows,
            accounts,
            invite,
        },
        failed,
    )
}

/// `POST /admin/import` (multipart: `export`, a .zip or .json): saved under `<data_dir>/imports/`, imported in
/// the background.
pub async fn upload(State(state): State<AppState>, staff: Staff, mut multipart: Multipart) -> Response {
    let fail = |why: String| async {
        let frame =
            Frame::new(&state, &staff, "import", &Notice::default()).failed(&crate::admin::AdminError::Invalid(why));
        show(&state, frame, Shown::default()).await
    };
    if state.imports.running() {
        return fail("an import is running already; wait for it to end".into()).await;
    }
    let dir = state.config.server.data_dir.join("imports");
    if let Err(e) = tokio::fs::create_dir_all(&dir).await {
        return fail(format!("cannot make {}: {e}", dir.display())).await;
    }
    let mut saved = None;
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return fail(e.body_text()).await,
        };
        if field.name() != Some("export") {
            continue;
        }
        let name = crate::uploads::clean_filename(field.file_name().unwrap_or("export.json"));
        let lower = name.to_ascii_lowercase();
        if !lower.ends_with(".zip") && !lower.ends_with(".json") {
            return fail("choose a DiscordChatExporter export: a .zip of its folder, or one .json file".into()).await;
        }
        let path = dir.join(format!("{}-{name}", state.store.next_id()));
        let mut file = match tokio::fs::File::create(&path).await {
            Ok(file) => file,
            Err(e) => return fail(e.to_string()).await,
        };
        let mut written = 0u64;
        loop {
            match field.chunk().await {
                Ok(Some(chunk)) => {
                    written += chunk.len() as u64;
                    if written > MAX_EXPORT_BYTES {
                        let _ = tokio::fs::remove_file(&path).await;
                        return fail(
                            "the export is larger than 2 GB: import it with `spot import discord` on the server".into(),
                        )
                        .await;
                    }
                    if let Err(e) = tokio::io::AsyncWriteExt::write_all(&mut file, &chunk).await {
                        let _ = tokio::fs::remove_file(&path).await;
                        return fail(e.to_string()).await;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    let _ = tokio::fs::remove_file(&path).await;
                    return fail(e.body_text()).await;
                }
            }
        }
        saved = Some((path, name));
    }
    let Some((path, name)) = saved else {
        return fail("choose an export file".into()).await;
    };
    let importer = Importer {
        store: state.store.clone(),
        data_dir: state.config.server.data_dir.clone(),
        runtime: tokio::runtime::Handle::current(),
    };
    let entry = (
        Some(staff.user.id),
        "import.discord".to_owned(),
        name.clone(),
        "started".to_owned(),
    );
    let _ = state.store.audit_record(entry).await;
    if !state.imports.start(importer, path, name) {
        return fail("an import is running already; wait for it to end".into()).await;
    }
    Redirect::to("/admin/import").into_response()
}

/// The claim form.
#[derive(Debug, Deserialize)]
pub struct ClaimForm {
    account: Snowflake,
}

/// `POST /admin/import/people/{id}/claim`: the person's history becomes the account's.
pub async fn claim(
    State(state): State<AppState>,
    staff: Staff,
    Path(person): Path<Snowflake>,
    Form(form): Form<ClaimForm>,
) -> Response {
    let account = state.store.user_by_id(form.account).await.ok().flatten();
    let result = match account {
        Some(account) if !account.is_bot && !account.imported => state
            .store
            .import_claim(person, account.id)
            .await
            .map(|moved| (account.username, moved))
            .map_err(|e| e.to_string()),
        _ => Err("choose a person's account".to_owned()),
    };
    match result {
        Ok((username, moved)) => {
            let entry = (
                Some(staff.user.id),
                "import.claim".to_owned(),
                person.to_string(),
                format!("→ {username} ({moved} messages)"),
            );
            let _ = state.store.audit_record(entry).await;
            Redirect::to("/admin/import").into_response()
        }
        Err(why) => {
            let frame = Frame::new(&state, &staff, "import", &Notice::default())
                .failed(&crate::admin::AdminError::Invalid(why));
            show(&state, frame, Shown::default()).await
        }
    }
}

/// `POST /admin/import/people/{id}/invite`: a single-use invite whose sign-up takes the person's history.
pub async fn invite(State(state): State<AppState>, staff: Staff, Path(person): Path<Snowflake>) -> Response {
    let people = state.store.imported_people().await.unwrap_or_default();
    let Some(found) = people
        .into_iter()
        .find(|p| p.user_id == person && p.claimed_by.is_none())
    else {
        let frame = Frame::new(&state, &staff, "import", &Notice::default())
            .failed(&crate::admin::AdminError::Invalid("no such unclaimed person".into()));
        return show(&state, frame, Shown::default()).await;
    };
    let made = async {
        let invite = state
            .accounts
            .create_invite(Some(staff.user.id), 1, None)
            .await
            .map_err(|e| e.to_string())?;
        state
            .store
            .invite_set_claim(invite.code.clone(), person)
            .await
            .map_err(|e| e.to_string())?;
        Ok::<_, String>(invite.code)
    };
    match made.await {
        Ok(code) => Redirect::to(&format!(
            "/admin/import?invite={code}&for={}",
            crate::wire::urlencode(&found.tag)
        ))
        .into_response(),
        Err(why) => {
            let frame = Frame::new(&state, &staff, "import", &Notice::default())
                .failed(&crate::admin::AdminError::Invalid(why));
            show(&state, frame, Shown::default()).await
        }
    }
}
