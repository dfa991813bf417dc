//! `spot user add|list|unlink|passwd|disable|enable|promote|demote`: account management from the shell. It works
//! whatever `oidc.password_login` says, so an admin can always recover an account.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::bail;
use clap::Subcommand;

use super::prompt;
use crate::accounts::Accounts;
use crate::clock::{SystemClock, iso8601};
use crate::config::Config;
use crate::store::Store;

/// `spot user …` subcommands.
#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account.
    Add {
        /// Login name.
        username: String,
        /// Make the account an admin.
        #[arg(long)]
        admin: bool,
        /// File holding the password [default: asked, or generated and printed once].
        #[arg(long)]
        password_file: Option<PathBuf>,
    },
    /// List every account, with the single sign-on providers each is linked to.
    List,
    /// Remove an account's link to a single sign-on provider (by the provider's name in spot.toml, or its
    /// issuer URL).
    Unlink {
        /// Login name.
        username: String,
        /// Provider name or issuer URL.
        provider: String,
    },
    /// Set a new password (ends the user's sessions).
    Passwd {
        /// Login name.
        username: String,
        /// File holding the password [default: asked, or generated and printed once].
        #[arg(long)]
        password_file: Option<PathBuf>,
    },
    /// Disable an account (ends its sessions).
    Disable {
        /// Login name.
        username: String,
    },
    /// Re-enable a disabled account.
    Enable {
        /// Login name.
        username: String,
    },
    /// Make a user an admin.
    Promote {
        /// Login name.
        username: String,
    },
    /// Take admin rights away.
    Demote {
        /// Login name.
        username: String,
    },
}

/// Runs a `spot user` subcommand.
pub async fn run(config_path: &Path, command: UserCommand) -> anyhow::Result<()> {
    let config = super::load_config(config_path)?;
    let store = super::open_store(&config).await?;
    let accounts = Accounts::new(store.clone(), Arc::new(SystemClock), config.security.clone());
    let result = execute(&store, &accounts, &config, command).await;
    super::close_store(store).await;
    result
}

async fn execute(store: &Store, accounts: &Accounts, config: &Config, command: UserCommand) -> anyhow::Result<()> {
    match command {
        UserCommand::Add {
            username,
            admin,
            password_file,
        } => {
            let (password, generated) = prompt::password_for(password_file.as_deref())?;
            let user = accounts.create_user(&username, &password, admin).await?;
            let role = if admin { "as an admin" } else { "as a member" };
            super::audit(store, "user.create", &user.username, role).await;
            println!(
                "created {}{} (id {})",
                user.username,
                if admin { ", admin" } else { "" },
                user.id
            );
            print_generated(generated, &password);
        }
        UserCommand::List => {
            let identities = store.identities_list().await?;
            println!(
                "{:<20} {:<32} {:<6} {:<9} {:<20} sso",
                "id", "username", "admin", "disabled", "created"
            );
            for user in store.users_list().await? {
                let yes = |b: bool| if b { "yes" } else { "no" };
                let links: Vec<String> = identities
                    .iter()
                    .filter(|i| i.user_id == user.id)
                    .map(|i| config.oidc.describe_identity(&i.issuer, i.email.as_deref()))
                    .collect();
                println!(
                    "{:<20} {:<32} {:<6} {:<9} {:<20} {}",
                    user.id,
                    user.username,
                    yes(user.is_admin),
                    yes(user.disabled),
                    iso8601(user.created_at),
                    if links.is_empty() {
                        "-".to_owned()
                    } else {
                        links.join(", ")
                    }
                );
            }
        }
        UserCommand::Unlink { username, provider } => {
            let user = accounts.find_user(&username).await?;
            let issuer = config
                .oidc
                .providers
                .get(&provider)
                .map_or(provider.clone(), |p| p.issuer.clone());
            if !store.identity_unlink(user.id, &issuer).await? {
                bail!("{} is not linked to {provider}", user.username);
            }
            println!("unlinked {} from {provider}", user.username);
        }
        UserCommand::Passwd {
            username,
            password_file,
        } => {
            let user = accounts.find_user(&username).await?;
            let (password, generated) = prompt::password_for(password_file.as_deref())?;
            accounts.set_password(user.id, &password).await?;
            super::audit(store, "user.password", &user.username, "password reset; sessions ended").await;
            println!("password changed for {}; their sessions were ended", user.username);
            print_generated(generated, &password);
        }
        UserCommand::Disable { username } => {
            let user = accounts.find_user(&username).await?;
            store.user_set_disabled(user.id, true).await?;
            super::audit(store, "user.disable", &user.username, "").await;
            println!("disabled {}; their sessions were ended", user.username);
        }
        UserCommand::Enable { username } => {
            let user = accounts.find_user(&username).await?;
            store.user_set_disabled(user.id, false).await?;
            super::audit(store, "user.enable", &user.username, "").await;
            println!("enabled {}", user.username);
        }
        UserCommand::Promote { username } => {
            let user = accounts.find_user(&username).await?;
            store.user_set_admin(user.id, true).await?;
            super::audit(store, "user.promote", &user.username, "").await;
            println!("{} is now an admin", user.username);
        }
        UserCommand::Demote { username } => {
            let user = accounts.find_user(&username).await?;
            store.user_set_admin(user.id, false).await?;
            super::audit(store, "user.demote", &user.username, "").await;
            println!("{} is no longer an admin", user.username);
        }
    }
    Ok(())
}

/// How a linked identity is shown: the provider's name in spot.toml (or the issuer, if no provider has it),
/// with the email address the provider last stated.
fn print_generated(generated: bool, password: &str) {
    if generated {
        println!("password: {password}");
        println!("          (shown only now: write it down)");
    }
}
