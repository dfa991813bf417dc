//! The DJ's slash commands: `/play` (with autocomplete over the music library), `/queue`, `/skip`, `/np`,
//! `/volume`, `/pause`, `/resume`, `/stop`, registered as guild commands of the DJ's own application when its
//! account exists. An invocation arrives like any bot's (INTERACTION_CREATE on the hub); it runs the same
//! command as the `!` text and answers through the interaction instead of a reply.

use std::sync::Arc;

use serde_json::{Value, json};

use super::{Asked, Dj};
use crate::chat::interactions::{AnswerInput, CallbackInput};
use crate::music::commands::Command;
use crate::store::Snowflake;

/// The commands, in Discord's shape.
fn definitions() -> Vec<Value> {
    let plain = |name: &str, description: &str| json!({"name": name, "description": description, "type": 1});
    vec![
        json!({"name": "play", "type": 1, "description": "Play a song from the library, a link, or search terms",
            "options": [{"type": 3, "name": "query", "description": "What to play", "required": true, "autocomplete": true}]}),
        plain("queue", "Show what is coming up"),
        plain("skip", "Skip the current song"),
        plain("np", "Show what is playing"),
        json!({"name": "volume", "type": 1, "description": "Set the volume (0 to 200 percent)",
            "options": [{"type": 4, "name": "level", "description": "Percent", "required": true, "min_value": 0, "max_value": 200}]}),
        plain("pause", "Pause the music"),
        plain("resume", "Resume the music"),
        plain("stop", "Stop and clear the queue"),
    ]
}

/// The now-playing card's buttons: pause, resume, skip, stop (each answered only to whoever pressed it).
pub(super) fn player_buttons() -> Value {
    let button =
        |label: &str, id: &str, style: i64| json!({"type": 2, "style": style, "label": label, "custom_id": id});
    json!([{"type": 1, "components": [
        button("Pause", "dj:pause", 2),
        button("Resume", "dj:resume", 2),
        button("Skip", "dj:skip", 1),
        button("Stop", "dj:stop", 4),
    ]}])
}

fn option<'a>(data: &'a Value, name: &str) -> Option<&'a Value> {
    data["options"]
        .as_array()?
        .iter()
        .find(|o| o["name"] == name)
        .and_then(|o| o.get("value"))
}

impl Dj {
    /// Registers the DJ's commands in the home space (once its account exists).
    pub(super) async fn register_commands(&self) {
        let Some(me) = self.me().await else { return };
        if let Err(e) = self
            .parts
            .chat
            .overwrite_commands(me, me.id, Some(self.guild), definitions())
            .await
        {
            tracing::warn!(error = %e, "the DJ's slash commands could not be registered");
        }
    }

    /// An INTERACTION_CREATE for the DJ.
    pub(super) async fn on_interaction(self: Arc<Self>, body: Value) {
        let (Some(id), Some(token)) = (
            body["id"].as_str().and_then(|s| s.parse::<Snowflake>().ok()),
            body["token"].as_str().map(str::to_owned),
        ) else {
            return;
        };
        let data = &body["data"];
        let user = body["member"]["user"].clone();
        let user = if user.is_null() { body["user"].clone() } else { user };
        let Some(author) = user["id"].as_str().and_then(|s| s.parse::<Snowflake>().ok()) else {
            return;
        };
        let Some(channel) = body["channel_id"].as_str().and_then(|s| s.parse::<Snowflake>().ok()) else {
            return;
        };
        if body["type"] == 4 {
            return self.autocomplete(id, &token, data).await;
        }
        let pressed = body["type"] == 3;
        let name = if pressed {
            data["custom_id"].as_str().unwrap_or_default().trim_start_matches("dj:")
        } else {
            data["name"].as_str().unwrap_or_default()
        };
        let command = match name {
            "play" => Command::Play(
                option(data, "query")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned(),
            ),
            "queue" => Command::Queue(1),
            "skip" => Command::Skip,
            "np" => Command::NowPlaying,
            "volume" => Command::Volume(option(data, "level").and_then(Value::as_u64).unwrap_or(100).min(200) as u16),
            "pause" => Command::Pause,
            "resume" => Command::Resume,
            "stop" => Command::Stop,
            _ => return,
        };
        let asked = Asked {
            message: 0,
            channel,
            author,
            author_username: user["username"].as_str().unwrap_or("someone").to_owned(),
            author_name: body["member"]["nick"]
                .as_str()
                .or(user["global_name"].as_str())
                .or(user["username"].as_str())
                .unwrap_or("someone")
                .to_owned(),
            attachments: Vec::new(),
            replied_attachments: Vec::new(),
            interaction: Some(token.clone()),
        };
        // Playing may take a moment (finding, opening): the answer is deferred, then edited. A button's answer
        // goes to whoever pressed it only.
        let deferred = CallbackInput {
            kind: 5,
            data: pressed.then(|| AnswerInput {
                flags: Some(64),
                ..AnswerInput::default()
            }),
        };
        if self
            .parts
            .chat
            .interaction_callback(id, &token, deferred)
            .await
            .is_err()
        {
            return;
        }
        if let Err(slow_down) = self.within_limit(author).await {
            return self.reply(&asked, &slow_down.to_string(), None).await;
        }
        self.handle(&asked, command).await;
    }

    /// `/play` suggestions: library tracks matching what was typed.
    async fn autocomplete(&self, id: Snowflake, token: &str, data: &Value) {
        let typed = option(data, "query")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        let tracks = self.parts.store.music_search(typed, 25).await.unwrap_or_default();
        let choices: Vec<Value> = tracks
            .iter()
            .map(|t| {
                let name = match &t.artist {
                    Some(artist) => format!("{} - {artist}", t.title),
                    None => t.title.clone(),
                };
                let name: String = name.chars().take(100).collect();
                json!({"name": name, "value": t.title.chars().take(100).collect::<String>()})
            })
            .collect();
        let answer = CallbackInput {
            kind: 8,
            data: Some(AnswerInput {
                choices: Some(choices),
                ..AnswerInput::default()
            }),
        };
        let _ = self.parts.chat.interaction_callback(id, token, answer).await;
    }

    /// Answers an interaction: replaces the deferred "thinking" answer while it is one, then follows up.
    pub(super) async fn answer_interaction(&self, token: &str, text: &str, embed: Option<Value>) {
        let Some(me) = self.user.get() else { return };
        let Some(pending) = self.parts.chat.interaction_for_token(me.id, token) else {
            return;
        };
        let input = AnswerInput {
            content: Some(text.chars().take(1900).collect()),
            embeds: embed.map(|e| vec![e]),
            ..AnswerInput::default()
        };
        let thinking = match self.parts.chat.followup_message(&pending, "@original").await {
            Ok(original) => original["flags"].as_i64().unwrap_or(0) & 128 != 0,
            Err(_) => false,
        };
        let result = if thinking {
            self.parts
                .chat
                .followup_edit(&pending, "@original", input)
                .await
                .map(|_| ())
        } else {
            self.parts.chat.followup(&pending, input).await.map(|_| ())
        };
        if let Err(e) = result {
            tracing::debug!(error = %e, "the DJ could not answer an interaction");
        }
    }
}
