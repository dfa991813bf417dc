//! A real hikari bot (from PyPI, with its zstd extra, installed by `make test`) through the library matrix's
//! walk-through (`matrix.rs`): it asks for `compress=zstd-stream` and sends binary frames, and its own rate
//! limiter paces the burst.

use std::process::Command;

use crate::support::repo_root;

#[tokio::test]
async fn hikari_bot_end_to_end() {
    let walk = crate::matrix::walk("hikaribot", "hikari", |base, token| {
        let mut command = Command::new(crate::discord_py::python());
        command
            .arg(repo_root().join("tests/bots/hikari_bot.py"))
            .env("SPOT_URL", base)
            .env("SPOT_BOT_TOKEN", token);
        command
    })
    .await;
    assert_eq!(
        walk.ready["compression"], "transport_zstd_stream",
        "hikari with its zstd extra asks for zstd-stream (and would refuse text frames)"
    );
    assert_eq!(walk.phase1["created_seen"], "hello from hikari");
    assert_eq!(walk.phase1["edited"], "edited by hikari");
    assert!(
        walk.phase1["deleted_seen"].is_string(),
        "MESSAGE_DELETE reached the bot"
    );
}
