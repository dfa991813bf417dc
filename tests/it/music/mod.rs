//! The DJ. Here: the music library from the command line (`spot music scan` reads tags from files made by the
//! test with sox, a rescan notices added, changed and removed files without rereading the rest, damaged files
//! are reported and skipped, `spot music search` finds tracks by title, artist and album), URLs through the safe
//! client, and the DJ answering and playing in a voice room. `bad_input` feeds it broken files and URLs;
//! `now_playing` drives the web client's API, events and covers; `room` is their shared member in the Lounge.

mod bad_input;
mod now_playing;
mod room;
mod slash;
mod soundboard;

use std::path::Path;
use std::process::Command;

use crate::support::Instance;

/// A one-second tone at `path` in the file's format, with Vorbis-comment tags where the format has them.
fn tone(path: &Path, tags: &[(&str, &str)]) {
    let mut command = Command::new("sox");
    command.args(["-n", "-r", "44100", "-c", "2"]);
    if path.extension().is_some_and(|e| e != "ogg") {
        command.args(["-b", "16"]);
    }
    for (i, (key, value)) in tags.iter().enumerate() {
        command.arg(if i == 0 { "--comment" } else { "--add-comment" });
        command.arg(format!("{key}={value}"));
    }
    let status = command
        .arg(path)
        .args(["synth", "1", "sine", "440"])
        .status()
        .expect("sox is needed for this test (make test installs it)");
    assert!(status.success());
}

