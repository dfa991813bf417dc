// The emoji picker, for reactions (the hover toolbar's, the action sheet's) and for the composer: the emoji this
// user picked lately ("Recently used", Unicode and custom alike), the space's custom emoji ("This space"), then
// the common ones; typing filters the custom emoji and every shortcode by name. Each emoji appears once per
// section; the recent ones are named "Recently used …" so that "React with 👍" is always one button.

import type { RefObject } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ReactionEmoji } from '../api/types';
import { EMOJI, QUICK_REACTIONS } from '../markdown/emoji';
import { asReaction, emojiLabel, noteRecent, recentEmoji } from '../state/expressions';
import { useStore } from '../state/store';
import { useDismiss } from './dismiss';
import { Emoji } from './Emoji';

const RECENT_SHOWN = 16;
const SHOWN = 64;

function unicode(chars: string[]): ReactionEmoji[] {
  return [...new Set(chars)].map((name) => ({ id: null, name }));
}

function Section({ title, label, items, onPick }: {
  title: string;
  /** The start of each button's name: "React with", "Insert", "Recently used". */
  label: string;
  items: ReactionEmoji[];
  onPick: (emoji: ReactionEmoji) => void;
}) {
  if (items.length === 0) return null;
  return (
    <section class="picker-section">
      <h4 class="picker-heading">{title}</h4>
      <div class="picker-grid" role="group" aria-label={title}>
        {items.slice(0, SHOWN).map((emoji) => (
          <button
            key={emoji.id ?? emoji.name}
            type="button"
            class={emoji.id ? 'custom' : undefined}
            aria-label={`${label} ${emojiLabel(emoji)}`}
            title={emojiLabel(emoji)}
            onClick={() => onPick(emoji)}
          >
            <Emoji emoji={emoji} />
          </button>
        ))}
      </div>
    </section>
  );
}

export function EmojiPicker({ purpose, onPick, onClose, opener }: {
  /** A reaction to a message, or an emoji for the composer's text. */
  purpose: 'react' | 'insert';
  onPick: (emoji: ReactionEmoji) => void;
  onClose: () => void;
  /** The button that opened the picker (its click toggles it). */
  opener?: RefObject<HTMLElement | null>;
}) {
  const s = useStore();
  const [filter, setFilter] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const root = useRef<HTMLDivElement>(null);
  // On touch screens the keyboard would cover the picker: the search box is there to tap.
  useLayoutEffect(() => {
    if (!window.matchMedia('(hover: none)').matches) input.current?.focus();
  }, []);
  useDismiss(root, onClose, opener);
  const pick = (emoji: ReactionEmoji) => {
    noteRecent(emoji);
    onPick(emoji);
  };
  const verb = purpose === 'react' ? 'React with' : 'Insert';
  const custom = [...s.emojis.values()].map(asReaction);
  const query = filter.trim().toLowerCase().replace(/:/g, '');
  const sections: [string, string, ReactionEmoji[]][] = query
    ? [
        ['This space', verb, custom.filter((e) => e.name.includes(query))],
        ['Emoji', verb, unicode(Object.entries(EMOJI).filter(([name]) => name.includes(query)).map(([, e]) => e))],
      ]
    : [
        ['Recently used', 'Recently used', recentEmoji().slice(0, RECENT_SHOWN)],
        ['This space', verb, custom],
        ['Emoji', verb, unicode(QUICK_REACTIONS)],
      ];
  const first = sections.find(([, , items]) => items.length > 0)?.[2][0];
  return (
    <div
      ref={root}
      class={purpose === 'insert' ? 'picker composer-picker' : 'picker'}
      role="dialog"
      aria-label={purpose === 'react' ? 'Add a reaction' : 'Choose an emoji'}
      onKeyDown={(e) => {
        if (e.key === 'Escape') {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <input
        ref={input}
        class="picker-search"
        placeholder="Find an emoji"
        aria-label="Find an emoji"
        value={filter}
        onInput={(e) => setFilter(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && first) {
            e.preventDefault();
            pick(first);
          }
        }}
      />
      <div class="picker-body">
        {sections.map(([title, label, items]) => (
          <Section key={title} title={title} label={label} items={items} onPick={pick} />
        ))}
        {!first && <p class="muted">No emoji match.</p>}
      </div>
    </div>
  );
}
