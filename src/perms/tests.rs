//! The permission calculation against Discord's documented precedence.

use super::*;

fn ctx() -> Context {
    let mut role_permissions = HashMap::new();
    role_permissions.insert(1, bits::DEFAULT_EVERYONE); // @everyone (= guild id)
    role_permissions.insert(10, bits::MANAGE_MESSAGES); // moderators
    role_permissions.insert(20, bits::ADMINISTRATOR);
    Context {
        guild_id: 1,
        owner_id: 99,
        user_id: 5,
        instance_admin: false,
        role_permissions,
        member_roles: vec![],
        overwrites: vec![],
    }
}

#[test]
fn everyone_can_chat_by_default() {
    let perms = compute(&ctx());
    assert!(has(
        perms,
        bits::VIEW_CHANNEL | bits::SEND_MESSAGES | bits::ADD_REACTIONS
    ));
    assert!(!has(perms, bits::MANAGE_MESSAGES));
}

#[test]
fn overwrites_apply_in_order() {
    let mut c = ctx();
    c.member_roles = vec![10];
    // @everyone may not view; the moderators role may; this member is denied sending.
    c.overwrites = vec![
        Overwrite {
            target_id: 1,
            kind: 0,
            allow: 0,
            deny: bits::VIEW_CHANNEL,
        },
        Overwrite {
            target_id: 10,
            kind: 0,
            allow: bits::VIEW_CHANNEL,
            deny: 0,
        },
        Overwrite {
            target_id: 5,
            kind: 1,
            allow: 0,
            deny: bits::SEND_MESSAGES,
        },
    ];
    let perms = compute(&c);
    assert!(has(perms, bits::VIEW_CHANNEL | bits::MANAGE_MESSAGES));
    assert!(!has(perms, bits::SEND_MESSAGES));
    c.member_roles = vec![];
    assert_eq!(compute(&c), 0, "no view, nothing at all");
}

#[test]
fn administrators_and_owners_bypass_overwrites() {
    let mut c = ctx();
    c.overwrites = vec![Overwrite {
        target_id: 1,
        kind: 0,
        allow: 0,
        deny: bits::VIEW_CHANNEL,
    }];
    c.member_roles = vec![20];
    assert_eq!(compute(&c), bits::ALL);
    c.member_roles = vec![];
    c.user_id = 99;
    assert_eq!(compute(&c), bits::ALL);
    c.user_id = 5;
    c.instance_admin = true;
    assert_eq!(compute(&c), bits::ALL);
}
