//! Turning an export into spot's rows: the channel (and its category or parent), then each message — its people,
//! time, text with mentions and custom emoji rewritten to what they became here, files, reactions, embeds —
//! batched into the store.

mod text;
mod visit;

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::export::{self, Channel, Visit};
use super::source::ExportFile;
use super::{BATCH, Importer, Options, Progress, Report};
use crate::store::{ChannelKind, NewChannel, Snowflake};
use visit::FileVisit;

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
