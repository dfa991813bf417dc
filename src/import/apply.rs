//! Turning an export into spot's rows: the channel (and its category or parent), then each message — its people,
//! time, text with mentions and custom emoji rewritten to what they became here, files, reactions, embeds —
//! batched into the store.

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::Digest;

use super::export::{self, Author, Channel, Visit};
use super::source::ExportFile;
use super::{BATCH, Importer, Options, Progress, Report};
use crate::store::{
    Attachment, ChannelKind, Emoji, ImportMessage, ImportPerson, MessageExtra, NewChannel, Snowflake, snowflake_at,
};

/// Placeholders stand in for reactors an export counts but does not list; at most this many per emoji.
const MAX_PLACEHOLDERS: usize = 1000;

/// What one import has learned so far (Discord ids → spot ids), shared by its files.
struct State {
    guild: Snowflake,
    people: HashMap<i64, Snowflake>,
    placeholders: Vec<Snowflake>,
    channels: HashMap<i64, Snowflake>,
    /// Messages of this run: Discord id → (channel, spot id), for replies.
    messages: HashMap<i64, (Snowflake, Snowflake)>,
    /// Custom emoji: Discord id → (spot id, name, animated).
    emojis: HashMap<i64, (Snowflake, String, bool)>,
    emoji_names: HashMap<String, (Snowflake, bool)>,
    /// People imported before (for a dry run's counts).
    known_people: std::collections::HashSet<i64>,
    seq: i64,
}

pub(super) fn run(
    importer: &Importer,
    files: Vec<ExportFile>,
    options: &Options,
    progress: &mut dyn Progress,
) -> Result<Report, String> {
    let rt = &importer.runtime;
    let store = &importer.store;
    let guild = rt
        .block_on(store.guild_home())
        .map_err(|e| e.to_string())?
        .ok_or("there is no home space: run `spot init` first")?;
    let emoji_names = rt
        .block_on(store.emojis(guild.id))
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|e| (e.name, (e.id, e.animated)))
        .collect();
    let known_people = rt
        .block_on(store.imported_people())
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|p| p.source_id)
        .collect();
    let mut report = Report::default();
    // Every file's channel first: parents are made before the threads in them.
    let mut headed = Vec::new();
    for file in files {
        match header(&file) {
            Ok(channel) => headed.push((file, channel)),
            Err(why) => report.failures.push(format!("{}: {why}", file.name)),
        }
    }
    headed.sort_by_key(|(_, channel)| channel.is_thread());
    let mut state = State {
        guild: guild.id,
        people: HashMap::new(),
        placeholders: Vec::new(),
        channels: HashMap::new(),
        messages: HashMap::new(),
        emojis: HashMap::new(),
        emoji_names,
        known_people,
        seq: 0,
    };
    let total = headed.len();
    for (index, (file, channel)) in headed.iter().enumerate() {
        report.files += 1;
        progress.file(index, total, &file.name, &channel.name, file.size);
        let result = import_file(importer, &mut state, file, channel, options, &mut report, progress);
        progress.done();
        if let Err(why) = result {
            report.failures.push(format!("{}: {why}", file.name));
        }
    }
    Ok(report)
}

/// The `channel` of a file (reading stops right after it).
fn header(file: &ExportFile) -> Result<Channel, String> {
    struct Header(Option<Channel>);
    impl Visit for Header {
        fn guild(&mut self, _: export::Guild) -> Result<(), String> {
            Ok(())
        }
        fn channel(&mut self, channel: Channel) -> Result<(), String> {
            self.0 = Some(channel);
            Err(STOP.into())
        }
        fn message(&mut self, _: usize, _: Result<export::Message, String>) -> Result<(), String> {
            Err(STOP.into())
        }
    }
    const STOP: &str = "spot: header read";
    let mut header = Header(None);
    match export::read(file.open()?, &mut header) {
        Err(e) if e.contains(STOP) => {}
        Err(e) => return Err(e),
        Ok(()) => {}
    }
    let channel = header
        .0
        .ok_or("not a DiscordChatExporter JSON export: it has no `channel`")?;
    if channel.kind.starts_with("Direct") {
        return Err("direct messages are not imported (only a server's channels)".into());
    }
    source_id(&channel.id).ok_or("the channel has no id")?;
    Ok(channel)
}

