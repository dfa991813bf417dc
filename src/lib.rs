//! spot: a self-hosted hangout for a group of friends, in one binary.
//!
//! The crate is organised by domain; each module owns one thing and keeps a small public surface:
//!
//! - [`config`] — the one documented configuration struct, loaded from `spot.toml` and `SPOT_*` variables.
//! - [`store`] — every SQL statement and the migrations; one writer thread plus a reader pool.
//! - [`accounts`] — users, password hashing, sessions, invites and the login limiter.
//! - [`admin`] — the admin panel's actions (users, invites, channels, roles, bots, settings), audited.
//! - [`http`] — the axum router, extractors, CSRF, security headers, request logging and the error mapping.
//! - [`music`] — the DJ: decoding, resampling and Opus-encoding music (more to come).
//! - [`perms`] — Discord permission bits and the one calculation REST and the gateway share.
//! - [`uploads`] — attachment files on disk.
//! - [`web`] — embedded static assets and the server-rendered pages (login, invite sign-up, home).
//! - [`wire`] — Discord's objects as typed structs (TypeScript generated from them), for REST and the gateway.
//! - [`cli`] — `spot init`, `spot serve`, `spot user …`, `spot invite …`, `spot backup` and `spot restore`.
//! - [`chat`] — the chat rules: channels, threads, messages, reactions, pins; persist, then publish.
//! - [`gateway`] — the Discord gateway: sessions, the fan-out, the door's limits.
//! - [`hub`] — where every event is published once, below every domain that publishes.
//! - [`fetch`] — the safe HTTP client for URLs members chose: public addresses only, every hop checked.
//! - [`oidc`] — single sign-on with OpenID Connect: providers, sign-ins in progress, token validation, policy.
//! - [`unfurl`] — link previews: links in messages become embeds in the background; the image proxy.
//! - [`push`] — Web Push: notifications for DMs, mentions and calls to phones and closed tabs.
//! - [`voice`] — voice and video rooms: voice states, the embedded SFU (str0m) or LiveKit tokens.
//! - [`clock`] — the clock every time-dependent rule reads, so tests can control time.
//! - Leaves that import no domain: [`ids`] (snowflakes), [`crypto`] (HMAC, constant-time comparison, random
//!   tokens), [`media`] (what an image is, by its bytes), [`shutdown`] (closing sockets on SIGTERM).
//! - [`app`] — [`app::AppState`], the handles shared by every request.
//!
//! Modules sit in tiers and import only downwards (`src/layers.rs` checks; ARCHITECTURE.md explains).
//!
//! The binary (`src/main.rs`) only calls [`cli::main`].

#![forbid(unsafe_code)]

pub mod accounts;
pub(crate) mod admin;
pub mod app;
pub(crate) mod chat;
pub mod cli;
pub mod clock;
pub mod config;
pub(crate) mod crypto;
pub mod fetch;
pub mod fuzz;
pub(crate) mod gateway;
pub mod http;
pub(crate) mod hub;
pub(crate) mod ids;
pub mod import;
pub(crate) mod media;
pub mod music;
pub(crate) mod oidc;
pub(crate) mod perms;
pub(crate) mod push;
pub(crate) mod shutdown;
pub mod store;
pub(crate) mod unfurl;
pub(crate) mod uploads;
pub mod voice;
pub mod web;
pub(crate) mod wire;

#[cfg(test)]
mod layers;

/// ARCHITECTURE.md stays true: every path its codemap names exists.
#[cfg(test)]
mod architecture_map {
    #[test]
    fn every_path_the_codemap_names_exists() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
        let roots = [
            "src/",
            "web/",
            "tests/",
            "migrations/",
            "benches/",
            "templates/",
            "docs/",
        ];
        let mut checked = 0;
        let mut missing = Vec::new();
        for (index, span) in text.split('`').enumerate() {
            // Odd pieces are inside backticks; a path is one word starting at a known root.
            if index % 2 == 0 || span.contains(char::is_whitespace) || !roots.iter().any(|r| span.starts_with(r)) {
                continue;
            }
            checked += 1;
            if !root.join(span.trim_end_matches(['.', ','])).exists() {
                missing.push(span.to_owned());
            }
        }
        assert!(checked > 20, "the codemap names paths ({checked} found)");
        assert!(
            missing.is_empty(),
            "ARCHITECTURE.md names paths that do not exist: {missing:?}"
        );
    }
}
