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
