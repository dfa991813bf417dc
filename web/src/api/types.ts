// The server's JSON shapes (Discord API v10, as spot renders them in src/wire/). Only the fields the client
// reads are listed; ids are snowflake strings.

export type Snowflake = string;

export interface User {
  id: Snowflake;
  username: string;
  global_name: string | null;
  avatar: string | null;
  bot: boolean;
}

export interface Member {
  user: User;
  nick: string | null;
  roles: Snowflake[];
  joined_at: string;
}

export interface Role {
  id: Snowflake;
  name: string;
  color: number;
  hoist: boolean;
  position: number;
  permissions: string;
}

/** Channel types spot uses. */
export const ChannelType = {
  Text: 0,
  Voice: 2,
  Category: 4,
  PublicThread: 11,
  PrivateThread: 12,
} as const;

export interface ThreadMetadata {
  archived: boolean;
  locked: boolean;
  create_timestamp: string;
}

export interface Channel {
  id: Snowflake;
  type: number;
  guild_id: Snowflake;
  name: string;
  position?: number;
  parent_id: Snowflake | null;
  topic?: string | null;
  last_message_id?: Snowflake | null;
  owner_id?: Snowflake | null;
  message_count?: number;
  thread_metadata?: ThreadMetadata;
}

export interface Attachment {
  id: Snowflake;
  filename: string;
  content_type: string | null;
  size: number;
  url: string;
  width: number | null;
  height: number | null;
}

/** An image, thumbnail or video inside an embed. `proxy_url` is spot's own copy (`/external/…`). */
export interface EmbedMedia {
  url?: string;
  proxy_url?: string;
  width?: number;
  height?: number;
}

/** A Discord embed: a link preview (link, article, image, video, audio) or a bot's rich embed. */
export interface Embed {
  type?: string;
  url?: string;
  title?: string;
  description?: string;
  color?: number;
  provider?: { name?: string; url?: string };
  author?: { name?: string; url?: string };
  footer?: { text?: string };
  fields?: { name: string; value: string; inline?: boolean }[];
  image?: EmbedMedia;
  thumbnail?: EmbedMedia;
  video?: EmbedMedia;
}

export interface Reaction {
  count: number;
  me: boolean;
  emoji: { id: Snowflake | null; name: string };
}

export interface MessageReference {
  message_id: Snowflake;
  channel_id: Snowflake;
}

export interface Message {
  id: Snowflake;
  channel_id: Snowflake;
  guild_id?: Snowflake;
  author: User;
  member?: Omit<Member, 'user'>;
  content: string;
  timestamp: string;
  edited_timestamp: string | null;
  mention_everyone: boolean;
  mentions: User[];
  mention_roles: Snowflake[];
  attachments: Attachment[];
  embeds?: Embed[];
  flags?: number;
  reactions?: Reaction[];
  pinned: boolean;
  type: number;
  nonce?: string | number;
  message_reference?: MessageReference;
  referenced_message?: Message | null;
  thread?: { id: Snowflake };
}

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