fn source_id(text: &str) -> Option<i64> {
    text.parse::<i64>().ok().filter(|id| *id > 0)
}

/// Counts the bytes read, for progress.
struct Counting<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

fn import_file(
    importer: &Importer,
    state: &mut State,
    file: &ExportFile,
    channel: &Channel,
    options: &Options,
    report: &mut Report,
    progress: &mut dyn Progress,
) -> Result<(), String> {
    let channel_id = channel_for(importer, state, channel, options, report)?;
    let read = Arc::new(AtomicU64::new(0));
    let reader = Counting {
        inner: file.open()?,
        read: read.clone(),
    };
    let mut visit = FileVisit {
        importer,
        state,
        file,
        channel_id,
        options,
        report,
        progress,
        read,
        batch: Vec::with_capacity(BATCH),
        count: 0,
        pending: None,
    };
    let result = export::read(reader, &mut visit);
    // What was read before a break is complete: it is written either way.
    visit.flush()?;
    visit.settle()?;
    result
}

/// The spot channel for an export's channel: found (imported before, or earlier in this run) or made, with its
/// category (or, for a thread, its parent channel) first.
fn channel_for(
    importer: &Importer,
    state: &mut State,
    channel: &Channel,
    options: &Options,
    report: &mut Report,
) -> Result<Snowflake, String> {
    let id = source_id(&channel.id).ok_or("the channel has no id")?;
    let parent = match source_id(&channel.category_id) {
        Some(parent_id) => {
            let (kind, name) = if channel.is_thread() {
                (ChannelKind::Text, channel.category.as_str())
            } else {
                (ChannelKind::Category, channel.category.as_str())
            };
            Some(ensure_channel(
                importer, state, parent_id, kind, name, None, "", options, report,
            )?)
        }
        None => None,
    };
    let kind = if channel.is_thread() {
        ChannelKind::PublicThread
    } else {
        ChannelKind::Text
    };
    ensure_channel(
        importer,
        state,
        id,
        kind,
        &channel.name,
        parent,
        &channel.topic,
        options,
        report,
    )
}

#[allow(clippy::too_many_arguments)]
fn ensure_channel(
    importer: &Importer,
    state: &mut State,
    source: i64,
    kind: ChannelKind,
    name: &str,
    parent: Option<Snowflake>,
    topic: &str,
    options: &Options,
    report: &mut Report,
) -> Result<Snowflake, String> {
    if let Some(id) = state.channels.get(&source) {
        return Ok(*id);
    }
    let rt = &importer.runtime;
    let known = rt
        .block_on(importer.store.import_ids("channel", vec![source]))
        .map_err(|e| e.to_string())?;
    if let Some(id) = known.get(&source) {
        state.channels.insert(source, *id);
        return Ok(*id);
    }
    if options.dry_run {
        report.channels_created += 1;
        let placeholder = -(state.channels.len() as i64) - 1;
        state.channels.insert(source, placeholder);
        return Ok(placeholder);
    }
    let clean: String = name.chars().filter(|c| !c.is_control()).take(100).collect();
    let new = NewChannel {
        guild_id: Some(state.guild),
        kind: kind.code(),
        name: if clean.trim().is_empty() {
            "imported".into()
        } else {
            clean
        },
        parent_id: parent.filter(|p| *p > 0),
        topic: Some(topic.chars().take(1024).collect::<String>()).filter(|t| !t.is_empty()),
        auto_archive_duration: Some(10080),
        ..NewChannel::default()
    };
    let (made, created) = rt
        .block_on(importer.store.import_channel(source, new, now_ms()))
        .map_err(|e| e.to_string())?;
    if created {
        report.channels_created += 1;
    }
    state.channels.insert(source, made.id);
    Ok(made.id)
}

fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

