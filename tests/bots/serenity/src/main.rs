//! A serenity bot driven by spot's integration tests (`tests/it/serenity.rs`): pointed at spot by base URL only
//! (`HttpBuilder::proxy`; the gateway URL comes from `GET /gateway/bot`), it walks through what a bot does and
//! prints one JSON object per line for each step.
//!
//! Usage: SPOT_URL=http://127.0.0.1:PORT SPOT_BOT_TOKEN=... spot-serenity-bot

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use serenity::all::{
    ChannelId, ClientBuilder, Context, CreateAttachment, CreateMessage, CreateThread, EditMessage, EventHandler,
    GatewayIntents, GetMessages, Guild, GuildId, HttpBuilder, Message, MessageId, MessageUpdateEvent, Reaction,
    ReactionType, ResumedEvent,
};
use serenity::async_trait;
use tokio::sync::broadcast;

fn report(key: &str, value: Value) {
    println!("{}", json!({ key: value }));
}

/// What the bot saw on the gateway.
#[derive(Debug, Clone)]
enum Seen {
    Created(MessageId, String),
    Updated(MessageId, Option<String>),
    Reacted(MessageId, String),
    Deleted(MessageId),
    Resumed,
}

struct Handler {
    seen: broadcast::Sender<Seen>,
    started: AtomicBool,
}

#[async_trait]
impl EventHandler for Handler {
    async fn guild_create(&self, ctx: Context, guild: Guild, _is_new: Option<bool>) {
        if self.started.swap(true, Ordering::SeqCst) {
            return;
        }
        let seen = self.seen.clone();
        tokio::spawn(async move {
            if let Err(error) = run(ctx, guild, seen).await {
                report("error", json!(error));
                std::process::exit(1);
            }
            std::process::exit(0);
        });
    }

    async fn message(&self, _ctx: Context, message: Message) {
        let _ = self.seen.send(Seen::Created(message.id, message.content));
    }

    async fn message_update(
        &self,
        _ctx: Context,
        _old: Option<Message>,
        _new: Option<Message>,
        event: MessageUpdateEvent,
    ) {
        let _ = self.seen.send(Seen::Updated(event.id, event.content));
    }

    async fn reaction_add(&self, _ctx: Context, reaction: Reaction) {
        let _ = self
            .seen
            .send(Seen::Reacted(reaction.message_id, reaction.emoji.to_string()));
    }

    async fn message_delete(&self, _ctx: Context, _channel: ChannelId, id: MessageId, _guild: Option<GuildId>) {
        let _ = self.seen.send(Seen::Deleted(id));
    }

    async fn resume(&self, _ctx: Context, _event: ResumedEvent) {
        let _ = self.seen.send(Seen::Resumed);
    }
}

/// Waits for the first event `want` accepts.
async fn wait_for(
    rx: &mut broadcast::Receiver<Seen>,
    what: &str,
    want: impl Fn(&Seen) -> bool,
) -> Result<Seen, String> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Ok(seen)) if want(&seen) => return Ok(seen),
            Ok(Ok(_)) | Ok(Err(broadcast::error::RecvError::Lagged(_))) => {}
            Ok(Err(error)) => return Err(format!("{what}: {error}")),
            Err(_) => return Err(format!("no {what} within 20 s")),
        }
    }
}

/// Sends a message, waiting and trying again while the server answers 429; returns how many times it did.
async fn send_backing_off(http: &serenity::all::Http, channel: ChannelId, content: String) -> Result<u32, String> {
    let mut refused = 0u32;
    loop {
        match channel
            .send_message(http, CreateMessage::new().content(content.clone()))
            .await
        {
            Ok(_) => return Ok(refused),
            Err(serenity::Error::Http(serenity::all::HttpError::UnsuccessfulRequest(response)))
                if response.status_code.as_u16() == 429 && refused < 50 =>
            {
                refused += 1;
                tokio::time::sleep(Duration::from_millis(400)).await;
            }
            Err(error) => return Err(error.to_string()),
        }
    }
}

fn text(error: impl std::fmt::Display) -> String {
    error.to_string()
}

