//! How the DJ words things in chat: one line per track, and the now-playing embed (title, artist, album, a
//! position bar, who asked, and the cover as its thumbnail).

use std::time::Duration;

use serde_json::{Value, json};

use crate::music::commands::format_time;
use crate::music::queue::{CoverArt, Entry};

/// Where a track's cover is served, relative to the instance.
pub fn cover_path(cover: CoverArt) -> String {
    match cover {
        CoverArt::Library(track) => format!("/music/covers/{track}"),
        CoverArt::Upload(channel, attachment) => format!("/music/covers/upload/{channel}/{attachment}"),
    }
}

/// The embed for a track. `base` is the instance's public URL (may be empty: the thumbnail's `url` is then
/// relative; its `proxy_url` always is, as the web client loads only same-origin images).
pub fn now_playing_embed(entry: &Entry, position: Option<Duration>, base: &str) -> Value {
    let mut fields = vec![json!({"name": "Requested by", "value": entry.requested_by.display_name, "inline": true})];
    if let Some(album) = &entry.album {
        fields.push(json!({"name": "Album", "value": album, "inline": true}));
    }
    match entry.duration {
        Some(length) => {
            let at = position.unwrap_or_default().min(length);
            let done = ((at.as_secs_f64() / length.as_secs_f64().max(1.0)) * 20.0).round() as usize;
            let bar: String = (0..20).map(|i| if i < done.min(20) { '▬' } else { '─' }).collect();
            fields.push(json!({"name": "Length", "value": format!("{} {bar} {}", format_time(at), format_time(length)), "inline": false}));
        }
        None => fields.push(json!({"name": "Length", "value": "live stream", "inline": true})),
    }
    let mut embed = json!({
        "type": "rich",
        "title": entry.title,
        "description": entry.artist.as_deref().map(|a| format!("by {a}")).unwrap_or_default(),
        "color": 0x5865f2,
        "author": {"name": "Now playing"},
        "fields": fields,
    });
    if let Some(cover) = entry.cover {
        let path = cover_path(cover);
        embed["thumbnail"] = json!({"url": format!("{}{path}", base.trim_end_matches('/')), "proxy_url": path});
    }
    embed
}

/// One line for a track: **title** by artist (length).
pub fn describe(entry: &Entry) -> String {
    let length = entry
        .duration
        .map(|d| format!(" ({})", format_time(d)))
        .unwrap_or_default();
    match &entry.artist {
        Some(artist) => format!("**{}** by {artist}{length}", entry.title),
        None => format!("**{}**{length}", entry.title),
    }
}
