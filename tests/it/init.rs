//! `spot init`: with flags, interactively on a terminal, refusing to clobber, and leaving nothing on failure.

use std::io::{Read, Write};
use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::support::{Server, spot_bin, wait_until};

fn one_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr).trim_end().to_owned();
    assert_eq!(text.lines().count(), 1, "expected one line, got: {text}");
    text
}

#[tokio::test]
async fn init_with_flags_and_generated_password() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("spot.toml");
    let output = Command::new(spot_bin())
        .arg("--config")
        .arg(&config)
        .args([
            "init",
            "--admin-username",
            "Bob",
            "--listen",
            "127.0.0.1:0",
            "--instance-name",
            "Friends",
        ])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let password = stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("password: "))
        .expect("generated password printed")
        .to_owned();
    assert!(password.len() >= 16);

    let mode = std::fs::metadata(&config).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "spot.toml holds the secret");
    let text = std::fs::read_to_string(&config).unwrap();
    assert!(text.contains("secret = \"") && !text.contains(&password));
    assert!(dir.path().join("data/spot.db").is_file());

    let server = Server::start({
        let mut c = Command::new(spot_bin());
        c.arg("--config").arg(&config).arg("serve");
        c
    });
    let mut browser = server.browser();
    let login = browser.login("bob", &password).await;
    assert_eq!(login.status(), 303);
    let home = browser.get("/").await.text().await.unwrap();
    assert!(home.contains("Friends"), "the home space takes the instance name");
    assert!(home.contains("(admin)"));
    server.stop();

    // A second init refuses to clobber it, with one line, and changes nothing.
    let again = Command::new(spot_bin())
        .arg("--config")
        .arg(&config)
        .args(["init", "--admin-username", "eve"])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(one_line(&again.stderr).contains("already exists"));
    assert_eq!(std::fs::read_to_string(&config).unwrap(), text);

    // --force replaces it: new secret, new database without bob.
    let forced = Command::new(spot_bin())
        .arg("--config")
        .arg(&config)
        .args(["init", "--force", "--admin-username", "eve", "--listen", "127.0.0.1:0"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(forced.status.success(), "{}", String::from_utf8_lossy(&forced.stderr));
    assert_ne!(std::fs::read_to_string(&config).unwrap(), text);
    let list = Command::new(spot_bin())
        .arg("--config")
        .arg(&config)
        .args(["user", "list"])
        .output()
        .unwrap();
    let list = String::from_utf8(list.stdout).unwrap();
    assert!(list.contains("eve") && !list.contains("bob"), "{list}");
}

#[test]
fn failed_init_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    // The config's directory is a regular file: everything up to writing the config succeeds, then that fails.
    let blocker = dir.path().join("not-a-dir");
    std::fs::write(&blocker, "").unwrap();
    let data = dir.path().join("data");
    let output = Command::new(spot_bin())
        .arg("--config")
        .arg(blocker.join("spot.toml"))
        .arg("init")
        .arg("--data-dir")
        .arg(&data)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(one_line(&output.stderr).contains("cannot write the config file"));
    assert!(!data.exists(), "the data directory init created is removed again");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("not-a-dir")]);

    // An existing data directory is kept, but emptied of everything init wrote.
    std::fs::create_dir(&data).unwrap();
    std::fs::write(data.join("keep.txt"), "mine").unwrap();
    let output = Command::new(spot_bin())
        .arg("--config")
        .arg(blocker.join("spot.toml"))
        .arg("init")
        .arg("--data-dir")
        .arg(&data)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success());
    let left: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("keep.txt")]);

    // A password that breaks the rules fails before anything is written.
    let short = dir.path().join("short");
    std::fs::write(&short, "abc\n").unwrap();
    let config = dir.path().join("spot.toml");
    let output = Command::new(spot_bin())
        .arg("--config")
        .arg(&config)
        .arg("init")
        .arg("--admin-password-file")
        .arg(&short)
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(one_line(&output.stderr).contains("at least 8 characters"));
    assert!(!config.exists() && !dir.path().join("data/spot.db").exists());
}

/// Runs `spot init` on a pseudo-terminal (through util-linux `script`) and answers its prompts.
#[tokio::test]
async fn interactive_init_on_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("spot.toml");
    let command = format!("{} --config {} init --listen 127.0.0.1:0", spot_bin(), config.display());
    let mut child = Command::new("script")
        .args(["-qefc", &command, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("util-linux `script` is installed");
    let screen = Arc::new(Mutex::new(String::new()));
    let mut stdout = child.stdout.take().unwrap();
    let sink = Arc::clone(&screen);
    std::thread::spawn(move || {
        let mut buf = [0u8; 512];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    });
    let mut stdin = child.stdin.take().unwrap();
    // Waits for `text` to appear after what was already read, then moves past it.
    let mut read_up_to = 0;
    let mut expect = |text: &str| {
        let found = wait_until(Duration::from_secs(20), || {
            screen.lock().unwrap()[read_up_to..].contains(text)
        });
        assert!(found, "{text:?} never appeared; screen: {}", screen.lock().unwrap());
        let screen = screen.lock().unwrap();
        read_up_to += screen[read_up_to..].find(text).unwrap() + text.len();
    };
    let mut send = |text: &str| {
        stdin.write_all(format!("{text}\n").as_bytes()).unwrap();
        stdin.flush().unwrap();
    };
    expect("Admin username [admin]:");
    send("Carol");
    expect("Password:");
    send("short");
    expect("at least 8 characters");
    expect("Password:");
    send("a long enough password");
    expect("Password again:");
    send("a long enough password");
    expect("spot is set up");
    drop(stdin);
    assert!(child.wait().unwrap().success());
    assert!(
        !screen.lock().unwrap().contains("a long enough password"),
        "the password is not echoed"
    );

    let instance_config = config.clone();
    let server = Server::start({
        let mut c = Command::new(spot_bin());
        c.arg("--config").arg(&instance_config).arg("serve");
        c
    });
    let mut browser = server.browser();
    assert_eq!(browser.login("carol", "a long enough password").await.status(), 303);
    server.stop();
}
