//! Users, guild members and roles.

use serde::Serialize;
use ts_rs::TS;

use super::Id;
use crate::clock::iso8601;
use crate::store;

/// A user object. Every field Discord always sends is here, `null` where spot has no value.
#[derive(Debug, Clone, Serialize, TS)]
pub struct User {
    /// Snowflake.
    pub id: Id,
    /// Unique name.
    pub username: String,
    /// Display name.
    pub global_name: Option<String>,
    /// Always `"0"` (the pomelo scheme).
    pub discriminator: &'static str,
    /// Avatar hash.
    pub avatar: Option<String>,
    /// A bot account.
    pub bot: bool,
    /// Never a system user.
    pub system: bool,
    /// Public badges (none).
    pub public_flags: i32,
    /// Flags (none).
    pub flags: i32,
    /// Banner hash (none).
    #[ts(type = "null")]
    pub banner: Option<()>,
    /// Banner colour (none).
    #[ts(type = "null")]
    pub accent_color: Option<()>,
    /// Avatar decoration (none).
    #[ts(type = "null")]
    pub avatar_decoration_data: Option<()>,
    /// The guild whose tag they wear (none).
    #[ts(type = "null")]
    pub primary_guild: Option<()>,
    /// spot's own: someone whose messages came from a Discord export (they never log in).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub imported: Option<bool>,
}

impl From<&store::User> for User {
    fn from(user: &store::User) -> Self {
        Self {
            id: Id(user.id),
            username: user.username.clone(),
            global_name: user.global_name.clone(),
            discriminator: "0",
            avatar: user.avatar.clone(),
            bot: user.is_bot,
            system: false,
            public_flags: 0,
            flags: 0,
            banner: None,
            accent_color: None,
            avatar_decoration_data: None,
            primary_guild: None,
            imported: user.imported.then_some(true),
        }
    }
}

/// The current user (`/users/@me`, READY): a user with its account settings.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CurrentUser {
    /// The user.
    #[serde(flatten)]
    #[ts(flatten)]
    pub user: User,
    /// No second factor.
    pub mfa_enabled: bool,
    /// Always verified.
    pub verified: bool,
    /// The locale.
    pub locale: &'static str,
    /// No subscription.
    pub premium_type: i32,
    /// spot keeps no e-mail addresses.
    #[ts(type = "null")]
    pub email: Option<()>,
}

impl From<&store::User> for CurrentUser {
    fn from(me: &store::User) -> Self {
        Self {
            user: User::from(me),
            mfa_enabled: false,
            verified: true,
            locale: "en-US",
            premium_type: 0,
            email: None,
        }
    }
}

/// A guild member object.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Member {
    /// The user.
    pub user: User,
    /// The membership.
    #[serde(flatten)]
    #[ts(flatten)]
    pub info: MemberInfo,
}

/// A membership without its user, as a message's `member` carries it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MemberInfo {
    /// Nickname in the guild.
    pub nick: Option<String>,
    /// Guild avatar (none).
    #[ts(type = "null")]
    pub avatar: Option<()>,
    /// Guild banner (none).
    #[ts(type = "null")]
    pub banner: Option<()>,
    /// Role ids.
    pub roles: Vec<Id>,
    /// When they joined (ISO 8601).
    pub joined_at: String,
    /// Boosting (never).
    #[ts(type = "null")]
    pub premium_since: Option<()>,
    /// Server-deafened.
    pub deaf: bool,
    /// Server-muted.
    pub mute: bool,
    /// Member flags.
    pub flags: i32,
    /// Membership screening (never pending).
    pub pending: bool,
    /// Timeout (none).
    #[ts(type = "null")]
    pub communication_disabled_until: Option<()>,
}

impl From<&store::Member> for Member {
    fn from(member: &store::Member) -> Self {
        Self {
            user: User::from(&member.user),
            info: MemberInfo::from(member),
        }
    }
}

impl From<&store::Member> for MemberInfo {
    fn from(member: &store::Member) -> Self {
        Self {
            nick: member.nick.clone(),
            avatar: None,
            banner: None,
            roles: member.roles.iter().copied().map(Id).collect(),
            joined_at: iso8601(member.joined_at),
            premium_since: None,
            deaf: false,
            mute: false,
            flags: 0,
            pending: false,
            communication_disabled_until: None,
        }
    }
}

/// A role's colours (Discord's gradient roles; spot has one colour).
#[derive(Debug, Clone, Serialize, TS)]
pub struct RoleColors {
    /// The colour.
    pub primary_color: i64,
    /// Second gradient stop (none).
    #[ts(type = "null")]
    pub secondary_color: Option<()>,
    /// Third gradient stop (none).
    #[ts(type = "null")]
    pub tertiary_color: Option<()>,
}

/// A role object.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Role {
    /// Snowflake (the guild's id for `@everyone`).
    pub id: Id,
    /// Name.
    pub name: String,
    /// Colour as an integer (0 = none).
    pub color: i64,
    /// Colours.
    pub colors: RoleColors,
    /// Shown separately in the member list.
    pub hoist: bool,
    /// Icon (none).
    #[ts(type = "null")]
    pub icon: Option<()>,
    /// Emoji icon (none).
    #[ts(type = "null")]
    pub unicode_emoji: Option<()>,
    /// Sort order.
    pub position: i64,
    /// Permission bits as a decimal string.
    pub permissions: String,
    /// Managed by an integration (never).
    pub managed: bool,
    /// May be mentioned by anyone.
    pub mentionable: bool,
    /// Role flags.
    pub flags: i32,
}

impl From<&store::Role> for Role {
    fn from(role: &store::Role) -> Self {
        Self {
            id: Id(role.id),
            name: role.name.clone(),
            color: role.color,
            colors: RoleColors {
                primary_color: role.color,
                secondary_color: None,
                tertiary_color: None,
            },
            hoist: role.hoist,
            icon: None,
            unicode_emoji: None,
            position: role.position,
            permissions: role.permissions.to_string(),
            managed: false,
            mentionable: role.mentionable,
            flags: 0,
        }
    }
}
