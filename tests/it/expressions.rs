//! The space's own expressions through Discord's REST and gateway, as a member and a bot meet them: custom
//! emoji (upload fitted to 128 px with animation kept, served at an absolute CDN-style URL, GUILD_EMOJIS_UPDATE,
//! in GUILD_CREATE, in reactions by `name:id`, renamed and deleted with old reactions keeping their name),
//! stickers (multipart upload, sent as `sticker_ids`, `sticker_items` on the message), soundboard sounds
//! (decoded and checked on upload) and voice messages (flag 8192 with length and waveform) — and every hostile
//! or wrong input refused with Discord's code, nothing stored, the server still answering.

use std::io::Cursor;

use base64::Engine;
use image::codecs::gif::{GifEncoder, Repeat};
use image::{Delay, Frame, ImageFormat, Rgba, RgbaImage};
use reqwest::Method;
use serde_json::{Value, json};

use crate::gw::Gw;
use crate::support::{ADMIN, ADMIN_PASSWORD, Browser, Instance, Server, create_bot, create_user, status_and_code};

const ALL: u64 = (1 << 26) - 1;

fn png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(RgbaImage::from_pixel(w, h, Rgba([250, 200, 0, 255])))
        .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
        .unwrap();
    out
}

fn gif(w: u32, h: u32, frames: usize) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut encoder = GifEncoder::new(&mut out);
        encoder.set_repeat(Repeat::Infinite).unwrap();
        encoder
            .encode_frames((0..frames).map(|i| {
                let c = (i * 80 % 255) as u8;
                Frame::from_parts(
                    RgbaImage::from_pixel(w, h, Rgba([c, 255 - c, 0, 255])),
                    0,
                    0,
                    Delay::from_numer_denom_ms(100, 1),
                )
            }))
            .unwrap();
    }
    out
}

fn data_uri(mime: &str, bytes: &[u8]) -> String {
    format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// A 16-bit mono WAV of a tone.
pub fn wav(seconds: f64, hz: f64) -> Vec<u8> {
    let rate = 16_000u32;
    let frames = (f64::from(rate) * seconds) as u32;
    let mut out = Vec::new();
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + frames * 2).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&(frames * 2).to_le_bytes());
    for i in 0..frames {
        let v = (0.4 * (2.0 * std::f64::consts::PI * hz * f64::from(i) / f64::from(rate)).sin() * 32767.0) as i16;
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

async fn call(who: &mut Browser, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    status_and_code(who.api(method, path, body).await).await
}

/// A signed-in member with a gateway session.
async fn member(server: &Server, name: &str, password: &str) -> (Browser, Gw, Value) {
    let mut browser = server.browser();
    assert_eq!(browser.login(name, password).await.status(), 303);
    let cookie = format!("spot_session={}", browser.cookies["spot_session"]);
    let mut gw = Gw::connect_with(
        server,
        "v=10&encoding=json",
        &[("cookie", cookie), ("origin", server.base.clone())],
    )
    .await;
    let (_, guild) = gw.identify("", ALL).await;
    (browser, gw, guild)
}

async fn fetch(url: &str) -> (u16, String, Vec<u8>) {
    let response = reqwest::get(url).await.unwrap();
    let status = response.status().as_u16();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, kind, response.bytes().await.unwrap().to_vec())
}

