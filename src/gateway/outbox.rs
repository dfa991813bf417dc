//! A connection's outgoing bytes. Whoever has a frame for the connection — the fan-out delivering an event,
//! the connection answering a heartbeat, tungstenite writing a pong or a close — appends it here under one
//! lock, and the first writer while nothing is waiting hands it to the kernel right away (`try_write`). So an
//! event reaches a socket without waking the connection's task; only bytes the socket will not take yet wake
//! the connection's [`Outbox::pump`], which writes them as the socket drains.
//!
//! Frames are appended whole and in order, and zlib-stream compression happens under the same lock, so the
//! wire order is the compression order. A connection more than `limit` frames behind is marked `over`: nothing
//! more is queued (the session's replay buffer still has it all) and the connection closes resumably.

use std::io;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::net::TcpStream;
use tokio::sync::Notify;

use super::compress::ZlibStream;

/// Largest scratch buffer a thread keeps between sends.
const KEEP_SCRATCH: usize = 64 * 1024;

thread_local! {
    /// Where a thread frames payloads for a socket with nothing waiting: one buffer per thread, reused, so an
    /// idle connection keeps no write buffer of its own.
    static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
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
    /// Frames queued since the buffer was last empty.
    frames_waiting: usize,
    zlib: Option<ZlibStream>,
    stopped: Option<Stopped>,
    /// A close frame is queued: nothing may follow it.
    closing: bool,
}

impl State {
    fn is_drained(&self) -> bool {
        self.sent == self.pending.len()
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
    /// The outbox of `socket`; `zlib` compresses data messages as `compress=zlib-stream` asks.
    pub fn new(socket: Arc<TcpStream>, zlib: bool, limit: usize) -> Self {
        Self {
            socket,
            state: Mutex::new(State {
                pending: Vec::new(),
                sent: 0,
                frames_waiting: 0,
                zlib: zlib.then(ZlibStream::new),
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
    /// `false` if the connection is closing (too far behind, or broken): the payloads were not queued.
    pub fn send<S: AsRef<str>>(&self, payloads: &[S]) -> bool {
        let mut state = self.lock();
        if state.stopped.is_some() || state.closing {
            return false;
        }
        let was_drained = state.is_drained();
        if !was_drained && state.frames_waiting + payloads.len() > self.limit {
            state.stopped = Some(Stopped::Over);
            drop(state);
            self.ready.notify_one();
            return false;
        }
        let state = &mut *state;
        state.frames_waiting += payloads.len();
        if !was_drained {
            // The pump is on it: queue behind what waits.
            let mut pending = std::mem::take(&mut state.pending);
            frame_payloads(state, &mut pending, payloads);
            state.pending = pending;
            return true;
        }
        SCRATCH.with_borrow_mut(|scratch| {
            scratch.clear();
            frame_payloads(state, scratch, payloads);
            self.write_from(state, scratch);
            if scratch.capacity() > KEEP_SCRATCH {
                *scratch = Vec::new();
            }
        });
        true
    }

    /// Queues bytes that are already WebSocket frames (tungstenite's pongs and close frames).
    pub fn send_raw(&self, bytes: &[u8]) -> io::Result<()> {
        let mut state = self.lock();
        if state.stopped == Some(Stopped::Broken) {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        if state.closing {
            return Ok(());
        }
        if state.is_drained() {
            self.write_from(&mut state, bytes);
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

    /// With nothing waiting: writes `bytes` as far as the socket takes them; the rest waits for the pump.
    fn write_from(&self, state: &mut State, bytes: &[u8]) {
        match self.write_now(bytes) {
            Ok(n) if n == bytes.len() => state.frames_waiting = 0,
            Ok(n) => state.pending.extend_from_slice(&bytes[n..]),
            Err(()) => state.stopped = Some(Stopped::Broken),
        }
        if !state.is_drained() || state.stopped.is_some() {
            self.ready.notify_one();
        }
    }

    /// Writes as much of what waits as the socket takes without waiting.
    fn write_some(&self, state: &mut State) {
        match self.write_now(&state.pending[state.sent..]) {
            Ok(n) => state.sent += n,
            Err(()) => state.stopped = Some(Stopped::Broken),
        }
        if state.is_drained() {
            // Only a backlog uses this buffer: give it back.
            state.pending = Vec::new();
            state.sent = 0;
            state.frames_waiting = 0;
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
            if state.closing || state.stopped == Some(Stopped::Broken) {
                return;
            }
            state.closing = true;
            let mut payload = code.to_be_bytes().to_vec();
            payload.extend_from_slice(&reason.as_bytes()[..reason.len().min(123)]);
            frame(&mut state.pending, OPCODE_CLOSE, &payload);
        }
        let _ = self.drain(timeout, true).await;
    }
}

/// Frames gateway payloads into `out`: text frames, or binary frames of the connection's zlib stream.
fn frame_payloads<S: AsRef<str>>(state: &mut State, out: &mut Vec<u8>, payloads: &[S]) {
    for payload in payloads {
        let payload = payload.as_ref().as_bytes();
        match &mut state.zlib {
            Some(zlib) => {
                let packed = zlib.compress(payload);
                frame(out, OPCODE_BINARY, &packed);
            }
            None => frame(out, OPCODE_TEXT, payload),
        }
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
