//! The admin panel, driven with plain HTML forms like a browser without script: only admins get in, every form
//! needs the CSRF token, each action takes effect for real (accounts log in or not, bots' tokens work or not,
//! channels and permissions change what members see, settings change limits at once) and lands in the audit
//! log with who did it.

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{ADMIN, ADMIN_PASSWORD, Browser, Instance, Server, create_user, status_and_code};

async fn admin_browser(server: &Server) -> Browser {
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    admin
}

async fn text(browser: &mut Browser, path: &str) -> (u16, String) {
    let response = browser.get(path).await;
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Submits an admin form and expects the redirect that means success.
async fn ok(browser: &mut Browser, path: &str, fields: &[(&str, &str)]) -> String {
    let response = browser.submit(path, fields).await;
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned());
    let body = response.text().await.unwrap();
    assert_eq!(status, 303, "{path} {fields:?}: {body}");
    location.unwrap()
}

/// The id in the first `action="/admin/<what>/<id>…"` after `marker` in a page.
fn id_after(page: &str, marker: &str, what: &str) -> String {
    let at = page.find(marker).unwrap_or_else(|| panic!("{marker} not in page"));
    let prefix = format!("action=\"/admin/{what}/");
    let start = page[at..].find(&prefix).unwrap() + at + prefix.len();
    page[start..].chars().take_while(char::is_ascii_digit).collect()
}

#[tokio::test]
async fn only_admins_get_into_the_panel() {
    let instance = Instance::new("");
    create_user(&instance, "mia", "member password", false);
    let server = instance.serve();

    let mut stranger = server.browser();
    let response = stranger.get("/admin/users").await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/login");

    let mut mia = server.browser();
    assert_eq!(mia.login("mia", "member password").await.status(), 303);
    for path in [
        "/admin/users",
        "/admin/invites",
        "/admin/channels",
        "/admin/roles",
        "/admin/bots",
        "/admin/settings",
        "/admin/audit",
    ] {
        assert_eq!(mia.get(path).await.status(), 403, "{path}");
    }
    let response = mia
        .submit(
            "/admin/users",
            &[("username", "sneaky"), ("password", "long enough pw")],
        )
        .await;
    assert_eq!(response.status(), 403);

    let mut admin = admin_browser(&server).await;
    let (status, page) = text(&mut admin, "/admin/users").await;
    assert_eq!(status, 200);
    assert!(page.contains("mia") && page.contains("Create an account"));
    let response = admin.get("/admin/users").await;
    assert_eq!(response.headers()["cache-control"], "no-store");
    // Without the CSRF token, nothing happens.
    let response = admin
        .post_form(
            "/admin/users",
            &[("username", "forged"), ("password", "long enough pw")],
        )
        .await;
    assert_eq!(response.status(), 403);
    let (_, page) = text(&mut admin, "/admin/users").await;
    assert!(!page.contains("forged"));
    assert_eq!(stranger.login("sneaky", "long enough pw").await.status(), 401);
    // What the operator did on the command line is in the audit log too.
    let (_, audit) = text(&mut admin, "/admin/audit").await;
    assert!(
        audit.contains("<td>command line</td><td><code>user.create</code></td><td>mia</td>"),
        "{audit}"
    );
}

