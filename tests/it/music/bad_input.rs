//! Bad input for the DJ, end to end: a truncated file, random bytes named `.mp3`, an empty file, files that
//! claim to last ten hours (uploaded: refused when queued; by URL: when their turn comes), a codec spot cannot
//! decode, a web page at an "audio" URL and URLs to this machine or the home network. Each gets a reply in chat
//! that names the problem in plain words, the next queued track plays, and the server keeps serving.

use std::process::Command;
use std::time::{Duration, Instant};

use super::room::{DjRoom, position, text_of};
use crate::fixture::{Fixture, long_wav, wav};
use crate::support::{Instance, Server, create_user};

const CONFIG: &str = "[api]\nroute_limit = 1000\nglobal_per_second = 1000\n[music]\nlibrary = [\"music\"]\n";
const PASSWORD: &str = "mia password 1";

/// A sox-made file of `seconds` of a 440 Hz tone, in the format of `name`'s extension, with extra sox
/// arguments (an encoding) before the file name.
fn sox_file(dir: &std::path::Path, name: &str, seconds: u32, encoding: &[&str]) -> Vec<u8> {
    let path = dir.join(name);
    let status = Command::new("sox")
        .args(["-n", "-r", "44100", "-c", "2"])
        .args(encoding)
        .arg(&path)
        .args(["synth", &seconds.to_string(), "sine", "440"])
        .status()
        .expect("sox is needed for this test (make test installs it)");
    assert!(status.success(), "sox {name}");
    std::fs::read(path).unwrap()
}

