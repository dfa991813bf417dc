//! The application object (`GET /applications/@me`, `/oauth2/applications/@me`): each bot is its own
//! application, with the bot's id.

use serde::Serialize;
use ts_rs::TS;

use super::{Id, User};

/// A bot's application, as its owner sees it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Application {
    /// The application id (the bot's user id).
    pub id: Id,
    /// Its name (the bot's username).
    pub name: String,
    /// Icon hash: the bot's avatar (`/avatars/{id}/{hash}.png`).
    pub icon: Option<String>,
    /// Description (`PATCH /applications/@me`).
    pub description: String,
    /// Application type (none, as for ordinary bots).
    #[serde(rename = "type")]
    #[ts(type = "null")]
    pub kind: Option<()>,
    /// Whether anyone may add the bot (no: the admin does).
    pub bot_public: bool,
    /// Whether adding it needs an OAuth2 code grant (no).
    pub bot_require_code_grant: bool,
    /// Who owns it: the space's owner.
    pub owner: User,
    /// Interactions' signing key (none yet).
    pub verify_key: String,
    /// Application flags: the privileged intents it may use.
    #[ts(type = "number")]
    pub flags: u64,
    /// The same flags as a string, as Discord also sends them.
    pub flags_new: String,
    /// The team (none).
    #[ts(type = "null")]
    pub team: Option<()>,
    /// Where interactions are posted (none: they come over the gateway).
    #[ts(type = "null")]
    pub interactions_endpoint_url: Option<()>,
    /// Role-connection verification (none).
    #[ts(type = "null")]
    pub role_connections_verification_url: Option<()>,
    /// OAuth2 redirect URIs (none).
    pub redirect_uris: Vec<String>,
    /// RPC origins (none).
    pub rpc_origins: Vec<String>,
    /// Guilds it is in (the one space).
    pub approximate_guild_count: i32,
    /// User installs (none).
    pub approximate_user_install_count: i32,
    /// User authorizations (none).
    pub approximate_user_authorization_count: i32,
    /// Explicit-content filter (off).
    pub explicit_content_filter: i32,
    /// OAuth2 scopes it may be installed with.
    pub eligible_oauth2_scopes: Vec<&'static str>,
    /// The bot user.
    pub bot: User,
}
