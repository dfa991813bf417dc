//! What a message's new files carry beyond their bytes: the `attachments` entries of a send (by file index:
//! alt text, and a voice message's length and waveform), and the rules of a voice message (Discord's
//! IS_VOICE_MESSAGE flag): one audio file with its metadata and nothing else, SEND_VOICE_MESSAGES.

use base64::Engine;
use serde::Deserialize;

use super::{Access, ChatError};
use crate::perms::bits;
use crate::store::{Attachment, Snowflake};

/// Discord's message flag IS_VOICE_MESSAGE.
pub const IS_VOICE_MESSAGE: i64 = 1 << 13;
/// Longest voice message, in seconds (spot's recorder stops at five minutes; a little slack for clocks).
const MAX_VOICE_SECS: f64 = 20.0 * 60.0;
/// Most waveform samples (Discord's clients send one per 100 ms, up to 256).
const MAX_WAVEFORM: usize = 256;

/// An entry of a send's `attachments`: the file `files[id]`, with what it carries.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AttachmentMeta {
    /// The file's index in `files[n]`.
    #[serde(deserialize_with = "super::ids::deserialize")]
    pub id: Snowflake,
    /// Alt text.
    #[serde(default)]
    pub description: Option<String>,
    /// A voice message's length.
    #[serde(default)]
    pub duration_secs: Option<f64>,
    /// A voice message's waveform (base64).
    #[serde(default)]
    pub waveform: Option<String>,
}

/// Applies the entries to the files they name (by index); unknown indexes are ignored, as on Discord.
pub fn apply_meta(files: &mut [Attachment], meta: &[AttachmentMeta]) -> Result<(), ChatError> {
    for entry in meta {
        let Some(file) = usize::try_from(entry.id).ok().and_then(|i| files.get_mut(i)) else {
            continue;
        };
        if let Some(description) = &entry.description {
            if description.chars().count() > 1024 {
                return Err(ChatError::invalid(
                    "attachments.description",
                    "Must be 1024 or fewer in length.",
                ));
            }
            file.description = Some(description.clone()).filter(|d| !d.is_empty());
        }
        if let Some(duration) = entry.duration_secs {
            if !duration.is_finite() || !(0.0..=MAX_VOICE_SECS).contains(&duration) {
                return Err(ChatError::invalid(
                    "attachments.duration_secs",
                    "Must be a length in seconds.",
                ));
            }
            file.duration_secs = Some(duration);
        }
        if let Some(waveform) = &entry.waveform {
            let samples = base64::engine::general_purpose::STANDARD
                .decode(waveform)
                .map_err(|_| ChatError::invalid("attachments.waveform", "Must be base64."))?;
            if samples.len() > MAX_WAVEFORM {
                return Err(ChatError::invalid(
                    "attachments.waveform",
                    format!("Must be {MAX_WAVEFORM} samples or fewer."),
                ));
            }
            file.waveform = Some(waveform.clone());
        }
    }
    Ok(())
}

/// Checks a voice message (the flag is set): SEND_VOICE_MESSAGES, one audio file with its length and waveform,
/// no text, embeds or stickers. Its file's type is made an audio type (a WebM recording has no video).
pub fn check_voice_message(
    access: &Access,
    files: &mut [Attachment],
    has_other_content: bool,
) -> Result<(), ChatError> {
    access.require(bits::SEND_VOICE_MESSAGES)?;
    if has_other_content {
        return Err(ChatError::InvalidVoiceMessage(
            50161,
            "Voice messages do not support additional content.",
        ));
    }
    let [file] = files else {
        return Err(ChatError::InvalidVoiceMessage(
            50159,
            "Voice messages must have a single audio attachment.",
        ));
    };
    file.content_type = match file.content_type.as_str() {
        "audio/ogg" | "audio/opus" | "application/ogg" => "audio/ogg",
        "audio/webm" | "video/webm" => "audio/webm",
        "audio/mpeg" => "audio/mpeg",
        "audio/mp4" | "audio/m4a" | "audio/x-m4a" | "video/mp4" => "audio/mp4",
        _ => {
            return Err(ChatError::InvalidVoiceMessage(
                50159,
                "Voice messages must have a single audio attachment.",
            ));
        }
    }
    .to_owned();
    if file.duration_secs.is_none() || file.waveform.is_none() {
        return Err(ChatError::InvalidVoiceMessage(
            50160,
            "Voice messages must have supporting metadata.",
        ));
    }
    Ok(())
}