/// Bytes that are not audio (a fixed xorshift sequence, so a failure can be reproduced).
fn noise(len: usize) -> Vec<u8> {
    let mut state = 0x2545_f491_4f6c_dd1du64;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// Asserts that the DJ said it could not play `title`, for a reason containing one of `words`, and returns
/// where it said so.
fn refusal(said: &[serde_json::Value], title: &str, words: &[&str]) -> usize {
    let at = position(said, |t| t.starts_with(&format!("Could not play **{title}**"))).unwrap_or_else(|| {
        panic!(
            "no refusal of {title} in {:?}",
            said.iter().map(text_of).collect::<Vec<_>>()
        )
    });
    let text = text_of(&said[at]).to_lowercase();
    assert!(words.iter().any(|w| text.contains(w)), "{title}: {text}");
    at
}

async fn server_still_serves(server: &Server, room: &mut DjRoom) {
    let health = reqwest::get(format!("{}/healthz", server.base)).await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(room.say("still here?").await["content"], "still here?");
}

#[tokio::test]
async fn bad_files_get_a_clear_reply_and_the_queue_moves_on() {
    let instance = Instance::new(CONFIG);
    create_user(&instance, "mia", PASSWORD, false);
    let server = instance.serve();
    let mut room = DjRoom::join(&server, "mia", PASSWORD).await;
    let listener = crate::rtc_peer::RtcPeer::join(
        room.voice["endpoint"].as_str().unwrap(),
        room.voice["token"].as_str().unwrap(),
        Instant::now(),
    )
    .await;
    let dir = instance.dir.path();

    // The first 30% of a thirty-second MP3 plays for what it is worth: nine seconds, time enough to queue the
    // rest behind it even on a busy machine.
    let whole = sox_file(dir, "whole.mp3", 30, &[]);
    room.play_file("truncated.mp3", whole[..whole.len() * 3 / 10].to_vec())
        .await;
    let said = room
        .wait_dj(Duration::from_secs(10), |s| {
            position(s, |t| t == "[embed] truncated.mp3").is_some()
        })
        .await;
    assert!(
        position(&said, |t| t == "[embed] truncated.mp3").is_some(),
        "the truncated file starts: {:?}",
        said.iter().map(text_of).collect::<Vec<_>>()
    );
    // A file whose length is known to be too long is refused at once, and not queued.
    let refused = room.command_with_file("ten-hours.wav", long_wav(10 * 3600)).await;
    assert!(
        refused.starts_with("I cannot play **ten-hours.wav**: it is too long (10:00:00;"),
        "{refused}"
    );
    let queued = [
        ("corrupt.mp3", noise(64 * 1024)),
        ("empty.mp3", Vec::new()),
        (
            "adpcm.wav",
            sox_file(dir, "adpcm.wav", 1, &["-r", "8000", "-c", "1", "-e", "ima-adpcm"]),
        ),
        ("good.wav", wav(44_100, 1.0, false)),
    ];
    for (i, (name, bytes)) in queued.into_iter().enumerate() {
        let before = room.dj_messages().await.len();
        room.play_file(name, bytes).await;
        let queued = |t: &str| t.starts_with(&format!("Queued **{name}**"));
        let said = room
            .wait_dj(Duration::from_secs(10), |s| {
                s[before.min(s.len())..].iter().any(|m| queued(&text_of(m)))
            })
            .await;
        let reply = said[before..]
            .iter()
            .map(text_of)
            .find(|t| queued(t))
            .unwrap_or_default();
        assert!(reply.contains(&format!("position {}", i + 1)), "{name}: {reply:?}");
    }

    let said = room
        .wait_dj(Duration::from_secs(30), |s| {
            position(s, |t| t == "[embed] good.wav").is_some()
        })
        .await;
    let texts: Vec<String> = said.iter().map(text_of).collect();
    let good =
        position(&said, |t| t == "[embed] good.wav").unwrap_or_else(|| panic!("good.wav never played: {texts:?}"));
    let refusals = [
        refusal(&said, "corrupt.mp3", &["not an audio file", "damaged"]),
        refusal(&said, "empty.mp3", &["empty"]),
        refusal(&said, "adpcm.wav", &["codec", "format"]),
    ];
    assert!(refusals.windows(2).all(|w| w[0] < w[1]), "in queue order: {texts:?}");
    assert!(
        refusals.iter().all(|&r| r < good),
        "the good track plays after them: {texts:?}"
    );
    assert!(
        texts.iter().all(|t| !t.contains("panick") && !t.contains("internal")),
        "{texts:?}"
    );

    let dj = said[0]["author"]["id"].as_str().unwrap().to_owned();
    assert!(
        listener
            .wait_for(Duration::from_secs(10), |log| log.from(&dj) >= 50)
            .await,
        "the room heard the DJ"
    );
    server_still_serves(&server, &mut room).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_web_page_at_an_audio_url_is_refused_and_the_queue_moves_on() {
    let fixture = Fixture::start().await;
    let instance = Instance::new(CONFIG);
    create_user(&instance, "mia", PASSWORD, false);
    let mut command = instance.spot(&["serve"]);
    command.env("SPOT_TEST_ONLY_UNSAFE_FETCH_LOOPBACK_PORT", fixture.port.to_string());
    let server = Server::start(command);
    let mut room = DjRoom::join(&server, "mia", PASSWORD).await;

    assert_eq!(
        room.command(&format!("!play {}", fixture.url("/radio"))).await,
        "[embed] radio"
    );
    assert!(
        room.command(&format!("!play {}", fixture.url("/page.mp3")))
            .await
            .starts_with("Queued **page.mp3**")
    );
    assert!(
        room.command(&format!("!play {}", fixture.url("/ten-hours.wav")))
            .await
            .starts_with("Queued **ten-hours.wav**")
    );
    assert!(
        room.command(&format!("!play {}", fixture.url("/tone.wav")))
            .await
            .starts_with("Queued **tone.wav**")
    );
    room.say("!skip").await;
    let said = room
        .wait_dj(Duration::from_secs(10), |s| {
            position(s, |t| t == "[embed] tone.wav").is_some()
        })
        .await;
    let page = refusal(&said, "page.mp3", &["web page"]);
    let long = refusal(&said, "ten-hours.wav", &["too long"]);
    let tone = position(&said, |t| t == "[embed] tone.wav").expect("tone.wav plays");
    assert!(page < long && long < tone);
    server_still_serves(&server, &mut room).await;
}

/// Without the test suite's loopback allowance, as on a real server: this machine and the home network are
/// refused by URL, when the track's turn comes, and nothing is fetched from them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn urls_to_private_addresses_are_refused_and_the_queue_moves_on() {
    let fixture = Fixture::start().await;
    let instance = Instance::new(CONFIG);
    let library = instance.dir.path().join("music");
    std::fs::create_dir_all(&library).unwrap();
    sox_file(
        &library,
        "first.flac",
        30,
        &["-b", "16", "--comment", "TITLE=Long Sine"],
    );
    sox_file(&library, "last.flac", 2, &["-b", "16", "--comment", "TITLE=Short Sine"]);
    assert!(super::stdout(&instance, &["music", "scan"]).contains("2 added"));
    create_user(&instance, "mia", PASSWORD, false);
    let server = instance.serve();
    let mut room = DjRoom::join(&server, "mia", PASSWORD).await;

    assert_eq!(room.command("!play long sine").await, "[embed] Long Sine");
    let private = [
        fixture.url("/tone.wav"),
        format!("http://localhost:{}/tone.wav", fixture.port),
        "http://192.168.1.1/song.mp3".to_owned(),
    ];
    for url in &private {
        let reply = room.command(&format!("!play {url}")).await;
        assert!(reply.starts_with("Queued"), "{url}: {reply}");
    }
    assert!(
        room.command("!play short sine")
            .await
            .starts_with("Queued **Short Sine**")
    );
    room.say("!skip").await;
    let said = room
        .wait_dj(Duration::from_secs(10), |s| {
            position(s, |t| t == "[embed] Short Sine").is_some()
        })
        .await;
    let texts: Vec<String> = said.iter().map(text_of).collect();
    let refusals = said
        .iter()
        .map(text_of)
        .filter(|t| t.starts_with("Could not play") && t.contains("not allowed"))
        .count();
    assert_eq!(refusals, 3, "{texts:?}");
    let short = position(&said, |t| t == "[embed] Short Sine").unwrap_or_else(|| panic!("{texts:?}"));
    assert!(
        said.iter()
            .rposition(|m| text_of(m).starts_with("Could not play"))
            .unwrap()
            < short,
        "{texts:?}"
    );
    assert_eq!(fixture.hits.of("/tone.wav"), 0, "nothing reached this machine");
    server_still_serves(&server, &mut room).await;
}
