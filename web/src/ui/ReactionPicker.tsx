// The small emoji picker for reactions: common emoji first, then every shortcode we know, filterable by name.

import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { EMOJI, QUICK_REACTIONS } from '../markdown/emoji';

export function ReactionPicker({ onPick, onClose }: { onPick: (emoji: string) => void; onClose: () => void }) {
  const [filter, setFilter] = useState('');
  const input = useRef<HTMLInputElement>(null);
  const root = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => input.current?.focus(), []);
  useEffect(() => {
    const outside = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) onClose();
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [onClose]);
  const named = Object.entries(EMOJI).filter(([name]) => name.includes(filter.toLowerCase()));
  const choices = filter ? [...new Set(named.map(([, e]) => e))] : QUICK_REACTIONS;
  return (
    <div
      ref={root}
      class="picker"
      role="dialog"
      aria-label="Add a reaction"
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
          if (e.key === 'Enter' && choices[0]) onPick(choices[0]);
        }}
      />
      <div class="picker-grid" role="group" aria-label="Emoji">
        {choices.slice(0, 64).map((emoji) => (
          <button key={emoji} type="button" aria-label={`React with ${emoji}`} onClick={() => onPick(emoji)}>
            {emoji}
          </button>
        ))}
        {choices.length === 0 && <p class="muted">No emoji match.</p>}
      </div>
    </div>
  );
}
