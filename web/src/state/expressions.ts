// The space's expressions as the client keeps them: custom emoji (images at `/emojis/{id}.png|gif`, written
// `<:name:id>` in messages), stickers (`/stickers/{id}.png|gif`), soundboard sounds, the emoji this user picked
// lately (localStorage, for the pickers' "Recently used"), and the dispatches that keep them current
// (GUILD_EMOJIS_UPDATE and GUILD_STICKERS_UPDATE carry whole lists; the soundboard's come one sound at a time;
// VOICE_CHANNEL_EFFECT_SEND is someone playing a sound in the room this tab is in).

import type {
  GuildEmoji,
  GuildEmojisUpdate,
  GuildStickersUpdate,
  ReactionEmoji,
  Snowflake,
  SoundboardSound,
  SoundboardSoundDelete,
  Sticker,
  VoiceChannelEffect,
} from '../api/types';
import { changed, displayName, state, type VoiceEffect } from './store';

export function emojiUrl(id: Snowflake, animated: boolean): string {
  return `/emojis/${id}.${animated ? 'gif' : 'png'}`;
}

/** A sticker's image: PNG and APNG as `.png`, GIF (format 4) as `.gif`. */
export function stickerUrl(sticker: { id: Snowflake; format_type: number }): string {
  return `/stickers/${sticker.id}.${sticker.format_type === 4 ? 'gif' : 'png'}`;
}

export function soundUrl(id: Snowflake): string {
  return `/soundboard-sounds/${id}`;
}

/** The space's custom emoji of that name (names are lower case; what is typed may not be). */
export function emojiNamed(name: string): GuildEmoji | undefined {
  const wanted = name.toLowerCase();
  for (const emoji of state.emojis.values()) if (emoji.name === wanted) return emoji;
  return undefined;
}

/** How a custom emoji is written in a message. */
export function emojiMarkup(emoji: GuildEmoji): string {
  return `<${emoji.animated ? 'a' : ''}:${emoji.name}:${emoji.id}>`;
}

/** A custom emoji as reactions and pickers carry it. */
export function asReaction(emoji: GuildEmoji): ReactionEmoji {
  return { id: emoji.id, name: emoji.name, animated: emoji.animated };
}

/** Custom emoji are the same by id, Unicode ones by their characters. */
export function sameEmoji(a: ReactionEmoji, b: ReactionEmoji): boolean {
  return a.id || b.id ? a.id === b.id : a.name === b.name;
}

/** What names an emoji for people: `:name:` for a custom one, the character for a Unicode one. */
export function emojiLabel(emoji: ReactionEmoji): string {
  return emoji.id ? `:${emoji.name}:` : emoji.name;
}

/** The emoji segment of a reaction route: `name:id` for a custom emoji. */
export function reactionSegment(emoji: ReactionEmoji): string {
  return encodeURIComponent(emoji.id ? `${emoji.name}:${emoji.id}` : emoji.name);
}

const RECENT = 'spot-recent-emoji';
const RECENT_KEPT = 24;

/** The emoji this user picked lately, newest first (custom ones still in the space only). */
export function recentEmoji(): ReactionEmoji[] {
  try {
    const list = JSON.parse(localStorage.getItem(RECENT) ?? '[]') as ReactionEmoji[];
    if (!Array.isArray(list)) return [];
    return list.filter((e) => e && typeof e.name === 'string' && (!e.id || state.emojis.has(e.id)));
  } catch {
    return [];
  }
}

export function noteRecent(emoji: ReactionEmoji): void {
  const kept = { id: emoji.id, name: emoji.name, ...(emoji.id ? { animated: !!emoji.animated } : {}) };
  const list = [kept, ...recentEmoji().filter((e) => !sameEmoji(e, kept))].slice(0, RECENT_KEPT);
  try {
    localStorage.setItem(RECENT, JSON.stringify(list));
  } catch {
    // No storage: nothing is remembered.
  }
}

function byId<T>(list: T[] | undefined, id: (item: T) => Snowflake): Map<Snowflake, T> {
  return new Map((list ?? []).map((item) => [id(item), item]));
}

/** GUILD_CREATE and GUILD_UPDATE: the lists they carry. */
export function putGuildExpressions(d: {
  emojis?: GuildEmoji[];
  stickers?: Sticker[];
  soundboard_sounds?: SoundboardSound[];
}): void {
  if (d.emojis) state.emojis = byId(d.emojis, (e) => e.id);
  if (d.stickers) state.stickers = byId(d.stickers, (s) => s.id);
  if (d.soundboard_sounds) state.sounds = byId(d.soundboard_sounds, (s) => s.sound_id);
  // Messages showing an emoji that is gone (or back) render again.
  state.peopleVersion += 1;
}

function putSound(d: SoundboardSound): void {
  state.sounds.set(d.sound_id, d);
}

/** How long "alice played airhorn" floats in the room. */
const EFFECT_MS = 2500;
let effects = 0;

export const expressionHandlers = {
  GUILD_EMOJIS_UPDATE(d: GuildEmojisUpdate) {
    putGuildExpressions({ emojis: d.emojis });
  },
  GUILD_STICKERS_UPDATE(d: GuildStickersUpdate) {
    putGuildExpressions({ stickers: d.stickers });
  },
  GUILD_SOUNDBOARD_SOUND_CREATE: putSound,
  GUILD_SOUNDBOARD_SOUND_UPDATE: putSound,
  GUILD_SOUNDBOARD_SOUND_DELETE(d: SoundboardSoundDelete) {
    state.sounds.delete(d.sound_id);
  },
  VOICE_CHANNEL_EFFECT_SEND(d: VoiceChannelEffect) {
    if (!d.sound_id || d.channel_id !== state.voice.channelId) return;
    const sound = state.sounds.get(d.sound_id);
    const soundEmoji = sound && (sound.emoji_id || sound.emoji_name) ? soundEmojiOf(sound) : null;
    const effect: VoiceEffect = {
      id: ++effects,
      channelId: d.channel_id,
      emoji: d.emoji ?? soundEmoji,
      text: `${displayName(d.user_id)} played ${sound?.name ?? 'a sound'}`,
    };
    state.effects = [...state.effects.slice(-2), effect];
    window.setTimeout(() => {
      state.effects = state.effects.filter((e) => e !== effect);
      changed();
    }, EFFECT_MS);
  },
};

/** A sound's emoji: one of the space's (by id) or a Unicode one; null without one. */
export function soundEmojiOf(sound: SoundboardSound): ReactionEmoji | null {
  if (sound.emoji_id) {
    const custom = state.emojis.get(sound.emoji_id);
    return { id: sound.emoji_id, name: custom?.name ?? sound.emoji_name ?? 'emoji', animated: custom?.animated };
  }
  return sound.emoji_name ? { id: null, name: sound.emoji_name } : null;
}
