//! `oidc.password_login = false`: single sign-on is the only way in on the web. The login and invite pages show
//! only the providers' buttons; password logins and password sign-ups are refused with a clear message even when
//! posted by hand; the CLI still sets passwords (for recovery, once the switch is turned back on).

use reqwest::StatusCode;

use super::free_port;
use crate::support::{ADMIN, ADMIN_PASSWORD, Instance};

#[tokio::test]
async fn password_login_can_be_turned_off() {
    // A provider that is never contacted here (nothing listens on its port).
    let oidc = format!(
        "[oidc]\npassword_login = false\n[oidc.providers.home]\nissuer = \"http://127.0.0.1:{}/\"\n\
         client_id = \"spot\"\nclient_secret = \"s\"\nlabel = \"Home IdP\"\n",
        free_port()
    );
    let instance = Instance::new(&oidc);
    let server = instance.serve();
    let mut browser = server.browser();
    let page = browser.get("/login").await.text().await.unwrap();
    assert!(page.contains("Sign in with Home IdP"), "{page}");
    assert!(
        !page.contains("name=\"password\""),
        "the password form is hidden: {page}"
    );

    let refused = browser.login(ADMIN, ADMIN_PASSWORD).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(
        refused
            .text()
            .await
            .unwrap()
            .contains("Password login is turned off here")
    );
    assert_eq!(browser.me().await.0, 401);

    let code = instance.invite(&[]);
    let page = browser.get(&format!("/invite/{code}")).await.text().await.unwrap();
    assert!(
        page.contains("Sign in with Home IdP") && !page.contains("name=\"password\""),
        "{page}"
    );
    let signup = browser
        .submit(
            &format!("/invite/{code}"),
            &[
                ("username", "sneaky"),
                ("password", "a long password"),
                ("password_confirm", "a long password"),
            ],
        )
        .await;
    assert_eq!(signup.status(), StatusCode::FORBIDDEN);
    // The provider is down: a clear page, not a 500.
    let down = browser.submit("/auth/oidc/home/start", &[]).await;
    assert_eq!(down.status(), StatusCode::BAD_GATEWAY);
    assert!(down.text().await.unwrap().contains("Home IdP could not be reached"));
    // A provider that does not exist.
    assert_eq!(
        browser.submit("/auth/oidc/nope/start", &[]).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        browser.get("/auth/oidc/nope/callback?state=x&code=y").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        browser.get("/auth/oidc/home/callback").await.status(),
        StatusCode::BAD_REQUEST
    );
    server.stop();

    // The CLI still works on accounts.
    let file = instance.dir.path().join("new-password");
    std::fs::write(&file, "recovered password\n").unwrap();
    let output = instance.run(&["user", "passwd", ADMIN, "--password-file", file.to_str().unwrap()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let list = String::from_utf8(instance.run(&["user", "list"]).stdout).unwrap();
    assert!(!list.contains("sneaky"), "{list}");
}
