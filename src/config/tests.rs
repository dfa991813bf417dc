//! Unit tests for config loading: precedence, env typing, and one-line errors.

use std::path::Path;

use super::{Config, ConfigError, load_from_str};

const SECRET: &str = "[security]\nsecret = \"0123456789abcdef0123456789abcdef\"\n";

fn load(text: &str, vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    let vars = vars.iter().map(|(k, v)| (k.to_string(), v.to_string()));
    load_from_str(text, Path::new("spot.toml"), Path::new("/srv/spot"), vars)
}

#[test]
fn defaults_file_then_env() {
    let config = load(
        &format!("{SECRET}[server]\nlisten = \"127.0.0.1:9000\"\ninstance_name = \"home\"\n"),
        &[
            ("SPOT_SERVER_INSTANCE_NAME", "friends"),
            ("SPOT_SECURITY_LOGIN_IP_BURST", "3"),
            ("SPOT_SERVER_TRUSTED_PROXIES", "10.0.0.1, 192.168.0.0/16"),
            ("SPOT_FETCH_ALLOWED_PORTS", "8080, 8443"),
            ("SPOT_FETCH_DENY_HOSTS", "tracker.example,ads.example"),
            ("SPOT_CONFIG", "ignored.toml"),
            ("SPOT_TEST_LOG", "1"),
            ("SPOT_TEST_ONLY_UNSAFE_FETCH_LOOPBACK_PORT", "1234"),
            ("PATH", "/bin"),
        ],
    )
    .unwrap();
    assert_eq!(config.server.listen.port(), 9000);
    assert_eq!(config.server.instance_name, "friends");
    assert_eq!(config.security.login_ip_burst, 3);
    assert_eq!(config.server.trusted_proxies.len(), 2);
    assert_eq!(config.fetch.allowed_ports, [8080, 8443]);
    assert_eq!(config.fetch.deny_hosts, ["tracker.example", "ads.example"]);
    assert_eq!(
        config.security.login_user_burst, 5,
        "untouched keys keep their defaults"
    );
    assert_eq!(config.server.data_dir, Path::new("/srv/spot/data"));
}

#[test]
fn unknown_key_names_the_line() {
    let err = load(&format!("{SECRET}[server]\nlisen = \"x\"\n"), &[])
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("spot.toml line 4: unknown field `lisen`"), "{err}");
    assert!(!err.contains('\n'));
}

#[test]
fn bad_values_are_one_line_errors() {
    let err = load(&format!("{SECRET}[server]\nlisten = \"nowhere\"\n"), &[])
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("spot.toml line 4:"), "{err}");
    let err = load(SECRET, &[("SPOT_SECURITY_LOGIN_IP_BURST", "lots")])
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "environment variable SPOT_SECURITY_LOGIN_IP_BURST: `lots` is not a whole number"
    );
    let err = load(SECRET, &[("SPOT_SERVER_NOPE", "1")]).unwrap_err().to_string();
    assert!(
        err.starts_with("environment variable SPOT_SERVER_NOPE: names no configuration key"),
        "{err}"
    );
    let err = load(SECRET, &[("SPOT_SECURITY_SESSION_TTL", "soon")])
        .unwrap_err()
        .to_string();
    assert!(err.contains("not a duration"), "{err}");
    let err = load("", &[]).unwrap_err().to_string();
    assert!(err.starts_with("config key security.secret"), "{err}");
    let err = load(SECRET, &[("SPOT_LOG_FORMAT", "xml")]).unwrap_err().to_string();
    assert!(err.contains("xml"), "{err}");
}

#[test]
fn example_file_documents_every_key_with_its_default() {
    let example = include_str!("../../spot.example.toml");
    let with_secret = example.replace("\nsecret = \"\"", "\nsecret = \"0123456789abcdef0123456789abcdef\"");
    let parsed = load(&with_secret, &[]).expect("spot.example.toml loads");
    let defaults = Config::default();
    let as_table = |config: &Config| toml::Value::try_from(config).unwrap();
    let mut expected = as_table(&defaults);
    expected["security"]["secret"] = toml::Value::String("0123456789abcdef0123456789abcdef".into());
    let mut got = as_table(&parsed);
    // data_dir is resolved against the config's directory when loaded.
    got["server"]["data_dir"] = expected["server"]["data_dir"].clone();
    assert_eq!(got, expected, "spot.example.toml must show every default");
    for (section, keys) in expected.as_table().unwrap() {
        for (key, value) in keys.as_table().unwrap() {
            if value.is_table() {
                continue; // oidc.providers: documented as a commented example, checked below
            }
            assert!(
                example.contains(&format!("\n{key} = ")),
                "spot.example.toml does not document {section}.{key}"
            );
        }
    }
}

#[test]
fn example_file_documents_every_provider_key_with_its_default() {
    let example = include_str!("../../spot.example.toml");
    let defaults = toml::Value::try_from(crate::config::ProviderConfig::default()).unwrap();
    for (key, value) in defaults.as_table().unwrap() {
        // Required keys have no default worth showing; the example gives a sample value instead.
        let line = if key == "issuer" || key == "client_id" {
            format!("\n# {key} = \"")
        } else {
            format!("\n# {key} = {value}\n")
        };
        assert!(
            example.contains(&line),
            "spot.example.toml does not show `{}`",
            line.trim()
        );
    }
}

