//! The listener: new messages and ringing calls from the hub, turned into pushes for the people they concern,
//! decided one event at a time in the hub's order.

use std::collections::VecDeque;
use std::sync::Arc;

use serde::Deserialize;
use tokio::sync::broadcast;

use super::payload::shorten;
use super::{Push, PushPayload, deliver};
use crate::chat::notifications::{MessageFacts, Reason};
use crate::hub::Event;
use crate::store::Snowflake;

#[derive(Debug, Deserialize)]
struct Ref {
    id: String,
}

#[derive(Debug, Deserialize)]
struct Author {
    id: String,
    username: String,
    #[serde(default)]
    global_name: Option<String>,
    #[serde(default)]
    avatar: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Referenced {
    author: Ref,
}

/// The parts of a MESSAGE_CREATE a push needs.
#[derive(Debug, Deserialize)]
struct NewMessage {
    id: String,
    channel_id: String,
    #[serde(default)]
    guild_id: Option<String>,
    #[serde(rename = "type")]
    kind: i64,
    author: Author,
    #[serde(default)]
    content: String,
    #[serde(default)]
    mentions: Vec<Author>,
    #[serde(default)]
    mention_roles: Vec<String>,
    #[serde(default)]
    mention_everyone: bool,
    #[serde(default)]
    referenced_message: Option<Referenced>,
    #[serde(default)]
    attachments: Vec<serde_json::Value>,
    #[serde(default)]
    embeds: Vec<serde_json::Value>,
}

/// The parts of a CALL_CREATE / CALL_UPDATE a push needs.
#[derive(Debug, Deserialize)]
struct CallEvent {
    channel_id: String,
    message_id: String,
    #[serde(default)]
    ringing: Vec<String>,
}

fn id(text: &str) -> Snowflake {
    text.parse().unwrap_or(0)
}

/// Reads the hub until it closes.
pub(super) async fn run(push: Push, mut events: broadcast::Receiver<Arc<Event>>) {
    // Calls already pushed to whom (a call is pushed once per person, however often it updates).
    let mut rung: VecDeque<(Snowflake, Snowflake)> = VecDeque::new();
    loop {
        let event = match events.recv().await {
            Ok(event) => event,
            Err(broadcast::error::RecvError::Lagged(missed)) => {
                tracing::warn!(missed, "push listener fell behind; some pushes were not sent");
                continue;
            }
            Err(broadcast::error::RecvError::Closed) => return,
        };
        match event.name {
            "MESSAGE_CREATE" => {
                if let Ok(message) = serde_json::from_str::<NewMessage>(&event.data) {
                    on_message(&push, message).await;
                }
            }
            "CALL_CREATE" | "CALL_UPDATE" => {
                if let Ok(call) = serde_json::from_str::<CallEvent>(&event.data) {
                    let message = id(&call.message_id);
                    let fresh: Vec<Snowflake> = call
                        .ringing
                        .iter()
                        .map(|u| id(u))
                        .filter(|u| !rung.contains(&(message, *u)))
                        .collect();
                    for user in &fresh {
                        rung.push_back((message, *user));
                        if rung.len() > 1024 {
                            rung.pop_front();
                        }
                    }
                    if !fresh.is_empty() {
                        on_call(&push, call, fresh).await;
                    }
                }
            }
            _ => {}
        }
    }
}

/// Whether `user` should get a push now (not looking at a tab, not on Do Not Disturb).
fn away(push: &Push, user: Snowflake) -> bool {
    !push.inner.attention.looking(user) && !push.inner.attention.do_not_disturb(user)
}

fn display(author: &Author) -> String {
    author.global_name.clone().unwrap_or_else(|| author.username.clone())
}

async fn on_message(push: &Push, message: NewMessage) {
    // Ordinary messages and replies; system messages (calls, group changes) are not pushed.
    if message.kind != 0 && message.kind != 19 {
        return;
    }
    let inner = &push.inner;
    let subscribed = match inner.store.push_subscribed_users().await {
        Ok(users) => users,
        Err(e) => return tracing::warn!(error = %e, "push: reading subscriptions failed"),
    };
    let author = id(&message.author.id);
    let facts = MessageFacts {
        channel_id: id(&message.channel_id),
        author_id: author,
        mentions: message.mentions.iter().map(|m| id(&m.id)).collect(),
        mention_roles: message.mention_roles.iter().map(|r| id(r)).collect(),
        mention_everyone: message.mention_everyone,
        replied_to: message.referenced_message.as_ref().map(|r| id(&r.author.id)),
    };
    let mut targets = Vec::new();
    for user in subscribed.into_iter().filter(|u| *u != author) {
        if !away(push, user) {
            continue;
        }
        match inner.chat.notifies(user, &facts).await {
            Ok(Some(reason)) => targets.push((user, reason)),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "push: deciding failed"),
        }
    }
    if targets.is_empty() {
        return;
    }
    let payload = Arc::new(message_payload(push, &message).await);
    let users: Vec<Snowflake> = targets.iter().map(|(u, _)| *u).collect();
    let Ok(subscriptions) = inner.store.push_subscriptions_of(users).await else {
        return;
    };
    for subscription in subscriptions {
        let reason = targets
            .iter()
            .find(|(u, _)| *u == subscription.user_id)
            .map(|(_, r)| *r);
        tracing::debug!(user = subscription.user_id, ?reason, "pushing a message");
        deliver::enqueue(inner, subscription, Arc::clone(&payload));
    }
}

