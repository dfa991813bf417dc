// The DJ's players, one per voice room, for the now-playing bar: the state `GET /channels/{id}/music` answers and
// the `SPOT_MUSIC_UPDATE` dispatch carries (both shaped by src/music/dj/state.rs), when it arrived (so the
// position can move on locally while the track is not paused), and the bar's actions (`POST …/music`, refused by
// the server with the chat commands' rules: be in the room, the DJ role for stop and volume over 100, the
// per-member command limit).

import { api } from '../api/rest';
import type { Snowflake } from '../api/types';
import { changed } from './store';

/** Who asked for a track. */
export interface MusicUser {
  id: Snowflake;
  username: string;
}

/** The track playing now. */
export interface MusicTrack {
  title: string;
  artist: string | null;
  album: string | null;
  /** Null for a live stream. */
  duration_ms: number | null;
  /** Where it was when the state was sent. */
  position_ms: number;
  requested_by: MusicUser;
  /** A same-origin path (`/music/covers/{id}` or `/music/covers/upload/{channel}/{attachment}`), or null. */
  cover_url: string | null;
  live: boolean;
}

/** A track waiting in the queue. */
export interface QueuedTrack {
  title: string;
  artist: string | null;
  duration_ms: number | null;
  requested_by: MusicUser;
}

export type LoopMode = 'off' | 'track' | 'queue';

/** A voice room's player. */
export interface MusicState {
  channel_id: Snowflake;
  /** Where the DJ announces tracks (the channel of the last command), or null without a player. */
  text_channel_id: Snowflake | null;
  playing: MusicTrack | null;
  paused: boolean;
  /** Percent, 0–200. */
  volume: number;
  loop: LoopMode;
  /** The next ten at most. */
  queue: QueuedTrack[];
  queue_length: number;
}

/** The body of `POST /channels/{id}/music`. */
export type MusicAction =
  | { action: 'pause' | 'resume' | 'skip' | 'stop' | 'shuffle' }
  | { action: 'volume'; volume: number }
  | { action: 'seek'; position_ms: number }
  | { action: 'loop'; mode: LoopMode };

/** A room's state and when it arrived (`performance.now()`). */
export interface MusicEntry {
  state: MusicState;
  receivedAt: number;
}

/** Voice channel id → its player, as last heard. */
export const music = new Map<Snowflake, MusicEntry>();

function put(next: MusicState): void {
  music.set(next.channel_id, { state: next, receivedAt: performance.now() });
  changed();
}

/** The `SPOT_MUSIC_UPDATE` handler (registered in events.ts). */
export function onMusicUpdate(d: MusicState): void {
  put(d);
}

/** Fetches a room's state (the bar does on mount: events only tell what changed after). */
export async function fetchMusic(channelId: Snowflake): Promise<MusicState> {
  const fresh = await api<MusicState>('GET', `/channels/${channelId}/music`);
  put(fresh);
  return fresh;
}

/** Asks the DJ to do something in a room; resolves to the new state, rejects with the server's `ApiError`. */
export async function musicAction(channelId: Snowflake, body: MusicAction): Promise<MusicState> {
  const fresh = await api<MusicState>('POST', `/channels/${channelId}/music`, body);
  put(fresh);
  return fresh;
}

/** Where the current track is now: the position sent, moved on by the time since unless paused. */
export function positionMs(entry: MusicEntry, now: number = performance.now()): number {
  const track = entry.state.playing;
  if (!track) return 0;
  const at = track.position_ms + (entry.state.paused ? 0 : Math.max(0, now - entry.receivedAt));
  return track.duration_ms === null ? at : Math.min(at, track.duration_ms);
}
