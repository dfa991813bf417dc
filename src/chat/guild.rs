//! The guild as one member sees it: what `GET /guilds/{id}` and the gateway's GUILD_CREATE carry.

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
    /// Custom emoji.
    pub emojis: Vec<crate::store::Emoji>,
    /// Stickers.
    pub stickers: Vec<crate::store::Sticker>,
    /// Soundboard sounds.
    pub sounds: Vec<crate::store::Sound>,
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
        let emojis = self.store.emojis(guild.id).await?;
        let stickers = self.store.stickers(guild.id).await?;
        let sounds = self.store.sounds(guild.id).await?;
        Ok(GuildView {
            emojis,
            stickers,
            sounds,
            guild,
            roles,
            members,
            threads,
            me,
        })
    }
}

impl GuildView {
    /// The GUILD_CREATE payload: the guild object plus channels, threads, members, and who is online and in
    /// voice (the gateway knows those).
    pub fn guild_create(
        &self,
        presences: Vec<wire::Presence>,
        voice_states: Vec<wire::VoiceState>,
    ) -> wire::GuildCreate {
        wire::GuildCreate {
            guild: wire::Guild::with_expressions(&self.guild, &self.roles, &self.emojis, &self.stickers),
            channels: self.guild.channels.iter().map(wire::Channel::from).collect(),
            threads: self.threads.iter().map(wire::Channel::from).collect(),
            members: self.members.iter().map(wire::Member::from).collect(),
            member_count: self.members.len(),
            large: false,
            unavailable: false,
            joined_at: iso8601(self.me.joined_at),
            voice_states,
            presences,
            stage_instances: Vec::new(),
            guild_scheduled_events: Vec::new(),
            soundboard_sounds: self
                .sounds
                .iter()
                .map(|s| wire::SoundboardSound::new(s, None))
                .collect(),
        }
    }
}
