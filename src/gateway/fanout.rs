//! The fan-out: delivers each published event to every gateway session, from one thread per core instead of
//! one task per connection.
//!
//! Sessions are spread over [`shards`](Fanout::new). Each shard's thread takes the events published since its
//! last turn, up to [`BATCH`], and offers them to each of its sessions in turn ([`Session::offer`]): filter,
//! number, and write to the socket without blocking — one `write` per session per turn however many events the
//! turn holds, so a burst costs fewer system calls, not more. A turn also picks up events published while it
//! runs, every [`CATCH_UP`] sessions: when a turn takes longer than the gap between events (under load), the
//! sessions still ahead get the old and the new event in one write instead of waiting a whole turn for the
//! new one. Each event has a serial number and each session remembers the last it was offered, so the next
//! turn offers such an event only to the sessions that did not have it yet. A turn over a thousand sessions is
//! milliseconds of CPU; on threads of their own, not the runtime's workers, turns never hold up requests, socket
//! reads or timers: the kernel shares the cores between them.
//!
//! A shard's thread owns its session list. Sessions that join are handed over through a small mutex-guarded
//! list and join at the start of the next turn; sessions that end are skipped by `offer` and dropped from the
//! list at the next turn. So ten thousand sessions connecting or leaving at once cost ten thousand pushes, not
//! ten thousand copies of the list.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::session::Session;
use crate::hub::{Event, Sink};

/// Events one turn takes at most.
const BATCH: usize = 64;
/// Sessions served between looks for newly published events.
const CATCH_UP: usize = 32;

type Queue = mpsc::Receiver<Arc<Event>>;

/// What changed in a shard's membership since its thread last looked.
#[derive(Default)]
struct Changes {
    joined: Vec<Arc<Session>>,
    /// Sessions that ended (they are dropped from the list at the next turn).
    ended: usize,
}

type Inbox = Mutex<Changes>;

fn changes(inbox: &Inbox) -> MutexGuard<'_, Changes> {
    inbox.lock().unwrap_or_else(PoisonError::into_inner)
}

struct Shard {
    changes: Arc<Inbox>,
    queue: mpsc::Sender<Arc<Event>>,
}

/// Publication's state, under one lock: held while an event is numbered and queued (so serials are queue
/// order) and while a session joins.
struct Published {
    /// The serial of the last event published.
    serial: u64,
    /// The shards' queues, until their threads start with the first session (nothing is queued before).
    unstarted: Option<Vec<Queue>>,
}

/// The shards. Their threads start with the first session.
pub struct Fanout {
    shards: Vec<Shard>,
    published: Mutex<Published>,
    next: AtomicUsize,
}

impl Fanout {
    /// One shard per core.
    pub fn new() -> Self {
        let count = std::thread::available_parallelism().map_or(1, usize::from);
        let (shards, queues) = (0..count)
            .map(|_| {
                let (queue, receiver) = mpsc::channel();
                let shard = Shard {
                    changes: Arc::default(),
                    queue,
                };
                (shard, receiver)
            })
            .unzip();
        Self {
            shards,
            published: Mutex::new(Published {
                serial: 0,
                unstarted: Some(queues),
            }),
            next: AtomicUsize::new(0),
        }
    }

    fn published(&self) -> MutexGuard<'_, Published> {
        self.published.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The shard a new session joins.
    pub fn pick_shard(&self) -> usize {
        self.next.fetch_add(1, Ordering::Relaxed) % self.shards.len()
    }

    /// Numbers an event and queues it for every shard (nothing to queue before the first session).
    pub fn publish(&self, mut event: Event) -> Arc<Event> {
        let mut published = self.published();
        published.serial += 1;
        event.set_serial(published.serial);
        let event = Arc::new(event);
        if published.unstarted.is_none() {
            for shard in &self.shards {
                // The receiver lives as long as the shard's thread, which runs for the life of the process.
                let _ = shard.queue.send(Arc::clone(&event));
            }
        }
        event
    }

    /// Adds a session to its shard: it is offered every event published from now on, and none before. (Under
    /// the publication lock, so no event falls between "the last one it does not get" and joining the list.)
    pub fn add(&self, session: &Arc<Session>) {
        let mut published = self.published();
        for (index, (shard, queue)) in self
            .shards
            .iter()
            .zip(published.unstarted.take().unwrap_or_default())
            .enumerate()
        {
            let inbox = Arc::clone(&shard.changes);
            let started = std::thread::Builder::new()
                .name(format!("spot-fanout-{index}"))
                .spawn(move || run(&inbox, &queue));
            if let Err(error) = started {
                // Without its thread a shard's sessions would hear nothing: that is not a server to keep.
                panic!("could not start a gateway fan-out thread: {error}");
            }
        }
        session.offered_through(published.serial);
        changes(&self.shards[session.shard].changes)
            .joined
            .push(Arc::clone(session));
    }

    /// Notes that a session ended (it is already marked so; `offer` skips it until its shard drops it).
    pub fn remove(&self, session: &Arc<Session>) {
        changes(&self.shards[session.shard].changes).ended += 1;
    }
}

