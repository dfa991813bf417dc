//! The DJ's chat side: what a `!` command means (finding what to play, the DJ-role check), the replies, and how
//! an entry opens on the player's thread. Commands about a room's player go through [`super::actions`], which
//! the web client's now-playing bar uses too.

use std::sync::Arc;
use std::time::Duration;

use super::error::MusicError;
use super::room::{Room, forward_events};
use super::text::{describe, now_playing_embed};
use super::{Asked, Dj};
use crate::music::commands::{Command, format_time, help};
use crate::music::library::read_file_tags;
use crate::music::pipeline::AudioError;
use crate::music::player::{Opener, Player};
use crate::music::queue::{CoverArt, Entry, Requester, Source};
use crate::music::sources::{self, Found};
use crate::perms;
use crate::store::Snowflake;

/// Search results shown by `!search`.
const SEARCH_RESULTS: usize = 10;

fn is_audio(kind: &str, name: &str) -> bool {
    kind.starts_with("audio/")
        || kind == "application/ogg"
        || ["mp3", "flac", "ogg", "opus", "wav", "m4a", "aac"]
            .iter()
            .any(|ext| name.to_ascii_lowercase().ends_with(&format!(".{ext}")))
}

/// Why a track is too long to play, in the words the DJ uses.
pub(super) fn too_long(length: Duration, limit: Duration) -> String {
    format!(
        "it is too long ({}; the longest I play is {})",
        format_time(length),
        format_time(limit)
    )
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
                match reader.duration() {
                    Some(length) if length > max_track => Err(AudioError::Unsupported(too_long(length, max_track))),
                    _ => Ok(reader),
                }
            })
        }
    }

    /// Whether `user` may use DJ-only commands: admins, and members with the DJ role.
    pub(super) async fn is_dj(&self, user: Snowflake) -> bool {
        let Ok(Some(member)) = self.parts.store.member_get(self.guild, user).await else {
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

    /// Fails unless `user` may give `command`: DJ-only commands need the DJ role (or admin rights).
    pub(super) async fn allowed(&self, user: Snowflake, command: &Command) -> Result<(), MusicError> {
        if command.needs_dj() && !self.is_dj(user).await {
            return Err(MusicError::NeedsDj(self.settings.dj_role.clone()));
        }
        Ok(())
    }

    pub(super) async fn handle(self: &Arc<Self>, asked: &Asked, command: Command) {
        if let Err(refused) = self.allowed(asked.author, &command).await {
            return self.reply(asked, &refused.to_string(), None).await;
        }
        let text = match command {
            Command::Help => help(&self.settings.prefix),
            Command::Search(query) => self.search(asked, &query).await,
            Command::Play(query) => self.play(asked, &query, false).await,
            Command::PlayNext(query) => self.play(asked, &query, true).await,
            Command::NowPlaying => return self.now_playing(asked).await,
            other => match self.parts.voice.room_of(asked.author) {
                None => MusicError::NotInRoom.to_string(),
                Some(room) => self
                    .run(asked.author, room, Some(asked.channel), other)
                    .await
                    .unwrap_or_else(|refused| refused.to_string()),
            },
        };
        if !text.is_empty() {
            self.reply(asked, &text, None).await;
        }
    }

    async fn now_playing(&self, asked: &Asked) {
        let playing = match self.parts.voice.room_of(asked.author) {
            None => Err(MusicError::NotInRoom.to_string()),
            Some(room) => match self.rooms.lock().await.get(&room) {
                Some(Room {
                    current: Some((_, entry)),
                    clock,
                    ..
                }) => Ok(now_playing_embed(
                    entry,
                    Some(clock.position()),
                    &self.settings.public_url,
                )),
                _ => Err("Nothing is playing.".to_owned()),
            },
        };
        match playing {
            Ok(embed) => self.reply(asked, "", Some(embed)).await,
            Err(text) => self.reply(asked, &text, None).await,
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
                let entry = entry(asked, f.clone());
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

    /// What `!play <query>` means: an attachment, a number from the last search, a URL, or library words.
    async fn find(&self, asked: &Asked, query: &str) -> Result<Found, String> {
        if query.is_empty() {
            let attachment = asked
                .attachments
                .iter()
                .chain(&asked.replied_attachments)
                .find(|(_, name, kind)| is_audio(kind, name));
            return match attachment {
                Some((id, name, _)) => Ok(self.upload(asked.channel, *id, name).await),
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

    /// An uploaded file as a track, described by its own tags where it has them (title, artist, album, length,
    /// picture), else by its name. A file whose tags cannot be read keeps its name; playing it will say why.
    async fn upload(&self, channel: Snowflake, id: Snowflake, name: &str) -> Found {
        let path = crate::uploads::Uploads::new(&self.parts.data_dir).path(id);
        let extension = std::path::Path::new(name)
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_owned);
        let tags = tokio::task::spawn_blocking(move || read_file_tags(&path, extension.as_deref()))
            .await
            .ok()
            .and_then(Result::ok)
            .unwrap_or_default();
        Found {
            source: Source::Upload(channel, id),
            title: tags.title.unwrap_or_else(|| name.to_owned()),
            artist: tags.artist,
            album: tags.album,
            duration: tags
                .duration_ms
                .map(|ms| Duration::from_millis(ms.max(0).unsigned_abs())),
            cover: tags.cover.is_some().then_some(CoverArt::Upload(channel, id)),
        }
    }

    async fn play(self: &Arc<Self>, asked: &Asked, query: &str, next: bool) -> String {
        let Some(voice_room) = self.parts.voice.room_of(asked.author) else {
            return "Join a voice room first, then ask again.".into();
        };
        let found = match self.find(asked, query).await {
            Ok(found) => found,
            Err(why) => return why,
        };
        let entry = entry(asked, found);
        let described = describe(&entry);
        if let Some(length) = entry.duration.filter(|d| *d > self.settings.max_track) {
            return format!(
                "I cannot play **{}**: {}.",
                entry.title,
                too_long(length, self.settings.max_track)
            );
        }
        let open = self.opener();
        let mut rooms = self.rooms.lock().await;
        let room = match self.room_in(&mut rooms, voice_room, asked.channel).await {
            Ok(room) => room,
            Err(why) => return why,
        };
        room.text_channel = asked.channel;
        let reply = if room.current.is_none() && room.prepared.is_none() {
            room.start(entry, &open);
            String::new()
        } else {
            let pushed = room.edit_queue(&open, |queue| {
                if next {
                    queue.push_next(entry).map(|()| 1)
                } else {
                    queue.push(entry)
                }
            });
            match pushed {
                Ok(position) => format!("Queued {described} at position {position}."),
                Err(e) => e.to_string(),
            }
        };
        drop(rooms);
        self.publish(voice_room).await;
        reply
    }
}

impl Dj {
    /// The DJ's room in `voice_room`, joining it first if the DJ is not there (announcements go to
    /// `text_channel`). Errs with the reply to give.
    pub(super) async fn room_in<'a>(
        &self,
        rooms: &'a mut std::collections::HashMap<Snowflake, Room>,
        voice_room: Snowflake,
        text_channel: Snowflake,
    ) -> Result<&'a mut Room, String> {
        use std::collections::hash_map::Entry as Slot;
        match rooms.entry(voice_room) {
            Slot::Occupied(room) => Ok(room.into_mut()),
            Slot::Vacant(slot) => {
                let Some(me) = self.me().await else {
                    return Err("I cannot join rooms right now.".into());
                };
                let sink = self
                    .parts
                    .voice
                    .join(me, voice_room)
                    .await
                    .map_err(|why| format!("I cannot join that room: {why}"))?;
                let (player, events) =
                    Player::start(sink, 1.0).map_err(|e| format!("The player would not start: {e}"))?;
                forward_events(voice_room, events, self.events.clone());
                Ok(slot.insert(Room::new(voice_room, text_channel, player)))
            }
        }
    }
}

/// A queue entry for what `asked`'s author found.
fn entry(asked: &Asked, found: Found) -> Entry {
    Entry {
        source: found.source,
        title: found.title,
        artist: found.artist,
        album: found.album,
        duration: found.duration,
        cover: found.cover,
        requested_by: Requester {
            id: asked.author,
            username: asked.author_username.clone(),
            display_name: asked.author_name.clone(),
        },
    }
}
