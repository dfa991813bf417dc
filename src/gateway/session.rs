//! A gateway session: the state a RESUME brings back — the [`Filter`], the sequence counter and a bounded replay
//! buffer — shared between the hub's fan-out, which delivers events, and the session's *owner*, which is its
//! connection or, for `resume_window` after the connection went away, a small task that waits for a RESUME.
//!
//! Delivery has two paths, and one order:
//! - **Fast** ([`Session::offer`], run by the fan-out for every subscribed session): filter, number, keep for
//!   replay and hand the frame to the connection's [`Outbox`], which usually writes it to the socket there and
//!   then. No task is woken.
//! - **Owner** ([`Session::work`]): an event that changes permissions needs the database to recompute what the
//!   user sees (and THREAD_LIST_SYNC for channels gained), which the fan-out cannot wait for. Such an event is
//!   queued for the owner, and every event after it queues behind it until the owner has caught up, so events
//!   are still numbered in the order they were published. A new session is *held* the same way until its READY
//!   and GUILD_CREATE are out.
//!
//! The owner is identified by a number; taking a session over (RESUME) gives it a new owner and wakes the old
//! one, which then lets go.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use serde_json::json;
use tokio::sync::Notify;

use super::Gateway;
use super::filter::Filter;
use super::outbox::Outbox;
use super::payload;
use crate::hub::{Event, intents};
use crate::store::{Snowflake, User};

/// Who holds a session: its connection (with an outbox), or the task waiting for a RESUME (without).
pub struct Owner {
    id: u64,
    wake: Arc<Notify>,
    outbox: Option<Arc<Outbox>>,
}

impl Owner {
    /// A new owner, woken through `wake`, writing to `outbox` if it is a connection.
    pub fn new(wake: Arc<Notify>, outbox: Option<Arc<Outbox>>) -> Self {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Self {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            wake,
            outbox,
        }
    }

    /// This owner's number.
    pub fn id(&self) -> u64 {
        self.id
    }
}

struct Core {
    filter: Filter,
    /// The serial of the last event the fan-out offered (it offers an event to a session once).
    offered: u64,
    seq: u64,
    /// (sequence, dispatch name, shared `d`): a few dozen bytes per entry, since `d` is the hub's `Arc`.
    replay: VecDeque<(u64, &'static str, Arc<str>)>,
    /// Events for the owner to handle, in order.
    waiting: VecDeque<Arc<Event>>,
    /// The first waiting event is numbered already (its owner is finishing it: thread sync, leaving the queue).
    front_recorded: bool,
    held: bool,
    owner: Owner,
    /// Over: nothing more is delivered (it left the registry and the hub).
    ended: bool,
    /// More than the hub's capacity waited for the owner: events were dropped and the session cannot be resumed.
    lost: bool,
    /// Its credential ended (a logout, a rotated token, a disabled account): the owner ends it.
    revoked: bool,
}

impl Core {
    /// Gives the next sequence number to a dispatch, keeps it for replay, and returns its frame.
    fn record(&mut self, name: &'static str, data: Arc<str>, replay_limit: usize) -> String {
        self.seq += 1;
        let frame = payload::dispatch(name, self.seq, &data);
        self.replay.push_back((self.seq, name, data));
        while self.replay.len() > replay_limit {
            self.replay.pop_front();
        }
        frame
    }

