//! Server mute, deafen, move and disconnect (the voice fields of "modify guild member"), checked against
//! MUTE_MEMBERS, DEAFEN_MEMBERS and MOVE_MEMBERS in the member's current channel. Server mute and deafen are
//! remembered (in memory) after the member leaves, so rejoining does not lift them.

use super::rules::Moderation;
use super::sfu::protocol::RemoveReason;
use super::{Voice, VoiceError, lock};
use crate::hub::{Audience, Event};
use crate::perms::{self, bits};
use crate::store::{Snowflake, User};

impl Voice {
    /// The actor's permissions where the target is (their voice channel, else the guild).
    async fn moderator_perms(
        &self,
        actor: &User,
        guild_id: Snowflake,
        channel: Option<Snowflake>,
    ) -> Result<u64, VoiceError> {
        if let Some(channel) = channel {
            return Ok(self.inner.chat.access(actor, channel).await?.perms);
        }
        let ctx = self
            .inner
            .store
            .guild_permission_context(guild_id, actor.id)
            .await
            .map_err(crate::chat::ChatError::from)?
            .ok_or(crate::chat::ChatError::UnknownGuild)?;
        Ok(perms::guild_level(&ctx))
    }

    /// Applies the voice fields of "modify guild member" by `actor` to `target_id`. `gateway_url` is used for
    /// the VOICE_SERVER_UPDATE a moved member receives.
    pub async fn moderate(
        &self,
        actor: &User,
        guild_id: Snowflake,
        target_id: Snowflake,
        request: Moderation,
        gateway_url: &str,
    ) -> Result<(), VoiceError> {
        if request.is_empty() {
            return Ok(());
        }
        // A DM call is not the space's to moderate: only someone in a voice room of the space counts.
        let current = self.state_of(target_id).filter(|s| s.guild_id.is_some());
        if matches!(request.channel_id, Some(Some(_))) && current.is_none() {
            return Err(VoiceError::NotConnected);
        }
        let perms = self
            .moderator_perms(actor, guild_id, current.as_ref().map(|s| s.channel_id))
            .await?;
        let needed = [
            (request.mute.is_some(), bits::MUTE_MEMBERS),
            (request.deaf.is_some(), bits::DEAFEN_MEMBERS),
            (request.channel_id.is_some(), bits::MOVE_MEMBERS),
        ];
        if needed.iter().any(|(asked, bit)| *asked && !perms::has(perms, *bit)) {
            return Err(VoiceError::MissingPermissions);
        }
        if request.mute.is_some() || request.deaf.is_some() {
            self.set_server_flags(target_id, request.mute, request.deaf);
        }
        match request.channel_id {
            None => Ok(()),
            Some(None) => {
                self.leave(target_id, None, Some(RemoveReason::Disconnected));
                Ok(())
            }
            Some(Some(destination)) => self.move_member(actor, target_id, destination, gateway_url).await,
        }
    }

    /// Records server mute/deafen and applies them to the member's state and media.
    fn set_server_flags(&self, target_id: Snowflake, mute: Option<bool>, deaf: Option<bool>) {
        let (mute, deaf) = {
            let mut moderation = lock(&self.inner.moderation);
            let entry = moderation.entry(target_id).or_default();
            entry.0 = mute.unwrap_or(entry.0);
            entry.1 = deaf.unwrap_or(entry.1);
            let flags = *entry;
            if flags == (false, false) {
                moderation.remove(&target_id);
            }
            flags
        };
        let self_deaf = {
            let mut table = lock(&self.inner.table);
            let Some(mut state) = table.get(target_id).cloned() else {
                return;
            };
            state.mute = mute;
            state.deaf = deaf;
            table.put(state.clone());
            self.publish_state(&state);
            state.self_deaf
        };
        if let Some(sfu) = self.sfu() {
            sfu.moderate(target_id, mute, deaf || self_deaf);
        }
    }

    /// Moves a member to another voice channel: the mover needs MOVE_MEMBERS there too, the member CONNECT.
    async fn move_member(
        &self,
        actor: &User,
        target_id: Snowflake,
        destination: Snowflake,
        gateway_url: &str,
    ) -> Result<(), VoiceError> {
        let mover = self.inner.chat.access(actor, destination).await?;
        if !perms::has(mover.perms, bits::MOVE_MEMBERS) {
            return Err(VoiceError::MissingPermissions);
        }
        let Some(current) = self.state_of(target_id) else {
            return Err(VoiceError::NotConnected);
        };
        if current.guild_id.is_none() {
            // A DM call is not the space's to moderate.
            return Err(VoiceError::NotConnected);
        }
        let admission = self.admit(&current.user, destination).await?;
        if current.channel_id == destination {
            return Ok(());
        }
        {
            let mut table = lock(&self.inner.table);
            let Some(mut state) = table.get(target_id).cloned() else {
                return Err(VoiceError::NotConnected);
            };
            let max = self.inner.config.max_room_size;
            if max > 0 && table.occupancy(destination) >= max {
                return Err(VoiceError::RoomFull);
            }
            self.publish_left(&state);
            state.channel_id = destination;
            state.member = admission.member;
            state.audience = admission.audience;
            table.put(state.clone());
            self.publish_state(&state);
        }
        if let Some(sfu) = self.sfu() {
            sfu.remove_user(target_id, RemoveReason::Moved);
        }
        let name = current.display_name();
        let update = self.server_update(
            target_id,
            &name,
            current.guild_id,
            destination,
            admission.grants,
            gateway_url,
        )?;
        self.inner
            .hub
            .publish(Event::new("VOICE_SERVER_UPDATE", &update, Audience::User(target_id), 0));
        Ok(())
    }
}
