//! The DJ: music played into voice rooms from chat commands. So far: the audio pipeline ([`pipeline`]), the
//! chat commands ([`commands`]), the per-room queue ([`queue`]), the
//! music library ([`library`]) and the real-time player ([`player`]).

pub mod commands;
pub mod library;
pub mod pipeline;
pub mod player;
pub mod queue;
