//! Carrying out the DJ's commands: finding what to play, editing the queue, driving the player, and the
//! replies (short text, and an embed for what is playing).

use std::sync::Arc;

use serde_json::{Value, json};

use super::room::{Room, forward_events};
use super::{Asked, Dj};
use crate::music::commands::{Command, LoopMode, format_time, help};
use crate::music::player::{Control, Opener, Player};
use crate::music::queue::{Entry, Source};
use crate::music::sources::{self, Found};
use crate::perms;

/// Search results shown by `!search`.
const SEARCH_RESULTS: usize = 10;
/// Queue entries per page.
const PAGE: usize = 10;

/// The embed for a track: title, artist, album, length, who asked.
pub(super) fn now_playing_embed(entry: &Entry, position: Option<std::time::Duration>) -> Value {
    let mut fields = vec![json!({"name": "Requested by", "value": entry.requested_by.1, "inline": true})];
    match entry.duration {
        Some(length) => {
            let at = position.unwrap_or_default();
            let done = ((at.as_secs_f64() / length.as_secs_f64().max(1.0)) * 20.0).round() as usize;
            let bar: String = (0..20).map(|i| if i < done.min(20) { '▬' } else { '─' }).collect();
            fields.push(json!({"name": "Length", "value": format!("{} {bar} {}", format_time(at), format_time(length)), "inline": false}));
        }
        None => fields.push(json!({"name": "Length", "value": "live stream", "inline": true})),
    }
    json!({
        "type": "rich",
        "title": entry.title,
        "description": entry.artist.as_deref().map(|a| format!("by {a}")).unwrap_or_default(),
        "color": 0x5865f2,
        "author": {"name": "Now playing"},
        "fields": fields,
    })
}

fn describe(entry: &Entry) -> String {
    let length = entry
        .duration
        .map(|d| format!(" ({})", format_time(d)))
        .unwrap_or_default();
    match &entry.artist {
        Some(artist) => format!("**{}** by {artist}{length}", entry.title),
        None => format!("**{}**{length}", entry.title),
    }
}

fn is_audio(kind: &str, name: &str) -> bool {
    kind.starts_with("audio/")
        || kind == "application/ogg"
        || ["mp3", "flac", "ogg", "opus", "wav", "m4a", "aac"]
            .iter()
            .any(|ext| name.to_ascii_lowercase().ends_with(&format!(".{ext}")))
}

impl Dj {
    /// How an entry opens on the player's thread.
    pub(super) fn opener(&self) -> impl Fn(&Entry) -> Opener + Send + Sync + use<> {
        let client = self.parts.client.clone();
        let runtime = tokio::runtime::Handle::current();
        let uploads = crate::uploads::Uploads::new(&self.parts.data_dir);
        let max_bytes = self.settings.max_url_bytes;
        let max_track = self.settings.max_track;
        move |entry: &Entry| -> Opener {
            let inner = match &entry.source {
                Source::Library(path) => sources::file(path.clone()),
                Source::Upload(_, id) => sources::file(uploads.path(*id)),
                Source::Url(url) => sources::url(client.clone(), runtime.clone(), url.clone(), max_bytes),
            };
            Box::new(move || {
                let reader = inner()?;
                if reader.duration().is_some_and(|d| d > max_track) {
                    return Err(crate::music::pipeline::AudioError::Unsupported(format!(
                        "it is longer than {}",
                        format_time(max_track)
                    )));
                }
                Ok(reader)
            })
        }
    }

    /// Whether the author may use DJ-only commands: admins, and members with the DJ role.
    async fn is_dj(&self, asked: &Asked) -> bool {
        let Ok(Some(member)) = self.parts.store.member_get(self.guild, asked.author).await else {
            return false;
        };
        if member.user.is_admin {
            return true;
        }
        let roles = self.parts.store.roles(self.guild).await.unwrap_or_default();
        roles.iter().any(|r| {
            member.roles.contains(&r.id)
                && (r.name.eq_ignore_ascii_case(&self.settings.dj_role)
                    || perms::has(r.permissions, perms::bits::ADMINISTRATOR))
        })
    }

    pub(super) async fn handle(self: &Arc<Self>, asked: &Asked, command: Command) {
        if command.needs_dj() && !self.is_dj(asked).await {
            let text = format!("That needs the **{}** role.", self.settings.dj_role);
            return self.reply(asked, &text, None).await;
        }
        let text = match command {
            Command::Help => help(&self.settings.prefix),
            Command::Search(query) => self.search(asked, &query).await,
            Command::Play(query) => self.play(asked, &query, false).await,
            Command::PlayNext(query) => self.play(asked, &query, true).await,
            other => self.in_room(asked, other).await,
        };
        if !text.is_empty() {
            self.reply(asked, &text, None).await;
        }
    }

