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
avatar_decoration_data: null,
primary_guild: null,
imported?: boolean, };

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
avatar_decoration_data: null,
primary_guild: null,
imported?: boolean, };

export type MemberInfo = {
nick: string | null,
avatar: null,
banner: null,
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
banner: null,
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

export type PrivateChannel = {
id: Id,
type: number,
last_message_id: Id | null,
flags: number,
recipients: Array<User>,
last_pin_timestamp: string | null,
name?: string | null,
icon?: string | null,
owner_id?: Id, };

export type ChannelRecipient = {
channel_id: Id,
user: User, };

export type Relationship = {
id: Id,
type: number,
user: User,
nickname: string | null,
since: string, };

export type RelationshipRemove = {
id: Id,
type: number, };

export type UserSettings = {
default_guilds_restricted: boolean, };

export type Call = {
channel_id: Id,
message_id: Id,
ringing: Array<Id>,
region: string,
voice_states: Array<VoiceState>, };

export type CallDelete = {
channel_id: Id, };

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
ephemeral: boolean,
duration_secs?: number,
waveform?: string, };

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

export type ReactionEmoji = {
id: Id | null,
name: string,
animated?: boolean, };

export type ReactionCountDetails = {
burst: number,
normal: number, };

export type Reaction = {
count: number,
count_details: ReactionCountDetails,
me: boolean,
me_burst: boolean,
burst_colors: Array<string>,
emoji: ReactionEmoji, };

export type MessageReference = {
type: number,
message_id: Id,
channel_id: Id,
guild_id: Id | null, };

export type StickerItem = {
id: Id,
name: string,
format_type: number, };

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
webhook_id?: Id,
application_id?: Id,
interaction_metadata?: unknown,
sticker_items: Array<StickerItem>,
message_reference?: MessageReference,
referenced_message?: Message | null,
thread?: Channel, };

export type GuildEmoji = {
id: Id,
name: string,
roles: Array<Id>,
user?: User,
require_colons: boolean,
managed: boolean,
animated: boolean,
available: boolean, };

export type Sticker = {
id: Id,
name: string,
description: string | null,
tags: string,
type: number,
format_type: number,
available: boolean,
guild_id: Id,
user?: User, };

export type SoundboardSound = {
name: string,
sound_id: Id,
volume: number,
emoji_id: Id | null,
emoji_name: string | null,
guild_id: Id,
available: boolean,
user?: User, };

export type SoundboardSounds = {
items: Array<SoundboardSound>, };

export type GuildEmojisUpdate = {
guild_id: Id,
emojis: Array<GuildEmoji>, };

export type GuildStickersUpdate = {
guild_id: Id,
stickers: Array<Sticker>, };

export type SoundboardSoundDelete = {
sound_id: Id,
guild_id: Id, };

export type VoiceChannelEffect = {
channel_id: Id,
guild_id: Id,
user_id: Id,
emoji: ReactionEmoji | null,
animation_type: number | null,
animation_id: number | null,
sound_id?: Id,
sound_volume?: number, };

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
max_stage_video_channel_users: number,
region: string,
nsfw: boolean,
widget_enabled: boolean,
emojis: Array<GuildEmoji>,
stickers: Array<Sticker>,
features: Array<string>, };

export type UnavailableGuild = {
id: Id,
unavailable: boolean, };

export type PartialApplication = {
id: Id,
flags: number, };

export type ReadStateEntry = {
id: Id,
last_message_id: Id,
mention_count: number,
unread?: boolean, };

export type ReadStates = {
version: number,
partial: boolean,
entries: Array<ReadStateEntry>, };

export type MuteConfig = {
end_time: string | null,
selected_time_window: number, };

export type ChannelOverride = {
channel_id: Id,
message_notifications: number,
muted: boolean,
mute_config: MuteConfig | null,
collapsed: boolean, };

export type UserGuildSettings = {
guild_id: Id | null,
message_notifications: number,
muted: boolean,
mute_config: MuteConfig | null,
suppress_everyone: boolean,
suppress_roles: boolean,
mobile_push: boolean,
channel_overrides: Array<ChannelOverride>,
version: number,
hide_muted_channels: boolean,
flags: number,
notify_highlights: number,
mute_scheduled_events: boolean, };

export type UserGuildSettingsList = {
version: number,
partial: boolean,
entries: Array<UserGuildSettings>, };

export type ReadyPrivateChannel = PrivateChannel | DedupedPrivateChannel;

export type DedupedPrivateChannel = {
id: Id,
type: number,
last_message_id: Id | null,
flags: number,
recipient_ids: Array<Id>,
last_pin_timestamp: string | null,
name?: string | null,
icon?: string | null,
owner_id?: Id, };

