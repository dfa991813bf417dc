//! Which events one session receives: the audience, the intents it asked for, and the channels its user can
//! view — computed with the same permission calculation as the REST API.

use std::collections::HashSet;
use std::sync::Arc;

use super::hub::{Audience, Event, intents};
use crate::chat::Chat;
use crate::store::{Snowflake, User};

/// A session's filter.
pub struct Filter {
    /// The user.
    pub user: User,
    /// Intents asked for.
    pub intents: u64,
    /// The home guild.
    pub guild_id: Snowflake,
    /// Channels and threads the user can view.
    visible: HashSet<Snowflake>,
    /// Channels that became visible at the last refresh (their threads are announced with THREAD_LIST_SYNC).
    gained: Vec<Snowflake>,
}

impl Filter {
    /// A filter with the user's current visibility.
    pub async fn new(chat: &Chat, user: User, intents: u64, guild_id: Snowflake) -> Self {
        let mut filter = Self {
            user,
            intents,
            guild_id,
            visible: HashSet::new(),
            gained: Vec::new(),
        };
        filter.refresh(chat).await;
        filter.gained.clear();
        filter
    }

    /// Recomputes the visible channels (after a permission-changing event).
    pub async fn refresh(&mut self, chat: &Chat) {
        match chat.visible_channels(&self.user, self.guild_id).await {
            Ok(ids) => {
                self.gained = ids.iter().copied().filter(|id| !self.visible.contains(id)).collect();
                self.visible = ids.into_iter().collect();
            }
            Err(e) => tracing::warn!(error = %e, "could not refresh channel visibility"),
        }
    }

    /// Channels that became visible at the last refresh; empties the list.
    pub fn take_gained(&mut self) -> Vec<Snowflake> {
        std::mem::take(&mut self.gained)
    }

    /// Whether the user can view `channel`.
    pub fn sees(&self, channel: Snowflake) -> bool {
        self.visible.contains(&channel)
    }

    fn in_audience(&self, audience: &Audience) -> bool {
        match audience {
            Audience::Guild(guild) => *guild == self.guild_id,
            Audience::Channel(channel) => self.visible.contains(channel),
            Audience::User(user) => *user == self.user.id,
        }
    }

    /// The `d` this session gets for `event`, or `None` if it gets nothing. Deletions are checked against what
    /// the user could see before them; everything else against what they can see after.
    pub async fn accept(&mut self, chat: &Chat, event: &Event) -> Option<Arc<str>> {
        if event.intent != 0 && self.intents & event.intent == 0 {
            if event.changes_permissions {
                self.refresh(chat).await;
            }
            return None;
        }
        let allowed = if event.changes_permissions {
            let before = self.in_audience(&event.audience);
            self.refresh(chat).await;
            if event.name.ends_with("_DELETE") {
                before
            } else {
                self.in_audience(&event.audience)
            }
        } else {
            self.in_audience(&event.audience)
        };
        if !allowed {
            return None;
        }
        let blind = self.user.is_bot
            && self.intents & intents::MESSAGE_CONTENT == 0
            && !event.content_exempt.contains(&self.user.id);
        // Only sessions that need the stripped variant pay for computing it.
        if blind && let Some(stripped) = event.without_content() {
            return Some(stripped);
        }
        Some(Arc::clone(&event.data))
    }
}
