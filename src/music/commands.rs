//! The DJ's chat commands: parsing `!play …` and friends (with aliases) into [`Command`]s, and which of them
//! need the DJ role. Parsing is pure; the player carries the commands out.

use std::time::Duration;

/// How a queue repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LoopMode {
    /// Play through once.
    #[default]
    Off,
    /// Repeat the current track.
    Track,
    /// Put each finished track back at the end.
    Queue,
}

/// One DJ command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Queue a search term, URL, or (empty) the attachment of the message or of the one replied to.
    Play(String),
    /// Like play, but to the front of the queue.
    PlayNext(String),
    /// Search the library; the reply lists numbered results to `play` by number.
    Search(String),
    /// Pause.
    Pause,
    /// Resume.
    Resume,
    /// Skip (the requester of the current track, or a DJ).
    Skip,
    /// Vote to skip; a majority of listeners skips.
    VoteSkip,
    /// Skip at once (DJ).
    ForceSkip,
    /// Jump to queue position N (1-based).
    SkipTo(usize),
    /// Clear the queue and leave (DJ).
    Stop,
    /// Leave the room (the queue is kept for later).
    Leave,
    /// Show the queue, page N (1-based).
    Queue(usize),
    /// Show what is playing.
    NowPlaying,
    /// Set the volume, 0–200 percent (above 100 needs a DJ).
    Volume(u16),
    /// Jump to a position in the current track.
    Seek(Duration),
    /// Shuffle the queue.
    Shuffle,
    /// Set the loop mode.
    Loop(LoopMode),
    /// Remove queue position N.
    Remove(usize),
    /// Move queue position A to B.
    Move(usize, usize),
    /// Clear the queue (DJ).
    Clear,
    /// The last tracks played.
    History,
    /// The list of commands.
    Help,
}

/// What to tell someone whose command did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParseError(pub String);

impl Command {
    /// Whether only members with the DJ role (or admins) may run it.
    pub fn needs_dj(&self) -> bool {
        matches!(self, Command::ForceSkip | Command::Stop | Command::Clear)
            || matches!(self, Command::Volume(v) if *v > 100)
    }

    /// Parses a message: `None` when it is not a DJ command at all (no prefix, or an unknown word after it, so
    /// other bots' commands sharing the prefix are left alone), `Some(Err)` when it is one but malformed.
    pub fn parse(content: &str, prefix: &str) -> Option<Result<Command, ParseError>> {
        let rest = content.trim_start().strip_prefix(prefix)?;
        let (word, argument) = match rest.split_once(char::is_whitespace) {
            Some((word, argument)) => (word, argument.trim()),
            None => (rest.trim_end(), ""),
        };
        let word = word.to_lowercase();
        let parsed = match word.as_str() {
            "play" | "p" => Ok(Command::Play(argument.to_owned())),
            "playnext" | "pn" | "next" => Ok(Command::PlayNext(argument.to_owned())),
            "search" | "find" => {
                if argument.is_empty() {
                    Err(usage("search <words>"))
                } else {
                    Ok(Command::Search(argument.to_owned()))
                }
            }
            "pause" => Ok(Command::Pause),
            "resume" | "unpause" => Ok(Command::Resume),
            "skip" | "s" => Ok(Command::Skip),
            "voteskip" | "vs" => Ok(Command::VoteSkip),
            "forceskip" | "fs" => Ok(Command::ForceSkip),
            "skipto" | "jump" => position(argument, "skipto <queue position>").map(Command::SkipTo),
            "stop" => Ok(Command::Stop),
            "leave" | "dc" | "disconnect" => Ok(Command::Leave),
            "queue" | "q" => {
                if argument.is_empty() {
                    Ok(Command::Queue(1))
                } else {
                    position(argument, "queue [page]").map(Command::Queue)
                }
            }
            "nowplaying" | "np" => Ok(Command::NowPlaying),
            "volume" | "vol" | "v" => match argument.trim_end_matches('%').parse::<u16>() {
                Ok(v) if v <= 200 => Ok(Command::Volume(v)),
                _ => Err(usage("volume <0-200>")),
            },
            "seek" => parse_time(argument)
                .map(Command::Seek)
                .ok_or_else(|| usage("seek <mm:ss> (or seconds, or h:mm:ss)")),
            "shuffle" => Ok(Command::Shuffle),
            "loop" | "repeat" => match argument.to_lowercase().as_str() {
                "off" | "none" | "" => Ok(Command::Loop(LoopMode::Off)),
                "track" | "one" | "song" => Ok(Command::Loop(LoopMode::Track)),
                "queue" | "all" => Ok(Command::Loop(LoopMode::Queue)),
                _ => Err(usage("loop off|track|queue")),
            },
            "remove" | "rm" => position(argument, "remove <queue position>").map(Command::Remove),
            "move" | "mv" => {
                let mut parts = argument.split_whitespace();
                match (parts.next(), parts.next(), parts.next()) {
                    (Some(a), Some(b), None) => position(a, "move <from> <to>")
                        .and_then(|a| position(b, "move <from> <to>").map(|b| Command::Move(a, b))),
                    _ => Err(usage("move <from> <to>")),
                }
            }
            "clear" => Ok(Command::Clear),
            "history" | "recent" => Ok(Command::History),
            "help" | "commands" => Ok(Command::Help),
            _ => return None,
        };
        Some(parsed)
    }
}

