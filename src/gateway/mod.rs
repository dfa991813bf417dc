//! The Discord Gateway v10: WebSocket sessions (identify, heartbeat, resume, intents), and the hub every event
//! is published to. Only this module knows the gateway wire format (opcodes, sequence numbers, compression).

pub mod hub;