struct FileVisit<'a> {
    importer: &'a Importer,
    state: &'a mut State,
    file: &'a ExportFile,
    channel_id: Snowflake,
    options: &'a Options,
    report: &'a mut Report,
    progress: &'a mut dyn Progress,
    read: Arc<AtomicU64>,
    batch: Vec<ImportMessage>,
    count: u64,
    /// The batch being written while the next one is read (and its size).
    pending: Option<(Writing, usize)>,
}

type Writing = tokio::task::JoinHandle<Result<usize, crate::store::StoreError>>;

impl Visit for FileVisit<'_> {
    fn guild(&mut self, _: export::Guild) -> Result<(), String> {
        Ok(())
    }

    fn channel(&mut self, _: Channel) -> Result<(), String> {
        Ok(())
    }

    fn message(&mut self, index: usize, message: Result<export::Message, String>) -> Result<(), String> {
        self.count += 1;
        if self.count.is_multiple_of(500) {
            self.progress.advance(self.read.load(Ordering::Relaxed), self.count);
        }
        let message = match message {
            Ok(message) => message,
            Err(why) => {
                self.warn(index, "?", &format!("unreadable, skipped: {why}"));
                return Ok(());
            }
        };
        match self.convert(index, &message) {
            Ok(Some(converted)) => self.batch.push(converted),
            Ok(None) => {}
            Err(why) => self.warn(index, &message.id, &why),
        }
        if self.batch.len() >= BATCH {
            self.flush()?;
        }
        Ok(())
    }
}

