// Settings → Expressions, for people who may add them (CREATE_GUILD_EXPRESSIONS) or manage them: the space's
// custom emoji, stickers and soundboard sounds, a tab each.

import { useState } from 'preact/hooks';
import { EmojiManager } from './EmojiManager';
import { SoundManager } from './SoundManager';
import { StickerManager } from './StickerManager';

type Tab = 'emoji' | 'stickers' | 'sounds';

const TABS: [Tab, string][] = [
  ['emoji', 'Emoji'],
  ['stickers', 'Stickers'],
  ['sounds', 'Sounds'],
];

export function Expressions() {
  const [tab, setTab] = useState<Tab>('emoji');
  return (
    <section aria-labelledby="expressions-title">
      <h3 id="expressions-title">Expressions</h3>
      <div class="expression-tabs" role="tablist" aria-label="Expressions">
        {TABS.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`expressions-${id}`}
            aria-selected={tab === id}
            class={tab === id ? 'active' : undefined}
            onClick={() => setTab(id)}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" aria-labelledby={`expressions-${tab}`}>
        {tab === 'emoji' && <EmojiManager />}
        {tab === 'stickers' && <StickerManager />}
        {tab === 'sounds' && <SoundManager />}
      </div>
    </section>
  );
}