    async fn search(&self, asked: &Asked, query: &str) -> String {
        let mut found = Vec::new();
        for resolver in &self.parts.resolvers {
            if let Ok(Some(tracks)) = resolver.resolve(query, SEARCH_RESULTS).await {
                found = tracks;
                break;
            }
        }
        if found.is_empty() {
            return format!("Nothing found for “{query}”.");
        }
        let lines: Vec<String> = found
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let entry = self.entry(asked, f.clone());
                format!("`{}` {}", i + 1, describe(&entry))
            })
            .collect();
        self.searches.lock().await.insert(asked.author, found);
        format!(
            "{}\nPlay one with `{}play <number>`.",
            lines.join("\n"),
            self.settings.prefix
        )
    }

    fn entry(&self, asked: &Asked, found: Found) -> Entry {
        Entry {
            source: found.source,
            title: found.title,
            artist: found.artist,
            duration: found.duration,
            requested_by: (asked.author, asked.author_name.clone()),
        }
    }

    /// What `!play <query>` means: an attachment, a number from the last search, a URL, or library words.
    async fn find(&self, asked: &Asked, query: &str) -> Result<Found, String> {
        if query.is_empty() {
            let attachment = asked
                .attachments
                .iter()
                .chain(&asked.replied_attachments)
                .find(|(_, name, kind)| is_audio(kind, name));
            return match attachment {
                Some((id, name, _)) => Ok(Found {
                    source: Source::Upload(asked.channel, *id),
                    title: name.clone(),
                    artist: None,
                    duration: None,
                }),
                None => Err(format!(
                    "Play what? `{0}play <words | url>`, or attach an audio file (or reply to one) with `{0}play`.",
                    self.settings.prefix
                )),
            };
        }
        if let Ok(n) = query.parse::<usize>()
            && let Some(found) = self
                .searches
                .lock()
                .await
                .get(&asked.author)
                .and_then(|r| r.get(n.wrapping_sub(1)))
        {
            return Ok(found.clone());
        }
        for resolver in &self.parts.resolvers {
            match resolver.resolve(query, 1).await {
                Ok(Some(mut tracks)) if !tracks.is_empty() => return Ok(tracks.remove(0)),
                Ok(_) => {}
                Err(e) => return Err(format!("Searching failed: {e}")),
            }
        }
        Err(format!("Nothing found for “{query}”."))
    }

    async fn play(self: &Arc<Self>, asked: &Asked, query: &str, next: bool) -> String {
        let Some(voice_room) = self.parts.voice.room_of(asked.author) else {
            return "Join a voice room first, then ask again.".into();
        };
        let found = match self.find(asked, query).await {
            Ok(found) => found,
            Err(why) => return why,
        };
        let entry = self.entry(asked, found);
        let described = describe(&entry);
        let open = self.opener();
        let mut rooms = self.rooms.lock().await;
        let room = match rooms.entry(voice_room) {
            std::collections::hash_map::Entry::Occupied(room) => room.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                let Some(me) = self.me().await else {
                    return "I cannot join rooms right now.".into();
                };
                let sink = match self.parts.voice.join(me, voice_room).await {
                    Ok(sink) => sink,
                    Err(why) => return format!("I cannot join that room: {why}"),
                };
                let (player, events) = match Player::start(sink, 1.0) {
                    Ok(started) => started,
                    Err(e) => return format!("The player would not start: {e}"),
                };
                forward_events(voice_room, events, self.events.clone());
                slot.insert(Room::new(voice_room, asked.channel, player))
            }
        };
        room.text_channel = asked.channel;
        if room.current.is_none() && room.prepared.is_none() {
            room.start(entry, &open);
            return String::new();
        }
        let result = if next {
            room.queue.push_next(entry).map(|()| 1)
        } else {
            room.queue.push(entry)
        };
        match result {
            Ok(position) => {
                room.prepare(&open);
                format!("Queued {described} at position {position}.")
            }
            Err(e) => e.to_string(),
        }
    }

    /// Commands about the room the author is in.
    async fn in_room(&self, asked: &Asked, command: Command) -> String {
        let Some(voice_room) = self.parts.voice.room_of(asked.author) else {
            return "Join the voice room I am playing in first.".into();
        };
        let open = self.opener();
        let mut rooms = self.rooms.lock().await;
        let Some(room) = rooms.get_mut(&voice_room) else {
            return format!(
                "Nothing is playing in your room. Start with `{}play`.",
                self.settings.prefix
            );
        };
        room.text_channel = asked.channel;
        match command {
            Command::Pause => {
                room.paused = true;
                room.player.send(Control::Pause);
                "Paused.".into()
            }
            Command::Resume => {
                room.paused = false;
                room.player.send(Control::Resume);
                room.keep_going(&open);
                "Playing.".into()
            }
            Command::Skip => {
                let mine = room
                    .current
                    .as_ref()
                    .is_some_and(|(_, e)| e.requested_by.0 == asked.author);
                drop(rooms);
                if !mine && !self.is_dj(asked).await {
                    return format!(
                        "Only who asked for it (or a DJ) can skip it; try `{}voteskip`.",
                        self.settings.prefix
                    );
                }
                let mut rooms = self.rooms.lock().await;
                if let Some(room) = rooms.get_mut(&voice_room) {
                    room.skip();
                }
                "Skipped.".into()
            }
            Command::ForceSkip => {
                room.skip();
                "Skipped.".into()
            }
            Command::VoteSkip => {
                room.votes.insert(asked.author);
                let listeners = self.parts.voice.listeners(voice_room, self.my_id()).max(1);
                let needed = listeners / 2 + 1;
                if room.votes.len() >= needed {
                    room.skip();
                    "The room voted: skipped.".into()
                } else {
                    format!("Vote to skip: {} of {needed}.", room.votes.len())
                }
            }
            Command::SkipTo(n) => match room.queue.skip_to(n) {
                Ok(()) => {
                    room.prepare(&open);
                    room.skip();
                    format!("Skipping to position {n}.")
                }
                Err(e) => e.to_string(),
            },
            Command::Stop => {
                room.stop();
                let id = room.id;
                rooms.remove(&voice_room);
                if let Some(me) = self.user.get() {
                    self.parts.voice.leave(me, id);
                }
                "Stopped, queue cleared. Bye!".into()
            }
            Command::Leave => {
                rooms.remove(&voice_room);
                if let Some(me) = self.user.get() {
                    self.parts.voice.leave(me, voice_room);
                }
                "Bye!".into()
            }
            Command::Queue(page) => {
                let (items, pages) = room.queue.page(page, PAGE);
                let now = room
                    .current
                    .as_ref()
                    .map(|(_, e)| format!("Now: {}\n", describe(e)))
                    .unwrap_or_default();
                if items.is_empty() {
                    return format!("{now}The queue is empty.");
                }
                let lines: Vec<String> = items.iter().map(|(i, e)| format!("`{i}` {}", describe(e))).collect();
                format!("{now}{}\nPage {} of {pages}.", lines.join("\n"), page.clamp(1, pages))
            }
            Command::NowPlaying => match &room.current {
                Some((_, entry)) => {
                    let embed = now_playing_embed(entry, None);
                    drop(rooms);
                    self.reply(asked, "", Some(embed)).await;
                    String::new()
                }
                None => "Nothing is playing.".into(),
            },
            Command::Volume(percent) => {
                room.volume = percent;
                room.player.send(Control::Volume(f32::from(percent) / 100.0));
                format!("Volume {percent}%.")
            }
            Command::Seek(position) => {
                if room
                    .current
                    .as_ref()
                    .is_some_and(|(_, e)| e.duration.is_some_and(|d| position >= d))
                {
                    return "That is past the end of the track.".into();
                }
                room.player.send(Control::Seek(position));
                format!("Jumped to {}.", format_time(position))
            }
            Command::Shuffle => {
                let mut state = getrandom::u64().unwrap_or(0x9e37_79b9_7f4a_7c15) | 1;
                room.queue.shuffle(move || {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    state
                });
                room.prepare(&open);
                "Shuffled.".into()
            }
            Command::Loop(mode) => {
                room.queue.loop_mode = mode;
                room.prepare(&open);
                match mode {
                    LoopMode::Off => "Looping off.".into(),
                    LoopMode::Track => "Looping this track.".into(),
                    LoopMode::Queue => "Looping the queue.".into(),
                }
            }
            Command::Remove(n) => match room.queue.remove(n) {
                Ok(entry) => {
                    room.prepare(&open);
                    format!("Removed {}.", describe(&entry))
                }
                Err(e) => e.to_string(),
            },
            Command::Move(a, b) => match room.queue.move_entry(a, b) {
                Ok(()) => {
                    room.prepare(&open);
                    format!("Moved position {a} to {b}.")
                }
                Err(e) => e.to_string(),
            },
            Command::Clear => {
                let n = room.queue.clear();
                room.prepare(&open);
                format!("Cleared {n} tracks.")
            }
            Command::History => {
                let lines: Vec<String> = room.queue.history().take(10).map(describe).collect();
                if lines.is_empty() {
                    "Nothing played yet.".into()
                } else {
                    lines.join("\n")
                }
            }
            Command::Help | Command::Search(_) | Command::Play(_) | Command::PlayNext(_) => String::new(),
        }
    }
}
