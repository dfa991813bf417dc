// The composer's `:` autocomplete: `:` and two or more letters of a name list the space's custom emoji and the
// shortcodes that match (custom ones first; names starting with the letters before names containing them).
// Up/Down move, Tab or Enter choose, Escape closes, a tap chooses; the text box keeps the focus.

import type { RefObject } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ReactionEmoji } from '../api/types';
import { EMOJI } from '../markdown/emoji';
import { asReaction } from '../state/expressions';
import { useStore } from '../state/store';
import type { PickerKeys } from './CommandPicker';
import { Emoji } from './Emoji';

const SHOWN = 10;

/** What a name matches: 0 starts with the letters, 1 contains them, -1 neither. */
function rank(name: string, query: string): number {
  return name.startsWith(query) ? 0 : name.includes(query) ? 1 : -1;
}

/** One line of the list: the emoji and the name it is typed by. */
interface Suggestion {
  emoji: ReactionEmoji;
  name: string;
}

function matching(query: string, custom: ReactionEmoji[]): Suggestion[] {
  const q = query.toLowerCase();
  const found: [number, Suggestion][] = [];
  for (const emoji of custom) {
    const r = rank(emoji.name, q);
    if (r >= 0) found.push([r, { emoji, name: emoji.name }]);
  }
  for (const [name, char] of Object.entries(EMOJI)) {
    const r = rank(name, q);
    if (r >= 0) found.push([r + 2, { emoji: { id: null, name: char }, name }]);
  }
  return found
    .sort((a, b) => a[0] - b[0])
    .slice(0, SHOWN)
    .map(([, suggestion]) => suggestion);
}

export function EmojiSuggest({ query, keys, onChoose, onClose }: {
  /** What follows the `:`. */
  query: string;
  keys: RefObject<PickerKeys | null>;
  onChoose: (emoji: ReactionEmoji) => void;
  onClose: () => void;
}) {
  const s = useStore();
  const shown = matching(query, [...s.emojis.values()].map(asReaction));
  const [selected, setSelected] = useState(0);
  useEffect(() => setSelected(0), [query]);
  const at = Math.min(selected, Math.max(0, shown.length - 1));
  keys.current = (e) => {
    if (shown.length === 0) return false;
    if (e.key === 'Escape') {
      onClose();
      return true;
    }
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      setSelected((at + (e.key === 'ArrowDown' ? 1 : shown.length - 1)) % shown.length);
      return true;
    }
    if ((e.key === 'Enter' && !e.shiftKey) || e.key === 'Tab') {
      onChoose(shown[at].emoji);
      return true;
    }
    return false;
  };
  useEffect(
    () => () => {
      keys.current = null;
    },
    [],
  );
  if (shown.length === 0) return null;
  return (
    <div class="command-picker emoji-suggest">
      <ul role="listbox" aria-label="Emoji suggestions">
        {shown.map(({ emoji, name }, i) => (
          <li
            key={emoji.id ?? name}
            role="option"
            aria-selected={i === at}
            onMouseDown={(e) => e.preventDefault()}
            onMouseEnter={() => setSelected(i)}
            onClick={() => onChoose(emoji)}
          >
            <span class="suggest-emoji" aria-hidden="true">
              <Emoji emoji={emoji} />
            </span>
            <span class="suggest-name">:{name}:</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
