//! Reading one file's messages: each turned into spot's rows (its people, time, text, files, reactions,
//! embeds) and written in batches, one batch written while the next is read.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sha2::Digest;

use super::super::export::{self, Author, Channel, Visit};
use super::super::source::ExportFile;
use super::super::{BATCH, Importer, Options, Progress, Report};
use super::text::{embeds, parse_time, rewrite};
use super::{MAX_PLACEHOLDERS, State, now_ms, source_id};
use crate::store::{Attachment, Emoji, ImportMessage, ImportPerson, MessageExtra, Snowflake, snowflake_at};

pub(super) struct FileVisit<'a> {
    pub(super) importer: &'a Importer,
    pub(super) state: &'a mut State,
    pub(super) file: &'a ExportFile,
    pub(super) channel_id: Snowflake,
    pub(super) options: &'a Options,
    pub(super) report: &'a mut Report,
    pub(super) progress: &'a mut dyn Progress,
    pub(super) read: Arc<AtomicU64>,
    pub(super) batch: Vec<ImportMessage>,
    pub(super) count: u64,
    /// The batch being written while the next one is read (and its size).
    pub(super) pending: Option<(Writing, usize)>,
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
    pub(super) fn flush(&mut self) -> Result<(), String> {
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
    pub(super) fn settle(&mut self) -> Result<(), String> {
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