impl FileVisit<'_> {
    fn warn(&mut self, index: usize, id: &str, why: &str) {
        self.report
            .warnings
            .push(format!("{}: message #{} ({id}): {why}", self.file.name, index + 1));
    }

    /// Writes the batch (in a dry run: counts what would be new).
    fn flush(&mut self) -> Result<(), String> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let batch = std::mem::take(&mut self.batch);
        let rt = &self.importer.runtime;
        if self.options.dry_run {
            let sources: Vec<i64> = batch.iter().map(|m| m.source_id).collect();
            let known = rt
                .block_on(self.importer.store.import_ids("message", sources))
                .map_err(|e| e.to_string())?;
            self.report.messages_skipped += known.len();
            self.report.messages_imported += batch.len() - known.len();
            return Ok(());
        }
        // One batch is written while the next is read (two cores, two jobs); each write starts a moment after
        // the last one committed, so the server's own writes get the database in between.
        self.settle()?;
        let n = batch.len();
        let store = self.importer.store.clone();
        let writing = rt.spawn(async move {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
            store.import_messages(batch, now_ms()).await
        });
        self.pending = Some((writing, n));
        self.progress.advance(self.read.load(Ordering::Relaxed), self.count);
        Ok(())
    }

    /// Waits for the batch being written and counts it.
    fn settle(&mut self) -> Result<(), String> {
        if let Some((writing, n)) = self.pending.take() {
            let written = self
                .importer
                .runtime
                .block_on(writing)
                .map_err(|e| format!("writing messages: {e}"))?
                .map_err(|e| format!("writing messages: {e}"))?;
            self.report.messages_imported += written;
            self.report.messages_skipped += n - written;
        }
        Ok(())
    }

    /// One message as spot's rows; `None` for one this run already has.
    fn convert(&mut self, index: usize, m: &export::Message) -> Result<Option<ImportMessage>, String> {
        let source = source_id(&m.id).ok_or("it has no id")?;
        if self.state.messages.contains_key(&source) {
            self.report.messages_skipped += 1;
            return Ok(None);
        }
        let kind = match m.kind.as_str() {
            "Default" | "" => 0,
            "RecipientAdd" => 1,
            "RecipientRemove" => 2,
            "Call" => 3,
            "ChannelNameChange" => 4,
            "ChannelIconChange" => 5,
            "ChannelPinnedMessage" => 6,
            "GuildMemberJoin" => 7,
            "ThreadCreated" => 18,
            "Reply" => 19,
            other => match other.parse::<i64>() {
                Ok(code) if (0..=50).contains(&code) => code,
                _ => return Err(format!("unknown message type `{other}`, skipped")),
            },
        };
        let time = parse_time(&m.timestamp).ok_or_else(|| format!("bad timestamp `{}`", m.timestamp))?;
        let edited_at = if m.timestamp_edited.is_empty() {
            None
        } else {
            parse_time(&m.timestamp_edited)
        };
        self.state.seq += 1;
        let id = snowflake_at(time) | (self.state.seq & 0x3F_FFFF);
        let author_id = self.person(&m.author)?;
        let mut mentions = Vec::new();
        let mut known_people = HashMap::new();
        for person in &m.mentions {
            let spot = self.person(person)?;
            if let Some(source) = source_id(&person.id) {
                known_people.insert(source, spot);
            }
            mentions.push(spot);
        }
        for emoji in &m.inline_emojis {
            self.custom_emoji(emoji);
        }
        let mut content = rewrite(&m.content, &known_people, &self.state.channels, &self.state.emojis);
        let reference = m
            .reference
            .as_ref()
            .and_then(|r| source_id(&r.message_id))
            .and_then(|target| {
                self.state.messages.get(&target).copied().or_else(|| {
                    let known = self
                        .importer
                        .runtime
                        .block_on(self.importer.store.import_ids("message", vec![target]))
                        .ok()?;
                    known.get(&target).map(|id| (self.channel_id, *id))
                })
            });
        let kind = if kind == 19 && reference.is_none() { 0 } else { kind };
        let mut attachments = Vec::new();
        for a in &m.attachments {
            match self.attachment(a) {
                Ok(Some(stored)) => attachments.push(stored),
                Ok(None) => {
                    self.report.attachments_linked += 1;
                    content.push_str(&format!("\n{}", a.url));
                }
                Err(why) => self.warn(index, &m.id, &why),
            }
        }
        for sticker in &m.stickers {
            content.push_str(&format!("\n*sticker: {}*", sticker.name));
        }
        let mut reactions = Vec::new();
        for r in &m.reactions {
            let key = if r.emoji.id.is_empty() {
                r.emoji.name.clone()
            } else {
                match self.custom_emoji(&r.emoji) {
                    Some(spot) => spot.to_string(),
                    None => format!(":{}:", r.emoji.name),
                }
            };
            let mut users = Vec::new();
            for person in &r.users {
                users.push(self.person(person)?);
            }
            let missing = (r.count.max(0) as usize)
                .saturating_sub(users.len())
                .min(MAX_PLACEHOLDERS);
            for k in 0..missing {
                users.push(self.placeholder(k)?);
            }
            if !users.is_empty() && !key.is_empty() {
                reactions.push((key, users));
            }
        }
        let embeds = embeds(&m.embeds);
        self.state.messages.insert(source, (self.channel_id, id));
        Ok(Some(ImportMessage {
            source_id: source,
            id,
            channel_id: self.channel_id,
            author_id,
            content: content.chars().take(4000).collect(),
            kind,
            edited_at,
            pinned: m.is_pinned,
            mentions,
            embeds,
            reference,
            attachments,
            reactions,
            extra: MessageExtra::default(),
        }))
    }

    /// The imported person for an export's author (made on first sight, with their picture when the export
    /// has it).
    fn person(&mut self, author: &Author) -> Result<Snowflake, String> {
        let source = source_id(&author.id).ok_or("an author without an id")?;
        if let Some(id) = self.state.people.get(&source) {
            return Ok(*id);
        }
        if self.options.dry_run {
            if !self.state.known_people.contains(&source) {
                self.report.people_created += 1;
            }
            self.state.people.insert(source, -source);
            return Ok(-source);
        }
        let display = if author.nickname.trim().is_empty() {
            &author.name
        } else {
            &author.nickname
        };
        let tag = match author.discriminator.as_str() {
            "" | "0" | "0000" => author.name.clone(),
            d => format!("{}#{d}", author.name),
        };
        let person = ImportPerson {
            source_id: source,
            display_name: display.chars().filter(|c| !c.is_control()).take(32).collect(),
            tag,
            color: author
                .color
                .strip_prefix('#')
                .and_then(|hex| i64::from_str_radix(hex, 16).ok()),
            is_bot: author.is_bot,
            avatar: None,
        };
        let rt = &self.importer.runtime;
        let (id, made) = rt
            .block_on(self.importer.store.import_person(person, now_ms()))
            .map_err(|e| e.to_string())?;
        if made {
            self.report.people_created += 1;
            if let Ok(Some(bytes)) = self.file.asset(&author.avatar_url)
                && let Some((ext, _)) = crate::media::image_kind(&bytes)
                && bytes.len() <= crate::media::MAX_AVATAR_BYTES
            {
                let hash = hex::encode(&sha2::Sha256::digest(&bytes)[..16]);
                let dir = self.importer.data_dir.join("avatars").join(id.to_string());
                if std::fs::create_dir_all(&dir).is_ok()
                    && std::fs::write(dir.join(format!("{hash}.{ext}")), &bytes).is_ok()
                {
                    let _ = rt.block_on(self.importer.store.user_set_profile(id, None, Some(Some(hash))));
                }
            }
        }
        self.state.people.insert(source, id);
        Ok(id)
    }

    /// The k-th stand-in for a reactor the export counted but did not list.
    fn placeholder(&mut self, k: usize) -> Result<Snowflake, String> {
        while self.state.placeholders.len() <= k {
            let n = self.state.placeholders.len() as i64 + 1;
            let id = if self.options.dry_run {
                -n
            } else {
                let person = ImportPerson {
                    source_id: -n,
                    display_name: "someone".into(),
                    tag: "a reactor the export did not list".into(),
                    ..ImportPerson::default()
                };
                self.importer
                    .runtime
                    .block_on(self.importer.store.import_person(person, now_ms()))
                    .map_err(|e| e.to_string())?
                    .0
            };
            self.state.placeholders.push(id);
        }
        Ok(self.state.placeholders[k])
    }

    /// The spot emoji for an export's custom emoji: one of the space's by that name, or made from the export's
    /// picture; `None` when there is neither.
    fn custom_emoji(&mut self, emoji: &export::Emoji) -> Option<Snowflake> {
        let source = source_id(&emoji.id)?;
        if let Some((id, ..)) = self.state.emojis.get(&source) {
            return Some(*id);
        }
        let name: String = emoji
            .name
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .take(32)
            .collect();
        if name.len() < 2 {
            return None;
        }
        if let Some((id, animated)) = self.state.emoji_names.get(&name).copied() {
            self.state.emojis.insert(source, (id, name, animated));
            return Some(id);
        }
        let bytes = self.file.asset(&emoji.image_url).ok().flatten()?;
        if self.options.dry_run {
            self.report.emojis_created += 1;
            self.state
                .emoji_names
                .insert(name.clone(), (-source, emoji.is_animated));
            self.state.emojis.insert(source, (-source, name, emoji.is_animated));
            return None;
        }
        let picture = crate::media::fit(&bytes, 128).ok()?;
        let rt = &self.importer.runtime;
        let id = self.importer.store.next_id();
        let files = crate::uploads::Uploads::expressions(&self.importer.data_dir);
        rt.block_on(files.save(id, &picture.bytes)).ok()?;
        let made = Emoji {
            id,
            guild_id: self.state.guild,
            name: name.clone(),
            animated: picture.animated,
            user_id: None,
            roles: Vec::new(),
            deleted: false,
        };
        match rt.block_on(self.importer.store.emoji_create(made, usize::MAX, now_ms())) {
            Ok(Ok(_)) => {
                self.report.emojis_created += 1;
                self.state.emoji_names.insert(name.clone(), (id, picture.animated));
                self.state.emojis.insert(source, (id, name, picture.animated));
                Some(id)
            }
            _ => None,
        }
    }

    /// A file copied in (`None`: not in the export, kept as a link).
    fn attachment(&mut self, a: &export::Attachment) -> Result<Option<Attachment>, String> {
        let Some(bytes) = self.file.asset(&a.url)? else {
            return Ok(None);
        };
        let filename = crate::uploads::clean_filename(if a.file_name.is_empty() { "file" } else { &a.file_name });
        let mut content_type = crate::uploads::content_type_for(&filename);
        let mut size = (None, None);
        if content_type.starts_with("image/") {
            // A picture by its name must be one by its bytes; otherwise it is only offered as a download.
            match crate::media::image_kind(&bytes) {
                Some((_, mime)) => {
                    content_type = mime.to_owned();
                    if let Ok(dims) = imagesize::blob_size(&bytes) {
                        size = (Some(dims.width as i64), Some(dims.height as i64));
                    }
                }
                None => content_type = "application/octet-stream".into(),
            }
        }
        if self.options.dry_run {
            self.report.attachments_copied += 1;
            return Ok(Some(Attachment {
                id: 0,
                filename,
                content_type,
                size: bytes.len() as i64,
                width: None,
                height: None,
                description: None,
                duration_secs: None,
                waveform: None,
            }));
        }
        let id = self.importer.store.next_id();
        let uploads = crate::uploads::Uploads::new(&self.importer.data_dir);
        self.importer
            .runtime
            .block_on(uploads.save(id, &bytes))
            .map_err(|e| format!("copying {filename}: {e}"))?;
        self.report.attachments_copied += 1;
        Ok(Some(Attachment {
            id,
            filename,
            content_type,
            size: bytes.len() as i64,
            width: size.0,
            height: size.1,
            description: None,
            duration_secs: None,
            waveform: None,
        }))
    }
}

