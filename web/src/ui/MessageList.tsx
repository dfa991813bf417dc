// A channel's (or thread's) history as a virtualized list: only the rows near the viewport are in the DOM, with
// spacers standing in for the rest. Row heights are measured as rows render (estimated until then). The scroll
// position is anchored to a message, so history loading above, late-measured rows and images never move what
// the reader is looking at; at the bottom the list sticks to the newest message.

import type { ComponentChildren } from 'preact';
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { Message, Snowflake } from '../api/types';
import { jumpToPresent, loadNewer, loadOlder, markRead } from '../state/actions';
import { conversationName, dismissNotice, isGroup } from '../state/private';
import { history, idCompare, state, update, useStore } from '../state/store';
import { ConversationAvatar } from './Avatar';
import { startsOwnGroup } from './Components';
import { Icon } from './Icon';
import { MessageRow } from './MessageRow';
import { fromBlocked, isSystemMessage } from './SystemRow';

const OVERSCAN = 800;
const GROUP_MS = 7 * 60 * 1000;

/** Per message: its time in ms and its local day, computed once (grouping runs over every loaded message). */
const when = new WeakMap<Message, { ms: number; day: number }>();

function timeOf(m: Message): { ms: number; day: number } {
  let found = when.get(m);
  if (!found) {
    const date = new Date(m.timestamp);
    found = { ms: date.getTime(), day: new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime() };
    when.set(m, found);
  }
  return found;
}

function startsGroup(messages: Message[], i: number): boolean {
  const m = messages[i];
  const prev = messages[i - 1];
  if (!prev || prev.author.id !== m.author.id || m.message_reference) return true;
  // A system line or a collapsed blocked message stands alone, and so does whatever follows it.
  if (isSystemMessage(m) || isSystemMessage(prev) || fromBlocked(m) || startsOwnGroup(m, prev)) return true;
  const [a, b] = [timeOf(prev), timeOf(m)];
  return a.day !== b.day || b.ms - a.ms > GROUP_MS;
}

