// One emoji as the interface shows it: one of the space's custom emoji as its image (`img.emoji.custom`, named
// `:name:`), a custom emoji no longer in the space as the text `:name:`, a Unicode emoji as its characters.

import type { ReactionEmoji } from '../api/types';
import { emojiUrl } from '../state/expressions';
import { state } from '../state/store';

export function Emoji({ emoji }: { emoji: ReactionEmoji }) {
  if (!emoji.id) return <span class="emoji">{emoji.name}</span>;
  const name = `:${emoji.name}:`;
  const known = state.emojis.get(emoji.id);
  if (!known) return <span class="emoji-gone">{name}</span>;
  return (
    <img
      class="emoji custom"
      src={emojiUrl(known.id, known.animated)}
      alt={name}
      title={name}
      draggable={false}
      loading="lazy"
    />
  );
}