#[tokio::test]
async fn custom_emoji_from_upload_to_reaction_to_deletion() {
    let instance = Instance::new("[chat]\nmax_emojis = 3\n[api]\nroute_limit = 100000\nglobal_per_second = 100000\n");
    create_user(&instance, "bob", "bob password 1", false);
    let bot = create_bot(&instance, "watcher");
    let server = instance.serve();
    let (mut admin, _admin_gw, guild) = member(&server, ADMIN, ADMIN_PASSWORD).await;
    let (mut bob, _bob_gw, _) = member(&server, "bob", "bob password 1").await;
    assert_eq!(guild["emojis"], json!([]));
    let guild_id = guild["id"].as_str().unwrap().to_owned();
    let general = guild["channels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "general")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut bot_gw = Gw::connect(&server, "v=10&encoding=json").await;
    bot_gw.identify(&format!("Bot {bot}"), ALL).await;
    let emojis = format!("/guilds/{guild_id}/emojis");

    // A still picture, fitted to 128 px and served as a PNG at an absolute URL; the space and bots hear of it.
    let (status, party) = call(
        &mut admin,
        Method::POST,
        &emojis,
        Some(json!({"name": "party", "image": data_uri("image/png", &png(400, 200))})),
    )
    .await;
    assert_eq!(status, 201, "{party}");
    assert_eq!(
        (party["name"].clone(), party["animated"].clone()),
        (json!("party"), json!(false))
    );
    assert_eq!(party["user"]["username"], ADMIN);
    let party_id = party["id"].as_str().unwrap().to_owned();
    let update = bot_gw.dispatch("GUILD_EMOJIS_UPDATE").await["d"].clone();
    assert_eq!(update["guild_id"], guild_id.as_str());
    assert_eq!(update["emojis"][0]["id"], party_id.as_str());
    let (status, kind, bytes) = fetch(&format!("{}/emojis/{party_id}.png", server.base)).await;
    assert_eq!((status, kind.as_str()), (200, "image/png"));
    let picture = image::load_from_memory(&bytes).unwrap();
    assert_eq!((picture.width(), picture.height()), (128, 64));

    // An animated GIF stays animated.
    let (status, dance) = call(
        &mut admin,
        Method::POST,
        &emojis,
        Some(json!({"name": "dance", "image": data_uri("image/gif", &gif(200, 200, 3))})),
    )
    .await;
    assert_eq!((status, dance["animated"].clone()), (201, json!(true)), "{dance}");
    let dance_id = dance["id"].as_str().unwrap().to_owned();
    let (status, kind, bytes) = fetch(&format!("{}/emojis/{dance_id}.gif", server.base)).await;
    assert_eq!((status, kind.as_str()), (200, "image/gif"));
    let frames =
        image::AnimationDecoder::into_frames(image::codecs::gif::GifDecoder::new(Cursor::new(bytes)).unwrap()).count();
    assert_eq!(frames, 3);

    // Bad input: Discord's codes, nothing stored.
    let refusals = [
        (
            json!({"name": "fake", "image": data_uri("image/png", b"this is not a png at all")}),
            400,
            50046,
        ),
        (
            json!({"name": "huge", "image": data_uri("image/gif", &huge_gif_header())}),
            400,
            50046,
        ),
        (
            json!({"name": "big", "image": data_uri("image/png", &vec![7u8; 300 * 1024])}),
            413,
            50045,
        ),
        (
            json!({"name": "Bad Name!", "image": data_uri("image/png", &png(8, 8))}),
            400,
            50035,
        ),
        (
            json!({"name": "party", "image": data_uri("image/png", &png(8, 8))}),
            400,
            50035,
        ),
        (json!({"name": "nodata", "image": "not a data uri"}), 400, 50035),
    ];
    for (body, status, code) in refusals {
        let (got, error) = call(&mut admin, Method::POST, &emojis, Some(body.clone())).await;
        assert_eq!(
            (got, error["code"].clone()),
            (status, json!(code)),
            "{} → {error}",
            body["name"]
        );
    }
    let (_, listed) = call(&mut admin, Method::GET, &emojis, None).await;
    assert_eq!(listed.as_array().unwrap().len(), 2, "{listed}");

    // Members add their own; someone else's is not theirs to rename or delete; the limit holds.
    let (status, mine) = call(
        &mut bob,
        Method::POST,
        &emojis,
        Some(json!({"name": "bobface", "image": data_uri("image/png", &png(64, 64))})),
    )
    .await;
    assert_eq!(status, 201, "{mine}");
    let (status, error) = call(
        &mut bob,
        Method::PATCH,
        &format!("{emojis}/{party_id}"),
        Some(json!({"name": "mine_now"})),
    )
    .await;
    assert_eq!((status, error["code"].clone()), (403, json!(50013)));
    let (status, error) = call(
        &mut admin,
        Method::POST,
        &emojis,
        Some(json!({"name": "fourth", "image": data_uri("image/png", &png(8, 8))})),
    )
    .await;
    assert_eq!((status, error["code"].clone()), (400, json!(30008)), "{error}");
    let mine_id = mine["id"].as_str().unwrap();
    let (status, _) = call(&mut bob, Method::DELETE, &format!("{emojis}/{mine_id}"), None).await;
    assert_eq!(status, 204);

    // Used in text and as a reaction (`name:id`, as libraries send it); events carry the custom emoji.
    let (status, message) = call(
        &mut bob,
        Method::POST,
        &format!("/channels/{general}/messages"),
        Some(json!({"content": format!("<:party:{party_id}> <a:dance:{dance_id}>")})),
    )
    .await;
    assert_eq!(status, 200);
    let message_id = message["id"].as_str().unwrap().to_owned();
    let reactions = format!("/channels/{general}/messages/{message_id}/reactions");
    let (status, _) = call(
        &mut bob,
        Method::PUT,
        &format!("{reactions}/party:{party_id}/@me"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let added = bot_gw.dispatch("MESSAGE_REACTION_ADD").await["d"].clone();
    assert_eq!(
        added["emoji"],
        json!({"id": party_id, "name": "party", "animated": false})
    );
    let (status, _) = call(
        &mut admin,
        Method::PUT,
        &format!("{reactions}/a:dance:{dance_id}/@me"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let (status, error) = call(&mut bob, Method::PUT, &format!("{reactions}/ghost:123456789/@me"), None).await;
    assert_eq!(
        (status, error["code"].clone()),
        (404, json!(10014)),
        "an emoji id from nowhere"
    );
    let (_, read) = call(
        &mut bob,
        Method::GET,
        &format!("/channels/{general}/messages/{message_id}"),
        None,
    )
    .await;
    assert_eq!(read["content"], format!("<:party:{party_id}> <a:dance:{dance_id}>"));
    assert_eq!(read["reactions"][0]["emoji"]["id"], party_id.as_str());
    assert_eq!(read["reactions"][1]["emoji"]["animated"], true);
    let (_, users) = call(&mut admin, Method::GET, &format!("{reactions}/party:{party_id}"), None).await;
    assert_eq!(users[0]["username"], "bob");

    // Renamed: the reactions follow. Deleted: the picture goes, old reactions keep the name and can be removed.
    let (status, renamed) = call(
        &mut admin,
        Method::PATCH,
        &format!("{emojis}/{party_id}"),
        Some(json!({"name": "fiesta"})),
    )
    .await;
    assert_eq!((status, renamed["name"].clone()), (200, json!("fiesta")));
    let (status, _) = call(&mut admin, Method::DELETE, &format!("{emojis}/{party_id}"), None).await;
    assert_eq!(status, 204);
    let deleted = bot_gw
        .dispatch_where("GUILD_EMOJIS_UPDATE", |d| {
            d["emojis"].as_array().is_some_and(|e| e.len() == 1)
        })
        .await;
    assert_eq!(deleted["emojis"][0]["name"], "dance");
    assert_eq!(fetch(&format!("{}/emojis/{party_id}.png", server.base)).await.0, 404);
    let (_, read) = call(
        &mut bob,
        Method::GET,
        &format!("/channels/{general}/messages/{message_id}"),
        None,
    )
    .await;
    assert_eq!(read["reactions"][0]["emoji"]["name"], "fiesta");
    let (status, error) = call(
        &mut bob,
        Method::PUT,
        &format!("{reactions}/fiesta:{party_id}/@me"),
        None,
    )
    .await;
    assert_eq!(
        (status, error["code"].clone()),
        (404, json!(10014)),
        "a deleted emoji takes no new reactions"
    );
    let (status, _) = call(
        &mut bob,
        Method::DELETE,
        &format!("{reactions}/fiesta:{party_id}/@me"),
        None,
    )
    .await;
    assert_eq!(status, 204);

    // A new session sees the space's emoji in GUILD_CREATE, and GET /guilds/{id} carries them.
    let mut late = Gw::connect(&server, "v=10&encoding=json").await;
    let (_, guild) = late.identify(&format!("Bot {bot}"), ALL).await;
    assert_eq!(guild["emojis"].as_array().unwrap().len(), 1);
    assert_eq!(guild["emojis"][0]["id"], dance_id.as_str());
    let (_, full) = call(&mut admin, Method::GET, &format!("/guilds/{guild_id}"), None).await;
    assert_eq!(full["emojis"][0]["name"], "dance");

    // Uploads are in the audit log.
    let audit = admin.get("/admin/audit").await.text().await.unwrap();
    assert!(
        audit.contains("expressions.emoji.create") && audit.contains(":dance:"),
        "{audit}"
    );
}

/// A GIF header claiming 10,000 × 10,000 pixels.
fn huge_gif_header() -> Vec<u8> {
    let mut big = b"GIF89a".to_vec();
    big.extend_from_slice(&10_000u16.to_le_bytes());
    big.extend_from_slice(&10_000u16.to_le_bytes());
    big.extend_from_slice(&[0xF7, 0, 0]);
    big.extend(std::iter::repeat_n(0u8, 768));
    big.push(0x3b);
    big
}

async fn upload_sticker(who: &mut Browser, guild_id: &str, name: &str, file: Vec<u8>) -> (u16, Value) {
    let token = who.csrf();
    let form = reqwest::multipart::Form::new()
        .text("name", name.to_owned())
        .text("description", "the answer to everything".to_owned())
        .text("tags", "😂".to_owned())
        .part("file", reqwest::multipart::Part::bytes(file).file_name("sticker.png"));
    let response = who
        .send(Method::POST, &format!("/api/v10/guilds/{guild_id}/stickers"), |r| {
            r.header("x-csrf-token", token).multipart(form)
        })
        .await;
    status_and_code(response).await
}

#[tokio::test]
async fn stickers_sounds_and_voice_messages() {
    let instance = Instance::new("[api]\nroute_limit = 100000\nglobal_per_second = 100000\n");
    create_user(&instance, "bob", "bob password 1", false);
    let bot = create_bot(&instance, "watcher");
    let server = instance.serve();
    let (mut admin, _admin_gw, guild) = member(&server, ADMIN, ADMIN_PASSWORD).await;
    let (mut bob, mut bob_gw, _) = member(&server, "bob", "bob password 1").await;
    let guild_id = guild["id"].as_str().unwrap().to_owned();
    let general = guild["channels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "general")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let messages = format!("/channels/{general}/messages");

    // A sticker: multipart upload, fitted to 320 px, sent by id, read back as sticker_items with its picture.
    let (status, sticker) = upload_sticker(&mut admin, &guild_id, "fortytwo", png(640, 640)).await;
    assert_eq!((status, sticker["format_type"].clone()), (201, json!(1)), "{sticker}");
    let sticker_id = sticker["id"].as_str().unwrap().to_owned();
    let update = bob_gw.dispatch("GUILD_STICKERS_UPDATE").await["d"].clone();
    assert_eq!(update["stickers"][0]["name"], "fortytwo");
    let (status, kind, bytes) = fetch(&format!("{}/stickers/{sticker_id}.png", server.base)).await;
    assert_eq!((status, kind.as_str()), (200, "image/png"));
    assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 320);
    let (status, animated) = upload_sticker(&mut bob, &guild_id, "wiggle", gif(100, 100, 2)).await;
    assert_eq!((status, animated["format_type"].clone()), (201, json!(4)), "{animated}");
    let (status, sent) = call(
        &mut bob,
        Method::POST,
        &messages,
        Some(json!({"sticker_ids": [sticker_id]})),
    )
    .await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(
        sent["sticker_items"],
        json!([{"id": sticker_id, "name": "fortytwo", "format_type": 1}])
    );
    let (status, error) = call(&mut bob, Method::POST, &messages, Some(json!({"sticker_ids": ["123"]}))).await;
    assert_eq!(
        (status, error["code"].clone()),
        (400, json!(50081)),
        "a sticker from nowhere"
    );
    let four = json!({"sticker_ids": [sticker_id, sticker_id, sticker_id, sticker_id]});
    assert_eq!(
        call(&mut bob, Method::POST, &messages, Some(four)).await.1["code"],
        50035
    );
    let (status, error) = upload_sticker(&mut bob, &guild_id, "notapicture", b"GIF89a but not really".to_vec()).await;
    assert_eq!((status, error["code"].clone()), (400, json!(50046)), "{error}");
    let (status, error) = upload_sticker(&mut bob, &guild_id, "toolarge", vec![0u8; 600 * 1024]).await;
    assert_eq!((status, error["code"].clone()), (413, json!(50045)), "{error}");
    let (_, listed) = call(&mut bob, Method::GET, &format!("/guilds/{guild_id}/stickers"), None).await;
    assert_eq!(listed.as_array().unwrap().len(), 2);
    let (status, _) = call(
        &mut admin,
        Method::DELETE,
        &format!("/guilds/{guild_id}/stickers/{sticker_id}"),
        None,
    )
    .await;
    assert_eq!(status, 204);
    let (_, kept) = call(
        &mut bob,
        Method::GET,
        &format!("{messages}/{}", sent["id"].as_str().unwrap()),
        None,
    )
    .await;
    assert_eq!(
        kept["sticker_items"][0]["name"], "fortytwo",
        "a deleted sticker's messages keep its name"
    );

    // Soundboard sounds: decoded by the DJ's pipeline on upload.
    let sounds = format!("/guilds/{guild_id}/soundboard-sounds");
    let (status, horn) = call(
        &mut bob,
        Method::POST,
        &sounds,
        Some(json!({"name": "airhorn", "sound": data_uri("audio/wav", &wav(1.0, 880.0)), "volume": 0.8, "emoji_name": "📯"})),
    )
    .await;
    assert_eq!(status, 201, "{horn}");
    let created = bob_gw.dispatch("GUILD_SOUNDBOARD_SOUND_CREATE").await["d"].clone();
    assert_eq!(
        (created["name"].clone(), created["volume"].clone()),
        (json!("airhorn"), json!(0.8))
    );
    let horn_id = horn["sound_id"].as_str().unwrap().to_owned();
    let (status, kind, bytes) = fetch(&format!("{}/soundboard-sounds/{horn_id}", server.base)).await;
    assert_eq!(
        (status, kind.as_str(), bytes.len()),
        (200, "audio/wav", wav(1.0, 880.0).len())
    );
    for (body, code) in [
        (
            json!({"name": "long", "sound": data_uri("audio/wav", &wav(6.0, 440.0))}),
            50046,
        ),
        (
            json!({"name": "fake", "sound": data_uri("audio/mpeg", b"<html>not a sound at all</html>")}),
            50046,
        ),
        (
            json!({"name": "airhorn", "sound": data_uri("audio/wav", &wav(0.5, 440.0))}),
            50035,
        ),
        (
            json!({"name": "loud", "sound": data_uri("audio/wav", &wav(0.5, 440.0)), "volume": 3}),
            50035,
        ),
    ] {
        let (status, error) = call(&mut bob, Method::POST, &sounds, Some(body.clone())).await;
        assert_eq!(
            (status, error["code"].clone()),
            (400, json!(code)),
            "{} → {error}",
            body["name"]
        );
    }
    let (_, listed) = call(&mut bob, Method::GET, &sounds, None).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    let (status, error) = call(
        &mut bob,
        Method::POST,
        &format!("/channels/{general}/send-soundboard-sound"),
        Some(json!({"sound_id": horn_id})),
    )
    .await;
    assert_eq!(
        (status, error["code"].clone()),
        (400, json!(50024)),
        "a text channel is no voice room"
    );

    // Voice messages: one audio file with its length and waveform, flag 8192, as Discord's clients send them.
    let waveform = base64::engine::general_purpose::STANDARD.encode([0u8, 64, 128, 255, 128, 64]);
    let voice = |payload: Value, files: usize| {
        let mut form = reqwest::multipart::Form::new().text("payload_json", payload.to_string());
        for i in 0..files {
            form = form.part(
                format!("files[{i}]"),
                reqwest::multipart::Part::bytes(ogg_bytes()).file_name("voice-message.ogg"),
            );
        }
        form
    };
    let meta = json!([{"id": 0, "filename": "voice-message.ogg", "duration_secs": 2.5, "waveform": waveform}]);
    let (status, sent) = post(
        &mut bob,
        &general,
        voice(json!({"flags": 8192, "attachments": meta}), 1),
    )
    .await;
    assert_eq!(status, 200, "{sent}");
    assert_eq!(sent["flags"], 8192);
    let attachment = &sent["attachments"][0];
    assert_eq!(
        (
            attachment["duration_secs"].clone(),
            attachment["waveform"].clone(),
            attachment["content_type"].clone()
        ),
        (json!(2.5), json!(waveform), json!("audio/ogg"))
    );
    let (status, kind, _) = fetch(attachment["url"].as_str().unwrap()).await;
    assert_eq!((status, kind.as_str()), (200, "audio/ogg"), "the recording downloads");
    for (payload, files, code) in [
        (json!({"flags": 8192, "attachments": meta, "content": "hi"}), 1, 50161),
        (json!({"flags": 8192}), 1, 50160),
        (json!({"flags": 8192, "attachments": meta}), 2, 50159),
    ] {
        let (status, error) = post(&mut bob, &general, voice(payload, files)).await;
        assert_eq!((status, error["code"].clone()), (400, json!(code)), "{error}");
    }
    // Without SEND_VOICE_MESSAGES (taken from @everyone): refused.
    let (_, roles) = call(&mut admin, Method::GET, &format!("/guilds/{guild_id}/roles"), None).await;
    let everyone = roles
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == guild_id.as_str())
        .unwrap();
    let without = everyone["permissions"].as_str().unwrap().parse::<u64>().unwrap() & !(1u64 << 46);
    let (status, _) = call(
        &mut admin,
        Method::PATCH,
        &format!("/guilds/{guild_id}/roles/{guild_id}"),
        Some(json!({"permissions": without.to_string()})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, error) = post(
        &mut bob,
        &general,
        voice(json!({"flags": 8192, "attachments": meta}), 1),
    )
    .await;
    assert_eq!((status, error["code"].clone()), (403, json!(50013)));

    // A bot reads the voice message as Discord sends it.
    let mut bot_http = server.browser().with_header("authorization", &format!("Bot {bot}"));
    let read: Value = bot_http
        .get(&format!(
            "/api/v10/channels/{general}/messages/{}",
            sent["id"].as_str().unwrap()
        ))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["flags"], 8192);
    assert_eq!(read["attachments"][0]["duration_secs"], 2.5);
    // And the server still answers everyone after all of that.
    assert_eq!(call(&mut admin, Method::GET, &messages, None).await.0, 200);
}

/// A few bytes that start like an Ogg file (the server checks the type a voice message claims, not its codec).
fn ogg_bytes() -> Vec<u8> {
    let mut bytes = b"OggS\0\x02".to_vec();
    bytes.extend(std::iter::repeat_n(0u8, 200));
    bytes
}

async fn post(who: &mut Browser, channel: &str, form: reqwest::multipart::Form) -> (u16, Value) {
    let token = who.csrf();
    let path = format!("/api/v10/channels/{channel}/messages");
    status_and_code(
        who.send(Method::POST, &path, move |r| {
            r.header("x-csrf-token", token).multipart(form)
        })
        .await,
    )
    .await
}
