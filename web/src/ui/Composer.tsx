// The message composer: Enter sends, Shift+Enter adds a line, Up (in an empty box) edits your last message,
// Escape cancels a reply. Files come from the attach button, paste or drag-and-drop and upload with progress.
// A `/` at the start opens the slash command picker; a chosen command is filled in by the command form in place
// of the text box (`CommandPicker.tsx`, `CommandOptions.tsx`, loaded on demand: a `/` typed starts loading
// them), and its fate shows under the composer. `:` and two letters suggest emoji (`EmojiSuggest.tsx`); the
// emoji and sticker buttons open their pickers, the microphone records a voice message (`MicButton.tsx`; the
// recording bar, `VoiceRecorder.tsx`, takes the text box's place). The pickers and the recorder load on demand.

import { useEffect, useRef, useState } from 'preact/hooks';
import { MessageType, type ReactionEmoji, type Snowflake } from '../api/types';
import { send, typing } from '../state/actions';
import { displayName, history, state, update, useStore } from '../state/store';
import type { CommandEntry } from '../state/commands';
import { noteRecent } from '../state/expressions';
import { formatSize } from './Attachments';
import type { PickerKeys } from './CommandPicker';
import { CommandStatusLine } from './Components';
import { Icon } from './Icon';
import { lazy, onDemand } from './lazy';
import { MicButton, mayRecord, type VoiceMode } from './MicButton';

const CommandPicker = lazy(onDemand, 'CommandPicker', () => (
  <div class="command-picker" role="dialog" aria-label="Commands">
    <p class="muted note">Loading commands…</p>
  </div>
));
const CommandForm = lazy(onDemand, 'CommandForm');
const EmojiPicker = lazy(onDemand, 'EmojiPicker');
const StickerPicker = lazy(onDemand, 'StickerPicker');
// Loaded on the first `:` typed (see onInput), so it is there by the second letter.
const EmojiSuggest = lazy(onDemand, 'EmojiSuggest');
const VoiceRecorder = lazy(onDemand, 'VoiceRecorder', () => (
  <div class="recording-bar starting" role="group" aria-label="Recording a voice message">
    <span class="rec-hint">Starting…</span>
  </div>
));

