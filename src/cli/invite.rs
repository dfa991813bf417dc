//! `spot invite create`: makes an invite link for a friend.

use std::path::Path;
use std::sync::Arc;

use clap::Subcommand;

use crate::accounts::Accounts;
use crate::clock::{SystemClock, iso8601};
use crate::config::HumanDuration;

/// `spot invite …` subcommands.
#[derive(Debug, Subcommand)]
pub enum InviteCommand {
    /// Create an invite link.
    Create {
        /// How many accounts the link may create; 0 means unlimited.
        #[arg(long, default_value_t = 1)]
        uses: u32,
        /// How long the link works, e.g. `24h` or `7d` [default: security.invite_ttl].
        #[arg(long)]
        expires: Option<HumanDuration>,
    },
}

/// Runs a `spot invite` subcommand.
pub async fn run(config_path: &Path, command: InviteCommand) -> anyhow::Result<()> {
    let config = super::load_config(config_path)?;
    let store = super::open_store(&config).await?;
    let accounts = Accounts::new(store.clone(), Arc::new(SystemClock), config.security.clone());
    let InviteCommand::Create { uses, expires } = command;
    let result = accounts.create_invite(None, uses, expires.map(|d| d.0)).await;
    if let Ok(invite) = &result {
        let detail = if uses == 0 {
            "unlimited uses".to_owned()
        } else {
            format!("{uses} use(s)")
        };
        super::audit(&store, "invite.create", &invite.code, &detail).await;
    }
    super::close_store(store).await;
    let invite = result?;
    let base = if config.server.public_url.is_empty() {
        format!("http://localhost:{}", config.server.listen.port())
    } else {
        config.server.public_url.trim_end_matches('/').to_owned()
    };
    println!("{base}/invite/{}", invite.code);
    let uses = if uses == 0 {
        "unlimited uses".to_owned()
    } else {
        format!("{uses} use{}", if uses == 1 { "" } else { "s" })
    };
    let until = invite.expires_at.map_or_else(|| "never".to_owned(), iso8601);
    eprintln!("{uses}, expires {until}");
    Ok(())
}
