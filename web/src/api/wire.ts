// Generated from the wire structs in src/wire/ by `SPOT_WRITE_WIRE_TS=1 cargo test --lib wire::typescript`.
// Do not edit: a unit test fails when this file and the structs disagree.

export type Id = string;

export type User = { 
/**
 * Snowflake.
 */
id: Id, 
/**
 * Unique name.
 */
username: string, 
/**
 * Display name.
 */
global_name: string | null, 
/**
 * Always `"0"` (the pomelo scheme).
 */
discriminator: string, 
/**
 * Avatar hash.
 */
avatar: string | null, 
/**
 * A bot account.
 */
bot: boolean, 
/**
 * Never a system user.
 */
system: boolean, 
/**
 * Public badges (none).
 */
public_flags: number, 
/**
 * Flags (none).
 */
flags: number, 
/**
 * Banner hash (none).
 */
banner: null, 
/**
 * Banner colour (none).
 */
accent_color: null, 
/**
 * Avatar decoration (none).
 */
avatar_decoration_data: null, };

export type CurrentUser = { 
/**
 * No second factor.
 */
mfa_enabled: boolean, 
/**
 * Always verified.
 */
verified: boolean, 
/**
 * The locale.
 */
locale: string, 
/**
 * No subscription.
 */
premium_type: number, 
/**
 * spot keeps no e-mail addresses.
 */
email: null, 
/**
 * Snowflake.
 */
id: Id, 
/**
 * Unique name.
 */
username: string, 
/**
 * Display name.
 */
global_name: string | null, 
/**
 * Always `"0"` (the pomelo scheme).
 */
discriminator: string, 
/**
 * Avatar hash.
 */
avatar: string | null, 
/**
 * A bot account.
 */
bot: boolean, 
/**
 * Never a system user.
 */
system: boolean, 
/**
 * Public badges (none).
 */
public_flags: number, 
/**
 * Flags (none).
 */
flags: number, 
/**
 * Banner hash (none).
 */
banner: null, 
/**
 * Banner colour (none).
 */
accent_color: null, 
/**
 * Avatar decoration (none).
 */
avatar_decoration_data: null, };

export type MemberInfo = { 
/**
 * Nickname in the guild.
 */
nick: string | null, 
/**
 * Guild avatar (none).
 */
avatar: null, 
/**
 * Role ids.
 */
roles: Array<Id>, 
/**
 * When they joined (ISO 8601).
 */
joined_at: string, 
/**
 * Boosting (never).
 */
premium_since: null, 
/**
 * Server-deafened.
 */
deaf: boolean, 
/**
 * Server-muted.
 */
mute: boolean, 
/**
 * Member flags.
 */
flags: number, 
/**
 * Membership screening (never pending).
 */
pending: boolean, 
/**
 * Timeout (none).
 */
communication_disabled_until: null, };

export type Member = { 
/**
 * The user.
 */
user: User, 
/**
 * Nickname in the guild.
 */
nick: string | null, 
/**
 * Guild avatar (none).
 */
avatar: null, 
/**
 * Role ids.
 */
roles: Array<Id>, 
/**
 * When they joined (ISO 8601).
 */
joined_at: string, 
/**
 * Boosting (never).
 */
premium_since: null, 
/**
 * Server-deafened.
 */
deaf: boolean, 
/**
 * Server-muted.
 */
mute: boolean, 
/**
 * Member flags.
 */
flags: number, 
/**
 * Membership screening (never pending).
 */
pending: boolean, 
/**
 * Timeout (none).
 */
communication_disabled_until: null, };

export type RoleColors = { 
/**
 * The colour.
 */
primary_color: number, 
/**
 * Second gradient stop (none).
 */
secondary_color: null, 
/**
 * Third gradient stop (none).
 */
tertiary_color: null, };

export type Role = { 
/**
 * Snowflake (the guild's id for `@everyone`).
 */
id: Id, 
/**
 * Name.
 */
name: string, 
/**
 * Colour as an integer (0 = none).
 */
color: number, 
/**
 * Colours.
 */
colors: RoleColors, 
/**
 * Shown separately in the member list.
 */
hoist: boolean, 
/**
 * Icon (none).
 */
icon: null, 
/**
 * Emoji icon (none).
 */
unicode_emoji: null, 
/**
 * Sort order.
 */
position: number, 
/**
 * Permission bits as a decimal string.
 */
permissions: string, 
/**
 * Managed by an integration (never).
 */
managed: boolean, 
/**
 * May be mentioned by anyone.
 */
mentionable: boolean, 
/**
 * Role flags.
 */
flags: number, };

