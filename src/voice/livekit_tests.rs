//! LiveKit tokens checked with livekit-api's own verifier: claims, grants, expiry, and a wrong secret.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use livekit_api::access_token::TokenVerifier;
use sha2::Sha256;

use super::LivekitTokens;
use crate::voice::token::Grants;

const KEY: &str = "spotkey";
const SECRET: &str = "a-livekit-secret-of-at-least-32-chars";

fn tokens() -> LivekitTokens {
    LivekitTokens::new(KEY, SECRET, Duration::from_secs(120))
}

#[test]
fn claims_and_grants_follow_permissions() {
    let everything = Grants {
        audio: true,
        video: true,
    };
    let token = tokens().issue(42, "alice", 777, everything).unwrap();
    let claims = TokenVerifier::with_api_key(KEY, SECRET).verify(&token).unwrap();
    assert_eq!(claims.sub, "42");
    assert_eq!(claims.name, "alice");
    assert_eq!(claims.iss, KEY);
    assert!(claims.video.room_join);
    assert_eq!(claims.video.room, "777");
    assert!(claims.video.can_publish && claims.video.can_subscribe);
    assert_eq!(
        claims.video.can_publish_sources,
        ["microphone", "camera", "screen_share", "screen_share_audio"]
    );
    assert!(!claims.video.room_admin && !claims.video.room_create);
    assert_eq!(claims.exp - claims.nbf, 120, "short expiry from voice.token_ttl");

    let speak_only = tokens()
        .issue(
            42,
            "alice",
            777,
            Grants {
                audio: true,
                video: false,
            },
        )
        .unwrap();
    let claims = TokenVerifier::with_api_key(KEY, SECRET).verify(&speak_only).unwrap();
    assert_eq!(claims.video.can_publish_sources, ["microphone"]);

    let listen_only = tokens()
        .issue(
            42,
            "alice",
            777,
            Grants {
                audio: false,
                video: false,
            },
        )
        .unwrap();
    let claims = TokenVerifier::with_api_key(KEY, SECRET).verify(&listen_only).unwrap();
    assert!(!claims.video.can_publish, "no SPEAK and no STREAM: subscribe only");
    assert!(claims.video.can_publish_sources.is_empty());
    assert!(claims.video.can_subscribe);
}

#[test]
fn wrong_secret_or_key_is_refused() {
    let token = tokens()
        .issue(
            1,
            "bob",
            2,
            Grants {
                audio: true,
                video: false,
            },
        )
        .unwrap();
    assert!(
        TokenVerifier::with_api_key(KEY, "not-the-secret-not-the-secret-xx")
            .verify(&token)
            .is_err()
    );
    assert!(TokenVerifier::with_api_key("otherkey", SECRET).verify(&token).is_err());
    assert!(TokenVerifier::with_api_key(KEY, SECRET).verify("not.a.jwt").is_err());
}

/// Re-signs a token's claims with `exp` and `nbf` moved, as if it had been issued long ago.
fn resigned_with(token: &str, exp: u64, nbf: u64) -> String {
    let (header, rest) = token.split_once('.').unwrap();
    let (body, _) = rest.split_once('.').unwrap();
    let mut claims: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).unwrap()).unwrap();
    claims["exp"] = exp.into();
    claims["nbf"] = nbf.into();
    let body = URL_SAFE_NO_PAD.encode(claims.to_string());
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{header}.{body}").as_bytes());
    let signature = URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes());
    format!("{header}.{body}.{signature}")
}

#[test]
fn expired_tokens_are_refused() {
    let token = tokens()
        .issue(
            1,
            "bob",
            2,
            Grants {
                audio: true,
                video: true,
            },
        )
        .unwrap();
    let verifier = TokenVerifier::with_api_key(KEY, SECRET);
    let claims = verifier.verify(&token).unwrap();
    let nbf = claims.nbf as u64;
    // The same claims, re-signed correctly but an hour older: the verifier refuses them as expired.
    let old = resigned_with(&token, nbf + 120 - 3600, nbf - 3600);
    // The crate's error displays as "failed to encode jwt" for decoding too; the kind is in the Debug form.
    let error = format!("{:?}", verifier.verify(&old).unwrap_err());
    assert!(error.contains("ExpiredSignature"), "{error}");
    // The re-signing itself is sound: unchanged times still verify.
    assert!(verifier.verify(&resigned_with(&token, nbf + 120, nbf)).is_ok());
}
