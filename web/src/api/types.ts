// The server's JSON shapes (Discord API v10, as spot renders them in src/wire/): the objects are generated
// (wire.ts); what is left here is the client's own. Ids are snowflake strings.

export type Snowflake = string;

// The Discord objects themselves are generated from the server's wire structs (src/wire/).
export type {
  Attachment,
  Call,
  CallDelete,
  Channel,
  ChannelRecipient,
  Embed,
  EmbedMedia,
  GuildCreate,
  Invite,
  Member,
  MemberInfo,
  Message,
  MessageReference,
  PinnedMessage,
  Presence,
  PrivateChannel,
  DedupedPrivateChannel,
  Reaction,
  ReactionEvent,
  ReadStateEntry,
  Ready,
  Relationship,
  RelationshipRemove,
  Role,
  SearchResults,
  ThreadMetadata,
  TypingStart,
  User,
  UserSettings,
  VoiceServerUpdate,
  VoiceState,
} from './wire';

/** Channel types spot uses. */
export const ChannelType = {
  Text: 0,
  Voice: 2,
  Category: 4,
  PublicThread: 11,
  PrivateThread: 12,
} as const;

/** The two kinds of conversation outside the space (Discord's channel types 1 and 3). */
export const PrivateType = {
  Dm: 1,
  Group: 3,
} as const;

/** Message types spot renders specially (Discord's numbers); 0 and 19 (a reply) are ordinary messages. */
export const MessageType = {
  Default: 0,
  RecipientAdd: 1,
  RecipientRemove: 2,
  Call: 3,
  NameChange: 4,
  IconChange: 5,
  Reply: 19,
} as const;

/** Discord's relationship type for a block (the only kind spot has). */
export const RelationshipType = { Blocked: 2 } as const;

/** A login session of the current user (`GET /users/@me/sessions`). */
export interface SessionInfo {
  id_hash: string;
  current: boolean;
  created_at: string;
  last_used_at: string | null;
  ip: string;
  user_agent: string;
}

/** Discord's error body. */
export interface ErrorBody {
  code: number;
  message: string;
  errors?: unknown;
}

/** Discord's message notification levels: every message, only @mentions, nothing; 3 (channel overrides only)
 *  means "inherit from the category or the space". */
export const NotifyLevel = {
  All: 0,
  Mentions: 1,
  Nothing: 2,
  Inherit: 3,
} as const;
export type NotifyLevel = (typeof NotifyLevel)[keyof typeof NotifyLevel];

/** How long a mute lasts: until `end_time` (ISO), or while `end_time` is null (`selected_time_window` -1). */
export interface MuteConfig {
  end_time: string | null;
  /** Seconds chosen; -1: until turned back on. */
  selected_time_window: number;
}

/** One channel's notification settings inside a `UserGuildSettings` entry. */
export interface ChannelOverride {
  channel_id: Snowflake;
  message_notifications: NotifyLevel;
  muted: boolean;
  mute_config: MuteConfig | null;
  collapsed: boolean;
}

/** Discord's "user guild settings": one entry for the space (`guild_id`) and one for DMs (`guild_id: null`). */
export interface UserGuildSettings {
  guild_id: Snowflake | null;
  /** All, mentions only, nothing (never 3 here). */
  message_notifications: NotifyLevel;
  muted: boolean;
  mute_config: MuteConfig | null;
  suppress_everyone: boolean;
  suppress_roles: boolean;
  mobile_push: boolean;
  channel_overrides: ChannelOverride[];
  version: number;
  hide_muted_channels: boolean;
  flags: number;
  notify_highlights: number;
  mute_scheduled_events: boolean;
}

/** READY's `user_guild_settings`. */
export interface UserGuildSettingsList {
  version: number;
  partial: boolean;
  entries: UserGuildSettings[];
}

/** The body of `PATCH /users/@me/guilds/{guild_id|@me}/settings`: only what changes. */
export interface UserGuildSettingsPatch {
  message_notifications?: NotifyLevel;
  muted?: boolean;
  mute_config?: MuteConfig | null;
  suppress_everyone?: boolean;
  channel_overrides?: Record<Snowflake, { message_notifications?: NotifyLevel; muted?: boolean; mute_config?: MuteConfig | null }>;
}

/** `GET /users/@me/push`: the server's VAPID key (base64url, an uncompressed P-256 point) and whether this
 *  browser session has a push subscription. */
export interface PushState {
  public_key: string;
  subscribed: boolean;
}

/** What a Web Push carries (decrypted by the browser, read by the service worker, src/sw.ts). */
export interface PushPayload {
  kind: 'message' | 'call';
  title: string;
  body: string;
  /** Notifications with the same tag replace each other (a message's id, a call's channel). */
  tag: string;
  /** Where a click goes: `/channels/{guild|@me}/{channel}[/{message}]`. */
  url: string;
  icon: string | null;
  /** Milliseconds since the epoch. */
  timestamp: number;
}
