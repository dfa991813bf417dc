//! The happy paths, in headless Chromium against oidc-provider: sign-in with an account created on the
//! provider's policy, admins from a group, refusals for unverified or foreign email domains, RP-initiated
//! logout; and under `link-only`: linking from settings, signing up through an invite, unlinking.

use serde_json::json;

use super::{IDP, LABEL, RealProvider, browse, browser_with, free_port, signed_in, spot_on, steps};
use crate::support::{ADMIN, ADMIN_PASSWORD};

fn click_provider() -> serde_json::Value {
    json!([{"goto": "/login"}, {"click": format!("button:has-text('Sign in with {LABEL}')")}])
}

#[tokio::test]
async fn auto_create_admin_groups_email_rules_and_single_logout() {
    let port = free_port();
    let idp = RealProvider::start(&format!("http://127.0.0.1:{port}"));
    let policy =
        "policy = \"auto-create\"\nallowed_email_domains = [\"example.org\"]\nadmin_groups = [\"spot-admins\"]\n";
    let (instance, server) = spot_on(port, &idp.config(policy));

    // Carol (in spot-admins) clicks the button, signs in at the provider, consents, and is back, signed in.
    let then = json!([
        {"wait_url": format!("^{}/$", server.base)},
        {"wait_for": ".composer textarea"},
        {"report": "home"},
        {"cookies": "cookies"},
        {"goto": "/admin/users"},
        {"report": "admin_page"},
        {"goto": "/"},
        {"click": "button[aria-label='User settings']"},
        {"click": "button:has-text('Log out')"},
        // (The client first drops its push subscription and cached data, then submits the form.)
        {"wait_for": "#provider-logout"},
        {"report": "logged_out"},
        {"click": "#provider-logout"},
        {"click": "button[autofocus]"},
        {"wait_url": "/login$"},
        {"report": "after_single_logout"},
    ]);
    let reports = browse(&server.base, steps(click_provider(), "carol", then));
    let home = &reports["home"];
    assert_eq!(home["status"], 200, "{home}");
    assert!(home["text"].as_str().unwrap().contains("carol"), "{home}");
    assert_eq!(
        reports["admin_page"]["status"], 200,
        "carol is an admin through her group"
    );
    let mut carol = browser_with(&server, &reports["cookies"]);
    assert_eq!(
        signed_in(&mut carol).await.as_deref(),
        None,
        "logging out ended the session on the server"
    );
    let out = reports["logged_out"]["text"].as_str().unwrap();
    assert!(out.contains("Also sign out of Test IdP"), "{out}");
    assert!(
        reports["after_single_logout"]["url"]
            .as_str()
            .unwrap()
            .starts_with(&server.base),
        "the provider sent the browser back to spot's login page: {:?}",
        reports["after_single_logout"]
    );

    // The session the browser held was a real one: take its cookie before logging out.
    let reports = browse(
        &server.base,
        steps(click_provider(), "carol", json!([{"cookies": "cookies"}])),
    );
    let mut carol = browser_with(&server, &reports["cookies"]);
    assert_eq!(
        signed_in(&mut carol).await.as_deref(),
        Some("carol"),
        "the same account, not a new one"
    );

    // Dave's address is not verified; Bob's is in another domain: no account, no session.
    for (user, why) in [
        ("dave", "has not verified your email"),
        ("bob", "only created for some email domains"),
    ] {
        let reports = browse(
            &server.base,
            steps(
                click_provider(),
                user,
                json!([{"report": "page"}, {"cookies": "cookies"}]),
            ),
        );
        let page = &reports["page"];
        assert_eq!(page["status"], 403, "{page}");
        assert!(page["text"].as_str().unwrap().contains(why), "{page}");
        assert!(reports["cookies"].get("spot_session").is_none(), "{user} got a session");
    }
    server.stop();
    let list = String::from_utf8(instance.run(&["user", "list"]).stdout).unwrap();
    assert!(
        list.lines()
            .any(|l| l.contains(" carol ") && l.contains(" yes ") && l.contains("idp (carol@example.org)")),
        "{list}"
    );
    assert!(!list.contains("dave") && !list.contains(" bob "), "{list}");
    assert_eq!(list.lines().count(), 3, "a header, admin and carol: {list}");
}

