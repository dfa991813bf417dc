//! `spot bot create NAME` and `spot bot rotate NAME`: bot accounts for Discord libraries.

use std::path::Path;
use std::sync::Arc;

use anyhow::bail;
use clap::Subcommand;

use crate::accounts::Accounts;
use crate::clock::SystemClock;
use crate::perms::bits;

/// `spot bot …` subcommands.
#[derive(Debug, Subcommand)]
pub enum BotCommand {
    /// Create a bot account (a member of the home space) and print its token once.
    Create {
        /// The bot's username.
        name: String,
        /// Permission bits of the bot's role [default: what members may do, plus managing messages and threads].
        #[arg(long)]
        permissions: Option<u64>,
    },
    /// Replace a bot's token and print the new one once.
    Rotate {
        /// The bot's username.
        name: String,
    },
}

/// Runs a `spot bot` subcommand.
pub async fn run(config_path: &Path, command: BotCommand) -> anyhow::Result<()> {
    let config = super::load_config(config_path)?;
    let store = super::open_store(&config).await?;
    let accounts = Accounts::new(store.clone(), Arc::new(SystemClock), config.security.clone());
    let result = async {
        match command {
            BotCommand::Create { name, permissions } => {
                let permissions = permissions.unwrap_or(bits::DEFAULT_BOT) & bits::ALL;
                let (bot, token) = accounts.create_bot(&name, permissions).await?;
                super::audit(&store, "bot.create", &bot.username, "").await;
                println!("{token}");
                eprintln!(
                    "created bot {} (id {}); the token above is shown only now",
                    bot.username, bot.id
                );
            }
            BotCommand::Rotate { name } => {
                let bot = accounts.find_user(&name).await?;
                if !bot.is_bot {
                    bail!("{} is not a bot", bot.username);
                }
                println!("{}", accounts.rotate_bot_token(bot.id).await?);
                super::audit(&store, "bot.rotate", &bot.username, "token replaced").await;
                eprintln!("new token for {}; the old one no longer works", bot.username);
            }
        }
        anyhow::Ok(())
    }
    .await;
    super::close_store(store).await;
    result
}
