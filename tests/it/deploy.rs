//! What deployment relies on: the systemd unit (`deploy/spot.service`) passes `systemd-analyze verify` without a
//! single warning (an unknown or misspelt directive is only a warning there, so warnings fail this test) and
//! keeps the sandboxing the README promises; `spot --version` names the release and the commit it was built from.

use std::process::Command;

use crate::support::{repo_root, spot_bin};

#[test]
fn the_systemd_unit_verifies_and_is_sandboxed() {
    let unit = std::fs::read_to_string(repo_root().join("deploy/spot.service")).unwrap();
    for line in [
        "ProtectSystem=strict",
        "NoNewPrivileges=yes",
        "LimitNOFILE=65536",
        "AmbientCapabilities=CAP_NET_BIND_SERVICE",
        "ReadWritePaths=/var/lib/spot",
        "User=spot",
        "ExecStart=/usr/local/bin/spot --config /var/lib/spot/spot.toml serve",
    ] {
        assert!(unit.lines().any(|l| l == line), "the unit has `{line}`");
    }
    // Verified with the binary this build made standing in for /usr/local/bin/spot.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("spot.service");
    std::fs::write(&copy, unit.replace("/usr/local/bin/spot", spot_bin())).unwrap();
    let out = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(&copy)
        .output()
        .expect("systemd-analyze is needed (make deps installs Debian's systemd)");
    let warnings = String::from_utf8_lossy(&out.stderr);
    let ours: Vec<&str> = warnings.lines().filter(|l| l.contains("spot.service")).collect();
    assert!(
        out.status.success() && ours.is_empty(),
        "systemd-analyze verify: {warnings}"
    );
    // The check is real: a misspelt directive is reported.
    std::fs::write(
        &copy,
        unit.replace("ProtectSystem=strict", "ProtectSystm=strict")
            .replace("/usr/local/bin/spot", spot_bin()),
    )
    .unwrap();
    let out = Command::new("systemd-analyze")
        .args(["verify", "--man=no"])
        .arg(&copy)
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("ProtectSystm"),
        "a misspelling is caught"
    );
}

#[test]
fn version_names_the_release_and_commit() {
    let out = Command::new(spot_bin()).arg("--version").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        text.starts_with(&format!("spot {} (commit ", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    let commit = text.trim().trim_end_matches(')').rsplit(' ').next().unwrap().to_owned();
    let head = Command::new("git")
        .args(["rev-parse", "--short=12", "HEAD"])
        .current_dir(repo_root())
        .output()
        .unwrap();
    if head.status.success() {
        let head = String::from_utf8_lossy(&head.stdout).trim().to_owned();
        assert_eq!(commit, head, "the binary was built from this checkout's commit");
    }
}

/// The container's entry point, run outside a container (no Docker engine runs on this machine): the first
/// start makes the install in an empty data directory and prints the admin's password once; it serves; `spot
/// healthcheck` (the image's HEALTHCHECK) says healthy; a second start reuses the install.
#[test]
fn the_container_entry_point_makes_the_install_then_serves() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bin_dir = std::path::Path::new(spot_bin()).parent().unwrap().to_owned();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let start = || {
        Command::new("sh")
            .arg(repo_root().join("deploy/docker-entrypoint.sh"))
            .env("PATH", &path)
            .env("DATA_DIR", &data)
            .env("LISTEN", format!("127.0.0.1:{port}"))
            .env("SPOT_VOICE_UDP_PORT", "0")
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap()
    };
    let healthcheck = || {
        Command::new(spot_bin())
            .arg("--config")
            .arg(data.join("spot.toml"))
            .arg("healthcheck")
            .output()
            .unwrap()
    };
    for round in 0..2 {
        let mut child = start();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut seen = Vec::new();
        while let Some(Ok(line)) = lines.next() {
            let listening = line.starts_with("spot is listening on");
            seen.push(line);
            if listening {
                break;
            }
        }
        let said = seen.join("\n");
        assert!(
            said.contains(&format!("spot is listening on http://127.0.0.1:{port}")),
            "{said}"
        );
        if round == 0 {
            assert!(
                said.contains("first start") && said.to_lowercase().contains("password"),
                "{said}"
            );
        } else {
            assert!(!said.contains("first start"), "the install is reused: {said}");
        }
        let health = healthcheck();
        assert!(health.status.success(), "{}", String::from_utf8_lossy(&health.stderr));
        let _ = Command::new("kill").arg(child.id().to_string()).status();
        let _ = child.wait();
    }
    // With nothing listening, the health check fails.
    assert!(!healthcheck().status.success());
}

/// Under systemd (`JOURNAL_STREAM` set) each log line starts with the journal's priority (`<4>` a warning,
/// `<6>` information) and carries no timestamp of its own; elsewhere lines keep their time.
#[test]
fn logs_speak_the_journals_format_under_systemd() {
    use std::io::{BufRead, BufReader};
    let instance = crate::support::Instance::new("");
    let mut child = instance
        .spot(&["serve"])
        .env("JOURNAL_STREAM", "8:12345")
        .env("SPOT_VOICE_UDP_PORT", "0")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = Vec::new();
    for line in BufReader::new(child.stderr.take().unwrap())
        .lines()
        .map_while(Result::ok)
    {
        let done = line.contains("voice media on UDP");
        lines.push(line);
        if done {
            break;
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    let text = lines.join("\n");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("<4>spot::cli::serve: server.public_url is not set")),
        "{text}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("<6>spot::voice::sfu: voice media on UDP")),
        "{text}"
    );
    assert!(
        lines.iter().all(|l| !l.starts_with("20")),
        "no timestamps of its own: {text}"
    );
}
