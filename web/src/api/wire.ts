// Generated from the wire structs in src/wire/ by `SPOT_WRITE_WIRE_TS=1 cargo test --lib wire::typescript`.
// Do not edit: a unit test fails when this file and the structs disagree. The fields are documented there.

export type Id = string;

export type User = {
id: Id,
username: string,
global_name: string | null,
discriminator: string,
avatar: string | null,
bot: boolean,
system: boolean,
public_flags: number,
flags: number,
banner: null,
accent_color: null,
avatar_decoration_data: null, };

export type CurrentUser = {
mfa_enabled: boolean,
verified: boolean,
locale: string,
premium_type: number,
email: null,
id: Id,
username: string,
global_name: string | null,
discriminator: string,
avatar: string | null,
bot: boolean,
system: boolean,
public_flags: number,
flags: number,
banner: null,
accent_color: null,
avatar_decoration_data: null, };

export type MemberInfo = {
nick: string | null,
avatar: null,
roles: Array<Id>,
joined_at: string,
premium_since: null,
deaf: boolean,
mute: boolean,
flags: number,
pending: boolean,
communication_disabled_until: null, };

export type Member = {
user: User,
nick: string | null,
avatar: null,
roles: Array<Id>,
joined_at: string,
premium_since: null,
deaf: boolean,
mute: boolean,
flags: number,
pending: boolean,
communication_disabled_until: null, };

export type RoleColors = {
primary_color: number,
secondary_color: null,
tertiary_color: null, };

export type Role = {
id: Id,
name: string,
color: number,
colors: RoleColors,
hoist: boolean,
icon: null,
unicode_emoji: null,
position: number,
permissions: string,
managed: boolean,
mentionable: boolean,
flags: number, };

export type Overwrite = {
id: Id,
type: number,
allow: string,
deny: string, };

export type ThreadMetadata = {
archived: boolean,
auto_archive_duration: number,
archive_timestamp: string,
locked: boolean,
invitable: boolean,
create_timestamp: string, };

export type Channel = {
id: Id,
type: number,
guild_id: Id,
name: string,
position?: number,
parent_id: Id | null,
permission_overwrites?: Array<Overwrite>,
flags: number,
topic?: string | null,
nsfw?: boolean,
last_message_id?: Id | null,
rate_limit_per_user?: number,
last_pin_timestamp?: string | null,
bitrate?: number,
user_limit?: number,
rtc_region?: string | null,
owner_id?: Id | null,
message_count?: number,
member_count?: number,
total_message_sent?: number,
thread_metadata?: ThreadMetadata, };

export type Attachment = {
id: Id,
filename: string,
description?: string,
content_type: string,
size: number,
url: string,
proxy_url: string,
width?: number,
height?: number,
ephemeral: boolean, };

export type EmbedMedia = {
url?: string,
proxy_url?: string,
width?: number,
height?: number, };

export type EmbedFooter = {
text: string,
icon_url?: string,
proxy_icon_url?: string, };

export type EmbedAuthor = {
name: string,
url?: string,
icon_url?: string,
proxy_icon_url?: string, };

export type EmbedProvider = {
name?: string,
url?: string, };

export type EmbedField = {
name: string,
value: string,
inline: boolean, };

export type Embed = {
type?: string,
title?: string,
description?: string,
url?: string,
timestamp?: string,
color?: number,
footer?: EmbedFooter,
image?: EmbedMedia,
thumbnail?: EmbedMedia,
video?: EmbedMedia,
provider?: EmbedProvider,
author?: EmbedAuthor,
fields?: Array<EmbedField>, };

export type Emoji = {
id: Id | null,
name: string, };

export type ReactionCountDetails = {
burst: number,
normal: number, };

export type Reaction = {
count: number,
count_details: ReactionCountDetails,
me: boolean,
me_burst: boolean,
burst_colors: Array<string>,
emoji: Emoji, };

export type MessageReference = {
type: number,
message_id: Id,
channel_id: Id,
guild_id: Id | null, };

export type Message = {
id: Id,
channel_id: Id,
guild_id?: Id,
author: User,
member?: MemberInfo,
content: string,
timestamp: string,
edited_timestamp: string | null,
tts: boolean,
mention_everyone: boolean,
mentions: Array<User>,
mention_roles: Array<Id>,
mention_channels: unknown[],
attachments: Array<Attachment>,
embeds: Array<Embed>,
reactions: Array<Reaction>,
nonce?: string,
pinned: boolean,
type: number,
flags: number,
components: unknown[],
sticker_items: unknown[],
message_reference?: MessageReference,
referenced_message?: Message | null,
thread?: Channel, };

export type Guild = {
id: Id,
name: string,
icon: string | null,
icon_hash: string | null,
owner_id: Id,
roles: Array<Role>,
system_channel_id: Id | null,
afk_timeout: number,
default_message_notifications: number,
preferred_locale: string,
max_members: number,
max_video_channel_users: number,
emojis: unknown[],
stickers: unknown[],
features: Array<string>, };
