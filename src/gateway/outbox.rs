//! A connection's outgoing bytes. Whoever has a frame for the connection — the fan-out delivering an event,
//! the connection answering a heartbeat, tungstenite writing a pong or a close — appends it here under one
//! lock, and the first writer while nothing is waiting hands it to the kernel right away (`try_write`). So an
//! event reaches a socket without waking the connection's task; only bytes the socket will not take yet wake
//! the connection's [`Outbox::pump`], which writes them as the socket drains.
//!
//! Frames are appended whole and in order, and compression (zlib- or zstd-stream) happens under the same lock, so the
//! wire order is the compression order. A connection with more than `limit` frames (or [`MAX_UNSENT`] bytes)
//! not yet taken by the socket is marked `Over`: nothing more is queued (the session's replay buffer still has
//! it all) and the connection closes resumably.

use std::collections::VecDeque;
use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::net::TcpStream;
use tokio::sync::Notify;

use super::compress::{Kind, Stream};

/// Largest scratch buffer a thread keeps between sends.
const KEEP_SCRATCH: usize = 64 * 1024;
/// Most bytes waiting for one socket, whatever the frames (pongs to a ping flood, huge member chunks).
pub const MAX_UNSENT: usize = 8 * 1024 * 1024;
/// Written bytes are dropped from the front of the buffer once they are this many and half of it.
const COMPACT_AFTER: usize = 64 * 1024;

thread_local! {
    /// Where a thread frames payloads for a socket with nothing waiting, and where those frames end: reused, so
    /// an idle connection keeps no write buffer of its own and a delivery allocates nothing.
    static SCRATCH: std::cell::RefCell<(Vec<u8>, VecDeque<usize>)> =
        const { std::cell::RefCell::new((Vec::new(), VecDeque::new())) };
}

/// Why a connection's outbox stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stopped {
    /// The client fell more than the limit behind.
    Over,
    /// The socket failed or took nothing for the send timeout.
    Broken,
}

struct State {
    /// Bytes the kernel has not taken yet; `pending[sent..]` is still to write.
    pending: Vec<u8>,
    sent: usize,
    /// Where each data frame not yet fully written ends in `pending`.
    ends: VecDeque<usize>,
    compress: Option<Stream>,
    stopped: Option<Stopped>,
    /// A close frame is queued: nothing may follow it.
    closing: bool,
}

impl State {
    fn is_drained(&self) -> bool {
        self.sent == self.pending.len()
    }

    fn unsent(&self) -> usize {
        self.pending.len() - self.sent
    }

    /// `n` more bytes were written.
    fn advance(&mut self, n: usize) {
        self.sent += n;
        while self.ends.front().is_some_and(|end| *end <= self.sent) {
            self.ends.pop_front();
        }
        if self.is_drained() {
            // Only a backlog uses this buffer: give it back.
            self.pending = Vec::new();
            self.sent = 0;
            self.ends.clear();
        } else if self.sent >= COMPACT_AFTER && self.sent * 2 >= self.pending.len() {
            self.pending.drain(..self.sent);
            for end in &mut self.ends {
                *end -= self.sent;
            }
            self.sent = 0;
        }
    }
}

/// One connection's outgoing bytes.
pub struct Outbox {
    socket: Arc<TcpStream>,
    state: Mutex<State>,
    /// Frames a connection may fall behind before it is closed.
    limit: usize,
    /// Wakes the pump: bytes wait for the socket, or the outbox stopped.
    ready: Notify,
}