    fn write(&self, frames: &[String]) {
        if let Some(outbox) = &self.owner.outbox {
            // A refused write means the connection is closing; the frames are in the replay buffer.
            let _ = outbox.send(frames);
        }
    }
}

/// What the owner's turn at the waiting events found.
#[derive(Debug, PartialEq, Eq)]
pub enum Work {
    /// Caught up.
    Done,
    /// The session is over: its user was removed from the space, or its credential ended.
    Removed,
    /// The session fell too far behind and is over.
    Lost,
    /// Another owner took the session meanwhile.
    NotOwner,
}

/// Everything a session is.
pub struct Session {
    /// The session id clients resume with.
    pub id: String,
    /// Whose session it is.
    pub user: User,
    /// The browser session (its token's hash) it was identified with, if it came through a cookie; ending that
    /// browser session ends this one. `None` for tokens.
    pub credential: Option<[u8; 32]>,
    /// Which fan-out shard delivers to it.
    pub(super) shard: usize,
    replay_limit: usize,
    waiting_limit: usize,
    core: Mutex<Core>,
}

impl Session {
    /// A new, held session of `user` with the intents asked for, owned by `owner`.
    pub fn new(id: String, user: User, intents: u64, owner: Owner, shard: usize, replay_limit: usize) -> Self {
        Self {
            id,
            user: user.clone(),
            credential: None,
            shard,
            replay_limit,
            waiting_limit: crate::hub::CAPACITY,
            core: Mutex::new(Core {
                filter: Filter::new(user, intents, 0),
                offered: 0,
                seq: 0,
                replay: VecDeque::new(),
                waiting: VecDeque::new(),
                front_recorded: false,
                held: true,
                owner,
                ended: false,
                lost: false,
                revoked: false,
            }),
        }
    }

    /// The session identified through the browser session whose token hashes to `hash`.
    pub fn with_credential(mut self, hash: Option<[u8; 32]>) -> Self {
        self.credential = hash;
        self
    }

    /// Its credential ended: the owner (the connection, or the task waiting for a RESUME) ends the session at
    /// its next turn, which this starts.
    pub fn revoke(&self) {
        let mut core = self.lock();
        core.revoked = true;
        core.owner.wake.notify_one();
    }

    fn lock(&self) -> MutexGuard<'_, Core> {
        self.core.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the user can view `channel` (as this session last computed it).
    pub fn sees(&self, channel: Snowflake) -> bool {
        self.lock().filter.sees(channel)
    }

    /// The events up to serial `serial` are not for this session (they were published before it joined).
    pub(super) fn offered_through(&self, serial: u64) {
        self.lock().offered = serial;
    }

    /// Sets the guild and the channels the user can view (after IDENTIFY read them).
    pub fn set_scope(&self, guild_id: Snowflake, visible: Vec<Snowflake>) {
        let mut core = self.lock();
        core.filter.guild_id = guild_id;
        core.filter.set_visible(visible);
        core.filter.take_gained();
    }

    /// The fan-out's delivery of `events` (published in this order) to this session.
    pub fn offer(&self, events: &[Arc<Event>]) {
        let mut core = self.lock();
        if core.ended {
            return;
        }
        let mut frames = Vec::new();
        let mut wake = false;
        for event in events {
            if event.serial() <= core.offered {
                continue;
            }
            core.offered = event.serial();
            let for_owner = event.changes_permissions || event.ends_sessions_of == Some(self.user.id);
            if core.held || !core.waiting.is_empty() || for_owner {
                if core.waiting.len() >= self.waiting_limit {
                    core.lost = true;
                } else {
                    core.waiting.push_back(Arc::clone(event));
                }
                wake = true;
                continue;
            }
            if let Some(data) = core.filter.accept(event) {
                frames.push(core.record(event.name, data, self.replay_limit));
            }
        }
        if !frames.is_empty() {
            core.write(&frames);
        }
        if wake {
            core.owner.wake.notify_one();
        }
    }

    /// A dispatch for this session only (READY, GUILD_CREATE, member chunks), if `owner` still holds it.
    pub fn dispatch(&self, owner: u64, name: &'static str, data: String) {
        let mut core = self.lock();
        if core.owner.id != owner || core.ended {
            return;
        }
        let frame = core.record(name, Arc::from(data), self.replay_limit);
        core.write(&[frame]);
    }

    /// READY and GUILD_CREATE are out: events flow (the owner is woken for those that waited).
    pub fn release(&self) {
        let mut core = self.lock();
        core.held = false;
        if !core.waiting.is_empty() {
            core.owner.wake.notify_one();
        }
    }

