// One message in a list: the author header (or a compact continuation), reply preview, content (or the inline
// editor), attachments (a voice message's player), stickers, reactions (custom emoji as images), thread link,
// and the hover toolbar with its actions (`messageActions.ts`; on touch screens a long press opens them as a
// sheet, `MessageSheet.tsx`). System messages and blocked people's messages are `SystemRow.tsx`.

import { memo } from 'preact/compat';
import { useEffect, useRef, useState } from 'preact/hooks';
import { MessageFlag, type Message } from '../api/types';
import { Markdown } from '../markdown/render';
import { emojiLabel } from '../state/expressions';
import { isEphemeral } from '../state/interactions';
import { toEditable } from '../state/outgoing';
import { edit, jumpTo, openThread, remove, toggleReaction } from '../state/actions';
import { displayName, roleColor, state, update } from '../state/store';
import { Attachments } from './Attachments';
import { Embeds } from './Embeds';
import { Emoji } from './Emoji';
import { StickerItems } from './StickerItems';
import { Avatar } from './Avatar';
import {
  EphemeralNote,
  ImportedTag,
  InteractionLine,
  MessageComponents,
  Thinking,
  authorTag,
  isPlainWebhook,
} from './Components';
import { BlockedMessage, SystemMessage, arrowNavigation, fromBlocked, isSystemMessage } from './SystemRow';
import { dayLabel, friendlyTime, longTime, shortTime } from './time';
import { Icon } from './Icon';
import { useLongPress } from './longPress';
import { messageActions } from './messageActions';
import { lazy, onDemand } from './lazy';
import { openActions, openProfile } from './popups';

const EmojiPicker = lazy(onDemand, 'EmojiPicker');

export interface RowProps {
  message: Message;
  /** Shows the author header (first of a group). */
  head: boolean;
  /** A date divider before this message. */
  day: boolean;
  /** The "new messages" divider before this message. */
  unreadStart: boolean;
  editing: boolean;
  highlighted: boolean;
  /** Messages in threads cannot start threads. */
  inThread: boolean;
  /** `state.peopleVersion`: a new value re-renders the row with current names and colours. */
  people: number;
}

function Author({ message }: { message: Message }) {
  // A webhook posts under the name it gives (never a member's name or colour).
  const webhook = isPlainWebhook(message);
  const color = webhook ? null : roleColor(message.author.id);
  return (
    <span class="author" style={color ? { color } : undefined}>
      {webhook ? message.author.username : displayName(message.author.id, message.author)}
      {authorTag(message) && <span class="bot-tag">{authorTag(message)}</span>}
      {message.author.imported && <ImportedTag />}
    </span>
  );
}

function ReplyPreview({ message }: { message: Message }) {
  const ref = message.referenced_message;
  if (!message.message_reference) return null;
  if (!ref) return <div class="reply-preview muted">Original message was deleted</div>;
  return (
    <button
      type="button"
      class="reply-preview"
      aria-label={`Replying to ${displayName(ref.author.id, ref.author)}: jump to the message`}
      onClick={() => void jumpTo(ref.channel_id, ref.id)}
    >
      <Avatar user={ref.author} size={24} />
      <Author message={ref} />
      <span class="reply-text">
        {ref.content ? (
          <Markdown source={ref.content.split('\n')[0]} mentions={ref.mentions} />
        ) : ref.attachments.length ? (
          'Click to see attachment'
        ) : ref.sticker_items?.length ? (
          `Sticker: ${ref.sticker_items[0].name}`
        ) : (
          ''
        )}
      </span>
    </button>
  );
}

function Editor({ message }: { message: Message }) {
  const [text, setText] = useState(() => toEditable(message.content));
  const area = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const el = area.current;
    if (!el) return;
    el.focus();
    el.setSelectionRange(el.value.length, el.value.length);
  }, []);
  const cancel = () =>
    update((s) => {
      s.editing = null;
    });
  return (
    <div class="editor">
      <textarea
        ref={area}
        value={text}
        rows={Math.min(10, text.split('\n').length)}
        aria-label="Edit message"
        onInput={(e) => setText(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') {
            e.preventDefault();
            e.stopPropagation();
            cancel();
          } else if (e.key === 'Enter' && !e.shiftKey) {
            e.preventDefault();
            if (text.trim()) void edit(message, text);
            else if (message.attachments.length === 0) void remove(message);
          }
        }}
      />
      <div class="editor-hint">
        escape to <button type="button" class="link" onClick={cancel}>cancel</button> • enter to{' '}
        <button type="button" class="link" onClick={() => void edit(message, text)}>save</button>
      </div>
    </div>
  );
}

function Toolbar({ message, inThread, onReact }: { message: Message; inThread: boolean; onReact: () => void }) {
  return (
    <div class="toolbar" role="toolbar" aria-label="Message actions">
      {messageActions(message, inThread, onReact).map((a) => (
        <button key={a.label} type="button" aria-label={a.label} title={a.label} onClick={a.run}>
          <Icon name={a.icon} size={18} />
        </button>
      ))}
    </div>
  );
}

function Reactions({ message }: { message: Message }) {
  const reactions = message.reactions ?? [];
  if (reactions.length === 0) return null;
  return (
    <div class="reactions">
      {reactions.map((r) => (
        <button
          key={r.emoji.id ?? r.emoji.name}
          type="button"
          class={r.me ? 'reaction mine' : 'reaction'}
          aria-pressed={r.me}
          aria-label={`${emojiLabel(r.emoji)} reaction, ${r.count}${r.me ? ', including you' : ''}`}
          onClick={() => void toggleReaction(message, r.emoji)}
        >
          <Emoji emoji={r.emoji} />
          <span class="count">{r.count}</span>
        </button>
      ))}
    </div>
  );
}

