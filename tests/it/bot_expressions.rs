//! Unmodified discord.py and discord.js bots meet the space's own expressions: they list its custom emoji from
//! the GUILD_CREATE cache and from REST, download an emoji's picture from the URL the library builds (the CDN
//! base set to the server, as for avatars), react with a custom emoji, make one of their own and see the event,
//! send a sticker and download it, and (discord.py) read a voice message's length and waveform.

use std::process::Command;
use std::time::Duration;

use base64::Engine;
use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{ADMIN, ADMIN_PASSWORD, BotProcess, Browser, Server, create_bot, repo_root, status_and_code};

async fn call(who: &mut Browser, method: Method, path: &str, body: Option<Value>) -> (u16, Value) {
    status_and_code(who.api(method, path, body).await).await
}

/// The admin adds `party`, a sticker and a voice message, and posts "react here"; returns (guild, general, message).
async fn setting(server: &Server, admin: &mut Browser) -> (String, String, String) {
    let (guild, general) = admin.home().await;
    let mut png = Vec::new();
    image::DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(64, 64, image::Rgba([0, 120, 255, 255])))
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    let uri = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&png)
    );
    let (status, emoji) = call(
        admin,
        Method::POST,
        &format!("/guilds/{guild}/emojis"),
        Some(json!({"name": "party", "image": uri})),
    )
    .await;
    assert_eq!(status, 201, "{emoji}");
    let token = admin.csrf();
    let form = reqwest::multipart::Form::new()
        .text("name", "fortytwo")
        .text("tags", "😂")
        .part("file", reqwest::multipart::Part::bytes(png.clone()).file_name("s.png"));
    let response = admin
        .send(Method::POST, &format!("/api/v10/guilds/{guild}/stickers"), |r| {
            r.header("x-csrf-token", token).multipart(form)
        })
        .await;
    assert_eq!(response.status(), 201);
    let waveform = base64::engine::general_purpose::STANDARD.encode([10u8, 200, 30]);
    let payload = json!({"flags": 8192, "attachments": [{"id": 0, "duration_secs": 1.5, "waveform": waveform}]});
    let form = reqwest::multipart::Form::new()
        .text("payload_json", payload.to_string())
        .part(
            "files[0]",
            reqwest::multipart::Part::bytes(b"OggS\0\x02 not much of a recording".to_vec())
                .file_name("voice-message.ogg"),
        );
    let token = admin.csrf();
    let response = admin
        .send(Method::POST, &format!("/api/v10/channels/{general}/messages"), |r| {
            r.header("x-csrf-token", token).multipart(form)
        })
        .await;
    assert_eq!(response.status(), 200);
    let (_, message) = call(
        admin,
        Method::POST,
        &format!("/channels/{general}/messages"),
        Some(json!({"content": "react here"})),
    )
    .await;
    let _ = server;
    (guild, general, message["id"].as_str().unwrap().to_owned())
}

async fn reactions(admin: &mut Browser, general: &str, message: &str) -> Value {
    call(
        admin,
        Method::GET,
        &format!("/channels/{general}/messages/{message}"),
        None,
    )
    .await
    .1["reactions"]
        .clone()
}

#[tokio::test]
async fn discord_py_uses_the_spaces_emoji_and_stickers() {
    let instance = crate::support::Instance::new("");
    let token = create_bot(&instance, "dpyemoji");
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let (_, general, message) = setting(&server, &mut admin).await;
    let mut command = Command::new(crate::discord_py::python());
    command
        .arg(repo_root().join("tests/bots/dpy_emoji_bot.py"))
        .env("SPOT_URL", &server.base)
        .env("SPOT_BOT_TOKEN", &token);
    let mut bot = BotProcess::start(command);
    let done = bot.expect("done", Duration::from_secs(90));
    assert_eq!(done["cached"], json!(["party"]));
    assert_eq!(done["fetched"], json!(["party"]));
    assert_eq!(done["picture_png"], true, "{done}");
    assert_eq!(done["reacted"], message.as_str());
    assert_eq!(done["made_url"], true);
    assert_eq!(done["stickers"], json!(["fortytwo"]));
    assert_eq!(done["sent_sticker"], json!(["fortytwo"]));
    assert_eq!(done["sticker_picture"], true);
    assert_eq!(done["voice_duration"], 1.5);
    assert_eq!(done["voice_waveform"], 3);
    let reactions = reactions(&mut admin, &general, &message).await;
    assert_eq!(reactions[0]["emoji"]["name"], "party", "{reactions}");
    assert_eq!(reactions[0]["count"], 1);
}

#[tokio::test]
async fn discord_js_uses_the_spaces_emoji_and_stickers() {
    let instance = crate::support::Instance::new("");
    let token = create_bot(&instance, "djsemoji");
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let (_, general, message) = setting(&server, &mut admin).await;
    let mut command = Command::new("node");
    command
        .arg(repo_root().join("tests/bots/djs_emoji_bot.js"))
        .env("SPOT_URL", &server.base)
        .env("SPOT_BOT_TOKEN", &token);
    let mut bot = BotProcess::start(command);
    let done = bot.expect("done", Duration::from_secs(90));
    assert_eq!(done["cached"], json!(["party"]));
    assert_eq!(done["fetched"], json!(["party"]));
    assert_eq!(done["picture_png"], true, "{done}");
    assert_eq!(done["reacted"], message.as_str());
    assert_eq!(done["seen"], done["made"]);
    assert_eq!(done["stickers"], json!(["fortytwo"]));
    assert_eq!(done["sent_sticker"], json!(["fortytwo"]));
    assert_eq!(done["sticker_picture"], 200);
    let reactions = reactions(&mut admin, &general, &message).await;
    assert_eq!(reactions[0]["emoji"]["name"], "party", "{reactions}");
}
