//! A gateway session: the state a RESUME brings back — the hub subscription, the [`Filter`], the sequence
//! counter and a bounded replay buffer.
//!
//! While a connection is attached, the connection task owns the [`SessionState`] and writes each accepted event
//! straight to its socket: one task wake-up per delivery. When the connection goes away, [`detach`] hands the
//! state to a small task that keeps buffering events for `resume_window`; a RESUME takes it back through the
//! registry ([`super::sessions::Sessions::take`]). A session that falls more than the hub's ring behind has lost
//! events and can no longer be resumed; it ends.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{broadcast, mpsc, oneshot};

use super::filter::Filter;
use super::hub::Event;
use super::payload;
use super::sessions::Sessions;
use crate::chat::Chat;
use crate::voice::Voice;

/// A request to hand the session over (to a resuming connection).
pub type TakeRequest = oneshot::Sender<SessionState>;

/// What woke a session up.
pub enum Signal {
    /// An event from the hub (or a lag notice).
    Event(Result<Arc<Event>, broadcast::error::RecvError>),
    /// Another connection is resuming this session.
    Take(TakeRequest),
}

/// Everything a session is.
pub struct SessionState {
    /// The session id clients resume with.
    pub id: String,
    /// What this session may see.
    pub filter: Filter,
    events: broadcast::Receiver<Arc<Event>>,
    take: mpsc::Receiver<TakeRequest>,
    seq: u64,
    /// (sequence, dispatch name, shared `d`): a few dozen bytes per entry, since `d` is the hub's `Arc`.
    replay: VecDeque<(u64, &'static str, Arc<str>)>,
    replay_limit: usize,
}

impl SessionState {
    /// A new session, registered for RESUME.
    pub fn new(id: String, filter: Filter, events: broadcast::Receiver<Arc<Event>>, registry: &Sessions) -> Self {
        let (take_tx, take) = mpsc::channel(4);
        registry.insert(&id, filter.user.id, take_tx);
        Self {
            id,
            filter,
            events,
            take,
            seq: 0,
            replay: VecDeque::new(),
            replay_limit: registry.replay_buffer,
        }
    }

    /// Waits for the next event or hand-over request.
    pub async fn next(&mut self) -> Signal {
        tokio::select! {
            event = self.events.recv() => Signal::Event(event),
            Some(request) = self.take.recv() => Signal::Take(request),
        }
    }

    /// An event that is already waiting, without blocking (to batch socket writes).
    pub fn try_next(&mut self) -> Option<Result<Arc<Event>, broadcast::error::TryRecvError>> {
        match self.events.try_recv() {
            Err(broadcast::error::TryRecvError::Empty) => None,
            other => Some(other),
        }
    }

    /// Events published but not yet read by this session.
    pub fn backlog(&self) -> usize {
        self.events.len()
    }

    /// Gives the next sequence number to a dispatch, keeps it for replay, and returns its frame.
    pub fn record(&mut self, name: &'static str, data: Arc<str>) -> String {
        self.seq += 1;
        let frame = payload::dispatch(name, self.seq, &data);
        self.replay.push_back((self.seq, name, data));
        while self.replay.len() > self.replay_limit {
            self.replay.pop_front();
        }
        frame
    }

    /// The client confirmed (in a heartbeat) that it has everything up to `seq`: those frames will never be
    /// asked for again, so they leave the replay buffer (READY and GUILD_CREATE are the big ones).
    pub fn acknowledge(&mut self, seq: u64) {
        while self.replay.front().is_some_and(|(kept, _, _)| *kept <= seq) {
            self.replay.pop_front();
        }
    }

    /// The frames after `after`, or `None` if the replay buffer no longer reaches back that far (or `after` is
    /// from the future).
    pub fn frames_after(&self, after: u64) -> Option<Vec<String>> {
        // Everything after `after` must still be here: the first frame needed is `after + 1`.
        let oldest = self.replay.front().map_or(self.seq + 1, |(seq, _, _)| *seq);
        if after > self.seq || (after + 1 < oldest && after < self.seq) {
            return None;
        }
        Some(
            self.replay
                .iter()
                .filter(|(seq, _, _)| *seq > after)
                .map(|(seq, name, data)| payload::dispatch(name, *seq, data))
                .collect(),
        )
    }
}

/// Keeps a session alive without a connection for `window`, buffering what it would have received, until a
/// RESUME takes it or the window ends (then the session is over: it leaves voice too).
pub fn detach(mut state: SessionState, chat: Chat, registry: Sessions, voice: Voice, window: Duration) {
    tokio::spawn(async move {
        let deadline = tokio::time::sleep(window);
        tokio::pin!(deadline);
        loop {
            tokio::select! {
                signal = state.next() => match signal {
                    Signal::Take(reply) => {
                        let id = state.id.clone();
                        if let Err(state) = reply.send(state) {
                            // The resuming connection vanished; forget the session rather than juggle it.
                            registry.remove(&id);
                            voice.session_ended(state.filter.user.id, &id);
                        }
                        return;
                    }
                    Signal::Event(Ok(event)) => {
                        if let Some(data) = state.filter.accept(&chat, &event).await {
                            state.record(event.name, data);
                        }
                    }
                    Signal::Event(Err(broadcast::error::RecvError::Lagged(_) | broadcast::error::RecvError::Closed)) => break,
                },
                () = &mut deadline => break,
            }
        }
        registry.remove(&state.id);
        // Not resumed in time: the session is over, and so is its place in voice.
        voice.session_ended(state.filter.user.id, &state.id);
    });
}
