//! The web client's TypeScript types are generated from the wire structs: this test writes nothing unless asked
//! (`SPOT_WRITE_WIRE_TS=1 cargo test --lib wire::typescript`), and fails when `web/src/api/wire.ts` is stale.

use ts_rs::{Config, TS};

use super::channel::{Overwrite, ThreadMetadata};
use super::embed::{EmbedAuthor, EmbedField, EmbedFooter, EmbedMedia, EmbedProvider};
use super::gateway::DedupedPrivateChannel;
use super::message::{Attachment, MessageReference, Reaction, ReactionCountDetails};
use super::user::RoleColors;
use super::*;

fn generated() -> String {
    let cfg = Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from the wire structs in src/wire/ by `SPOT_WRITE_WIRE_TS=1 cargo test --lib wire::typescript`.\n\
         // Do not edit: a unit test fails when this file and the structs disagree. The fields are documented there.\n",
    );
    let decls = [
        Id::decl(&cfg),
        User::decl(&cfg),
        CurrentUser::decl(&cfg),
        MemberInfo::decl(&cfg),
        Member::decl(&cfg),
        RoleColors::decl(&cfg),
        Role::decl(&cfg),
        Overwrite::decl(&cfg),
        ThreadMetadata::decl(&cfg),
        Channel::decl(&cfg),
        PrivateChannel::decl(&cfg),
        ChannelRecipient::decl(&cfg),
        Relationship::decl(&cfg),
        RelationshipRemove::decl(&cfg),
        UserSettings::decl(&cfg),
        Call::decl(&cfg),
        CallDelete::decl(&cfg),
        Attachment::decl(&cfg),
        EmbedMedia::decl(&cfg),
        EmbedFooter::decl(&cfg),
        EmbedAuthor::decl(&cfg),
        EmbedProvider::decl(&cfg),
        EmbedField::decl(&cfg),
        Embed::decl(&cfg),
        ReactionEmoji::decl(&cfg),
        ReactionCountDetails::decl(&cfg),
        Reaction::decl(&cfg),
        MessageReference::decl(&cfg),
        StickerItem::decl(&cfg),
        Message::decl(&cfg),
        GuildEmoji::decl(&cfg),
        Sticker::decl(&cfg),
        SoundboardSound::decl(&cfg),
        SoundboardSounds::decl(&cfg),
        GuildEmojisUpdate::decl(&cfg),
        GuildStickersUpdate::decl(&cfg),
        SoundboardSoundDelete::decl(&cfg),
        VoiceChannelEffect::decl(&cfg),
        Guild::decl(&cfg),
        UnavailableGuild::decl(&cfg),
        PartialApplication::decl(&cfg),
        ReadStateEntry::decl(&cfg),
        ReadStates::decl(&cfg),
        MuteConfig::decl(&cfg),
        ChannelOverride::decl(&cfg),
        UserGuildSettings::decl(&cfg),
        UserGuildSettingsList::decl(&cfg),
        ReadyPrivateChannel::decl(&cfg),
        DedupedPrivateChannel::decl(&cfg),
        Ready::decl(&cfg),
        PartialUser::decl(&cfg),
        ClientStatus::decl(&cfg),
        Presence::decl(&cfg),
        VoiceState::decl(&cfg),
        VoiceServerUpdate::decl(&cfg),
        GuildCreate::decl(&cfg),
        MessageDelete::decl(&cfg),
        MessageDeleteBulk::decl(&cfg),
        ReactionEvent::decl(&cfg),
        ReactionsCleared::decl(&cfg),
        TypingStart::decl(&cfg),
        ChannelPinsUpdate::decl(&cfg),
        MessageAck::decl(&cfg),
        GuildRoleEvent::decl(&cfg),
        GuildRoleDelete::decl(&cfg),
        GuildMemberRemove::decl(&cfg),
        ThreadMember::decl(&cfg),
        ThreadMembersUpdate::decl(&cfg),
        ThreadCreate::decl(&cfg),
        InviteGuild::decl(&cfg),
        InviteChannel::decl(&cfg),
        Invite::decl(&cfg),
        SearchResults::decl(&cfg),
        PinnedMessage::decl(&cfg),
        Pins::decl(&cfg),
        Application::decl(&cfg),
    ];
    for decl in decls {
        out.push_str("\nexport ");
        out.push_str(&without_doc_comments(&decl));
        out.push('\n');
    }
    out
}

/// The declaration without its field docs: they live on the Rust structs, and repeating them here made the file
/// four times longer than the types.
fn without_doc_comments(decl: &str) -> String {
    let mut out = String::with_capacity(decl.len());
    let mut in_comment = false;
    for line in decl.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("/**") {
            in_comment = !trimmed.ends_with("*/");
            continue;
        }
        if in_comment {
            in_comment = !trimmed.ends_with("*/");
            continue;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.trim_end().to_owned()
}

#[test]
fn web_client_types_are_generated_from_the_wire_structs() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/web/src/api/wire.ts");
    let fresh = generated();
    if std::env::var_os("SPOT_WRITE_WIRE_TS").is_some() {
        std::fs::write(path, &fresh).expect("write wire.ts");
    }
    let current = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        current == fresh,
        "web/src/api/wire.ts is stale: run `SPOT_WRITE_WIRE_TS=1 cargo test --lib wire::typescript`"
    );
}
