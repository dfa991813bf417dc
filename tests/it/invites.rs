//! Sign-up through invite links: valid, reused, expired, unknown, and bad input that consumes nothing.

use std::time::Duration;

use crate::support::Instance;

#[tokio::test]
async fn invite_sign_up() {
    let instance = Instance::new("");
    let single = instance.invite(&[]);
    let short_lived = instance.invite(&["--expires", "1s"]);
    let server = instance.serve();

    // Unknown codes.
    assert_eq!(server.browser().get("/invite/doesnotexist").await.status(), 404);

    // A valid invite shows the form; bad input is refused and consumes nothing.
    let mut ann = server.browser();
    let form = ann.get(&format!("/invite/{single}")).await;
    assert_eq!(form.status(), 200);
    assert!(form.text().await.unwrap().contains("Create account"));
    let path = format!("/invite/{single}");
    let mismatch = ann
        .submit(
            &path,
            &[
                ("username", "ann"),
                ("password", "s3cret-enough"),
                ("password_confirm", "different!"),
            ],
        )
        .await;
    assert_eq!(mismatch.status(), 400);
    let short = ann
        .submit(
            &path,
            &[
                ("username", "ann"),
                ("password", "short"),
                ("password_confirm", "short"),
            ],
        )
        .await;
    assert_eq!(short.status(), 400);
    assert!(short.text().await.unwrap().contains("at least 8"));
    let taken = ann
        .submit(
            &path,
            &[
                ("username", "Admin"),
                ("password", "s3cret-enough"),
                ("password_confirm", "s3cret-enough"),
            ],
        )
        .await;
    assert_eq!(taken.status(), 400);
    assert!(taken.text().await.unwrap().contains("taken"));
    let no_token = ann
        .post_form(
            &path,
            &[
                ("username", "ann"),
                ("password", "s3cret-enough"),
                ("password_confirm", "s3cret-enough"),
            ],
        )
        .await;
    assert_eq!(no_token.status(), 403);

    // Valid: account created and logged in.
    let created = ann
        .submit(
            &path,
            &[
                ("username", "Ann"),
                ("password", "s3cret-enough"),
                ("password_confirm", "s3cret-enough"),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let (status, me) = ann.me().await;
    assert_eq!(status, 200);
    assert_eq!(me["username"], "ann");
    let home = ann.get("/").await.text().await.unwrap();
    assert!(home.contains("general"), "the new member sees the home space");

    // Reused: the single-use invite is spent.
    let mut bob = server.browser();
    assert_eq!(bob.get(&path).await.status(), 410);
    bob.get("/login").await;
    let reuse = bob
        .submit(
            &path,
            &[
                ("username", "bob"),
                ("password", "s3cret-enough"),
                ("password_confirm", "s3cret-enough"),
            ],
        )
        .await;
    assert_eq!(reuse.status(), 410);
    assert!(reuse.text().await.unwrap().contains("already been used"));
    assert_eq!(
        bob.login("bob", "s3cret-enough").await.status(),
        401,
        "no account was created"
    );

    // Expired.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let mut cy = server.browser();
    let expired = cy.get(&format!("/invite/{short_lived}")).await;
    assert_eq!(expired.status(), 410);
    assert!(expired.text().await.unwrap().contains("expired"));
    server.stop();

    // The new account is listed by the CLI.
    let list = String::from_utf8(instance.run(&["user", "list"]).stdout).unwrap();
    assert!(list.lines().any(|l| l.contains(" ann ")), "{list}");
}

#[tokio::test]
async fn multi_use_invites_count_uses() {
    let instance = Instance::new("");
    let code = instance.invite(&["--uses", "2", "--expires", "1h"]);
    let server = instance.serve();
    let path = format!("/invite/{code}");
    for (name, expected) in [("first", 303), ("second", 303), ("third", 410)] {
        let mut browser = server.browser();
        browser.get("/login").await;
        let response = browser
            .submit(
                &path,
                &[
                    ("username", name),
                    ("password", "s3cret-enough"),
                    ("password_confirm", "s3cret-enough"),
                ],
            )
            .await;
        assert_eq!(response.status(), expected, "{name}");
    }
    server.stop();
}
