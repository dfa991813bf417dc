// The right-hand panels of a channel or DM: pinned messages, its threads, and search results (of the header's
// `SearchBox`). Each result jumps to its message. Loaded on demand (`onDemand.ts`), when one opens.

import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/rest';
import { ChannelType, type Channel, type Message, type SearchResults, type Snowflake } from '../api/types';
import { Markdown } from '../markdown/render';
import { attempt, jumpTo, openThread } from '../state/actions';
import { defaultPanel, displayName, idCompare, state, update, useStore } from '../state/store';
import { Avatar } from './Avatar';
import { friendlyTime } from './time';
import { Icon } from './Icon';

function closePanel() {
  update((s) => {
    s.panel = defaultPanel();
  });
}

function PanelFrame({ title, children }: { title: string; children: preact.ComponentChildren }) {
  return (
    <aside class="panel" aria-label={title}>
      <header class="panel-header">
        <h2>{title}</h2>
        <button type="button" class="icon" aria-label={`Close ${title.toLowerCase()}`} onClick={closePanel}>
          <Icon name="close" size={18} />
        </button>
      </header>
      <div class="panel-body">{children}</div>
    </aside>
  );
}

function ResultCard({ message }: { message: Message }) {
  const channel = state.channels.get(message.channel_id);
  return (
    <li>
      <button type="button" class="result" onClick={() => void jumpTo(message.channel_id, message.id)}>
        <div class="result-meta">
          <Avatar user={message.author} size={24} />
          <strong>{displayName(message.author.id, message.author)}</strong>
          {channel && <span class="muted">#{channel.name}</span>}
          <time class="muted">{friendlyTime(message.timestamp)}</time>
        </div>
        <Markdown source={message.content || (message.attachments[0]?.filename ?? '')} mentions={message.mentions} />
      </button>
    </li>
  );
}

export function PinsPanel({ channelId }: { channelId: Snowflake }) {
  const s = useStore();
  const [pins, setPins] = useState<Message[] | null>(null);
  useEffect(() => {
    void attempt(() => api<Message[]>('GET', `/channels/${channelId}/pins`)).then((found) => setPins(found ?? []));
  }, [channelId, s.pinsVersion]);
  return (
    <PanelFrame title="Pinned messages">
      {pins === null ? (
        <p class="muted">Loading…</p>
      ) : pins.length === 0 ? (
        <p class="empty">This channel doesn't have any pinned messages yet.</p>
      ) : (
        <ul class="results">
          {pins.map((m) => (
            <ResultCard key={m.id} message={m} />
          ))}
        </ul>
      )}
    </PanelFrame>
  );
}

export function ThreadsPanel({ channelId }: { channelId: Snowflake }) {
  const s = useStore();
  const [archived, setArchived] = useState<Channel[]>([]);
  useEffect(() => {
    void attempt(() =>
      api<{ threads: Channel[] }>('GET', `/channels/${channelId}/threads/archived/public`),
    ).then((found) => setArchived(found?.threads ?? []));
  }, [channelId]);
  const active = [...s.channels.values()].filter(
    (c) => c.parent_id === channelId && (c.type === ChannelType.PublicThread || c.type === ChannelType.PrivateThread),
  );
  const known = new Set(active.map((t) => t.id));
  const all = [...active, ...archived.filter((t) => !known.has(t.id))].sort((a, b) => idCompare(b.id, a.id));
  return (
    <PanelFrame title="Threads">
      {all.length === 0 ? (
        <p class="empty">No threads yet. Hover a message and choose the thread button to start one.</p>
      ) : (
        <ul class="results">
          {all.map((t) => (
            <li key={t.id}>
              <button
                type="button"
                class="result thread-result"
                onClick={() => {
                  if (!s.channels.has(t.id)) s.channels.set(t.id, t);
                  openThread(t.id);
                }}
              >
                <strong>
                  <Icon name="thread" size={16} /> {t.name}
                </strong>
                <span class="muted">
                  {t.message_count ?? 0} messages{t.thread_metadata?.archived ? ' · archived' : ''}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </PanelFrame>
  );
}

export function SearchPanel() {
  const s = useStore();
  const [results, setResults] = useState<SearchResults | null>(null);
  const [busy, setBusy] = useState(false);
  const query = s.searchQuery;
  const scope = s.searchIn;
  useEffect(() => {
    if (!query.trim() || !s.guild) return;
    setBusy(true);
    const where = scope ? `/channels/${scope}` : `/guilds/${s.guild.id}`;
    const path = `${where}/messages/search?content=${encodeURIComponent(query)}`;
    void attempt(() => api<SearchResults>('GET', path)).then((found) => {
      setResults(found ?? null);
      setBusy(false);
    });
  }, [query, scope]);
  const title = results ? `${results.total_results} results` : 'Search';
  return (
    <PanelFrame title={busy ? 'Searching…' : title}>
      {results && results.messages.length === 0 && <p class="empty">No messages match "{query}".</p>}
      <ul class="results">
        {results?.messages.map(([m]) => (
          <ResultCard key={m.id} message={m} />
        ))}
      </ul>
    </PanelFrame>
  );
}
