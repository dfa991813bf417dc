//! Mentions in message text (`<@id>`, `<@!id>`, `<@&id>`, `@everyone`, `@here`) filtered by Discord's
//! `allowed_mentions`.

use serde::Deserialize;

use crate::store::Snowflake;

/// Discord's `allowed_mentions` object.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AllowedMentions {
    /// Which kinds are parsed from the text: "users", "roles", "everyone".
    pub parse: Option<Vec<String>>,
    /// Users that may be mentioned.
    #[serde(default, deserialize_with = "super::ids::deserialize_vec")]
    pub users: Vec<Snowflake>,
    /// Roles that may be mentioned.
    #[serde(default, deserialize_with = "super::ids::deserialize_vec")]
    pub roles: Vec<Snowflake>,
    /// Whether the replied-to author is mentioned.
    pub replied_user: Option<bool>,
}

/// Mentions found in a message.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mentions {
    /// Mentioned users.
    pub users: Vec<Snowflake>,
    /// Mentioned roles.
    pub roles: Vec<Snowflake>,
    /// `@everyone` or `@here`.
    pub everyone: bool,
}

/// Finds mentions in `content`, keeping only what `allowed` permits (all kinds when `allowed` is `None`).
/// `can_mention_everyone` is the MENTION_EVERYONE permission.
pub fn parse(content: &str, allowed: Option<&AllowedMentions>, can_mention_everyone: bool) -> Mentions {
    let mut found = Mentions::default();
    let mut rest = content;
    while let Some(start) = rest.find("<@") {
        rest = &rest[start + 2..];
        let (is_role, body) = match rest.strip_prefix('&') {
            Some(body) => (true, body),
            None => (false, rest.strip_prefix('!').unwrap_or(rest)),
        };
        let Some(end) = body.find('>') else { break };
        if let Ok(id) = body[..end].parse::<Snowflake>() {
            let list = if is_role { &mut found.roles } else { &mut found.users };
            if !list.contains(&id) {
                list.push(id);
            }
        }
    }
    found.everyone = can_mention_everyone && (content.contains("@everyone") || content.contains("@here"));
    if let Some(allowed) = allowed {
        let parse = allowed.parse.clone().unwrap_or_default();
        let has = |kind: &str| parse.iter().any(|p| p == kind);
        if !has("users") {
            found.users.retain(|id| allowed.users.contains(id));
        }
        if !has("roles") {
            found.roles.retain(|id| allowed.roles.contains(id));
        }
        found.everyone &= has("everyone");
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_filters() {
        let text = "hi <@123456789012345678> and <@!223456789012345678>, <@&323456789012345678> @everyone <@nope>";
        let all = parse(text, None, true);
        assert_eq!(all.users, vec![123456789012345678, 223456789012345678]);
        assert_eq!(all.roles, vec![323456789012345678]);
        assert!(all.everyone);
        assert!(!parse(text, None, false).everyone);
        let only_one = AllowedMentions {
            parse: Some(vec![]),
            users: vec![223456789012345678],
            ..Default::default()
        };
        let some = parse(text, Some(&only_one), true);
        assert_eq!(some.users, vec![223456789012345678]);
        assert!(some.roles.is_empty() && !some.everyone);
    }
}
