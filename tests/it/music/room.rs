//! A voice room with the DJ, for tests: a member signed in through the login form, in the Lounge through a real
//! gateway session (op 4), and helpers to give the DJ commands (plain, or with an uploaded file) and to read
//! what it says, oldest first.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::{Value, json};

use crate::gw::Gw;
use crate::support::{Browser, Server};

/// A member in the Lounge, with the ids the tests need.
pub struct DjRoom {
    /// The member's browser (cookies, CSRF token).
    pub member: Browser,
    /// The home space.
    pub guild: String,
    /// `#general`, where commands are given.
    pub general: String,
    /// The Lounge, the voice room.
    pub lounge: String,
    /// The member's gateway session (its voice state lives as long as it does).
    pub gw: Gw,
    /// The VOICE_SERVER_UPDATE `d` the member got (endpoint and token for a media peer).
    pub voice: Value,
}

impl DjRoom {
    /// Signs `username` in and puts them in the Lounge.
    pub async fn join(server: &Server, username: &str, password: &str) -> Self {
        let mut member = server.browser();
        assert_eq!(member.login(username, password).await.status(), 303);
        Self::enter(server, member).await
    }

    /// Puts a signed-in member in the Lounge, through a gateway session on their cookie.
    pub async fn enter(server: &Server, mut member: Browser) -> Self {
        let (guild, general) = member.home().await;
        let cookie = format!("spot_session={}", member.cookies["spot_session"]);
        let headers = [("cookie", cookie), ("origin", server.base.clone())];
        let mut gw = Gw::connect_with(server, "v=10&encoding=json", &headers).await;
        gw.identify("", (1 << 0) | (1 << 7)).await;
        let lounge = voice_channel(&mut member, &guild).await;
        gw.send(
            json!({"op": 4, "d": {"guild_id": guild, "channel_id": lounge, "self_mute": false, "self_deaf": false}}),
        )
        .await;
        let voice = gw.dispatch("VOICE_SERVER_UPDATE").await["d"].clone();
        Self {
            member,
            guild,
            general,
            lounge,
            gw,
            voice,
        }
    }

    /// Posts `text` in `#general`; returns the message.
    pub async fn say(&mut self, text: &str) -> Value {
        let path = format!("/channels/{}/messages", self.general);
        let response = self
            .member
            .api(Method::POST, &path, Some(json!({"content": text})))
            .await;
        assert_eq!(response.status(), 200, "posting {text}");
        response.json().await.unwrap()
    }

    /// Posts `!play` with a file attached, as the web client uploads it.
    pub async fn play_file(&mut self, name: &str, bytes: Vec<u8>) -> Value {
        let token = self.member.csrf();
        let form = reqwest::multipart::Form::new()
            .text("payload_json", json!({"content": "!play"}).to_string())
            .part(
                "files[0]",
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
            );
        let path = format!("/api/v10/channels/{}/messages", self.general);
        let response = self
            .member
            .send(Method::POST, &path, |r| r.header("x-csrf-token", token).multipart(form))
            .await;
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        assert_eq!(status, 200, "uploading {name}: {body}");
        body
    }

    /// Posts `!play` with a file and waits for the DJ's next message; returns its text (see [`text_of`]).
    pub async fn command_with_file(&mut self, name: &str, bytes: Vec<u8>) -> String {
        let before = self.dj_messages().await.len();
        self.play_file(name, bytes).await;
        let said = self.wait_dj(Duration::from_secs(10), |s| s.len() > before).await;
        said.get(before)
            .map(text_of)
            .unwrap_or_else(|| panic!("the DJ did not answer {name}"))
    }

    /// Everything the DJ said in `#general`, oldest first.
    pub async fn dj_messages(&mut self) -> Vec<Value> {
        let path = format!("/channels/{}/messages?limit=100", self.general);
        let page: Value = self.member.api(Method::GET, &path, None).await.json().await.unwrap();
        let mut said: Vec<Value> = page
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["author"]["username"] == "dj")
            .cloned()
            .collect();
        said.reverse();
        said
    }

    /// Polls what the DJ said until `done` holds (or `timeout` passes); returns it, oldest first.
    pub async fn wait_dj(&mut self, timeout: Duration, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        let end = Instant::now() + timeout;
        loop {
            let said = self.dj_messages().await;
            if done(&said) || Instant::now() > end {
                return said;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Gives a command and waits for the DJ's next message; returns its text (see [`text_of`]).
    pub async fn command(&mut self, text: &str) -> String {
        let before = self.dj_messages().await.len();
        self.say(text).await;
        let said = self.wait_dj(Duration::from_secs(10), |s| s.len() > before).await;
        said.get(before)
            .map(text_of)
            .unwrap_or_else(|| panic!("the DJ did not answer {text}"))
    }
}

/// The first voice channel of the space (the Lounge `spot init` makes).
pub async fn voice_channel(member: &mut Browser, guild: &str) -> String {
    let channels: Value = member
        .api(Method::GET, &format!("/guilds/{guild}/channels"), None)
        .await
        .json()
        .await
        .unwrap();
    channels.as_array().unwrap().iter().find(|c| c["type"] == 2).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The text of a DJ message (its content, or its embed's title).
pub fn text_of(message: &Value) -> String {
    let content = message["content"].as_str().unwrap_or("");
    if content.is_empty() {
        format!("[embed] {}", message["embeds"][0]["title"].as_str().unwrap_or(""))
    } else {
        content.to_owned()
    }
}

/// Where the first message whose text satisfies `is` is, oldest first.
pub fn position(said: &[Value], is: impl Fn(&str) -> bool) -> Option<usize> {
    said.iter().position(|m| is(&text_of(m)))
}
