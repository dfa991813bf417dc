//! The webhook object (`/channels/{id}/webhooks`, `/webhooks/{id}`).

use serde::Serialize;
use ts_rs::TS;

use super::{Id, User};
use crate::store;

/// A webhook as Discord sends it. `token` and `url` only at creation: spot keeps just the token's hash.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Webhook {
    /// Snowflake.
    pub id: Id,
    /// 1: an incoming webhook.
    #[serde(rename = "type")]
    pub kind: i64,
    /// The space.
    pub guild_id: Option<Id>,
    /// Where it posts.
    pub channel_id: Option<Id>,
    /// Who made it (shown to those who may manage it).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub user: Option<User>,
    /// Its name.
    pub name: Option<String>,
    /// Avatar hash (`/avatars/{id}/{hash}.png`).
    pub avatar: Option<String>,
    /// Not an application's.
    pub application_id: Option<Id>,
    /// The secret token, once.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub token: Option<String>,
    /// Where to post, once (`{base}/api/webhooks/{id}/{token}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub url: Option<String>,
}

impl Webhook {
    /// A webhook; `creator` for those who manage it, `token` and `base` (the public URL) right after creation.
    pub fn new(hook: &store::Webhook, creator: Option<&store::User>, token: Option<&str>, base: &str) -> Self {
        Self {
            id: Id(hook.id),
            kind: 1,
            guild_id: Some(Id(hook.guild_id)),
            channel_id: Some(Id(hook.channel_id)),
            user: creator.map(User::from),
            name: Some(hook.name.clone()),
            avatar: hook.avatar.clone(),
            application_id: None,
            token: token.map(str::to_owned),
            url: token.map(|t| format!("{}/api/webhooks/{}/{t}", base.trim_end_matches('/'), hook.id)),
        }
    }
}
