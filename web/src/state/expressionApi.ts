// The REST calls for the space's expressions, loaded on demand with the UI that makes them: managing custom emoji,
// stickers and soundboard sounds (Settings → Expressions) and playing a sound into a voice room. The lists in the
// store change by the gateway's dispatches that follow (`expressions.ts`), as everywhere else.

import { ApiError, api, apiOnce, postForm } from '../api/rest';
import type { GuildEmoji, Snowflake, SoundboardSound, SoundboardSounds, Sticker } from '../api/types';
import { state } from './store';

function guild(): string {
  return `/guilds/${state.guild?.id ?? '@me'}`;
}

/** With their uploaders (`user`), which the gateway's lists leave out. */
export function listEmojis(): Promise<GuildEmoji[]> {
  return api<GuildEmoji[]>('GET', `${guild()}/emojis`);
}

/** `image`: a data URI (`data:image/png;base64,…`). */
export function createEmoji(name: string, image: string): Promise<GuildEmoji> {
  return api<GuildEmoji>('POST', `${guild()}/emojis`, { name, image });
}

export function renameEmoji(id: Snowflake, name: string): Promise<GuildEmoji> {
  return api<GuildEmoji>('PATCH', `${guild()}/emojis/${id}`, { name });
}

export function deleteEmoji(id: Snowflake): Promise<void> {
  return api<void>('DELETE', `${guild()}/emojis/${id}`);
}

export function listStickers(): Promise<Sticker[]> {
  return api<Sticker[]>('GET', `${guild()}/stickers`);
}

/** A new sticker: multipart, as Discord takes it (`tags`: the related emoji). */
export function createSticker(name: string, description: string, tags: string, file: File): Promise<Sticker> {
  const form = new FormData();
  form.append('name', name);
  form.append('description', description);
  form.append('tags', tags);
  form.append('file', file, file.name);
  return postForm<Sticker>(`${guild()}/stickers`, form).done;
}

export function deleteSticker(id: Snowflake): Promise<void> {
  return api<void>('DELETE', `${guild()}/stickers/${id}`);
}

export async function listSounds(): Promise<SoundboardSound[]> {
  return (await api<SoundboardSounds>('GET', `${guild()}/soundboard-sounds`)).items;
}

export interface NewSound {
  name: string;
  /** A data URI of an MP3, Ogg or WAV file. */
  sound: string;
  volume?: number;
  emoji_name?: string;
  emoji_id?: string;
}

export function createSound(sound: NewSound): Promise<SoundboardSound> {
  return api<SoundboardSound>('POST', `${guild()}/soundboard-sounds`, sound);
}

export function deleteSound(id: Snowflake): Promise<void> {
  return api<void>('DELETE', `${guild()}/soundboard-sounds/${id}`);
}

/** Plays a sound into the voice room this user is in. Resolves to what to tell the user when it is refused (a
 *  cooldown, no right to), or null when it played. */
export async function playSound(channelId: Snowflake, soundId: Snowflake): Promise<string | null> {
  try {
    await apiOnce('POST', `/channels/${channelId}/send-soundboard-sound`, { sound_id: soundId });
    return null;
  } catch (error) {
    if (!(error instanceof ApiError)) return String(error);
    if (error.status === 429) {
      return `Wait ${Math.max(1, Math.ceil(error.retryAfter ?? 1))} s before playing another sound.`;
    }
    if (error.status === 403) return error.message || 'You cannot play sounds in this room.';
    return error.message;
  }
}
