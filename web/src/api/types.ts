// The server's JSON shapes (Discord API v10, as spot renders them in src/wire/): the objects are generated
// (wire.ts); what is left here is the client's own. Ids are snowflake strings.

export type Snowflake = string;

// The Discord objects themselves are generated from the server's wire structs (src/wire/).
export type {
  Attachment,
  Channel,
  Embed,
  EmbedMedia,
  GuildCreate,
  Member,
  MemberInfo,
  Message,
  MessageReference,
  PinnedMessage,
  Presence,
  Reaction,
  ReactionEvent,
  ReadStateEntry,
  Ready,
  Role,
  SearchResults,
  ThreadMetadata,
  TypingStart,
  User,
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
