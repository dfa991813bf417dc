//! A gateway session: a task that outlives its connection so the client can RESUME.
//!
//! The session owns its hub subscription, its [`Filter`], its sequence counter and a bounded replay buffer. A
//! connection attaches to it and receives frames through a bounded queue; if the queue is full (a client that
//! cannot keep up), the session asks the connection to close with a resumable code and keeps buffering. While
//! detached, the session keeps collecting events for `resume_window`, then ends.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{broadcast, mpsc, oneshot, watch};

use super::filter::Filter;
use super::hub::Event;
use super::payload::{self, Close};
use super::sessions::Sessions;
use crate::chat::Chat;

/// A frame for a connection's writer.
#[derive(Debug)]
pub enum Outbound {
    /// A JSON text frame.
    Text(String),
}

/// A connection's side of an attachment.
pub struct Attachment {
    /// Where frames go.
    pub out: mpsc::Sender<Outbound>,
    /// Set to ask the connection to close with a code.
    pub kick: watch::Sender<Option<Close>>,
}

/// Messages to a session task.
pub enum Command {
    /// A connection takes over; frames after `after_seq` are replayed. Replies whether the replay was complete.
    Attach {
        conn: Attachment,
        after_seq: Option<u64>,
        reply: oneshot::Sender<bool>,
    },
    /// The connection is gone.
    Detach,
    /// A dispatch for this session only (READY, GUILD_CREATE, RESUMED, member chunks).
    Direct { name: &'static str, data: String },
}

/// Handle to a session task.
#[derive(Clone)]
pub struct SessionHandle {
    /// The session id clients resume with.
    pub id: String,
    /// Whose session.
    pub user_id: crate::store::Snowflake,
    /// Commands to the task.
    pub commands: mpsc::Sender<Command>,
}

/// Settings for a session task.
pub struct SessionConfig {
    /// Frames kept for replay.
    pub replay_buffer: usize,
    /// How long a detached session waits for a RESUME.
    pub resume_window: Duration,
}

struct Task {
    id: String,
    chat: Chat,
    filter: Filter,
    events: broadcast::Receiver<Arc<Event>>,
    seq: u64,
    /// (sequence, dispatch name, shared `d`): a few dozen bytes per entry, since `d` is the hub's `Arc`.
    replay: VecDeque<(u64, &'static str, Arc<str>)>,
    lost_events: bool,
    conn: Option<Attachment>,
    config: SessionConfig,
}

/// Starts a session task attached to `conn`, which first receives the `initial` dispatches.
#[allow(clippy::too_many_arguments)]
pub fn spawn(
    id: String,
    chat: Chat,
    filter: Filter,
    events: broadcast::Receiver<Arc<Event>>,
    config: SessionConfig,
    registry: Sessions,
    conn: Attachment,
    initial: Vec<(&'static str, String)>,
) -> SessionHandle {
    let (commands, inbox) = mpsc::channel(64);
    let handle = SessionHandle {
        id: id.clone(),
        user_id: filter.user.id,
        commands,
    };
    let mut task = Task {
        id,
        chat,
        filter,
        events,
        seq: 0,
        replay: VecDeque::new(),
        lost_events: false,
        conn: Some(conn),
        config,
    };
    // READY and GUILD_CREATE go first, before any event from the hub.
    for (name, data) in initial {
        task.emit(name, Arc::from(data));
    }
    tokio::spawn(task.run(inbox, registry));
    handle
}

impl Task {
    async fn run(mut self, mut inbox: mpsc::Receiver<Command>, registry: Sessions) {
        loop {
            let expiry = async {
                match self.conn {
                    Some(_) => std::future::pending().await,
                    None => tokio::time::sleep(self.config.resume_window).await,
                }
            };
            tokio::select! {
                command = inbox.recv() => match command {
                    Some(Command::Attach { conn, after_seq, reply }) => {
                        let complete = self.attach(conn, after_seq);
                        let _ = reply.send(complete);
                    }
                    Some(Command::Detach) => self.conn = None,
                    Some(Command::Direct { name, data }) => self.emit(name, Arc::from(data)),
                    None => break,
                },
                event = self.events.recv() => match event {
                    Ok(event) => {
                        if let Some(data) = self.filter.accept(&self.chat, &event).await {
                            self.emit(event.name, data);
                        }
                    }
                    Err(broadcast::error::RecvError::Lagged(missed)) => {
                        // Events were lost for this session: it cannot be resumed faithfully any more.
                        tracing::warn!(session = %self.id, missed, "gateway session fell behind the hub");
                        self.lost_events = true;
                        self.kick(Close::UnknownError);
                        break;
                    }
                    Err(broadcast::error::RecvError::Closed) => break,
                },
                () = expiry => break,
            }
        }
        registry.remove(&self.id);
    }

    /// Attaches a connection and replays what it missed; `false` if the buffer no longer reaches back that far.
    fn attach(&mut self, conn: Attachment, after_seq: Option<u64>) -> bool {
        if let Some(old) = self.conn.take() {
            let _ = old.kick.send(Some(Close::UnknownError));
        }
        if let Some(after) = after_seq {
            let oldest = self.replay.front().map_or(self.seq + 1, |(seq, _, _)| *seq);
            if self.lost_events || after > self.seq || (after + 1 < oldest && after < self.seq) {
                return false;
            }
            for (seq, name, data) in self.replay.iter().filter(|(seq, _, _)| *seq > after) {
                if conn
                    .out
                    .try_send(Outbound::Text(payload::dispatch(name, *seq, data)))
                    .is_err()
                {
                    let _ = conn.kick.send(Some(Close::UnknownError));
                    return true;
                }
            }
        }
        self.conn = Some(conn);
        true
    }

    fn emit(&mut self, name: &'static str, data: Arc<str>) {
        self.seq += 1;
        let frame = self.conn.as_ref().map(|_| payload::dispatch(name, self.seq, &data));
        self.replay.push_back((self.seq, name, data));
        while self.replay.len() > self.config.replay_buffer {
            self.replay.pop_front();
        }
        if let (Some(conn), Some(frame)) = (&self.conn, frame)
            && conn.out.try_send(Outbound::Text(frame)).is_err()
        {
            // The client is not reading fast enough (or is gone): close it resumably, keep buffering.
            self.kick(Close::UnknownError);
        }
    }

    fn kick(&mut self, code: Close) {
        if let Some(conn) = self.conn.take() {
            let _ = conn.kick.send(Some(code));
        }
    }
}