function ThreadLink({ message }: { message: Message }) {
  // The space's copy of the thread is the fresher one; an archived thread is known from the message only.
  const thread = message.thread && (state.channels.get(message.thread.id) ?? message.thread);
  if (!thread) return null;
  const count = Math.max(thread.message_count ?? 0, message.thread?.message_count ?? 0);
  return (
    <button
      type="button"
      class="thread-link"
      onClick={() => {
        if (!state.channels.has(thread.id)) state.channels.set(thread.id, thread);
        openThread(thread.id);
      }}
    >
      <Icon name="thread" size={16} /> <strong>{thread.name}</strong>
      <span class="muted"> · {count === 1 ? '1 message' : `${count} messages`}</span>
    </button>
  );
}

function Row(props: RowProps) {
  const { message, day, unreadStart } = props;
  const [revealed, setRevealed] = useState(false);
  let body;
  if (isSystemMessage(message)) body = <SystemMessage message={message} />;
  else if (fromBlocked(message) && !revealed) body = <BlockedMessage message={message} onShow={() => setRevealed(true)} />;
  else body = <Words {...props} />;
  return (
    <div class="row" data-id={message.id}>
      {day && (
        <div class="divider day" role="separator">
          <span>{dayLabel(message.timestamp)}</span>
        </div>
      )}
      {unreadStart && (
        <div class="divider unread" role="separator" aria-label="New messages">
          <span>NEW</span>
        </div>
      )}
      {body}
    </div>
  );
}

/** The author's avatar and name open their profile card (someone brought in from a Discord export is not a
 *  member: their card is made from the message's author). */
function Header({ message }: { message: Message }) {
  const name = displayName(message.author.id, message.author);
  const fallback = message.author.imported ? message.author : undefined;
  if (isPlainWebhook(message)) {
    // A webhook's name and avatar are its own for this message: there is no profile behind them.
    return (
      <>
        <span class="avatar-button">
          <Avatar user={message.author} />
        </span>
        <h3 class="msg-header">
          <Author message={message} />
          <time dateTime={message.timestamp} title={longTime(message.timestamp)}>
            {friendlyTime(message.timestamp)}
          </time>
        </h3>
      </>
    );
  }
  return (
    <>
      <button
        type="button"
        class="avatar-button"
        tabIndex={-1}
        aria-label={`Profile of ${name}`}
        onClick={(e) => openProfile(message.author.id, e, fallback)}
      >
        <Avatar user={message.author} />
      </button>
      <h3 class="msg-header">
        <button type="button" class="author-button" onClick={(e) => openProfile(message.author.id, e, fallback)}>
          <Author message={message} />
        </button>
        <time dateTime={message.timestamp} title={longTime(message.timestamp)}>
          {friendlyTime(message.timestamp)}
        </time>
      </h3>
    </>
  );
}

function Words({ message, head, editing, highlighted, inThread }: RowProps) {
  const [picking, setPicking] = useState(false);
  const press = useLongPress(() => {
    if (!editing) openActions(message, inThread);
  });
  const mentioned =
    message.mention_everyone || message.mentions.some((u) => u.id === state.me?.id) || false;
  const classes = ['msg', head ? 'head' : 'cont'];
  if (mentioned) classes.push('mentioned');
  if (highlighted) classes.push('highlight');
  if (message.pinned) classes.push('pinned');
  if (isEphemeral(message)) classes.push('ephemeral');
  return (
    <article
      class={classes.join(' ')}
      aria-label={`${displayName(message.author.id, message.author)}, ${friendlyTime(message.timestamp)}`}
      tabIndex={0}
      {...press}
      onKeyDown={(e) => {
        if (e.target !== e.currentTarget || arrowNavigation(e)) return;
        if (e.key === 'r') {
          e.preventDefault();
          update((s) => {
            s.replyTo = message;
          });
        } else if (e.key === '+') {
          e.preventDefault();
          setPicking(true);
        }
      }}
    >
      <InteractionLine message={message} />
      <ReplyPreview message={message} />
      {head ? (
        <Header message={message} />
      ) : (
        <time class="gutter-time" dateTime={message.timestamp} title={longTime(message.timestamp)}>
          {shortTime(message.timestamp)}
        </time>
      )}
      <div class="msg-body">
        {editing ? (
          <Editor message={message} />
        ) : (
          message.content && (
            <div class="content">
              <Markdown source={message.content} mentions={message.mentions} />
              {message.edited_timestamp && (
                <span class="edited" title={longTime(message.edited_timestamp)}>
                  (edited)
                </span>
              )}
            </div>
          )
        )}
        <Attachments items={message.attachments} voice={(message.flags & MessageFlag.VoiceMessage) !== 0} />
        <StickerItems items={message.sticker_items ?? []} />
        <Thinking message={message} />
        <Embeds items={message.embeds} />
        <MessageComponents message={message} />
        <Reactions message={message} />
        {!inThread && <ThreadLink message={message} />}
        <EphemeralNote message={message} />
      </div>
      {!editing && <Toolbar message={message} inThread={inThread} onReact={() => setPicking(true)} />}
      {picking && (
        <EmojiPicker
          purpose="react"
          onClose={() => setPicking(false)}
          onPick={(emoji) => {
            setPicking(false);
            void toggleReaction(message, emoji);
          }}
        />
      )}
    </article>
  );
}

export const MessageRow = memo(Row);