fn usage(form: &str) -> ParseError {
    ParseError(format!("Usage: `{form}`"))
}

/// A 1-based position.
fn position(text: &str, form: &str) -> Result<usize, ParseError> {
    match text.trim().parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(usage(form)),
    }
}

/// `90`, `1:30`, `01:02:03` as a duration.
pub fn parse_time(text: &str) -> Option<Duration> {
    let parts: Vec<&str> = text.trim().split(':').collect();
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.is_empty() || p.len() > 6) {
        return None;
    }
    let mut seconds: u64 = 0;
    for (i, part) in parts.iter().enumerate() {
        let value: u64 = part.parse().ok()?;
        if i > 0 && value >= 60 {
            return None;
        }
        seconds = seconds.checked_mul(60)?.checked_add(value)?;
    }
    Some(Duration::from_secs(seconds))
}

/// `m:ss` or `h:mm:ss`.
pub fn format_time(duration: Duration) -> String {
    let secs = duration.as_secs();
    if secs >= 3600 {
        format!("{}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60)
    } else {
        format!("{}:{:02}", secs / 60, secs % 60)
    }
}

/// The text of `!help`.
pub fn help(prefix: &str) -> String {
    let lines = [
        (
            "play <words | url | attachment>",
            "queue a song (reply to a message with a file to play it)",
        ),
        ("playnext <…>", "queue it to play next"),
        ("search <words>", "search the library; then `play <number>`"),
        ("pause / resume", "pause or go on"),
        ("skip", "skip your own song (DJs: any)"),
        ("voteskip", "vote to skip; a majority of listeners skips"),
        ("forceskip", "skip now (DJ)"),
        ("skipto <n>", "jump to position n"),
        ("stop", "clear the queue and leave (DJ)"),
        ("leave", "leave the room, keep the queue"),
        ("queue [page]", "show the queue"),
        ("np", "what is playing"),
        ("volume <0-200>", "set the volume (over 100: DJ)"),
        ("seek <mm:ss>", "jump within the song"),
        ("shuffle", "shuffle the queue"),
        ("loop off|track|queue", "repeat"),
        ("remove <n> / move <a> <b>", "edit the queue"),
        ("clear", "empty the queue (DJ)"),
        ("history", "recently played"),
    ];
    lines
        .iter()
        .map(|(usage, what)| format!("`{prefix}{usage}` — {what}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Option<Result<Command, ParseError>> {
        Command::parse(text, "!")
    }

    #[test]
    fn commands_and_aliases() {
        let ok = |text: &str| parse(text).expect("a DJ command").expect("parses");
        assert_eq!(
            ok("!play never gonna give you up"),
            Command::Play("never gonna give you up".into())
        );
        assert_eq!(
            ok("!p https://radio.example/stream"),
            Command::Play("https://radio.example/stream".into())
        );
        assert_eq!(ok("!play"), Command::Play(String::new()));
        assert_eq!(ok("  !PLAYNEXT song"), Command::PlayNext("song".into()));
        assert_eq!(ok("!np"), Command::NowPlaying);
        assert_eq!(ok("!q"), Command::Queue(1));
        assert_eq!(ok("!queue 3"), Command::Queue(3));
        assert_eq!(ok("!vol 150%"), Command::Volume(150));
        assert_eq!(ok("!seek 1:30"), Command::Seek(Duration::from_secs(90)));
        assert_eq!(ok("!seek 1:02:03"), Command::Seek(Duration::from_secs(3723)));
        assert_eq!(ok("!loop track"), Command::Loop(LoopMode::Track));
        assert_eq!(ok("!move 4 1"), Command::Move(4, 1));
        assert_eq!(ok("!skipto 2"), Command::SkipTo(2));
        assert_eq!(ok("!dc"), Command::Leave);
        assert_eq!(ok("!fs"), Command::ForceSkip);
    }

    #[test]
    fn not_ours_and_malformed() {
        assert!(parse("play something").is_none(), "no prefix");
        assert!(parse("!ban someone").is_none(), "another bot's command");
        assert!(parse("!").is_none());
        for bad in [
            "!volume 201",
            "!volume loud",
            "!seek 1:60",
            "!seek",
            "!remove 0",
            "!move 1",
            "!skipto x",
            "!loop forever",
            "!search",
        ] {
            assert!(matches!(parse(bad), Some(Err(_))), "{bad}");
        }
    }

    #[test]
    fn destructive_commands_need_the_dj_role() {
        assert!(Command::ForceSkip.needs_dj());
        assert!(Command::Stop.needs_dj());
        assert!(Command::Clear.needs_dj());
        assert!(Command::Volume(101).needs_dj());
        assert!(!Command::Volume(100).needs_dj());
        assert!(!Command::Skip.needs_dj());
        assert!(!Command::Play("x".into()).needs_dj());
    }

    #[test]
    fn times_format_both_ways() {
        assert_eq!(format_time(Duration::from_secs(75)), "1:15");
        assert_eq!(format_time(Duration::from_secs(3723)), "1:02:03");
        assert_eq!(parse_time("75"), Some(Duration::from_secs(75)));
        assert_eq!(parse_time("-1"), None);
        assert_eq!(parse_time("1:2:3:4"), None);
    }
}
