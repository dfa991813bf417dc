//! Which events one session receives: the audience, the intents it asked for, and the channels its user can
//! view — computed with the same permission calculation as the REST API.

use std::collections::HashSet;
use std::sync::Arc;

use crate::chat::Chat;
use crate::hub::{Audience, Event, intents};
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
    /// A filter that sees nothing yet: [`Filter::set_visible`] gives it the user's channels.
    pub fn new(user: User, intents: u64, guild_id: Snowflake) -> Self {
        Self {
            user,
            intents,
            guild_id,
            visible: HashSet::new(),
            gained: Vec::new(),
        }
    }

    /// The channels and threads `user` can view now (the database's answer; `None` if it failed).
    pub async fn fetch_visible(chat: &Chat, user: &User, guild_id: Snowflake) -> Option<Vec<Snowflake>> {
        match chat.visible_channels(user, guild_id).await {
            Ok(ids) => Some(ids),
            Err(e) => {
                tracing::warn!(error = %e, "could not refresh channel visibility");
                None
            }
        }
    }

    /// Sets the visible channels; those that were not visible before are remembered as gained.
    pub fn set_visible(&mut self, ids: Vec<Snowflake>) {
        self.gained = ids.iter().copied().filter(|id| !self.visible.contains(id)).collect();
        self.visible = ids.into_iter().collect();
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
            Audience::Users(users) => users.contains(&self.user.id),
        }
    }

    /// The `d` this session gets for an event that does not change permissions, or `None` if it gets nothing.
    /// Runs in the fan-out, once per session and event, so it only reads.
    pub fn accept(&self, event: &Event) -> Option<Arc<str>> {
        if event.intent != 0 && self.intents & event.intent == 0 {
            return None;
        }
        if !self.in_audience(&event.audience) {
            return None;
        }
        Some(self.variant(event))
    }

    /// The `d` this session gets for a permission-changing event, given the visibility fetched after it was
    /// stored (`None`: keep the old one). Deletions are checked against what the user could see before them;
    /// everything else against what they can see after.
    pub fn accept_changing(&mut self, event: &Event, visible: Option<Vec<Snowflake>>) -> Option<Arc<str>> {
        let before = self.in_audience(&event.audience);
        if let Some(ids) = visible {
            self.set_visible(ids);
        }
        if event.intent != 0 && self.intents & event.intent == 0 {
            return None;
        }
        let allowed = if event.name.ends_with("_DELETE") {
            before
        } else {
            self.in_audience(&event.audience)
        };
        allowed.then(|| self.variant(event))
    }

    /// The full `d`, or the content-less one for a bot that did not ask for MESSAGE_CONTENT.
    fn variant(&self, event: &Event) -> Arc<str> {
        let blind = self.user.is_bot
            && self.intents & intents::MESSAGE_CONTENT == 0
            && !event.content_exempt.contains(&self.user.id);
        // Only sessions that need the stripped variant pay for computing it.
        if blind && let Some(stripped) = event.without_content() {
            return stripped;
        }
        Arc::clone(&event.data)
    }
}
