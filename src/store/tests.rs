//! Store unit tests against a real SQLite file in a temporary directory.

use super::*;

fn new_user(name: &str) -> NewUser {
    NewUser {
        username: name.to_owned(),
        password_hash: Some("hash".to_owned()),
        is_admin: false,
        is_bot: false,
    }
}

async fn open_with_home() -> (tempfile::TempDir, Store, User) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("spot.db")).unwrap();
    let admin = store.user_create(new_user("admin"), 1).await.unwrap();
    store.guild_create_home("home".into(), admin.id, 1).await.unwrap();
    (dir, store, admin)
}

#[tokio::test]
async fn usernames_are_unique_case_insensitively() {
    let (_dir, store, _) = open_with_home().await;
    let err = store.user_create(new_user("ADMIN"), 2).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict("username")), "{err}");
    assert!(store.user_by_name("Admin").await.unwrap().is_some());
}

#[tokio::test]
async fn home_space_has_general_and_lounge_and_members() {
    let (_dir, store, admin) = open_with_home().await;
    let home = store.guild_home().await.unwrap().unwrap();
    let names: Vec<_> = home.channels.iter().map(|c| (c.name.as_str(), c.kind)).collect();
    assert_eq!(names, [("general", ChannelKind::Text), ("Lounge", ChannelKind::Voice)]);
    assert_eq!(home.owner_id, admin.id);
}

#[tokio::test]
async fn single_use_invite_redeems_once() {
    let (_dir, store, admin) = open_with_home().await;
    store
        .invite_create("abc".into(), Some(admin.id), 1, Some(100), 1)
        .await
        .unwrap();
    let first = store.invite_redeem("abc", new_user("ann"), 10).await.unwrap();
    assert!(first.is_ok());
    let second = store.invite_redeem("abc", new_user("bob"), 10).await.unwrap();
    assert_eq!(second.unwrap_err(), InviteStatus::UsedUp);
    assert!(
        store.user_by_name("bob").await.unwrap().is_none(),
        "a refused invite creates no user"
    );
    store.invite_create("late".into(), None, 0, Some(100), 1).await.unwrap();
    assert_eq!(
        store
            .invite_redeem("late", new_user("cy"), 100)
            .await
            .unwrap()
            .unwrap_err(),
        InviteStatus::Expired
    );
    assert!(matches!(
        store.invite_redeem("nope", new_user("dee"), 1).await,
        Err(StoreError::NotFound)
    ));
}

#[tokio::test]
async fn sessions_expire_and_die_with_password_change() {
    let (_dir, store, admin) = open_with_home().await;
    let session = Session {
        token_hash: [7; 32],
        user_id: admin.id,
        created_at: 0,
        last_seen_at: 0,
        expires_at: 50,
        ip: String::new(),
        user_agent: String::new(),
    };
    store.session_create(session.clone()).await.unwrap();
    assert!(store.session_get([7; 32], 49).await.unwrap().is_some());
    assert!(store.session_get([7; 32], 50).await.unwrap().is_none());
    store.user_set_password(admin.id, "new".into()).await.unwrap();
    assert!(store.session_get([7; 32], 1).await.unwrap().is_none());
}

#[tokio::test]
async fn closed_store_refuses_writes() {
    let (_dir, store, _) = open_with_home().await;
    store.close();
    assert!(matches!(
        store.user_create(new_user("late"), 1).await,
        Err(StoreError::Closed)
    ));
}

#[tokio::test]
async fn concurrent_writes_share_commits_but_fail_alone() {
    let (_dir, store, _) = open_with_home().await;
    // Many writes at once end up in shared transactions; the duplicates fail without taking the others down.
    let mut tasks = Vec::new();
    for i in 0..60 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store.user_create(new_user(&format!("user{}", i % 40)), 5).await
        }));
    }
    let mut created = 0;
    let mut conflicts = 0;
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => created += 1,
            Err(StoreError::Conflict("username")) => conflicts += 1,
            Err(other) => panic!("unexpected error: {other}"),
        }
    }
    assert_eq!((created, conflicts), (40, 20));
    assert_eq!(
        store.users_list().await.unwrap().len(),
        41,
        "every successful write is stored"
    );
}