export type Overwrite = { 
/**
 * Role or user id.
 */
id: Id, 
/**
 * 0 role, 1 member.
 */
type: number, 
/**
 * Allowed bits (decimal string).
 */
allow: string, 
/**
 * Denied bits (decimal string).
 */
deny: string, };

export type ThreadMetadata = { 
/**
 * Archived (read-only until unarchived).
 */
archived: boolean, 
/**
 * Minutes of inactivity before archiving.
 */
auto_archive_duration: number, 
/**
 * When the archive state last changed.
 */
archive_timestamp: string, 
/**
 * Only managers may unarchive.
 */
locked: boolean, 
/**
 * Non-moderators may add others (private threads).
 */
invitable: boolean, 
/**
 * When the thread was created.
 */
create_timestamp: string, };

export type Channel = { 
/**
 * Snowflake.
 */
id: Id, 
/**
 * Discord channel type.
 */
type: number, 
/**
 * The guild.
 */
guild_id: Id, 
/**
 * Name.
 */
name: string, 
/**
 * Sort order (not for threads).
 */
position?: number, 
/**
 * Category, or a thread's parent channel.
 */
parent_id: Id | null, 
/**
 * Overwrites (not for threads).
 */
permission_overwrites?: Array<Overwrite>, 
/**
 * Channel flags.
 */
flags: number, 
/**
 * Text channels: topic.
 */
topic?: string | null, 
/**
 * Text and voice channels: age-restricted.
 */
nsfw?: boolean, 
/**
 * Textual channels: newest message.
 */
last_message_id?: Id | null, 
/**
 * Textual channels: slow mode seconds.
 */
rate_limit_per_user?: number, 
/**
 * Text channels: when a message was last pinned.
 */
last_pin_timestamp?: string | null, 
/**
 * Voice channels: bitrate.
 */
bitrate?: number, 
/**
 * Voice channels: most people (0 = no limit).
 */
user_limit?: number, 
/**
 * Voice channels: region (automatic).
 */
rtc_region?: string | null, 
/**
 * Threads: who started it.
 */
owner_id?: Id | null, 
/**
 * Threads: messages in it.
 */
message_count?: number, 
/**
 * Threads: members (not counted).
 */
member_count?: number, 
/**
 * Threads: messages ever sent.
 */
total_message_sent?: number, 
/**
 * Threads: archive state.
 */
thread_metadata?: ThreadMetadata, };

export type Attachment = { 
/**
 * Snowflake.
 */
id: Id, 
/**
 * File name.
 */
filename: string, 
/**
 * Alt text.
 */
description?: string, 
/**
 * MIME type.
 */
content_type: string, 
/**
 * Bytes.
 */
size: number, 
/**
 * Where to download it: absolute, signed and expiring, so a plain GET works (as on Discord's CDN).
 */
url: string, 
/**
 * The same (spot has no separate media proxy for files).
 */
proxy_url: string, 
/**
 * Images and videos: pixels.
 */
width?: number, 
/**
 * Images and videos: pixels.
 */
height?: number, 
/**
 * Never ephemeral.
 */
ephemeral: boolean, };

export type EmbedMedia = { 
/**
 * The original URL.
 */
url?: string, 
/**
 * spot's copy.
 */
proxy_url?: string, 
/**
 * Pixels.
 */
width?: number, 
/**
 * Pixels.
 */
height?: number, };

export type EmbedFooter = { 
/**
 * Text.
 */
text: string, 
/**
 * Icon.
 */
icon_url?: string, 
/**
 * spot's copy of the icon.
 */
proxy_icon_url?: string, };

export type EmbedAuthor = { 
/**
 * Name.
 */
name: string, 
/**
 * Link.
 */
url?: string, 
/**
 * Icon.
 */
icon_url?: string, 
/**
 * spot's copy of the icon.
 */
proxy_icon_url?: string, };

export type EmbedProvider = { 
/**
 * Name.
 */
name?: string, 
/**
 * Link.
 */
url?: string, };

export type EmbedField = { 
/**
 * Name.
 */
name: string, 
/**
 * Value.
 */
value: string, 
/**
 * Shown beside its neighbours.
 */
inline: boolean, };

