//! Presence: who is online. A user is online while at least one gateway connection of theirs is open, with the
//! status (`online`, `idle`, `dnd`) their clients last set; `invisible` shows as offline. Kept in memory: a
//! restart starts everyone offline, as it should.
//!
//! It also counts each user's connections that are looking (not `afk`: the web client reports a hidden tab as
//! afk), which is what push delivery asks ([`crate::push::Attention`]): no push while a tab is in view, none
//! while the user is on Do Not Disturb.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::hub::{Audience, Event, Hub, intents};
use crate::store::Snowflake;
use crate::wire;

/// Status updates a user may send per minute; more are ignored.
const UPDATES_PER_MINUTE: usize = 10;

#[derive(Debug, Clone)]
struct Entry {
    connections: usize,
    /// Connections not afk.
    looking: usize,
    status: String,
    activities: Vec<Value>,
    recent_updates: Vec<Instant>,
}

/// Everyone's presence. Cheap to clone.
#[derive(Clone, Default)]
pub struct Presences {
    inner: Arc<Mutex<HashMap<Snowflake, Entry>>>,
}

fn shown(status: &str) -> &str {
    match status {
        "online" | "idle" | "dnd" => status,
        _ => "offline",
    }
}

impl Presences {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Snowflake, Entry>> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// A connection of `user` opened with `status`, looking (not afk) or not.
    pub fn connected(&self, hub: &Hub, guild_id: Snowflake, user: Snowflake, status: &str, looking: bool) {
        let changed = {
            let mut map = self.lock();
            let entry = map.entry(user).or_insert_with(|| Entry {
                connections: 0,
                looking: 0,
                status: "offline".into(),
                activities: Vec::new(),
                recent_updates: Vec::new(),
            });
            entry.connections += 1;
            entry.looking += usize::from(looking);
            let before = shown(&entry.status).to_owned();
            if entry.connections == 1 {
                entry.status = status.to_owned();
            }
            (before != shown(&entry.status)).then(|| entry.clone())
        };
        if let Some(entry) = changed {
            publish(hub, guild_id, user, &entry);
        }
    }

    /// A connection of `user` closed (it was looking or not).
    pub fn disconnected(&self, hub: &Hub, guild_id: Snowflake, user: Snowflake, looking: bool) {
        let gone = {
            let mut map = self.lock();
            match map.get_mut(&user) {
                Some(entry) if entry.connections <= 1 => {
                    let was_visible = shown(&entry.status) != "offline";
                    map.remove(&user);
                    was_visible
                }
                Some(entry) => {
                    entry.connections -= 1;
                    entry.looking = entry.looking.saturating_sub(usize::from(looking));
                    false
                }
                None => false,
            }
        };
        if gone {
            let offline = Entry {
                connections: 0,
                looking: 0,
                status: "offline".into(),
                activities: Vec::new(),
                recent_updates: Vec::new(),
            };
            publish(hub, guild_id, user, &offline);
        }
    }

    /// A client set its status (gateway op 3). Returns `false` if the user is over the update limit.
    pub fn update(&self, hub: &Hub, guild_id: Snowflake, user: Snowflake, status: &str, activities: Value) -> bool {
        let now = Instant::now();
        let entry = {
            let mut map = self.lock();
            let Some(entry) = map.get_mut(&user) else { return true };
            let activities = match activities {
                Value::Array(list) => list,
                _ => Vec::new(),
            };
            if entry.status == status && entry.activities == activities {
                // Nothing others see changed (the web client repeats its status when only `afk` changes).
                return true;
            }
            entry
                .recent_updates
                .retain(|t| now.duration_since(*t) < Duration::from_secs(60));
            if entry.recent_updates.len() >= UPDATES_PER_MINUTE {
                return false;
            }
            entry.recent_updates.push(now);
            entry.status = status.to_owned();
            entry.activities = activities;
            entry.clone()
        };
        publish(hub, guild_id, user, &entry);
        true
    }

    /// One of `user`'s connections started or stopped looking (a tab shown or hidden).
    pub fn set_looking(&self, user: Snowflake, looking: bool) {
        if let Some(entry) = self.lock().get_mut(&user) {
            if looking {
                entry.looking += 1;
            } else {
                entry.looking = entry.looking.saturating_sub(1);
            }
        }
    }

    /// Presence objects of everyone visible online, for GUILD_CREATE.
    pub fn snapshot(&self, guild_id: Snowflake) -> Vec<wire::Presence> {
        self.lock()
            .iter()
            .filter(|(_, e)| shown(&e.status) != "offline")
            .map(|(user, e)| presence(guild_id, *user, e))
            .collect()
    }
}

fn presence(guild_id: Snowflake, user: Snowflake, entry: &Entry) -> wire::Presence {
    let status = shown(&entry.status);
    let online = status != "offline";
    wire::Presence {
        user: wire::PartialUser { id: wire::Id(user) },
        guild_id: wire::Id(guild_id),
        status: status.to_owned(),
        activities: if online { entry.activities.clone() } else { Vec::new() },
        client_status: wire::ClientStatus {
            web: online.then(|| status.to_owned()),
        },
    }
}

fn publish(hub: &Hub, guild_id: Snowflake, user: Snowflake, entry: &Entry) {
    let data = presence(guild_id, user, entry);
    hub.publish(Event::new(
        "PRESENCE_UPDATE",
        &data,
        Audience::Guild(guild_id),
        intents::GUILD_PRESENCES,
    ));
}

impl crate::push::Attention for Presences {
    fn looking(&self, user: Snowflake) -> bool {
        self.lock().get(&user).is_some_and(|e| e.looking > 0)
    }

    fn do_not_disturb(&self, user: Snowflake) -> bool {
        self.lock().get(&user).is_some_and(|e| e.status == "dnd")
    }
}
