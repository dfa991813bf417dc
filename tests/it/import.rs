//! `spot import discord` on exports written in DiscordChatExporter's exact JSON (made here from a small
//! description): a channel in a category with downloaded assets and a thread of it, then checked through the
//! Discord API as a bot would read it — original times and edits, authors as imported people with their names
//! and pictures, replies, pins, reactions (with a reactor the export only counted), mentions and custom emoji
//! pointing at what they became, files downloadable and missing ones kept as links. Then: the same export as a
//! .zip is a no-op, a dry run writes nothing, claiming a person moves their history to an account, and each bad
//! input (a file cut short, the wrong format, an unknown message type, a path out of the export, a "PNG" that is
//! not one) fails as described while the rest is kept.

use std::io::{Cursor, Write};
use std::path::Path;

use reqwest::Method;
use serde_json::{Value, json};

use crate::support::{ADMIN, ADMIN_PASSWORD, Browser, Instance, create_user, status_and_code};

fn png(w: u32, h: u32, rgb: [u8; 3]) -> Vec<u8> {
    let mut out = Vec::new();
    image::DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(
        w,
        h,
        image::Rgba([rgb[0], rgb[1], rgb[2], 255]),
    ))
    .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
    .unwrap();
    out
}

fn author(id: &str, name: &str, nickname: &str, avatar: &str, bot: bool) -> Value {
    json!({"id": id, "name": name, "discriminator": "1234", "nickname": nickname, "color": "#FF0000",
           "isBot": bot, "roles": [], "avatarUrl": avatar})
}

fn message(id: &str, kind: &str, time: &str, content: &str, by: Value) -> Value {
    json!({"id": id, "type": kind, "timestamp": time, "timestampEdited": null, "callEndedTimestamp": null,
           "isPinned": false, "content": content, "author": by, "attachments": [], "components": [], "embeds": [],
           "stickers": [], "reactions": [], "mentions": [], "inlineEmojis": []})
}

fn export(channel: Value, messages: Vec<Value>) -> String {
    let count = messages.len();
    serde_json::to_string_pretty(&json!({
        "guild": {"id": "500", "name": "Old Place", "iconUrl": "https://cdn.discordapp.com/icons/500/x.png"},
        "channel": channel,
        "dateRange": {"after": null, "before": null},
        "exportedAt": "2024-05-01T10:00:00.000+00:00",
        "messages": messages,
        "messageCount": count,
    }))
    .unwrap()
}