    /// The client has everything up to `seq` (it said so in a heartbeat): those frames leave the replay buffer.
    pub fn acknowledge(&self, seq: u64) {
        let mut core = self.lock();
        while core.replay.front().is_some_and(|(kept, _, _)| *kept <= seq) {
            core.replay.pop_front();
        }
    }

    /// (sequence, `d`) of the frames kept for replay.
    #[cfg(test)]
    pub(super) fn replayed(&self) -> Vec<(u64, Arc<str>)> {
        self.lock()
            .replay
            .iter()
            .map(|(seq, _, data)| (*seq, Arc::clone(data)))
            .collect()
    }

    /// Whether the session is over.
    pub fn is_ended(&self) -> bool {
        self.lock().ended
    }

    /// RESUME: `owner` (a new connection) takes the session, gets the frames after `after` and RESUMED, and
    /// the previous owner is woken to let go. `false` if the replay buffer no longer reaches back that far (or
    /// `after` is from the future): the session cannot be resumed.
    pub fn resume(&self, owner: Owner, after: u64) -> bool {
        let mut core = self.lock();
        if core.ended || core.lost {
            return false;
        }
        // Everything after `after` must still be here: the first frame needed is `after + 1`.
        let oldest = core.replay.front().map_or(core.seq + 1, |(seq, _, _)| *seq);
        if after > core.seq || (after + 1 < oldest && after < core.seq) {
            return false;
        }
        let mut frames: Vec<String> = core
            .replay
            .iter()
            .filter(|(seq, _, _)| *seq > after)
            .map(|(seq, name, data)| payload::dispatch(name, *seq, data))
            .collect();
        let previous = std::mem::replace(&mut core.owner, owner);
        previous.wake.notify_one();
        frames.push(core.record("RESUMED", Arc::from("{}"), self.replay_limit));
        core.write(&frames);
        if !core.waiting.is_empty() {
            core.owner.wake.notify_one();
        }
        true
    }

    /// Hands the session from `from` to `to` (a connection that went away, to its waiting task). `false` if
    /// `from` no longer held it.
    pub fn hand_over(&self, from: u64, to: Owner) -> bool {
        let mut core = self.lock();
        if core.owner.id != from || core.ended {
            return false;
        }
        let waiting = !core.waiting.is_empty() || core.lost;
        core.owner = to;
        if waiting {
            core.owner.wake.notify_one();
        }
        true
    }

    /// Marks the session over if `owner` holds it (or if `owner` is `None`); `true` if this call ended it.
    fn end_if(&self, owner: Option<u64>) -> bool {
        let mut core = self.lock();
        if core.ended || owner.is_some_and(|id| id != core.owner.id) {
            return false;
        }
        core.ended = true;
        core.owner.outbox = None;
        core.waiting.clear();
        core.front_recorded = false;
        // A connection still holding it closes (its turn finds the session over).
        core.owner.wake.notify_one();
        true
    }

    /// Ends the session for good — it leaves the registry, the hub and voice — if `owner` holds it.
    pub fn end(self: &Arc<Self>, state: &Gateway, owner: Option<u64>) {
        if self.end_if(owner) {
            state.sessions.remove(&self.id);
            state.fanout.remove(self);
            state.voice.session_ended(self.user.id, &self.id);
        }
    }

