//! `spot init`: creates `spot.toml` (with a fresh secret), the database, the first admin and the home space.
//!
//! Everything is built in a staging directory inside the data directory and moved into place only when all of
//! it succeeded: a failure at any step leaves nothing behind (the data directory too, if init created it).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Args;

use super::prompt;
use crate::accounts::{Accounts, token, username};
use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::store::Store;

/// Flags of `spot init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Directory for the database and uploads [default: `data` beside the config file].
    #[arg(long)]
    data_dir: Option<PathBuf>,
    /// The first admin's username [default: asked, or `admin`].
    #[arg(long)]
    admin_username: Option<String>,
    /// File holding the first admin's password [default: asked, or generated and printed once].
    #[arg(long)]
    admin_password_file: Option<PathBuf>,
    /// Address to listen on, written to the config.
    #[arg(long)]
    listen: Option<SocketAddr>,
    /// Name of the instance and of its home space.
    #[arg(long)]
    instance_name: Option<String>,
    /// Replace an existing install.
    #[arg(long)]
    force: bool,
}

/// Removes what init created if it does not finish.
struct Rollback {
    created: Vec<PathBuf>,
    done: bool,
}

impl Drop for Rollback {
    fn drop(&mut self) {
        if self.done {
            return;
        }
        for path in self.created.iter().rev() {
            let _ = if path.is_dir() {
                std::fs::remove_dir_all(path)
            } else {
                std::fs::remove_file(path)
            };
        }
    }
}

/// Runs `spot init`.
pub async fn run(config_path: &Path, args: InitArgs) -> anyhow::Result<()> {
    let config_path = std::path::absolute(config_path)?;
    let config_dir = config_path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("/"));
    let data_dir = std::path::absolute(args.data_dir.clone().unwrap_or_else(|| config_dir.join("data")))?;
    let db_path = data_dir.join("spot.db");
    if !args.force {
        for existing in [&config_path, &db_path] {
            if existing.exists() {
                bail!(
                    "{} already exists; spot is already set up here (use --force to replace it)",
                    existing.display()
                );
            }
        }
    }
    let (admin_name, password, generated) = credentials(&args)?;
    let instance_name = args.instance_name.clone().unwrap_or_else(|| "spot".to_owned());

    let mut rollback = Rollback {
        created: Vec::new(),
        done: false,
    };
    if !data_dir.exists() {
        std::fs::create_dir_all(&data_dir)
            .with_context(|| format!("cannot create data directory {}", data_dir.display()))?;
        rollback.created.push(data_dir.clone());
    }
    let staging = tempfile::Builder::new()
        .prefix(".spot-init-")
        .tempdir_in(&data_dir)
        .with_context(|| format!("data directory {} is not writable", data_dir.display()))?;
    let staged_db = staging.path().join("spot.db");
    build_database(&staged_db, &admin_name, &password, &instance_name).await?;

    let config_text = config_file(&data_dir, &config_dir, &args, &instance_name);
    let mut config_file = tempfile::Builder::new()
        .prefix(".spot-toml-")
        .tempfile_in(&config_dir)
        .with_context(|| format!("cannot write the config file in {}", config_dir.display()))?;
    std::io::Write::write_all(&mut config_file, config_text.as_bytes())?;
    config_file.as_file().sync_all()?;

    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(data_dir.join(format!("spot.db{suffix}")));
    }
    std::fs::rename(&staged_db, &db_path).context("cannot move the new database into place")?;
    rollback.created.push(db_path.clone());
    config_file
        .persist(&config_path)
        .with_context(|| format!("cannot write {}", config_path.display()))?;
    rollback.done = true;

    println!("spot is set up.");
    println!("  config:   {}", config_path.display());
    println!("  database: {}", db_path.display());
    println!("  admin:    {admin_name}");
    if generated {
        println!("  password: {password}");
        println!("            (shown only now: write it down)");
    }
    println!("Start it with `spot serve` (or `make run`).");
    Ok(())
}

/// The admin's username and password, from flags, prompts, or defaults; and whether the password was generated.
fn credentials(args: &InitArgs) -> anyhow::Result<(String, String, bool)> {
    let raw_name = match &args.admin_username {
        Some(name) => name.clone(),
        None if prompt::interactive() => prompt::line("Admin username", "admin")?,
        None => "admin".to_owned(),
    };
    let name = username::normalize(&raw_name).context("admin username")?;
    if prompt::interactive() && args.admin_password_file.is_none() {
        eprintln!("Choose a password for {name} (at least 8 characters).");
    }
    let (password, generated) = prompt::password_for(args.admin_password_file.as_deref())?;
    Ok((name, password, generated))
}

/// Creates the database with the admin and the home space, then closes it so the WAL is folded in.
async fn build_database(path: &Path, admin: &str, password: &str, instance_name: &str) -> anyhow::Result<()> {
    let owned = path.to_owned();
    let store = tokio::task::spawn_blocking(move || Store::open(&owned)).await??;
    let clock = Arc::new(SystemClock);
    let accounts = Accounts::new(store.clone(), clock.clone(), Config::default().security);
    let result = async {
        let admin = accounts.create_user(admin, password, true).await?;
        store
            .guild_create_home(instance_name.to_owned(), admin.id, clock.now_ms())
            .await?;
        // The key that signs Web Push messages (servers upgraded from before it make theirs at start).
        crate::push::ensure_key(&store).await?;
        anyhow::Ok(())
    }
    .await;
    super::close_store(store).await;
    result
}

/// The text of a new `spot.toml`: the few keys init decides, with a pointer to the rest.
fn config_file(data_dir: &Path, config_dir: &Path, args: &InitArgs, instance_name: &str) -> String {
    let data_dir_value = match data_dir.strip_prefix(config_dir) {
        Ok(relative) if !relative.as_os_str().is_empty() => relative.to_path_buf(),
        _ => data_dir.to_path_buf(),
    };
    let listen = args.listen.unwrap_or_else(|| Config::default().server.listen);
    let quote = |s: &str| toml::Value::String(s.to_owned()).to_string();
    format!(
        "# spot configuration, written by `spot init`. Every key is explained in spot.example.toml;\n\
         # any key can be overridden by a SPOT_<SECTION>_<KEY> environment variable.\n\
         \n\
         [server]\n\
         listen = {listen}\n\
         data_dir = {data_dir}\n\
         instance_name = {name}\n\
         # public_url = \"https://chat.example.org\"\n\
         \n\
         [security]\n\
         # Keys CSRF tokens. Keep it secret; changing it only invalidates open forms.\n\
         secret = {secret}\n",
        listen = quote(&listen.to_string()),
        data_dir = quote(&data_dir_value.to_string_lossy()),
        name = quote(instance_name),
        secret = quote(&token::random_token()),
    )
}
