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
