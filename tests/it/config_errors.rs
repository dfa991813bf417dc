//! Start-up problems: each stops `spot serve` with one line naming the problem and a non-zero exit.

use std::net::TcpListener;
use std::process::Stdio;

use crate::support::Instance;

fn serve_fails(instance: &Instance, envs: &[(&str, &str)]) -> String {
    let output = instance
        .spot(&["serve"])
        .envs(envs.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success(), "serve should have failed");
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr).trim_end().to_owned();
    assert_eq!(stderr.lines().count(), 1, "one line expected: {stderr}");
    assert!(stderr.starts_with("spot: "), "{stderr}");
    stderr
}

fn append(instance: &Instance, text: &str) {
    let mut config = std::fs::read_to_string(&instance.config).unwrap();
    config.push_str(text);
    std::fs::write(&instance.config, config).unwrap();
}

#[test]
fn unknown_key() {
    let instance = Instance::new("");
    append(&instance, "\n[log]\nlevle = \"debug\"\n");
    let line = serve_fails(&instance, &[]);
    assert!(
        line.contains("unknown field `levle`") && line.contains("spot.toml line"),
        "{line}"
    );
}

#[test]
fn bad_values_in_file_and_environment() {
    let instance = Instance::new("");
    append(&instance, "\n[log]\nformat = \"xml\"\n");
    let line = serve_fails(&instance, &[]);
    assert!(line.contains("xml"), "{line}");

    let instance = Instance::new("");
    let line = serve_fails(&instance, &[("SPOT_SERVER_LISTEN", "not-an-address")]);
    assert!(line.contains("SPOT_SERVER_LISTEN"), "{line}");
    let line = serve_fails(&instance, &[("SPOT_SECURITY_SESSION_TTL", "forever")]);
    assert!(
        line.contains("SPOT_SECURITY_SESSION_TTL") && line.contains("forever"),
        "{line}"
    );
    let line = serve_fails(&instance, &[("SPOT_SERVER_LISTN", "127.0.0.1:0")]);
    assert!(
        line.contains("SPOT_SERVER_LISTN") && line.contains("no configuration key"),
        "{line}"
    );
    let line = serve_fails(&instance, &[("SPOT_SECURITY_SECRET", "short")]);
    assert!(line.contains("security.secret"), "{line}");
}

#[test]
fn environment_overrides_the_file() {
    let instance = Instance::new("");
    let blocker = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = blocker.local_addr().unwrap().port();
    let line = serve_fails(&instance, &[("SPOT_SERVER_LISTEN", &format!("127.0.0.1:{port}"))]);
    assert!(
        line.contains(&format!("cannot listen on 127.0.0.1:{port}")) && line.contains("in use"),
        "{line}"
    );
}

#[test]
fn port_in_use() {
    let blocker = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = blocker.local_addr().unwrap().port();
    let instance = Instance::new(&format!("[server]\nlisten = \"127.0.0.1:{port}\"\n"));
    let line = serve_fails(&instance, &[]);
    assert!(line.contains("cannot listen") && line.contains("in use"), "{line}");
}

#[test]
fn unusable_data_dir() {
    let instance = Instance::new("");
    let file = instance.dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let line = serve_fails(&instance, &[("SPOT_SERVER_DATA_DIR", file.to_str().unwrap())]);
    assert!(
        line.contains("data directory") && line.contains("not a directory"),
        "{line}"
    );
    let missing = instance.dir.path().join("missing");
    let line = serve_fails(&instance, &[("SPOT_SERVER_DATA_DIR", missing.to_str().unwrap())]);
    assert!(line.contains("data directory") && line.contains("not usable"), "{line}");
}

#[test]
fn missing_config_and_second_server() {
    let instance = Instance::new("");
    let output = std::process::Command::new(crate::support::spot_bin())
        .arg("--config")
        .arg(instance.dir.path().join("nope.toml"))
        .arg("serve")
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("run `spot init` first"));

    let server = instance.serve();
    let line = serve_fails(&instance, &[]);
    assert!(line.contains("another spot is already serving"), "{line}");
    server.stop();
}
