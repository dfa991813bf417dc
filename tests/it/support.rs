//! Test harness: an initialised instance in a temp dir, the server process, and a cookie-keeping browser.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Method, Response};

pub const ADMIN: &str = "admin";
pub const ADMIN_PASSWORD: &str = "correct horse battery";

/// Path of the binary under test.
pub fn spot_bin() -> &'static str {
    env!("CARGO_BIN_EXE_spot")
}

/// A `spot init`-ed instance in a temporary directory.
pub struct Instance {
    pub dir: tempfile::TempDir,
    pub config: PathBuf,
}

impl Instance {
    /// Runs `spot init` with flags, then appends `extra` to the generated spot.toml.
    pub fn new(extra: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("spot.toml");
        let password_file = dir.path().join("admin-password");
        std::fs::write(&password_file, format!("{ADMIN_PASSWORD}\n")).unwrap();
        let output = Command::new(spot_bin())
            .arg("--config")
            .arg(&config)
            .args([
                "init",
                "--admin-username",
                ADMIN,
                "--listen",
                "127.0.0.1:0",
                "--admin-password-file",
            ])
            .arg(&password_file)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "init failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        if !extra.is_empty() {
            let text = std::fs::read_to_string(&config).unwrap();
            std::fs::write(&config, merge_toml(&text, extra)).unwrap();
        }
        Self { dir, config }
    }

    /// The data directory.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A `spot` command with `--config` set.
    pub fn spot(&self, args: &[&str]) -> Command {
        let mut command = Command::new(spot_bin());
        command.arg("--config").arg(&self.config).args(args);
        command
    }

    /// Runs a `spot` command to completion.
    pub fn run(&self, args: &[&str]) -> Output {
        self.spot(args).stdin(Stdio::null()).output().unwrap()
    }

    /// Starts `spot serve` and waits until it listens.
    pub fn serve(&self) -> Server {
        Server::start(self.spot(&["serve"]))
    }

    /// Creates an invite with the CLI and returns its code.
    pub fn invite(&self, args: &[&str]) -> String {
        let mut all = vec!["invite", "create"];
        all.extend_from_slice(args);
        let output = self.run(&all);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let url = String::from_utf8(output.stdout).unwrap();
        url.trim().rsplit('/').next().unwrap().to_owned()
    }
}

/// Adds `extra` (TOML with `[section]` headers) to `text`, putting each key under its section.
fn merge_toml(text: &str, extra: &str) -> String {
    let mut table: toml::Table = toml::from_str(text).unwrap();
    let extra: toml::Table = toml::from_str(extra).unwrap();
    for (section, values) in extra {
        let target = table
            .entry(section)
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        for (key, value) in values.as_table().unwrap() {
            target.as_table_mut().unwrap().insert(key.clone(), value.clone());
        }
    }
    toml::to_string(&table).unwrap()
}

/// A running `spot serve`.
pub struct Server {
    child: Option<Child>,
    pub base: String,
}

impl Server {
    /// Starts `command` and waits for its "listening" line. Voice media gets a free loopback UDP port, so
    /// servers of tests running side by side never compete for the default one.
    pub fn start(mut command: Command) -> Self {
        command
            .env("SPOT_VOICE_UDP_PORT", "0")
            .env("SPOT_VOICE_UDP_HOST", "127.0.0.1");
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(url) = line.strip_prefix("spot is listening on ") {
                    let _ = tx.send(url.to_owned());
                }
            }
        });
        // Drain the log so the server never blocks on a full pipe; show it when a test fails.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if std::env::var_os("SPOT_TEST_LOG").is_some() {
                    eprintln!("[spot] {line}");
                }
            }
        });
        let base = rx.recv_timeout(Duration::from_secs(30)).expect("server did not start");
        Self {
            child: Some(child),
            base,
        }
    }

    /// The server's process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    /// A fresh browser pointed at this server.
    pub fn browser(&self) -> Browser {
        Browser::new(&self.base)
    }

    /// Sends SIGTERM and waits; asserts a clean exit.
    pub fn stop(mut self) {
        let child = self.child.take().unwrap();
        terminate_and_wait(child);
    }
}

