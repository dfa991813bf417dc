//! The Discord Gateway v10: WebSocket sessions (identify, heartbeat, resume, intents) and the delivery of
//! published events to them. Only this module knows the gateway wire format (opcodes, sequence numbers,
//! compression); the HTTP face does the checks at the door (`http/upgrade.rs`) and hands the socket over.
//!
//! - [`Gateway`] — the handles it is given at start; [`fanout`] — the few threads that deliver published
//!   events (the hub's [`Sink`](crate::hub::Sink)) to every session.
//! - [`session`] — a session's state, shared by the fan-out and its owner (its connection, or a waiting task
//!   while detached so clients can RESUME); [`sessions`] — the registry.
//! - [`connection`] — one WebSocket: HELLO, heartbeats, commands, close codes; IDENTIFY and RESUME in
//!   `identify`, other commands in `commands`. [`socket`] — the handshake and the socket under it;
//!   [`outbox`] — every byte a connection sends, in order.
//! - [`filter`] — which events a session receives (audience, intents, permissions).
//! - [`presence`] — who is online; [`revocations`] — ending the sessions of credentials that ended.
//! - [`payload`] — opcodes, close codes, frames; [`compress`] — zlib-stream and zstd-stream.

mod commands;
pub mod compress;
pub mod connection;
pub mod fanout;
pub mod filter;
mod handles;
mod identify;
pub mod limits;
pub mod outbox;
pub mod payload;
pub mod presence;
pub mod revocations;
pub mod session;
pub mod sessions;
pub mod socket;
pub mod starts;

pub use handles::{Gateway, Parts};
