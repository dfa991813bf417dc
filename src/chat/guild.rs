//! The guild as one member sees it: what `GET /guilds/{id}` and the gateway's GUILD_CREATE carry.

use serde_json::{Value, json};

use super::{Chat, ChatError};
use crate::clock::iso8601;
use crate::store::{Guild, Member, Role, Snowflake, User};
use crate::wire;

/// Everything about the home space one member may see.
#[derive(Debug, Clone)]
pub struct GuildView {
    /// The guild with the channels the member can see.
    pub guild: Guild,
    /// All roles.
    pub roles: Vec<Role>,
    /// All members.
    pub members: Vec<Member>,
    /// Active threads the member can see.
    pub threads: Vec<crate::store::Channel>,
    /// The member's own membership.
    pub me: Member,
}

impl Chat {
    /// The home space as `actor` sees it; [`ChatError::UnknownGuild`] if they are not a member.
    pub async fn guild_view(&self, actor: &User, guild_id: Option<Snowflake>) -> Result<GuildView, ChatError> {
        let mut guild = self.store.guild_home().await?.ok_or(ChatError::UnknownGuild)?;
        if guild_id.is_some_and(|id| id != guild.id) {
            return Err(ChatError::UnknownGuild);
        }
        let me = self
            .store
            .member_get(guild.id, actor.id)
            .await?
            .ok_or(ChatError::UnknownGuild)?;
        let visible = self.visible_channels(actor, guild.id).await?;
        guild.channels.retain(|c| visible.contains(&c.id));
        let threads = self
            .store
            .active_threads(guild.id)
            .await?
            .into_iter()
            .filter(|t| visible.contains(&t.id))
            .collect();
        let roles = self.store.roles(guild.id).await?;
        let members = self.store.members_list(guild.id, 0, 1000).await?;
        Ok(GuildView {
            guild,
            roles,
            members,
            threads,
            me,
        })
    }
}

impl GuildView {
    /// The GUILD_CREATE payload: the guild object plus channels, threads, members and the rest.
    pub fn guild_create(&self) -> Value {
        let mut value = wire::guild(&self.guild, &self.roles);
        value["channels"] = self.guild.channels.iter().map(wire::channel).collect();
        value["threads"] = self.threads.iter().map(wire::channel).collect();
        value["members"] = self.members.iter().map(wire::member).collect();
        value["member_count"] = json!(self.members.len());
        value["large"] = json!(false);
        value["unavailable"] = json!(false);
        value["joined_at"] = json!(iso8601(self.me.joined_at));
        value["voice_states"] = json!([]);
        value["presences"] = json!([]);
        value["stage_instances"] = json!([]);
        value["guild_scheduled_events"] = json!([]);
        value["soundboard_sounds"] = json!([]);
        value
    }
}