/// The export folder: `old-general.json` with its `old-general.json_Files/` assets, and `thread.json`.
fn write_export(dir: &Path) {
    let files = dir.join("old-general.json_Files");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::write(files.join("avatar-alex.png"), png(64, 64, [200, 30, 30])).unwrap();
    std::fs::write(files.join("cat.png"), png(40, 30, [10, 200, 10])).unwrap();
    std::fs::write(files.join("party.png"), png(64, 64, [250, 200, 0])).unwrap();
    std::fs::write(files.join("fake.png"), b"I am a text file wearing a png name").unwrap();
    let alex = author("2001", "alex", "Alex", "old-general.json_Files/avatar-alex.png", false);
    let bea = author(
        "2002",
        "bea",
        "Bea",
        "https://cdn.discordapp.com/avatars/2002/b.png",
        false,
    );
    let robot = author("2003", "ci-bot", "", "", true);
    let channel = json!({"id": "1000", "type": "GuildTextChat", "categoryId": "900", "category": "Archive",
                         "name": "old-general", "topic": "from Discord"});
    let mut first = message(
        "3001",
        "Default",
        "2020-03-13T17:52:31.123+00:00",
        "hello <@2002>",
        alex.clone(),
    );
    first["timestampEdited"] = json!("2020-03-13T18:00:00.000+00:00");
    first["isPinned"] = json!(true);
    first["mentions"] = json!([bea.clone()]);
    first["attachments"] = json!([
        {"id": "4001", "url": "old-general.json_Files/cat.png", "fileName": "cat.png", "fileSizeBytes": 100},
        {"id": "4002", "url": "https://cdn.discordapp.com/attachments/1000/4002/notes.txt", "fileName": "notes.txt", "fileSizeBytes": 5}
    ]);
    first["reactions"] = json!([{"emoji": {"id": "", "name": "👍", "code": "thumbsup", "isAnimated": false, "imageUrl": ""},
                                 "count": 2, "users": [bea.clone()]}]);
    let mut reply = message(
        "3002",
        "Reply",
        "2020-03-13T17:55:00.000+00:00",
        "<:party:7007> yes",
        bea.clone(),
    );
    reply["reference"] = json!({"type": "Default", "messageId": "3001", "channelId": "1000", "guildId": "500"});
    let party = json!({"id": "7007", "name": "party", "code": "party", "isAnimated": false,
                       "imageUrl": "old-general.json_Files/party.png"});
    reply["inlineEmojis"] = json!([party.clone()]);
    reply["reactions"] = json!([{"emoji": party, "count": 1, "users": [alex.clone()]}]);
    let unknown = message(
        "3003",
        "SomethingNew",
        "2020-03-13T17:56:00.000+00:00",
        "???",
        alex.clone(),
    );
    let mut escape = message("3004", "Default", "2020-03-13T17:57:00.000+00:00", "look", alex.clone());
    escape["attachments"] =
        json!([{"id": "4003", "url": "../../../../etc/passwd", "fileName": "passwd", "fileSizeBytes": 1}]);
    let mut fake = message(
        "3005",
        "Default",
        "2020-03-13T17:58:00.000+00:00",
        "a picture?",
        bea.clone(),
    );
    fake["attachments"] =
        json!([{"id": "4004", "url": "old-general.json_Files/fake.png", "fileName": "fake.png", "fileSizeBytes": 35}]);
    let mut bot = message("3006", "Default", "2020-03-13T17:59:00.000+00:00", "", robot);
    bot["embeds"] = json!([{"title": "Build passed", "url": "https://ci.example/1", "timestamp": null, "description": "all green",
                            "color": "#00FF00", "images": [], "fields": [], "inlineEmojis": []}]);
    std::fs::write(
        dir.join("old-general.json"),
        export(channel, vec![first, reply, unknown, escape, fake, bot]),
    )
    .unwrap();
    let thread = json!({"id": "1100", "type": "GuildPublicThread", "categoryId": "1000", "category": "old-general",
                        "name": "plans", "topic": null});
    std::fs::write(
        dir.join("thread.json"),
        export(
            thread,
            vec![
                message(
                    "3101",
                    "Default",
                    "2020-03-14T09:00:00.000+00:00",
                    "shall we move?",
                    alex,
                ),
                message("3102", "Default", "2020-03-14T09:01:00.000+00:00", "yes, to spot", bea),
            ],
        ),
    )
    .unwrap();
}