export type Ready = {
v: number,
user: CurrentUser,
guilds: Array<UnavailableGuild>,
session_id: string,
resume_gateway_url: string,
session_type: string,
shard: [number, number],
application: PartialApplication,
private_channels: Array<ReadyPrivateChannel>,
users?: Array<User>,
relationships: Array<Relationship>,
presences: unknown[],
guild_join_requests: unknown[],
geo_ordered_rtc_regions: Array<string>,
user_settings: UserSettings,
user_guild_settings: UserGuildSettingsList,
read_state: ReadStates, };

export type PartialUser = {
id: Id, };

export type ClientStatus = {
web?: string, };

export type Presence = {
user: PartialUser,
guild_id: Id,
status: string,
activities: unknown[],
client_status: ClientStatus, };

export type VoiceState = {
guild_id?: Id,
channel_id: Id | null,
user_id: Id,
member?: Member,
session_id: string,
deaf: boolean,
mute: boolean,
self_deaf: boolean,
self_mute: boolean,
self_stream: boolean,
self_video: boolean,
suppress: boolean,
request_to_speak_timestamp: null, };

export type VoiceServerUpdate = {
token: string,
guild_id: Id | null,
channel_id: Id,
endpoint: string,
backend: 'embedded' | 'livekit', };

export type GuildCreate = {
channels: Array<Channel>,
threads: Array<Channel>,
members: Array<Member>,
member_count: number,
large: boolean,
unavailable: boolean,
joined_at: string,
voice_states: Array<VoiceState>,
presences: Array<Presence>,
stage_instances: unknown[],
guild_scheduled_events: unknown[],
soundboard_sounds: Array<SoundboardSound>,
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
max_stage_video_channel_users: number,
region: string,
nsfw: boolean,
widget_enabled: boolean,
emojis: Array<GuildEmoji>,
stickers: Array<Sticker>,
features: Array<string>, };

export type MessageDelete = {
id: Id,
channel_id: Id,
guild_id?: Id, };

export type MessageDeleteBulk = {
ids: Array<Id>,
channel_id: Id,
guild_id?: Id, };

export type ReactionEvent = {
user_id: Id,
channel_id: Id,
message_id: Id,
guild_id?: Id,
member?: Member,
emoji: ReactionEmoji,
message_author_id?: Id,
burst: boolean,
burst_colors?: Array<string>,
type: number, };

export type ReactionsCleared = {
channel_id: Id,
message_id: Id,
guild_id?: Id,
emoji?: ReactionEmoji, };

export type TypingStart = {
channel_id: Id,
guild_id?: Id,
user_id: Id,
timestamp: number,
member?: Member, };

export type ChannelPinsUpdate = {
guild_id?: Id,
channel_id: Id,
last_pin_timestamp: string | null, };

export type MessageAck = {
channel_id: Id,
message_id: Id,
version: number, };

export type GuildRoleEvent = {
guild_id: Id,
role: Role, };

export type GuildRoleDelete = {
guild_id: Id,
role_id: Id, };

export type GuildMemberRemove = {
guild_id: Id,
user: User, };

export type ThreadMember = {
id: Id,
user_id: Id,
join_timestamp: string,
flags: number, };

export type ThreadMembersUpdate = {
id: Id,
guild_id: Id,
member_count: number,
added_members: Array<ThreadMember>,
removed_member_ids: Array<Id>, };

export type ThreadCreate = {
newly_created: boolean,
member: ThreadMember,
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

export type InviteGuild = {
id: Id,
name: string,
icon: string | null,
features: Array<string>, };

export type InviteChannel = {
id: Id,
name: string,
type: number, };

export type Invite = {
type: number,
code: string,
guild_id: Id,
guild: InviteGuild,
channel: InviteChannel | null,
uses: number,
max_uses: number,
max_age: number,
temporary: boolean,
created_at: string,
expires_at: string | null, };

export type SearchResults = {
total_results: number,
messages: Array<[Message]>,
analytics_id: string,
doing_deep_historical_index: boolean, };

export type PinnedMessage = {
pinned_at: string,
message: Message, };

export type Pins = {
items: Array<PinnedMessage>,
has_more: boolean, };

export type Application = {
id: Id,
name: string,
icon: string | null,
description: string,
type: null,
bot_public: boolean,
bot_require_code_grant: boolean,
owner: User,
verify_key: string,
flags: number,
flags_new: string,
team: null,
interactions_endpoint_url: null,
role_connections_verification_url: null,
redirect_uris: Array<string>,
rpc_origins: Array<string>,
approximate_guild_count: number,
approximate_user_install_count: number,
approximate_user_authorization_count: number,
explicit_content_filter: number,
eligible_oauth2_scopes: Array<string>,
bot: User, };