/// The notification for a message: who and where, the text with mentions readable.
async fn message_payload(push: &Push, message: &NewMessage) -> PushPayload {
    let inner = &push.inner;
    let channel = inner.store.channel_get(id(&message.channel_id)).await.ok().flatten();
    let who = display(&message.author);
    let title = match (&message.guild_id, &channel) {
        (Some(_), Some(channel)) => format!("{who} (#{})", channel.name),
        (None, Some(channel)) if !channel.name.is_empty() => format!("{who} ({})", channel.name),
        _ => who,
    };
    let mut text = message.content.clone();
    for mention in &message.mentions {
        let name = format!("@{}", display(mention));
        text = text
            .replace(&format!("<@{}>", mention.id), &name)
            .replace(&format!("<@!{}>", mention.id), &name);
    }
    let body = if !text.trim().is_empty() {
        shorten(&text)
    } else if !message.attachments.is_empty() {
        "sent an attachment".to_owned()
    } else if !message.embeds.is_empty() {
        "sent an embed".to_owned()
    } else {
        "sent a message".to_owned()
    };
    let place = message.guild_id.as_deref().unwrap_or("@me");
    PushPayload {
        kind: "message",
        title,
        body,
        tag: message.channel_id.clone(),
        url: format!(
            "{}/channels/{place}/{}/{}",
            inner.base_url, message.channel_id, message.id
        ),
        icon: message
            .author
            .avatar
            .as_ref()
            .map(|hash| format!("{}/avatars/{}/{hash}.png", inner.base_url, message.author.id)),
        timestamp: crate::ids::timestamp_ms(id(&message.id)),
    }
}

async fn on_call(push: &Push, call: CallEvent, users: Vec<Snowflake>) {
    let inner = &push.inner;
    let channel_id = id(&call.channel_id);
    let users: Vec<Snowflake> = users.into_iter().filter(|u| away(push, *u)).collect();
    let mut targets = Vec::new();
    let caller = match inner.store.message_author(id(&call.message_id)).await {
        Ok(Some(author)) => inner.store.user_by_id(author).await.ok().flatten(),
        _ => None,
    };
    for user in users {
        let facts = MessageFacts {
            channel_id,
            author_id: caller.as_ref().map_or(0, |u| u.id),
            ..MessageFacts::default()
        };
        if let Ok(Some(Reason::Direct)) = inner.chat.notifies(user, &facts).await {
            targets.push(user);
        }
    }
    if targets.is_empty() {
        return;
    }
    let channel = inner.store.channel_get(channel_id).await.ok().flatten();
    let who = caller
        .as_ref()
        .map(|u| u.global_name.clone().unwrap_or_else(|| u.username.clone()))
        .unwrap_or_else(|| "Someone".to_owned());
    let body = match channel.as_ref().filter(|c| !c.name.is_empty()) {
        Some(group) => format!("is calling {}", group.name),
        None => "is calling you".to_owned(),
    };
    let payload = Arc::new(PushPayload {
        kind: "call",
        title: who,
        body,
        tag: format!("call-{}", call.channel_id),
        url: format!("{}/channels/@me/{}", inner.base_url, call.channel_id),
        icon: None,
        timestamp: crate::ids::timestamp_ms(id(&call.message_id)),
    });
    let Ok(subscriptions) = inner.store.push_subscriptions_of(targets).await else {
        return;
    };
    for subscription in subscriptions {
        deliver::enqueue(inner, subscription, Arc::clone(&payload));
    }
}