/** The `:name` being typed just before the caret: where its `:` is, and the name so far (two or more). */
function emojiToken(text: string, caret: number): { at: number; query: string } | null {
  const match = /(^|[\s(]):([\w+-]{2,32})$/.exec(text.slice(0, caret));
  return match ? { at: match.index + match[1].length, query: match[2] } : null;
}

function TypingLine({ channelId }: { channelId: Snowflake }) {
  const now = Date.now();
  const typers = [...(state.typing.get(channelId) ?? new Map<Snowflake, number>())]
    .filter(([, until]) => until > now)
    .map(([id]) => displayName(id));
  let text = '';
  if (typers.length === 1) text = `${typers[0]} is typing…`;
  else if (typers.length === 2) text = `${typers[0]} and ${typers[1]} are typing…`;
  else if (typers.length > 2) text = 'Several people are typing…';
  return (
    <div class="typing" aria-live="polite">
      {text && <span class="dots" aria-hidden="true"><i /><i /><i /></span>}
      {text}
    </div>
  );
}

export function Composer({ channelId, placeholder }: { channelId: Snowflake; placeholder: string }) {
  const s = useStore();
  const [text, setText] = useState('');
  const [files, setFiles] = useState<File[]>([]);
  const [dragging, setDragging] = useState(false);
  const area = useRef<HTMLTextAreaElement>(null);
  const picker = useRef<HTMLInputElement>(null);
  const reply = s.replyTo?.channel_id === channelId ? s.replyTo : null;
  const uploads = s.uploads.filter((u) => u.channelId === channelId);
  const [command, setCommand] = useState<CommandEntry | null>(null);
  const [pickerClosed, setPickerClosed] = useState(false);
  const pickerKeys = useRef<PickerKeys | null>(null);
  const slashing = text.startsWith('/') && !text.includes('\n') && files.length === 0;
  const picking = slashing && !pickerClosed && !command;
  const [caret, setCaret] = useState(0);
  const [suggestOff, setSuggestOff] = useState(-1);
  const suggestKeys = useRef<PickerKeys | null>(null);
  const token = slashing ? null : emojiToken(text, caret);
  const suggesting = !!token && token.at !== suggestOff;
  const [popup, setPopup] = useState<'emoji' | 'sticker' | null>(null);
  const emojiButton = useRef<HTMLButtonElement>(null);
  const stickerButton = useRef<HTMLButtonElement>(null);
  const [voice, setVoice] = useState<VoiceMode | null>(null);
  const endCommand = () => {
    setCommand(null);
    setText('');
    window.setTimeout(() => area.current?.focus(), 0);
  };

  useEffect(() => {
    if (reply) area.current?.focus();
  }, [reply]);

  useEffect(() => {
    const el = area.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, 300)}px`;
  }, [text, voice]);

  /** Puts `value` in place of the text between `from` and `to`, the caret after it. */
  const replace = (from: number, to: number, value: string) => {
    const next = text.slice(0, from) + value + text.slice(to);
    const after = from + value.length;
    setText(next);
    setCaret(after);
    window.setTimeout(() => {
      const el = area.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(after, after);
    }, 0);
  };
  /** An emoji as typed text: a Unicode one as itself, a custom one as `:name:` (turned into `<:name:id>` on send). */
  const emojiText = (emoji: ReactionEmoji) => (emoji.id ? `:${emoji.name}: ` : emoji.name);
  const insertEmoji = (emoji: ReactionEmoji) => {
    const el = area.current;
    const from = el?.selectionStart ?? text.length;
    const to = el?.selectionEnd ?? from;
    const before = from > 0 && /\S/.test(text[from - 1]) && emoji.id ? ' ' : '';
    replace(from, to, before + emojiText(emoji));
  };
  const chooseSuggestion = (emoji: ReactionEmoji) => {
    if (!token) return;
    noteRecent(emoji);
    replace(token.at, caret, emoji.id ? emojiText(emoji) : `${emoji.name} `);
  };

  const submit = async () => {
    const content = text.trim();
    if (!content && files.length === 0) return;
    const sending = files;
    setText('');
    setFiles([]);
    setSuggestOff(-1);
    const ok = await send(channelId, content, sending);
    if (!ok && !area.current?.value) {
      setText(content);
      setFiles(sending);
    }
  };

  const addFiles = (list: FileList | null | undefined) => {
    if (list && list.length > 0) setFiles((old) => [...old, ...Array.from(list)].slice(0, 10));
  };

  const editLast = () => {
    const mine = [...history(channelId).messages]
      .reverse()
      .find((m) => m.author.id === state.me?.id && (m.type === MessageType.Default || m.type === MessageType.Reply));
    if (mine)
      update((st) => {
        st.editing = mine.id;
      });
  };

  return (
    <form
      class={dragging ? 'composer dragging' : 'composer'}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      onDragOver={(e) => {
        if (e.dataTransfer?.types.includes('Files')) {
          e.preventDefault();
          setDragging(true);
        }
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        addFiles(e.dataTransfer?.files);
      }}
    >
      {reply && (
        <div class="reply-bar">
          <span>
            Replying to <strong>{displayName(reply.author.id, reply.author)}</strong>
          </span>
          <button
            type="button"
            class="icon"
            aria-label="Cancel reply"
            onClick={() =>
              update((st) => {
                st.replyTo = null;
              })
            }
          >
            <Icon name="close" size={16} />
          </button>
        </div>
      )}
      {files.length > 0 && (
        <ul class="pending-files" aria-label="Files to send">
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`} class="pending-file">
              <span class="file-icon" aria-hidden="true">
                <Icon name={f.type.startsWith('image/') ? 'image' : 'file'} />
              </span>
              <span class="file-name">{f.name}</span>
              <span class="file-size">{formatSize(f.size)}</span>
              <button type="button" class="icon" aria-label={`Remove ${f.name}`} onClick={() => setFiles(files.filter((_, j) => j !== i))}>
                <Icon name="close" size={16} />
              </button>
            </li>
          ))}
        </ul>
      )}
      {uploads.map((u, i) => (
        <div key={i} class="upload-progress" role="progressbar" aria-label={`Uploading ${u.names}`} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(u.progress * 100)}>
          <span class="file-name">{u.names}</span>
          <progress max={1} value={u.progress} />
          <button type="button" class="icon" aria-label="Cancel upload" onClick={u.abort}>
            <Icon name="close" size={16} />
          </button>
        </div>
      ))}
      {picking && (
        <CommandPicker
          channelId={channelId}
          query={text.slice(1)}
          keys={pickerKeys}
          onChoose={(entry) => {
            setCommand(entry);
            setText('');
          }}
          onClose={() => setPickerClosed(true)}
        />
      )}
      {suggesting && !command && (
        <EmojiSuggest query={token!.query} keys={suggestKeys} onChoose={chooseSuggestion} onClose={() => setSuggestOff(token!.at)} />
      )}
      {popup === 'emoji' && !command && !voice && (
        <EmojiPicker
          purpose="insert"
          opener={emojiButton}
          onClose={() => setPopup(null)}
          onPick={(emoji) => {
            setPopup(null);
            insertEmoji(emoji);
          }}
        />
      )}
      {popup === 'sticker' && !command && !voice && (
        <StickerPicker channelId={channelId} opener={stickerButton} onClose={() => setPopup(null)} />
      )}
      {command ? (
        <CommandForm key={command.full} channelId={channelId} entry={command} onDone={endCommand} onCancel={endCommand} />
      ) : (
      <div class="composer-row">
        {voice ? (
          <VoiceRecorder channelId={channelId} mode={voice} onEnd={() => setVoice(null)} />
        ) : (
          <>
            <button type="button" class="icon attach" aria-label="Upload a file" onClick={() => picker.current?.click()}>
              <Icon name="plus" size={22} />
            </button>
            <input ref={picker} type="file" multiple hidden onChange={(e) => { addFiles(e.currentTarget.files); e.currentTarget.value = ''; }} />
            <textarea
              ref={area}
              rows={1}
              value={text}
              placeholder={placeholder}
              aria-label={placeholder}
              onInput={(e) => {
                setText(e.currentTarget.value);
                setCaret(e.currentTarget.selectionStart);
                setPickerClosed(false);
                if (e.currentTarget.value.startsWith('/')) void CommandPicker.load().catch(() => undefined);
                if (e.currentTarget.value.includes(':')) void EmojiSuggest.load().catch(() => undefined);
                if (e.currentTarget.value && !e.currentTarget.value.startsWith('/')) typing(channelId);
              }}
              onKeyUp={(e) => setCaret(e.currentTarget.selectionStart)}
              onClick={(e) => setCaret(e.currentTarget.selectionStart)}
              onPaste={(e) => {
                if (e.clipboardData?.files.length) {
                  e.preventDefault();
                  addFiles(e.clipboardData.files);
                }
              }}
              onKeyDown={(e) => {
                // Until the picker is there, Enter waits for it rather than sending the text as a message.
                if (picking && !e.isComposing && (pickerKeys.current ? pickerKeys.current(e) : e.key === 'Enter')) {
                  e.preventDefault();
                  e.stopPropagation();
                } else if (suggesting && !e.isComposing && suggestKeys.current?.(e)) {
                  e.preventDefault();
                  e.stopPropagation();
                } else if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
                  e.preventDefault();
                  void submit();
                } else if (e.key === 'ArrowUp' && !text) {
                  e.preventDefault();
                  editLast();
                } else if (e.key === 'Escape' && reply) {
                  update((st) => {
                    st.replyTo = null;
                  });
                }
              }}
            />
            <button
              ref={emojiButton}
              type="button"
              class={popup === 'emoji' ? 'icon emoji-button active' : 'icon emoji-button'}
              aria-label="Choose an emoji"
              title="Choose an emoji"
              aria-expanded={popup === 'emoji'}
              onPointerEnter={() => void EmojiPicker.load().catch(() => undefined)}
              onClick={() => setPopup(popup === 'emoji' ? null : 'emoji')}
            >
              <Icon name="smile" size={22} />
            </button>
            {s.stickers.size > 0 && (
              <button
                ref={stickerButton}
                type="button"
                class={popup === 'sticker' ? 'icon sticker-button active' : 'icon sticker-button'}
                aria-label="Send a sticker"
                title="Send a sticker"
                aria-expanded={popup === 'sticker'}
                onClick={() => setPopup(popup === 'sticker' ? null : 'sticker')}
              >
                <Icon name="sticker" size={22} />
              </button>
            )}
          </>
        )}
        {mayRecord(channelId) && (!voice || voice === 'hold') && (
          <MicButton
            pressed={voice === 'hold'}
            onPress={() => {
              setPopup(null);
              setVoice('hold');
            }}
            onRelease={(mode) => setVoice((now) => (now === 'hold' ? mode : now))}
          />
        )}
        {!voice && (
          <button type="submit" class="send" aria-label="Send message">
            <Icon name="send" />
          </button>
        )}
      </div>
      )}
      <CommandStatusLine channelId={channelId} />
      <TypingLine channelId={channelId} />
    </form>
  );
}