impl Sink for Fanout {
    fn deliver(&self, event: Event) -> Arc<Event> {
        self.publish(event)
    }
}

impl Default for Fanout {
    fn default() -> Self {
        Self::new()
    }
}

/// A shard's thread: each turn, the waiting events to each session. Ends when the hub is gone.
fn run(inbox: &Inbox, queue: &Queue) {
    let mut sessions: Vec<Arc<Session>> = Vec::new();
    // Events not yet offered to every session of the shard.
    let mut events: Vec<Arc<Event>> = Vec::with_capacity(BATCH);
    loop {
        if events.is_empty() {
            match queue.recv() {
                Ok(first) => events.push(first),
                Err(_) => return,
            }
        }
        take_waiting(queue, &mut events);
        let (joined, ended) = {
            let mut changes = changes(inbox);
            (std::mem::take(&mut changes.joined), std::mem::take(&mut changes.ended))
        };
        sessions.extend(joined);
        if ended > 0 {
            sessions.retain(|session| !session.is_ended());
        }
        // Events from this index on were picked up during the turn: the sessions before that point lack them.
        let mut caught_up_from = None;
        for (served, session) in sessions.iter().enumerate() {
            if served % CATCH_UP == CATCH_UP - 1 {
                let before = events.len();
                take_waiting(queue, &mut events);
                if events.len() > before && caught_up_from.is_none() {
                    caught_up_from = Some(before);
                }
            }
            session.offer(&events);
        }
        events.drain(..caught_up_from.unwrap_or(events.len()));
    }
}

/// Adds events already queued, up to [`BATCH`] in hand.
fn take_waiting(queue: &Queue, events: &mut Vec<Arc<Event>>) {
    while events.len() < BATCH
        && let Ok(next) = queue.try_recv()
    {
        events.push(next);
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use serde_json::{Value, json};
    use tokio::sync::Notify;

    use super::*;
    use crate::gateway::session::Owner;
    use crate::hub::Audience;
    use crate::store::User;

    fn user(id: i64) -> User {
        User {
            id,
            username: format!("u{id}"),
            global_name: None,
            avatar: None,
            is_admin: false,
            is_bot: true,
            disabled: false,
            created_at: 0,
            imported: false,
        }
    }

    /// Events published from four threads while turns run (so turns pick some up half-way) reach every session
    /// once each, numbered 1, 2, 3… without gaps, and in the same order for every session.
    #[test]
    fn every_session_gets_every_event_once_in_one_order() {
        const SESSIONS: usize = 400;
        const PER_THREAD: usize = 250;
        let fanout = Arc::new(Fanout::new());
        let sessions: Vec<Arc<Session>> = (0..SESSIONS as i64)
            .map(|i| {
                let owner = Owner::new(Arc::new(Notify::new()), None);
                let session = Arc::new(Session::new(
                    format!("s{i}"),
                    user(i + 1),
                    0,
                    owner,
                    fanout.pick_shard(),
                    10_000,
                ));
                session.set_scope(7, Vec::new());
                session.release();
                fanout.add(&session);
                session
            })
            .collect();
        let publishers: Vec<_> = (0..4)
            .map(|thread| {
                let fanout = Arc::clone(&fanout);
                std::thread::spawn(move || {
                    for n in 0..PER_THREAD {
                        let data = json!({"thread": thread, "n": n});
                        fanout.publish(Event::new("TEST", &data, Audience::Guild(7), 0));
                        if n % 25 == 0 {
                            std::thread::sleep(Duration::from_millis(1));
                        }
                    }
                })
            })
            .collect();
        for publisher in publishers {
            publisher.join().unwrap();
        }
        let total = 4 * PER_THREAD;
        let deadline = Instant::now() + Duration::from_secs(20);
        while sessions.iter().any(|s| s.replayed().len() < total) {
            assert!(Instant::now() < deadline, "deliveries did not finish");
            std::thread::sleep(Duration::from_millis(10));
        }
        let order = |session: &Session| -> Vec<(u64, u64)> {
            session
                .replayed()
                .iter()
                .enumerate()
                .map(|(i, (seq, data))| {
                    assert_eq!(*seq, i as u64 + 1, "sequence numbers have no gaps");
                    let value: Value = serde_json::from_str(data).unwrap();
                    (value["thread"].as_u64().unwrap(), value["n"].as_u64().unwrap())
                })
                .collect()
        };
        let first = order(&sessions[0]);
        assert_eq!(first.len(), total);
        for thread in 0..4 {
            let ns: Vec<u64> = first.iter().filter(|(t, _)| *t == thread).map(|(_, n)| *n).collect();
            assert_eq!(
                ns,
                (0..PER_THREAD as u64).collect::<Vec<_>>(),
                "each publisher's events in its order"
            );
        }
        for session in &sessions[1..] {
            assert_eq!(order(session), first, "every session sees one order");
        }
    }
}