export type Embed = { 
/**
 * `rich` for embeds people send; `link`, `article`, `image`, `video` for link previews.
 */
type?: string, 
/**
 * Title.
 */
title?: string, 
/**
 * Text under the title.
 */
description?: string, 
/**
 * Where the title links to.
 */
url?: string, 
/**
 * ISO 8601 time shown in the footer.
 */
timestamp?: string, 
/**
 * Side colour, `0xRRGGBB`.
 */
color?: number, 
/**
 * Footer.
 */
footer?: EmbedFooter, 
/**
 * Large image.
 */
image?: EmbedMedia, 
/**
 * Small image beside the text.
 */
thumbnail?: EmbedMedia, 
/**
 * Video (link previews only).
 */
video?: EmbedMedia, 
/**
 * The site (link previews only).
 */
provider?: EmbedProvider, 
/**
 * Author line.
 */
author?: EmbedAuthor, 
/**
 * Name/value fields.
 */
fields?: Array<EmbedField>, };

export type Emoji = { 
/**
 * Custom emoji id.
 */
id: Id | null, 
/**
 * The emoji itself, or a custom emoji's name.
 */
name: string, };

export type ReactionCountDetails = { 
/**
 * Super reactions (none).
 */
burst: number, 
/**
 * Normal reactions.
 */
normal: number, };

export type Reaction = { 
/**
 * How many.
 */
count: number, 
/**
 * Split by kind.
 */
count_details: ReactionCountDetails, 
/**
 * The viewer reacted.
 */
me: boolean, 
/**
 * The viewer super-reacted (never).
 */
me_burst: boolean, 
/**
 * Super reaction colours.
 */
burst_colors: Array<string>, 
/**
 * The emoji.
 */
emoji: Emoji, };

export type MessageReference = { 
/**
 * 0: a reply.
 */
type: number, 
/**
 * The message.
 */
message_id: Id, 
/**
 * Its channel.
 */
channel_id: Id, 
/**
 * Its guild.
 */
guild_id: Id | null, };

export type Message = { 
/**
 * Snowflake.
 */
id: Id, 
/**
 * Channel or thread.
 */
channel_id: Id, 
/**
 * Guild messages, in dispatches and REST alike.
 */
guild_id?: Id, 
/**
 * Who wrote it.
 */
author: User, 
/**
 * The author's membership (guild messages, without `user`).
 */
member?: MemberInfo, 
/**
 * Text.
 */
content: string, 
/**
 * When it was sent (ISO 8601).
 */
timestamp: string, 
/**
 * When it was last edited.
 */
edited_timestamp: string | null, 
/**
 * Text-to-speech.
 */
tts: boolean, 
/**
 * Mentions @everyone.
 */
mention_everyone: boolean, 
/**
 * Users mentioned.
 */
mentions: Array<User>, 
/**
 * Roles mentioned.
 */
mention_roles: Array<Id>, 
/**
 * Channels mentioned (not tracked).
 */
mention_channels: unknown[], 
/**
 * Files.
 */
attachments: Array<Attachment>, 
/**
 * The author's embeds, then link previews (none under SUPPRESS_EMBEDS).
 */
embeds: Array<Embed>, 
/**
 * Reactions.
 */
reactions: Array<Reaction>, 
/**
 * The client's nonce, echoed.
 */
nonce?: string, 
/**
 * Pinned.
 */
pinned: boolean, 
/**
 * Discord message type.
 */
type: number, 
/**
 * Message flags.
 */
flags: number, 
/**
 * Buttons and menus (none yet).
 */
components: unknown[], 
/**
 * Stickers (none yet).
 */
sticker_items: unknown[], 
/**
 * A reply's target.
 */
message_reference?: MessageReference, 
/**
 * A reply's target message (`null` when deleted).
 */
referenced_message?: Message | null, 
/**
 * The thread started from this message: the whole channel object, as Discord sends it.
 */
thread?: Channel, };

export type Guild = { 
/**
 * Snowflake.
 */
id: Id, 
/**
 * Name.
 */
name: string, 
/**
 * Icon hash.
 */
icon: string | null, 
/**
 * Icon hash (template form).
 */
icon_hash: string | null, 
/**
 * The owner.
 */
owner_id: Id, 
/**
 * Roles.
 */
roles: Array<Role>, 
/**
 * The first text channel, where joins are announced.
 */
system_channel_id: Id | null, 
/**
 * Seconds before moving idle people to the AFK channel.
 */
afk_timeout: number, 
/**
 * Notification default: only mentions.
 */
default_message_notifications: number, 
/**
 * Locale.
 */
preferred_locale: string, 
/**
 * Most members.
 */
max_members: number, 
/**
 * Most people with cameras on in one room.
 */
max_video_channel_users: number, 
/**
 * Custom emoji (none yet).
 */
emojis: unknown[], 
/**
 * Stickers (none yet).
 */
stickers: unknown[], 
/**
 * Features (none).
 */
features: Array<string>, };
