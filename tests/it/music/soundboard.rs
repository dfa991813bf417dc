//! The soundboard through the DJ, heard by a real media peer: a member in the Lounge plays a sound; the DJ
//! joins and its audio arrives at her peer for the sound's length (and stops after it), everyone who can see
//! the room gets VOICE_CHANNEL_EFFECT_SEND, a second sound within the cooldown is a 429 with the wait, and
//! someone who is not in the room (or has no USE_SOUNDBOARD) is refused.

use std::time::{Duration, Instant};

use base64::Engine;
use reqwest::Method;
use serde_json::json;

use super::room::DjRoom;
use crate::support::{Instance, create_user, status_and_code};

#[tokio::test]
async fn a_sound_is_played_into_the_room_by_the_dj() {
    let instance = Instance::new("[api]\nroute_limit = 100000\nglobal_per_second = 100000\n");
    create_user(&instance, "mia", "mia password 1", false);
    create_user(&instance, "ned", "ned password 1", false);
    let server = instance.serve();
    let mut room = DjRoom::join(&server, "mia", "mia password 1").await;
    let listener = crate::rtc_peer::RtcPeer::join(
        room.voice["endpoint"].as_str().unwrap(),
        room.voice["token"].as_str().unwrap(),
        Instant::now(),
    )
    .await;
    let wav = crate::expressions::wav(1.0, 880.0);
    let uri = format!(
        "data:audio/wav;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(&wav)
    );
    let (status, sound) = status_and_code(
        room.member
            .api(
                Method::POST,
                &format!("/guilds/{}/soundboard-sounds", room.guild),
                Some(json!({"name": "airhorn", "sound": uri, "emoji_name": "📯"})),
            )
            .await,
    )
    .await;
    assert_eq!(status, 201, "{sound}");
    let play = json!({"sound_id": sound["sound_id"]});
    let path = format!("/channels/{}/send-soundboard-sound", room.lounge);

    // Someone not in the room may not play into it.
    let mut ned = server.browser();
    assert_eq!(ned.login("ned", "ned password 1").await.status(), 303);
    let (status, error) = status_and_code(ned.api(Method::POST, &path, Some(play.clone())).await).await;
    assert_eq!((status, error["code"].clone()), (403, json!(50013)), "{error}");

    let (status, _) = status_and_code(room.member.api(Method::POST, &path, Some(play.clone())).await).await;
    assert_eq!(status, 204);
    let effect = room.gw.dispatch("VOICE_CHANNEL_EFFECT_SEND").await["d"].clone();
    assert_eq!(effect["sound_id"], sound["sound_id"]);
    assert_eq!(effect["channel_id"], room.lounge.as_str());
    assert_eq!(effect["emoji"]["name"], "📯");

    // Within the cooldown: a 429 with the wait, as libraries expect.
    let response = room.member.api(Method::POST, &path, Some(play.clone())).await;
    assert_eq!(response.status(), 429);
    let body: serde_json::Value = response.json().await.unwrap();
    assert!(body["retry_after"].as_f64().unwrap() > 0.0, "{body}");

    // Mia's peer hears the DJ for about the sound's length (50 packets a second), then silence.
    let heard_from_dj = |log: &crate::rtc_peer::PeerLog| {
        log.received_from
            .iter()
            .filter(|(user, _)| user.as_str() != effect["user_id"].as_str().unwrap())
            .map(|(_, n)| *n)
            .sum::<u64>()
    };
    assert!(
        listener
            .wait_for(Duration::from_secs(15), |log| heard_from_dj(log) >= 45)
            .await,
        "never heard the sound: {:?}",
        listener.log()
    );
    tokio::time::sleep(Duration::from_millis(800)).await;
    let after = heard_from_dj(&listener.log());
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        heard_from_dj(&listener.log()) - after <= 3,
        "the DJ is silent after the sound"
    );
    assert!(after <= 60, "{after} packets for a one-second sound");

    // After the cooldown, again.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let (status, _) = status_and_code(room.member.api(Method::POST, &path, Some(play)).await).await;
    assert_eq!(status, 204);
    assert!(
        listener
            .wait_for(Duration::from_secs(10), |log| heard_from_dj(log) >= after + 40)
            .await,
        "the second sound was not heard"
    );
}
