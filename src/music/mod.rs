//! The DJ: music played into voice rooms from chat commands. So far: the audio pipeline ([`pipeline`]).

pub mod pipeline;
