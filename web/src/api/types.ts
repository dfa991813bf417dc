// The server's JSON shapes (Discord API v10, as spot renders them in src/wire/): the objects are generated
// (wire.ts); what is left here is the client's own. Ids are snowflake strings.

import type { Message, User } from './wire';

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
  Guild,
  GuildCreate,
  GuildEmoji,
  GuildEmojisUpdate,
  GuildStickersUpdate,
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
  ReactionEmoji,
  ReactionEvent,
  ReadStateEntry,
  Ready,
  Relationship,
  RelationshipRemove,
  Role,
  SearchResults,
  SoundboardSound,
  SoundboardSoundDelete,
  SoundboardSounds,
  Sticker,
  StickerItem,
  ThreadMetadata,
  TypingStart,
  User,
  UserSettings,
  VoiceChannelEffect,
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
  /** A bot's answer to a slash command, and to a context-menu command (they carry `interaction_metadata`). */
  ChatInputCommand: 20,
  ContextMenuCommand: 23,
} as const;

/** Message flags the client reads: only the invoker sees it (never stored), a deferred answer still coming, a
 *  voice message (its one attachment is a recording with a waveform). */
export const MessageFlag = {
  Ephemeral: 64,
  Loading: 128,
  VoiceMessage: 8192,
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

// Applications, their commands, and interactions (Discord's shapes; `state/commands.ts`, `state/interactions.ts`).

/** Discord's application command types: a slash command, a user's and a message's context-menu command. */
export const CommandType = { ChatInput: 1, User: 2, Message: 3 } as const;

/** Discord's application command option types. */
export const OptionType = {
  SubCommand: 1,
  SubCommandGroup: 2,
  String: 3,
  Integer: 4,
  Boolean: 5,
  User: 6,
  Channel: 7,
  Role: 8,
  Mentionable: 9,
  Number: 10,
  Attachment: 11,
} as const;

export interface CommandChoice {
  name: string;
  name_localizations?: Record<string, string> | null;
  value: string | number;
}

/** One option of a command (or a subcommand, or a group of subcommands). */
export interface CommandOption {
  type: number;
  name: string;
  name_localizations?: Record<string, string> | null;
  description: string;
  description_localizations?: Record<string, string> | null;
  required?: boolean;
  choices?: CommandChoice[];
  options?: CommandOption[];
  channel_types?: number[];
  min_value?: number;
  max_value?: number;
  min_length?: number;
  max_length?: number;
  autocomplete?: boolean;
}

export interface ApplicationCommand {
  id: Snowflake;
  type: number;
  application_id: Snowflake;
  guild_id?: Snowflake;
  name: string;
  name_localizations?: Record<string, string> | null;
  description: string;
  description_localizations?: Record<string, string> | null;
  options?: CommandOption[];
  default_member_permissions: string | null;
  dm_permission?: boolean;
  contexts?: number[] | null;
  nsfw?: boolean;
  version: Snowflake;
}

/** An application as the command index names it. */
export interface IndexApplication {
  id: Snowflake;
  name: string;
  icon: string | null;
  description: string;
  bot_id: Snowflake;
}

/** `GET /guilds/{id}/application-command-index` or `/channels/{id}/application-command-index`: the commands this
 *  user may use there. */
export interface CommandIndex {
  applications: IndexApplication[];
  application_commands: ApplicationCommand[];
  version: string;
}

/** A component's emoji: a Unicode one by `name`, or a custom one by `id`. */
export interface ComponentEmoji {
  id?: Snowflake | null;
  name: string | null;
  animated?: boolean;
}

/** Discord's component types. Types 9 and up (components v2) are not rendered yet. */
export const ComponentType = {
  ActionRow: 1,
  Button: 2,
  StringSelect: 3,
  TextInput: 4,
  UserSelect: 5,
  RoleSelect: 6,
  MentionableSelect: 7,
  ChannelSelect: 8,
} as const;

/** Button styles: primary, secondary, success, danger, link. */
export const ButtonStyle = { Primary: 1, Secondary: 2, Success: 3, Danger: 4, Link: 5 } as const;

export interface ButtonComponent {
  type: 2;
  style: number;
  label?: string;
  emoji?: ComponentEmoji;
  custom_id?: string;
  url?: string;
  disabled?: boolean;
}

export interface SelectOption {
  label: string;
  value: string;
  description?: string;
  emoji?: ComponentEmoji;
  default?: boolean;
}

/** A select menu: of given options (3), or of users (5), roles (6), both (7), channels (8). */
export interface SelectComponent {
  type: 3 | 5 | 6 | 7 | 8;
  custom_id: string;
  placeholder?: string;
  min_values?: number;
  max_values?: number;
  disabled?: boolean;
  options?: SelectOption[];
  channel_types?: number[];
}

/** A modal's text field: one line (style 1) or a paragraph (2). */
export interface TextInput {
  type: 4;
  custom_id: string;
  style: number;
  label: string;
  min_length?: number;
  max_length?: number;
  required?: boolean;
  value?: string;
  placeholder?: string;
}

export interface ActionRow {
  type: 1;
  /** Buttons and selects (of a message), text inputs (of a modal); anything else is skipped. */
  components: { type: number }[];
}

/** Who used which command a bot's message answers (Discord's `interaction_metadata`). */
export interface InteractionMetadata {
  id: Snowflake;
  type: number;
  user: User;
  name?: string;
  command_type?: number;
  target_user?: User;
  target_message_id?: Snowflake;
}

/** INTERACTION_MODAL_CREATE: a bot asks the user to fill in a form. */
export interface ModalCreate {
  id: Snowflake;
  nonce: string;
  application: { id: Snowflake; name: string; icon: string | null };
  custom_id: string;
  title: string;
  components: ActionRow[];
}

/** What a message may carry beyond the generated `Message` (bots' and webhooks' messages). */
export interface MessageExtras {
  components: ActionRow[];
  interaction_metadata?: InteractionMetadata | null;
  application_id?: Snowflake | null;
  webhook_id?: Snowflake | null;
}

/** A message's components, interaction and origin, typed. */
export function extrasOf(message: Message): MessageExtras {
  const m = message as Message & Partial<MessageExtras>;
  return {
    components: Array.isArray(m.components) ? (m.components as ActionRow[]) : [],
    interaction_metadata: m.interaction_metadata ?? null,
    application_id: m.application_id ?? null,
    webhook_id: m.webhook_id ?? null,
  };
}
