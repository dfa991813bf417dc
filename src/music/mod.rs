//! The DJ: music played into voice rooms from chat commands. So far: the audio pipeline ([`pipeline`]), the
//! chat commands ([`commands`]), the per-room queue ([`queue`]) and the music library ([`library`]).

pub mod commands;
pub mod library;
pub mod pipeline;
pub mod queue;