fn stdout(instance: &Instance, args: &[&str]) -> String {
    let output = instance.run(args);
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn library_scan_rescan_and_search() {
    let instance = Instance::new("[music]\nlibrary = [\"music\"]\n");
    let library = instance.dir.path().join("music");
    let album = library.join("Waves");
    std::fs::create_dir_all(&album).unwrap();
    tone(
        &album.join("01.flac"),
        &[
            ("TITLE", "Sine Rise"),
            ("ARTIST", "The Oscillators"),
            ("ALBUM", "Waves"),
            ("TRACKNUMBER", "1"),
        ],
    );
    tone(
        &album.join("02.ogg"),
        &[
            ("TITLE", "Square Dance"),
            ("ARTIST", "The Oscillators"),
            ("ALBUM", "Waves"),
        ],
    );
    tone(&library.join("untagged_song.wav"), &[]);
    std::fs::write(library.join("broken.mp3"), b"<!doctype html><p>not music</p>").unwrap();
    std::fs::write(library.join("notes.txt"), b"not music and not looked at").unwrap();

    let out = stdout(&instance, &["music", "scan"]);
    assert!(
        out.starts_with("4 files: 3 added, 0 updated, 0 removed, 1 unreadable; 3 tracks"),
        "{out}"
    );
    assert!(out.contains("broken.mp3"), "{out}");

    let found = stdout(&instance, &["music", "search", "oscill"]);
    assert!(found.contains("Sine Rise — The Oscillators (Waves) 0:01"), "{found}");
    assert!(found.contains("Square Dance"), "{found}");
    assert!(stdout(&instance, &["music", "search", "untagged"]).contains("untagged song — unknown artist"));
    assert!(stdout(&instance, &["music", "search", "waves", "sine"]).lines().count() == 1);

    // A rescan: one file changed, one removed, one added; the rest is not read again.
    std::thread::sleep(std::time::Duration::from_millis(20));
    tone(
        &album.join("02.ogg"),
        &[("TITLE", "Square Dance (Remix)"), ("ARTIST", "The Oscillators")],
    );
    std::fs::remove_file(library.join("untagged_song.wav")).unwrap();
    tone(
        &album.join("03.flac"),
        &[("TITLE", "Triangle"), ("ARTIST", "Sawtooth Sisters")],
    );
    let out = stdout(&instance, &["music", "scan"]);
    assert!(
        out.starts_with("4 files: 1 added, 1 updated, 1 removed, 1 unreadable; 3 tracks"),
        "{out}"
    );
    assert!(stdout(&instance, &["music", "search", "remix"]).contains("Square Dance (Remix)"));
    assert!(stdout(&instance, &["music", "search", "untagged"]).is_empty());
    assert!(stdout(&instance, &["music", "search", "sawtooth"]).contains("Triangle"));
}

#[test]
fn scanning_without_folders_says_what_to_set() {
    let instance = Instance::new("");
    let output = instance.run(&["music", "scan"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("music.library"));
}

/// Runs an opener the way the player does: on a plain thread, with the runtime's handle for the network side.
fn open_on_thread(opener: spot::music::player::Opener) -> Result<Vec<f32>, String> {
    std::thread::spawn(move || {
        let mut reader = opener().map_err(|e| e.to_string())?;
        let mut pcm = Vec::new();
        // Two seconds at most: enough for a file, and a stream plays on.
        while pcm.len() < 2 * 48_000 * 2 {
            match reader.next_pcm().map_err(|e| e.to_string())? {
                Some(frames) => pcm.extend(frames),
                None => break,
            }
        }
        Ok(pcm)
    })
    .join()
    .unwrap()
}

/// The tone's frequency: rising crossings with hysteresis (so ripple near zero is not counted), over the middle
/// of the signal.
fn zero_crossings_hz(pcm: &[f32]) -> f64 {
    let left: Vec<f32> = pcm.iter().step_by(2).copied().collect();
    let body = &left[left.len() / 10..left.len() * 9 / 10];
    let (mut armed, mut crossings) = (false, 0usize);
    for &sample in body {
        if sample < -0.1 {
            armed = true;
        } else if sample > 0.1 && armed {
            armed = false;
            crossings += 1;
        }
    }
    crossings as f64 / (body.len() as f64 / 48_000.0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn urls_and_radio_streams_play_through_the_safe_client() {
    use spot::music::sources;
    let fixture = crate::fixture::Fixture::start().await;
    let client = spot::fetch::SafeClient::new(&spot::config::FetchConfig::default(), Some(fixture.port)).unwrap();
    let runtime = tokio::runtime::Handle::current();
    let open = |path: &str, max: u64| sources::url(client.clone(), runtime.clone(), fixture.url(path), max);

    let pcm = open_on_thread(open("/tone.wav", 10 * 1024 * 1024)).expect("a WAV file by URL plays");
    assert!(
        (pcm.len() as f64 / 2.0 / 48_000.0 - 1.0).abs() < 0.05,
        "{} frames",
        pcm.len() / 2
    );
    let hz = zero_crossings_hz(&pcm);
    assert!((hz - 440.0).abs() < 3.0, "{hz} Hz");

    let radio = open_on_thread(open("/radio", 1024)).expect("a stream without a length plays on");
    assert!(radio.len() >= 2 * 48_000 * 2, "two seconds read from an endless stream");
    assert!((zero_crossings_hz(&radio) - 440.0).abs() < 3.0);

    let page = open_on_thread(open("/page.mp3", 1 << 20)).unwrap_err();
    assert!(page.contains("web page"), "{page}");
    let big = open_on_thread(open("/tone.wav", 1000)).unwrap_err();
    assert!(big.contains("larger than"), "{big}");
    let private = sources::url(
        client.clone(),
        runtime.clone(),
        "http://192.168.1.1/song.mp3".into(),
        1 << 20,
    );
    let refused = open_on_thread(private).unwrap_err();
    assert!(refused.contains("not allowed"), "{refused}");
    let missing = open_on_thread(open("/nothing-here.mp3", 1 << 20)).unwrap_err();
    assert!(missing.contains("404"), "{missing}");
}

/// The DJ's answers, newest first, in `channel` (polls up to 10 s for `count` of them).
pub(super) async fn dj_replies(
    browser: &mut crate::support::Browser,
    channel: &str,
    count: usize,
) -> Vec<serde_json::Value> {
    let end = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let page: serde_json::Value = browser
            .api(
                reqwest::Method::GET,
                &format!("/channels/{channel}/messages?limit=50"),
                None,
            )
            .await
            .json()
            .await
            .unwrap();
        let replies: Vec<serde_json::Value> = page
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["author"]["username"] == "dj")
            .cloned()
            .collect();
        if replies.len() >= count || std::time::Instant::now() > end {
            return replies;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn the_dj_answers_in_chat_as_itself() {
    use reqwest::Method;
    use serde_json::json;
    let instance = Instance::new("[api]\nroute_limit = 1000\nglobal_per_second = 1000\n");
    crate::support::create_user(&instance, "mia", "mia password 1", false);
    let server = instance.serve();
    let mut mia = server.browser();
    assert_eq!(mia.login("mia", "mia password 1").await.status(), 303);
    let (_, general) = mia.home().await;
    let say = |text: &str| json!({"content": text});
    let path = format!("/channels/{general}/messages");

    let help = mia.api(Method::POST, &path, Some(say("!help"))).await;
    assert_eq!(help.status(), 200);
    let replies = dj_replies(&mut mia, &general, 1).await;
    let first = &replies[0];
    assert_eq!(first["author"]["bot"], true, "the DJ is a bot member");
    assert!(
        first["content"]
            .as_str()
            .unwrap()
            .contains("`!play <words | url | attachment>`")
    );
    let help_id = help.json::<serde_json::Value>().await.unwrap()["id"].clone();
    assert_eq!(
        first["message_reference"]["message_id"], help_id,
        "it replies to the command"
    );

    for (text, expected) in [
        ("!play some song", "Join a voice room first"),
        ("!volume 150", "needs the **DJ** role"),
        ("!volume loud", "Usage: `volume <0-200>`"),
        ("!queue", "Join the voice room I am playing in first"),
    ] {
        let before = dj_replies(&mut mia, &general, 0).await.len();
        assert_eq!(mia.api(Method::POST, &path, Some(say(text))).await.status(), 200);
        let replies = dj_replies(&mut mia, &general, before + 1).await;
        assert!(
            replies[0]["content"].as_str().unwrap().contains(expected),
            "{text}: {}",
            replies[0]["content"]
        );
    }
    // In a voice room (for as long as her gateway session lasts), the DJ knows where Mia is.
    let room::DjRoom {
        member: mut mia,
        gw: _in_the_lounge,
        ..
    } = room::DjRoom::enter(&server, mia).await;
    let before = dj_replies(&mut mia, &general, 0).await.len();
    mia.api(Method::POST, &path, Some(say("!queue"))).await;
    let replies = dj_replies(&mut mia, &general, before + 1).await;
    assert!(
        replies[0]["content"]
            .as_str()
            .unwrap()
            .contains("Nothing is playing in your room"),
        "{}",
        replies[0]
    );

    // Another bot's command, and plain chat, get no answer.
    let before = dj_replies(&mut mia, &general, 0).await.len();
    mia.api(Method::POST, &path, Some(say("!ban someone"))).await;
    mia.api(Method::POST, &path, Some(say("is the dj any good?"))).await;
    // The DJ reads messages in order: its answer to a later command proves it has read these two.
    let command: serde_json::Value = mia
        .api(Method::POST, &path, Some(say("!volume loud")))
        .await
        .json()
        .await
        .unwrap();
    let replies = dj_replies(&mut mia, &general, before + 1).await;
    assert_eq!(replies.len(), before + 1, "one answer, to the command only");
    // (Its text may be the usage or, after this many commands, "slow down": either way it answers that message.)
    assert_eq!(
        replies[0]["message_reference"]["message_id"], command["id"],
        "{}",
        replies[0]["content"]
    );
}

/// An instance whose music library holds one sine tone of `seconds`, tagged `title` (not scanned yet).
pub(super) fn instance_with_a_song(title: &str, file: &str, seconds: u32) -> Instance {
    let instance =
        Instance::new("[api]\nroute_limit = 1000\nglobal_per_second = 1000\n[music]\nlibrary = [\"music\"]\n");
    let library = instance.dir.path().join("music");
    std::fs::create_dir_all(&library).unwrap();
    let status = Command::new("sox")
        .args([
            "-n",
            "-r",
            "44100",
            "-c",
            "2",
            "-b",
            "16",
            "--comment",
            &format!("TITLE={title}"),
        ])
        .arg(library.join(file))
        .args(["synth", &seconds.to_string(), "sine", "440"])
        .status()
        .unwrap();
    assert!(status.success());
    instance
}

/// The DJ plays into a voice room as a participant of the SFU: a member in the Lounge (a synthetic str0m peer)
/// hears its packets after `!play`, nothing while it is paused, and again after `!resume`.
#[tokio::test]
async fn the_dj_plays_into_the_voice_room() {
    use reqwest::Method;
    use serde_json::json;
    let instance = instance_with_a_song("Long Sine", "sine.flac", 30);
    assert!(stdout(&instance, &["music", "scan"]).contains("1 added"));
    crate::support::create_user(&instance, "mia", "mia password 1", false);
    let server = instance.serve();
    let mut mia = server.browser();
    assert_eq!(mia.login("mia", "mia password 1").await.status(), 303);

    // Mia joins the Lounge and connects her media like a browser would.
    let room::DjRoom {
        member: mut mia,
        general,
        gw: mut in_the_lounge,
        voice,
        ..
    } = room::DjRoom::enter(&server, mia).await;
    let listener = crate::rtc_peer::RtcPeer::join(
        voice["endpoint"].as_str().unwrap(),
        voice["token"].as_str().unwrap(),
        std::time::Instant::now(),
    )
    .await;

    let path = format!("/channels/{general}/messages");
    mia.api(Method::POST, &path, Some(json!({"content": "!play long sine"})))
        .await;
    let replies = dj_replies(&mut mia, &general, 1).await;
    assert!(!replies.is_empty(), "the DJ answered");
    let dj = replies[0]["author"]["id"].as_str().unwrap().to_owned();
    let wait = std::time::Duration::from_secs(20);
    assert!(
        listener.wait_for(wait, |log| log.from(&dj) >= 50).await,
        "never heard the DJ: {:?}; DJ said {:?}",
        listener.log(),
        replies.iter().map(|r| r["content"].clone()).collect::<Vec<_>>()
    );
    let now_playing = dj_replies(&mut mia, &general, 2).await;
    assert!(
        now_playing.iter().any(|m| m["embeds"][0]["title"] == "Long Sine"),
        "a now-playing embed: {now_playing:?}"
    );

    mia.api(Method::POST, &path, Some(json!({"content": "!pause"}))).await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let before = listener.log().from(&dj);
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert!(listener.log().from(&dj) - before <= 3, "paused: silence");
    mia.api(Method::POST, &path, Some(json!({"content": "!resume"}))).await;
    let before = listener.log().from(&dj);
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    assert!(listener.log().from(&dj) - before >= 50, "resumed: playing again");

    // The card's buttons: Pause, answered to Mia alone (ephemeral), and the music stops; Resume starts it.
    let card = now_playing
        .iter()
        .find(|m| m["embeds"][0]["title"] == "Long Sine")
        .unwrap()
        .clone();
    assert_eq!(card["components"][0]["components"][0]["custom_id"], "dj:pause");
    for (button, playing) in [("dj:pause", false), ("dj:resume", true)] {
        let press = json!({"type": 3, "application_id": dj, "channel_id": general, "message_id": card["id"],
            "nonce": format!("n-{button}"), "data": {"custom_id": button, "component_type": 2}});
        assert_eq!(mia.api(Method::POST, "/interactions", Some(press)).await.status(), 204);
        let answer = in_the_lounge
            .dispatch_where("MESSAGE_UPDATE", |d| d["flags"].as_i64().unwrap_or(0) & 64 != 0)
            .await;
        assert!(!answer["content"].as_str().unwrap_or_default().is_empty(), "{answer}");
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let before = listener.log().from(&dj);
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
        let heard = listener.log().from(&dj) - before;
        assert!(
            if playing { heard >= 50 } else { heard <= 3 },
            "{button}: {heard} packets"
        );
    }

    // A URL to a private address is refused when its turn comes, with a reply, and the queue moves on.
    let before = dj_replies(&mut mia, &general, 0).await.len();
    mia.api(
        Method::POST,
        &path,
        Some(json!({"content": "!playnext http://192.168.1.1/song.mp3"})),
    )
    .await;
    mia.api(Method::POST, &path, Some(json!({"content": "!skip"}))).await;
    let replies = dj_replies(&mut mia, &general, before + 3).await;
    let refused = replies
        .iter()
        .find(|m| m["content"].as_str().unwrap_or("").contains("Could not play"));
    let refused = refused.unwrap_or_else(|| panic!("no refusal among {replies:?}"));
    assert!(
        refused["content"].as_str().unwrap().contains("not allowed"),
        "{refused}"
    );
}

/// `music.dj_avatar`: the DJ's account exists from the start with that picture, served like any avatar; a
/// picture that is missing or not an image stops `spot serve` with one line naming the key.
#[tokio::test]
async fn the_dj_wears_the_configured_picture() {
    use reqwest::Method;
    use sha2::Digest;
    // A 1×1 PNG.
    const PNG: &[u8] = &[
        0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1,
        8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89, 0, 0, 0, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf,
        0xc0, 0xf0, 0x1f, 0, 0x05, 0, 0x01, 0xff, 0x89, 0x99, 0x3d, 0x1d, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae,
        0x42, 0x60, 0x82,
    ];
    let instance = Instance::new("[music]\ndj_avatar = \"dj.png\"\n");
    std::fs::write(instance.dir.path().join("dj.png"), PNG).unwrap();
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(
        admin
            .login(crate::support::ADMIN, crate::support::ADMIN_PASSWORD)
            .await
            .status(),
        303
    );
    let (guild, _) = admin.home().await;
    let hash = hex::encode(&sha2::Sha256::digest(PNG)[..16]);
    let mut dj = None;
    for _ in 0..50 {
        let members: serde_json::Value = admin
            .api(Method::GET, &format!("/guilds/{guild}/members?limit=100"), None)
            .await
            .json()
            .await
            .unwrap();
        dj = members
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["user"]["username"] == "dj" && m["user"]["avatar"] == hash.as_str())
            .cloned();
        if dj.is_some() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let dj = dj.expect("the DJ is a member with the configured picture");
    assert_eq!(dj["user"]["bot"], true);
    let picture = reqwest::get(format!(
        "{}/avatars/{}/{hash}.png",
        server.base,
        dj["user"]["id"].as_str().unwrap()
    ))
    .await
    .unwrap();
    assert_eq!(picture.status(), 200);
    assert_eq!(&picture.bytes().await.unwrap()[..], PNG);
    server.stop();

    // Not an image, then missing: refused at start, naming the key.
    for (content, expected) in [(Some(&b"<html>"[..]), "is not a PNG"), (None, "cannot read")] {
        match content {
            Some(bytes) => std::fs::write(instance.dir.path().join("dj.png"), bytes).unwrap(),
            None => std::fs::remove_file(instance.dir.path().join("dj.png")).unwrap(),
        }
        let output = instance
            .spot(&["serve"])
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        assert!(!output.status.success());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("music.dj_avatar") && stderr.contains(expected),
            "{stderr}"
        );
    }
}
