//! The DJ's slash commands from a person's side: the command index, autocomplete over the library, and
//! answers through the interaction.

use super::{dj_replies, instance_with_a_song};

/// The DJ's slash commands: registered once its account exists, listed in the command index, answered through
/// the interaction (a deferred answer, then its edit) with the same words as the `!` commands, and `/play`
/// suggesting library tracks as you type.
#[tokio::test]
async fn the_dj_answers_slash_commands() {
    use reqwest::Method;
    use serde_json::{Value, json};
    let instance = instance_with_a_song("Sunny Morning", "sunny.flac", 3);
    assert!(instance.run(&["music", "scan"]).status.success());
    crate::support::create_user(&instance, "mia", "mia password 1", false);
    let server = instance.serve();
    let mut mia = server.browser();
    assert_eq!(mia.login("mia", "mia password 1").await.status(), 303);
    let (_, general) = mia.home().await;
    let cookie = format!("spot_session={}", mia.cookies["spot_session"]);
    let mut gw = crate::gw::Gw::connect_with(
        &server,
        "v=10&encoding=json",
        &[("cookie", cookie), ("origin", server.base.clone())],
    )
    .await;
    gw.identify("", (1 << 26) - 1).await;
    // The first `!` command brings the DJ's account, and its slash commands, into the space.
    let help = mia
        .api(
            Method::POST,
            &format!("/channels/{general}/messages"),
            Some(json!({"content": "!help"})),
        )
        .await;
    assert_eq!(help.status(), 200);
    dj_replies(&mut mia, &general, 1).await;
    let mut index = Value::Null;
    for _ in 0..50 {
        index = mia
            .api(
                Method::GET,
                &format!("/channels/{general}/application-command-index"),
                None,
            )
            .await
            .json()
            .await
            .unwrap();
        if index["application_commands"].as_array().is_some_and(|c| c.len() >= 8) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let commands = index["application_commands"].as_array().unwrap().clone();
    let id_of = |name: &str| {
        commands
            .iter()
            .find(|c| c["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {commands:?}"))["id"]
            .clone()
    };
    let app = commands[0]["application_id"].as_str().unwrap().to_owned();
    let invoke = |kind: i64, name: &str, options: Value| {
        json!({"type": kind, "application_id": app, "channel_id": general, "nonce": format!("n-{name}-{kind}"),
            "data": {"id": id_of(name), "name": name, "type": 1, "options": options}})
    };
    // Autocomplete over the library.
    let typed = invoke(
        4,
        "play",
        json!([{"type": 3, "name": "query", "value": "sun", "focused": true}]),
    );
    assert_eq!(mia.api(Method::POST, "/interactions", Some(typed)).await.status(), 204);
    let choices = gw.dispatch("APPLICATION_COMMAND_AUTOCOMPLETE_RESPONSE").await["d"]["choices"].clone();
    assert_eq!(choices[0]["value"], "Sunny Morning", "{choices}");
    // Answers with the `!` commands' words: deferred, then edited.
    for (name, options, expected) in [
        (
            "play",
            json!([{"type": 3, "name": "query", "value": "Sunny Morning"}]),
            "Join a voice room first",
        ),
        (
            "volume",
            json!([{"type": 4, "name": "level", "value": 150}]),
            "needs the **DJ** role",
        ),
    ] {
        assert_eq!(
            mia.api(Method::POST, "/interactions", Some(invoke(2, name, options)))
                .await
                .status(),
            204
        );
        let thinking = gw
            .dispatch_where("MESSAGE_CREATE", |d| d["interaction_metadata"]["name"] == name)
            .await;
        assert_ne!(thinking["flags"].as_i64().unwrap() & 128, 0, "deferred first");
        let id = thinking["id"].clone();
        let answer = gw.dispatch_where("MESSAGE_UPDATE", move |d| d["id"] == id).await;
        assert!(
            answer["content"].as_str().unwrap().contains(expected),
            "/{name}: {answer}"
        );
    }
    server.stop();
}