#[tokio::test]
async fn admins_manage_accounts_invites_and_bots() {
    let instance = Instance::new("");
    let server = instance.serve();
    let mut admin = admin_browser(&server).await;

    // An account the admin creates can log in; bad input is shown on the page, not a 500.
    ok(
        &mut admin,
        "/admin/users",
        &[("username", "ben"), ("password", "ben's password")],
    )
    .await;
    let mut ben = server.browser();
    assert_eq!(ben.login("ben", "ben's password").await.status(), 303);
    let response = admin
        .submit("/admin/users", &[("username", "ben"), ("password", "another password")])
        .await;
    assert_eq!(response.status(), 400);
    assert!(response.text().await.unwrap().contains("taken"));
    let response = admin
        .submit("/admin/users", &[("username", "cleo"), ("password", "short")])
        .await;
    assert_eq!(response.status(), 400);

    // Resetting the password ends Ben's sessions; the new one works.
    let (_, page) = text(&mut admin, "/admin/users").await;
    let ben_id = id_after(&page, "<strong>ben</strong>", "users");
    let path = format!("/admin/users/{ben_id}");
    ok(
        &mut admin,
        &path,
        &[("action", "password"), ("password", "a new password")],
    )
    .await;
    assert_eq!(ben.me().await.0, 401);
    let mut ben = server.browser();
    assert_eq!(ben.login("ben", "ben's password").await.status(), 401);
    assert_eq!(ben.login("ben", "a new password").await.status(), 303);

    // Promoted, Ben gets into the panel; demoted, not.
    ok(&mut admin, &path, &[("action", "promote")]).await;
    assert_eq!(ben.get("/admin/users").await.status(), 200);
    ok(&mut admin, &path, &[("action", "demote")]).await;
    assert_eq!(ben.get("/admin/users").await.status(), 403);

    // Disabled, Ben is out at once and cannot log in; enabled, he can again.
    ok(&mut admin, &path, &[("action", "disable")]).await;
    assert_eq!(ben.me().await.0, 401);
    assert_eq!(server.browser().login("ben", "a new password").await.status(), 401);
    ok(&mut admin, &path, &[("action", "enable")]).await;
    assert_eq!(server.browser().login("ben", "a new password").await.status(), 303);
    // Admins cannot lock themselves out.
    let (_, page) = text(&mut admin, "/admin/users").await;
    assert!(page.contains(">you<"));

    // Invites: created with uses and expiry, usable, then revoked.
    ok(&mut admin, "/admin/invites", &[("max_uses", "2"), ("expires", "86400")]).await;
    let (_, page) = text(&mut admin, "/admin/invites").await;
    let start = page.find("/invite/").expect("an invite link");
    let code: String = page[start + 8..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    assert!(page.contains("0 of 2"));
    assert_eq!(server.browser().get(&format!("/invite/{code}")).await.status(), 200);
    ok(&mut admin, &format!("/admin/invites/{code}/revoke"), &[]).await;
    assert_eq!(server.browser().get(&format!("/invite/{code}")).await.status(), 410);

    // Bots: the token is shown once and works; a new token replaces it at once.
    let response = admin.submit("/admin/bots", &[("name", "helper")]).await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    let token = secret(&page);
    let mut bot = Browser::new(&server.base).with_header("authorization", &format!("Bot {token}"));
    assert_eq!(bot.me().await.0, 200);
    let (_, listing) = text(&mut admin, "/admin/bots").await;
    assert!(!listing.contains(&token), "the token is shown only once");
    let bot_id = id_after(&listing, "<strong>helper</strong>", "bots");
    let response = admin.submit(&format!("/admin/bots/{bot_id}/rotate"), &[]).await;
    let rotated = secret(&response.text().await.unwrap());
    assert_ne!(rotated, token);
    assert_eq!(bot.me().await.0, 401);
    let mut bot = Browser::new(&server.base).with_header("authorization", &format!("Bot {rotated}"));
    assert_eq!(bot.me().await.0, 200);

    // Everything above is in the audit log, with who did it.
    let (_, audit) = text(&mut admin, "/admin/audit").await;
    for action in [
        "user.create",
        "user.password",
        "user.promote",
        "user.demote",
        "user.disable",
        "user.enable",
        "invite.create",
        "invite.revoke",
        "bot.create",
        "bot.rotate",
    ] {
        assert!(
            audit.contains(&format!("<code>{action}</code>")),
            "{action} missing from the audit log"
        );
    }
    assert!(audit.contains(&format!("<td>{ADMIN}</td>")));
}

fn secret(page: &str) -> String {
    let start = page.find("<code class=\"secret\">").expect("a token on the page") + "<code class=\"secret\">".len();
    page[start..].split('<').next().unwrap().to_owned()
}

#[tokio::test]
async fn admins_shape_channels_roles_and_permissions() {
    let instance = Instance::new("");
    create_user(&instance, "mia", "member password", false);
    let server = instance.serve();
    let mut admin = admin_browser(&server).await;
    let mut mia = server.browser();
    assert_eq!(mia.login("mia", "member password").await.status(), 303);
    let (guild, _) = mia.home().await;
    let channels_of = |list: &Value| -> Vec<(String, Option<String>, i64)> {
        let mut all: Vec<_> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["name"].as_str().unwrap().to_owned(),
                    c["parent_id"].as_str().map(str::to_owned),
                    c["position"].as_i64().unwrap(),
                )
            })
            .collect();
        all.sort_by_key(|c| c.2);
        all
    };

    ok(
        &mut admin,
        "/admin/channels",
        &[("name", "Games"), ("kind", "4"), ("parent", "")],
    )
    .await;
    let (_, page) = text(&mut admin, "/admin/channels").await;
    let category = id_after(&page, "value=\"Games\"", "channels");
    ok(
        &mut admin,
        "/admin/channels",
        &[("name", "minecraft"), ("kind", "0"), ("parent", &category)],
    )
    .await;
    ok(
        &mut admin,
        "/admin/channels",
        &[("name", "chess"), ("kind", "0"), ("parent", &category)],
    )
    .await;
    let list: Value = mia
        .api(Method::GET, &format!("/guilds/{guild}/channels"), None)
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<_> = channels_of(&list)
        .into_iter()
        .filter(|c| c.1.as_deref() == Some(category.as_str()))
        .map(|c| c.0)
        .collect();
    assert_eq!(names, ["minecraft", "chess"]);

    // Rename and reorder.
    let (_, page) = text(&mut admin, "/admin/channels").await;
    let chess = id_after(&page, "value=\"chess\"", "channels");
    ok(
        &mut admin,
        &format!("/admin/channels/{chess}"),
        &[("action", "rename"), ("name", "chess-club")],
    )
    .await;
    ok(&mut admin, &format!("/admin/channels/{chess}"), &[("action", "up")]).await;
    let list: Value = mia
        .api(Method::GET, &format!("/guilds/{guild}/channels"), None)
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<_> = channels_of(&list)
        .into_iter()
        .filter(|c| c.1.as_deref() == Some(category.as_str()))
        .map(|c| c.0)
        .collect();
    assert_eq!(names, ["chess-club", "minecraft"]);
    let response = admin
        .submit(
            &format!("/admin/channels/{chess}"),
            &[("action", "rename"), ("name", "")],
        )
        .await;
    assert_eq!(response.status(), 400, "an empty name is refused on the page");

    // Deny @everyone the view of #chess-club: Mia can no longer read it; allow it again: she can.
    let view = (1u64 << 10).to_string();
    let field = format!("p{view}");
    ok(
        &mut admin,
        &format!("/admin/channels/{chess}/permissions"),
        &[("role", &guild), (&field, "deny")],
    )
    .await;
    let (status, body) =
        status_and_code(mia.api(Method::GET, &format!("/channels/{chess}/messages"), None).await).await;
    assert_eq!((status, body["code"].as_u64()), (403, Some(50001)));
    ok(
        &mut admin,
        &format!("/admin/channels/{chess}/permissions"),
        &[("role", &guild), (&field, "inherit")],
    )
    .await;
    assert_eq!(
        mia.api(Method::GET, &format!("/channels/{chess}/messages"), None)
            .await
            .status(),
        200
    );

    // A role that may manage messages.
    let location = ok(&mut admin, "/admin/roles", &[("name", "Moderators")]).await;
    let role: String = location["/admin/roles?edit=".len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let (_, page) = text(&mut admin, &location).await;
    assert!(
        page.contains("Role created.") && page.contains("Edit Moderators"),
        "{page}"
    );
    let manage = (1u64 << 13).to_string();
    let view_all = (1u64 << 10).to_string();
    ok(
        &mut admin,
        &format!("/admin/roles/{role}"),
        &[
            ("action", "save"),
            ("name", "Mods"),
            ("color", "#ff8800"),
            ("perm", &manage),
            ("perm", &view_all),
        ],
    )
    .await;
    let roles: Value = mia
        .api(Method::GET, &format!("/guilds/{guild}/roles"), None)
        .await
        .json()
        .await
        .unwrap();
    let mods = roles
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Mods")
        .expect("the role");
    assert_eq!(mods["permissions"], ((1u64 << 13) | (1u64 << 10)).to_string());
    assert_eq!(mods["color"], 0xff8800);
    // Saving @everyone from the panel keeps the bits the panel does not show.
    let everyone_before = roles
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == guild.as_str())
        .unwrap()["permissions"]
        .as_str()
        .unwrap()
        .parse::<u64>()
        .unwrap();
    let keep: Vec<String> = (0..52)
        .map(|b| 1u64 << b)
        .filter(|b| everyone_before & b != 0)
        .map(|b| b.to_string())
        .collect();
    let mut fields: Vec<(&str, &str)> = vec![("action", "save"), ("name", "@everyone"), ("color", "#000000")];
    fields.extend(keep.iter().map(|b| ("perm", b.as_str())));
    ok(&mut admin, &format!("/admin/roles/{guild}"), &fields).await;
    let roles: Value = mia
        .api(Method::GET, &format!("/guilds/{guild}/roles"), None)
        .await
        .json()
        .await
        .unwrap();
    let everyone_after = roles
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == guild.as_str())
        .unwrap()["permissions"]
        .as_str()
        .unwrap()
        .parse::<u64>()
        .unwrap();
    assert_eq!(everyone_after, everyone_before);
    ok(&mut admin, &format!("/admin/roles/{role}"), &[("action", "delete")]).await;

    // Delete a channel.
    ok(&mut admin, &format!("/admin/channels/{chess}"), &[("action", "delete")]).await;
    assert_eq!(
        mia.api(Method::GET, &format!("/channels/{chess}"), None).await.status(),
        404
    );

    let (_, audit) = text(&mut admin, "/admin/audit").await;
    for action in [
        "channel.create",
        "channel.rename",
        "channel.move",
        "channel.permissions",
        "role.create",
        "role.update",
        "role.delete",
        "channel.delete",
    ] {
        assert!(
            audit.contains(&format!("<code>{action}</code>")),
            "{action} missing from the audit log"
        );
    }
}

