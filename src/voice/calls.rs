//! Calls in DMs and group DMs: the embedded SFU room keyed by the DM's id (LiveKit the same way). The first
//! person to join starts the call: a "started a call" message (Discord's type 3) goes into the DM and the
//! others are rung (`CALL_CREATE` with `ringing`); joining or declining (`POST /channels/{id}/call/stop-ringing`)
//! stops the ringing for that person (`CALL_UPDATE`); the last one leaving ends it (`CALL_DELETE`). Calls live in
//! memory, like voice rooms.

use std::collections::HashMap;

use super::state::{StateTable, VoiceState};
use super::{Voice, VoiceError, lock};
use crate::hub::{Audience, Event};
use crate::store::{Snowflake, User};
use crate::wire;

/// A call in progress.
#[derive(Debug, Clone)]
pub(super) struct Call {
    /// The "started a call" message (0 until it is stored).
    message_id: Snowflake,
    /// Who is being rung.
    ringing: Vec<Snowflake>,
    /// The people in the DM.
    audience: Audience,
}

/// Calls by DM channel id.
pub(super) type Calls = HashMap<Snowflake, Call>;

impl Voice {
    /// `user` joined the call of a DM (`state`): starts it if they are the first, else stops ringing them.
    pub(super) async fn joined_call(&self, user: &User, state: &VoiceState) {
        let Audience::Users(people) = &state.audience else {
            return;
        };
        let channel_id = state.channel_id;
        let starting = {
            let in_call: Vec<Snowflake> = lock(&self.inner.table).in_room(channel_id);
            let states = self.states(&[channel_id]);
            let mut calls = lock(&self.inner.calls);
            match calls.get_mut(&channel_id) {
                Some(call) => {
                    let before = call.ringing.len();
                    call.ringing.retain(|id| *id != user.id);
                    if call.ringing.len() != before && call.message_id != 0 {
                        self.publish_call("CALL_UPDATE", channel_id, call, states);
                    }
                    false
                }
                None => {
                    let ringing = people.iter().copied().filter(|id| !in_call.contains(id)).collect();
                    calls.insert(
                        channel_id,
                        Call {
                            message_id: 0,
                            ringing,
                            audience: state.audience.clone(),
                        },
                    );
                    true
                }
            }
        };
        if !starting {
            return;
        }
        let message_id = match self.inner.chat.call_started(user, channel_id).await {
            Ok(id) => id,
            Err(e) => {
                tracing::warn!(error = %e, "could not post the call message");
                0
            }
        };
        let states = self.states(&[channel_id]);
        let mut calls = lock(&self.inner.calls);
        if let Some(call) = calls.get_mut(&channel_id) {
            call.message_id = message_id;
            self.publish_call("CALL_CREATE", channel_id, call, states);
        }
    }

    /// After someone left `left`'s room: a DM call with nobody left in it ends.
    pub(super) fn end_call_if_empty(&self, table: &StateTable, left: &VoiceState) {
        if left.guild_id.is_some() || table.occupancy(left.channel_id) > 0 {
            return;
        }
        if let Some(call) = lock(&self.inner.calls).remove(&left.channel_id) {
            let data = wire::CallDelete {
                channel_id: wire::Id(left.channel_id),
            };
            self.inner
                .hub
                .publish(Event::new("CALL_DELETE", &data, call.audience, 0));
        }
    }

    /// `POST /channels/{id}/call/stop-ringing`: stops ringing `recipients` (default: the actor, declining).
    pub async fn stop_ringing(
        &self,
        actor: &User,
        channel_id: Snowflake,
        recipients: Option<Vec<Snowflake>>,
    ) -> Result<(), VoiceError> {
        self.inner.chat.access(actor, channel_id).await?;
        let stop = recipients.unwrap_or_else(|| vec![actor.id]);
        let states = self.states(&[channel_id]);
        let mut calls = lock(&self.inner.calls);
        let Some(call) = calls.get_mut(&channel_id) else {
            return Err(VoiceError::NotConnected);
        };
        let before = call.ringing.len();
        call.ringing.retain(|id| !stop.contains(id));
        if call.ringing.len() != before {
            self.publish_call("CALL_UPDATE", channel_id, call, states);
        }
        Ok(())
    }

    /// `POST /channels/{id}/call/ring`: rings `recipients` again (default: everyone not in the call). Only
    /// someone in the call may ring.
    pub async fn ring(
        &self,
        actor: &User,
        channel_id: Snowflake,
        recipients: Option<Vec<Snowflake>>,
    ) -> Result<(), VoiceError> {
        let access = self.inner.chat.access(actor, channel_id).await?;
        let in_call = lock(&self.inner.table).in_room(channel_id);
        if !in_call.contains(&actor.id) {
            return Err(VoiceError::NotConnected);
        }
        let wanted = recipients.unwrap_or_else(|| access.recipients.clone());
        let states = self.states(&[channel_id]);
        let mut calls = lock(&self.inner.calls);
        let Some(call) = calls.get_mut(&channel_id) else {
            return Err(VoiceError::NotConnected);
        };
        for id in wanted {
            if access.recipients.contains(&id) && !in_call.contains(&id) && !call.ringing.contains(&id) {
                call.ringing.push(id);
            }
        }
        self.publish_call("CALL_UPDATE", channel_id, call, states);
        Ok(())
    }

    /// The calls the user's DMs have now, for a client that connects during one.
    pub fn calls_of(&self, user_id: Snowflake) -> Vec<wire::Call> {
        let calls: Vec<(Snowflake, Call)> = lock(&self.inner.calls)
            .iter()
            .filter(|(_, call)| matches!(&call.audience, Audience::Users(people) if people.contains(&user_id)))
            .map(|(id, call)| (*id, call.clone()))
            .collect();
        calls
            .iter()
            .map(|(id, call)| to_wire(*id, call, self.states(&[*id])))
            .collect()
    }

    /// Publishes a call event. `states` are the call's voice states, read before the calls lock was taken (the
    /// lock order is table, then calls).
    fn publish_call(&self, name: &'static str, channel_id: Snowflake, call: &Call, states: Vec<wire::VoiceState>) {
        self.inner.hub.publish(Event::new(
            name,
            &to_wire(channel_id, call, states),
            call.audience.clone(),
            0,
        ));
    }
}

fn to_wire(channel_id: Snowflake, call: &Call, voice_states: Vec<wire::VoiceState>) -> wire::Call {
    wire::Call {
        channel_id: wire::Id(channel_id),
        message_id: wire::Id(call.message_id),
        ringing: call.ringing.iter().copied().map(wire::Id).collect(),
        region: "local",
        voice_states,
    }
}
