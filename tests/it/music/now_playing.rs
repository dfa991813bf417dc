//! The now-playing bar's API: `GET`/`POST /channels/{voice}/music` with the chat commands' rules (in the room,
//! the DJ role, the per-member limit, CSRF for cookies), `SPOT_MUSIC_UPDATE` on the gateway of everyone who can
//! view the room, and the cover art of library tracks at `/music/covers/{id}` for signed-in members and bots.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use super::room::DjRoom;
use crate::fixture::png;
use crate::gw::Gw;
use crate::support::{ADMIN, ADMIN_PASSWORD, Browser, Instance, create_bot, create_user};

const CONFIG: &str = "[api]\nroute_limit = 1000\nglobal_per_second = 1000\n[music]\nlibrary = [\"music\"]\n";

/// A sox-made FLAC tone with tags.
fn flac(path: &std::path::Path, seconds: u32, tags: &[&str]) {
    let mut command = std::process::Command::new("sox");
    command.args(["-n", "-r", "44100", "-c", "2", "-b", "16"]);
    for (i, tag) in tags.iter().enumerate() {
        command.arg(if i == 0 { "--comment" } else { "--add-comment" }).arg(tag);
    }
    let status = command
        .arg(path)
        .args(["synth", &seconds.to_string(), "sine", "440"])
        .status()
        .expect("sox is needed for this test");
    assert!(status.success());
}