impl Outbox {
    /// The outbox of `socket`; `compress` compresses data messages as the gateway URL asked.
    pub fn new(socket: Arc<TcpStream>, compress: Option<Kind>, limit: usize) -> Self {
        Self {
            socket,
            state: Mutex::new(State {
                pending: Vec::new(),
                sent: 0,
                ends: VecDeque::new(),
                compress: compress.map(Stream::new),
                stopped: None,
                closing: false,
            }),
            limit,
            ready: Notify::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sends gateway payloads (JSON text) as data messages, in order, compressed if the connection asked.
    /// `false` if the connection is closing (too far behind, or broken): the payloads were not queued. A send
    /// to a connection with nothing waiting always goes out, however big (a RESUME's replay, GUILD_CREATE).
    pub fn send<S: AsRef<str>>(&self, payloads: &[S]) -> bool {
        let mut state = self.lock();
        if state.stopped.is_some() || state.closing {
            return false;
        }
        let state = &mut *state;
        if !state.is_drained() {
            if state.ends.len() + payloads.len() > self.limit || state.unsent() > MAX_UNSENT {
                state.stopped = Some(Stopped::Over);
                self.ready.notify_one();
                return false;
            }
            // The pump is on it: queue behind what waits.
            let mut pending = std::mem::take(&mut state.pending);
            let mut ends = std::mem::take(&mut state.ends);
            frame_payloads(&mut state.compress, &mut pending, &mut ends, payloads);
            state.pending = pending;
            state.ends = ends;
            return true;
        }
        SCRATCH.with_borrow_mut(|(scratch, ends)| {
            scratch.clear();
            ends.clear();
            frame_payloads(&mut state.compress, scratch, ends, payloads);
            self.write_from(state, scratch, ends);
            if scratch.capacity() > KEEP_SCRATCH {
                *scratch = Vec::new();
            }
        });
        true
    }

    /// Queues bytes that are already WebSocket frames (tungstenite's pongs and close replies).
    pub fn send_raw(&self, bytes: &[u8]) -> io::Result<()> {
        let mut state = self.lock();
        if state.stopped == Some(Stopped::Broken) {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        if state.closing {
            return Ok(());
        }
        // tungstenite writes whole frames: a close reply ends what this connection may send.
        state.closing = bytes.first().is_some_and(|b| b & 0x0f == OPCODE_CLOSE);
        if state.is_drained() {
            self.write_from(&mut state, bytes, &VecDeque::new());
        } else if state.unsent() + bytes.len() > MAX_UNSENT {
            // A client that sends pings and reads nothing.
            state.stopped = Some(Stopped::Over);
            self.ready.notify_one();
        } else {
            state.pending.extend_from_slice(bytes);
        }
        Ok(())
    }

    /// Writes as much of `bytes` as the socket takes without waiting: how much it took; `Err` if it failed.
    fn write_now(&self, bytes: &[u8]) -> Result<usize, ()> {
        let mut written = 0;
        while written < bytes.len() {
            match self.socket.try_write(&bytes[written..]) {
                Ok(0) => return Err(()),
                Ok(n) => written += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return Err(()),
            }
        }
        Ok(written)
    }

    /// With nothing waiting: writes `bytes` (whose data frames end at `ends`) as far as the socket takes them;
    /// the rest waits for the pump.
    fn write_from(&self, state: &mut State, bytes: &[u8], ends: &VecDeque<usize>) {
        match self.write_now(bytes) {
            Ok(n) if n == bytes.len() => {}
            Ok(n) => {
                state.pending.extend_from_slice(&bytes[n..]);
                state.ends = ends.iter().filter(|end| **end > n).map(|end| end - n).collect();
                self.ready.notify_one();
            }
            Err(()) => {
                state.stopped = Some(Stopped::Broken);
                self.ready.notify_one();
            }
        }
    }

    /// Writes as much of what waits as the socket takes without waiting.
    fn write_some(&self, state: &mut State) {
        match self.write_now(&state.pending[state.sent..]) {
            Ok(n) => state.advance(n),
            Err(()) => state.stopped = Some(Stopped::Broken),
        }
    }

    /// Writes waiting bytes whenever the socket can take them. Completes only when the outbox stops: the client
    /// fell too far behind, or the socket failed or took nothing for `timeout`.
    pub async fn pump(&self, timeout: Duration) -> Stopped {
        loop {
            self.ready.notified().await;
            if let Err(stopped) = self.drain(timeout, false).await {
                return stopped;
            }
        }
    }

    /// Writes until nothing is waiting; `Err` if the outbox stopped on the way (`Over` does not stop a
    /// closing connection's last writes).
    async fn drain(&self, timeout: Duration, closing: bool) -> Result<(), Stopped> {
        loop {
            {
                let mut state = self.lock();
                let stopped = |state: &State| state.stopped.filter(|s| !closing || *s == Stopped::Broken);
                if let Some(stopped) = stopped(&state) {
                    return Err(stopped);
                }
                self.write_some(&mut state);
                if let Some(stopped) = stopped(&state) {
                    return Err(stopped);
                }
                if state.is_drained() {
                    return Ok(());
                }
            }
            match tokio::time::timeout(timeout, self.socket.writable()).await {
                Ok(Ok(())) => {}
                _ => {
                    self.lock().stopped = Some(Stopped::Broken);
                    return Err(Stopped::Broken);
                }
            }
        }
    }

    /// Queues a close frame after everything already queued (nothing may follow it) and waits, at most
    /// `timeout` without progress, until it has been written.
    pub async fn close(&self, code: u16, reason: &str, timeout: Duration) {
        {
            let mut state = self.lock();
            if state.stopped == Some(Stopped::Broken) {
                return;
            }
            // Already closing (tungstenite answered the client's close): only the writing remains.
            if !state.closing {
                state.closing = true;
                let mut payload = code.to_be_bytes().to_vec();
                payload.extend_from_slice(&reason.as_bytes()[..reason.len().min(123)]);
                frame(&mut state.pending, OPCODE_CLOSE, &payload);
            }
        }
        let _ = self.drain(timeout, true).await;
    }
}

/// Frames gateway payloads into `out` — text frames, or binary frames of the connection's compressed stream —
/// and notes where each ends.
fn frame_payloads<S: AsRef<str>>(
    compress: &mut Option<Stream>,
    out: &mut Vec<u8>,
    ends: &mut VecDeque<usize>,
    payloads: &[S],
) {
    for payload in payloads {
        let payload = payload.as_ref().as_bytes();
        match compress {
            Some(stream) => {
                let packed = stream.compress(payload);
                frame(out, OPCODE_BINARY, &packed);
            }
            None => frame(out, OPCODE_TEXT, payload),
        }
        ends.push_back(out.len());
    }
}

const OPCODE_TEXT: u8 = 0x1;
const OPCODE_BINARY: u8 = 0x2;
const OPCODE_CLOSE: u8 = 0x8;

/// Appends one unmasked, unfragmented server frame (RFC 6455 §5.2).
fn frame(out: &mut Vec<u8>, opcode: u8, payload: &[u8]) {
    out.reserve(payload.len() + 10);
    out.push(0x80 | opcode);
    match payload.len() {
        len @ 0..=125 => out.push(len as u8),
        len @ 126..=0xFFFF => {
            out.push(126);
            out.extend_from_slice(&(len as u16).to_be_bytes());
        }
        len => {
            out.push(127);
            out.extend_from_slice(&(len as u64).to_be_bytes());
        }
    }
    out.extend_from_slice(payload);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_headers_use_the_shortest_length_form() {
        for (len, header) in [
            (5usize, vec![0x81, 5]),
            (126, vec![0x81, 126, 0, 126]),
            (70_000, {
                let mut h = vec![0x81, 127];
                h.extend_from_slice(&70_000u64.to_be_bytes());
                h
            }),
        ] {
            let mut out = Vec::new();
            frame(&mut out, OPCODE_TEXT, &vec![b'x'; len]);
            assert_eq!(&out[..header.len()], &header[..]);
            assert_eq!(out.len(), header.len() + len);
        }
    }
}

#[cfg(test)]
mod socket_tests {
    use tokio::io::AsyncReadExt;
    use tokio::net::TcpListener;

    use super::*;

    /// (opcode, payload length) of each frame in `bytes`, which must hold whole frames only.
    fn frames(bytes: &[u8]) -> Vec<(u8, usize)> {
        let mut out = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            let opcode = bytes[at] & 0x0f;
            let (len, header) = match bytes[at + 1] {
                126 => (u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]) as usize, 4),
                127 => (
                    u64::from_be_bytes(bytes[at + 2..at + 10].try_into().unwrap()) as usize,
                    10,
                ),
                len => (len as usize, 2),
            };
            out.push((opcode, len));
            at += header + len;
        }
        assert_eq!(at, bytes.len(), "the stream ends on a frame boundary");
        out
    }

