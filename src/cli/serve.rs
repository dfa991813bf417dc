//! `spot serve`: checks the data directory, takes the instance lock, opens the store, binds the port and
//! serves until SIGINT or SIGTERM, then finishes in-flight requests and closes the database cleanly.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use tokio::net::TcpListener;

use crate::app::AppState;
use crate::clock::SystemClock;
use crate::config::Config;
use crate::http;

/// How often expired sessions and idle limiter buckets are swept.
const HOUSEKEEPING_EVERY: Duration = Duration::from_secs(600);

/// Runs `spot serve`.
pub async fn run(config_path: &Path) -> anyhow::Result<()> {
    let config = super::load_config(config_path)?;
    super::logging::init(&config.log);
    check_data_dir(&config.server.data_dir)?;
    let _lock = lock_instance(&config)?;
    let store = super::open_store(&config).await?;
    if store.guild_home().await?.is_none() {
        bail!("the database has no home space; run `spot init`");
    }
    sweep_orphaned_uploads(&store, &config.server.data_dir).await;
    let shutdown = shutdown_signal()?;
    let addr = config.server.listen;
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let local = listener.local_addr()?;
    let shown = if local.ip().is_unspecified() {
        format!("localhost:{}", local.port())
    } else {
        local.to_string()
    };
    // Before the first connection is accepted (and after every refusal to start, which is one line).
    raise_open_files_limit();
    println!("spot is listening on http://{shown}");
    tracing::info!(%local, "listening");

    // Absolute URLs in API objects (attachments) start with public_url, or else with the address spot listens on.
    let base_url = if config.server.public_url.is_empty() {
        let host = if local.ip().is_unspecified() {
            format!("localhost:{}", local.port())
        } else {
            local.to_string()
        };
        tracing::warn!(
            "server.public_url is not set: attachment links in the API point at http://{host}, which only this \
             machine can reach; set public_url to the address friends and bots use"
        );
        format!("http://{host}")
    } else {
        config.server.public_url.trim_end_matches('/').to_owned()
    };
    let test_fetch_port = test_fetch_allowance()?;
    let stored_settings = store.settings_all().await?;
    let state = AppState::new(
        config,
        store.clone(),
        Arc::new(SystemClock),
        test_fetch_port,
        &stored_settings,
        &base_url,
    )?;
    if !state.config.oidc.providers.is_empty() && state.config.server.public_url.is_empty() {
        tracing::warn!(
            "single sign-on is configured but server.public_url is not: redirect URIs follow each request's Host header"
        );
    }
    state.oidc.warm_up();
    state.push.start(&state.hub).await?;
    if let Some(dj) = start_dj(&state).await {
        let _ = state.dj.set(dj);
    }
    let housekeeping = tokio::spawn(housekeeping(state.clone()));
    let revocations = tokio::spawn(crate::gateway::revocations::watch(
        state.store.clone(),
        state.gateway.sessions.clone(),
    ));
    let gateway = state.shutdown.clone();
    let stop_gateway = gateway.clone();
    let shutdown = async move {
        shutdown.await;
        stop_gateway.trigger();
    };
    http::serve(listener, state, crate::web::routes(), shutdown)
        .await
        .context("server failed")?;
    gateway.drained(std::time::Duration::from_secs(3)).await;
    housekeeping.abort();
    revocations.abort();
    super::close_store(store).await;
    tracing::info!("stopped");
    Ok(())
}

/// Removes upload files no stored message has: written by a server that was killed between saving a file and
/// storing its message (or refusing it), and half-written temporary files. Runs before anything is served, so
/// no upload is in flight.
async fn sweep_orphaned_uploads(store: &crate::store::Store, data_dir: &Path) {
    let uploads = crate::uploads::Uploads::new(data_dir);
    let (ids, partial) = match uploads.list().await {
        Ok(found) => found,
        Err(error) => {
            tracing::warn!(%error, "could not list the upload directory");
            return;
        }
    };
    for path in &partial {
        uploads.remove_partial(path).await;
    }
    let known = match store.attachments_known(ids.clone()).await {
        Ok(known) => known,
        Err(error) => {
            tracing::warn!(%error, "could not check uploads against the database");
            return;
        }
    };
    let orphans: Vec<_> = ids.into_iter().filter(|id| !known.contains(id)).collect();
    uploads.remove(&orphans).await;
    if !orphans.is_empty() || !partial.is_empty() {
        tracing::info!(
            files = orphans.len(),
            partial = partial.len(),
            "removed uploads no message has"
        );
    }
}

/// Raises the open-files soft limit to the hard limit: every gateway connection is a file descriptor, and the
/// usual soft default (1024 under systemd) would run out long before memory does.
fn raise_open_files_limit() {
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::info!(limit, "open-files limit"),
        Err(error) => tracing::warn!(%error, "could not raise the open-files limit"),
    }
}

