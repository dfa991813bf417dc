//! Admin actions on people: user accounts (create, disable, enable, reset password, promote, demote), invites
//! (create, revoke) and bots (create, rotate token).

use serde_json::json;

use super::{Admin, AdminError, Registration};
use crate::hub::{Audience, Event, intents};
use crate::store::{Invite, Snowflake, StoreError, User};
use crate::wire;

impl Admin {
    /// Every account, people and bots.
    pub async fn users(&self, actor: &User) -> Result<Vec<User>, AdminError> {
        Self::require(actor)?;
        Ok(self.store.users_list().await?)
    }

    /// Every single sign-on identity linked to an account.
    pub async fn identities(&self, actor: &User) -> Result<Vec<crate::store::Identity>, AdminError> {
        Self::require(actor)?;
        Ok(self.store.identities_list().await?)
    }

    async fn target(&self, actor: &User, id: Snowflake) -> Result<User, AdminError> {
        Self::require(actor)?;
        if id == actor.id {
            return Err(AdminError::Invalid("you cannot do this to your own account".into()));
        }
        self.store
            .user_by_id(id)
            .await?
            .ok_or_else(|| AdminError::Invalid("no such user".into()))
    }

    /// Creates an account (a member of the home space).
    pub async fn create_user(
        &self,
        actor: &User,
        username: &str,
        password: &str,
        is_admin: bool,
    ) -> Result<User, AdminError> {
        Self::require(actor)?;
        let user = self.accounts.create_user(username, password, is_admin).await?;
        if let Some(guild) = self.store.guild_home().await?
            && let Some(member) = self.store.member_get(guild.id, user.id).await?
        {
            self.chat.member_joined(&member);
        }
        let role = if is_admin { "an admin" } else { "a member" };
        self.audit(actor, "user.create", &user.username, format!("as {role}"))
            .await;
        Ok(user)
    }

    /// Disables an account (its sessions end and its gateway connections close at once) or enables it again.
    pub async fn set_disabled(&self, actor: &User, id: Snowflake, disabled: bool) -> Result<(), AdminError> {
        let user = self.target(actor, id).await?;
        self.store.user_set_disabled(id, disabled).await?;
        if disabled {
            self.end_sessions(&user).await?;
        }
        let action = if disabled { "user.disable" } else { "user.enable" };
        self.audit(actor, action, &user.username, "").await;
        Ok(())
    }

    /// Gives or takes instance admin rights.
    pub async fn set_admin(&self, actor: &User, id: Snowflake, is_admin: bool) -> Result<(), AdminError> {
        let user = self.target(actor, id).await?;
        if user.is_bot {
            return Err(AdminError::Invalid("bots cannot be admins".into()));
        }
        self.store.user_set_admin(id, is_admin).await?;
        let action = if is_admin { "user.promote" } else { "user.demote" };
        self.audit(actor, action, &user.username, "").await;
        Ok(())
    }

    /// Sets a new password and ends the account's sessions.
    pub async fn reset_password(&self, actor: &User, id: Snowflake, password: &str) -> Result<(), AdminError> {
        let user = self.target(actor, id).await?;
        if user.is_bot {
            return Err(AdminError::Invalid("bots have tokens, not passwords".into()));
        }
        self.accounts.set_password(id, password).await?;
        self.end_sessions(&user).await?;
        self.audit(actor, "user.password", &user.username, "password reset; sessions ended")
            .await;
        Ok(())
    }

    /// Logs an account out everywhere and closes its gateway connections (others see it go offline).
    async fn end_sessions(&self, user: &User) -> Result<(), AdminError> {
        self.accounts.logout_everywhere(user.id).await?;
        if let Some(guild) = self.store.guild_home().await? {
            let data = json!({
                "user": {"id": wire::id(user.id)},
                "guild_id": wire::id(guild.id),
                "status": "offline",
                "activities": [],
                "client_status": {},
            });
            let mut event = Event::new(
                "PRESENCE_UPDATE",
                &data,
                Audience::Guild(guild.id),
                intents::GUILD_PRESENCES,
            );
            event.ends_sessions_of = Some(user.id);
            self.hub.publish(event);
        }
        Ok(())
    }

    /// Every invite, newest first.
    pub async fn invites(&self, actor: &User) -> Result<Vec<Invite>, AdminError> {
        Self::require(actor)?;
        Ok(self.store.invites_list().await?)
    }

    /// Creates an invite with `max_uses` (0: unlimited) that expires after `ttl` (default: `invite_ttl`).
    pub async fn create_invite(
        &self,
        actor: &User,
        max_uses: u32,
        ttl: Option<std::time::Duration>,
    ) -> Result<Invite, AdminError> {
        Self::require(actor)?;
        if self.settings.get().registration == Registration::Closed {
            return Err(AdminError::Invalid(
                "registration is closed; open it in the settings to use invites".into(),
            ));
        }
        let invite = self.accounts.create_invite(Some(actor.id), max_uses, ttl).await?;
        let uses = if max_uses == 0 {
            "unlimited uses".to_owned()
        } else {
            format!("{max_uses} use(s)")
        };
        self.audit(actor, "invite.create", &invite.code, uses).await;
        Ok(invite)
    }

    /// Revokes an invite.
    pub async fn revoke_invite(&self, actor: &User, code: &str) -> Result<(), AdminError> {
        Self::require(actor)?;
        match self.store.invite_revoke(code).await {
            Err(StoreError::NotFound) => return Err(AdminError::Invalid("no such invite".into())),
            other => other?,
        }
        self.audit(actor, "invite.revoke", code, "").await;
        Ok(())
    }

    /// Creates a bot with the default bot permissions; returns it and its token (shown once).
    pub async fn create_bot(&self, actor: &User, name: &str) -> Result<(User, String), AdminError> {
        Self::require(actor)?;
        let (bot, token) = self.accounts.create_bot(name, crate::perms::bits::DEFAULT_BOT).await?;
        self.audit(actor, "bot.create", &bot.username, "").await;
        Ok((bot, token))
    }

    /// Gives a bot a new token; the old one stops working at once.
    pub async fn rotate_bot(&self, actor: &User, id: Snowflake) -> Result<(User, String), AdminError> {
        let bot = self.target(actor, id).await?;
        if !bot.is_bot {
            return Err(AdminError::Invalid("not a bot".into()));
        }
        let token = self.accounts.rotate_bot_token(id).await?;
        self.end_sessions(&bot).await?;
        self.audit(actor, "bot.rotate", &bot.username, "token replaced").await;
        Ok((bot, token))
    }
}
