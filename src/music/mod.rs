//! The DJ: music played into voice rooms from chat commands. So far: the audio pipeline ([`pipeline`]), the
//! chat commands ([`commands`]), the per-room queue ([`queue`]), the
//! music library ([`library`]), the real-time player ([`player`]) and where tracks come from ([`sources`]).

pub mod commands;
pub mod dj;
pub mod library;
pub mod pipeline;
pub mod player;
pub mod queue;
pub mod sources;
pub mod voice_link;
pub mod voice_peer;
