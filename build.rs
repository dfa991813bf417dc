//! Builds the browser client before the crate compiles: `npm ci` in `web/` when its dependencies are missing or
//! older than the lockfile, then `node web/build.mjs $OUT_DIR/web`, whose output `rust-embed` embeds
//! (`src/web/assets.rs`). Needs Node.js 20+ and npm on the PATH. Also records the git commit being built, for
//! `spot --version` (`BUILT_FROM_COMMIT`, not a `SPOT_*` name: `cargo test` passes it on to the processes it
//! runs, and spot refuses `SPOT_*` variables it does not know; "unknown" outside a git checkout).

use std::path::Path;
use std::process::Command;

fn main() {
    for path in [
        "build.rs",
        "web/src",
        "web/build.mjs",
        "web/package.json",
        "web/package-lock.json",
        "web/tsconfig.json",
    ] {
        println!("cargo:rerun-if-changed={path}");
    }
    commit();
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("web");
    let installed = web.join("node_modules/.package-lock.json");
    let stale = match (modified(&installed), modified(&web.join("package-lock.json"))) {
        (Some(installed), Some(lock)) => installed < lock,
        _ => true,
    };
    if stale {
        run(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(&web),
            "npm ci (in web/)",
        );
    }
    let out = Path::new(&std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("web");
    run(
        Command::new("node").arg("build.mjs").arg(&out).current_dir(&web),
        "node web/build.mjs",
    );
}

/// Sets `BUILT_FROM_COMMIT` to the checkout's commit, and asks to run again when it moves.
fn commit() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let head = root.join(".git/HEAD");
    let commit = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .filter(|c| !c.is_empty())
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=BUILT_FROM_COMMIT={commit}");
    if head.is_file() {
        println!("cargo:rerun-if-changed={}", head.display());
        if let Ok(text) = std::fs::read_to_string(&head)
            && let Some(reference) = text.trim().strip_prefix("ref: ")
        {
            let path = root.join(".git").join(reference);
            if path.is_file() {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
    }
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

fn run(command: &mut Command, what: &str) {
    match command.status() {
        Ok(status) if status.success() => {}
        Ok(status) => panic!("building the web client failed: `{what}` exited with {status}"),
        Err(error) => panic!(
            "building the web client needs Node.js (20 or later) and npm on the PATH: `{what}` could not start: {error}"
        ),
    }
}