fn terminate_and_wait(mut child: Child) {
    let status = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "spot serve exited with {status}");
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// An HTTP client that keeps cookies like a browser, and lets tests look at them.
pub struct Browser {
    pub base: String,
    pub client: reqwest::Client,
    pub cookies: BTreeMap<String, String>,
    /// Extra headers sent with every request (e.g. `X-Forwarded-For`).
    pub headers: HeaderMap,
}

impl Browser {
    pub fn new(base: &str) -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            base: base.to_owned(),
            client,
            cookies: BTreeMap::new(),
            headers: HeaderMap::new(),
        }
    }

    /// Sets an extra header for every later request.
    pub fn with_header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.insert(name, HeaderValue::from_str(value).unwrap());
        self
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// Sends a request with the cookie jar and records `Set-Cookie`s.
    pub async fn send(
        &mut self,
        method: Method,
        path: &str,
        build: impl FnOnce(reqwest::RequestBuilder) -> reqwest::RequestBuilder,
    ) -> Response {
        // An absolute URL (as the API hands out for attachments) is used as it is.
        let url = if path.starts_with("http://") || path.starts_with("https://") {
            path.to_owned()
        } else {
            format!("{}{path}", self.base)
        };
        let mut request = self.client.request(method, url).headers(self.headers.clone());
        if !self.cookies.is_empty() {
            request = request.header("cookie", self.cookie_header());
        }
        let response = build(request).send().await.unwrap();
        for value in response.headers().get_all("set-cookie") {
            let text = value.to_str().unwrap();
            let (pair, attrs) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if attrs.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        response
    }

    pub async fn get(&mut self, path: &str) -> Response {
        self.send(Method::GET, path, |r| r).await
    }

    /// Posts a form exactly as given (no CSRF field added).
    pub async fn post_form(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let owned: Vec<(String, String)> = fields.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        self.send(Method::POST, path, |r| r.form(&owned)).await
    }

    /// Posts a form with the CSRF token from the `spot_csrf` cookie, as the server's pages do.
    pub async fn submit(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let token = self.csrf();
        let mut all = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.post_form(path, &all).await
    }

    /// The current `spot_csrf` cookie (fetching the login page first if there is none).
    pub fn csrf(&self) -> String {
        self.cookies
            .get("spot_csrf")
            .cloned()
            .expect("no spot_csrf cookie yet: load a page first")
    }

    /// Logs in through the login form; returns the response to the POST.
    pub async fn login(&mut self, username: &str, password: &str) -> Response {
        if !self.cookies.contains_key("spot_csrf") {
            let page = self.get("/login").await;
            assert_eq!(page.status(), 200);
        }
        self.submit("/login", &[("username", username), ("password", password)])
            .await
    }

    /// `GET /api/v10/users/@me` and its status.
    pub async fn me(&mut self) -> (u16, serde_json::Value) {
        let response = self.get("/api/v10/users/@me").await;
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(serde_json::Value::Null))
    }
}

