//! A real serenity bot (crates.io, built in its own target directory, `target/serenity-bot`) through the library
//! matrix's walk-through (`matrix.rs`). serenity's base-URL switch (`HttpBuilder::proxy`) is ignored by its own
//! rate limiter (0.12), so it runs without it, and the burst completes by backing off from spot's 429s.

use std::process::Command;

use crate::support::repo_root;

/// Builds the bot (quick once built: `make test` builds it first) and returns its path.
fn serenity_bot() -> std::path::PathBuf {
    let root = repo_root();
    let target = root.join("target/serenity-bot");
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(["build", "--quiet", "--manifest-path"])
        .arg(root.join("tests/bots/serenity/Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .expect("cargo runs");
    assert!(status.success(), "the serenity bot builds");
    target.join("debug/spot-serenity-bot")
}

#[tokio::test]
async fn serenity_bot_end_to_end() {
    let path = tokio::task::spawn_blocking(serenity_bot).await.unwrap();
    let walk = crate::matrix::walk("serenitybot", "serenity", |base, token| {
        let mut command = Command::new(path);
        command.env("SPOT_URL", base).env("SPOT_BOT_TOKEN", token);
        command
    })
    .await;
    assert!(
        walk.burst["refused"].as_u64().unwrap() > 0,
        "the 429s reached serenity as 429s: {}",
        walk.burst
    );
}
