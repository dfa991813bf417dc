//! A voice room's queue: what plays now, what comes next, what played before, and the loop mode. Positions
//! shown to people are 1-based; the queue does not include the track playing now.

use std::collections::VecDeque;
use std::time::Duration;

use super::commands::LoopMode;
use crate::store::Snowflake;

/// Tracks remembered for `history`.
const HISTORY: usize = 50;
/// Longest queue.
pub const MAX_QUEUE: usize = 500;

/// Where a track's audio comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A file of the music library.
    Library(std::path::PathBuf),
    /// An uploaded attachment: (channel, attachment id).
    Upload(Snowflake, Snowflake),
    /// A URL to an audio file or a radio stream (fetched through the safe client).
    Url(String),
}

/// One queued track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Where to get it.
    pub source: Source,
    /// Title shown.
    pub title: String,
    /// Artist, when known.
    pub artist: Option<String>,
    /// Album, when known.
    pub album: Option<String>,
    /// Length, when known (live streams: none).
    pub duration: Option<Duration>,
    /// Where its cover art is, if it has one.
    pub cover: Option<CoverArt>,
    /// Who asked for it.
    pub requested_by: Requester,
}

/// Where a track's cover art is served from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverArt {
    /// Stored for a library track (by its id).
    Library(i64),
    /// Embedded in an uploaded file: (channel, attachment id).
    Upload(Snowflake, Snowflake),
}

/// Who asked for a track.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requester {
    /// Their user id.
    pub id: Snowflake,
    /// Their username.
    pub username: String,
    /// The name shown in the space (nickname, global name or username).
    pub display_name: String,
}

/// Why a queue operation did not happen.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueueError {
    /// A position outside the queue.
    #[error("There is no position {0} in the queue (it has {1}).")]
    NoSuchPosition(usize, usize),
    /// The queue is full.
    #[error("The queue is full ({MAX_QUEUE} tracks).")]
    Full,
}

/// The queue of one room.
#[derive(Debug, Default)]
pub struct Queue {
    upcoming: VecDeque<Entry>,
    current: Option<Entry>,
    history: VecDeque<Entry>,
    /// How the queue repeats.
    pub loop_mode: LoopMode,
}

impl Queue {
    /// What plays now.
    pub fn current(&self) -> Option<&Entry> {
        self.current.as_ref()
    }

    /// What comes next, in order.
    pub fn upcoming(&self) -> &VecDeque<Entry> {
        &self.upcoming
    }

    /// Recently played, newest first.
    pub fn history(&self) -> impl Iterator<Item = &Entry> {
        self.history.iter()
    }

    /// Adds to the end; returns its 1-based position.
    pub fn push(&mut self, entry: Entry) -> Result<usize, QueueError> {
        if self.upcoming.len() >= MAX_QUEUE {
            return Err(QueueError::Full);
        }
        self.upcoming.push_back(entry);
        Ok(self.upcoming.len())
    }

    /// Adds to the front (plays next).
    pub fn push_next(&mut self, entry: Entry) -> Result<(), QueueError> {
        if self.upcoming.len() >= MAX_QUEUE {
            return Err(QueueError::Full);
        }
        self.upcoming.push_front(entry);
        Ok(())
    }

    /// Takes the entry that plays next (for a player that keeps the current track itself).
    pub fn take_next(&mut self) -> Option<Entry> {
        self.upcoming.pop_front()
    }

    /// Puts an entry back at the front (a prepared next track that was not played after all).
    pub fn put_back(&mut self, entry: Entry) {
        self.upcoming.push_front(entry);
    }

    /// Puts an entry at the end without the size check (a looping queue returning a finished track).
    pub fn requeue(&mut self, entry: Entry) {
        self.upcoming.push_back(entry);
    }

    /// Records a finished track in the history.
    pub fn remember(&mut self, entry: Entry) {
        self.history.push_front(entry);
        self.history.truncate(HISTORY);
    }

    /// Ends the current track (finished or skipped) and makes the next one current, honouring the loop mode
    /// unless `skipped` (a skip always moves on).
    pub fn advance(&mut self, skipped: bool) -> Option<&Entry> {
        if let Some(done) = self.current.take() {
            match self.loop_mode {
                LoopMode::Track if !skipped => {
                    self.current = Some(done);
                    return self.current.as_ref();
                }
                LoopMode::Queue => self.upcoming.push_back(done.clone()),
                _ => {}
            }
            self.history.push_front(done);
            self.history.truncate(HISTORY);
        }
        self.current = self.upcoming.pop_front();
        self.current.as_ref()
    }

    /// Drops everything before position `n`, so that it plays next.
    pub fn skip_to(&mut self, n: usize) -> Result<(), QueueError> {
        self.check(n)?;
        self.upcoming.drain(..n - 1);
        Ok(())
    }

    /// Removes position `n`.
    pub fn remove(&mut self, n: usize) -> Result<Entry, QueueError> {
        self.check(n)?;
        Ok(self.upcoming.remove(n - 1).expect("checked"))
    }

    /// Moves position `from` to position `to`.
    pub fn move_entry(&mut self, from: usize, to: usize) -> Result<(), QueueError> {
        self.check(from)?;
        self.check(to)?;
        let entry = self.upcoming.remove(from - 1).expect("checked");
        self.upcoming.insert(to - 1, entry);
        Ok(())
    }