    /// A reader that stops reading: the outbox takes `limit` frames beyond what the kernel holds, then refuses;
    /// a close still goes out after them, and the client receives every accepted frame whole, then the close.
    #[tokio::test]
    async fn a_stuck_reader_gets_what_was_accepted_then_the_close() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.set_recv_buffer_size(4096).unwrap();
        let mut client = socket.connect(listener.local_addr().unwrap()).await.unwrap();
        let (server, _) = listener.accept().await.unwrap();
        socket2::SockRef::from(&server).set_send_buffer_size(4096).unwrap();
        let outbox = Outbox::new(Arc::new(server), None, 8);
        let payload = "x".repeat(3000);
        let mut accepted = 0;
        while outbox.send(&[payload.as_str()]) {
            accepted += 1;
            assert!(accepted < 1000, "the outbox never refused");
        }
        assert_eq!(outbox.pump(Duration::from_secs(5)).await, Stopped::Over);
        // Pongs to a ping flood are capped too.
        outbox.send_raw(&vec![0x8a; MAX_UNSENT]).unwrap();
        let closing = outbox.close(4000, "behind", Duration::from_secs(5));
        let reading = async {
            let mut received = Vec::new();
            let mut buf = vec![0u8; 65536];
            loop {
                let n = client.read(&mut buf).await.unwrap();
                if n == 0 {
                    break received;
                }
                received.extend_from_slice(&buf[..n]);
                if received.len() >= 4 && frames_end_with_close(&received) {
                    break received;
                }
            }
        };
        let ((), received) = tokio::join!(closing, reading);
        let got = frames(&received);
        let (last, data) = got.split_last().unwrap();
        assert_eq!(*last, (OPCODE_CLOSE, 2 + "behind".len()));
        assert_eq!(data.len(), accepted, "every accepted frame arrives, whole");
        assert!(data.iter().all(|frame| *frame == (OPCODE_TEXT, 3000)));
        assert!(accepted > 8, "the kernel took some before the limit counted");
    }

    fn frames_end_with_close(bytes: &[u8]) -> bool {
        // Cheap check before parsing: a close frame's header is near the end.
        bytes.len() >= 10 && bytes[bytes.len() - 10] == 0x88
    }
}
