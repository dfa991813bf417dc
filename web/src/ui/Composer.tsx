// The message composer: Enter sends, Shift+Enter adds a line, Up (in an empty box) edits your last message,
// Escape cancels a reply. Files come from the attach button, paste or drag-and-drop and upload with progress.
// A `/` at the start opens the slash command picker; a chosen command is filled in by the command form in place
// of the text box (`CommandPicker.tsx`, `CommandOptions.tsx`, loaded on demand: a `/` typed starts loading
// them), and its fate shows under the composer.

import { useEffect, useRef, useState } from 'preact/hooks';
import { MessageType, type Snowflake } from '../api/types';
import { send, typing } from '../state/actions';
import { displayName, history, state, update, useStore } from '../state/store';
import type { CommandEntry } from '../state/commands';
import { formatSize } from './Attachments';
import type { PickerKeys } from './CommandPicker';
import { CommandStatusLine } from './Components';
import { Icon } from './Icon';
import { lazy, onDemand } from './lazy';

const CommandPicker = lazy(onDemand, 'CommandPicker', () => (
  <div class="command-picker" role="dialog" aria-label="Commands">
    <p class="muted note">Loading commands…</p>
  </div>
));
const CommandForm = lazy(onDemand, 'CommandForm');

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
  }, [text]);

  const submit = async () => {
    const content = text.trim();
    if (!content && files.length === 0) return;
    const sending = files;
    setText('');
    setFiles([]);
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
      {command ? (
        <CommandForm key={command.full} channelId={channelId} entry={command} onDone={endCommand} onCancel={endCommand} />
      ) : (
      <div class="composer-row">
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
            setPickerClosed(false);
            if (e.currentTarget.value.startsWith('/')) void CommandPicker.load().catch(() => undefined);
            if (e.currentTarget.value && !e.currentTarget.value.startsWith('/')) typing(channelId);
          }}
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
        <button type="submit" class="send" aria-label="Send message">
          <Icon name="send" />
        </button>
      </div>
      )}
      <CommandStatusLine channelId={channelId} />
      <TypingLine channelId={channelId} />
    </form>
  );
}