async fn run(ctx: Context, guild: Guild, seen: broadcast::Sender<Seen>) -> Result<(), String> {
    let http = ctx.http.clone();
    let mut rx = seen.subscribe();
    let mut names: Vec<String> = guild.channels.values().map(|c| c.name.clone()).collect();
    names.sort();
    let me = ctx.cache.current_user().name.clone();
    report("ready", json!({"user": me, "guild": guild.name, "channels": names}));
    let general = guild
        .channels
        .values()
        .find(|c| c.name == "general")
        .ok_or("no #general")?
        .id;

    let mut message = general
        .send_message(&http, CreateMessage::new().content("hello from serenity"))
        .await
        .map_err(text)?;
    let id = message.id;
    wait_for(
        &mut rx,
        "MESSAGE_CREATE",
        |s| matches!(s, Seen::Created(m, _) if *m == id),
    )
    .await?;
    message
        .edit(&http, EditMessage::new().content("edited by serenity"))
        .await
        .map_err(text)?;
    let updated = wait_for(
        &mut rx,
        "MESSAGE_UPDATE",
        |s| matches!(s, Seen::Updated(m, _) if *m == id),
    )
    .await?;
    message
        .react(&http, ReactionType::Unicode("\u{1F44D}".into()))
        .await
        .map_err(text)?;
    let reacted = wait_for(
        &mut rx,
        "MESSAGE_REACTION_ADD",
        |s| matches!(s, Seen::Reacted(m, _) if *m == id),
    )
    .await?;

    let upload = general
        .send_message(
            &http,
            CreateMessage::new()
                .content("a file")
                .add_file(CreateAttachment::bytes(b"hello serenity".to_vec(), "hello.txt")),
        )
        .await
        .map_err(text)?;
    let attachment = upload.attachments.first().ok_or("no attachment")?;
    let downloaded = attachment.download().await.map_err(text)?;

    let thread = general
        .create_thread_from_message(&http, id, CreateThread::new("serenity thread"))
        .await
        .map_err(text)?;
    let in_thread = thread
        .id
        .send_message(&http, CreateMessage::new().content("in the thread"))
        .await
        .map_err(text)?;

    let history: Vec<String> = general
        .messages(&http, GetMessages::new().limit(10))
        .await
        .map_err(text)?
        .into_iter()
        .map(|m| m.content)
        .collect();
    let mut members: Vec<String> = guild
        .id
        .members(&http, None, None)
        .await
        .map_err(text)?
        .into_iter()
        .map(|m| m.user.name)
        .collect();
    members.sort();

    let doomed = general
        .send_message(&http, CreateMessage::new().content("to be deleted"))
        .await
        .map_err(text)?;
    let doomed_id = doomed.id;
    doomed.delete(&http).await.map_err(text)?;
    wait_for(
        &mut rx,
        "MESSAGE_DELETE",
        |s| matches!(s, Seen::Deleted(m) if *m == doomed_id),
    )
    .await?;

    report(
        "phase1",
        json!({
            "channel": general.to_string(), "message": id.to_string(),
            "updated_seen": match updated { Seen::Updated(_, content) => content, _ => None },
            "reaction": match reacted { Seen::Reacted(_, emoji) => emoji, _ => String::new() },
            "attachment": attachment.filename, "attachment_bytes": String::from_utf8_lossy(&downloaded),
            "thread": thread.id.to_string(), "thread_parent": thread.parent_id.map(|p| p.to_string()),
            "thread_message": in_thread.content, "history": history, "members": members,
        }),
    );

    // Twenty sends against the route limit. serenity's own rate limiter ignores `proxy` (0.12 sends its requests
    // to discord.com), so it runs with the limiter off: the 429s reach the bot as errors with their status, and
    // the bot backs off and retries, as a bot on a proxy does.
    let started = Instant::now();
    let mut sends = tokio::task::JoinSet::new();
    for i in 0..20 {
        let http = http.clone();
        sends.spawn(async move { send_backing_off(&http, general, format!("burst {i}")).await });
    }
    let mut refused = 0;
    while let Some(sent) = sends.join_next().await {
        refused += sent.map_err(text)??;
    }
    report(
        "burst",
        json!({"seconds": started.elapsed().as_secs_f64(), "refused": refused}),
    );

    // Make the server drop the socket: a frame that is not JSON is closed with 4002, which serenity resumes from.
    ctx.shard
        .websocket_message(tokio_tungstenite::tungstenite::Message::Text("not json".into()));
    tokio::time::sleep(Duration::from_millis(200)).await;
    send_backing_off(&http, general, "sent during the gap".into()).await?;
    // The missed events are replayed, then RESUMED: either may be seen first.
    let (mut resumed, mut gap_seen) = (false, false);
    while !(resumed && gap_seen) {
        match wait_for(&mut rx, "RESUMED and the message sent during the gap", |s| {
            matches!(s, Seen::Resumed) || matches!(s, Seen::Created(_, c) if c == "sent during the gap")
        })
        .await?
        {
            Seen::Resumed => resumed = true,
            _ => gap_seen = true,
        }
    }
    report("resumed", json!({"gap_message_seen": true}));
    Ok(())
}

#[tokio::main]
async fn main() {
    let base = std::env::var("SPOT_URL").expect("SPOT_URL");
    let token = std::env::var("SPOT_BOT_TOKEN").expect("SPOT_BOT_TOKEN");
    // `proxy` is serenity's base-URL switch; its rate limiter would send to discord.com regardless (see the burst).
    let http = HttpBuilder::new(&token)
        .proxy(base.trim_end_matches('/'))
        .ratelimiter_disabled(true)
        .build();
    let intents = GatewayIntents::non_privileged() | GatewayIntents::MESSAGE_CONTENT | GatewayIntents::GUILD_MEMBERS;
    let handler = Handler {
        seen: broadcast::channel(1024).0,
        started: AtomicBool::new(false),
    };
    let mut client = match ClientBuilder::new_with_http(http, intents).event_handler(handler).await {
        Ok(client) => client,
        Err(error) => {
            report("error", json!(error.to_string()));
            std::process::exit(1);
        }
    };
    if let Err(error) = client.start().await {
        report("error", json!(error.to_string()));
        std::process::exit(1);
    }
}
