// The header's search box (an icon on phones until used): its results show in the search panel (`Panels.tsx`).

import { useState } from 'preact/hooks';
import { isPrivate } from '../state/private';
import { update } from '../state/store';
import { Icon } from './Icon';

/** The header's search: the whole space, or the DM or group on screen. */
export function SearchBox() {
  const [text, setText] = useState('');
  return (
    <form
      class="search"
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        if (!text.trim()) return;
        update((s) => {
          s.searchQuery = text.trim();
          s.searchIn = isPrivate(s.activeChannel) ? s.activeChannel : null;
          s.panel = 'search';
        });
      }}
    >
      <input
        type="search"
        placeholder="Search"
        aria-label="Search messages"
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
      />
      {/* On phones the box is this icon until it is used (style/phone.css). */}
      <span class="search-icon" aria-hidden="true">
        <Icon name="search" size={18} />
      </span>
    </form>
  );
}
