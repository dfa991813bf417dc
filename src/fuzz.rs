//! Fuzz targets: each takes arbitrary bytes and hands them to one parser spot runs on input from outside, the
//! way spot runs it (gateway payloads, message bodies with their embeds, mentions and links, link-preview HTML
//! and oEmbed, image sniffing, audio probing). `fuzz/` drives them with AFL++ (`make fuzz`); `tests/fast/fuzz.rs`
//! replays every file of `fuzz/corpus/<target>/` through them on every `make test`. A target that returns has
//! passed; a panic or a hang is a finding.

use serde_json::Value;

use crate::gateway::payload;

/// A fuzz target: takes any bytes, returns when it has handled them.
pub type Target = fn(&[u8]);

/// Every target, by the name of its corpus directory.
pub const TARGETS: &[(&str, Target)] = &[
    ("gateway_payload", gateway_payload),
    ("message_body", message_body),
    ("preview_html", preview_html),
    ("oembed", oembed),
    ("image", image),
    ("audio", audio),
];

/// A gateway frame from a client: the checks and parse every frame gets, then the command's own data.
pub fn gateway_payload(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(incoming) = payload::parse(text) else {
        return;
    };
    let d = incoming.d;
    match incoming.op {
        payload::op::IDENTIFY => drop(serde_json::from_value::<payload::Identify>(d)),
        payload::op::RESUME => drop(serde_json::from_value::<payload::Resume>(d)),
        payload::op::PRESENCE_UPDATE => drop(serde_json::from_value::<payload::PresenceUpdate>(d)),
        payload::op::VOICE_STATE_UPDATE => drop(serde_json::from_value::<crate::voice::StateRequest>(d)),
        _ => {}
    }
}

/// A create or edit body: JSON as the API reads it, embeds checked as Discord checks them, and the text's
/// mentions and links found.
pub fn message_body(data: &[u8]) {
    if let Ok(input) = crate::http::extract::parse_json::<crate::chat::MessageInput>(data) {
        if let Some(embeds) = &input.embeds {
            let _ = crate::wire::parse_embeds(embeds);
        }
        if let Some(content) = &input.content {
            let _ = crate::chat::mentions::parse(content, input.allowed_mentions.as_ref(), true);
            let _ = crate::chat::links::links(content, 5);
        }
    }
    let _ = crate::http::extract::parse_json::<crate::chat::EditInput>(data);
}

/// A page fetched for a link preview: its meta tags read and turned into an embed.
pub fn preview_html(data: &[u8]) {
    let html = String::from_utf8_lossy(data);
    let meta = crate::unfurl::html::scan(&html);
    let _ = crate::unfurl::embed::page_image(&meta, None);
    let _ = crate::unfurl::embed::page("https://example.org/page", &meta, None, None);
}

/// An oEmbed answer, with the page it describes.
pub fn oembed(data: &[u8]) {
    let Ok(oembed) = serde_json::from_slice::<crate::unfurl::embed::OEmbed>(data) else {
        return;
    };
    let meta = crate::unfurl::html::scan("<title>t</title>");
    let _ = crate::unfurl::embed::page_image(&meta, Some(&oembed));
    let _: Option<Value> = crate::unfurl::embed::page("https://example.org/page", &meta, Some(&oembed), None);
}

/// An upload or a fetched image: what it is by its bytes, and its size.
pub fn image(data: &[u8]) {
    let _ = crate::media::image_kind(data);
    let _ = imagesize::blob_size(data);
}

/// An audio file or stream: probed, decoded and resampled for the DJ (a bounded number of packets).
pub fn audio(data: &[u8]) {
    let source = std::io::Cursor::new(data.to_vec());
    let Ok(mut reader) = crate::music::pipeline::TrackReader::open(Box::new(source), None) else {
        return;
    };
    for _ in 0..64 {
        if !matches!(reader.next_pcm(), Ok(Some(_))) {
            break;
        }
    }
}