/// An ISO 8601 time (with its offset) in milliseconds.
fn parse_time(text: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp_millis())
        .filter(|ms| *ms > crate::store::DISCORD_EPOCH_MS)
}

/// The text with `<@id>`, `<#id>` and `<:name:id>` pointing at what those became here (others left as they were).
fn rewrite(
    text: &str,
    people: &HashMap<i64, Snowflake>,
    channels: &HashMap<i64, Snowflake>,
    emojis: &HashMap<i64, (Snowflake, String, bool)>,
) -> String {
    if !text.contains('<') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let Some(end) = tail.find('>') else {
            out.push_str(tail);
            return out;
        };
        let inner = &tail[1..end];
        let replaced = if let Some(id) = inner.strip_prefix("@!").or_else(|| inner.strip_prefix('@')) {
            id.parse::<i64>()
                .ok()
                .and_then(|id| people.get(&id))
                .map(|spot| format!("<@{spot}>"))
        } else if let Some(id) = inner.strip_prefix('#') {
            id.parse::<i64>()
                .ok()
                .and_then(|id| channels.get(&id))
                .filter(|spot| **spot > 0)
                .map(|spot| format!("<#{spot}>"))
        } else if inner.starts_with(':') || inner.starts_with("a:") {
            inner
                .rsplit(':')
                .next()
                .and_then(|id| id.parse::<i64>().ok())
                .and_then(|id| emojis.get(&id))
                .filter(|(spot, ..)| *spot > 0)
                .map(|(spot, name, animated)| format!("<{}:{name}:{spot}>", if *animated { "a" } else { "" }))
        } else {
            None
        };
        match replaced {
            Some(text) => out.push_str(&text),
            None => out.push_str(&tail[..=end]),
        }
        rest = &tail[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The export's embeds in Discord's shape (DiscordChatExporter renames a few fields), checked as a client's
/// would be; ones that do not pass are left out.
fn embeds(values: &[serde_json::Value]) -> String {
    use serde_json::{Map, Value, json};
    let text = |v: &Value| {
        v.as_str()
            .filter(|s| !s.is_empty())
            .map(|s| Value::String(s.to_owned()))
    };
    let link = |v: &Value| {
        let canonical = v.get("canonicalUrl").and_then(|u| u.as_str());
        let url = v.get("url").and_then(|u| u.as_str());
        canonical
            .or(url)
            .filter(|u| u.starts_with("http://") || u.starts_with("https://"))
            .map(|u| Value::String(u.to_owned()))
    };
    let mut out = Vec::new();
    for e in values {
        let mut embed = Map::new();
        for key in ["title", "url", "timestamp", "description"] {
            if let Some(value) = e.get(key).and_then(text) {
                embed.insert(key.into(), value);
            }
        }
        if let Some(color) = e
            .get("color")
            .and_then(|c| c.as_str())
            .and_then(|c| i64::from_str_radix(c.trim_start_matches('#'), 16).ok())
        {
            embed.insert("color".into(), json!(color));
        }
        if let Some(author) = e.get("author").filter(|a| a.is_object()) {
            let mut a = Map::new();
            if let Some(name) = author.get("name").and_then(text) {
                a.insert("name".into(), name);
                if let Some(url) = author.get("url").and_then(text) {
                    a.insert("url".into(), url);
                }
                embed.insert("author".into(), Value::Object(a));
            }
        }
        for key in ["thumbnail", "image"] {
            if let Some(url) = e.get(key).and_then(link) {
                embed.insert(key.into(), json!({"url": url}));
            }
        }
        if let Some(footer) = e.get("footer").and_then(|f| f.get("text")).and_then(text) {
            embed.insert("footer".into(), json!({"text": footer}));
        }
        if let Some(fields) = e.get("fields").and_then(|f| f.as_array()) {
            let fields: Vec<Value> = fields
                .iter()
                .filter_map(|f| {
                    Some(json!({
                        "name": f.get("name").and_then(text)?,
                        "value": f.get("value").and_then(text)?,
                        "inline": f.get("isInline").and_then(|i| i.as_bool()).unwrap_or(false),
                    }))
                })
                .collect();
            if !fields.is_empty() {
                embed.insert("fields".into(), Value::Array(fields));
            }
        }
        if !embed.is_empty() {
            out.push(Value::Object(embed));
        }
    }
    match crate::wire::parse_embeds(&out) {
        Ok(checked) => serde_json::to_string(&checked).unwrap_or_else(|_| "[]".into()),
        Err(_) => {
            // One bad embed spoils the list: keep those that pass alone.
            let kept: Vec<_> = out
                .iter()
                .filter_map(|e| crate::wire::parse_embeds(std::slice::from_ref(e)).ok())
                .flatten()
                .collect();
            serde_json::to_string(&kept).unwrap_or_else(|_| "[]".into())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_channels_and_emoji_are_rewritten() {
        let people = HashMap::from([(111, 5)]);
        let channels = HashMap::from([(222, 6)]);
        let emojis = HashMap::from([
            (333, (7, "party".to_owned(), false)),
            (444, (8, "dance".to_owned(), true)),
        ]);
        assert_eq!(
            rewrite(
                "hi <@111> and <@!111> in <#222> <:party:333> <a:dance:444> <@999> <b>",
                &people,
                &channels,
                &emojis
            ),
            "hi <@5> and <@5> in <#6> <:party:7> <a:dance:8> <@999> <b>"
        );
        assert_eq!(rewrite("a < b", &people, &channels, &emojis), "a < b");
        assert_eq!(parse_time("2020-03-13T17:52:31.123+01:00"), Some(1_584_118_351_123));
        assert_eq!(parse_time("yesterday"), None);
    }

    #[test]
    fn embeds_are_discords_shape() {
        let exported = serde_json::json!([{"title": "Build", "url": "https://ci.example/1", "timestamp": null,
            "description": "", "color": "#FF0000", "author": {"name": "CI", "url": null},
            "thumbnail": {"url": "assets/x.png", "canonicalUrl": "https://cdn/x.png", "width": 1, "height": 1},
            "images": [], "fields": [{"name": "a", "value": "b", "isInline": true}], "inlineEmojis": []}]);
        let stored: serde_json::Value = serde_json::from_str(&embeds(exported.as_array().unwrap())).unwrap();
        assert_eq!(stored[0]["title"], "Build");
        assert_eq!(stored[0]["color"], 0xFF0000);
        assert_eq!(stored[0]["thumbnail"]["url"], "https://cdn/x.png");
        assert_eq!(stored[0]["fields"][0]["inline"], true);
        assert!(stored[0].get("description").is_none());
    }
}