/// Waits while `f` is false, up to `timeout`.
pub fn wait_until(timeout: Duration, mut f: impl FnMut() -> bool) -> bool {
    let end = std::time::Instant::now() + timeout;
    while std::time::Instant::now() < end {
        if f() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    f()
}

/// A bot process (discord.py or discord.js) that reports each step as one JSON object per line.
pub struct BotProcess {
    child: Child,
    lines: mpsc::Receiver<serde_json::Value>,
    pub seen: Vec<serde_json::Value>,
}

impl BotProcess {
    /// Starts `command` and collects its JSON lines.
    pub fn start(mut command: Command) -> Self {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                match serde_json::from_str(&line) {
                    Ok(value) => {
                        let _ = tx.send(value);
                    }
                    Err(_) => eprintln!("[bot] {line}"),
                }
            }
        });
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("[bot] {line}");
            }
        });
        Self {
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for the report named `key` (failing on an `error` report or a timeout) and returns its value.
    pub fn expect(&mut self, key: &str, timeout: Duration) -> serde_json::Value {
        let end = std::time::Instant::now() + timeout;
        loop {
            let left = end.saturating_duration_since(std::time::Instant::now());
            let value = self
                .lines
                .recv_timeout(left)
                .unwrap_or_else(|_| panic!("bot never reported {key:?}; saw {:?}", self.seen));
            self.seen.push(value.clone());
            if let Some(error) = value.get("error") {
                panic!("bot failed before {key:?}: {error}");
            }
            if let Some(found) = value.get(key) {
                return found.clone();
            }
        }
    }

    /// Waits for the process to exit and returns whether it succeeded.
    pub fn wait(mut self, timeout: Duration) -> bool {
        let end = std::time::Instant::now() + timeout;
        while std::time::Instant::now() < end {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.success();
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        false
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Creates a bot with the CLI and returns its token.
pub fn create_bot(instance: &Instance, name: &str) -> String {
    let output = instance.run(&["bot", "create", name]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap().trim().to_owned()
}

impl Browser {
    /// Sends a JSON API request with the CSRF header, as the web client does.
    pub async fn api(&mut self, method: Method, path: &str, body: Option<serde_json::Value>) -> Response {
        let token = self.csrf();
        self.send(method, &format!("/api/v10{path}"), |r| {
            let r = r.header("x-csrf-token", token);
            match body {
                Some(body) => r.json(&body),
                None => r,
            }
        })
        .await
    }
}

/// The status of a response to bad input (never a 5xx) and its JSON body.
pub async fn status_and_code(response: Response) -> (u16, serde_json::Value) {
    let status = response.status().as_u16();
    assert!(status < 500, "a server error for bad input");
    (status, response.json().await.unwrap_or(serde_json::Value::Null))
}

impl Browser {
    /// The home space's id and its `#general` channel's id, as this user or bot sees them.
    pub async fn home(&mut self) -> (String, String) {
        let guilds: serde_json::Value = self.get("/api/v10/users/@me/guilds").await.json().await.unwrap();
        let guild = guilds[0]["id"].as_str().unwrap().to_owned();
        let channels: serde_json::Value = self
            .get(&format!("/api/v10/guilds/{guild}/channels"))
            .await
            .json()
            .await
            .unwrap();
        let general = channels
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == "general")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_owned();
        (guild, general)
    }
}

/// Creates a user (an instance admin if `admin`) with the CLI (`spot user add`).
pub fn create_user(instance: &Instance, name: &str, password: &str, admin: bool) {
    let file = instance.dir.path().join(format!("{name}-password"));
    std::fs::write(&file, format!("{password}\n")).unwrap();
    let mut args = vec!["user", "add", name, "--password-file", file.to_str().unwrap()];
    if admin {
        args.push("--admin");
    }
    let output = instance.run(&args);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
}

impl Instance {
    /// Adds `extra` (TOML with `[section]` headers) to this instance's spot.toml; takes effect at the next start.
    pub fn configure(&self, extra: &str) {
        let text = std::fs::read_to_string(&self.config).unwrap();
        std::fs::write(&self.config, merge_toml(&text, extra)).unwrap();
    }
}

impl Server {
    /// The port the server listens on.
    pub fn port(&self) -> u16 {
        self.base.rsplit(':').next().unwrap().parse().unwrap()
    }
}

/// What `spot bot create` gives a bot by default (`perms::bits::DEFAULT_BOT`): what members may do, plus
/// managing messages and threads.
pub const DEFAULT_BOT_PERMISSIONS: u64 =
    517_647_748_672 | (1 << 42) | (1 << 43) | (1 << 45) | (1 << 46) | (1 << 13) | (1 << 34);
