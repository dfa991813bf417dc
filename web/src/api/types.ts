// The server's JSON shapes (Discord API v10, as spot renders them in src/wire/). Only the fields the client
// reads are listed; ids are snowflake strings.

export type Snowflake = string;

// The Discord objects themselves are generated from the server's wire structs (src/wire/).
export type {
  Attachment,
  Channel,
  Embed,
  EmbedMedia,
  Member,
  MemberInfo,
  Message,
  MessageReference,
  Reaction,
  Role,
  ThreadMetadata,
  User,
} from './wire';
import type { Channel, Member, Message, Role, User } from './wire';

/** Channel types spot uses. */
export const ChannelType = {
  Text: 0,
  Voice: 2,
  Category: 4,
  PublicThread: 11,
  PrivateThread: 12,
} as const;

export interface Presence {
  user: { id: Snowflake };
  status: 'online' | 'idle' | 'dnd' | 'offline' | string;
}

export interface ReadStateEntry {
  id: Snowflake;
  last_message_id: Snowflake;
  mention_count: number;
}

export interface Ready {
  user: User;
  session_id: string;
  resume_gateway_url: string;
  read_state: { entries: ReadStateEntry[] };
}

export interface GuildCreate {
  id: Snowflake;
  name: string;
  owner_id: Snowflake;
  channels: Channel[];
  threads: Channel[];
  members: Member[];
  roles: Role[];
  presences: Presence[];
  voice_states?: VoiceState[];
}

/** Who is in which voice room (Discord's Voice State object; `channel_id: null` = left). */
export interface VoiceState {
  guild_id?: Snowflake;
  channel_id: Snowflake | null;
  user_id: Snowflake;
  session_id: string;
  member?: Member;
  mute: boolean;
  deaf: boolean;
  self_mute: boolean;
  self_deaf: boolean;
  self_video: boolean;
  self_stream?: boolean;
}

/** Sent to the session that joined a room: where and how to connect its media. */
export interface VoiceServerUpdate {
  token: string;
  guild_id: Snowflake;
  channel_id: Snowflake;
  endpoint: string;
  backend: 'embedded' | 'livekit';
}

export interface TypingStart {
  channel_id: Snowflake;
  user_id: Snowflake;
  timestamp: number;
  member?: Member;
}

export interface ReactionEvent {
  user_id: Snowflake;
  channel_id: Snowflake;
  message_id: Snowflake;
  emoji: { id: Snowflake | null; name: string };
}

export interface SearchResults {
  total_results: number;
  messages: Message[][];
}

export interface PinnedMessage {
  pinned_at: string;
  message: Message;
}

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
