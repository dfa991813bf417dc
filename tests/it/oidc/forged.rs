//! Forged tokens (filled in below).
