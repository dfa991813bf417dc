// What applications and webhooks add to a message (MessageRow.tsx renders these): the "<user> used /command"
// line above a bot's answer, "<bot> is thinking…" while a deferred answer is coming, the buttons and select
// menus under it (a click or a choice is a component interaction, `state/interactions.ts`), the "Only you can
// see this" line of an ephemeral answer, and the APP / WEBHOOK tag beside the author's name (and IMPORTED for
// someone brought in from a Discord export). Components v2 (types 9 and up) are not rendered yet.

import { useState } from 'preact/hooks';
import {
  ButtonStyle,
  ChannelType,
  ComponentType,
  MessageFlag,
  extrasOf,
  type ButtonComponent,
  type ComponentEmoji,
  type Message,
  type SelectComponent,
  type SelectOption,
  type Snowflake,
} from '../api/types';
import {
  NO_RESPONSE,
  dismissEphemeral,
  dismissStatus,
  interactions,
  isEphemeral,
  isLoading,
  pressComponent,
} from '../state/interactions';
import { displayName, state, useStore } from '../state/store';
import { Avatar } from './Avatar';
import { Icon } from './Icon';
import '../style/interactions.css';

/** Discord's flag for components v2 messages (layout components), which are not rendered yet. */
const COMPONENTS_V2 = 1 << 15;

/** A webhook's own message (not an application's answer, whose webhook is the application itself): its name
 *  and avatar are the webhook's, and there is no profile behind them. */
export function isPlainWebhook(message: Message): boolean {
  const extras = extrasOf(message);
  return !!extras.webhook_id && extras.webhook_id !== extras.application_id && !extras.interaction_metadata;
}

/** The tag beside an author's name: WEBHOOK for a webhook, APP for a bot (as Discord now labels them). */
export function authorTag(message: Message): string | null {
  if (isPlainWebhook(message)) return 'WEBHOOK';
  if (message.author.bot || extrasOf(message).webhook_id) return 'APP';
  return null;
}

/** The tag beside the name of someone brought in from a Discord export (the author of old messages, never a
 *  member here). */
export const IMPORTED_NOTE = 'Brought in from a Discord export';

export function ImportedTag() {
  return (
    <span class="bot-tag imported-tag" title={IMPORTED_NOTE} aria-description={IMPORTED_NOTE}>
      IMPORTED
    </span>
  );
}

/** Whether a message starts its own group in the list (an application's answer always shows its header). */
export function startsOwnGroup(message: Message, previous: Message): boolean {
  const extras = extrasOf(message);
  if (extras.interaction_metadata) return true;
  // One webhook posts under many names: each name is its own author.
  return !!extras.webhook_id && previous.author.username !== message.author.username;
}

/** "alice used /echo" above an application's answer. */
export function InteractionLine({ message }: { message: Message }) {
  const meta = extrasOf(message).interaction_metadata;
  // Only commands (interaction type 2) are named; a button's or a form's answer stands on its own.
  if (!meta?.user || meta.type !== 2) return null;
  const who = displayName(meta.user.id, meta.user);
  const slash = meta.command_type === undefined || meta.command_type === 1;
  const name = meta.name ? (slash ? `/${meta.name}` : meta.name) : null;
  return (
    <div class="reply-preview interaction-line">
      <Avatar user={meta.user} size={24} />
      <span class="author">{who}</span>
      <span class="interaction-used">{name ? 'used' : 'used a command'}</span>
      {name && <span class="command-name">{name}</span>}
    </div>
  );
}

/** A deferred answer that is still coming. */
export function Thinking({ message }: { message: Message }) {
  if ((message.flags & MessageFlag.Loading) === 0) return null;
  return (
    <div class="thinking" role="status">
      <span class="thinking-dots" aria-hidden="true">
        <i />
        <i />
        <i />
      </span>
      {displayName(message.author.id, message.author)} is thinking…
    </div>
  );
}

/** Under an ephemeral message: only the invoker sees it, and may take it away. */
export function EphemeralNote({ message }: { message: Message }) {
  if (!isEphemeral(message)) return null;
  return (
    <p class="ephemeral-note">
      <Icon name="shield" size={14} /> Only you can see this ·{' '}
      <button type="button" class="link" onClick={() => dismissEphemeral(message)}>
        Dismiss message
      </button>
    </p>
  );
}

