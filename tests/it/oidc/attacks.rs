//! Attacks on the flow against the real provider (filled in below).
