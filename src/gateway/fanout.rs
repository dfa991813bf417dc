//! The fan-out: delivers each published event to every gateway session, from a few long-running tasks instead
//! of one task per connection.
//!
//! Sessions are spread over [`shards`](Fanout::new) (one per core). Each shard's task takes the events
//! published since its last turn, up to [`BATCH`], and offers them to each of its sessions in turn
//! ([`Session::offer`]): filter, number, and write to the socket — one `write` per session per turn however
//! many events the turn holds, so a burst costs fewer system calls, not more. A shard's session list is
//! copy-on-write, so sessions come and go without stopping a turn.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use tokio::sync::mpsc;

use super::hub::Event;
use super::session::Session;

/// Events one turn takes at most.
const BATCH: usize = 64;
/// Sessions served between yields to the runtime, so a long turn does not hold up other tasks on its thread.
const YIELD_EVERY: usize = 128;

type Queue = mpsc::UnboundedReceiver<Arc<Event>>;
type List = Mutex<Arc<Vec<Arc<Session>>>>;

fn list(sessions: &List) -> MutexGuard<'_, Arc<Vec<Arc<Session>>>> {
    sessions.lock().unwrap_or_else(PoisonError::into_inner)
}

struct Shard {
    sessions: Arc<List>,
    queue: mpsc::UnboundedSender<Arc<Event>>,
    receiver: Mutex<Option<Queue>>,
}

/// The shards. Their tasks start with the first session (so a hub can exist outside a runtime).
pub struct Fanout {
    shards: Vec<Shard>,
    next: AtomicUsize,
    started: AtomicBool,
    start: std::sync::Once,
}

impl Fanout {
    /// One shard per core.
    pub fn new() -> Self {
        let count = std::thread::available_parallelism().map_or(1, usize::from);
        let shards = (0..count)
            .map(|_| {
                let (queue, receiver) = mpsc::unbounded_channel();
                Shard {
                    sessions: Arc::default(),
                    queue,
                    receiver: Mutex::new(Some(receiver)),
                }
            })
            .collect();
        Self {
            shards,
            next: AtomicUsize::new(0),
            started: AtomicBool::new(false),
            start: std::sync::Once::new(),
        }
    }

    /// The shard a new session joins.
    pub fn pick_shard(&self) -> usize {
        self.next.fetch_add(1, Ordering::Relaxed) % self.shards.len()
    }

    /// Queues an event for every shard (nothing to do before the first session).
    pub fn publish(&self, event: &Arc<Event>) {
        if !self.started.load(Ordering::Acquire) {
            return;
        }
        for shard in &self.shards {
            // The receiver lives as long as the shard's task, which runs for the life of the runtime.
            let _ = shard.queue.send(Arc::clone(event));
        }
    }

    /// Adds a session to its shard: it is offered every event published from now on.
    pub fn add(&self, session: &Arc<Session>) {
        self.start.call_once(|| {
            for shard in &self.shards {
                let queue = shard.receiver.lock().unwrap_or_else(PoisonError::into_inner).take();
                if let Some(queue) = queue {
                    tokio::spawn(run(Arc::clone(&shard.sessions), queue));
                }
            }
            self.started.store(true, Ordering::Release);
        });
        let mut sessions = list(&self.shards[session.shard].sessions);
        let mut next = Vec::with_capacity(sessions.len() + 1);
        next.extend(sessions.iter().cloned());
        next.push(Arc::clone(session));
        *sessions = Arc::new(next);
    }

    /// Removes a session from its shard.
    pub fn remove(&self, session: &Arc<Session>) {
        let mut sessions = list(&self.shards[session.shard].sessions);
        if sessions.iter().any(|s| Arc::ptr_eq(s, session)) {
            let next: Vec<_> = sessions.iter().filter(|s| !Arc::ptr_eq(s, session)).cloned().collect();
            *sessions = Arc::new(next);
        }
    }
}

impl Default for Fanout {
    fn default() -> Self {
        Self::new()
    }
}

/// A shard's task: each turn, the waiting events to each session.
async fn run(sessions: Arc<List>, mut queue: Queue) {
    let mut events = Vec::with_capacity(BATCH);
    while queue.recv_many(&mut events, BATCH).await > 0 {
        let turn = Arc::clone(&list(&sessions));
        for (served, session) in turn.iter().enumerate() {
            session.offer(&events);
            if served % YIELD_EVERY == YIELD_EVERY - 1 {
                tokio::task::yield_now().await;
            }
        }
        events.clear();
    }
}