#[tokio::test]
async fn instance_settings_apply_at_once() {
    let instance = Instance::new("");
    let code = instance.invite(&[]);
    let server = instance.serve();
    let mut admin = admin_browser(&server).await;
    let (guild, general) = admin.home().await;
    let settings = [
        ("instance_name", "Friends"),
        ("upload_mb", "1"),
        ("route_limit", "3"),
        ("global_per_second", "50"),
        ("registration", "closed"),
    ];
    ok(&mut admin, "/admin/settings", &settings).await;

    // The name is on the login page and the space is renamed.
    let (_, login) = text(&mut server.browser(), "/login").await;
    assert!(login.contains("Friends"));
    let guild_json: Value = admin
        .api(Method::GET, &format!("/guilds/{guild}"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(guild_json["name"], "Friends");

    // Registration closed: invite links stop working and no new ones can be made.
    let (status, page) = text(&mut server.browser(), &format!("/invite/{code}")).await;
    assert_eq!(status, 403);
    assert!(page.contains("Sign-up is closed"));
    let response = admin
        .submit("/admin/invites", &[("max_uses", "1"), ("expires", "3600")])
        .await;
    assert_eq!(response.status(), 400);

    // Uploads over 1 MB are refused; under it they work.
    let upload = |size: usize| {
        reqwest::multipart::Form::new()
            .text("payload_json", json!({"content": "file"}).to_string())
            .part(
                "files[0]",
                reqwest::multipart::Part::bytes(vec![b'x'; size]).file_name("a.bin"),
            )
    };
    let messages = format!("/api/v10/channels/{general}/messages");
    let token = admin.csrf();
    let small = admin
        .send(Method::POST, &messages, |r| {
            r.header("x-csrf-token", &token).multipart(upload(512 * 1024))
        })
        .await;
    assert_eq!(small.status(), 200);
    // The server answers 413 as soon as it sees the length, and reads the rest so the client sees the status.
    let cookie = format!("spot_session={}", admin.cookies["spot_session"]);
    // Its own client: the connection the server gave up on must not go back into the browser's pool.
    let big = reqwest::Client::new()
        .post(format!("{}{messages}", server.base))
        .header("cookie", cookie)
        .header("x-csrf-token", &token)
        .multipart(upload(1536 * 1024))
        .send()
        .await;
    assert_eq!(big.expect("a 413, not a broken pipe").status(), 413);
    let latest: Value = admin
        .api(Method::GET, &format!("/channels/{general}/messages?limit=1"), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        latest[0]["attachments"][0]["size"],
        512 * 1024,
        "the big file was not stored"
    );

    // The route limit is now 3 per window: the 4th read of one route in a row is limited.
    let path = format!("/channels/{general}");
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(admin.api(Method::GET, &path, None).await.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 429]);

    // The settings survive a restart (they are stored), and reset brings spot.toml's values back.
    server.stop();
    let server = instance.serve();
    let (_, login) = text(&mut server.browser(), "/login").await;
    assert!(login.contains("Friends"));
    let mut admin = admin_browser(&server).await;
    ok(&mut admin, "/admin/settings/reset", &[]).await;
    assert_eq!(server.browser().get(&format!("/invite/{code}")).await.status(), 200);

    // The icon: a real PNG is accepted and served; anything else is refused.
    let token = admin.csrf();
    let png = crate::fixture::png(32, 32);
    let form = reqwest::multipart::Form::new().text("action", "upload").part(
        "icon",
        reqwest::multipart::Part::bytes(png.clone()).file_name("icon.png"),
    );
    let response = admin
        .send(Method::POST, &format!("/admin/settings/icon?csrf_token={token}"), |r| {
            r.multipart(form)
        })
        .await;
    assert_eq!(response.status(), 303);
    let guild_json: Value = admin
        .api(Method::GET, &format!("/guilds/{guild}"), None)
        .await
        .json()
        .await
        .unwrap();
    let hash = guild_json["icon"].as_str().expect("an icon hash").to_owned();
    let icon = server.browser().get(&format!("/icons/{guild}/{hash}.png")).await;
    assert_eq!(icon.headers()["content-type"], "image/png");
    assert_eq!(&icon.bytes().await.unwrap()[..], &png[..]);
    let form = reqwest::multipart::Form::new().part(
        "icon",
        reqwest::multipart::Part::bytes(b"<svg onload=alert(1)>".to_vec()).file_name("x.png"),
    );
    let response = admin
        .send(Method::POST, &format!("/admin/settings/icon?csrf_token={token}"), |r| {
            r.multipart(form)
        })
        .await;
    assert_eq!(response.status(), 400);
    let form = reqwest::multipart::Form::new().part("icon", reqwest::multipart::Part::bytes(png).file_name("i.png"));
    let response = admin
        .send(Method::POST, "/admin/settings/icon", |r| r.multipart(form))
        .await;
    assert_eq!(response.status(), 403, "the icon form needs the CSRF token too");

    let (_, audit) = text(&mut admin, "/admin/audit").await;
    for action in ["settings.update", "settings.reset", "settings.icon"] {
        assert!(
            audit.contains(&format!("<code>{action}</code>")),
            "{action} missing from the audit log"
        );
    }
}