    /// The owner's turn: handles the events waiting for it, in order, while new ones may queue behind them.
    pub async fn work(&self, owner: u64, state: &Gateway) -> Work {
        let mut handled = 0usize;
        loop {
            let (event, guild_id, recorded) = {
                let core = self.lock();
                if core.owner.id != owner || core.ended {
                    return Work::NotOwner;
                }
                if core.lost {
                    return Work::Lost;
                }
                if core.revoked {
                    return Work::Removed;
                }
                if core.held {
                    return Work::Done;
                }
                match core.waiting.front() {
                    Some(event) => (Arc::clone(event), core.filter.guild_id, core.front_recorded),
                    None => return Work::Done,
                }
            };
            // A previous owner may have numbered this event already (and lost the session to a RESUME before
            // taking it off the queue): then it is in the new owner's replay, and only leaving remains.
            if !recorded {
                let visible = if event.changes_permissions {
                    Filter::fetch_visible(&state.chat, &self.user, guild_id).await
                } else {
                    None
                };
                let gained = {
                    let mut core = self.lock();
                    if core.owner.id != owner || core.ended {
                        return Work::NotOwner;
                    }
                    let data = if event.changes_permissions {
                        core.filter.accept_changing(&event, visible)
                    } else {
                        core.filter.accept(&event)
                    };
                    if let Some(data) = data {
                        let frame = core.record(event.name, data, self.replay_limit);
                        core.write(&[frame]);
                    }
                    core.front_recorded = true;
                    core.filter.take_gained()
                };
                if !gained.is_empty() {
                    self.sync_threads(owner, state, gained).await;
                }
            }
            {
                let mut core = self.lock();
                if core.owner.id != owner || core.ended {
                    return Work::NotOwner;
                }
                if core.waiting.front().is_some_and(|front| Arc::ptr_eq(front, &event)) {
                    core.waiting.pop_front();
                    core.front_recorded = false;
                }
            }
            if event.ends_sessions_of == Some(self.user.id) {
                return Work::Removed;
            }
            // A long queue is worked through in slices, so other tasks on this thread get their turn.
            handled += 1;
            if handled.is_multiple_of(64) {
                tokio::task::yield_now().await;
            }
        }
    }

    /// THREAD_LIST_SYNC: the active threads of channels this session just gained access to.
    async fn sync_threads(&self, owner: u64, state: &Gateway, gained: Vec<Snowflake>) {
        let guild_id = {
            let core = self.lock();
            if core.filter.intents & intents::GUILDS == 0 {
                return;
            }
            core.filter.guild_id
        };
        let Ok(threads) = state.store.active_threads(guild_id).await else {
            return;
        };
        let mut core = self.lock();
        if core.owner.id != owner || core.ended {
            return;
        }
        // Gained ids include the threads themselves; the sync names only their parent channels.
        let gained: Vec<Snowflake> = gained
            .into_iter()
            .filter(|id| !threads.iter().any(|t| t.id == *id))
            .collect();
        let threads: Vec<_> = threads
            .iter()
            .filter(|t| t.parent_id.is_some_and(|p| gained.contains(&p)) && core.filter.sees(t.id))
            .collect();
        if threads.is_empty() {
            return;
        }
        let data = json!({
            "guild_id": crate::wire::id(guild_id),
            "channel_ids": gained.iter().map(|id| crate::wire::id(*id)).collect::<Vec<_>>(),
            "threads": threads.iter().map(|t| crate::wire::channel(t)).collect::<Vec<_>>(),
            "members": [],
        });
        let frame = core.record("THREAD_LIST_SYNC", Arc::from(data.to_string()), self.replay_limit);
        core.write(&[frame]);
    }
}

/// Keeps a session whose connection went away for `resume_window`: it goes on numbering and keeping what it
/// would have received, until a RESUME takes it or the window ends (then the session is over, and its place
/// in voice with it).
pub fn detach(session: Arc<Session>, from: u64, state: Gateway) {
    let wake = Arc::new(Notify::new());
    let owner = Owner::new(Arc::clone(&wake), None);
    let me = owner.id();
    if !session.hand_over(from, owner) {
        return;
    }
    let window = state.sessions.resume_window;
    tokio::spawn(async move {
        let deadline = tokio::time::sleep(window);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                () = wake.notified() => match session.work(me, &state).await {
                    Work::Done => {}
                    Work::NotOwner => return,
                    Work::Removed | Work::Lost => break,
                },
                () = &mut deadline => break,
            }
        }
        session.end(&state, Some(me));
    });
}
