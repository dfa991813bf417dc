//! Slash commands, components and forms from the web client in Chromium (`tests/web/slash.spec.mjs`): alice uses
//! the discord.py test bot's commands as a person would — the `/` picker and its options, autocomplete, a
//! deferred answer, an ephemeral one (gone after a reload), a button, a select, a form, user and message
//! commands from the Apps menus, a command nobody answers — and again on a 390 px phone.

use std::process::Command;
use std::time::Duration;

use serde_json::json;

use crate::support::{BotProcess, Instance, create_user, repo_root, status_and_code};

#[tokio::test]
async fn slash_commands_in_chromium() {
    let instance = Instance::new("[api]\nroute_limit = 100000\nglobal_per_second = 100000\n");
    create_user(&instance, "alice", "alice password 1", false);
    let permissions = (crate::support::DEFAULT_BOT_PERMISSIONS | (1 << 29)).to_string();
    let output = instance.run(&["bot", "create", "pybot", "--permissions", &permissions]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let token = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    let server = instance.serve();
    let mut alice = server.browser();
    assert_eq!(alice.login("alice", "alice password 1").await.status(), 303);
    let (_, guilds) = status_and_code(alice.api(reqwest::Method::GET, "/users/@me/guilds", None).await).await;
    let guild = guilds[0]["id"].as_str().unwrap().to_owned();
    let (_, channels) = status_and_code(
        alice
            .api(reqwest::Method::GET, &format!("/guilds/{guild}/channels"), None)
            .await,
    )
    .await;
    let general = channels
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "general")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut bot_command = Command::new(crate::discord_py::python());
    bot_command
        .arg(repo_root().join("tests/bots/dpy_slash_bot.py"))
        .env("SPOT_URL", &server.base)
        .env("SPOT_BOT_TOKEN", &token)
        .env("SPOT_GUILD_ID", &guild)
        .env("SPOT_CHANNEL_ID", &general);
    let mut bot = BotProcess::start(bot_command);
    bot.expect("ready", Duration::from_secs(60));
    bot.expect("webhook", Duration::from_secs(60));

    let artifacts = repo_root().join("target/web-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let mut command = Command::new("node");
    command
        .arg(repo_root().join("tests/web/slash.spec.mjs"))
        .env("SPOT_URL", &server.base)
        .env("SPOT_CHROMIUM", "/usr/bin/chromium")
        .env("SPOT_ARTIFACTS", &artifacts)
        .env("NODE_PATH", repo_root().join("web/node_modules"));
    let mut browser = BotProcess::start(command);
    let long = Duration::from_secs(90);
    for step in [
        "logged_in",
        "webhook",
        "echo",
        "autocomplete",
        "deferred",
        "ephemeral",
        "button",
        "select",
        "modal",
        "user_command",
        "message_command",
        "no_response",
        "phone",
        "done",
    ] {
        assert_eq!(browser.expect(step, long), json!(true), "step {step}");
    }
    assert!(browser.wait(Duration::from_secs(30)), "the browser script failed");
    drop(bot);
    server.stop();
}
