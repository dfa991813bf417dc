//! The DJ: music played into voice rooms from chat commands and the web client's now-playing bar. The audio
//! pipeline ([`pipeline`]), the chat commands ([`commands`]), the per-room queue ([`queue`]), the music library
//! with its covers ([`library`]), the real-time player ([`player`]), where tracks come from ([`sources`]), the
//! bot itself ([`dj`]: rooms, replies, the bar's state and actions) and its way into voice rooms
//! ([`voice_link`], [`voice_peer`]). Nothing here knows HTTP; `http::api::music` and `http::covers` serve it.

pub mod commands;
pub mod dj;
pub mod library;
pub mod pipeline;
pub mod player;
pub mod queue;
pub mod sources;
pub mod voice_link;
pub mod voice_peer;