export function MessageList({
  channelId,
  inThread,
  intro,
}: {
  channelId: Snowflake;
  inThread: boolean;
  /** Shown at the very start of the history instead of the channel's welcome (a thread's first message). */
  intro?: ComponentChildren;
}) {
  const s = useStore();
  const h = history(channelId);
  const messages = h.messages;
  const scroller = useRef<HTMLDivElement>(null);
  const heights = useRef(new Map<Snowflake, number>());
  const [view, setView] = useState({ top: 0, height: 800 });
  const [, setMeasured] = useState(0);
  const stick = useRef(true);
  const anchor = useRef<{ id: Snowflake; offset: number } | null>(null);
  const [highlight, setHighlight] = useState<Snowflake | null>(null);

  // The "new messages" line goes above the first message newer than what was read (the last read message may
  // since have been deleted), unless that message is the reader's own.
  const after = h.dividerAfter;
  const candidate = after ? messages.findIndex((m) => idCompare(m.id, after) > 0) : -1;
  const firstUnread = candidate >= 0 && messages[candidate].author.id !== state.me?.id ? candidate : -1;
  const heads = useMemo(
    () => messages.map((_, i) => i === firstUnread || startsGroup(messages, i)),
    [messages, firstUnread],
  );
  // Offsets are recomputed every render: measured heights change without changing `messages`, and a pass
  // over 10,000 numbers costs well under a millisecond.
  const tops = new Array<number>(messages.length + 1);
  tops[0] = 0;
  for (let i = 0; i < messages.length; i++) {
    tops[i + 1] = tops[i] + (heights.current.get(messages[i].id) ?? (heads[i] ? 68 : 24));
  }
  const total = tops[messages.length];

  let start = 0;
  while (start < messages.length && tops[start + 1] < view.top - OVERSCAN) start++;
  let end = start;
  while (end < messages.length && tops[end] < view.top + view.height + OVERSCAN) end++;

  // The latest layout, for the scroll handler and the effects (which run after render with stale closures).
  const layout = useRef({ tops, messages });
  layout.current = { tops, messages };
  const listTop = () => scroller.current?.querySelector<HTMLElement>('.list')?.offsetTop ?? 0;

  /** Remembers the first message at the top of the viewport and how far below the top it starts. */
  const remember = useCallback(() => {
    const el = scroller.current;
    const { tops: t, messages: list } = layout.current;
    if (!el || list.length === 0) return;
    const base = listTop();
    const y = el.scrollTop - base;
    let i = 0;
    while (i < list.length - 1 && t[i + 1] <= y) i++;
    anchor.current = { id: list[i].id, offset: base + t[i] - el.scrollTop };
  }, []);

  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
    remember();
    setView({ top: el.scrollTop, height: el.clientHeight });
    if (el.scrollTop < OVERSCAN && h.hasMoreBefore && !h.loading) void loadOlder(channelId);
    if (stick.current && h.hasMoreAfter && !h.loading) void loadNewer(channelId);
    if (stick.current) markRead(channelId);
  };

  // Measure rendered rows; correct the scroll position to keep the anchor (or the bottom) where it was.
  useLayoutEffect(() => {
    const el = scroller.current;
    if (!el) return;
    let changed = false;
    for (const row of el.querySelectorAll<HTMLElement>('.row[data-id]')) {
      const id = row.dataset.id!;
      const height = row.offsetHeight;
      if (heights.current.get(id) !== height) {
        heights.current.set(id, height);
        changed = true;
      }
    }
    if (changed) {
      setMeasured((n) => n + 1);
      return;
    }
    const focus = h.focus;
    if (focus) {
      const index = messages.findIndex((m) => m.id === focus);
      if (index >= 0) {
        h.focus = null;
        stick.current = false;
        el.scrollTop = Math.max(0, el.querySelector<HTMLElement>('.list')!.offsetTop + tops[index] - el.clientHeight / 3);
        setHighlight(focus);
        window.setTimeout(() => setHighlight((cur) => (cur === focus ? null : cur)), 2500);
        setView({ top: el.scrollTop, height: el.clientHeight });
        return;
      }
    }
    if (stick.current && !h.hasMoreAfter) {
      el.scrollTop = el.scrollHeight;
      markRead(channelId);
    } else if (anchor.current) {
      // Computed from the offsets, not the DOM: after history loads above, the anchor row may not be rendered.
      const index = messages.findIndex((m) => m.id === anchor.current!.id);
      if (index >= 0) {
        const wanted = listTop() + tops[index] - anchor.current.offset;
        if (Math.abs(wanted - el.scrollTop) >= 1) el.scrollTop = wanted;
      }
    }
    if (Math.abs(el.scrollTop - view.top) > 1 || el.clientHeight !== view.height) {
      setView({ top: el.scrollTop, height: el.clientHeight });
    }
  });

  // Rows change size after rendering (images, fonts, a revealed spoiler): re-measure then.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const observer = new ResizeObserver(() => setMeasured((n) => n + 1));
    observer.observe(el);
    for (const row of el.querySelectorAll('.row[data-id]')) observer.observe(row);
    return () => observer.disconnect();
  });

  // Fill the viewport: a short first page may leave no scrollbar to trigger loading more.
  useEffect(() => {
    if (total < view.height && h.hasMoreBefore && !h.loading && messages.length > 0) void loadOlder(channelId);
  }, [total, view.height, messages.length]);

  const visible = messages.slice(start, end);
  const editing = s.editing;
  const channel = s.channels.get(channelId);
  const conversation = s.privateChannels.get(channelId);
  const notices = s.notices.get(channelId) ?? [];
  const showJump = h.hasMoreAfter || (!stick.current && messages.length > 0 && total - view.top > view.height * 3);
  return (
    <div class="messages">
    <div class="scroller" ref={scroller} onScroll={onScroll} tabIndex={0} aria-label="Messages" role="log">
      <div class="list-top">
        {h.hasMoreBefore ? (
          <div class="loading">{h.loading ? 'Loading older messages…' : ''}</div>
        ) : (
          conversation ? (
            <div class="welcome">
              <ConversationAvatar channel={conversation} size={80} />
              <h2>{conversationName(conversation)}</h2>
              <p class="muted">
                {isGroup(conversation)
                  ? `Welcome to the beginning of the ${conversationName(conversation)} group.`
                  : `This is the beginning of your direct message history with ${conversationName(conversation)}.`}
              </p>
            </div>
          ) : (
            <div class="welcome">
              <h2>{inThread ? channel?.name : `Welcome to #${channel?.name ?? ''}!`}</h2>
              <p class="muted">This is the start of {inThread ? 'this thread' : `the #${channel?.name ?? ''} channel`}.</p>
              {intro}
            </div>
          )
        )}
      </div>
      <div class="list" style={{ height: `${total}px` }}>
        <div style={{ height: `${tops[start]}px` }} />
        {visible.map((m, k) => {
          const i = start + k;
          const prev = messages[i - 1];
          return (
            <MessageRow
              key={m.id}
              message={m}
              head={heads[i]}
              day={!prev || timeOf(prev).day !== timeOf(m).day}
              unreadStart={i === firstUnread}
              editing={editing === m.id}
              highlighted={highlight === m.id}
              inThread={inThread}
              people={s.peopleVersion}
            />
          );
        })}
      </div>
      {notices.map((notice) => (
        <div key={notice.id} class="notice" role="status">
          <span class="notice-icon" aria-hidden="true">
            <Icon name="block" size={18} />
          </span>
          <div class="notice-body">
            <p>{notice.text}</p>
            <p class="notice-meta">
              Only you can see this ·{' '}
              <button type="button" class="link" onClick={() => update(() => dismissNotice(channelId, notice.id))}>
                Dismiss message
              </button>
            </p>
          </div>
        </div>
      ))}
      <div class="list-bottom" />
    </div>
      {showJump && (
        <button
          type="button"
          class="jump-present"
          onClick={() => {
            stick.current = true;
            if (h.hasMoreAfter) void jumpToPresent(channelId);
            else if (scroller.current) scroller.current.scrollTop = scroller.current.scrollHeight;
          }}
        >
          <span>{h.hasMoreAfter ? "You're viewing older messages" : 'Reading history'}</span>
          <strong>Jump to present ↓</strong>
        </button>
      )}
    </div>
  );
}
