//! The `livekit` backend: LiveKit access tokens (a JWT signed with the API secret), so browsers join a LiveKit
//! server with livekit-client. Identity is the user id, the room is the channel id, and the grants follow the
//! member's permissions: publishing only with SPEAK (microphone) and STREAM (camera, screenshare); everyone
//! subscribes. Tokens live `voice.token_ttl`: they only open the connection.

use std::time::Duration;

use livekit_api::access_token::{AccessToken, VideoGrants};

use super::token::Grants;
use crate::store::Snowflake;

/// Issues LiveKit tokens for one LiveKit server.
#[derive(Clone)]
pub struct LivekitTokens {
    api_key: String,
    api_secret: String,
    ttl: Duration,
}

impl std::fmt::Debug for LivekitTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LivekitTokens").field("api_key", &self.api_key).finish()
    }
}

/// The token could not be made (only with an empty key or secret, which config validation refuses).
#[derive(Debug, thiserror::Error)]
#[error("could not issue a LiveKit token: {0}")]
pub struct LivekitError(String);

impl LivekitTokens {
    /// Tokens for the server with this key and secret, valid for `ttl`.
    pub fn new(api_key: &str, api_secret: &str, ttl: Duration) -> Self {
        Self {
            api_key: api_key.to_owned(),
            api_secret: api_secret.to_owned(),
            ttl,
        }
    }

    /// The grants a member gets in a room.
    pub fn video_grants(channel_id: Snowflake, grants: Grants) -> VideoGrants {
        let mut sources = Vec::new();
        if grants.audio {
            sources.push("microphone".to_owned());
        }
        if grants.video {
            sources.extend(["camera", "screen_share", "screen_share_audio"].map(str::to_owned));
        }
        VideoGrants {
            room_join: true,
            room: channel_id.to_string(),
            can_publish: !sources.is_empty(),
            can_publish_sources: sources,
            can_subscribe: true,
            can_publish_data: false,
            can_update_own_metadata: false,
            ..VideoGrants::default()
        }
    }

    /// A token for `user_id` (shown as `name`) to join the room of `channel_id` with `grants`.
    pub fn issue(
        &self,
        user_id: Snowflake,
        name: &str,
        channel_id: Snowflake,
        grants: Grants,
    ) -> Result<String, LivekitError> {
        AccessToken::with_api_key(&self.api_key, &self.api_secret)
            .with_identity(&user_id.to_string())
            .with_name(name)
            .with_ttl(self.ttl)
            .with_grants(Self::video_grants(channel_id, grants))
            .to_jwt()
            .map_err(|e| LivekitError(e.to_string()))
    }
}

#[cfg(test)]
#[path = "livekit_tests.rs"]
mod tests;