const PROVIDER: &str = "[oidc.providers.home]\nissuer = \"https://auth.example.org\"\nclient_id = \"spot\"\n";

#[test]
fn providers_from_file_and_environment() {
    let config = load(
        &format!("{SECRET}{PROVIDER}scopes = [\"openid\", \"groups\"]\n"),
        &[
            ("SPOT_OIDC_PROVIDERS_HOME_CLIENT_SECRET", "s3cret"),
            ("SPOT_OIDC_PROVIDERS_HOME_ADMIN_GROUPS", "admins, ops"),
            ("SPOT_OIDC_PROVIDERS_KC_ISSUER", "https://kc.example.org/realms/home"),
            ("SPOT_OIDC_PROVIDERS_KC_CLIENT_ID", "spot"),
            ("SPOT_OIDC_PROVIDERS_KC_CLIENT_SECRET", "other"),
            ("SPOT_OIDC_PROVIDERS_KC_POLICY", "auto-create"),
            ("SPOT_OIDC_PASSWORD_LOGIN", "false"),
        ],
    )
    .unwrap();
    let home = &config.oidc.providers["home"];
    assert_eq!(home.client_secret, "s3cret");
    assert_eq!(home.scopes, ["openid", "groups"]);
    assert_eq!(home.admin_groups, ["admins", "ops"]);
    assert_eq!(home.policy, crate::config::AccountPolicy::LinkOnly);
    let kc = &config.oidc.providers["kc"];
    assert_eq!(kc.policy, crate::config::AccountPolicy::AutoCreate);
    assert_eq!(kc.groups_claim, "groups", "unset provider keys keep their defaults");
    assert!(!config.oidc.password_login);
}

#[test]
fn provider_mistakes_are_one_line_errors() {
    let with = |extra: &str| format!("{SECRET}{PROVIDER}client_secret = \"x\"\n{extra}");
    let cases = [
        (with("policy = \"everyone\"\n"), vec![], "unknown variant `everyone`"),
        (with("allowed_groups = [\"a\"]\n"), vec![], "oidc.providers.home.policy"),
        (
            with("icon = \"https://cdn.example/x.png\"\n"),
            vec![],
            "oidc.providers.home.icon",
        ),
        (
            format!("{SECRET}{PROVIDER}"),
            vec![],
            "oidc.providers.home.client_secret: is required",
        ),
        (
            with(
                "[oidc.providers.two]\nissuer = \"https://auth.example.org/\"\nclient_id = \"b\"\nclient_secret = \"c\"\n",
            ),
            vec![],
            "oidc.providers.two.issuer: is also provider home's",
        ),
        (
            with(""),
            vec![("SPOT_OIDC_PROVIDERS_HOME_ISSUER", "ftp://x")],
            "oidc.providers.home.issuer",
        ),
        (
            with(""),
            vec![("SPOT_OIDC_PROVIDERS_HOME_COLOUR", "red")],
            "SPOT_OIDC_PROVIDERS_HOME_COLOUR",
        ),
        (
            with(""),
            vec![("SPOT_OIDC_PROVIDERS_MY_IDP_ISSUER", "https://a.example")],
            "SPOT_OIDC_PROVIDERS_MY_IDP_ISSUER",
        ),
        (
            SECRET.to_owned(),
            vec![("SPOT_OIDC_PASSWORD_LOGIN", "false")],
            "config key oidc.password_login",
        ),
    ];
    for (text, vars, expected) in cases {
        let err = load(&text, &vars).unwrap_err().to_string();
        assert!(err.contains(expected), "{expected:?} not in {err:?}");
        assert!(!err.contains('\n'), "{err}");
    }
}

#[test]
fn voice_keys_env_and_validation() {
    let config = load(
        SECRET,
        &[
            ("SPOT_VOICE_UDP_PORT", "0"),
            ("SPOT_VOICE_PUBLIC_IP", "203.0.113.7"),
            (
                "SPOT_VOICE_ICE_SERVERS",
                r#"[{ urls = ["turn:turn.example.org:3478"], username = "spot", credential = "pw" }]"#,
            ),
        ],
    )
    .unwrap();
    assert_eq!(config.voice.udp_port, 0);
    assert_eq!(config.voice.backend, crate::config::VoiceBackend::Embedded);
    assert_eq!(config.voice.ice_servers[0].urls, ["turn:turn.example.org:3478"]);
    assert_eq!(config.voice.ice_servers[0].credential, "pw");
    let err = load(SECRET, &[("SPOT_VOICE_PUBLIC_IP", "my-router")])
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("config key voice.public_ip"), "{err}");
    let err = load(&format!("{SECRET}[voice]\nbackend = \"livekit\"\n"), &[])
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("config key voice.livekit_url"), "{err}");
    let livekit = format!(
        "{SECRET}[voice]\nbackend = \"livekit\"\nlivekit_url = \"wss://lk.example.org\"\nlivekit_api_key = \"k\"\n\
         livekit_api_secret = \"0123456789abcdef0123456789abcdef\"\n"
    );
    assert_eq!(
        load(&livekit, &[]).unwrap().voice.backend,
        crate::config::VoiceBackend::Livekit
    );
    let err = load(
        &format!("{SECRET}[voice]\nice_servers = [{{ urls = [\"http://x\"] }}]\n"),
        &[],
    )
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("config key voice.ice_servers"), "{err}");
}