async fn music(browser: &mut Browser, channel: &str) -> (u16, Value) {
    let response = browser
        .api(Method::GET, &format!("/channels/{channel}/music"), None)
        .await;
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

async fn act(browser: &mut Browser, channel: &str, body: Value) -> (u16, Value) {
    let response = browser
        .api(Method::POST, &format!("/channels/{channel}/music"), Some(body))
        .await;
    (response.status().as_u16(), response.json().await.unwrap_or(Value::Null))
}

/// The next `SPOT_MUSIC_UPDATE` whose `d` satisfies `wanted`.
async fn update(gw: &mut Gw, wanted: impl Fn(&Value) -> bool) -> Value {
    loop {
        let d = gw.dispatch("SPOT_MUSIC_UPDATE").await["d"].clone();
        if wanted(&d) {
            return d;
        }
    }
}

#[tokio::test]
async fn the_now_playing_bar_reads_and_controls_the_dj() {
    let instance = Instance::new(CONFIG);
    let library = instance.dir.path().join("music");
    std::fs::create_dir_all(library.join("Waves")).unwrap();
    std::fs::create_dir_all(library.join("Loose")).unwrap();
    flac(
        &library.join("Waves/01.flac"),
        30,
        &["TITLE=Long Sine", "ARTIST=The Oscillators", "ALBUM=Waves"],
    );
    let cover = png(32, 32);
    std::fs::write(library.join("Waves/cover.png"), &cover).unwrap();
    flac(&library.join("Loose/02.flac"), 20, &["TITLE=Short Square"]);
    assert!(super::stdout(&instance, &["music", "scan"]).contains("2 added"));
    create_user(&instance, "mia", "mia password 1", false);
    create_user(&instance, "bob", "bob password 1", false);
    let token = create_bot(&instance, "robot");
    let server = instance.serve();
    let mut room = DjRoom::join(&server, "mia", "mia password 1").await;
    let mut admin = DjRoom::join(&server, ADMIN, ADMIN_PASSWORD).await;
    let lounge = room.lounge.clone();
    let mut bob = server.browser();
    assert_eq!(bob.login("bob", "bob password 1").await.status(), 303);
    let cookie = format!("spot_session={}", bob.cookies["spot_session"]);
    let mut bob_gw = Gw::connect_with(
        &server,
        "v=10&encoding=json",
        &[("cookie", cookie), ("origin", server.base.clone())],
    )
    .await;
    bob_gw.identify("", (1 << 0) | (1 << 7)).await;

    // An idle room, and the channels that are not rooms (or not there, or hidden).
    let (status, idle) = music(&mut room.member, &lounge).await;
    assert_eq!(status, 200);
    assert_eq!(idle["channel_id"], lounge.as_str());
    assert_eq!(
        (idle["playing"].clone(), idle["queue_length"].clone()),
        (Value::Null, json!(0))
    );
    assert_eq!(idle["queue"], json!([]));
    let general = room.general.clone();
    let (status, body) = music(&mut room.member, &general).await;
    assert_eq!((status, body["code"].clone()), (400, json!(50024)), "{body}");
    let (status, body) = music(&mut room.member, "12345").await;
    assert_eq!((status, body["code"].clone()), (404, json!(10003)));
    let hidden = admin
        .member
        .api(
            Method::POST,
            &format!("/guilds/{}/channels", room.guild),
            Some(json!({"name": "staff room", "type": 2, "permission_overwrites": [{"id": room.guild, "type": 0, "deny": "1024"}]})),
        )
        .await;
    assert_eq!(hidden.status(), 201);
    let hidden = hidden.json::<Value>().await.unwrap()["id"].as_str().unwrap().to_owned();
    let (status, _) = music(&mut room.member, &hidden).await;
    assert!(status == 403 || status == 404, "{status}");
    let (status, _) = act(&mut room.member, &hidden, json!({"action": "pause"})).await;
    assert!(status == 403 || status == 404, "{status}");

    // Bad bodies are refused before anything happens; so is a cookie request without the CSRF header.
    for (body, field) in [
        (json!({"action": "dance"}), "action"),
        (json!({"action": "volume", "volume": 300}), "volume"),
        (json!({"action": "volume"}), "volume"),
        (json!({"action": "seek", "position_ms": -5}), "position_ms"),
        (json!({"action": "loop", "mode": "forever"}), "mode"),
    ] {
        let (status, error) = act(&mut room.member, &lounge, body.clone()).await;
        assert_eq!((status, error["code"].clone()), (400, json!(50035)), "{body}: {error}");
        assert!(error["errors"][field].is_object(), "{body}: {error}");
    }
    // (Each member may give six DJ commands in ten seconds, from chat and the bar together: the admin takes
    // some of the turns below so that mia's last one is refused only when the test wants it.)
    let (status, error) = act(&mut admin.member, &lounge, json!({"action": "pause"})).await;
    assert_eq!(status, 400, "nothing plays yet: {error}");
    assert!(
        error["errors"]["action"]["_errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("Nothing is playing")
    );
    let no_csrf = room
        .member
        .send(Method::POST, &format!("/api/v10/channels/{lounge}/music"), |r| {
            r.json(&json!({"action": "pause"}))
        })
        .await;
    assert_eq!(no_csrf.status(), 403);

    // Playing from chat shows in the state and reaches everyone who can view the room.
    room.say("!play long sine").await;
    let playing = update(&mut room.gw, |d| d["playing"]["title"] == "Long Sine").await;
    assert_eq!(
        update(&mut bob_gw, |d| d["playing"]["title"] == "Long Sine").await["channel_id"],
        lounge.as_str()
    );
    let track = &playing["playing"];
    assert_eq!(track["artist"], "The Oscillators");
    assert_eq!(track["album"], "Waves");
    assert!(
        (track["duration_ms"].as_u64().unwrap() as i64 - 30_000).abs() < 100,
        "{track}"
    );
    assert!(track["position_ms"].as_u64().unwrap() < 5_000, "{track}");
    assert_eq!(track["requested_by"]["username"], "mia");
    assert_eq!(track["live"], false);
    assert_eq!(playing["text_channel_id"], general.as_str());
    assert_eq!(
        (
            playing["paused"].clone(),
            playing["volume"].clone(),
            playing["loop"].clone()
        ),
        (json!(false), json!(100), json!("off"))
    );
    let cover_url = track["cover_url"].as_str().expect("a cover").to_owned();
    assert!(cover_url.starts_with("/music/covers/"), "{cover_url}");

    // The cover: for members (cookie) and bots (token), never for strangers; an image type, never sniffed.
    let served = room.member.get(&cover_url).await;
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.headers()["x-content-type-options"], "nosniff");
    assert!(served.headers()["cache-control"].to_str().unwrap().contains("max-age"));
    assert_eq!(served.bytes().await.unwrap().to_vec(), cover);
    let as_bot = reqwest::Client::new()
        .get(format!("{}{cover_url}", server.base))
        .header("authorization", format!("Bot {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(as_bot.status(), 200);
    assert_eq!(
        reqwest::get(format!("{}{cover_url}", server.base))
            .await
            .unwrap()
            .status(),
        401
    );
    assert_eq!(room.member.get("/music/covers/999999").await.status(), 404);
    let said = room
        .wait_dj(Duration::from_secs(10), |s| {
            s.iter().any(|m| m["embeds"][0]["title"] == "Long Sine")
        })
        .await;
    let embed = &said.iter().find(|m| m["embeds"][0]["title"] == "Long Sine").unwrap()["embeds"][0];
    assert_eq!(embed["thumbnail"]["proxy_url"], cover_url.as_str(), "{embed}");

    // The queue, then the bar's actions with the chat commands' rules.
    room.say("!play short square").await;
    let queued = update(&mut room.gw, |d| d["queue_length"] == 1).await;
    assert_eq!(queued["queue"][0]["title"], "Short Square");
    assert_eq!(queued["queue"][0]["requested_by"]["username"], "mia");
    assert_eq!(queued["queue"][0]["duration_ms"].as_u64().map(|ms| ms / 1000), Some(20));

    let (status, paused) = act(&mut room.member, &lounge, json!({"action": "pause"})).await;
    assert_eq!((status, paused["paused"].clone()), (200, json!(true)), "{paused}");
    assert_eq!(
        update(&mut bob_gw, |d| d["paused"] == true).await["playing"]["title"],
        "Long Sine"
    );
    let at = paused["playing"]["position_ms"].as_u64().unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        music(&mut room.member, &lounge).await.1["playing"]["position_ms"],
        at,
        "paused: the position stands"
    );

    let (status, error) = act(&mut room.member, &lounge, json!({"action": "volume", "volume": 150})).await;
    assert_eq!((status, error["code"].clone()), (403, json!(50013)), "{error}");
    assert!(error["message"].as_str().unwrap().contains("DJ role"), "{error}");
    let (status, state) = act(&mut admin.member, &lounge, json!({"action": "volume", "volume": 50})).await;
    assert_eq!((status, state["volume"].clone()), (200, json!(50)));

    let (status, state) = act(
        &mut admin.member,
        &lounge,
        json!({"action": "seek", "position_ms": 10_000}),
    )
    .await;
    assert_eq!(
        (status, state["playing"]["position_ms"].clone()),
        (200, json!(10_000)),
        "{state}"
    );
    let (status, error) = act(
        &mut admin.member,
        &lounge,
        json!({"action": "seek", "position_ms": 40_000}),
    )
    .await;
    assert_eq!(
        (status, error["code"].clone()),
        (400, json!(50035)),
        "past the end: {error}"
    );
    let (status, state) = act(&mut admin.member, &lounge, json!({"action": "loop", "mode": "queue"})).await;
    assert_eq!((status, state["loop"].clone()), (200, json!("queue")));

    // Someone who can view the room but is not in it reads the state and cannot control it; neither can a bot.
    assert_eq!(music(&mut bob, &lounge).await.0, 200);
    let (status, error) = act(&mut bob, &lounge, json!({"action": "resume"})).await;
    assert_eq!((status, error["code"].clone()), (403, json!(50013)), "{error}");
    assert!(
        error["message"].as_str().unwrap().contains("join this voice room"),
        "{error}"
    );
    let by_bot = reqwest::Client::new()
        .post(format!("{}/api/v10/channels/{lounge}/music", server.base))
        .header("authorization", format!("Bot {token}"))
        .json(&json!({"action": "skip"}))
        .send()
        .await
        .unwrap();
    assert_eq!(by_bot.status(), 403);
    let read_by_bot = reqwest::Client::new()
        .get(format!("{}/api/v10/channels/{lounge}/music", server.base))
        .header("authorization", format!("Bot {token}"))
        .send()
        .await
        .unwrap();
    assert_eq!(read_by_bot.status(), 200);
    assert_eq!(
        read_by_bot.json::<Value>().await.unwrap()["playing"]["title"],
        "Long Sine"
    );

    // Stop needs the DJ role; a skip moves on (mia asked for the track).
    let (status, error) = act(&mut room.member, &lounge, json!({"action": "stop"})).await;
    assert_eq!((status, error["code"].clone()), (403, json!(50013)), "{error}");
    let (status, _) = act(&mut room.member, &lounge, json!({"action": "skip"})).await;
    assert_eq!(status, 200);
    let next = update(&mut room.gw, |d| d["playing"]["title"] == "Short Square").await;
    assert_eq!(
        next["queue"][0]["title"], "Long Sine",
        "looping the queue brings it back"
    );
    assert_eq!(next["playing"]["cover_url"], Value::Null);

    // The per-member limit is shared with chat: mia has used it up by now (or does in a few more tries).
    let mut limited = None;
    for _ in 0..7 {
        let response = room
            .member
            .api(
                Method::POST,
                &format!("/channels/{lounge}/music"),
                Some(json!({"action": "resume"})),
            )
            .await;
        if response.status() == 429 {
            limited = Some(response.json::<Value>().await.unwrap());
            break;
        }
    }
    let limited = limited.expect("the per-member limit applies to the bar");
    assert!(limited["retry_after"].as_f64().unwrap() > 0.0, "{limited}");

    let (status, state) = act(&mut admin.member, &lounge, json!({"action": "stop"})).await;
    assert_eq!(
        (status, state["playing"].clone(), state["queue_length"].clone()),
        (200, Value::Null, json!(0)),
        "{state}"
    );
    update(&mut bob_gw, |d| d["playing"].is_null() && d["queue_length"] == 0).await;
}

/// An ID3v2.3 tag with a title (TIT2) and a front-cover picture (APIC), as taggers write it before MP3 audio.
fn id3(title: &str, picture: &[u8]) -> Vec<u8> {
    let mut body = Vec::new();
    let mut frame = |id: &[u8; 4], data: Vec<u8>| {
        body.extend_from_slice(id);
        body.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
        body.extend_from_slice(&[0, 0]);
        body.extend(data);
    };
    let mut text = vec![0];
    text.extend_from_slice(title.as_bytes());
    frame(b"TIT2", text);
    let mut apic = b"\0image/png\0\x03\0".to_vec();
    apic.extend_from_slice(picture);
    frame(b"APIC", apic);
    let size = u32::try_from(body.len()).unwrap();
    let mut tag = b"ID3\x03\x00\x00".to_vec();
    tag.extend([size >> 21, size >> 14, size >> 7, size].map(|b| (b & 0x7f) as u8));
    tag.extend(body);
    tag
}

#[tokio::test]
async fn an_uploaded_file_brings_its_own_title_and_cover() {
    let instance = Instance::new(CONFIG);
    create_user(&instance, "mia", "mia password 1", false);
    let mp3 = instance.dir.path().join("tone.mp3");
    let status = std::process::Command::new("sox")
        .args(["-n", "-r", "44100", "-c", "2"])
        .arg(&mp3)
        .args(["synth", "3", "sine", "440"])
        .status()
        .expect("sox is needed for this test");
    assert!(status.success());
    let picture = png(24, 24);
    let mut song = id3("Uploaded Song", &picture);
    song.extend(std::fs::read(&mp3).unwrap());
    let server = instance.serve();
    let mut room = DjRoom::join(&server, "mia", "mia password 1").await;

    room.play_file("upload.mp3", song).await;
    let state = update(&mut room.gw, |d| d["playing"]["title"] == "Uploaded Song").await;
    let cover_url = state["playing"]["cover_url"].as_str().expect("a cover").to_owned();
    assert!(
        cover_url.starts_with(&format!("/music/covers/upload/{}/", room.general)),
        "{cover_url}"
    );
    let served = room.member.get(&cover_url).await;
    assert_eq!(served.status(), 200);
    assert_eq!(served.headers()["content-type"], "image/png");
    assert_eq!(served.bytes().await.unwrap().to_vec(), picture);
    assert_eq!(
        reqwest::get(format!("{}{cover_url}", server.base))
            .await
            .unwrap()
            .status(),
        401
    );
    let other = format!("/music/covers/upload/{}/{}", room.general, 12345);
    assert_eq!(room.member.get(&other).await.status(), 404);
}