#[tokio::test]
async fn link_only_links_from_settings_signs_up_through_invites_and_unlinks() {
    let port = free_port();
    let idp = RealProvider::start(&format!("http://127.0.0.1:{port}"));
    let (instance, server) = spot_on(port, &idp.config("admin_groups = [\"spot-admins\"]\n"));

    // Alice has no linked account: refused, with the way forward.
    let reports = browse(
        &server.base,
        steps(click_provider(), "alice", json!([{"report": "page"}, {"cookies": "c"}])),
    );
    assert_eq!(reports["page"]["status"], 403);
    assert!(
        reports["page"]["text"]
            .as_str()
            .unwrap()
            .contains("No account here is linked"),
        "{:?}",
        reports["page"]
    );
    assert!(reports["c"].get("spot_session").is_none());

    // The admin links Alice's identity from the settings page, logs out, and signs in with the provider.
    let start = json!([
        {"goto": "/login"},
        {"fill": ["input[name=username]", ADMIN]},
        {"fill": ["input[name=password]", ADMIN_PASSWORD]},
        {"click": "button:has-text('Log in')"},
        {"click": "button[aria-label='User settings']"},
        {"click": "text=Single sign-on settings"},
        {"click": format!("button:has-text('Link {LABEL}')")},
    ]);
    let then = json!([
        {"wait_url": "/settings/sso"},
        {"report": "linked"},
        {"goto": "/"},
        {"click": "button[aria-label='User settings']"},
        {"click": "button:has-text('Log out')"},
        // (The client drops its push subscription and cached data first, then submits: wait for that.)
        {"wait_url": "/log(out|in)$"},
        {"goto": "/login"},
        {"click": format!("button:has-text('Sign in with {LABEL}')")},
        {"wait_url": format!("^{}/$", server.base)},
        {"wait_for": ".composer textarea"},
        {"report": "home"},
        {"goto": "/admin/users"},
        {"report": "admin_page"},
    ]);
    let reports = browse(&server.base, steps(start, "alice", then));
    let linked = reports["linked"]["text"].as_str().unwrap();
    assert!(
        linked.contains("Linked.") && linked.contains("linked as alice@example.org"),
        "{linked}"
    );
    let home = reports["home"]["text"].as_str().unwrap();
    assert!(home.contains(ADMIN), "{home}");
    assert_eq!(reports["admin_page"]["status"], 200);

    // An invite taken through the provider: Erin prefers the name `admin`, which is taken, so she is admin2;
    // she is in no admin group.
    let code = instance.invite(&[]);
    let start =
        json!([{"goto": format!("/invite/{code}")}, {"click": format!("button:has-text('Sign in with {LABEL}')")}]);
    let then = json!([
        {"wait_url": "/$"},
        {"wait_for": ".composer textarea"},
        {"report": "home"},
        {"cookies": "erin"},
        {"goto": "/admin/users"},
        {"report": "admin_page"},
    ]);
    let reports = browse(&server.base, steps(start, "erin", then));
    let home = reports["home"]["text"].as_str().unwrap();
    assert!(home.contains("admin2"), "{home}");
    assert_eq!(reports["admin_page"]["status"], 403, "erin is in no admin group");
    // Erin's account has no password: unlinking its only way in is refused.
    let mut erin = browser_with(&server, &reports["erin"]);
    assert_eq!(erin.get("/settings/sso").await.status(), 200);
    let refused = erin.submit(&format!("/settings/sso/{IDP}/unlink"), &[]).await;
    assert_eq!(refused.status(), 409);
    assert!(refused.text().await.unwrap().contains("only way into your account"));
    // The invite was single-use.
    let mut stranger = server.browser();
    assert_eq!(stranger.get(&format!("/invite/{code}")).await.status(), 410);

    // An invite for Carol, who is in spot-admins: her new account is an admin's.
    let code = instance.invite(&[]);
    let start =
        json!([{"goto": format!("/invite/{code}")}, {"click": format!("button:has-text('Sign in with {LABEL}')")}]);
    let reports = browse(
        &server.base,
        steps(
            start,
            "carol",
            json!([{"wait_url": "/$"}, {"wait_for": ".composer textarea"},
        {"report": "home"}, {"goto": "/admin/users"}, {"report": "admin_page"}]),
        ),
    );
    assert!(
        reports["home"]["text"].as_str().unwrap().contains("carol"),
        "{:?}",
        reports["home"]
    );
    assert_eq!(reports["admin_page"]["status"], 200, "her new account is an admin's");

    // The admin unlinks Alice's identity (the account still has its password); Alice is refused again.
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    assert!(
        admin
            .get("/settings/sso")
            .await
            .text()
            .await
            .unwrap()
            .contains("linked as alice@example.org")
    );
    // Admins see every account's links in the panel.
    let panel = admin.get("/admin/users").await.text().await.unwrap();
    assert!(panel.contains(&format!("{IDP} (alice@example.org)")), "{panel}");
    let unlinked = admin.submit(&format!("/settings/sso/{IDP}/unlink"), &[]).await;
    assert_eq!(unlinked.headers()["location"], "/settings/sso?unlinked=1");
    let reports = browse(
        &server.base,
        steps(click_provider(), "alice", json!([{"report": "page"}])),
    );
    assert_eq!(reports["page"]["status"], 403);

    let list = String::from_utf8(instance.run(&["user", "list"]).stdout).unwrap();
    assert!(
        list.lines()
            .any(|l| l.contains(" admin2 ") && l.contains("idp (erin@example.org)")),
        "{list}"
    );
    server.stop();
}
