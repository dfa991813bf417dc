//! Integration tests: each starts the real `spot` binary on 127.0.0.1:0 with a temporary data directory and
//! talks to it over HTTP the way a browser or a script would.

// Test code talks to spot as a client would; the rule that outbound HTTP goes through `spot::fetch` is for
// the server.
#![allow(clippy::disallowed_types)]

mod support;

mod admin;
mod assets_and_headers;
mod backup;
mod bot_dms;
mod bot_expressions;
mod channels;
mod config_errors;
mod csrf;
mod deploy;
mod discord_js;
mod discord_py;
mod dm_lifecycle;
mod dms;
mod expressions;
mod fixture;
mod gateway;
mod gateway_slow;
mod gw;
mod hikari;
mod import;
mod init;
mod invites;
mod limits;
mod login;
mod matrix;
mod members;
mod music;
mod oidc;
mod previews;
mod push;
mod pwa;
mod rest;
mod revocation;
mod rtc_peer;
mod serenity;
mod sessions;
mod slash;
mod voice;
mod voice_media;
mod web_client;
mod web_dm;
mod web_expressions;
mod web_phone;
mod web_push;
mod web_slash;
mod web_voice;
mod webhooks;
