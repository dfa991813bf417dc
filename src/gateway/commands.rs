//! Client commands after IDENTIFY: PRESENCE_UPDATE, VOICE_STATE_UPDATE and REQUEST_GUILD_MEMBERS.

use serde_json::{Value, json};

use super::connection::{Connection, Flow};
use super::payload::Close;
use super::payload::PresenceUpdate;
use crate::wire;

impl Connection {
    pub(super) fn presence(&mut self, d: Value) {
        let Some((guild, user)) = self.online else { return };
        let update: PresenceUpdate = serde_json::from_value(d).unwrap_or_default();
        let looking = !update.afk.unwrap_or(false);
        if looking != self.looking {
            self.looking = looking;
            self.state.presences.set_looking(user, looking);
        }
        let status = update.status.unwrap_or_else(|| "online".to_owned());
        let activities = update.activities.unwrap_or(Value::Null);
        if !self
            .state
            .presences
            .update(&self.state.hub, guild, user, &status, activities)
        {
            tracing::debug!(user, "presence update over the per-user limit ignored");
        }
    }

    /// Opcode 4: join, move, leave or change self mute/deafen/video/stream. Refusals (no CONNECT, a full
    /// room, over the per-user limit) are ignored as Discord does; joining a room answers VOICE_SERVER_UPDATE.
    pub(super) async fn voice_state(&mut self, d: Value) -> Flow {
        let Ok(request) = serde_json::from_value::<crate::voice::StateRequest>(d) else {
            return self.close(Close::DecodeError).await;
        };
        let Some((session, _)) = self.session.as_ref() else {
            return Flow::Continue;
        };
        let (user, session_id) = (session.user.clone(), session.id.clone());
        let voice = self.state.voice.clone();
        let url = self.upgrade.resume_url.clone();
        match voice.update_own(&user, &session_id, request, &url).await {
            Ok(Some(server)) => self.dispatch("VOICE_SERVER_UPDATE", crate::wire::to_json(&server)),
            Ok(None) => Flow::Continue,
            Err(e) => {
                tracing::debug!(user = user.id, error = %e, "voice state update refused");
                Flow::Continue
            }
        }
    }

    /// Answers with one GUILD_MEMBERS_CHUNK: members by name prefix or by id, echoing the nonce.
    pub(super) async fn request_members(&mut self, d: Value) -> Flow {
        let query = d.get("query").and_then(Value::as_str).unwrap_or("").to_lowercase();
        let limit = d
            .get("limit")
            .and_then(Value::as_u64)
            .filter(|l| *l > 0)
            .unwrap_or(1000)
            .min(1000) as usize;
        let wanted_ids: Vec<String> = match d.get("user_ids") {
            Some(Value::Array(ids)) => ids
                .iter()
                .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                .collect(),
            Some(Value::String(id)) => vec![id.clone()],
            Some(Value::Number(id)) => vec![id.to_string()],
            _ => Vec::new(),
        };
        let Some(guild) = self.state.store.guild_home().await.ok().flatten() else {
            return Flow::Continue;
        };
        let members = self
            .state
            .store
            .members_list(guild.id, 0, 1000)
            .await
            .unwrap_or_default();
        let chosen: Vec<Value> = members
            .iter()
            .filter(|m| {
                if wanted_ids.is_empty() {
                    m.user.username.starts_with(&query)
                } else {
                    wanted_ids.contains(&m.user.id.to_string())
                }
            })
            .take(limit)
            .map(wire::member)
            .collect();
        let data = json!({
            "guild_id": wire::id(guild.id),
            "members": chosen,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
            "nonce": d.get("nonce").cloned().unwrap_or(Value::Null),
        });
        self.dispatch("GUILD_MEMBERS_CHUNK", data.to_string())
    }
}
