//! The DJ: music played into voice rooms from chat commands. So far: the audio pipeline ([`pipeline`]), the
//! chat commands ([`commands`]) and the per-room queue ([`queue`]).

pub mod commands;
pub mod pipeline;
pub mod queue;