function Emoji({ emoji }: { emoji?: ComponentEmoji }) {
  if (!emoji?.name) return null;
  // Custom emoji are not served by spot: their name stands in for them.
  return <span class="component-emoji">{emoji.id ? `:${emoji.name}:` : emoji.name}</span>;
}

function safeUrl(url: string | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

const STYLE_CLASS: Record<number, string> = {
  [ButtonStyle.Primary]: 'primary',
  [ButtonStyle.Secondary]: 'secondary',
  [ButtonStyle.Success]: 'success',
  [ButtonStyle.Danger]: 'danger',
  [ButtonStyle.Link]: 'secondary',
};

function Button({ message, button }: { message: Message; button: ButtonComponent }) {
  const label = button.label ?? '';
  const classes = `cbutton ${STYLE_CLASS[button.style] ?? 'secondary'}`;
  if (button.style === ButtonStyle.Link) {
    const url = safeUrl(button.url);
    if (!url || button.disabled) {
      return (
        <button type="button" class={classes} disabled>
          <Emoji emoji={button.emoji} />
          {label}
        </button>
      );
    }
    return (
      <a class={classes} href={url} target="_blank" rel="noopener noreferrer">
        <Emoji emoji={button.emoji} />
        {label}
        <Icon name="link" size={14} />
      </a>
    );
  }
  const customId = button.custom_id ?? '';
  const loading = isLoading(message, customId);
  return (
    <button
      type="button"
      class={loading ? `${classes} loading` : classes}
      disabled={button.disabled || !customId || loading}
      aria-busy={loading}
      aria-label={label || button.emoji?.name || 'Button'}
      onClick={() => pressComponent(message, ComponentType.Button, customId)}
    >
      {loading && <span class="cspinner" aria-hidden="true" />}
      <Emoji emoji={button.emoji} />
      {label}
    </button>
  );
}

interface Choice {
  value: string;
  label: string;
  description?: string;
  emoji?: ComponentEmoji;
}

/** What a select offers: its own options, or the space's people, roles or channels. */
function choicesOf(select: SelectComponent): Choice[] {
  const people = (): Choice[] =>
    [...state.members.values()].map((m) => ({ value: m.user.id, label: displayName(m.user.id, m.user), description: m.user.username }));
  const roles = (): Choice[] =>
    [...state.roles.values()]
      .filter((r) => r.id !== state.guild?.id)
      .sort((a, b) => b.position - a.position)
      .map((r) => ({ value: r.id, label: `@${r.name}` }));
  switch (select.type) {
    case ComponentType.StringSelect:
      return (select.options ?? []).map((o: SelectOption) => ({ ...o }));
    case ComponentType.UserSelect:
      return people();
    case ComponentType.RoleSelect:
      return roles();
    case ComponentType.MentionableSelect:
      return [...people(), ...roles()];
    default:
      return [...state.channels.values()]
        .filter((c) => (select.channel_types?.length ? select.channel_types.includes(c.type) : c.type !== ChannelType.Category))
        .sort((a, b) => (a.position ?? 0) - (b.position ?? 0))
        .map((c) => ({ value: c.id, label: `#${c.name ?? ''}` }));
  }
}

/** The most choices listed at once (the rest are found by typing), as Discord lists 25. */
const LISTED = 25;

function Select({ message, select }: { message: Message; select: SelectComponent }) {
  const defaults = (select.options ?? []).filter((o) => o.default).map((o) => o.value);
  const [open, setOpen] = useState(false);
  const [picked, setPicked] = useState<string[]>(defaults);
  const [filter, setFilter] = useState('');
  const min = select.min_values ?? 1;
  const max = Math.max(1, select.max_values ?? 1);
  const loading = isLoading(message, select.custom_id);
  const all = choicesOf(select);
  const searchable = select.type !== ComponentType.StringSelect;
  const q = filter.trim().toLowerCase();
  const shown = all
    .filter((c) => !q || c.label.toLowerCase().includes(q) || c.description?.toLowerCase().includes(q))
    .slice(0, LISTED);
  const labels = picked.map((v) => all.find((c) => c.value === v)?.label ?? v);
  const send = (values: string[]) => {
    setOpen(false);
    setFilter('');
    pressComponent(message, select.type, select.custom_id, values);
  };
  const choose = (value: string) => {
    if (max === 1) {
      setPicked([value]);
      send([value]);
      return;
    }
    setPicked((old) => (old.includes(value) ? old.filter((v) => v !== value) : old.length < max ? [...old, value] : old));
  };
  const listId = `select-${message.id}-${select.custom_id}`;
  return (
    <div class={open ? 'cselect open' : 'cselect'}>
      <button
        type="button"
        class="cselect-button"
        disabled={select.disabled || loading}
        aria-haspopup="listbox"
        aria-expanded={open}
        aria-controls={listId}
        aria-busy={loading}
        onClick={() => setOpen(!open)}
      >
        <span class={labels.length ? 'cselect-value' : 'cselect-value placeholder'}>
          {labels.length ? labels.join(', ') : (select.placeholder ?? 'Make a selection')}
        </span>
        {loading ? <span class="cspinner" aria-hidden="true" /> : <Icon name="chevron" size={18} />}
      </button>
      {open && (
        <div class="cselect-menu">
          {searchable && (
            <input
              type="search"
              class="cselect-filter"
              value={filter}
              placeholder="Search"
              aria-label="Search"
              onInput={(e) => setFilter(e.currentTarget.value)}
            />
          )}
          <div id={listId} role="listbox" aria-multiselectable={max > 1} aria-label={select.placeholder ?? 'Make a selection'}>
            {shown.map((c) => (
              <button
                key={c.value}
                type="button"
                role="option"
                class="cselect-option"
                aria-selected={picked.includes(c.value)}
                onClick={() => choose(c.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') {
                    e.stopPropagation();
                    setOpen(false);
                  }
                }}
              >
                <Emoji emoji={c.emoji} />
                <span class="cselect-text">
                  <span>{c.label}</span>
                  {c.description && <span class="cselect-description">{c.description}</span>}
                </span>
                {max > 1 && <span class={picked.includes(c.value) ? 'pop-check on' : 'pop-check'} aria-hidden="true" />}
              </button>
            ))}
            {shown.length === 0 && <p class="muted cselect-empty">Nothing matches.</p>}
          </div>
          {max > 1 && (
            <div class="cselect-done">
              <span class="muted">
                {min > 1 ? `Choose ${min} to ${max}` : `Choose up to ${max}`}
              </span>
              <button type="button" disabled={picked.length < min} onClick={() => send(picked)}>
                Done
              </button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}

/** A message's action rows: buttons and select menus, each usable unless disabled. */
export function MessageComponents({ message }: { message: Message }) {
  useStore();
  const rows = extrasOf(message).components.filter((row) => row.type === ComponentType.ActionRow);
  if (rows.length === 0 || (message.flags & COMPONENTS_V2) !== 0) return null;
  const failed = interactions.componentFailed.get(message.id);
  return (
    <div class="components">
      {rows.map((row, i) => (
        <div key={i} class="action-row">
          {(row.components ?? []).map((c, j) => {
            if (c.type === ComponentType.Button) return <Button key={j} message={message} button={c as ButtonComponent} />;
            if (c.type === ComponentType.StringSelect || (c.type >= ComponentType.UserSelect && c.type <= ComponentType.ChannelSelect)) {
              const select = c as SelectComponent;
              return <Select key={`${j}-${select.custom_id}`} message={message} select={select} />;
            }
            return null;
          })}
        </div>
      ))}
      {failed && (
        <p class="interaction-failed" role="alert">
          <Icon name="block" size={14} /> {failed === NO_RESPONSE ? 'This interaction failed: the application did not respond' : failed}
        </p>
      )}
    </div>
  );
}

/** Under the composer: a command on its way, or "The application did not respond". */
export function CommandStatusLine({ channelId }: { channelId: Snowflake }) {
  useStore();
  const status = interactions.status.get(channelId);
  if (!status) return null;
  return (
    <div class={status.failed ? 'command-status failed' : 'command-status'} role={status.failed ? 'alert' : 'status'}>
      {status.failed ? <Icon name="block" size={14} /> : <span class="cspinner" aria-hidden="true" />}
      <span>{status.text}</span>
      {status.failed && (
        <button type="button" class="icon" aria-label="Dismiss" onClick={() => dismissStatus(channelId)}>
          <Icon name="close" size={14} />
        </button>
      )}
    </div>
  );
}
