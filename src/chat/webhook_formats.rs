//! Bodies other tools send to webhooks, turned into a Discord webhook message: Slack's incoming-webhook format
//! (`text`, `username`, `icon_url`, `attachments` with fields, colours and links) and GitHub's deliveries
//! (`push`, `pull_request`, `issues`, `issue_comment`, `release`, `ping`, branch and tag creation), summarised
//! as Discord summarises them.

use serde_json::{Value, json};

use super::ChatError;
use super::webhooks::ExecuteInput;

/// Slack's `<url|label>` links and `<url>` become Markdown links; `&amp;` and friends are unescaped.
fn slack_text(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let inner = &rest[start + 1..start + end];
        match inner.split_once('|') {
            Some((url, label)) if url.starts_with("http") => out.push_str(&format!("[{label}]({url})")),
            None if inner.starts_with("http") => out.push_str(inner),
            _ => out.push_str(&format!("<{inner}>")),
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

fn slack_color(color: &str) -> Option<i64> {
    match color {
        "good" => Some(0x2eb886),
        "warning" => Some(0xdaa038),
        "danger" => Some(0xa30200),
        hex => i64::from_str_radix(hex.trim_start_matches('#'), 16).ok(),
    }
}

fn text_of(value: &Value, key: &str) -> Option<String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(slack_text)
}

/// A Slack incoming-webhook body.
pub fn from_slack(body: &Value) -> Result<ExecuteInput, ChatError> {
    if !body.is_object() {
        return Err(ChatError::invalid("body", "Must be a Slack message object"));
    }
    let mut embeds = Vec::new();
    for attachment in body
        .get("attachments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .take(10)
    {
        let mut embed = json!({"type": "rich"});
        let set = |embed: &mut Value, key: &str, value: Option<String>, limit: usize| {
            if let Some(value) = value {
                embed[key] = Value::String(value.chars().take(limit).collect());
            }
        };
        set(&mut embed, "title", text_of(attachment, "title"), 256);
        set(
            &mut embed,
            "url",
            text_of(attachment, "title_link").filter(|u| u.starts_with("http")),
            2048,
        );
        let description = [text_of(attachment, "pretext"), text_of(attachment, "text")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join("\n");
        set(
            &mut embed,
            "description",
            Some(description).filter(|d| !d.is_empty()),
            4096,
        );
        if let Some(color) = attachment.get("color").and_then(Value::as_str).and_then(slack_color) {
            embed["color"] = json!(color & 0xff_ffff);
        }
        if let Some(name) = text_of(attachment, "author_name") {
            embed["author"] = json!({"name": name.chars().take(256).collect::<String>()});
        }
        if let Some(footer) = text_of(attachment, "footer") {
            embed["footer"] = json!({"text": footer.chars().take(2048).collect::<String>()});
        }
        let fields: Vec<Value> = attachment
            .get("fields")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .take(25)
            .filter_map(|f| {
                let name = text_of(f, "title")?;
                let value = text_of(f, "value").unwrap_or_else(|| "\u{200b}".to_owned());
                Some(json!({"name": name.chars().take(256).collect::<String>(),
                    "value": value.chars().take(1024).collect::<String>(),
                    "inline": f.get("short").and_then(Value::as_bool).unwrap_or(false)}))
            })
            .collect();
        if !fields.is_empty() {
            embed["fields"] = Value::Array(fields);
        }
        if embed.as_object().is_some_and(|o| o.len() > 1) {
            embeds.push(embed);
        }
    }
    Ok(ExecuteInput {
        content: text_of(body, "text").map(|t| t.chars().take(2000).collect()),
        username: text_of(body, "username"),
        avatar_url: text_of(body, "icon_url"),
        embeds: Some(embeds),
        ..ExecuteInput::default()
    })
}

fn field<'a>(body: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(body, |v, key| &v[*key])
}

fn s(body: &Value, path: &[&str]) -> String {
    field(body, path).as_str().unwrap_or_default().to_owned()
}

/// A GitHub delivery; `None` for events spot does not summarise (accepted and ignored).
pub fn from_github(event: &str, body: &Value) -> Result<Option<ExecuteInput>, ChatError> {
    if !body.is_object() {
        return Err(ChatError::invalid("body", "Must be a GitHub webhook delivery"));
    }
    let repo = s(body, &["repository", "full_name"]);
    let sender = s(body, &["sender", "login"]);
    let (title, url, description, color) = match event {
        "ping" => (
            format!("[{repo}] webhook ready"),
            s(body, &["repository", "html_url"]),
            String::new(),
            0x5865f2,
        ),
        "push" => {
            let branch = s(body, &["ref"]).trim_start_matches("refs/heads/").to_owned();
            let commits = body["commits"].as_array().cloned().unwrap_or_default();
            if commits.is_empty() {
                return Ok(None);
            }
            let lines: Vec<String> = commits
                .iter()
                .take(10)
                .map(|c| {
                    let id: String = s(c, &["id"]).chars().take(7).collect();
                    let message = s(c, &["message"])
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .chars()
                        .take(50)
                        .collect::<String>();
                    format!(
                        "[`{id}`]({}) {message} - {}",
                        s(c, &["url"]),
                        s(c, &["author", "username"])
                    )
                })
                .collect();
            let n = commits.len();
            (
                format!("[{repo}:{branch}] {n} new commit{}", if n == 1 { "" } else { "s" }),
                s(body, &["compare"]),
                lines.join("\n"),
                0x7289da,
            )
        }
        "pull_request" | "issues" => {
            let item = if event == "pull_request" {
                &body["pull_request"]
            } else {
                &body["issue"]
            };
            let action = s(body, &["action"]);
            if !["opened", "closed", "reopened"].contains(&action.as_str()) {
                return Ok(None);
            }
            let merged = item["merged"].as_bool().unwrap_or(false);
            let verb = if merged { "merged".to_owned() } else { action.clone() };
            let kind = if event == "pull_request" {
                "Pull request"
            } else {
                "Issue"
            };
            let body_text: String = s(item, &["body"]).chars().take(500).collect();
            (
                format!("[{repo}] {kind} {verb}: #{} {}", item["number"], s(item, &["title"])),
                s(item, &["html_url"]),
                if action == "opened" { body_text } else { String::new() },
                if action == "closed" { 0x000000 } else { 0x2eb886 },
            )
        }
        "issue_comment" => {
            if s(body, &["action"]) != "created" {
                return Ok(None);
            }
            (
                format!(
                    "[{repo}] New comment on #{}: {}",
                    body["issue"]["number"],
                    s(body, &["issue", "title"])
                ),
                s(body, &["comment", "html_url"]),
                s(body, &["comment", "body"]).chars().take(500).collect(),
                0xe68d60,
            )
        }
        "release" => {
            if s(body, &["action"]) != "published" {
                return Ok(None);
            }
            (
                format!("[{repo}] New release published: {}", s(body, &["release", "tag_name"])),
                s(body, &["release", "html_url"]),
                String::new(),
                0x2eb886,
            )
        }
        "create" => (
            format!("[{repo}] New {} created: {}", s(body, &["ref_type"]), s(body, &["ref"])),
            s(body, &["repository", "html_url"]),
            String::new(),
            0x5865f2,
        ),
        _ => return Ok(None),
    };
    let mut embed = json!({
        "type": "rich",
        "title": title.chars().take(256).collect::<String>(),
        "color": color,
    });
    if url.starts_with("http") {
        embed["url"] = json!(url);
    }
    if !description.is_empty() {
        embed["description"] = json!(description.chars().take(4096).collect::<String>());
    }
    if !sender.is_empty() {
        embed["author"] = json!({"name": sender});
    }
    Ok(Some(ExecuteInput {
        username: Some("GitHub".to_owned()),
        embeds: Some(vec![embed]),
        ..ExecuteInput::default()
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slack_links_and_attachments() {
        assert_eq!(
            slack_text("see <https://x.test/a|the build> &amp; <https://y.test>"),
            "see [the build](https://x.test/a) & https://y.test"
        );
        let input = from_slack(&json!({"text": "deploy done", "attachments": [
            {"color": "good", "title": "prod", "title_link": "https://x.test", "text": "all green",
             "fields": [{"title": "took", "value": "3m", "short": true}]}]}))
        .unwrap();
        assert_eq!(input.content.as_deref(), Some("deploy done"));
        let embed = &input.embeds.unwrap()[0];
        assert_eq!(embed["color"], 0x2eb886);
        assert_eq!(embed["fields"][0]["inline"], true);
        assert!(from_slack(&json!([1])).is_err());
    }

    #[test]
    fn github_push_and_ignored_events() {
        let push = json!({"ref": "refs/heads/main", "compare": "https://github.test/c", "repository": {"full_name": "a/b"},
            "sender": {"login": "al"}, "commits": [{"id": "0123456789", "message": "Fix it\n\nmore", "url": "https://github.test/x", "author": {"username": "al"}}]});
        let input = from_github("push", &push).unwrap().unwrap();
        let embed = &input.embeds.unwrap()[0];
        assert_eq!(embed["title"], "[a/b:main] 1 new commit");
        assert!(
            embed["description"]
                .as_str()
                .unwrap()
                .starts_with("[`0123456`](https://github.test/x) Fix it")
        );
        assert!(from_github("watch", &push).unwrap().is_none());
    }
}