fn zip_of(dir: &Path, to: &Path) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for entry in walk(dir) {
        let name = entry.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
        zip.start_file(format!("export/{name}"), options).unwrap();
        zip.write_all(&std::fs::read(&entry).unwrap()).unwrap();
    }
    zip.finish().unwrap();
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn import(instance: &Instance, args: &[&str]) -> (bool, String, String) {
    let mut all = vec!["import", "discord"];
    all.extend(args);
    let output = instance.run(&all);
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

async fn get(who: &mut Browser, path: &str) -> Value {
    let (status, body) = status_and_code(who.api(Method::GET, path, None).await).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

#[tokio::test]
async fn a_discord_export_comes_in_as_it_was() {
    let instance = Instance::new("[api]\nroute_limit = 100000\nglobal_per_second = 100000\n");
    let exported = instance.dir.path().join("export");
    write_export(&exported);

    // A dry run reports and writes nothing.
    let (ok, out, err) = import(&instance, &["--dry-run", exported.to_str().unwrap()]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("would import 7 messages"), "{out}");
    assert!(out.contains("3 channels and threads"), "{out}");

    let (ok, out, err) = import(&instance, &[exported.to_str().unwrap()]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("imported 7 messages (0 already there), 3 channels and threads"),
        "{out}"
    );
    assert!(
        out.contains("unknown message type `SomethingNew`"),
        "named in the report: {out}"
    );
    assert!(
        out.contains("old-general.json: message #3 (3003)"),
        "the file and message are named: {out}"
    );
    assert!(out.contains("leads outside the export"), "{out}");
    assert!(err.contains("messages read in"), "{err}");

    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let (guild, _) = admin.home().await;
    let channels = get(&mut admin, &format!("/guilds/{guild}/channels")).await;
    let find = |name: &str| {
        channels
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .cloned()
            .unwrap_or(Value::Null)
    };
    let archive = find("Archive");
    let general = find("old-general");
    assert_eq!(archive["type"], 4);
    assert_eq!(general["parent_id"], archive["id"]);
    assert_eq!(general["topic"], "from Discord");
    let general_id = general["id"].as_str().unwrap().to_owned();

    let mut page = get(&mut admin, &format!("/channels/{general_id}/messages?limit=50"))
        .await
        .as_array()
        .unwrap()
        .clone();
    page.reverse();
    let contents: Vec<&str> = page.iter().map(|m| m["content"].as_str().unwrap()).collect();
    assert_eq!(page.len(), 5, "{contents:?}");
    let first = &page[0];
    assert_eq!(first["timestamp"], "2020-03-13T17:52:31.123000+00:00");
    assert_eq!(first["edited_timestamp"], "2020-03-13T18:00:00.000000+00:00");
    assert_eq!(first["author"]["global_name"], "Alex");
    assert_eq!(first["author"]["imported"], true);
    assert!(first["author"]["avatar"].is_string(), "the export's picture: {first}");
    let avatar = format!(
        "{}/avatars/{}/{}.png",
        server.base,
        first["author"]["id"].as_str().unwrap(),
        first["author"]["avatar"].as_str().unwrap()
    );
    assert_eq!(reqwest::get(&avatar).await.unwrap().status(), 200);
    assert!(first["pinned"].as_bool().unwrap());
    let bea = first["mentions"][0]["id"].as_str().unwrap().to_owned();
    assert!(
        first["content"]
            .as_str()
            .unwrap()
            .starts_with(&format!("hello <@{bea}>")),
        "{first}"
    );
    assert!(
        first["content"]
            .as_str()
            .unwrap()
            .contains("https://cdn.discordapp.com/attachments/1000/4002/notes.txt")
    );
    let cat = &first["attachments"][0];
    assert_eq!(
        (cat["filename"].clone(), cat["width"].clone()),
        (json!("cat.png"), json!(40))
    );
    let downloaded = reqwest::get(cat["url"].as_str().unwrap())
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(
        downloaded.to_vec(),
        png(40, 30, [10, 200, 10]),
        "the file downloads as it was"
    );
    assert_eq!(
        first["reactions"][0]["count"], 2,
        "a counted reactor the export did not list stands in"
    );
    let reply = &page[1];
    assert_eq!(reply["type"], 19);
    assert_eq!(reply["message_reference"]["message_id"], first["id"]);
    assert_eq!(reply["author"]["id"], bea.as_str());
    let party = reply["reactions"][0]["emoji"].clone();
    assert_eq!(party["name"], "party");
    assert!(
        reply["content"]
            .as_str()
            .unwrap()
            .starts_with(&format!("<:party:{}>", party["id"].as_str().unwrap()))
    );
    assert_eq!(
        reqwest::get(format!("{}/emojis/{}.png", server.base, party["id"].as_str().unwrap()))
            .await
            .unwrap()
            .status(),
        200
    );
    let escaped = &page[2];
    assert_eq!(escaped["attachments"], json!([]), "nothing outside the export was read");
    let fake = &page[3];
    assert_eq!(
        fake["attachments"][0]["content_type"], "application/octet-stream",
        "not a picture by its bytes"
    );
    let bot = &page[4];
    assert_eq!(bot["author"]["bot"], true);
    assert_eq!(bot["embeds"][0]["title"], "Build passed");
    assert_eq!(bot["embeds"][0]["color"], 0x00FF00);
    let pins = get(&mut admin, &format!("/channels/{general_id}/pins")).await;
    assert_eq!(pins[0]["id"], first["id"]);

    // The thread sits in its parent.
    let thread = find("plans");
    let thread = if thread.is_null() {
        let active = get(&mut admin, &format!("/guilds/{guild}/threads/active")).await;
        active["threads"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == "plans")
            .cloned()
            .unwrap()
    } else {
        thread
    };
    assert_eq!(thread["parent_id"], general_id.as_str());
    let in_thread = get(
        &mut admin,
        &format!("/channels/{}/messages", thread["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(in_thread[0]["content"], "yes, to spot");
    // Imported messages are found by search (indexed in bulk, batch by batch).
    let found = get(
        &mut admin,
        &format!("/guilds/{guild}/messages/search?content=shall%20we"),
    )
    .await;
    assert_eq!(found["total_results"], 1, "{found}");
    server.stop();

    // The same export as a zip: nothing new. A file cut short and one of the wrong format fail by name; the
    // good file beside them still comes in.
    let zip = instance.dir.path().join("export.zip");
    zip_of(&exported, &zip);
    let (ok, out, err) = import(&instance, &[zip.to_str().unwrap()]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("imported 0 messages (7 already there), 0 channels"),
        "{out}"
    );
    let bad = instance.dir.path().join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    let text = std::fs::read_to_string(exported.join("thread.json")).unwrap();
    let more = text
        .replace("\"1100\"", "\"1200\"")
        .replace("plans", "later")
        .replace("\"3101\"", "\"3201\"")
        .replace("\"3102\"", "\"3202\"");
    std::fs::write(bad.join("a-cut.json"), &more[..more.len() * 2 / 3]).unwrap();
    std::fs::write(bad.join("b-wrong.json"), r#"[{"tweet": "not an export"}]"#).unwrap();
    std::fs::write(
        bad.join("c-good.json"),
        more.replace("\"1200\"", "\"1300\"")
            .replace("\"3201\"", "\"3301\"")
            .replace("\"3202\"", "\"3302\"")
            .replace("later", "good"),
    )
    .unwrap();
    let (ok, out, err) = import(&instance, &[bad.to_str().unwrap()]);
    assert!(!ok, "a failed file fails the command");
    assert!(
        out.contains("FAILED") && out.contains("a-cut.json") && out.contains("b-wrong.json"),
        "{out}"
    );
    assert!(err.contains("could not be read to the end"), "{err}");
    assert!(
        out.contains("imported 3 messages"),
        "the cut file's first message and the good file's two: {out}"
    );

    // Claiming: alex's history becomes an account's.
    create_user(&instance, "alex_here", "alex password 1", false);
    let people = instance.run(&["import", "people"]);
    let listed = String::from_utf8_lossy(&people.stdout).into_owned();
    assert!(listed.contains("alex#1234 (Alex)"), "{listed}");
    let claimed = instance.run(&["import", "claim", "alex#1234", "alex_here"]);
    assert!(claimed.status.success(), "{}", String::from_utf8_lossy(&claimed.stderr));
    let server = instance.serve();
    let mut alex = server.browser();
    assert_eq!(alex.login("alex_here", "alex password 1").await.status(), 303);
    let me = get(&mut alex, "/users/@me").await;
    let page = get(&mut alex, &format!("/channels/{general_id}/messages?limit=50")).await;
    let oldest = page.as_array().unwrap().last().unwrap();
    assert_eq!(oldest["author"]["id"], me["id"], "{oldest}");
    assert_eq!(
        oldest["content"].as_str().unwrap().split('\n').next().unwrap(),
        format!("hello <@{bea}>")
    );
    // Imported people cannot log in.
    let mut ghost = server.browser();
    assert_ne!(ghost.login("imported-2002", "").await.status(), 303);
}

/// The admin panel's way: upload the export as a .zip, watch it run, read the report; then an invite made for
/// an imported person gives whoever signs up with it that person's history.
#[tokio::test]
async fn the_admin_panel_imports_and_invites_carry_claims() {
    let instance = Instance::new("[api]\nroute_limit = 100000\nglobal_per_second = 100000\n");
    let exported = instance.dir.path().join("export");
    write_export(&exported);
    let zip = instance.dir.path().join("export.zip");
    zip_of(&exported, &zip);
    let server = instance.serve();
    let mut admin = server.browser();
    assert_eq!(admin.login(ADMIN, ADMIN_PASSWORD).await.status(), 303);
    let token = admin.csrf();
    let form = reqwest::multipart::Form::new().part(
        "export",
        reqwest::multipart::Part::bytes(std::fs::read(&zip).unwrap()).file_name("export.zip"),
    );
    let response = admin
        .send(Method::POST, &format!("/admin/import?csrf_token={token}"), |r| {
            r.multipart(form)
        })
        .await;
    assert_eq!(response.status(), 303, "{}", response.text().await.unwrap());
    let mut page = String::new();
    for _ in 0..600 {
        page = admin.get("/admin/import").await.text().await.unwrap();
        if page.contains("import-report") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let status = page
        .find("import-status")
        .map_or("", |at| &page[at..(at + 1500).min(page.len())]);
    assert!(page.contains("imported 7 messages"), "{status}");
    assert!(page.contains("bea#1234"), "the people are listed: {page}");

    // An invite for bea: signing up with it takes her history.
    let button = page
        .find("Invite for bea#1234")
        .unwrap_or_else(|| panic!("no invite for bea: {page}"));
    let form = page[..button].rfind("/admin/import/people/").unwrap() + "/admin/import/people/".len();
    let bea_id: String = page[form..].chars().take_while(|c| c.is_ascii_digit()).collect();
    let response = admin
        .submit(&format!("/admin/import/people/{bea_id}/invite"), &[])
        .await;
    assert_eq!(response.status(), 303);
    let page = admin
        .get(response.headers()["location"].to_str().unwrap())
        .await
        .text()
        .await
        .unwrap();
    let link_start = page.find("/invite/").unwrap();
    let code: String = page[link_start + "/invite/".len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let mut newcomer = server.browser();
    let invite_page = newcomer.get(&format!("/invite/{code}")).await.text().await.unwrap();
    assert!(
        invite_page.contains("the person who was <strong>bea#1234</strong>"),
        "{invite_page}"
    );
    let response = newcomer
        .submit(
            &format!("/invite/{code}"),
            &[
                ("username", "bea_again"),
                ("password", "bea password 1"),
                ("password_confirm", "bea password 1"),
            ],
        )
        .await;
    assert_eq!(response.status(), 303);
    let me = get(&mut newcomer, "/users/@me").await;
    let (guild, _) = newcomer.home().await;
    let channels = get(&mut newcomer, &format!("/guilds/{guild}/channels")).await;
    let general = channels
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "old-general")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let page = get(&mut newcomer, &format!("/channels/{general}/messages?limit=50")).await;
    let reply = page.as_array().unwrap().iter().find(|m| m["type"] == 19).unwrap();
    assert_eq!(reply["author"]["id"], me["id"], "bea's reply is now the newcomer's");
    let audit = admin.get("/admin/audit").await.text().await.unwrap();
    assert!(audit.contains("import.discord"), "{audit}");
}

/// The imported history in Chromium (`tests/web/import.spec.mjs`), on a desktop and a 390 px phone.
#[tokio::test]
async fn imported_history_reads_as_it_was_in_chromium() {
    let instance = Instance::new("");
    let exported = instance.dir.path().join("export");
    write_export(&exported);
    let (ok, out, err) = import(&instance, &[exported.to_str().unwrap()]);
    assert!(ok, "{out}{err}");
    let server = instance.serve();
    let artifacts = crate::support::repo_root().join("target/web-artifacts");
    std::fs::create_dir_all(&artifacts).unwrap();
    let mut command = std::process::Command::new("node");
    command
        .arg(crate::support::repo_root().join("tests/web/import.spec.mjs"))
        .env("SPOT_URL", &server.base)
        .env("SPOT_CHROMIUM", "/usr/bin/chromium")
        .env("SPOT_ARTIFACTS", &artifacts)
        .env("NODE_PATH", crate::support::repo_root().join("web/node_modules"));
    let mut browser = crate::support::BotProcess::start(command);
    for step in ["desktop", "phone", "done"] {
        assert_eq!(
            browser.expect(step, std::time::Duration::from_secs(90)),
            json!(true),
            "step {step}"
        );
    }
    assert!(
        browser.wait(std::time::Duration::from_secs(30)),
        "the browser script failed"
    );
    server.stop();
}