fn identity(subject: &str) -> Identity {
    Identity {
        issuer: "https://idp.example".to_owned(),
        subject: subject.to_owned(),
        user_id: 0,
        email: Some(format!("{subject}@example.org")),
        admin_granted: false,
        linked_at: 5,
        last_login_at: None,
    }
}

fn sign_in(user_id: Snowflake, byte: u8, admin: Option<bool>) -> IdentitySignIn {
    IdentitySignIn {
        email: None,
        admin,
        provider: "idp".to_owned(),
        session: Session {
            token_hash: [byte; 32],
            user_id,
            created_at: 20,
            last_seen_at: 20,
            expires_at: 1_000,
            ip: "127.0.0.1".to_owned(),
            user_agent: String::new(),
        },
    }
}

#[tokio::test]
async fn identities_create_accounts_atomically_with_invites() {
    let (_dir, store, admin) = open_with_home().await;
    store
        .invite_create("inv".into(), Some(admin.id), 1, None, 1)
        .await
        .unwrap();
    let user = store
        .identity_create_user(new_user("ann"), identity("a"), Some("inv".into()), 10)
        .await
        .unwrap()
        .unwrap();
    let (linked, account) = store.identity_get("https://idp.example", "a").await.unwrap().unwrap();
    assert_eq!((linked.user_id, account.id), (user.id, user.id));
    // The invite is used up: a second identity cannot come in on it, and nothing is created.
    let refused = store
        .identity_create_user(new_user("bob"), identity("b"), Some("inv".into()), 10)
        .await
        .unwrap();
    assert_eq!(refused.unwrap_err(), InviteStatus::UsedUp);
    assert!(store.user_by_name("bob").await.unwrap().is_none());
    // A taken username or a linked identity rolls the whole account back.
    let taken = store
        .identity_create_user(new_user("carl"), identity("a"), None, 10)
        .await;
    assert!(matches!(taken, Err(StoreError::Conflict("identity"))), "{taken:?}");
    assert!(store.user_by_name("carl").await.unwrap().is_none());
    // One identity per issuer per account.
    let mut second = identity("other");
    second.user_id = user.id;
    assert!(matches!(
        store.identity_link(second).await,
        Err(StoreError::Conflict("identity"))
    ));
}

#[tokio::test]
async fn signing_in_syncs_admin_rights_it_granted_and_records_the_provider() {
    let (_dir, store, admin) = open_with_home().await;
    let user = store
        .identity_create_user(new_user("ann"), identity("a"), None, 10)
        .await
        .unwrap()
        .unwrap();
    let after = store
        .identity_sign_in("https://idp.example", "a", sign_in(user.id, 1, Some(true)))
        .await;
    assert!(after.unwrap().unwrap().is_admin);
    assert_eq!(store.session_provider([1; 32]).await.unwrap().as_deref(), Some("idp"));
    let after = store
        .identity_sign_in("https://idp.example", "a", sign_in(user.id, 2, Some(false)))
        .await;
    assert!(
        !after.unwrap().unwrap().is_admin,
        "the group made them admin, so leaving it ends that"
    );
    // An admin made elsewhere (the CLI) keeps the rights when the provider says no group.
    store.user_set_admin(admin.id, true).await.unwrap();
    let mut theirs = identity("root");
    theirs.user_id = admin.id;
    store.identity_link(theirs).await.unwrap();
    let after = store
        .identity_sign_in("https://idp.example", "root", sign_in(admin.id, 3, Some(false)))
        .await;
    assert!(after.unwrap().unwrap().is_admin);
    // A disabled account opens no session.
    store.user_set_disabled(user.id, true).await.unwrap();
    let refused = store
        .identity_sign_in("https://idp.example", "a", sign_in(user.id, 4, None))
        .await;
    assert!(refused.unwrap().is_none());
    assert!(store.session_get([4; 32], 30).await.unwrap().is_none());
    // Ending the session forgets its provider; unlinking removes the identity.
    store.session_delete([3; 32]).await.unwrap();
    assert!(store.session_provider([3; 32]).await.unwrap().is_none());
    assert!(store.identity_unlink(admin.id, "https://idp.example").await.unwrap());
    assert!(
        store
            .identity_get("https://idp.example", "root")
            .await
            .unwrap()
            .is_none()
    );
}