/// Starts the DJ when `music.enabled`; a DJ that cannot start is logged, not fatal.
async fn start_dj(state: &AppState) -> Option<crate::music::dj::DjHandle> {
    let music = &state.config.music;
    if !music.enabled {
        return None;
    }
    let parts = crate::music::dj::DjParts {
        chat: state.chat.clone(),
        store: state.store.clone(),
        accounts: state.accounts.clone(),
        hub: state.hub.clone(),
        voice: Arc::new(crate::music::voice_peer::SfuRooms {
            voice: state.voice.clone(),
        }),
        resolvers: vec![
            Arc::new(crate::music::sources::UrlResolver),
            Arc::new(crate::music::sources::LibraryResolver {
                store: state.store.clone(),
            }),
        ],
        client: state.media_proxy.client(),
        data_dir: state.config.server.data_dir.clone(),
        on_account: {
            // The DJ is online while the server runs, like a bot with a gateway connection that never closes.
            let (presences, hub) = (state.gateway.presences.clone(), state.hub.clone());
            let guild = state.store.guild_home().await.ok().flatten().map(|g| g.id);
            Arc::new(move |user| {
                if let Some(guild) = guild {
                    presences.connected(&hub, guild, user, "online", false);
                }
            })
        },
    };
    let settings = crate::music::dj::DjSettings {
        prefix: music.prefix.clone(),
        name: music.dj_name.clone(),
        dj_role: music.dj_role.clone(),
        max_url_bytes: music.max_url_bytes,
        max_track: music.max_track.0,
        public_url: state.chat.urls().base().to_owned(),
        avatar: (!music.dj_avatar.as_os_str().is_empty()).then(|| music.dj_avatar.clone()),
        sound_cooldown: state.config.chat.sound_cooldown.0,
    };
    crate::music::dj::start(parts, settings)
        .await
        .inspect_err(|e| tracing::warn!(error = %e, "the DJ is off"))
        .ok()
}

/// The test suite's loopback fixture port, from [`crate::config::TEST_ALLOWANCE_VAR`]; warns loudly when set.
fn test_fetch_allowance() -> anyhow::Result<Option<u16>> {
    let Ok(value) = std::env::var(crate::config::TEST_ALLOWANCE_VAR) else {
        return Ok(None);
    };
    let port: u16 = value
        .parse()
        .with_context(|| format!("{} must be a port number", crate::config::TEST_ALLOWANCE_VAR))?;
    tracing::warn!(
        port,
        "{} is set: link previews may fetch from 127.0.0.1:{port}. This is for spot's own test suite; \
         never set it on a real server",
        crate::config::TEST_ALLOWANCE_VAR
    );
    Ok(Some(port))
}

/// Fails with one clear line when the data directory is missing, not a directory, or not writable.
fn check_data_dir(dir: &Path) -> anyhow::Result<()> {
    let shown = dir.display();
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => {}
        Ok(_) => bail!("data directory {shown} is not a directory"),
        Err(e) => bail!("data directory {shown} is not usable: {e} (run `spot init` or fix server.data_dir)"),
    }
    tempfile::tempfile_in(dir)
        .map(drop)
        .map_err(|e| anyhow::anyhow!("data directory {shown} is not writable: {e}"))
}

/// Takes the instance lock so a second server (or `spot restore`) cannot run on the same data directory.
fn lock_instance(config: &Config) -> anyhow::Result<File> {
    let path = config.lock_path();
    let file = File::options().create(true).truncate(false).write(true).open(&path)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => {
            bail!("another spot is already serving {}", config.server.data_dir.display())
        }
        Err(std::fs::TryLockError::Error(e)) => Err(e).with_context(|| format!("cannot lock {}", path.display())),
    }
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM. The handlers are installed when this is called, not when the future
/// is first polled, so a signal arriving right after start-up is never handled by the default (kill) action.
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut interrupt = signal(SignalKind::interrupt()).context("cannot handle SIGINT")?;
    let mut terminate = signal(SignalKind::terminate()).context("cannot handle SIGTERM")?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => {}
            _ = terminate.recv() => {}
        }
        tracing::info!("shutting down");
    })
}

/// Periodic clean-up: expired sessions and idle login-limiter buckets.
async fn housekeeping(state: AppState) {
    let mut tick = tokio::time::interval(HOUSEKEEPING_EVERY);
    loop {
        tick.tick().await;
        match state.accounts.purge_expired_sessions().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(sessions = n, "purged expired sessions"),
            Err(e) => tracing::warn!(error = %e, "session purge failed"),
        }
        state.accounts.limiter().prune();
        state.oidc.prune();
        state.rate_limits.prune();
        state.gateway.session_starts.prune();
        let cutoff = state.clock.now_ms() - state.config.previews.cache_ttl.as_millis_i64();
        if let Err(e) = state.store.link_previews_purge(cutoff).await {
            tracing::warn!(error = %e, "link preview purge failed");
        }
        state.media_proxy.sweep().await;
        if let Err(e) = state.store.revocations_prune(state.clock.now_ms() / 1000).await {
            tracing::warn!(error = %e, "revocation purge failed");
        }
    }
}
