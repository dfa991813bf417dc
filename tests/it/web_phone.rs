//! The web client and the admin panel on a phone in a real browser (`tests/web/phone.spec.mjs`, playwright-core +
//! Debian's chromium, 390×844 with touch and no hover): the instance admin chats (long-press → react, reply, edit,
//! thread), opens the drawers by swiping and tapping, joins the Lounge and uses the call bar, has the DJ play and
//! pauses it from the now-playing bar, finds the Lounge in the quick switcher, goes through every settings tab,
//! makes an invite link in the client and in the admin panel; after every screen nothing is wider than the phone.

use std::process::Command;
use std::time::Duration;

use serde_json::json;

use crate::support::{ADMIN, ADMIN_PASSWORD, BotProcess, Instance, repo_root};

const CHROMIUM: &str = "/usr/bin/chromium";

#[tokio::test]
async fn phone_layout_in_chromium() {
    assert!(
        std::path::Path::new(CHROMIUM).exists(),
        "{CHROMIUM} is missing: `make deps` installs Debian's chromium"
    );
    let instance = Instance::new(
        "[api]\nroute_limit = 100000\nglobal_per_second = 100000\n\
         [music]\nlibrary = [\"music\"]\n",
    );
    let microphone = instance.dir.path().join("tone.wav");
    crate::fixture::voice_like(&microphone, 220.0, 6.0);
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
            "TITLE=First Sine",
        ])
        .arg(library.join("first.flac"))
        .args(["synth", "60", "sine", "440", "vol", "0.5"])
        .status()
        .unwrap();
    assert!(status.success(), "sox makes the music library");
    let scanned = instance.run(&["music", "scan"]);
    assert!(scanned.status.success(), "{}", String::from_utf8_lossy(&scanned.stderr));
    let server = instance.serve();

    let artifacts = repo_root().join("target/web-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let mut command = Command::new("node");
    command
        .arg(repo_root().join("tests/web/phone.spec.mjs"))
        .env("SPOT_URL", &server.base)
        .env("SPOT_CHROMIUM", CHROMIUM)
        .env("SPOT_ARTIFACTS", &artifacts)
        .env("SPOT_TONE", &microphone)
        .env("SPOT_ADMIN", ADMIN)
        .env("SPOT_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("NODE_PATH", repo_root().join("web/node_modules"));
    let mut browser = BotProcess::start(command);
    let long = Duration::from_secs(90);
    for step in [
        "logged_in",
        "chat",
        "long_press",
        "reply_edit_thread",
        "drawers",
        "voice",
        "call_bar",
        "dj_bar",
        "hang_up",
        "switcher",
        "settings",
        "invite_dialog",
        "admin_invites",
        "done",
    ] {
        assert_eq!(browser.expect(step, long), json!(true), "step {step}");
    }
    assert!(browser.wait(Duration::from_secs(30)), "the browser script failed");
    server.stop();
}