    /// Shuffles what comes next with `random` (a source of random numbers, so tests can fix it).
    pub fn shuffle(&mut self, mut random: impl FnMut() -> u64) {
        let items = self.upcoming.make_contiguous();
        for i in (1..items.len()).rev() {
            let j = (random() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }

    /// Empties what comes next (the current track plays on).
    pub fn clear(&mut self) -> usize {
        let n = self.upcoming.len();
        self.upcoming.clear();
        n
    }

    /// Stops everything: no current track, nothing queued.
    pub fn stop(&mut self) {
        self.clear();
        if let Some(done) = self.current.take() {
            self.history.push_front(done);
            self.history.truncate(HISTORY);
        }
    }

    /// Page `page` (1-based) of `per_page` upcoming entries with their positions, and the number of pages.
    pub fn page(&self, page: usize, per_page: usize) -> (Vec<(usize, &Entry)>, usize) {
        let pages = self.upcoming.len().div_ceil(per_page).max(1);
        let page = page.clamp(1, pages);
        let items = self
            .upcoming
            .iter()
            .enumerate()
            .skip((page - 1) * per_page)
            .take(per_page)
            .map(|(i, e)| (i + 1, e))
            .collect();
        (items, pages)
    }

    fn check(&self, n: usize) -> Result<(), QueueError> {
        if n >= 1 && n <= self.upcoming.len() {
            Ok(())
        } else {
            Err(QueueError::NoSuchPosition(n, self.upcoming.len()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(title: &str) -> Entry {
        Entry {
            source: Source::Url(format!("https://music.example/{title}.mp3")),
            title: title.to_owned(),
            artist: None,
            album: None,
            duration: Some(Duration::from_secs(180)),
            cover: None,
            requested_by: Requester {
                id: 1,
                username: "ana".to_owned(),
                display_name: "Ana".to_owned(),
            },
        }
    }

    fn titles(queue: &Queue) -> Vec<&str> {
        queue.upcoming().iter().map(|e| e.title.as_str()).collect()
    }

    #[test]
    fn plays_in_order_and_remembers() {
        let mut queue = Queue::default();
        for t in ["a", "b", "c"] {
            queue.push(entry(t)).unwrap();
        }
        assert_eq!(queue.advance(false).map(|e| e.title.as_str()), Some("a"));
        queue.push_next(entry("urgent")).unwrap();
        assert_eq!(titles(&queue), ["urgent", "b", "c"]);
        assert_eq!(queue.advance(false).map(|e| e.title.as_str()), Some("urgent"));
        assert_eq!(queue.history().map(|e| e.title.as_str()).collect::<Vec<_>>(), ["a"]);
        queue.advance(true);
        queue.advance(true);
        assert!(queue.advance(true).is_none());
        assert_eq!(queue.history().count(), 4);
    }

    #[test]
    fn loops_by_track_and_by_queue() {
        let mut queue = Queue::default();
        queue.push(entry("a")).unwrap();
        queue.push(entry("b")).unwrap();
        queue.loop_mode = LoopMode::Track;
        queue.advance(false);
        assert_eq!(queue.advance(false).unwrap().title, "a", "a track loop repeats");
        assert_eq!(
            queue.advance(true).unwrap().title,
            "b",
            "a skip moves on even when looping"
        );
        queue.loop_mode = LoopMode::Queue;
        queue.push(entry("c")).unwrap();
        assert_eq!(queue.advance(false).unwrap().title, "c");
        assert_eq!(
            queue.advance(false).unwrap().title,
            "b",
            "a queue loop comes back round"
        );
        assert_eq!(queue.advance(false).unwrap().title, "c");
    }

    #[test]
    fn edits_by_position() {
        let mut queue = Queue::default();
        for t in ["a", "b", "c", "d", "e"] {
            queue.push(entry(t)).unwrap();
        }
        queue.move_entry(5, 1).unwrap();
        assert_eq!(titles(&queue), ["e", "a", "b", "c", "d"]);
        assert_eq!(queue.remove(2).unwrap().title, "a");
        assert_eq!(queue.remove(9), Err(QueueError::NoSuchPosition(9, 4)));
        assert_eq!(queue.move_entry(0, 1), Err(QueueError::NoSuchPosition(0, 4)));
        queue.skip_to(3).unwrap();
        assert_eq!(titles(&queue), ["c", "d"]);
        let (page, pages) = queue.page(1, 1);
        assert_eq!((page[0].0, page[0].1.title.as_str(), pages), (1, "c", 2));
        assert_eq!(queue.page(9, 1).0[0].1.title, "d", "past the end shows the last page");
        assert_eq!(queue.clear(), 2);
    }

    #[test]
    fn shuffle_keeps_every_track() {
        let mut queue = Queue::default();
        for i in 0..20 {
            queue.push(entry(&i.to_string())).unwrap();
        }
        let mut seed = 7u64;
        queue.shuffle(|| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            seed >> 33
        });
        let mut after: Vec<String> = titles(&queue).iter().map(|s| (*s).to_owned()).collect();
        assert_ne!(
            after,
            (0..20).map(|i| i.to_string()).collect::<Vec<_>>(),
            "the order changed"
        );
        after.sort_by_key(|s| s.parse::<u32>().unwrap());
        assert_eq!(after, (0..20).map(|i| i.to_string()).collect::<Vec<_>>());
    }

    #[test]
    fn a_full_queue_refuses_more() {
        let mut queue = Queue::default();
        for i in 0..MAX_QUEUE {
            queue.push(entry(&i.to_string())).unwrap();
        }
        assert_eq!(queue.push(entry("one too many")), Err(QueueError::Full));
        assert_eq!(queue.push_next(entry("one too many")), Err(QueueError::Full));
    }
}
